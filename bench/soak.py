"""`make soak`: the production server (`python -m config.serve`: gunicorn and a db_worker, as `make
serve` runs them) on a PostgreSQL database of its own, driven for DURATION seconds by many
accounts at once with mixed reads and writes of both dialects; then `check_counters`.

Usage: python bench/soak.py [--duration 180] [--threads 24] [--accounts 200] [--statuses 5000]
       [--workers N] [--database-url postgres://...] [--no-rate-limits] [--keep-database]
       [--json FILE]

Loopback only: the server listens on 127.0.0.1 and a database on another host is refused. The
database (`duostatus_soak` on the server of DATABASE_URL, or --database-url /
SOAK_DATABASE_URL; its name must start with `duostatus_soak`) is created, migrated and seeded
(`seed --accounts --statuses`), one token is made per loaded account, and the database is
dropped at the end. Prints requests, requests/s, answers by status code (429s apart: rate
limits are on, as in production), p50/p99 per kind of request, and check_counters' verdict.
Exits 1 on any 5xx, any request without an answer, or a counter that differs from its rows.
"""

import argparse
import http.client
import ipaddress
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from io import StringIO
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DATABASE_PREFIX = "duostatus_soak"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    env = os.environ.get
    parser.add_argument("--duration", type=float, default=float(env("DURATION", 180)),
                        help="seconds of load (DURATION)")
    parser.add_argument("--threads", type=int, default=int(env("THREADS", 24)),
                        help="client threads (THREADS)")
    parser.add_argument("--accounts", type=int, default=int(env("ACCOUNTS", 200)))
    parser.add_argument("--statuses", type=int, default=int(env("STATUSES", 5000)))
    parser.add_argument("--workers", type=int, default=int(env("WORKERS", 0)) or None,
                        help="gunicorn workers (default: config/gunicorn.conf.py's)")
    parser.add_argument("--database-url", default=env("SOAK_DATABASE_URL", ""))
    parser.add_argument("--port", type=int, default=int(env("SOAK_PORT", 0)))
    parser.add_argument("--no-rate-limits", action="store_true",
                        help="RATE_LIMITS_ENABLED=0 (by default they are on, as in production)")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the load")
    args = parser.parse_args(argv)
    if args.duration <= 0 or args.threads < 1 or args.accounts < args.threads:
        parser.error("need a positive duration, at least one thread and an account per thread")
    return args


# --- the database ----------------------------------------------------------------------------

def is_loopback(host: str | None) -> bool:
    """True for this machine: loopback addresses, names resolving only to them, and a Unix
    socket directory."""
    if not host or host.startswith("/"):
        return True
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(info[4][0]).is_loopback for info in infos)


def database_url(args) -> str:
    if args.database_url:
        url = args.database_url
    else:
        base = os.environ.get("DATABASE_URL", "")
        if not base.startswith(("postgres://", "postgresql://")):
            base = "postgres://postgres@127.0.0.1:5432/postgres"
        url = urlunsplit(urlsplit(base)._replace(path=f"/{DATABASE_PREFIX}"))
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise SystemExit(f"soak: PostgreSQL only, not {parts.scheme!r}")
    if not is_loopback(parts.hostname):
        raise SystemExit(f"soak: refusing {parts.hostname!r}: the database must be on this "
                         "machine (loopback)")
    name = parts.path.lstrip("/")
    if not name.startswith(DATABASE_PREFIX):
        raise SystemExit(f"soak: the database's name must start with {DATABASE_PREFIX!r} (it is "
                         f"dropped at the end), not {name!r}")
    return url


def _maintenance(url: str):
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    return psycopg.connect(admin, autocommit=True, connect_timeout=10)


def create_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    with _maintenance(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # a crashed run's
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    with _maintenance(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class World:
    accounts: list[tuple[int, str]]  # (id, token)
    public: list[int]  # public statuses of the load, replies included
    top_level: list[int]  # public top-level statuses (SelfCommunity's lists show these)
    polls: list[tuple[int, int, int]]  # (poll id, options, author id), open past the run
    reactions: list[int]


def prepare(args) -> World:
    """Migrate, seed and make the tokens in this process, then let go of the database."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from accounts.models import Account, Visibility
    from accounts.services import token_create
    from categories.models import Reaction
    from statuses.models import Poll, Status

    started = time.monotonic()
    call_command("migrate", "--noinput", verbosity=0)
    call_command("seed", "--accounts", str(args.accounts), "--statuses", str(args.statuses),
                 stdout=StringIO())
    loaded = list(Account.objects.filter(username__startswith="load_").order_by("pk")
                  .values_list("pk", flat=True)[:args.accounts])
    accounts = [(pk, token_create(account=Account(pk=pk))) for pk in loaded]
    visible = Status.objects.filter(
        account__username__startswith="load_", deleted_at__isnull=True, reblog_of__isnull=True,
        visibility=Visibility.PUBLIC, addressed=False, collapsed=False)
    public = list(visible.values_list("pk", flat=True))
    top_level = list(visible.filter(in_reply_to__isnull=True).values_list("pk", flat=True))
    open_until = timezone.now() + timedelta(seconds=args.duration + 3600)
    polls = [(poll.pk, len(poll.options), poll.status.account_id) for poll in
             Poll.objects.filter(status__in=visible, expires_at__gt=open_until)
             .select_related("status")]
    reactions = list(Reaction.objects.filter(active=True).values_list("pk", flat=True))
    connections.close_all()
    print(f"soak: migrated, seeded {args.statuses} statuses by {args.accounts} accounts and "
          f"made {len(accounts)} tokens in {time.monotonic() - started:.0f} s "
          f"({len(public)} public statuses, {len(polls)} open polls)", file=sys.stderr)
    return World(accounts, public, top_level, polls, reactions)


# --- the server --------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(args, env: dict, workdir: Path) -> tuple[subprocess.Popen, int, Path]:
    """collectstatic and `python -m config.serve`, as `make serve` runs them."""
    port = args.port or free_port()
    env = {**env, "HOST": "127.0.0.1", "PORT": str(port), "INSTANCE_DOMAIN": f"127.0.0.1:{port}",
           "STATIC_MANIFEST": "1", "STATIC_ROOT": str(workdir / "static"), "ACCESS_LOG": "",
           "GUNICORN_LOG_LEVEL": "warning", "DB_WORKERS": "1"}
    env.pop("BIND", None)
    if args.workers:
        env["WORKERS"] = str(args.workers)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                   cwd=ROOT, env=env, check=True)
    log = workdir / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "config.serve"], cwd=ROOT, env=env,
                                  stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"soak: the server exited with {server.returncode}:\n"
                             + log.read_text()[-3000:])
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return server, port, log
        except OSError:
            pass
        time.sleep(0.3)
    stop_server(server)
    raise SystemExit("soak: the server did not answer /health within 60 s:\n"
                     + log.read_text()[-3000:])


def stop_server(server: subprocess.Popen) -> int:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
    try:
        return server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        return server.wait()


# --- the load ----------------------------------------------------------------------------------

@dataclass
class Actor:
    """One account and what it has done, so that it can undo it (each is driven by one
    thread only)."""

    id: int
    token: str
    favourites: list[int] = field(default_factory=list)
    reblogs: list[int] = field(default_factory=list)
    bookmarks: list[int] = field(default_factory=list)
    votes: dict[int, int] = field(default_factory=dict)  # status -> reaction
    polls_voted: set[int] = field(default_factory=set)
    deletable: list[int] = field(default_factory=list)  # own statuses no one else reads
    deleted: list[int] = field(default_factory=list)


class Shared:
    """What every thread reads from: the seeded statuses plus those the soak made and keeps."""

    def __init__(self, world: World):
        self.public = list(world.public)
        self.top_level = list(world.top_level)
        self.polls = list(world.polls)
        self.reactions = world.reactions


# (kind, weight): what a thread does next. Reads about 55%, writes 45%.
KINDS = [
    ("m_status", 10), ("m_status_anon", 3), ("m_context", 4), ("m_home", 5), ("m_public", 5),
    ("m_post", 6), ("m_favourite", 4), ("m_unfavourite", 2), ("m_reblog", 2), ("m_unreblog", 1),
    ("m_bookmark", 2), ("m_unbookmark", 1), ("m_delete", 2), ("m_poll", 2), ("m_poll_vote", 2),
    ("sc_list", 5), ("sc_status", 8), ("sc_feed", 4), ("sc_post", 4), ("sc_vote", 4),
    ("sc_unvote", 2), ("sc_comment", 3), ("sc_comments", 2), ("sc_delete", 2), ("sc_restore", 1),
]


class Client(threading.Thread):
    def __init__(self, index: int, port: int, actors: list[Actor], shared: Shared,
                 stop_at: float, seed: int):
        super().__init__(name=f"soak-{index}", daemon=True)
        self.port = port
        self.actors = actors
        self.shared = shared
        self.stop_at = stop_at
        self.rng = random.Random(seed * 1000 + index)
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.codes: dict[str, Counter] = defaultdict(Counter)
        self.failures: Counter = Counter()
        self.serial = 0
        self.kinds, weights = zip(*KINDS, strict=True)
        self.weights = list(weights)

    def run(self):
        while time.monotonic() < self.stop_at:
            kind = self.rng.choices(self.kinds, self.weights)[0]
            getattr(self, kind)(self.rng.choice(self.actors))
        self.conn.close()

    # One request on the kept connection (http.client reconnects when the server closes it).
    def call(self, kind, method, path, actor: Actor | None = None, body=None, form=None):
        headers = {"Accept": "application/json"}
        data = None
        if actor is not None:
            headers["Authorization"] = f"Bearer {actor.token}"
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif form is not None:
            data = urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.conn.close()
            self.failures[f"{kind}: {type(error).__name__}"] += 1
            self.codes[kind]["no answer"] += 1
            return 0, None
        self.latencies[kind].append(time.perf_counter() - started)
        self.codes[kind][response.status] += 1
        if raw and response.getheader("Content-Type", "").startswith("application/json"):
            return response.status, json.loads(raw)
        return response.status, None

    def text(self, what: str) -> str:
        self.serial += 1
        return f"soak {what} {self.name} {self.serial} #soak"

    # --- Mastodon
    def m_status(self, actor):
        self.call("m_status", "GET", f"/api/v1/statuses/{self.rng.choice(self.shared.public)}",
                  actor)

    def m_status_anon(self, actor):
        self.call("m_status_anon", "GET",
                  f"/api/v1/statuses/{self.rng.choice(self.shared.public)}")

    def m_context(self, actor):
        self.call("m_context", "GET",
                  f"/api/v1/statuses/{self.rng.choice(self.shared.public)}/context", actor)

    def m_home(self, actor):
        self.call("m_home", "GET", "/api/v1/timelines/home?limit=20", actor)

    def m_public(self, actor):
        self.call("m_public", "GET", "/api/v1/timelines/public?limit=20", actor)

    def m_post(self, actor):
        body = {"status": self.text("post"), "visibility": "public"}
        roll = self.rng.random()
        if roll < 0.25:
            body["in_reply_to_id"] = str(self.rng.choice(self.shared.public))
        elif roll < 0.35:
            body["poll"] = {"options": ["yes", "no", "maybe"], "expires_in": 86400}
        code, status = self.call("m_post", "POST", "/api/v1/statuses", actor, body=body)
        if code != 200:
            return
        pk = int(status["id"])
        # A reply is a SelfCommunity comment, which /api/v2/status/ does not delete: only
        # top-level statuses go where either dialect deletes and restores them.
        if "in_reply_to_id" not in body and self.rng.random() < 0.3:
            actor.deletable.append(pk)
        else:
            self.shared.public.append(pk)
            if status.get("poll"):
                self.shared.polls.append((int(status["poll"]["id"]), 3, actor.id))

    def _toggle(self, kind, actor, done: list[int], verb: str, undo: str, undoing: bool):
        if undoing and done:
            pk = done.pop(self.rng.randrange(len(done)))
            self.call(kind, "POST", f"/api/v1/statuses/{pk}/{undo}", actor)
            return
        pk = self.rng.choice(self.shared.public)
        if self.call(kind, "POST", f"/api/v1/statuses/{pk}/{verb}", actor)[0] == 200:
            done.append(pk)

    def m_favourite(self, actor):
        self._toggle("m_favourite", actor, actor.favourites, "favourite", "unfavourite", False)

    def m_unfavourite(self, actor):
        self._toggle("m_unfavourite", actor, actor.favourites, "favourite", "unfavourite", True)

    def m_reblog(self, actor):
        self._toggle("m_reblog", actor, actor.reblogs, "reblog", "unreblog", False)

    def m_unreblog(self, actor):
        self._toggle("m_unreblog", actor, actor.reblogs, "reblog", "unreblog", True)

    def m_bookmark(self, actor):
        self._toggle("m_bookmark", actor, actor.bookmarks, "bookmark", "unbookmark", False)

    def m_unbookmark(self, actor):
        self._toggle("m_unbookmark", actor, actor.bookmarks, "bookmark", "unbookmark", True)

    def m_delete(self, actor):
        if not actor.deletable:
            return self.m_post(actor)
        pk = actor.deletable.pop()
        if self.call("m_delete", "DELETE", f"/api/v1/statuses/{pk}", actor)[0] == 200:
            actor.deleted.append(pk)  # SelfCommunity's restore brings it back

    def m_poll(self, actor):
        if self.shared.polls:
            poll = self.rng.choice(self.shared.polls)[0]
            self.call("m_poll", "GET", f"/api/v1/polls/{poll}", actor)

    def m_poll_vote(self, actor):
        open_polls = [p for p in self.shared.polls
                      if p[2] != actor.id and p[0] not in actor.polls_voted]
        if not open_polls:
            return self.m_post(actor)
        poll, options, _ = self.rng.choice(open_polls)
        actor.polls_voted.add(poll)
        self.call("m_poll_vote", "POST", f"/api/v1/polls/{poll}/votes", actor,
                  body={"choices": [str(self.rng.randrange(options))]})

    # --- SelfCommunity
    def sc_list(self, actor):
        offset = self.rng.choice([0, 0, 0, 20, 40, 100])
        self.call("sc_list", "GET", f"/api/v2/status/?limit=20&offset={offset}", actor)

    def sc_status(self, actor):
        self.call("sc_status", "GET", f"/api/v2/status/{self.rng.choice(self.shared.top_level)}/",
                  actor)

    def sc_feed(self, actor):
        self.call("sc_feed", "GET", "/api/v2/feed/?limit=20", actor)

    def sc_post(self, actor):
        body = {"action": None, "text": f"<p>{self.text('contribution')}</p>", "categories": []}
        code, status = self.call("sc_post", "POST", "/api/v2/status/", actor, body=body)
        if code != 201:
            return
        if self.rng.random() < 0.4:
            actor.deletable.append(status["id"])
        else:
            self.shared.top_level.append(status["id"])
            self.shared.public.append(status["id"])

    def sc_vote(self, actor):
        pk = self.rng.choice(self.shared.top_level)
        reaction = self.rng.choice(self.shared.reactions)
        # The spec's toggle: a vote, another reaction (a switch), or the same (withdrawn).
        code, _ = self.call("sc_vote", "POST", f"/api/v2/status/{pk}/vote/?reaction={reaction}",
                            actor)
        if code == 204:
            if actor.votes.get(pk) == reaction:
                del actor.votes[pk]
            else:
                actor.votes[pk] = reaction

    def sc_unvote(self, actor):
        if not actor.votes:
            return self.sc_vote(actor)
        pk = self.rng.choice(list(actor.votes))
        reaction = actor.votes.pop(pk)
        self.call("sc_unvote", "POST", f"/api/v2/status/{pk}/vote/?reaction={reaction}", actor)

    def sc_comment(self, actor):
        body = {"status": self.rng.choice(self.shared.top_level),
                "text": f"<p>{self.text('comment')}</p>"}
        self.call("sc_comment", "POST", "/api/v2/comment/", actor, body=body)

    def sc_comments(self, actor):
        self.call("sc_comments", "GET",
                  f"/api/v2/comment/?status={self.rng.choice(self.shared.top_level)}&limit=20",
                  actor)

    def sc_delete(self, actor):
        if not actor.deletable:
            return self.sc_post(actor)
        pk = actor.deletable.pop()
        if self.call("sc_delete", "DELETE", f"/api/v2/status/{pk}/", actor)[0] == 204:
            actor.deleted.append(pk)

    def sc_restore(self, actor):
        if not actor.deleted:
            return self.sc_delete(actor)
        pk = actor.deleted.pop()
        if self.call("sc_restore", "POST", f"/api/v2/status/{pk}/restore/", actor)[0] == 204:
            actor.deletable.append(pk)


def run_load(args, port: int, world: World) -> list[Client]:
    actors = [Actor(pk, token) for pk, token in world.accounts]
    shared = Shared(world)
    stop_at = time.monotonic() + args.duration
    clients = [Client(i, port, actors[i::args.threads], shared, stop_at, args.seed)
               for i in range(args.threads)]
    for client in clients:
        client.start()
    for client in clients:
        client.join(args.duration + 120)
    return clients


# --- the figures -------------------------------------------------------------------------------

def percentile(ordered: list[float], fraction: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(int(fraction * len(ordered)), len(ordered) - 1)]


def summarise(clients: list[Client], elapsed: float) -> dict:
    latencies: dict[str, list[float]] = defaultdict(list)
    codes: dict[str, Counter] = defaultdict(Counter)
    failures: Counter = Counter()
    for client in clients:
        for kind, values in client.latencies.items():
            latencies[kind].extend(values)
        for kind, counter in client.codes.items():
            codes[kind].update(counter)
        failures.update(client.failures)
    totals: Counter = Counter()
    for counter in codes.values():
        totals.update(counter)
    kinds = {}
    for kind, _ in KINDS:
        ordered = sorted(latencies.get(kind, []))
        kinds[kind] = {"requests": sum(codes[kind].values()),
                       "codes": {str(c): n for c, n in sorted(codes[kind].items(), key=str)},
                       "p50_ms": round(percentile(ordered, 0.50) * 1000, 1),
                       "p99_ms": round(percentile(ordered, 0.99) * 1000, 1)}
    requests = sum(totals.values())
    everything = sorted(v for values in latencies.values() for v in values)
    return {
        "requests": requests, "seconds": round(elapsed, 1),
        "requests_per_second": round(requests / elapsed, 1) if elapsed else 0.0,
        "codes": {str(c): n for c, n in sorted(totals.items(), key=str)},
        "server_errors": sum(n for c, n in totals.items() if isinstance(c, int) and c >= 500),
        "rate_limited": totals.get(429, 0),
        "no_answer": totals.get("no answer", 0),
        "failures": dict(failures),
        "p50_ms": round(percentile(everything, 0.50) * 1000, 1),
        "p99_ms": round(percentile(everything, 0.99) * 1000, 1),
        "kinds": kinds,
    }


def report(figures: dict, counters: dict, args) -> str:
    lines = [
        f"soak: {args.duration:.0f} s, {args.threads} client threads, {args.accounts} accounts, "
        f"{args.statuses} seeded statuses, rate limits {'off' if args.no_rate_limits else 'on'}",
        f"requests: {figures['requests']} ({figures['requests_per_second']} req/s), "
        f"p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms",
        "answers: " + ", ".join(f"{code}: {n}" for code, n in figures["codes"].items()
                                if code not in ("429",)),
        f"429 (rate limits, expected when hit): {figures['rate_limited']}",
        f"5xx: {figures['server_errors']}, without an answer: {figures['no_answer']}"
        + (f" {figures['failures']}" if figures["failures"] else ""),
        "",
        "| kind | requests | p50 ms | p99 ms | answers |",
        "|---|---:|---:|---:|---|",
    ]
    for kind, row in figures["kinds"].items():
        answers = ", ".join(f"{code}: {n}" for code, n in row["codes"].items())
        lines.append(f"| {kind} | {row['requests']} | {row['p50_ms']} | {row['p99_ms']} | "
                     f"{answers} |")
    lines += ["", f"check_counters: {'passed' if counters['passed'] else 'FAILED'}"]
    if not counters["passed"]:
        lines.append(counters["output"].strip())
    return "\n".join(lines)


def check_counters() -> dict:
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import connections

    out = StringIO()
    try:
        call_command("check_counters", stdout=out)
        passed = True
    except CommandError as error:
        out.write(f"\n{error}")
        passed = False
    connections.close_all()
    return {"passed": passed, "output": out.getvalue()}


def main(argv=None) -> int:
    args = parse_args(argv)
    url = database_url(args)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings",
           "DEBUG": "0", "LOG_LEVEL": "ERROR",
           "RATE_LIMITS_ENABLED": "0" if args.no_rate_limits else "1"}
    if env.get("REDIS_URL") and not is_loopback(urlsplit(env["REDIS_URL"]).hostname):
        raise SystemExit("soak: refusing REDIS_URL on another machine (loopback only)")
    os.environ.update(env)
    create_database(url)
    server = None
    try:
        world = prepare(args)
        with tempfile.TemporaryDirectory(prefix="soak-") as workdir:
            server, port, log = start_server(args, env, Path(workdir))
            print(f"soak: serving on 127.0.0.1:{port}; {args.threads} threads for "
                  f"{args.duration:.0f} s", file=sys.stderr)
            started = time.monotonic()
            clients = run_load(args, port, world)
            elapsed = time.monotonic() - started
            stopped = stop_server(server)
            server = None
            figures = summarise(clients, elapsed)
            figures["server_exit"] = stopped
            if figures["server_errors"] or figures["no_answer"]:
                print(log.read_text()[-5000:], file=sys.stderr)
        counters = check_counters()
        text = report(figures, counters, args)
        print(text)
        if args.json:
            Path(args.json).write_text(json.dumps(
                {"args": vars(args), "figures": figures, "check_counters": counters}, indent=1))
        failed = figures["server_errors"] or figures["no_answer"] or not counters["passed"]
        return 1 if failed else 0
    finally:
        if server is not None:
            stop_server(server)
        if not args.keep_database:
            drop_database(url)


if __name__ == "__main__":
    sys.exit(main())

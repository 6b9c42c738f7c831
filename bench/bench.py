"""`make bench`: seed a PostgreSQL database, serve it with gunicorn (2 sync workers, rate limits
off) beside the bare view of bench/bare.py, measure every hot endpoint with wrk in interleaved
rounds, and write a markdown table (ratios to the bare view included) and a PNG plot into
bench/results/.

Usage: .venv/bin/python bench/bench.py [--statuses 100000] [--accounts 10000] [--duration 5]
       [--rounds 3] [--fresh] [--only sc_chunked,sc_get]
Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/
duostatus_bench_<statuses>) and wrk. The seed is idempotent: a second run reuses the database.
"""

import argparse
import functools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
APP_PORT, BARE_PORT = 8111, 8112
APP = f"http://127.0.0.1:{APP_PORT}"

# (key, label, target ratio or None): the targets, as ratios to the bare view.
ENDPOINTS = [
    ("bare", "bare Django view", None),
    ("get", "GET a status (token)", 0.50),
    ("get_anon", "GET a status (anonymous)", 0.50),
    ("post", "POST a status", 0.20),
    ("context", "context, 200 replies (token)", 0.10),
    ("favourited_by", "favourited_by (token)", None),
    ("home", "home timeline, 20 (token)", None),
    ("list", "list timeline, 20 (token)", None),
    ("public", "public timeline, 20 (token)", 0.15),
    ("sc_get", "SelfCommunity GET a status (token)", 0.40),
    ("sc_list", "SelfCommunity list of 20 (token)", 0.15),
    ("sc_post", "SelfCommunity POST a status", None),
    ("sc_user_feed", "SelfCommunity user feed, 20 (token)", None),
    ("conversations", "conversations, 20 (token)", None),
    ("notifications", "grouped notifications, 40 (token)", None),
    # Not one request: uploads per second, each a 10 MB PNG sent as react-ui sends it (pieces
    # of 2 MB, then complete) and processed; p50/p99 are of whole uploads.
    ("sc_chunked", "SelfCommunity chunked upload of 10 MB, 5 pieces (uploads/s)", None),
]
# Rows measured by a Python driver instead of wrk (several requests make one measurement).
CHUNKED = "chunked"
CHUNKED_BYTES, CHUNKED_PIECES, CHUNKED_CLIENTS = 10 * 1024 * 1024, 5, 2


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statuses", type=int, default=int(os.environ.get("STATUSES", 100_000)))
    parser.add_argument("--accounts", type=int, default=int(os.environ.get("ACCOUNTS", 10_000)))
    parser.add_argument("--duration", type=int, default=int(os.environ.get("DURATION", 5)),
                        help="seconds per measurement")
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("ROUNDS", 3)))
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument("--only", default="", help="comma-separated row keys to measure (the "
                        "bare view is always measured: the ratios need it)")
    args = parser.parse_args()
    known = [key for key, _, _ in ENDPOINTS]
    wanted = [key for key in args.only.split(",") if key]
    unknown = sorted(set(wanted) - set(known))
    if unknown:
        parser.error(f"unknown rows {unknown}; rows: {', '.join(known)}")
    args.rows = [key for key in known if not wanted or key == "bare" or key in wanted]
    return args


def setup_database(args) -> str:
    name = f"duostatus_bench_{args.statuses}"
    url = os.environ.get("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{name}")
    if "BENCH_DATABASE_URL" not in os.environ:
        psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-v", "ON_ERROR_STOP=1"]
        if args.fresh:
            subprocess.run(psql + ["-c", f"DROP DATABASE IF EXISTS {name}"], check=True)
        exists = subprocess.run(
            psql + ["-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
            check=True, capture_output=True, text=True).stdout.strip()
        if not exists:
            subprocess.run(psql + ["-c", f"CREATE DATABASE {name}"], check=True)
    return url


def seed(args) -> dict:
    """Migrate, seed, and pick the targets; returns what the measurements need."""
    import django
    from django.core.management import call_command

    django.setup()
    from django.db.models import Q

    from accounts.models import Visibility
    from statuses.models import Status

    call_command("migrate", "--noinput", verbosity=0)
    out = StringIO()
    started = time.monotonic()
    call_command("seed", "--accounts", str(args.accounts), "--statuses", str(args.statuses),
                 "--replies", "200", stdout=out)
    seeding = time.monotonic() - started
    text = out.getvalue()
    print(text.replace("\r", "\n").split("\n")[-2] if text else "", file=sys.stderr)
    root = int(re.search(r"Thread root: (\d+)", text).group(1))
    token_out = StringIO()
    call_command("create_token", "alice", stdout=token_out)
    conversations_of_alice(20)
    notifications_of_alice(400)
    bench_list = list_of_alice(100)
    loaded = Status.objects.filter(account__username__startswith="load_", reblog_of__isnull=True,
                                   in_reply_to__isnull=True, deleted_at__isnull=True,
                                   visibility=Visibility.PUBLIC, addressed=False)
    # A plain public status with likes (the common case), a SelfCommunity one, and the most
    # liked status for favourited_by.
    status = loaded.filter(text_format="plain", likes_count__gt=0).order_by("pk").first()
    contribution = loaded.filter(text_format="html").order_by("pk").first()
    popular = loaded.filter(~Q(pk=status.pk)).order_by("-likes_count", "pk").first()
    return {"root": root, "token": token_out.getvalue().strip(), "status": status.pk,
            "contribution": contribution.pk, "popular": popular.pk,
            # The author of the SelfCommunity status, for an account's feed.
            "writer": contribution.account_id,
            "list": bench_list,
            "popular_likes": popular.likes_count, "seed_seconds": round(seeding, 1),
            "statuses_in_db": Status.objects.count()}


def conversations_of_alice(wanted: int) -> None:
    """Alice's conversations for the conversations row: direct statuses to her from seeded
    accounts, posted through the service (so each is a conversation of hers), up to `wanted`
    (a second run adds none)."""
    from accounts.models import Account
    from conversations.models import AccountConversation
    from statuses import services

    alice = Account.objects.get(username="alice")
    missing = wanted - AccountConversation.objects.filter(account=alice).count()
    if missing <= 0:
        return
    senders = Account.objects.filter(username__startswith="load_").order_by("pk")[:missing]
    for i, sender in enumerate(senders):
        services.status_create(account=sender, text=f"@alice a word between us, {i}",
                               visibility="direct")


def list_of_alice(wanted: int) -> int:
    """Alice's list for the list timeline row: herself and up to `wanted` of the accounts she
    follows (a second run adds none). Its id."""
    from accounts.models import Account, Follow
    from lists.models import ListMember, UserList

    alice = Account.objects.get(username="alice")
    lst, made = UserList.objects.get_or_create(account=alice, title="bench")
    if made:
        follows = Follow.objects.filter(account=alice, accepted=True).order_by("pk")[:wanted]
        ListMember.objects.bulk_create(
            [ListMember(list=lst, account=alice),
             *(ListMember(list=lst, account_id=f.target_id, follow=f) for f in follows)])
    return lst.pk


def notifications_of_alice(wanted: int) -> None:
    """Alice's notifications for the grouped row: seeded accounts favourite, boost and mention
    her statuses through the services (so each is a notification of hers, grouped as Mastodon
    groups them), up to `wanted` (a second run adds none)."""
    from accounts.models import Account, Visibility
    from notifications.models import Notification
    from statuses import services
    from statuses.models import Status

    alice = Account.objects.get(username="alice")
    missing = wanted - Notification.objects.filter(recipient=alice).count()
    if missing <= 0:
        return
    mine = list(Status.objects.filter(account=alice, visibility=Visibility.PUBLIC,
                                      reblog_of__isnull=True, deleted_at__isnull=True)
                .order_by("-pk").values_list("pk", flat=True)[:20])
    if not mine:
        mine = [services.status_create(account=alice, text="Something to favourite",
                                       visibility="public").pk]
    senders = list(Account.objects.filter(username__startswith="load_").order_by("pk")[:missing])
    for i, sender in enumerate(senders):
        target = mine[i % len(mine)]
        if i % 4 == 3:
            services.status_create(account=sender, text=f"@alice about that, {i}",
                                   visibility="public")
        elif i % 4 == 2:
            services.status_reblog(account=sender, status_id=target)
        else:
            services.status_favourite(account=sender, status_id=target)


def start_servers(env: dict) -> list[subprocess.Popen]:
    gunicorn = str(ROOT / ".venv" / "bin" / "gunicorn")
    common = ["-w", "2", "--log-level", "error"]
    servers = [
        subprocess.Popen([gunicorn, "config.wsgi", "-b", f"127.0.0.1:{APP_PORT}", *common],
                         cwd=ROOT, env=env),
        subprocess.Popen([gunicorn, "bench.bare:application", "-b", f"127.0.0.1:{BARE_PORT}",
                          *common], cwd=ROOT, env=env),
    ]
    for url in (f"http://127.0.0.1:{BARE_PORT}/bare", f"{APP}/api/v1/instance"):
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit(f"server did not answer {url}")
    return servers


def _seconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def wrk(url: str, *, script: str | None, duration: int, connections: int, env: dict) -> dict:
    # A long timeout: a slow endpoint is measured as slow, not as 0 req/s of timeouts.
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout",
               "60s"]
    if script:
        command += ["-s", str(ROOT / "bench" / script)]
    output = subprocess.run(command + [url], check=True, capture_output=True, text=True,
                            env=env).stdout
    _drain()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _seconds(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _seconds(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: .*", output)
    return {"rps": rps, "p50": p50, "p99": p99, "non2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(0) if errors else ""}


def _drain() -> None:
    """Wait until the app has finished the requests wrk left queued (sync workers go on with
    them after wrk disconnects), so the next measurement starts on an idle server."""
    for _ in range(600):
        started = time.monotonic()
        try:
            urllib.request.urlopen(f"{APP}/api/v1/instance", timeout=60).read()
        except OSError:
            pass
        if time.monotonic() - started < 0.5:
            return
        time.sleep(0.5)


def targets(picked: dict) -> dict:
    return {
        "bare": (f"http://127.0.0.1:{BARE_PORT}/bare", None),
        "get": (f"{APP}/api/v1/statuses/{picked['status']}", "auth.lua"),
        "get_anon": (f"{APP}/api/v1/statuses/{picked['status']}", None),
        "post": (f"{APP}/api/v1/statuses", "post.lua"),
        "context": (f"{APP}/api/v1/statuses/{picked['root']}/context", "auth.lua"),
        "favourited_by": (f"{APP}/api/v1/statuses/{picked['popular']}/favourited_by",
                          "auth.lua"),
        "home": (f"{APP}/api/v1/timelines/home?limit=20", "auth.lua"),
        "list": (f"{APP}/api/v1/timelines/list/{picked['list']}?limit=20", "auth.lua"),
        "public": (f"{APP}/api/v1/timelines/public?limit=20", "auth.lua"),
        "sc_get": (f"{APP}/api/v2/status/{picked['contribution']}/", "auth.lua"),
        "sc_list": (f"{APP}/api/v2/status/?limit=20", "auth.lua"),
        "sc_post": (f"{APP}/api/v2/status/", "sc_post.lua"),
        "sc_user_feed": (f"{APP}/api/v2/user/{picked['writer']}/feed/?limit=20", "auth.lua"),
        "conversations": (f"{APP}/api/v1/conversations?limit=20", "auth.lua"),
        "notifications": (f"{APP}/api/v2/notifications?limit=40", "auth.lua"),
        "sc_chunked": (APP, CHUNKED),
    }


def check_answers(picked: dict, token: str, rows: list[str]) -> None:
    """Every GET answers 200 before it is measured (a 404 would be measured as fast)."""
    for key, (url, script) in targets(picked).items():
        if key not in rows:
            continue
        if key in ("post", "sc_post", "sc_chunked"):
            continue
        request = urllib.request.Request(url)
        if script:
            request.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(request, timeout=120) as response:
            if response.status != 200:
                raise SystemExit(f"{key}: {url} answered {response.status}")


@functools.cache
def noisy_png(size: int) -> bytes:
    """A PNG of random pixels weighing about `size` bytes (noise does not compress)."""
    from io import BytesIO

    from PIL import Image

    side = int((size / 3) ** 0.5)
    buffer = BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG",
                                                                            compress_level=1)
    return buffer.getvalue()


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = "bench" + os.urandom(12).hex()
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())
    for name, data in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="blob"\r\nContent-Type: application/octet-stream\r\n\r\n'
                     .encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def chunked_upload(connection, token: str, data: bytes, pieces: int) -> int:
    """One upload as react-ui makes it: the pieces, then complete; returns the media's id (the
    measured part), raising on any answer but 201."""
    import hashlib

    size = -(-len(data) // pieces)
    upload_id = None
    for start in range(0, len(data), size):
        piece = data[start:start + size]
        body, kind = _multipart({"upload_id": upload_id} if upload_id else {}, {"image": piece})
        answer = _send(connection, "/api/v2/media/upload/chunk/", body, {
            "Content-Type": kind, "Authorization": f"Bearer {token}",
            "Content-Range": f"bytes {start}-{start + len(piece) - 1}/{len(data)}"})
        upload_id = answer["upload_id"]
    body, kind = _multipart({"upload_id": upload_id, "type": "image",
                             "md5": hashlib.md5(data).hexdigest()}, {})
    return _send(connection, "/api/v2/media/upload/complete/", body, {
        "Content-Type": kind, "Authorization": f"Bearer {token}"})["id"]


def _send(connection, path: str, body: bytes | None, headers: dict, method: str = "POST",
          expect: int = 201):
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    content = response.read()
    if response.status != expect:
        raise RuntimeError(f"{method} {path}: {response.status} {content[:300]!r}")
    return json.loads(content) if content else None


def measure_chunked(base: str, token: str, *, duration: int, clients: int = CHUNKED_CLIENTS,
                    data: bytes | None = None, pieces: int = CHUNKED_PIECES) -> dict:
    """`clients` threads upload `data` in `pieces` pieces for `duration` seconds, each upload
    timed from its first piece to the answer of complete; the media are deleted afterwards
    (untimed), so the disk does not fill up. The result is shaped as `wrk`'s."""
    import http.client
    import threading
    from urllib.parse import urlsplit

    data = data if data is not None else noisy_png(CHUNKED_BYTES)
    address = urlsplit(base)
    times: list[float] = []
    made: list[int] = []
    failures: list[str] = []
    deadline = time.monotonic() + duration

    def client():
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=120)
        try:
            while time.monotonic() < deadline:
                started = time.monotonic()
                try:
                    made.append(chunked_upload(connection, token, data, pieces))
                except (RuntimeError, OSError, http.client.HTTPException) as error:
                    failures.append(str(error))
                    connection.close()
                    continue
                times.append(time.monotonic() - started)
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=120)
    for media_id in made:
        _send(connection, f"/api/v2/media/{media_id}/", None,
              {"Authorization": f"Bearer {token}"}, method="DELETE", expect=204)
    connection.close()
    ordered = sorted(times) or [0.0]
    return {"rps": len(times) / elapsed, "p50": statistics.median(ordered),
            "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
            "non2xx": len(failures), "socket_errors": failures[0][:200] if failures else ""}


def run_row(url: str, script: str | None, *, duration: int, connections: int, env: dict) -> dict:
    if script == CHUNKED:
        return measure_chunked(url, env["TOKEN"], duration=duration)
    return wrk(url, script=script, duration=duration, connections=connections, env=env)


def measure(args, picked: dict, env: dict) -> dict:
    runs: dict[str, list[dict]] = {key: [] for key in args.rows}
    plan = targets(picked)
    for key in args.rows:  # warm-up: imports, connections, caches
        url, script = plan[key]
        run_row(url, script, duration=1, connections=args.connections, env=env)
    for round_no in range(args.rounds):
        for key in args.rows:
            url, script = plan[key]
            result = run_row(url, script, duration=args.duration,
                             connections=args.connections, env=env)
            runs[key].append(result)
            print(f"round {round_no + 1}/{args.rounds} {key:14s} {result['rps']:8.0f} req/s "
                  f"p50 {result['p50'] * 1000:6.1f} ms p99 {result['p99'] * 1000:6.1f} ms"
                  + (f" non-2xx {result['non2xx']}" if result["non2xx"] else ""),
                  file=sys.stderr)
    return runs


def summarise(runs: dict) -> list[dict]:
    rows = []
    for key, label, target in ENDPOINTS:
        if key not in runs:
            continue
        results = runs[key]
        # Each round's ratio is to the bare view of the same round; the median of rounds.
        ratios = [r["rps"] / b["rps"] for r, b in zip(results, runs["bare"], strict=True)]
        ratio = statistics.median(ratios)
        rows.append({
            "key": key, "label": label, "target": target,
            "rps": statistics.median(r["rps"] for r in results),
            "p50": statistics.median(r["p50"] for r in results),
            "p99": statistics.median(r["p99"] for r in results),
            "ratio": ratio, "ratios": ratios,
            "non2xx": sum(r["non2xx"] for r in results),
            "meets": None if target is None else ratio >= target,
        })
    return rows


def table(rows: list[dict], meta: dict) -> str:
    lines = [
        f"Statuses in the database: {meta['statuses_in_db']:,} (seeded {meta['statuses']:,} "
        f"with {meta['accounts']:,} accounts); {meta['rounds']} interleaved rounds of "
        f"{meta['duration']} s per endpoint, wrk -t1 -c{meta['connections']}, gunicorn 2 sync "
        f"workers, rate limits off; {meta['when']}. Medians of the rounds; ratio = endpoint "
        "req/s / bare view req/s in the same round. Noisy: a shared 2-core machine.",
        "",
        "| endpoint | req/s | p50 ms | p99 ms | ratio | target | |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        verdict = "" if r["meets"] is None else ("meets" if r["meets"] else "misses")
        if r["non2xx"]:
            verdict += f" ({r['non2xx']} non-2xx)"
        target = "" if r["target"] is None else f">= {r['target']:.2f}"
        rate = f"{r['rps']:.2f}" if r["rps"] < 10 else f"{r['rps']:.0f}"
        lines.append(f"| {r['label']} | {rate} | {r['p50'] * 1000:.1f} | "
                     f"{r['p99'] * 1000:.1f} | {r['ratio']:.2f} | {target} | {verdict} |")
    return "\n".join(lines) + "\n"


def plot(rows: list[dict], meta: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = [r for r in rows if r["key"] != "bare"]
    labels = [r["label"] for r in shown][::-1]
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 6), sharey=True)
    colours = ["#999999" if r["meets"] is None else ("#2e7d32" if r["meets"] else "#c62828")
               for r in shown][::-1]
    left.barh(labels, [r["ratio"] for r in shown][::-1], color=colours)
    for y, r in enumerate(shown[::-1]):
        if r["target"] is not None:
            left.plot([r["target"]] * 2, [y - 0.4, y + 0.4], color="black", linewidth=2)
    left.set_xlabel("req/s as a ratio to the bare view (black: target)")
    right.barh(labels, [r["p50"] * 1000 for r in shown][::-1], color="#1565c0", label="p50")
    right.barh(labels, [(r["p99"] - r["p50"]) * 1000 for r in shown][::-1],
               left=[r["p50"] * 1000 for r in shown][::-1], color="#90caf9", label="p99")
    right.set_xlabel("latency, ms")
    right.legend()
    bare = next(r for r in rows if r["key"] == "bare")
    fig.suptitle(f"Duostatus, {meta['statuses_in_db']:,} statuses; bare view "
                 f"{bare['rps']:.0f} req/s ({meta['when']}, noisy shared machine)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    args = parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is required: apt-get install wrk")
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    env = dict(os.environ, DATABASE_URL=setup_database(args), DJANGO_SETTINGS_MODULE=
               "config.settings", INSTANCE_DOMAIN=f"127.0.0.1:{APP_PORT}", DEBUG="0",
               LOG_LEVEL="ERROR", RATE_LIMITS_ENABLED="0")
    os.environ.update(env)
    picked = seed(args)
    env["TOKEN"] = picked["token"]
    subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "manage.py", "collectstatic",
                    "--noinput", "-v", "0"], check=True, env=env)
    servers = start_servers(env)
    try:
        check_answers(picked, picked["token"], args.rows)
        runs = measure(args, picked, env)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
    rows = summarise(runs)
    meta = {"statuses": args.statuses, "accounts": args.accounts, "rounds": args.rounds,
            "duration": args.duration, "connections": args.connections,
            "statuses_in_db": picked["statuses_in_db"], "seed_seconds": picked["seed_seconds"],
            "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / (f"bench-{args.statuses}" if len(args.rows) == len(ENDPOINTS) else
                      f"bench-{args.statuses}-{'-'.join(k for k in args.rows if k != 'bare')}")
    markdown = table(rows, meta)
    stem.with_suffix(".md").write_text(markdown)
    stem.with_suffix(".json").write_text(json.dumps({"meta": meta, "rows": rows, "runs": runs,
                                                     "targets": {k: v for k, v in picked.items()
                                                                 if k != "token"}}, indent=1))
    plot(rows, meta, stem.with_suffix(".png"))
    print(markdown)
    print(f"Written: {stem}.md, {stem}.png, {stem}.json")


if __name__ == "__main__":
    main()

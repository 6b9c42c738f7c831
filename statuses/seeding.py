"""The bulk load behind `manage.py seed --accounts N --statuses M`: realistic rows generated from
seeded random generators, written with COPY on PostgreSQL (bulk_create elsewhere), each row with
its counters counted while the load is generated, so they equal what the services would keep
(`manage.py check_counters` proves it). notes/seed.md says how a million statuses fit in minutes.

The services are not used for the statuses (one status through `status_create` costs a dozen
queries; a million would take hours), but the renderings are the services' own functions, so a
loaded status reads exactly like one posted through either dialect.
"""

import json
import multiprocessing
import queue
import random
import threading
from collections import deque
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from accounts.models import Account, Follow, Visibility
from categories.models import Category, Reaction, Tag, TagType
from config import instance
from media.models import MediaAttachment, MediaKind
from statuses import counters, html_text, rendering
from statuses.models import (
    Bookmark,
    Flag,
    Hashtag,
    Mention,
    Poll,
    PollVote,
    QuotePolicy,
    Status,
    StatusFollow,
    StatusTag,
    StatusView,
    TextFormat,
    Vote,
)
from statuses.services.posting import sc_renderings_for_plain

LOAD_PREFIX = "load_"
WORDS = (
    "garden radio python tower river coffee morning winter market bicycle library concert "
    "harbour lantern meadow orchard pebble quartz saddle timber velvet willow"
).split()
FILLER = (
    "the a of and to in is was for on with at by from that this it today again almost never "
    "always quietly bright small big old new early late"
).split()
HASHTAGS = WORDS[:12]
TOPICS = ["Gardening tips", "Shortwave", "Python", "Cycling", "Coffee", "Concerts", "Markets",
          "Libraries", "Harbours", "Winter sports"]
USER_TAGS = ["team-red", "team-blue", "volunteers", "editors", "beta-testers"]
CONTRIBUTION_TAGS = ["question", "announcement", "how-to", "photo", "event"]
ACTIONS = ["is reading", "is cooking", "is travelling", "is listening"]
BLURHASH = "LEHV6nWB2yk8pyo0adR*.7kCMdnj"
START = datetime(2025, 1, 1, tzinfo=UTC)
WINDOW = 3000  # recent statuses a reply, reblog or share picks its target from
WORKERS = 2  # processes making the texts and the rows around them for a large load
WORKERS_FROM = 5000  # statuses from which a load forks them (fewer are made in line)

Progress = Callable[[str, int, int], None]


class Writer:
    """Buffered inserts of rows given as tuples (or lists) in the column order of their `Table`:
    COPY on PostgreSQL, bulk_create elsewhere.

    On PostgreSQL the rows are formatted straight into COPY text, and a background thread
    (started with the first batch) sends each batch while the caller generates the next one:
    the server's work on a batch overlaps the Python that makes the following one. Only that
    thread touches the connection until `flush()` returns, so a caller must `flush()` before
    querying."""

    def __init__(self, batch: int = 20000):
        self.batch = batch
        self.copy = connection.vendor == "postgresql"
        self.now = timezone.now()
        self.tables: list[Table] = []
        self._sender: _CopySender | None = None

    def table(self, model, columns: tuple[str, ...]) -> "Table":
        table = Table(self, model, columns)
        self.tables.append(table)
        return table

    def send(self, sql: str, data: str) -> None:
        if self._sender is None:
            connection.ensure_connection()
            self._sender = _CopySender(connection.connection)
        self._sender.send(sql, data)

    def flush(self) -> None:
        """Every buffered row written; the connection is the caller's again."""
        for table in self.tables:
            table.flush()
        if self._sender is not None:
            self._sender.wait()

    def close(self) -> None:
        """Flush, and stop the sending thread (also when the load failed)."""
        try:
            self.flush()
        finally:
            if self._sender is not None:
                self._sender.stop()

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if kind is None:
            self.close()
        elif self._sender is not None:
            self._sender.stop()


class _CopySender:
    """Runs the COPY of each batch handed over, in order, on one thread (psycopg releases the
    GIL while it waits on the server). The first error is raised at the next send or wait."""

    def __init__(self, raw):
        self.raw = raw
        self.queue: queue.Queue = queue.Queue(maxsize=4)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="seed-copy", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            try:
                if item is None:
                    return
                if self.error is None:
                    sql, data = item
                    with self.raw.cursor() as cursor, cursor.copy(sql) as copy:
                        copy.write(data)
            except BaseException as error:  # handed to the caller's thread
                self.error = error
            finally:
                self.queue.task_done()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def send(self, sql: str, data: str) -> None:
        self._raise()
        self.queue.put((sql, data))

    def wait(self) -> None:
        self.queue.join()
        self._raise()

    def stop(self) -> None:
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()


class Table:
    """One model's rows for a `Writer`: each row gives `columns` (attnames) in order; the other
    columns take their field's default (the time of the load for auto_now fields), the id its
    sequence's next value unless `id` is one of the columns. On PostgreSQL `line` makes a row's
    line of COPY text (also in a worker process, which can hand whole lines to `add_lines`)."""

    def __init__(self, writer: Writer, model, columns: tuple[str, ...]):
        self.writer, self.model, self.columns = writer, model, tuple(columns)
        self.copy = writer.copy
        self.rows: list = []  # rows, or lines of COPY text
        self.pending = 0  # how many rows `rows` holds
        self.count = 0
        if not self.copy:
            return
        fields = {f.attname: f for f in model._meta.concrete_fields}
        rest = [f for f in model._meta.concrete_fields
                if f.attname not in self.columns and not f.primary_key]
        suffix = "".join("\t" + _copy_format(f)(self._default(f)) for f in rest) + "\n"
        names = ", ".join(f'"{f.column}"' for f in [fields[c] for c in self.columns] + rest)
        self.sql = f'COPY "{model._meta.db_table}" ({names}) FROM STDIN'
        # One compiled expression per table: a call per value, no loop.
        namespace = {f"f{i}": _copy_format(fields[c]) for i, c in enumerate(self.columns)}
        namespace["suffix"] = suffix
        values = ", ".join(f"f{i}(r[{i}])" for i in range(len(self.columns)))
        self.line = eval(f"lambda r: '\\t'.join(({values},)) + suffix", namespace)  # noqa: S307

    def _default(self, model_field):
        if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
            return self.writer.now
        return model_field.get_default()  # "" for a blank text column without a default

    def add(self, row) -> None:
        self.rows.append(self.line(row) if self.copy else row)
        self.pending += 1
        if self.pending >= self.writer.batch:
            self.flush()

    def add_lines(self, text: str, n: int) -> None:
        """`n` rows already made into COPY text by `line` (PostgreSQL)."""
        if n:
            self.rows.append(text)
            self.pending += n
            if self.pending >= self.writer.batch:
                self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        self.count += self.pending
        if self.copy:
            self.writer.send(self.sql, "".join(self.rows))
        else:
            self.model.objects.bulk_create(
                [self.model(**dict(zip(self.columns, row, strict=True))) for row in self.rows],
                batch_size=500)
        self.rows, self.pending = [], 0


_NULL = "\\N"


def _escape(value: str) -> str:
    """A text value in COPY's text format (backslash, tab, newline and CR escaped)."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                 .replace("\r", "\\r"))
    return value


def _copy_text(value) -> str:
    return _NULL if value is None else _escape(str(value))


def _copy_int(value) -> str:
    return _NULL if value is None else str(int(value))


def _copy_bool(value) -> str:
    return _NULL if value is None else ("t" if value else "f")


def _copy_time(value) -> str:
    return _NULL if value is None else value.isoformat()


def _copy_json(value) -> str:
    return _NULL if value is None else _escape(json.dumps(value))


def _copy_float(value) -> str:
    return _NULL if value is None else repr(float(value))


_COPY_FORMATS = {
    "JSONField": _copy_json, "BooleanField": _copy_bool, "DateTimeField": _copy_time,
    "FloatField": _copy_float,
}


def _copy_format(model_field) -> Callable:
    null = model_field.null
    if model_field.is_relation:
        model_field = model_field.target_field  # a foreign key's column holds its target's key
    kind = model_field.get_internal_type()
    if kind in _COPY_FORMATS:
        return _COPY_FORMATS[kind]
    if kind.endswith("IntegerField") or kind.endswith("AutoField"):
        # str of an IntegerChoices member is its value's.
        return _copy_int if null else str
    return _copy_text


# Half the words from WORDS, half from FILLER, each list's words equally likely: one list to
# pick from with a single random number per word.
_LEXICON = WORDS * len(FILLER) + FILLER * len(WORDS)


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = rng.choices(_LEXICON, k=rng.randint(low, high))
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice(".!?.")


def accounts_load(*, count: int, seed: int, progress: Progress) -> int:
    """load_0 .. load_{count-1}, with their follows (made once, with the accounts). Returns how
    many accounts were created."""
    rng = random.Random(f"accounts-{seed}")
    present = set(Account.objects.filter(username__startswith=LOAD_PREFIX)
                  .values_list("username", flat=True))
    missing = [i for i in range(count) if f"{LOAD_PREFIX}{i}" not in present]
    now = timezone.now()
    batch = 1000
    for start in range(0, len(missing), batch):
        Account.objects.bulk_create([
            Account(username=f"{LOAD_PREFIX}{i}", display_name=f"Load {i}", password="!",
                    email=f"{LOAD_PREFIX}{i}@example.com", date_joined=now,
                    note=_sentence(rng, 4, 12), bot=rng.random() < 0.02)
            for i in missing[start:start + batch]
        ], ignore_conflicts=True)
        progress("accounts", min(start + batch, len(missing)), len(missing))
    if not missing:
        return 0
    ids = dict(Account.objects.filter(username__startswith=LOAD_PREFIX)
               .values_list("username", "pk"))
    pool = [ids[f"{LOAD_PREFIX}{i}"] for i in range(count)]
    new = {ids[f"{LOAD_PREFIX}{i}"] for i in missing}
    existing = set(Follow.objects.filter(account_id__in=new).values_list("account_id", "target_id"))
    # The demo accounts follow popular load accounts, so their home timelines are full.
    demos = []
    for username, wanted in (("alice", 300), ("bob", 50)):
        demo = Account.objects.filter(username=username).values_list("pk", flat=True).first()
        if demo is not None:
            following = set(Follow.objects.filter(account_id=demo)
                            .values_list("target_id", flat=True))
            demos.append((demo, [t for t in pool[:wanted] if t not in following]))
    with Writer() as writer:
        follows = writer.table(Follow, ("account_id", "target_id", "created_at"))
        for n, follower in enumerate(sorted(new)):
            wanted = min(len(pool) - 1, 3 + int(rng.expovariate(1 / 15)))
            targets: set[int] = set()
            tries = 0
            while len(targets) < wanted and tries < wanted * 4:
                tries += 1
                target = pool[int(len(pool) * rng.random() ** 2)]  # popular ones are followed more
                if target != follower and (follower, target) not in existing:
                    targets.add(target)
            for target in sorted(targets):
                follows.add((follower, target, now))
            if (n + 1) % 1000 == 0 or n + 1 == len(new):
                progress("follows", n + 1, len(new))
        for demo, targets in demos:
            for target in targets:
                follows.add((demo, target, now))
    counters.recompute_accounts()
    return len(missing)


def _load_vocabulary(rng: random.Random, pool: list[int]):
    """Categories, tags (with holders) and reactions the statuses use."""
    categories = []
    for name in TOPICS:
        category, _ = Category.objects.get_or_create(
            name=name, defaults={"slug": name.lower().replace(" ", "-")})
        categories.append(category.pk)
    user_tags, contribution_tags = [], []
    for names, kind, into in ((USER_TAGS, TagType.USER, user_tags),
                              (CONTRIBUTION_TAGS, TagType.CONTRIBUTION, contribution_tags)):
        for name in names:
            tag, created = Tag.objects.get_or_create(type=kind, name=name)
            into.append(tag.pk)
            if created and kind == TagType.USER:
                holders = rng.sample(pool, max(1, len(pool) // 10))
                tag.holders.add(*holders)
    holders: dict[int, set[int]] = {}
    for tag_id, account_id in Tag.holders.through.objects.filter(
            tag_id__in=user_tags).values_list("tag_id", "account_id"):
        holders.setdefault(tag_id, set()).add(account_id)
    reactions = list(Reaction.objects.filter(active=True, is_default=False)
                     .order_by("pk").values_list("pk", flat=True))
    hashtags = {name: h.pk for name, h in zip(
        HASHTAGS, Hashtag.objects.bulk_create(
            [Hashtag(name=n) for n in HASHTAGS], update_conflicts=True,
            unique_fields=["name"], update_fields=["name"]), strict=True)}
    return categories, user_tags, contribution_tags, holders, reactions, hashtags


# A loaded status, as the list the loader fills in (the Writer's row for Status). The counters
# are counted while the load is generated, so they are written with the row: a status is held
# back until nothing can reply to, reblog or share it any more (it left the window of recent
# statuses) and, for a thread root, until its thread can no longer grow (its last_activity_at).
STATUS_COLUMNS = (
    "id", "account_id", "created_at", "last_activity_at", "language", "visibility", "addressed",
    "quote_policy", "reblog_of_id", "in_reply_to_id", "in_reply_to_account_id", "thread_root_id",
    "audience_id", "action", "quote_of_id", "has_poll",
    # What _render returns, in this order.
    "text", "text_format", "html", "sc_html", "summary", "slug", "mention_data", "tag_data",
    # The counters (statuses/counters.py says what each counts).
    "replies_count", "reblogs_count", "likes_count", "media_count", "shares_count",
    "flags_count", "followers_count", "views_count",
)
(_ID, _ACCOUNT, _CREATED, _LAST_ACTIVITY, _LANGUAGE, _VISIBILITY, _ADDRESSED, _QUOTE_POLICY,
 _REBLOG_OF, _IN_REPLY_TO, _IN_REPLY_TO_ACCOUNT, _THREAD_ROOT, _AUDIENCE, _ACTION, _QUOTE_OF,
 _HAS_POLL, _TEXT, _TEXT_FORMAT, _HTML, _SC_HTML, _SUMMARY, _SLUG, _MENTION_DATA, _TAG_DATA,
 _REPLIES, _REBLOGS, _LIKES, _MEDIA, _SHARES, _FLAGS, _FOLLOWERS, _VIEWS) = range(
    len(STATUS_COLUMNS))
_RENDERED = slice(_TEXT, _TAG_DATA + 1)
_COUNTED_REPLY = (Visibility.PUBLIC, Visibility.UNLISTED)  # and SelfCommunity comments
MEDIA_COLUMNS = ("account_id", "status_id", "position", "kind", "file", "small", "content_type",
                 "file_size", "description", "meta", "blurhash", "created_at", "shared_status_id")
POLL_COLUMNS = ("id", "status_id", "options", "tallies", "expires_at", "multiple", "created_at",
                "votes_count", "voters_count")


def _status_row(sid: int, author: int, created: datetime) -> list:
    return [sid, author, created, created, "en", Visibility.PUBLIC, False, QuotePolicy.PUBLIC,
            None, None, None, None, None, None, None, False,
            None, TextFormat.PLAIN, "", "", "", "", [], [],  # text None: not rendered yet
            0, 0, 0, 0, 0, 0, 0, 0]


class _Tables:
    """The Writer's tables of a statuses load. The statuses are written by the loader; the rows
    in SIDE by the workers that make each status's text and the rows around it."""

    SIDE = ("category", "tag", "addressing", "media", "mention", "hashtag", "poll", "poll_vote",
            "vote", "bookmark", "follow", "flag", "view")

    def __init__(self, writer: Writer):
        self.status = writer.table(Status, STATUS_COLUMNS)
        self.category = writer.table(Status.categories.through, ("status_id", "category_id"))
        self.tag = writer.table(Status.tags.through, ("status_id", "tag_id"))
        self.addressing = writer.table(Status.addressing.through, ("status_id", "tag_id"))
        self.media = writer.table(MediaAttachment, MEDIA_COLUMNS)
        self.mention = writer.table(Mention, ("status_id", "account_id"))
        self.hashtag = writer.table(StatusTag, ("status_id", "hashtag_id"))
        self.poll = writer.table(Poll, POLL_COLUMNS)
        self.poll_vote = writer.table(PollVote, ("poll_id", "account_id", "choice", "single",
                                                 "created_at"))
        self.vote = writer.table(Vote, ("status_id", "account_id", "reaction_id", "created_at"))
        self.bookmark = writer.table(Bookmark, ("status_id", "account_id", "created_at"))
        self.follow = writer.table(StatusFollow, ("status_id", "account_id", "created_at"))
        self.flag = writer.table(Flag, ("status_id", "account_id", "flag_type", "created_at"))
        self.view = writer.table(StatusView, ("status_id", "account_id", "created_at"))


@dataclass
class _Context:
    """What the making of a status's text and rows needs besides its job (shared with the
    forked workers)."""

    seed: int
    first_id: int  # the load's first status id
    tags_base: str
    ids: list[int]  # the accounts of the load
    categories: list[int]
    user_tags: list[int]
    contribution_tags: list[int]
    reactions: list[int]
    hashtags: dict[str, int]
    tables: _Tables


class _Done:
    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value


class _Workers:
    """Makes each status's text (the services' renderers: the dearest part of a load) and the
    rows around it (votes, media, polls, mentions, ...) in batches, in forked worker processes
    while the loader goes on with the next statuses; a status row gets what they made before it
    is written (`ready`). Each batch draws from its own generator seeded by the load's seed and
    the batch's place in the load, so the load is the same in line (small loads, or without
    fork)."""

    BATCH = 500

    def __init__(self, *, count: int, context: _Context):
        self.context = context
        self.tables = context.tables
        self.pool = None
        self.rows: list[list] = []
        self.jobs: list[tuple] = []
        self.pending: deque = deque()  # (rows, their result), oldest first
        if count >= WORKERS_FROM and "fork" in multiprocessing.get_all_start_methods():
            # Forked before the Writer starts its thread; the workers never touch the database.
            self.pool = multiprocessing.get_context("fork").Pool(
                WORKERS, initializer=_init_worker, initargs=(context,))

    def add(self, row: list, job: tuple) -> None:
        self.rows.append(row)
        self.jobs.append(job)
        if len(self.jobs) >= self.BATCH:
            self._submit()

    def _submit(self) -> None:
        if not self.jobs:
            return
        if self.pool is None:
            result = _Done(_make_batch(self.jobs, self.context))
        else:
            result = self.pool.apply_async(_make_batch, (self.jobs,))
        self.pending.append((self.rows, result))
        self.rows, self.jobs = [], []

    def ready(self, row: list) -> None:
        """`row` complete (and every row queued before it), the rows around them written."""
        if row[_TEXT] is not None:
            return
        if self.rows and self.rows[0][_ID] <= row[_ID]:
            self._submit()
        while row[_TEXT] is None:
            rows, result = self.pending.popleft()
            made, side = result.get()
            for queued, (rendered, action, *counts) in zip(rows, made, strict=True):
                queued[_RENDERED] = rendered
                queued[_ACTION] = action
                (queued[_LIKES], queued[_MEDIA], queued[_FOLLOWERS], queued[_FLAGS],
                 queued[_VIEWS]) = counts
            for name, (data, n) in side.items():
                table = getattr(self.tables, name)
                if table.copy:
                    table.add_lines(data, n)
                else:
                    for side_row in data:
                        table.add(side_row)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool.join()

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if kind is None:
            self.close()
        elif self.pool is not None:
            self.pool.terminate()


_worker_context: _Context | None = None


def _init_worker(context: _Context) -> None:
    global _worker_context
    _worker_context = context


def _make_batch(jobs: list[tuple], context: _Context | None = None) -> tuple[list, dict]:
    """For each job: (renderings, action, likes, media, followers, flags, views); and per side
    table its rows, as COPY text on PostgreSQL, with how many."""
    context = context or _worker_context
    # Seeded by the batch's place in the load, not its ids (which depend on the database).
    rng = random.Random(f"statuses-{context.seed}-{jobs[0][0] - context.first_id}")
    side: dict[str, list] = {name: [] for name in _Tables.SIDE}
    made = [_make_status(context, rng, job, side) for job in jobs]
    tables = context.tables
    if tables.status.copy:
        return made, {name: ("".join(map(getattr(tables, name).line, rows)), len(rows))
                      for name, rows in side.items()}
    return made, {name: (rows, len(rows)) for name, rows in side.items()}


def _make_status(context: _Context, rng: random.Random, job: tuple, side: dict) -> tuple:
    sid, author, created, html_format, contribution, addressed, mentioned, tag, poll_id = job
    rand = rng.random
    ids = context.ids

    def distinct_accounts(n: int) -> list[int]:
        chosen: set[int] = set()
        while len(chosen) < min(n, len(ids)):
            chosen.add(ids[int(len(ids) * rand())])
        return sorted(chosen)

    words = _sentence(rng, 4, 30)
    link = " https://example.com/" + rng.choice(WORDS) if rand() < 0.04 else ""
    rendered = _render(words, link, tag, html_format, mentioned, context.tags_base)
    action = None
    if contribution:
        action = rng.choice(ACTIONS) if rand() < 0.1 else None
        for category in sorted(set(rng.sample(context.categories, rng.randint(1, 2)))):
            side["category"].append((sid, category))
        if rand() < 0.1:
            side["tag"].append((sid, rng.choice(context.contribution_tags)))
        if addressed:
            side["addressing"].append((sid, rng.choice(context.user_tags)))
    for pk, _ in mentioned:
        side["mention"].append((sid, pk))
    if tag is not None:
        side["hashtag"].append((sid, context.hashtags[tag]))
    media = 0
    if poll_id is not None:
        _make_poll(side, rng, poll_id, sid, created, distinct_accounts)
    elif rand() < 0.08:
        media = rng.randint(1, 4)
        for position in range(media):
            side["media"].append(_media_row(rng, author, sid, position, created))
    likes = followers = flags = views = 0
    if rand() < 0.45:
        voters = distinct_accounts(1 + int(rng.expovariate(1 / 3)))
        likes = len(voters)
        reactions = context.reactions
        for voter in voters:
            reaction = rng.choice(reactions) if reactions and rand() < 0.15 else None
            side["vote"].append((sid, voter, reaction, created))
    if rand() < 0.04:
        side["bookmark"].append((sid, distinct_accounts(1)[0], created))
    if rand() < 0.03:
        side["follow"].append((sid, distinct_accounts(1)[0], created))
        followers = 1
    if rand() < 0.003:
        side["flag"].append((sid, distinct_accounts(1)[0], rng.randrange(5), created))
        flags = 1
    if html_format and rand() < 0.3:
        viewers = distinct_accounts(rng.randint(1, 5))
        views = len(viewers)
        for viewer in viewers:
            side["view"].append((sid, viewer, created))
    return rendered, action, likes, media, followers, flags, views


@dataclass
class Load:
    """What a statuses load wrote that is counted after it: its first status id, and per author
    [statuses counted by statuses_count, the newest one's created_at, those of them carrying a
    poll (polls_count)]. The load writes statuses of type `status` only: posts_count and
    discussions_count do not move."""

    first_id: int
    authored: dict[int, list] = field(default_factory=dict)


def statuses_load(*, count: int, pool: list[Account], seed: int, progress: Progress) -> Load:
    """`count` statuses by the accounts of `pool` (replies, threads, reblogs, polls, media,
    shares, SelfCommunity contributions and comments, mentions, hashtags, addressing) and the
    rows readers leave on them (votes with reactions, bookmarks, follows, flags, views), each
    status with its counters; `after_load` counts the authors'.

    The loader draws the shape of the load (who writes what, when, answering or sharing what,
    seen by whom, mentioning whom); the workers (`_Workers`) make the texts and the rows around
    each status."""
    rng = random.Random(f"statuses-{seed}")
    ids = [a.pk for a in pool]
    position = {pk: i for i, pk in enumerate(ids)}
    names = {a.pk: a.username for a in pool}
    categories, user_tags, contribution_tags, holders, reactions, hashtags = _load_vocabulary(
        rng, ids)
    _skip_foreign_key_triggers()
    base = (Status.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    poll_id = (Poll.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    step = (timezone.now() - START) / max(count, 1)
    # Recent statuses others may answer, reblog or share: (id, author, root, visibility,
    # audience root or None, addressed).
    recent: deque = deque()
    reblogged: set[tuple[int, int]] = set()
    held: dict[int, list] = {}  # rows not written yet, by id
    thread_recent: dict[int, int] = {}  # thread root -> how many of its replies are in `recent`
    closed_roots: set[int] = set()  # roots out of `recent` waiting for their thread to close
    load = Load(first_id=base)
    authored = load.authored
    rand = rng.random

    def pick_account() -> int:
        return ids[int(len(ids) * rand() ** 2)]  # a few accounts write most

    def leave_window() -> None:
        """The oldest recent status can no longer be answered: write it, unless it is a root
        whose thread may still grow; a reply leaving may close its thread."""
        sid, _, root = recent.popleft()[:3]
        if root is not None:
            thread_recent[root] -= 1
            if not thread_recent[root]:
                del thread_recent[root]
                if root in closed_roots:
                    closed_roots.discard(root)
                    write(held.pop(root))
        if sid in thread_recent:
            closed_roots.add(sid)
        else:
            write(held.pop(sid))

    def write(row: list) -> None:
        workers.ready(row)
        tables.status.add(row)

    def count_author(row: list) -> None:
        # statuses/services/authored.py's rule, for rows of type `status`.
        if row[_VISIBILITY] != Visibility.DIRECT:
            mine = authored.get(row[_ACCOUNT])
            if mine is None:
                authored[row[_ACCOUNT]] = [1, row[_CREATED], int(row[_HAS_POLL])]
            else:
                mine[0] += 1
                mine[1] = row[_CREATED]
                mine[2] += int(row[_HAS_POLL])

    with Writer() as writer:
        tables = _Tables(writer)
        context = _Context(seed=seed, first_id=base, tags_base=instance.tags_base_url(), ids=ids,
                           categories=categories, user_tags=user_tags,
                           contribution_tags=contribution_tags, reactions=reactions,
                           hashtags=hashtags, tables=tables)
        with (_Workers(count=count, context=context) as workers,
              _without_secondary_indexes(writer)):
            for k in range(count):
                sid = base + k
                author = pick_account()
                created = START + step * k
                row = _status_row(sid, author, created)
                r = rand()
                target = recent[int(len(recent) * rand())] if recent else None
                shareable = (target is not None and target[3] <= Visibility.UNLISTED
                             and not target[5])
                if (shareable and target[4] is None and r < 0.07
                        and (author, target[0]) not in reblogged):
                    # A reblog: an empty wrapper (Mastodon only), never answered itself.
                    reblogged.add((author, target[0]))
                    row[_REBLOG_OF], row[_VISIBILITY], row[_LANGUAGE] = (target[0], target[3],
                                                                          None)
                    row[_TEXT] = ""
                    held[target[0]][_REBLOGS] += 1
                    count_author(row)
                    tables.status.add(row)
                    _progress_tick(progress, k, count)
                    continue
                mentioned: list[int] = []
                if target is not None and r < 0.37 and not target[5] and (
                        shareable or target[4] is not None):
                    # A reply (or, under a SelfCommunity root, a comment keeping its audience).
                    parent_id, parent_author, root, visibility, audience, addressed = target
                    entry_root = root or parent_id
                    row[_IN_REPLY_TO], row[_IN_REPLY_TO_ACCOUNT] = parent_id, parent_author
                    row[_THREAD_ROOT], row[_VISIBILITY] = entry_root, visibility
                    comment = audience is not None
                    if comment:
                        row[_AUDIENCE], row[_ADDRESSED] = audience, addressed
                    if comment or visibility in _COUNTED_REPLY:
                        held[parent_id][_REPLIES] += 1
                    held[entry_root][_LAST_ACTIVITY] = created  # the newest reply of its thread
                    if parent_author != author and rand() < 0.5:
                        mentioned.append(parent_author)
                    html_format = comment
                else:
                    v = rand()
                    addressed = False
                    if v < 0.72:
                        visibility = Visibility.PUBLIC
                    elif v < 0.82:
                        visibility = Visibility.UNLISTED
                    elif v < 0.92:
                        visibility = Visibility.PRIVATE
                    elif v < 0.96:
                        visibility = Visibility.DIRECT
                    else:
                        visibility, addressed = Visibility.PRIVATE, True
                    html_format = addressed or (visibility == Visibility.PUBLIC and rand() < 0.25)
                    row[_VISIBILITY], row[_ADDRESSED] = visibility, addressed
                    if visibility == Visibility.DIRECT or rand() < 0.12:
                        other = pick_account()
                        if other != author:
                            mentioned.append(other)
                    if visibility == Visibility.DIRECT and not mentioned:
                        mentioned.append(ids[(position[author] + 1) % len(ids)] if len(ids) > 1
                                         else author)
                    entry_root = None
                    comment = False
                if row[_VISIBILITY] not in (Visibility.PUBLIC, Visibility.UNLISTED):
                    row[_QUOTE_POLICY] = QuotePolicy.NOBODY  # private and direct: not quotable
                contribution = html_format and not comment
                if (contribution and shareable and target[3] == Visibility.PUBLIC
                        and target[4] is None and rand() < 0.04 and not row[_ADDRESSED]):
                    # A share: a `share` media linking this status to an earlier public one.
                    row[_QUOTE_OF] = target[0]
                    held[target[0]][_SHARES] += 1
                    tables.media.add((author, sid, 0, MediaKind.SHARE, "", "", "", 0, "", {},
                                      "", created, target[0]))
                poll = None
                if not html_format and entry_root is None and rand() < 0.03:
                    row[_HAS_POLL], poll = True, poll_id
                    poll_id += 1
                tag = rng.choice(HASHTAGS) if rand() < 0.2 else None
                workers.add(row, (sid, author, created, html_format, contribution,
                                  row[_ADDRESSED], [(pk, names[pk]) for pk in mentioned], tag,
                                  poll))
                count_author(row)
                held[sid] = row
                if entry_root is not None:  # first, so the oldest leaving cannot close its thread
                    thread_recent[entry_root] = thread_recent.get(entry_root, 0) + 1
                if len(recent) == WINDOW:
                    leave_window()
                recent.append((sid, author, entry_root, row[_VISIBILITY],
                               row[_AUDIENCE] or (sid if contribution else None),
                               row[_ADDRESSED]))
                _progress_tick(progress, k, count)
            while recent:
                leave_window()
            assert not held, "a loaded status was never written"
    _sync_sequences()
    return load


def after_load(load: Load) -> None:
    """The authors' counters, and fresh planner statistics for the loaded tables."""
    _count_authors(load.authored)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _progress_tick(progress: Progress, k: int, count: int) -> None:
    if (k + 1) % 5000 == 0 or k + 1 == count:
        progress("statuses", k + 1, count)


def _render(words: str, link: str, tag: str | None, html_format: bool,
            mentioned: list[tuple[int, str]], tags_base: str) -> tuple:
    """A status's text and renderings (the services' own functions), in STATUS_COLUMNS' order
    from `text` to `tag_data`. `mentioned`: (account id, username) of its mentions."""
    handles = " ".join(f"@{name}" for _, name in mentioned)
    hashtag = f" #{tag}" if tag else ""
    if html_format:
        text = f"<p>{handles + ' ' if handles else ''}{words}{hashtag}{link}</p>"
        clean = html_text.sanitize(text)
        resolved = {name.lower(): html_text.MentionTarget(id=pk, username=name, ext_id=None,
                                                          url=instance.account_url(name))
                    for pk, name in mentioned}
        rendered = html_text.render(clean, resolved=resolved, tags_base_url=tags_base)
        return (clean, TextFormat.HTML, rendered.content, rendered.html,
                html_text.summary(rendered.plain), html_text.slug(rendered.plain),
                [[m.id, m.username] for m in rendered.mentioned], list(rendered.hashtags))
    text = f"{handles + ' ' if handles else ''}{words}{hashtag}{link}"
    refs = {name.lower(): rendering.MentionRef(username=name, url=instance.account_url(name),
                                               acct=name) for _, name in mentioned}
    html = rendering.render_plain(text, tags_base_url=tags_base, mentions=refs)
    sc_html, summary, slug = sc_renderings_for_plain(
        html=html, text=text, mentions=[(pk, name, None) for pk, name in mentioned])
    return (text, TextFormat.PLAIN, html, sc_html, summary, slug,
            [[pk, name] for pk, name in mentioned], [tag] if tag else [])


def _make_poll(side: dict, rng, poll_id, sid, created, distinct_accounts) -> None:
    options = rng.sample(WORDS, rng.randint(2, 4))
    multiple = rng.random() < 0.2
    tallies = [0] * len(options)
    voters = distinct_accounts(int(rng.expovariate(1 / 4)))
    votes = 0
    for voter in voters:
        choices = (rng.sample(range(len(options)), rng.randint(1, len(options))) if multiple
                   else [rng.randrange(len(options))])
        for choice in sorted(choices):
            side["poll_vote"].append((poll_id, voter, choice, not multiple, created))
            tallies[choice] += 1
            votes += 1
    side["poll"].append((poll_id, sid, options, tallies, created + timedelta(days=1), multiple,
                         created, votes, len(voters)))


def _media_row(rng, author, sid, position, created) -> tuple:
    width, height = rng.choice([(1200, 800), (800, 1200), (1024, 1024), (1600, 900)])
    small_w, small_h = width * 400 // max(width, height), height * 400 // max(width, height)
    name = f"seed-{sid}-{position}.jpg"
    return (
        author, sid, position, MediaKind.IMAGE, f"attachments/{author}/original/{name}",
        f"attachments/{author}/small/{name}", "image/jpeg", rng.randint(40_000, 900_000),
        _sentence(rng, 3, 10) if rng.random() < 0.7 else "",
        {"original": {"width": width, "height": height,
                      "size": f"{width}x{height}", "aspect": width / height},
         "small": {"width": small_w, "height": small_h,
                   "size": f"{small_w}x{small_h}", "aspect": width / height}},
        BLURHASH, created, None,
    )


def _count_authors(authored: dict[int, list]) -> None:
    """The authors' statuses_count, polls_count and last_status_at, grown by what the load wrote
    for them (their earlier statuses were counted by the services)."""
    if connection.vendor != "postgresql":
        changed = []
        for account in Account.objects.filter(pk__in=authored).only(
                "pk", "statuses_count", "polls_count", "last_status_at"):
            n, newest, polls = authored[account.pk]
            account.statuses_count += n
            account.polls_count += polls
            if account.last_status_at is None or account.last_status_at < newest.date():
                account.last_status_at = newest.date()
            changed.append(account)
        Account.objects.bulk_update(changed, ["statuses_count", "polls_count", "last_status_at"],
                                    batch_size=500)
        return
    # One UPDATE from a VALUES list per 5,000 accounts (bulk_update's CASE per row took 12 s
    # for 10,000 accounts).
    a = Account._meta.db_table
    rows = [(pk, n, polls, newest.date())
            for pk, (n, newest, polls) in sorted(authored.items())]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            chunk = rows[start:start + 5000]
            values = ", ".join(["(%s, %s, %s, %s::date)"] * len(chunk))
            cursor.execute(
                f'UPDATE "{a}" SET statuses_count = "{a}".statuses_count + v.n, '
                f'polls_count = "{a}".polls_count + v.p, '
                f'last_status_at = GREATEST("{a}".last_status_at, v.d) '
                f'FROM (VALUES {values}) v(id, n, p, d) WHERE "{a}".id = v.id',
                [value for row in chunk for value in row])


@contextmanager
def _without_secondary_indexes(writer: Writer):
    """The writer's tables, written (on PostgreSQL) without their secondary indexes: they are
    dropped first and built again once every row is written, in the load's transaction (so a
    failed load keeps them). One sorted build costs far less than keeping twenty indexes of
    statuses up to date row by row. Unique and constraint indexes stay: they check the rows."""
    if connection.vendor != "postgresql":
        yield
        return
    names = sorted({t.model._meta.db_table for t in writer.tables})
    with connection.cursor() as cursor:
        # The builds sort in memory; nothing needs to wait for the commit to reach the disk.
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "JOIN pg_class c ON c.relname = i.indexname "
            "JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = i.schemaname "
            "JOIN pg_index x ON x.indexrelid = c.oid "
            "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) "
            "AND NOT x.indisunique AND NOT x.indisprimary AND NOT EXISTS ("
            "SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid AND k.conrelid = x.indrelid) "
            "ORDER BY i.tablename, i.indexname", [names])
        indexes = cursor.fetchall()
        _check_deferred(cursor)  # a table with pending trigger events cannot lose an index
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    writer.flush()
    with connection.cursor() as cursor:
        _check_deferred(cursor)
        links = Status.categories.through._meta.db_table
        if links in names:
            # A link COPYed before its status took no times from it (migration 0018's
            # trigger found no status yet): copy it now, before the index on it is built.
            cursor.execute(f'UPDATE "{links}" l SET created_at = s.created_at, '
                           f'last_activity_at = s.last_activity_at '
                           f'FROM "{Status._meta.db_table}" s '
                           "WHERE s.id = l.status_id AND l.created_at IS NULL")
        for _, definition in indexes:
            cursor.execute(definition)


def _check_deferred(cursor) -> None:
    """Run the foreign-key checks deferred so far (the ones commit would run), and defer the
    next ones again as the constraints ask."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _skip_foreign_key_triggers() -> None:
    """On PostgreSQL, as a superuser, the rest of the load's transaction skips the per-row
    foreign-key triggers (as pg_restore --disable-triggers does): checking a million rows' keys
    at commit costs more than writing them, and every key the loader writes is an id it has just
    written or read. Elsewhere the keys are checked as usual."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser')")
        if cursor.fetchone()[0] == "on":
            cursor.execute("SET LOCAL session_replication_role = replica")


def _sync_sequences() -> None:
    """The explicit ids of statuses and polls moved past their sequences (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Status, Poll):
            table = model._meta.db_table
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                           f"(SELECT COALESCE(MAX(id), 1) FROM \"{table}\"))")

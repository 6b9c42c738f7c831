"""The bulk load behind `manage.py seed --accounts N --statuses M`: realistic rows generated from
one seeded random generator, written with COPY on PostgreSQL (bulk_create elsewhere), and every
counter computed in SQL from the rows afterwards, so they equal what the services would keep.

The services are not used for the statuses (one status through `status_create` costs a dozen
queries; a million would take hours), but the renderings are the services' own functions, so a
loaded status reads exactly like one posted through either dialect.
"""

import json
import random
from collections import deque
from collections.abc import Callable
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

Progress = Callable[[str, int, int], None]


class Writer:
    """Buffered inserts: COPY on PostgreSQL, bulk_create elsewhere. Rows are dicts of attnames;
    absent columns take the field's default."""

    def __init__(self, batch: int = 20000):
        self.batch = batch
        self.buffers: dict[type, list[dict]] = {}
        self.counts: dict[type, int] = {}
        self.copy = connection.vendor == "postgresql"
        self._columns: dict[type, list] = {}

    def add(self, model, row: dict) -> None:
        buffer = self.buffers.setdefault(model, [])
        buffer.append(row)
        if len(buffer) >= self.batch:
            self.flush(model)

    def flush(self, model=None) -> None:
        for m in [model] if model is not None else list(self.buffers):
            rows = self.buffers.get(m) or []
            if rows:
                self._write(m, rows)
                self.counts[m] = self.counts.get(m, 0) + len(rows)
            self.buffers[m] = []

    def _columns_of(self, model):
        if model not in self._columns:
            now = timezone.now()
            columns = []
            for f in model._meta.concrete_fields:
                if f.primary_key and f.attname != "id":
                    continue
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                    default = now
                else:
                    default = f.get_default()  # "" for a blank text column without a default
                columns.append((f.attname, f.column, default, f.get_internal_type() == "JSONField"))
            self._columns[model] = columns
        return self._columns[model]

    def _write(self, model, rows: list[dict]) -> None:
        if not self.copy:
            model.objects.bulk_create([model(**row) for row in rows], batch_size=500)
            return
        columns = self._columns_of(model)
        # The id column only when the rows carry it (statuses and polls get theirs from us).
        if "id" not in rows[0]:
            columns = [c for c in columns if c[0] != "id"]
        names = ", ".join(f'"{c[1]}"' for c in columns)
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f'COPY "{model._meta.db_table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    values = []
                    for attname, _, default, is_json in columns:
                        value = row.get(attname, default)
                        if is_json and value is not None:
                            value = json.dumps(value)
                        values.append(value)
                    copy.write_row(values)


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) if rng.random() < 0.5 else rng.choice(FILLER)
             for _ in range(rng.randint(low, high))]
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
    writer = Writer()
    existing = set(Follow.objects.filter(account_id__in=new).values_list("account_id", "target_id"))
    for n, follower in enumerate(sorted(new)):
        wanted = min(len(pool) - 1, 3 + int(rng.expovariate(1 / 15)))
        targets: set[int] = set()
        tries = 0
        while len(targets) < wanted and tries < wanted * 4:
            tries += 1
            target = pool[int(len(pool) * rng.random() ** 2)]  # popular accounts are followed more
            if target != follower and (follower, target) not in existing:
                targets.add(target)
        for target in sorted(targets):
            writer.add(Follow, {"account_id": follower, "target_id": target, "created_at": now})
        if (n + 1) % 1000 == 0 or n + 1 == len(new):
            progress("follows", n + 1, len(new))
    # The demo accounts follow popular load accounts, so their home timelines are full.
    for username, wanted in (("alice", 300), ("bob", 50)):
        demo = Account.objects.filter(username=username).values_list("pk", flat=True).first()
        if demo is None:
            continue
        following = set(Follow.objects.filter(account_id=demo).values_list("target_id", flat=True))
        for target in pool[:wanted]:
            if target not in following:
                writer.add(Follow, {"account_id": demo, "target_id": target, "created_at": now})
    writer.flush()
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


def statuses_load(*, count: int, pool: list[Account], seed: int, progress: Progress) -> int:
    """`count` statuses by the accounts of `pool` (replies, threads, reblogs, polls, media,
    shares, SelfCommunity contributions and comments, mentions, hashtags, addressing) and the
    rows readers leave on them (votes with reactions, bookmarks, follows, flags, views). Returns
    the first status id of the load."""
    rng = random.Random(f"statuses-{seed}")
    ids = [a.pk for a in pool]
    names = {a.pk: a.username for a in pool}
    categories, user_tags, contribution_tags, holders, reactions, hashtags = _load_vocabulary(
        rng, ids)
    _skip_foreign_key_triggers()
    base = (Status.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    poll_id = (Poll.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    tags_base = instance.tags_base_url()
    step = (timezone.now() - START) / max(count, 1)
    writer = Writer()
    # Recent statuses others may answer, reblog or share: (id, author, root, visibility,
    # audience root or None, addressed).
    recent: deque = deque(maxlen=WINDOW)
    reblogged: set[tuple[int, int]] = set()

    def pick_account() -> int:
        return ids[int(len(ids) * rng.random() ** 2)]  # a few accounts write most

    def distinct_accounts(n: int) -> list[int]:
        chosen: set[int] = set()
        while len(chosen) < min(n, len(ids)):
            chosen.add(ids[rng.randrange(len(ids))])
        return sorted(chosen)

    for k in range(count):
        sid = base + k
        author = pick_account()
        created = START + step * k
        row = {"id": sid, "account_id": author, "created_at": created,
               "last_activity_at": created, "language": "en"}
        r = rng.random()
        target = recent[rng.randrange(len(recent))] if recent else None
        shareable = target is not None and target[3] <= Visibility.UNLISTED and not target[5]
        if shareable and target[4] is None and r < 0.07 and (author, target[0]) not in reblogged:
            # A reblog: an empty wrapper (Mastodon only).
            reblogged.add((author, target[0]))
            row.update(reblog_of_id=target[0], visibility=target[3], language=None)
            writer.add(Status, row)
            _progress_tick(progress, k, count)
            continue
        mentioned: list[int] = []
        if target is not None and r < 0.37 and not target[5] and (
                shareable or target[4] is not None):
            # A reply (or, under a SelfCommunity root, a comment keeping its audience).
            parent_id, parent_author, root, visibility, audience, addressed = target
            row.update(in_reply_to_id=parent_id, in_reply_to_account_id=parent_author,
                       thread_root_id=root or parent_id)
            comment = audience is not None
            if comment:
                row.update(audience_id=audience, visibility=visibility, addressed=addressed)
            else:
                row["visibility"] = visibility
            if parent_author != author and rng.random() < 0.5:
                mentioned.append(parent_author)
            entry_root = root or parent_id
            html_format = comment
        else:
            v = rng.random()
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
            html_format = addressed or (visibility == Visibility.PUBLIC and rng.random() < 0.25)
            row.update(visibility=visibility, addressed=addressed)
            if visibility == Visibility.DIRECT or rng.random() < 0.12:
                other = pick_account()
                if other != author:
                    mentioned.append(other)
            if visibility == Visibility.DIRECT and not mentioned:
                mentioned.append(ids[(ids.index(author) + 1) % len(ids)] if len(ids) > 1
                                 else author)
            entry_root = None
            comment = False
        if row["visibility"] not in (Visibility.PUBLIC, Visibility.UNLISTED):
            row["quote_policy"] = 0  # private and direct are never quotable
        tag = rng.choice(HASHTAGS) if rng.random() < 0.2 else None
        _write_text(row, rng=rng, html_format=html_format, mentioned=mentioned, names=names,
                    tag=tag, tags_base=tags_base)
        if html_format and not comment:
            row["action"] = rng.choice(ACTIONS) if rng.random() < 0.1 else None
            for category in sorted(set(rng.sample(categories, rng.randint(1, 2)))):
                writer.add(Status.categories.through, {"status_id": sid,
                                                       "category_id": category})
            if rng.random() < 0.1:
                writer.add(Status.tags.through, {"status_id": sid,
                                                 "tag_id": rng.choice(contribution_tags)})
            if row.get("addressed"):
                tag_id = rng.choice(user_tags)
                writer.add(Status.addressing.through, {"status_id": sid, "tag_id": tag_id})
            if (shareable and target[3] == Visibility.PUBLIC and target[4] is None
                    and rng.random() < 0.04 and not row.get("addressed")):
                # A share: a `share` media linking this status to an earlier public one.
                row["quote_of_id"] = target[0]
                writer.add(MediaAttachment, {"account_id": author, "status_id": sid,
                                             "kind": MediaKind.SHARE,
                                             "shared_status_id": target[0],
                                             "created_at": created})
        for pk in mentioned:
            writer.add(Mention, {"status_id": sid, "account_id": pk})
        if tag is not None:
            writer.add(StatusTag, {"status_id": sid, "hashtag_id": hashtags[tag]})
        if not html_format and entry_root is None and rng.random() < 0.03:
            row["has_poll"] = True
            _write_poll(writer, rng, poll_id, sid, created, distinct_accounts)
            poll_id += 1
        elif rng.random() < 0.08:
            for position in range(rng.randint(1, 4)):
                writer.add(MediaAttachment, _media_row(rng, author, sid, position, created))
        _write_feedback(writer, rng, sid, created, distinct_accounts, reactions,
                        sc=html_format)
        writer.add(Status, row)
        recent.append((sid, author, entry_root, row["visibility"],
                       row.get("audience_id") or (sid if html_format and not comment else None),
                       bool(row.get("addressed"))))
        _progress_tick(progress, k, count)
    writer.flush()
    _sync_sequences()
    return base


def _progress_tick(progress: Progress, k: int, count: int) -> None:
    if (k + 1) % 5000 == 0 or k + 1 == count:
        progress("statuses", k + 1, count)


def _write_text(row: dict, *, rng, html_format: bool, mentioned: list[int], names: dict,
                tag: str | None, tags_base: str) -> None:
    words = _sentence(rng, 4, 30)
    handles = " ".join(f"@{names[pk]}" for pk in mentioned)
    link = " https://example.com/" + rng.choice(WORDS) if rng.random() < 0.04 else ""
    hashtag = f" #{tag}" if tag else ""
    targets = {names[pk].lower(): pk for pk in mentioned}
    if html_format:
        text = f"<p>{handles + ' ' if handles else ''}{words}{hashtag}{link}</p>"
        clean = html_text.sanitize(text)
        resolved = {name: html_text.MentionTarget(id=pk, username=names[pk], ext_id=None,
                                                  url=instance.account_url(names[pk]))
                    for name, pk in targets.items()}
        rendered = html_text.render(clean, resolved=resolved, tags_base_url=tags_base)
        row.update(text=clean, text_format=TextFormat.HTML, html=rendered.content,
                   sc_html=rendered.html, summary=html_text.summary(rendered.plain),
                   slug=html_text.slug(rendered.plain),
                   mention_data=[[m.id, m.username] for m in rendered.mentioned],
                   tag_data=list(rendered.hashtags))
        return
    text = f"{handles + ' ' if handles else ''}{words}{hashtag}{link}"
    refs = {name: rendering.MentionRef(username=names[pk], url=instance.account_url(names[pk]),
                                       acct=names[pk]) for name, pk in targets.items()}
    html = rendering.render_plain(text, tags_base_url=tags_base, mentions=refs)
    sc_html, summary, slug = sc_renderings_for_plain(
        html=html, text=text, mentions=[(pk, names[pk], None) for pk in mentioned])
    row.update(text=text, text_format=TextFormat.PLAIN, html=html, sc_html=sc_html,
               summary=summary, slug=slug, mention_data=[[pk, names[pk]] for pk in mentioned],
               tag_data=[tag] if tag else [])


def _write_poll(writer: Writer, rng, poll_id, sid, created, distinct_accounts) -> None:
    options = rng.sample(WORDS, rng.randint(2, 4))
    multiple = rng.random() < 0.2
    writer.add(Poll, {"id": poll_id, "status_id": sid, "options": options,
                      "tallies": [0] * len(options), "expires_at": created + timedelta(days=1),
                      "multiple": multiple, "created_at": created})
    for voter in distinct_accounts(int(rng.expovariate(1 / 4))):
        choices = (rng.sample(range(len(options)), rng.randint(1, len(options))) if multiple
                   else [rng.randrange(len(options))])
        for choice in sorted(choices):
            writer.add(PollVote, {"poll_id": poll_id, "account_id": voter, "choice": choice,
                                  "single": not multiple, "created_at": created})


def _media_row(rng, author, sid, position, created) -> dict:
    width, height = rng.choice([(1200, 800), (800, 1200), (1024, 1024), (1600, 900)])
    small_w, small_h = width * 400 // max(width, height), height * 400 // max(width, height)
    name = f"seed-{sid}-{position}.jpg"
    return {
        "account_id": author, "status_id": sid, "position": position,
        "kind": MediaKind.IMAGE, "file": f"attachments/{author}/original/{name}",
        "small": f"attachments/{author}/small/{name}", "content_type": "image/jpeg",
        "file_size": rng.randint(40_000, 900_000),
        "description": _sentence(rng, 3, 10) if rng.random() < 0.7 else "",
        "meta": {"original": {"width": width, "height": height,
                              "size": f"{width}x{height}", "aspect": width / height},
                 "small": {"width": small_w, "height": small_h,
                           "size": f"{small_w}x{small_h}", "aspect": width / height}},
        "blurhash": BLURHASH, "created_at": created,
    }


def _write_feedback(writer: Writer, rng, sid, created, distinct_accounts, reactions, *,
                    sc: bool) -> None:
    if rng.random() < 0.45:
        for voter in distinct_accounts(1 + int(rng.expovariate(1 / 3))):
            reaction = (rng.choice(reactions) if reactions and rng.random() < 0.15 else None)
            writer.add(Vote, {"status_id": sid, "account_id": voter, "reaction_id": reaction,
                              "created_at": created})
    if rng.random() < 0.04:
        writer.add(Bookmark, {"status_id": sid, "account_id": distinct_accounts(1)[0],
                              "created_at": created})
    if rng.random() < 0.03:
        writer.add(StatusFollow, {"status_id": sid, "account_id": distinct_accounts(1)[0],
                                  "created_at": created})
    if rng.random() < 0.003:
        writer.add(Flag, {"status_id": sid, "account_id": distinct_accounts(1)[0],
                          "flag_type": rng.randrange(5), "created_at": created})
    if sc and rng.random() < 0.3:
        for viewer in distinct_accounts(rng.randint(1, 5)):
            writer.add(StatusView, {"status_id": sid, "account_id": viewer,
                                    "created_at": created})


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

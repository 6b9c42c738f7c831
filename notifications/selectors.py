"""Reads of the notification store, as their reader may see them now.

A notification is shown only while its reader may see what it is about: its status through the
one visibility rule (statuses/selectors/visibility.py), its sender neither blocked (either way),
suspended nor muted with notifications (a mute in force), and not held back by the reader's
notification policy (`filtered`). Everything here takes the reader and applies that rule, so
no list, count or single read can show what another would hide. Sits above statuses
(.importlinter) because it reads statuses' visibility; the store itself sits below."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from itertools import islice

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Concat, Now, RowNumber

from accounts.models import Account, Block, Mute
from config import errors, querycache
from notifications.models import (
    Marker,
    MarkerTimeline,
    Notification,
    NotificationPolicy,
    NotificationRequest,
    NotificationType,
)
from statuses.models import Status
from statuses.selectors.rows import statuses_for_page
from statuses.selectors.visibility import row_visible_q

# What Mastodon's API lists: every stored type but SelfCommunity's replies.
MASTODON_TYPES = tuple(t.value for t in NotificationType if t != NotificationType.REPLY)
# Mastodon 4.3+: the types grouped in /api/v2/notifications unless `grouped_types[]` says less.
GROUPABLE_TYPES = ("favourite", "reblog", "follow")
# How many of a group's senders a group shows (Mastodon's SAMPLE_ACCOUNTS_SIZE).
SAMPLE_ACCOUNTS_SIZE = 8
NOT_FOUND = "Record not found"


def shown_q(viewer, *, include_filtered: bool = False) -> Q:
    """The rule above as one WHERE clause over Notification rows."""
    sender = OuterRef("from_account_id")
    blocked = (Exists(Block.objects.filter(account_id=viewer.pk, target_id=sender))
               | Exists(Block.objects.filter(account_id=sender, target_id=viewer.pk)))
    muted = Exists(Mute.objects.filter(account_id=viewer.pk, target_id=sender,
                                       hide_notifications=True)
                   .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=Now())))
    held = Q() if include_filtered else Q(filtered=False)
    return (Q(recipient_id=viewer.pk, from_account__suspended_at__isnull=True) & held
            & ~blocked & ~muted
            & (Q(status__isnull=True) | row_visible_q(viewer, "status__")))


def _wanted_types(types: Iterable[str] | None, exclude_types: Iterable[str] | None
                  ) -> tuple[str, ...]:
    """Mastodon's types asked for (`types`, less `exclude_types`), sorted."""
    wanted = set(MASTODON_TYPES)
    if types:
        wanted &= set(types)
    wanted -= set(exclude_types or ())
    return tuple(sorted(wanted))


def _raw(viewer, *, types: Iterable[str] | None = None,
         exclude_types: Iterable[str] | None = (), account_id: int | None = None,
         include_filtered: bool = False) -> QuerySet:
    """The reader's notifications of the types asked for, before the visibility rule: columns
    of the notification row only, so that PostgreSQL walks `(recipient, -id)` for it."""
    # Mastodon's `browserable`: asking for one sender's notifications shows the filtered ones
    # too (how a client reads what a notification request holds).
    return _of_types(viewer, wanted=_wanted_types(types, exclude_types),
                     include_filtered=include_filtered or account_id is not None,
                     account_id=account_id)


def _of_types(viewer, *, wanted: Iterable[str], include_filtered: bool,
              account_id: int | None) -> QuerySet:
    """`_raw` of the types already worked out."""
    queryset = Notification.objects.filter(recipient_id=viewer.pk, type__in=wanted)
    if not include_filtered:
        queryset = queryset.filter(filtered=False)
    if account_id is not None:
        queryset = queryset.filter(from_account_id=account_id)
    return queryset


def shown(viewer, *, types: Iterable[str] | None = None,
          exclude_types: Iterable[str] | None = (), account_id: int | None = None,
          include_filtered: bool = False) -> QuerySet:
    """The reader's notifications they may see, of Mastodon's types (`types`, less
    `exclude_types`; unknown names are ignored, as Mastodon ignores them), from `account_id`
    when given; with `include_filtered` (or `account_id`), those their policy held back too."""
    return _raw(viewer, types=types, exclude_types=exclude_types, account_id=account_id,
                include_filtered=include_filtered).filter(shown_q(viewer, include_filtered=True))


# How many notification ids a step of `walk` reads along the index.
WALK_BATCH = 100


def _walk_step(*, viewer, include_filtered: bool, upward: bool,
               account_id: int | None = None, max_id: int | None = None,
               since_id: int | None = None, min_id: int | None = None,
               cursor: int | None = None, **types) -> QuerySet:
    """One step of `walk` along the index: the reader's notification ids of the types in
    `types` (`t0`... one slot per Mastodon type, the unused ones repeating a wanted one, so that
    which types were asked is a value, not a shape) within the cursors and past `cursor`, in
    walking order (LIMIT added by the caller)."""
    wanted = [types[f"t{i}"] for i in range(len(MASTODON_TYPES))]
    raw = _of_types(viewer, wanted=wanted, include_filtered=include_filtered,
                    account_id=account_id)
    if max_id is not None:
        raw = raw.filter(pk__lt=max_id)
    if since_id is not None:
        raw = raw.filter(pk__gt=since_id)
    if min_id is not None:
        raw = raw.filter(pk__gt=min_id)
    if cursor is not None:
        raw = raw.filter(pk__gt=cursor) if upward else raw.filter(pk__lt=cursor)
    return raw.order_by("pk" if upward else "-pk").values_list("pk")


def _walk_kept(*, viewer, grouped: tuple[str, ...] | None, **slots) -> QuerySet:
    """Which of WALK_BATCH ids (`slots`, the unused ones 0: no row's) the reader may see, with
    the key each groups under (`grouped`: the groupable types asked for; None: its own id)."""
    kept = Notification.objects.filter(shown_q(viewer, include_filtered=True),
                                       pk__in=[slots[f"n{i}"] for i in range(WALK_BATCH)])
    grouping = F("pk") if grouped is None else _group_of(grouped)
    return kept.annotate(grouping=grouping).values_list("pk", "grouping").order_by()


def walk(viewer, *, upward: bool = False, max_id: int | None = None,
         since_id: int | None = None, min_id: int | None = None,
         grouped_types: Iterable[str] | None = None, types: Iterable[str] | None = None,
         exclude_types: Iterable[str] | None = (), account_id: int | None = None,
         include_filtered: bool = False):
    """The reader's notifications they may see, in id order (newest first, or oldest first
    `upward`) within the cursors, as ids (or `(id, group)` with `grouped_types`), read lazily:
    each step reads the next WALK_BATCH ids along `(recipient, -id)` (no join: the planner
    always walks the index and stops), then applies the visibility rule to those ids only.
    A caller that stops early reads nothing more; a page of a usual reader is one step of two
    statements, however many notifications they have. Both statements go through the
    compiled-statement cache (config/querycache.py): building the visibility rule cost more
    than running it."""
    wanted = _wanted_types(types, exclude_types)
    # Mastodon's `browserable`, as `_raw`.
    include_filtered = include_filtered or account_id is not None
    grouped = (None if grouped_types is None
               else tuple(sorted(set(grouped_types) & set(GROUPABLE_TYPES))))
    if not wanted:
        return
    type_slots = {f"t{i}": name for i, name in enumerate(
        wanted + (wanted[0],) * (len(MASTODON_TYPES) - len(wanted)))}
    step_key = ("notifications-walk", include_filtered, upward)
    step = partial(_walk_step, include_filtered=include_filtered, upward=upward)
    kept_key = ("notifications-kept", WALK_BATCH, grouped)
    kept = partial(_walk_kept, grouped=grouped)
    cursor = None
    while True:
        ids = [row[0] for row in querycache.fetch(
            step_key, step, viewer=viewer, limit=WALK_BATCH, account_id=account_id,
            max_id=max_id, since_id=since_id, min_id=min_id, cursor=cursor, **type_slots)]
        if not ids:
            return
        padded = ids + [0] * (WALK_BATCH - len(ids))
        found = dict(querycache.fetch(kept_key, kept, viewer=viewer,
                                      **{f"n{i}": pk for i, pk in enumerate(padded)}))
        for pk in ids:
            if pk in found:
                yield (pk, found[pk]) if grouped_types is not None else pk
        if len(ids) < WALK_BATCH:
            return
        cursor = ids[-1]


def page_ids(viewer, *, limit: int, max_id: int | None = None, since_id: int | None = None,
             min_id: int | None = None, **options) -> list[int]:
    """A v1 page: the newest `limit` within the cursors, or with `min_id` those just after
    it (newest first still), as `config.api.pagination.paginate` pages."""
    if limit <= 0:
        return []
    upward = min_id is not None
    ids = list(islice(walk(viewer, upward=upward, max_id=max_id, since_id=since_id,
                           min_id=min_id, **options), limit))
    if upward:
        ids.reverse()
    return ids


def notifications_load(ids: list[int]) -> list[Notification]:
    """The notifications of `ids`, in that order, with their senders, the moderation acts and
    flags they are about, and their statuses (`status` loaded by statuses_for_page, with
    authors and originals), in a fixed number of statements."""
    if not ids:
        return []
    rows = (Notification.objects.filter(pk__in=ids)
            .select_related("from_account", "moderation_action__target_account",
                            "flag__status__account"))
    by_id = {row.pk: row for row in rows}
    statuses = statuses_for_page(sorted({row.status_id for row in by_id.values()
                                         if row.status_id is not None}))
    for row in by_id.values():
        if row.status_id is not None:
            # Read with the status rows of a page (their authors, applications, originals).
            Notification._meta.get_field("status").set_cached_value(
                row, statuses.get(row.status_id))
    return [by_id[pk] for pk in ids if pk in by_id]


def notification_get(*, viewer, notification_id: int | None) -> Notification:
    """One of the reader's notifications, as shown; 404 otherwise."""
    row = (shown(viewer).filter(pk=notification_id).values_list("pk", flat=True).first()
           if notification_id is not None else None)
    if row is None:
        raise errors.NotFound(NOT_FOUND)
    return notifications_load([row])[0]


def last_read_notification_id(*, viewer) -> int:
    return (Marker.objects.filter(account_id=viewer.pk, timeline=MarkerTimeline.NOTIFICATIONS)
            .values_list("last_read_id", flat=True).first()) or 0


def markers_get(*, viewer, timelines: Iterable[str]) -> list[Marker]:
    """The reader's markers of the timelines named (unknown names are ignored)."""
    wanted = [t for t in timelines if t in MarkerTimeline.values]
    if not wanted:
        return []
    return list(Marker.objects.filter(account_id=viewer.pk, timeline__in=wanted)
                .order_by("timeline"))


def unread_count(*, viewer, limit: int, **options) -> int:
    """How many notifications are newer than the notifications marker (at most `limit`)."""
    if limit <= 0:
        return 0
    since = last_read_notification_id(viewer=viewer)
    return sum(1 for _ in islice(walk(viewer, upward=True, min_id=since, **options), limit))


# --- groups (/api/v2/notifications) ------------------------------------------------------------

def _group_of(grouped_types: Iterable[str]):
    """The key a row groups under: its group key when its type may group, else "ungrouped-<id>",
    as SQL."""
    ungrouped = Concat(Value("ungrouped-"), Cast("id", CharField()), output_field=CharField())
    grouped = sorted(set(grouped_types) & set(GROUPABLE_TYPES))
    if not grouped:
        return ungrouped
    return Case(When(Q(type__in=grouped) & ~Q(group_key=""), then=F("group_key")),
                    default=ungrouped, output_field=CharField())


def group_heads(viewer, *, grouped_types: Iterable[str], limit: int,
                max_id: int | None = None, since_id: int | None = None,
                min_id: int | None = None, **options) -> list[int]:
    """Mastodon's `paginate_groups`: the first `limit` groups in paging order, each by its
    newest notification within the cursors (its oldest with `min_id`, paging up), newest
    first. Like Mastodon's recursive query it walks the reader's notifications in id order
    from the cursor and stops once it has `limit` groups (`walk`)."""
    if limit <= 0:
        return []
    upward = min_id is not None
    seen: set[str] = set()
    heads: list[int] = []
    for pk, grouping in walk(viewer, upward=upward, max_id=max_id, since_id=since_id,
                             min_id=min_id, grouped_types=grouped_types, **options):
        if grouping not in seen:
            seen.add(grouping)
            heads.append(pk)
            if len(heads) == limit:
                break
    if upward:
        heads.reverse()
    return heads


@dataclass
class Group:
    """A notification group as Mastodon shows it: its head (the newest notification within the
    page), the senders of its newest notifications, its size, and the page it spans."""

    key: str
    head: Notification
    sample_account_ids: list[int]
    count: int
    page_min_id: int | None = None
    page_max_id: int | None = None
    latest_page_notification_at: object = None
    accounts: dict = field(default_factory=dict)


def _created_at(value):
    """A `created_at` read by a raw cursor, as the ORM gives it (SQLite answers text)."""
    field = Notification._meta.get_field("created_at")
    column = field.get_col(Notification._meta.db_table)
    for converter in (connection.ops.get_db_converters(column)
                      + field.get_db_converters(connection)):
        value = converter(value, column, connection)
    return value


def _group_members(viewer, *, size: int, high: int | None, slots: dict) -> QuerySet:
    """The reader's notifications they may see of the group keys in `slots` (`k0`...), up to
    `high` when given."""
    members = shown(viewer).filter(group_key__in=[slots[f"k{i}"] for i in range(size)])
    if high is not None:
        members = members.filter(pk__lte=high)
    return members


def _group_stats(*, viewer, size: int, low: int, high: int | None = None, **slots) -> QuerySet:
    """Per group key: how many, the newest, and the oldest from `low`."""
    return (_group_members(viewer, size=size, high=high, slots=slots).values("group_key")
            .annotate(count=Count("pk"), newest=Max("pk"), oldest=Min("pk", filter=Q(pk__gte=low)))
            .order_by().values_list("group_key", "count", "newest", "oldest"))


def _group_samples(*, viewer, size: int, high: int | None = None, **slots) -> QuerySet:
    """The newest SAMPLE_ACCOUNTS_SIZE notifications of each group key."""
    members = _group_members(viewer, size=size, high=high, slots=slots)
    return (members.annotate(place=Window(RowNumber(), partition_by=[F("group_key")],
                                          order_by=F("id").desc()))
            .filter(place__lte=SAMPLE_ACCOUNTS_SIZE)
            .values_list("group_key", "from_account_id", "created_at", "pk")
            .order_by("group_key", "-pk"))


def groups_load(*, viewer, heads: list[Notification], grouped_types: Iterable[str],
                page: tuple[int, int] | None) -> list[Group]:
    """The groups of `heads` (loaded notifications, newest first). `page` is (lowest, highest)
    notification id the page covers: counts and samples are of the group's notifications up to
    the highest, `page_min_id` its oldest from the lowest (Mastodon's `load_groups_data`).
    Three statements for the grouped heads, whatever their number; none for ungrouped ones."""
    grouped_types = set(grouped_types) & set(GROUPABLE_TYPES)
    keyed = {head.pk: (head.group_key if head.type in grouped_types and head.group_key else None)
             for head in heads}
    keys = sorted({key for key in keyed.values() if key})
    stats: dict[str, dict] = {}
    samples: dict[str, list[tuple[int, int, object]]] = {}
    if keys:
        # Bound as a power of two of slots (at least 8), the unused ones repeating the first key,
        # so that the two statements are built once per size (config/querycache.py).
        size = max(8, 1 << (len(keys) - 1).bit_length())
        slots = {f"k{i}": key for i, key in enumerate(keys + [keys[0]] * (size - len(keys)))}
        bounds = {"low": page[0] if page is not None else 0,
                  "high": page[1] if page is not None else None}
        for key, count, newest, oldest in querycache.fetch(
                ("notification-group-stats", size), partial(_group_stats, size=size),
                viewer=viewer, **bounds, **slots):
            stats[key] = {"count": count, "newest": newest, "oldest": oldest}
        for key, account_id, created_at, pk in querycache.fetch(
                ("notification-group-samples", size), partial(_group_samples, size=size),
                viewer=viewer, high=bounds["high"], **slots):
            samples.setdefault(key, []).append((pk, account_id, _created_at(created_at)))
    groups = []
    for head in heads:
        key = keyed[head.pk]
        if key is None or key not in stats:
            groups.append(Group(
                key=f"ungrouped-{head.pk}", head=head, sample_account_ids=[head.from_account_id],
                count=1, page_min_id=head.pk if page else None,
                page_max_id=head.pk if page else None,
                latest_page_notification_at=head.created_at if page else None))
            continue
        data, sample = stats[key], samples.get(key, [])
        groups.append(Group(
            key=key, head=head, sample_account_ids=[account for _, account, _ in sample],
            count=data["count"],
            page_min_id=(data["oldest"] or data["newest"]) if page else None,
            page_max_id=data["newest"] if page else None,
            latest_page_notification_at=sample[0][2] if page and sample else None))
    return groups


def accounts_by_id(ids: Iterable[int]) -> dict[int, Account]:
    ids = set(ids)
    return Account.objects.in_bulk(ids) if ids else {}


def group_get(*, viewer, group_key: str, grouped_types: Iterable[str] = GROUPABLE_TYPES
              ) -> list[Notification]:
    """The head of one of the reader's groups (its newest notification they may see); an
    `ungrouped-<id>` key names one notification. 404 when there is none."""
    rows = shown(viewer)
    if group_key.startswith("ungrouped-"):
        raw = group_key.removeprefix("ungrouped-")
        rows = rows.filter(pk=int(raw)) if raw.isdigit() and len(raw) < 19 else rows.none()
    else:
        rows = rows.filter(group_key=group_key)
    head = rows.order_by("-pk").values_list("pk", flat=True).first()
    if head is None:
        raise errors.NotFound(NOT_FOUND)
    return notifications_load([head])


def group_accounts(*, viewer, group_key: str) -> list[Account]:
    """The senders of a group's notifications, newest first (one per notification)."""
    rows = shown(viewer)
    if group_key.startswith("ungrouped-"):
        raw = group_key.removeprefix("ungrouped-")
        rows = rows.filter(pk=int(raw)) if raw.isdigit() and len(raw) < 19 else rows.none()
    else:
        rows = rows.filter(group_key=group_key)
    senders = list(rows.order_by("-pk").values_list("from_account_id", flat=True))
    if not senders:
        raise errors.NotFound(NOT_FOUND)
    accounts = accounts_by_id(senders)
    return [accounts[pk] for pk in senders if pk in accounts]


def unread_group_count(*, viewer, limit: int, grouped_types: Iterable[str], **options) -> int:
    """How many groups hold notifications newer than the notifications marker (at most
    `limit`): Mastodon's count of `paginate_groups_by_min_id` from the marker."""
    since = last_read_notification_id(viewer=viewer)
    return len(group_heads(viewer, grouped_types=grouped_types, limit=limit, min_id=since,
                           **options))


def statuses_of(notifications: Iterable[Notification]) -> list[Status]:
    """The distinct statuses the notifications are about, in order of first appearance."""
    seen: dict[int, Status] = {}
    for row in notifications:
        status = row.status if row.status_id is not None else None
        if status is not None and status.pk not in seen:
            seen[status.pk] = status
    return list(seen.values())


# --- SelfCommunity's aggregated notifications -------------------------------------------------

# What SelfCommunity lists of the store: comments (replies), mentions, votes (favourites) and the
# moderators' warnings, each about a status or one of its comments.
SC_TYPES = (NotificationType.REPLY, NotificationType.MENTION, NotificationType.FAVOURITE,
            NotificationType.MODERATION_WARNING)


def sc_shown(viewer) -> QuerySet:
    """The reader's SelfCommunity notifications, each with `root`: the status its aggregate is
    about (the thread's root status of the status or comment it concerns)."""
    return (Notification.objects.filter(shown_q(viewer), type__in=SC_TYPES)
            .annotate(root=Coalesce("status__thread_root_id", "status_id",
                                    "moderation_action__target_status__thread_root_id",
                                    "moderation_action__target_status_id"))
            .filter(root__isnull=False))


@dataclass
class Aggregate:
    """SelfCommunity's SCNotificationAggregatedType: the notifications about one status."""

    root_id: int
    root: Status | None  # None when the reader may no longer see it
    items: list[Notification]


def sc_aggregates(*, viewer, limit: int, offset: int) -> tuple[int, list[Aggregate], dict]:
    """(how many aggregates, one page of them newest first, the statuses their items are about
    by id), in a fixed number of statements."""
    base = sc_shown(viewer)
    count = base.values("root").annotate(n=Count("pk")).count()
    roots = list(base.values("root").annotate(newest=Max("pk")).order_by("-newest")
                 .values_list("root", flat=True)[offset:offset + limit]) if limit > 0 else []
    if not roots:
        return count, [], {}
    root_of = dict(base.filter(root__in=roots).order_by("-pk").values_list("pk", "root"))
    return count, *_sc_load(viewer, roots, root_of)


def sc_one(*, viewer, notification_id: int) -> tuple[Aggregate, dict] | None:
    """One of the reader's SelfCommunity notifications as an aggregate of that item alone (what
    the live socket sends when it is written), with the statuses it is about; None when it is
    not one the reader's list shows (another's, dismissed, filtered, of a kind SelfCommunity
    does not have)."""
    root = sc_shown(viewer).filter(pk=notification_id).values_list("root", flat=True).first()
    if root is None:
        return None
    aggregates, statuses = _sc_load(viewer, [root], {notification_id: root})
    return aggregates[0], statuses


def _sc_load(viewer, roots: list[int], root_of: dict[int, int]) -> tuple[list[Aggregate], dict]:
    """The aggregates of `roots` holding the notifications of `root_of` (id -> root), and the
    statuses they are about by id."""
    ids = sorted(root_of, reverse=True)
    rows = notifications_load(ids)
    targets = {row.moderation_action.target_status_id for row in rows
               if row.moderation_action_id and row.moderation_action.target_status_id}
    shown_roots = set(Status.objects.filter(row_visible_q(viewer) | Q(account_id=viewer.pk),
                                            pk__in=roots).values_list("pk", flat=True))
    statuses = statuses_for_page(sorted(set(roots) | targets))
    for row in rows:
        if row.status_id is not None:
            statuses.setdefault(row.status_id, row.status)
    by_root: dict[int, list[Notification]] = {}
    for row in rows:
        by_root.setdefault(root_of[row.pk], []).append(row)
    aggregates = [Aggregate(root_id=root, root=statuses.get(root) if root in shown_roots else None,
                            items=by_root.get(root, [])) for root in roots]
    return aggregates, statuses


def sc_unseen_count(*, viewer) -> int:
    return sc_shown(viewer).filter(read=False).count()


# --- the policy and the requests --------------------------------------------------------------

def policy_get(*, viewer) -> NotificationPolicy:
    """The reader's policy (Mastodon's defaults when they never changed it)."""
    return (NotificationPolicy.objects.filter(account_id=viewer.pk).first()
            or NotificationPolicy(account_id=viewer.pk))


def requests_shown(viewer) -> QuerySet:
    """The reader's pending requests from senders still around (not suspended)."""
    return NotificationRequest.objects.filter(account_id=viewer.pk,
                                              from_account__suspended_at__isnull=True)


def policy_summary(*, viewer) -> dict:
    totals = requests_shown(viewer).aggregate(requests=Count("pk"),
                                              notifications=Sum("notifications_count"))
    return {"pending_requests_count": totals["requests"] or 0,
            "pending_notifications_count": totals["notifications"] or 0}


def requests_load(ids: list[int], *, viewer) -> list[NotificationRequest]:
    """Requests of `ids` in that order, with their senders and last statuses; a last status
    the reader may no longer see is left out (None)."""
    if not ids:
        return []
    rows = {row.pk: row for row in NotificationRequest.objects.filter(pk__in=ids)
            .select_related("from_account")}
    status_ids = {row.last_status_id for row in rows.values() if row.last_status_id}
    visible = set(Status.objects.filter(row_visible_q(viewer), pk__in=status_ids)
                  .values_list("pk", flat=True)) if status_ids else set()
    statuses = statuses_for_page(sorted(visible))
    field_ = NotificationRequest._meta.get_field("last_status")
    for row in rows.values():
        field_.set_cached_value(row, statuses.get(row.last_status_id))
    return [rows[pk] for pk in ids if pk in rows]


def request_get(*, viewer, request_id: int | None) -> NotificationRequest:
    found = (requests_shown(viewer).filter(pk=request_id).values_list("pk", flat=True).first()
             if request_id is not None else None)
    if found is None:
        raise errors.NotFound(NOT_FOUND)
    return requests_load([found], viewer=viewer)[0]

"""Reads of statuses. Every read goes through `visible_to`, so a hidden status cannot leak."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import BooleanField as BooleanFieldType
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When

from accounts.models import Account, Application, Block, Follow, Mute, Visibility
from config import errors
from config.db import PreparedSelect
from statuses.models import Mention, Status

ANONYMOUS_ANCESTORS = 40
ANONYMOUS_DESCENDANTS = 60
ANONYMOUS_DEPTH = 20
USER_CONTEXT_LIMIT = 4096
MAX_IDS = 20

PUBLIC_LIKE = (Visibility.PUBLIC, Visibility.UNLISTED)


def status_base_queryset() -> QuerySet[Status]:
    """Everything a status rendering needs, in one query."""
    return Status.objects.select_related("account", "application")


def statuses_for_page(ids: list[int]) -> dict[int, Status]:
    """Statuses by id with their authors and applications, for a page of many statuses.

    Authors and apps repeat across a thread or timeline, so each distinct one is read (and built)
    once, in its own query, instead of once per row through a join: three queries whatever the
    page size.
    """
    if not ids:
        return {}
    statuses = list(Status.objects.filter(pk__in=ids))
    account_ids = {s.account_id for s in statuses}
    app_ids = {s.application_id for s in statuses if s.application_id is not None}
    accounts = Account.objects.in_bulk(account_ids)
    apps = Application.objects.in_bulk(app_ids) if app_ids else {}
    account_field = Status._meta.get_field("account")
    app_field = Status._meta.get_field("application")
    for status in statuses:
        account_field.set_cached_value(status, accounts[status.account_id])
        app_field.set_cached_value(status, apps.get(status.application_id))
    return {s.pk: s for s in statuses}


def visible_q(viewer) -> Q:
    """Section B of the behaviour spec as one WHERE clause (StatusPolicy#show?)."""
    kept = Q(deleted_at__isnull=True, account__suspended_at__isnull=True)
    if viewer is None:
        return kept & Q(visibility__in=PUBLIC_LIKE, collapsed=False)
    blocked_by_author = Block.objects.filter(account_id=OuterRef("account_id"), target_id=viewer.pk)
    follows_author = Follow.objects.filter(
        account_id=viewer.pk, target_id=OuterRef("account_id"), accepted=True
    )
    mentioned = Mention.objects.filter(status_id=OuterRef("pk"), account_id=viewer.pk)
    others = Q(collapsed=False) & (
        (Q(visibility__in=PUBLIC_LIKE) & ~Exists(blocked_by_author))
        | (Q(visibility=Visibility.PRIVATE) & Exists(follows_author))
        | (Q(visibility__gte=Visibility.PRIVATE) & Exists(mentioned))
    )
    return kept & (Q(account_id=viewer.pk) | others)


def filter_q(viewer) -> Q:
    """StatusFilter, applied to lists on top of visibility: drops authors the viewer blocks or
    mutes, and silenced authors the viewer does not follow. The viewer's own are never dropped."""
    if viewer is None:
        return Q(account__silenced_at__isnull=True)
    blocks = Block.objects.filter(account_id=viewer.pk, target_id=OuterRef("account_id"))
    mutes = Mute.objects.filter(account_id=viewer.pk, target_id=OuterRef("account_id"))
    follows = Follow.objects.filter(
        account_id=viewer.pk, target_id=OuterRef("account_id"), accepted=True
    )
    return Q(account_id=viewer.pk) | (
        ~Exists(blocks)
        & ~Exists(mutes)
        & (Q(account__silenced_at__isnull=True) | Exists(follows))
    )


def visible_to(viewer) -> QuerySet[Status]:
    return status_base_queryset().filter(visible_q(viewer))


def can_see(status: Status, viewer, *, blocked_by_author: bool, follows_author: bool,
            mentioned: bool) -> bool:
    """`visible_q` for one status already in memory (the single-status fast path). The two are
    checked against each other over every combination in tests/statuses/test_visibility.py."""
    if status.deleted_at is not None or status.account.suspended_at is not None:
        return False
    if viewer is None:
        return status.visibility in PUBLIC_LIKE and not status.collapsed
    if status.account_id == viewer.pk:
        return True
    if status.collapsed:
        return False
    if status.visibility in PUBLIC_LIKE:
        return not blocked_by_author
    if status.visibility == Visibility.PRIVATE and follows_author:
        return True
    return status.visibility >= Visibility.PRIVATE and mentioned


def _single_status_queries() -> tuple[PreparedSelect, PreparedSelect]:
    block, follow, mention = (m._meta.db_table for m in (Block, Follow, Mention))
    relations = ["account", "application"]
    anonymous = PreparedSelect(Status, relations=relations, where="t0.id = %s")
    viewer = PreparedSelect(
        Status,
        relations=relations,
        where="t0.id = %s",
        extra=[
            f"EXISTS (SELECT 1 FROM {block} b WHERE b.account_id = t0.account_id "
            "AND b.target_id = %s)",
            f"EXISTS (SELECT 1 FROM {follow} f WHERE f.account_id = %s "
            "AND f.target_id = t0.account_id AND f.accepted)",
            f"EXISTS (SELECT 1 FROM {mention} m WHERE m.status_id = t0.id AND m.account_id = %s)",
        ],
    )
    return anonymous, viewer


_SINGLE_ANONYMOUS, _SINGLE_VIEWER = _single_status_queries()


def status_get_visible(*, status_id: int | None, viewer) -> Status:
    """The status if `viewer` may see it; NotFound otherwise (missing and hidden look alike).

    One precompiled query fetches the status, its author and application, and the three facts
    visibility depends on; `can_see` decides.
    """
    if status_id is None:
        raise errors.NotFound("Not Found")
    if viewer is None:
        rows = _SINGLE_ANONYMOUS.fetch([status_id])
        flags = (False, False, False)
    else:
        rows = _SINGLE_VIEWER.fetch([viewer.pk, viewer.pk, viewer.pk, status_id])
        flags = tuple(bool(v) for v in rows[0][1]) if rows else (False, False, False)
    if not rows:
        raise errors.NotFound("Not Found")
    status = rows[0][0]
    blocked, follows, mentioned = flags
    if not can_see(status, viewer, blocked_by_author=blocked, follows_author=follows,
                   mentioned=mentioned):
        raise errors.NotFound("Not Found")
    return status


def status_get_own(*, status_id: int | None, viewer) -> Status:
    """A kept status written by `viewer`, for edits and deletes; NotFound otherwise."""
    if status_id is None or viewer is None:
        raise errors.NotFound("Record not found")
    status = status_base_queryset().filter(pk=status_id, account_id=viewer.pk).kept().first()
    if status is None:
        raise errors.NotFound("Record not found")
    return status


def statuses_by_ids(*, ids: list[int], viewer) -> list[Status]:
    """The visible, unfiltered statuses among `ids`, newest first, at most MAX_IDS distinct ids."""
    unique = sorted(set(ids), reverse=True)
    if len(unique) > MAX_IDS:
        raise errors.Rejected("Mastodon::ValidationError")
    if not unique:
        return []
    shown = (
        Status.objects.filter(visible_q(viewer), filter_q(viewer), pk__in=unique)
        .order_by("-id")
        .values_list("pk", flat=True)
    )
    rows = statuses_for_page(list(shown))
    return [rows[pk] for pk in sorted(rows, reverse=True)]


@dataclass
class Context:
    ancestors: list[Status] = field(default_factory=list)
    descendants: list[Status] = field(default_factory=list)


def status_context(*, status: Status, viewer) -> Context:
    """Ancestors and descendants of a visible status in a constant number of queries.

    The thread's skeleton (ids, parents, authors, whether the viewer may see each) is read in one
    query through the thread_root index; the tree is walked in memory with Mastodon's limits; the
    chosen rows are then read in one more query.
    """
    if viewer is None:
        ancestor_limit, descendant_limit, max_depth = (
            ANONYMOUS_ANCESTORS, ANONYMOUS_DESCENDANTS, ANONYMOUS_DEPTH,
        )
    else:
        ancestor_limit = descendant_limit = USER_CONTEXT_LIMIT
        max_depth = None
    root_id = status.thread_root_id or status.pk
    skeleton = (
        Status.objects.filter(Q(pk=root_id) | Q(thread_root_id=root_id), deleted_at__isnull=True)
        .annotate(
            shown=Case(
                When(visible_q(viewer) & filter_q(viewer), then=Value(True)),
                default=Value(False),
                output_field=BooleanFieldType(),
            )
        )
        .values_list("pk", "in_reply_to_id", "account_id", "in_reply_to_account_id", "shown")
    )
    parent_of: dict[int, int | None] = {}
    shown: dict[int, bool] = {}
    self_reply: dict[int, bool] = {}
    children: dict[int, list[int]] = defaultdict(list)
    for pk, parent, account_id, reply_account_id, is_shown in skeleton:
        parent_of[pk] = parent
        shown[pk] = is_shown
        self_reply[pk] = reply_account_id == account_id
        if parent is not None:
            children[parent].append(pk)

    # Ancestors: the nearest `ancestor_limit`, walking through hidden ones; a deleted parent
    # (absent from the skeleton) ends the chain, as Mastodon's removed rows do.
    ancestor_ids: list[int] = []
    current = parent_of.get(status.pk)
    seen = {status.pk}
    while current is not None and current in parent_of and current not in seen:
        if len(ancestor_ids) >= ancestor_limit:
            break
        ancestor_ids.append(current)
        seen.add(current)
        current = parent_of[current]
    ancestor_ids.reverse()

    # Descendants: depth-first pre-order, siblings by id, limited in count and depth.
    descendant_ids: list[int] = []
    stack = [(child, 1) for child in sorted(children.get(status.pk, ()), reverse=True)]
    while stack and len(descendant_ids) < descendant_limit:
        pk, depth = stack.pop()
        if pk in seen:
            continue
        seen.add(pk)
        descendant_ids.append(pk)
        if max_depth is None or depth < max_depth:
            stack.extend((c, depth + 1) for c in sorted(children.get(pk, ()), reverse=True))

    ancestor_ids = [pk for pk in ancestor_ids if shown.get(pk)]
    descendant_ids = [pk for pk in descendant_ids if shown.get(pk)]
    # Self-replies first, each group in its own order (Mastodon's promote_by!).
    descendant_ids = [pk for pk in descendant_ids if self_reply[pk]] + [
        pk for pk in descendant_ids if not self_reply[pk]
    ]
    wanted = ancestor_ids + descendant_ids
    if not wanted:
        return Context()
    rows = statuses_for_page(wanted)
    return Context(
        ancestors=[rows[pk] for pk in ancestor_ids if pk in rows],
        descendants=[rows[pk] for pk in descendant_ids if pk in rows],
    )

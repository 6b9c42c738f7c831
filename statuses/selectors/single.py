"""One status, as a viewer may see it: one precompiled statement answers the row, its original,
visibility and the viewer's flags."""



from accounts.models import Block, Follow
from config import errors
from config.db import PreparedSelect
from statuses.models import (
    Bookmark,
    ConversationMute,
    Mention,
    Pin,
    Status,
    Vote,
)
from statuses.selectors.rows import statuses_for_page
from statuses.selectors.visibility import (
    ADDRESSING,
    TAG_HOLDERS,
    can_see,
    filter_q,
    row_visible_q,
    status_base_queryset,
    visible_q,
)
from statuses.status_page import ViewerFlags

MAX_IDS = 20


def _relationship_exists(alias: str, prefix: str = "") -> dict[str, str]:
    """The facts visibility depends on for the status at `alias`, as named columns, for the
    viewer `%(viewer)s`."""
    block, follow, mention = (m._meta.db_table for m in (Block, Follow, Mention))
    addressing, holders = ADDRESSING._meta.db_table, TAG_HOLDERS._meta.db_table
    return {
        f"{prefix}blocked_by_author":
            f"EXISTS (SELECT 1 FROM {block} b WHERE b.account_id = {alias}.account_id "
            "AND b.target_id = %(viewer)s)",
        f"{prefix}follows_author":
            f"EXISTS (SELECT 1 FROM {follow} f WHERE f.account_id = %(viewer)s "
            f"AND f.target_id = {alias}.account_id AND f.accepted)",
        f"{prefix}mentioned":
            f"EXISTS (SELECT 1 FROM {mention} m WHERE m.status_id = {alias}.id "
            "AND m.account_id = %(viewer)s)",
        f"{prefix}addressed_to_viewer":
            f"({alias}.addressed AND EXISTS (SELECT 1 FROM {addressing} sa JOIN {holders} th "
            f"ON th.tag_id = sa.tag_id WHERE sa.status_id = {alias}.id "
            "AND th.account_id = %(viewer)s))",
    }


def _interaction_exists() -> dict[str, str]:
    """The viewer's own flags on the proper status (the original of a reblog)."""
    proper = "COALESCE(t3.id, t0.id)"
    thread = "COALESCE(t3.thread_root_id, t3.id, t0.thread_root_id, t0.id)"
    return {
        "favourited": f"EXISTS (SELECT 1 FROM {Vote._meta.db_table} x "
                      f"WHERE x.status_id = {proper} AND x.account_id = %(viewer)s)",
        "reblogged": f"EXISTS (SELECT 1 FROM {Status._meta.db_table} x "
                     f"WHERE x.reblog_of_id = {proper} AND x.account_id = %(viewer)s "
                     "AND x.deleted_at IS NULL)",
        "bookmarked": f"EXISTS (SELECT 1 FROM {Bookmark._meta.db_table} x "
                      f"WHERE x.status_id = {proper} AND x.account_id = %(viewer)s)",
        "pinned": f"EXISTS (SELECT 1 FROM {Pin._meta.db_table} x "
                  f"WHERE x.status_id = {proper} AND x.account_id = %(viewer)s)",
        "muted": f"EXISTS (SELECT 1 FROM {ConversationMute._meta.db_table} x "
                 f"WHERE x.thread_id = {thread} AND x.account_id = %(viewer)s)",
    }


_RELATIONS = ["account", "application", "reblog_of", "reblog_of:account", "reblog_of:application"]


_SINGLE_ANONYMOUS = PreparedSelect(Status, relations=_RELATIONS, where="t0.id = %(status)s")


# t0 is the status, t3 its original when it is a reblog. Besides visibility, the same query
# answers the viewer's flags, so showing one status costs one query after the token.
SINGLE_FOR_VIEWER = PreparedSelect(
    Status, relations=_RELATIONS, where="t0.id = %(status)s",
    extra={**_relationship_exists("t0"), **_relationship_exists("t3", "original_"),
           **_interaction_exists()},
)


def _fetch_single(status_id: int, viewer, want_flags: bool = False):
    """(status with relations or None, whether the viewer may see it, ViewerFlags or None)."""
    if viewer is None:
        rows = _SINGLE_ANONYMOUS.fetch({"status": status_id})
    else:
        rows = SINGLE_FOR_VIEWER.fetch({"viewer": viewer.pk, "status": status_id})
    return judge_single(rows[0] if rows else (None, {}), viewer, want_flags)


def judge_single(row, viewer, want_flags: bool):
    """What a single-status row (SINGLE_FOR_VIEWER's, or the anonymous one's) says: (status or
    None, whether the viewer may see it, the viewer's flags when wanted)."""
    status, facts = row
    if status is None:
        return None, False, None
    fact = (lambda name: bool(facts[name])) if viewer is not None else (lambda name: False)
    viewer_flags_ = None
    if want_flags and viewer is not None:
        proper = status.reblog_of if status.reblog_of_id is not None else status
        viewer_flags_ = ViewerFlags()
        for name in ("favourited", "reblogged", "bookmarked", "pinned"):
            if fact(name):
                getattr(viewer_flags_, name).add(proper.pk)
        if fact("muted"):
            viewer_flags_.muted_threads.add(proper.thread_root_id or proper.pk)
    visible = can_see(status, viewer, blocked_by_author=fact("blocked_by_author"),
                      follows_author=fact("follows_author"), mentioned=fact("mentioned"),
                      addressed_to_viewer=fact("addressed_to_viewer"))
    if status.audience_id is not None:
        # A comment keeping its status's audience: rare enough to ask the database (one query).
        visible = Status.objects.filter(row_visible_q(viewer), pk=status.pk).exists()
    if visible and status.reblog_of_id is not None:
        original = status.reblog_of
        visible = original is not None and can_see(
            original, viewer, blocked_by_author=fact("original_blocked_by_author"),
            follows_author=fact("original_follows_author"),
            mentioned=fact("original_mentioned"),
            addressed_to_viewer=fact("original_addressed_to_viewer"),
        )
    return status, visible, viewer_flags_


def status_get_visible(*, status_id: int | None, viewer) -> Status:
    """The status if `viewer` may see it; NotFound otherwise (missing and hidden look alike).

    One precompiled query fetches the status, its author and application, its original when it
    is a reblog, and the facts visibility depends on; `can_see` decides.
    """
    return status_get_visible_with_flags(status_id=status_id, viewer=viewer)[0]


def status_get_visible_with_flags(*, status_id: int | None, viewer, row=None):
    """status_get_visible, plus the viewer's flags on it from the same query (for GET). `row`
    is the status as token_and_status already read it for this viewer."""
    if status_id is None:
        raise errors.NotFound("Not Found")
    if row is not None:
        status, visible, flags = judge_single(row, viewer, want_flags=True)
    else:
        status, visible, flags = _fetch_single(status_id, viewer, want_flags=True)
    if status is None or not visible:
        raise errors.NotFound("Not Found")
    return status, flags or ViewerFlags()


def status_is_visible(*, status: Status, viewer) -> bool:
    """Whether `viewer` may see `status` now (one query)."""
    _, visible, _ = _fetch_single(status.pk, viewer)
    return visible


def status_get_any(*, status_id: int | None) -> Status | None:
    """A kept status with its relations whatever its visibility, for undoing an interaction the
    caller already has (unfavourite works even after the author blocked you)."""
    if status_id is None:
        return None
    status, _, _ = _fetch_single(status_id, None)
    if status is None or status.deleted_at is not None:
        return None
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


def readable_or_own_deleted(get_visible, *, status_id: int | None, viewer,
                            comment: bool, kind: str | None = None) -> Status:
    """`get_visible`'s status, or else the viewer's own deleted status (a comment with
    `comment`), which SelfCommunity shows its author with `deleted: true` so the restore button
    has something to show."""
    try:
        return get_visible(status_id, viewer)
    except errors.NotFound:
        if viewer is None or status_id is None:
            raise
    own = status_base_queryset().filter(pk=status_id, account_id=viewer.pk,
                                        deleted_at__isnull=False, reblog_of__isnull=True,
                                        in_reply_to__isnull=not comment)
    if kind is not None:
        own = own.filter(contribution_type=kind)
    status = own.first()
    if status is None:
        raise errors.NotFound("Not Found")
    return status


def contribution_get_readable(*, status_id: int | None, viewer,
                              kind: str | None = None) -> Status:
    """contribution_get_visible, and also the viewer's own deleted statuses."""
    return readable_or_own_deleted(
        lambda pk, who: contribution_get_visible(status_id=pk, viewer=who, kind=kind),
        status_id=status_id, viewer=viewer, comment=False, kind=kind)


def contribution_get_visible(*, status_id: int | None, viewer, kind: str | None = None
                             ) -> Status:
    """A status as SelfCommunity addresses it: visible, and a post of its own (a reblog wrapper
    is Mastodon's alone; a reply is a SelfCommunity comment). With `kind`, only a contribution
    of that type (`status`, `post`, `discussion`): each route family answers its own."""
    status = status_get_visible(status_id=status_id, viewer=viewer)
    if status.reblog_of_id is not None or status.in_reply_to_id is not None:
        raise errors.NotFound("Not Found")
    if kind is not None and status.contribution_type != kind:
        raise errors.NotFound("Not Found")
    return status

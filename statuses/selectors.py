"""Reads of statuses. Every read goes through `visible_to`, so a hidden status cannot leak."""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField as BooleanFieldType
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Now

from accounts.models import Account, Application, Block, Follow, Mute, Visibility
from categories.models import Tag
from categories.selectors import attach_parent_ids
from config import errors, querycache
from config.db import PreparedSelect, RowsById
from statuses.models import (
    Bookmark,
    ConversationMute,
    Mention,
    NotificationSuspension,
    Pin,
    Poll,
    QuoteState,
    Status,
    StatusEdit,
    StatusFollow,
    StatusHide,
    Vote,
)

_ADDRESSING = Status.addressing.through
_HOLDERS = Tag.holders.through

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
    """Statuses by id with their authors, applications and (for reblogs) originals, for a page.

    Authors and apps repeat across a thread or timeline, so each distinct one is read (and built)
    once, in its own query, instead of once per row through a join: a fixed number of queries
    whatever the page size (one more when the page holds reblogs, for their originals).
    """
    if not ids:
        return {}
    statuses = list(_STATUS_ROWS.fetch(ids).values())
    original_ids = {s.reblog_of_id for s in statuses if s.reblog_of_id is not None}
    originals = list(_STATUS_ROWS.fetch(original_ids).values()) if original_ids else []
    everything = statuses + originals
    accounts = _ACCOUNT_ROWS.fetch({s.account_id for s in everything})
    app_ids = {s.application_id for s in everything if s.application_id is not None}
    apps = Application.objects.in_bulk(app_ids) if app_ids else {}
    by_id = {s.pk: s for s in originals}
    for status in everything:
        _ACCOUNT_FIELD.set_cached_value(status, accounts[status.account_id])
        _APP_FIELD.set_cached_value(status, apps.get(status.application_id))
        if status.reblog_of_id is not None:
            _REBLOG_FIELD.set_cached_value(status, by_id.get(status.reblog_of_id))
    return {s.pk: s for s in statuses}


_STATUS_ROWS = RowsById(Status)
_ACCOUNT_ROWS = RowsById(Account)
_ACCOUNT_FIELD = Status._meta.get_field("account")
_APP_FIELD = Status._meta.get_field("application")
_REBLOG_FIELD = Status._meta.get_field("reblog_of")


def _audience_q(viewer, prefix: str) -> Q:
    """A comment that keeps its status's audience (`audience`, set on SelfCommunity comments)
    is seen by whoever may see that status, unless collapsed itself."""
    shared = Status.objects.filter(pk=OuterRef(prefix + "audience_id")).filter(
        _visible_q(viewer, audience=False))
    # (`own` is the rule of a status that keeps no other's audience.)
    own = Q(**{prefix + "audience__isnull": True})
    through = Q(**{prefix + "audience__isnull": False})
    if viewer is None or not viewer.is_moderator:
        through &= Q(**{prefix + "collapsed": False})
    return own, through & Exists(shared)


def _visible_q(viewer, prefix: str = "", *, include_deleted: bool = False,
               audience: bool = True) -> Q:
    """StatusPolicy#show? for the status at `prefix` (empty: the row itself); with
    `include_deleted`, whether it would be visible were it not deleted."""

    def q(**lookups) -> Q:
        return Q(**{prefix + key: value for key, value in lookups.items()})

    kept = q(account__suspended_at__isnull=True)
    if not include_deleted:
        kept &= q(deleted_at__isnull=True)
    if viewer is None:
        shown = q(visibility__in=PUBLIC_LIKE, collapsed=False)
        if audience:
            own, through_status = _audience_q(None, prefix)
            shown = (own & shown) | through_status
        return kept & shown
    author = OuterRef(prefix + "account_id")
    blocked_by_author = Block.objects.filter(account_id=author, target_id=viewer.pk)
    follows_author = Follow.objects.filter(account_id=viewer.pk, target_id=author, accepted=True)
    mentioned = Mention.objects.filter(status_id=OuterRef(prefix + "pk"), account_id=viewer.pk)
    addressed_to_viewer = _ADDRESSING.objects.filter(
        status_id=OuterRef(prefix + "pk"),
        tag_id__in=_HOLDERS.objects.filter(account_id=viewer.pk).values("tag_id"),
    )
    # Moderators see what moderators collapsed (the rest of the rule still applies to them).
    uncollapsed = Q() if viewer.is_moderator else q(collapsed=False)
    others = uncollapsed & (
        (q(visibility__in=PUBLIC_LIKE) & ~Exists(blocked_by_author))
        | (q(visibility=Visibility.PRIVATE, addressed=False) & Exists(follows_author))
        | (q(visibility=Visibility.PRIVATE, addressed=True) & Exists(addressed_to_viewer)
           & ~Exists(blocked_by_author))
        | (q(visibility__gte=Visibility.PRIVATE) & Exists(mentioned))
    )
    mine = q(account_id=viewer.pk)
    if audience:
        own, through_status = _audience_q(viewer, prefix)
        others = (own & others) | through_status
        # One's own comment goes with the status it answers when that status is deleted.
        mine &= own | q(audience__deleted_at__isnull=True)
    return kept & (mine | others)


def visible_q(viewer) -> Q:
    """Section B of the behaviour spec as one WHERE clause. A reblog is visible when both the
    wrapper and its original are."""
    return _visible_q(viewer) & (Q(reblog_of__isnull=True) | _visible_q(viewer, "reblog_of__"))


def _filter_q(viewer, prefix: str = "") -> Q:
    if viewer is None:
        return Q(**{prefix + "account__silenced_at__isnull": True})
    author = OuterRef(prefix + "account_id")
    blocks = Block.objects.filter(account_id=viewer.pk, target_id=author)
    mutes = Mute.objects.filter(account_id=viewer.pk, target_id=author).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=Now())
    )
    follows = Follow.objects.filter(account_id=viewer.pk, target_id=author, accepted=True)
    return Q(**{prefix + "account_id": viewer.pk}) | (
        ~Exists(blocks)
        & ~Exists(mutes)
        & (Q(**{prefix + "account__silenced_at__isnull": True}) | Exists(follows))
    )


def filter_q(viewer) -> Q:
    """StatusFilter, applied to lists on top of visibility: drops authors the viewer blocks or
    mutes, and silenced authors the viewer does not follow. The viewer's own are never dropped.
    For a reblog, the original's author is checked too."""
    return _filter_q(viewer) & (Q(reblog_of__isnull=True) | _filter_q(viewer, "reblog_of__"))


def visible_to(viewer) -> QuerySet[Status]:
    return status_base_queryset().filter(visible_q(viewer))


def can_see(status: Status, viewer, *, blocked_by_author: bool, follows_author: bool,
            mentioned: bool, addressed_to_viewer: bool = False) -> bool:
    """`_visible_q` for one status already in memory (the single-status fast path). The two are
    checked against each other over every combination in tests/statuses/test_visibility.py."""
    if status.deleted_at is not None or status.account.suspended_at is not None:
        return False
    if viewer is None:
        return status.visibility in PUBLIC_LIKE and not status.collapsed
    if status.account_id == viewer.pk:
        return True
    if status.collapsed and not viewer.is_moderator:
        return False
    if status.visibility in PUBLIC_LIKE:
        return not blocked_by_author
    if status.visibility == Visibility.PRIVATE and not status.addressed and follows_author:
        return True
    if (status.visibility == Visibility.PRIVATE and status.addressed and addressed_to_viewer
            and not blocked_by_author):
        return True
    return status.visibility >= Visibility.PRIVATE and mentioned


def _relationship_exists(alias: str, prefix: str = "") -> dict[str, str]:
    """The facts visibility depends on for the status at `alias`, as named columns, for the
    viewer `%(viewer)s`."""
    block, follow, mention = (m._meta.db_table for m in (Block, Follow, Mention))
    addressing, holders = _ADDRESSING._meta.db_table, _HOLDERS._meta.db_table
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
        visible = Status.objects.filter(_visible_q(viewer), pk=status.pk).exists()
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


@dataclass
class Context:
    ancestors: list[Status] = field(default_factory=list)
    descendants: list[Status] = field(default_factory=list)


def _thread_skeleton(*, viewer, root_id: int) -> QuerySet:
    # A thread holds no reblogs, so the rows' own rules suffice (no join to originals).
    return (
        Status.objects.filter(Q(pk=root_id) | Q(thread_root_id=root_id), deleted_at__isnull=True,
                              reblog_of__isnull=True)
        .annotate(
            shown=Case(
                When(_visible_q(viewer) & _filter_q(viewer), then=Value(True)),
                default=Value(False),
                output_field=BooleanFieldType(),
            )
        )
        .values_list("pk", "in_reply_to_id", "account_id", "in_reply_to_account_id", "shown")
    )


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
    skeleton = querycache.fetch("context", _thread_skeleton, viewer=viewer,
                                root_id=status.thread_root_id or status.pk)
    parent_of: dict[int, int | None] = {}
    shown: dict[int, bool] = {}
    self_reply: dict[int, bool] = {}
    children: dict[int, list[int]] = defaultdict(list)
    for pk, parent, account_id, reply_account_id, is_shown in skeleton:
        parent_of[pk] = parent
        shown[pk] = bool(is_shown)
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


@dataclass
class ViewerFlags:
    """What one viewer has done to a page of statuses, as sets of status ids (threads for mutes)."""

    favourited: set[int] = field(default_factory=set)
    reblogged: set[int] = field(default_factory=set)
    bookmarked: set[int] = field(default_factory=set)
    pinned: set[int] = field(default_factory=set)
    muted_threads: set[int] = field(default_factory=set)


def _in(column: str, values: list[int]) -> tuple[str, list]:
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [values]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def viewer_flags(viewer, statuses) -> ViewerFlags:
    """Per-viewer flags for a page (originals of reblogs included) in one query, whatever the
    page's size; none for anonymous callers."""
    flags = ViewerFlags()
    if viewer is None:
        return flags
    ids: set[int] = set()
    threads: set[int] = set()
    for status in statuses:
        ids.add(status.pk)
        threads.add(status.thread_root_id or status.pk)
        if status.reblog_of_id is not None:
            ids.add(status.reblog_of_id)
            original = status.reblog_of
            if original is not None:
                threads.add(original.thread_root_id or original.pk)
    if not ids:
        return flags
    id_list = sorted(ids)
    parts, params = [], []
    for tag, table, column, extra in (
        ("f", Vote._meta.db_table, "status_id", ""),
        ("r", Status._meta.db_table, "reblog_of_id", " AND deleted_at IS NULL"),
        ("b", Bookmark._meta.db_table, "status_id", ""),
        ("p", Pin._meta.db_table, "status_id", ""),
    ):
        clause, clause_params = _in(column, id_list)
        parts.append(f"SELECT '{tag}', {column} FROM {table} WHERE account_id = %s AND {clause}"
                     + extra)
        params += [viewer.pk, *clause_params]
    clause, clause_params = _in("thread_id", sorted(threads))
    parts.append(f"SELECT 'm', thread_id FROM {ConversationMute._meta.db_table} "
                 f"WHERE account_id = %s AND {clause}")
    params += [viewer.pk, *clause_params]
    target = {"f": flags.favourited, "r": flags.reblogged, "b": flags.bookmarked,
              "p": flags.pinned, "m": flags.muted_threads}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for tag, status_id in cursor.fetchall():
            target[tag].add(status_id)
    return flags


def _account_filter_q(viewer, prefix: str) -> Q:
    """Accounts a list of people shows: not suspended; for a viewer, none they block, that block
    them, or that they mute (spec item 127)."""
    q = Q(**{prefix + "account__suspended_at__isnull": True})
    if viewer is None:
        return q
    author = OuterRef(prefix + "account_id")
    return (
        q
        & ~Exists(Block.objects.filter(account_id=viewer.pk, target_id=author))
        & ~Exists(Block.objects.filter(account_id=author, target_id=viewer.pk))
        & ~Exists(Mute.objects.filter(account_id=viewer.pk, target_id=author))
    )


def favourited_by(*, status: Status, viewer) -> QuerySet[Vote]:
    """Votes on `status` whose accounts the viewer may see listed, cursor = vote id."""
    return (
        Vote.objects.filter(status=status)
        .filter(_account_filter_q(viewer, ""))
        .select_related("account")
    )


def reblogged_by(*, status: Status, viewer) -> QuerySet[Status]:
    """Public and unlisted live reblogs of `status`, cursor = wrapper id."""
    return (
        Status.objects.filter(
            reblog_of=status, deleted_at__isnull=True, visibility__in=PUBLIC_LIKE
        )
        .filter(_account_filter_q(viewer, ""))
        .select_related("account")
    )


def attach_media(statuses) -> None:
    """Load the media of a page of statuses (and of reblogged originals) in one query, only when
    some status has any (`media_count` is a column), and keep them as `status.media_list`."""
    from media.models import MediaAttachment

    everything = []
    for status in statuses:
        everything.append(status)
        if status.reblog_of_id is not None and status.reblog_of is not None:
            everything.append(status.reblog_of)
    pending = [s for s in everything if not hasattr(s, "media_list")]
    with_media = {s.pk for s in pending if s.media_count or s.quote_of_id}
    found: dict[int, list] = defaultdict(list)
    if with_media:
        for media in MediaAttachment.objects.filter(status_id__in=with_media).order_by(
            "status_id", "position"
        ):
            found[media.status_id].append(media)
    for status in pending:
        status.media_list = found.get(status.pk, [])


def status_history(*, status: Status) -> list:
    """Revisions oldest first; a status never edited has one, built from its current state.
    Returns (edit, media by id) so each revision shows its media with the description it had."""
    from media.models import MediaAttachment

    edits = list(StatusEdit.objects.filter(status=status).order_by("id"))
    if not edits:
        attach_media([status])
        edits = [StatusEdit(
            status=status, account_id=status.account_id, text=status.text,
            spoiler_text=status.spoiler_text, html=status.html, sensitive=status.sensitive,
            media=[[m.pk, m.description] for m in status.media_list],
            poll_options=(Poll.objects.filter(status=status).values_list("options", flat=True)
                          .first() if status.has_poll else None),
            quoted_status_id=status.quote_of_id, created_at=status.created_at,
        )]
    media_ids = {pair[0] for edit in edits for pair in edit.media}
    media = MediaAttachment.objects.in_bulk(media_ids) if media_ids else {}
    return [(edit, media) for edit in edits]


@dataclass
class ContributionDetails:
    """What SelfCommunity shows of a page of statuses beyond their rows, by status id: loaded
    in a fixed number of queries whatever the page's size."""

    categories: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    tags: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    addressing: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    # [(reaction, count)] per status, most used first; the viewer's reaction per status.
    reactions: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    voted: dict[int, object] = field(default_factory=dict)
    # The statuses the page's `share` media point at that the viewer may see now, by id.
    shared: dict[int, Status] = field(default_factory=dict)
    # The viewer's follows and suspended notifications among the page's statuses.
    followed: set[int] = field(default_factory=set)
    suspended: set[int] = field(default_factory=set)


def _viewer_marks(details: ContributionDetails, ids: list[int], liked: list[int], viewer
                  ) -> dict[int, int | None]:
    """Which of `ids` the viewer follows or has suspended, and the viewer's reaction on each of
    `liked` (null: the default one), in one query. Returns the reactions by status id."""
    parts, params = [], []
    # PostgreSQL types a bare NULL as text, which a UNION with the bigint column refuses.
    none = "CAST(NULL AS BIGINT)"
    sources = [("f", StatusFollow, none, ids), ("s", NotificationSuspension, none, ids)]
    if liked:
        sources.append(("v", Vote, "reaction_id", liked))
    for tag, model, extra, among in sources:
        clause, clause_params = _in("status_id", among)
        parts.append(f"SELECT '{tag}', status_id, {extra} FROM {model._meta.db_table} "
                     f"WHERE account_id = %s AND {clause}")
        params += [viewer.pk, *clause_params]
    target = {"f": details.followed, "s": details.suspended}
    mine: dict[int, int | None] = {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for tag, status_id, reaction_id in cursor.fetchall():
            if tag == "v":
                mine[status_id] = reaction_id
            else:
                target[tag].add(status_id)
    return mine


def _reactions_with_counts(liked: list[int]):
    """Every reaction, once per status of `liked` that has votes with it (`counted_status_id`,
    `n`), or once with `counted_status_id` None."""
    from categories.models import Reaction

    table = Reaction._meta.db_table
    clause, params = _in("status_id", liked)
    return Reaction.objects.raw(
        f"SELECT r.*, c.status_id AS counted_status_id, c.n AS n FROM {table} r "
        f"LEFT JOIN (SELECT status_id, reaction_id, COUNT(*) AS n FROM {Vote._meta.db_table} "
        f"WHERE {clause} GROUP BY status_id, reaction_id) c "
        "ON c.reaction_id = r.id OR (c.reaction_id IS NULL AND r.is_default) ORDER BY r.id",
        params)


class _LinkedRows:
    """What a page's statuses link to through a many-to-many table (categories, tags,
    addressing), in link order, as (status id, row): one precompiled statement on PostgreSQL
    (building the ORM's select_related cost more than running it), the ORM elsewhere."""

    def __init__(self, through, target: str):
        self.through, self.target = through, target
        self._select = None

    def fetch(self, ids) -> list[tuple[int, object]]:
        if connection.vendor != "postgresql":
            links = (self.through.objects.filter(status_id__in=ids).order_by("id")
                     .select_related(self.target))
            return [(link.status_id, getattr(link, self.target)) for link in links]
        if self._select is None:
            self._select = PreparedSelect(self.through, relations=[self.target],
                                          where="t0.status_id = ANY(%(ids)s)", order_by="t0.id")
        return [(link.status_id, getattr(link, self.target))
                for link, _ in self._select.fetch({"ids": list(ids)})]


_CATEGORY_LINKS = _LinkedRows(Status.categories.through, "category")
_TAG_LINKS = _LinkedRows(Status.tags.through, "tag")
_ADDRESSING_LINKS = _LinkedRows(_ADDRESSING, "tag")


def contribution_details(statuses, viewer) -> ContributionDetails:
    details = ContributionDetails()
    ids = [s.pk for s in statuses]
    if not ids:
        return details
    # A status whose cached SelfCommunity rendering holds its medias has none to read
    # (statuses/selfcommunity/serializers.py).
    attach_media([s for s in statuses if not getattr(s, "media_cached", False)])
    details.shared = shared_statuses_visible(statuses, viewer)
    for status_id, category in _CATEGORY_LINKS.fetch(ids):
        details.categories[status_id].append(category)
    attach_parent_ids([c for shown in details.categories.values() for c in shown])
    for status_id, tag in _TAG_LINKS.fetch(ids):
        details.tags[status_id].append(tag)
    addressed = [s.pk for s in statuses if s.addressed]
    if addressed:
        for status_id, tag in _ADDRESSING_LINKS.fetch(addressed):
            details.addressing[status_id].append(tag)
    liked = [s.pk for s in statuses if s.likes_count]
    mine = _viewer_marks(details, ids, liked, viewer) if viewer is not None else {}
    if liked:
        # Reactions are a short list edited by moderators: all of them, each with its counts on
        # the page (a vote with no reaction is the default one's), in one query.
        reactions, default = {}, None
        for row in _reactions_with_counts(liked):
            reaction = reactions.setdefault(row.pk, row)
            if reaction.is_default:
                default = reaction
            if row.counted_status_id is not None:
                details.reactions[row.counted_status_id].append((reaction, row.n))
        for status_id in details.reactions:
            merged: dict[int, list] = {}
            for reaction, n in details.reactions[status_id]:
                entry = merged.setdefault(reaction.pk, [reaction, 0])
                entry[1] += n
            details.reactions[status_id] = sorted(
                ((r, n) for r, n in merged.values()), key=lambda pair: (-pair[1], pair[0].pk))
        for status_id, reaction_id in mine.items():
            details.voted[status_id] = (reactions.get(reaction_id) if reaction_id is not None
                                        else default)
    return details


def visible_ignoring_deletion_q(viewer) -> Q:
    """`visible_q` of a status itself (not a reblog's original), as if it were not deleted."""
    return _visible_q(viewer, include_deleted=True)


def status_visible_ignoring_deletion(*, status: Status, viewer) -> bool:
    """Whether `viewer` could see `status` were it not deleted (to tell "not yours" from "not
    there" when someone else asks to restore it)."""
    return Status.objects.filter(visible_ignoring_deletion_q(viewer), pk=status.pk).exists()


def readable_or_own_deleted(get_visible, *, status_id: int | None, viewer,
                            comment: bool) -> Status:
    """`get_visible`'s status, or else the viewer's own deleted status (a comment with
    `comment`), which SelfCommunity shows its author with `deleted: true` so the restore button
    has something to show."""
    try:
        return get_visible(status_id, viewer)
    except errors.NotFound:
        if viewer is None or status_id is None:
            raise
    status = (status_base_queryset().filter(pk=status_id, account_id=viewer.pk,
                                            deleted_at__isnull=False, reblog_of__isnull=True,
                                            in_reply_to__isnull=not comment).first())
    if status is None:
        raise errors.NotFound("Not Found")
    return status


def contribution_get_readable(*, status_id: int | None, viewer) -> Status:
    """contribution_get_visible, and also the viewer's own deleted statuses."""
    return readable_or_own_deleted(
        lambda pk, who: contribution_get_visible(status_id=pk, viewer=who),
        status_id=status_id, viewer=viewer, comment=False)


def contribution_get_visible(*, status_id: int | None, viewer) -> Status:
    """A status as SelfCommunity addresses it: visible, and a post of its own (a reblog wrapper
    is Mastodon's alone; a reply is a SelfCommunity comment)."""
    status = status_get_visible(status_id=status_id, viewer=viewer)
    if status.reblog_of_id is not None or status.in_reply_to_id is not None:
        raise errors.NotFound("Not Found")
    return status


def contributions_queryset(viewer) -> QuerySet[Status]:
    """SelfCommunity's status lists: every top-level status the viewer may see. Not direct
    messages, reblogs or replies, nothing from accounts the viewer blocks or mutes, none the
    viewer hid (but their own), and others' unlisted statuses stay out of it as they stay out
    of Mastodon's public timeline."""
    hidden = Q(visibility=Visibility.DIRECT) | Q(visibility=Visibility.UNLISTED)
    if viewer is not None:
        hidden = Q(visibility=Visibility.DIRECT) | (
            Q(visibility=Visibility.UNLISTED) & ~Q(account_id=viewer.pk))
    # No reblogs here, so the rules are the status's own (visible_q and filter_q without their
    # reblog halves, whose joins to the original would only cost: at 100,000 statuses they made
    # the count and the page a second each). No replies either, and only SelfCommunity
    # comments (replies) keep another status's audience: the audience half goes too (its join
    # hashed the whole table before the first row).
    queryset = Status.objects.filter(
        _visible_q(viewer, audience=False), _filter_q(viewer), reblog_of__isnull=True,
        in_reply_to__isnull=True,
    ).exclude(hidden)
    if viewer is not None:
        # "Hide for me" takes a status out of that reader's lists; authors keep their own.
        queryset = queryset.exclude(
            Exists(StatusHide.objects.filter(status_id=OuterRef("pk"), account_id=viewer.pk)),
            ~Q(account_id=viewer.pk))
    return queryset


def _contribution_ids(*, viewer, ordering: tuple[str, ...] = ()) -> QuerySet:
    queryset = contributions_queryset(viewer)
    if ordering:
        queryset = queryset.order_by(*ordering)
    return queryset.values_list("pk", flat=True)


def count_bound(limit: int, offset: int) -> int:
    """Where a SelfCommunity list stops counting: SC_LIST_COUNT_CAP, or one past the page when
    the page lies deeper. So `count` is exact up to the cap and a lower bound beyond it, a list
    costs the same at a million statuses as at a thousand, and `next` is still right: there
    is a next page exactly when the count reaches past this one."""
    return max(settings.SC_LIST_COUNT_CAP, offset + limit + 1)


def contributions_page(*, viewer, ordering: tuple[str, ...], limit: int, offset: int
                       ) -> tuple[int, list[Status]]:
    """contributions_queryset as a page, with its count (see count_bound)."""
    # Through the compiled-statement cache: building and compiling the rule cost more than
    # running it.
    count = querycache.count("contributions", _contribution_ids, viewer=viewer,
                             bound=count_bound(limit, offset))
    ids = [row[0] for row in querycache.fetch(
        ("contributions", ordering), partial(_contribution_ids, ordering=ordering),
        viewer=viewer, limit=limit, offset=offset)] if limit > 0 else []
    if not ids:
        return count, []
    rows = statuses_for_page(ids)
    return count, [rows[pk] for pk in ids if pk in rows]


# --- shares and quotes ----------------------------------------------------------------------
# A status that shares another (`quote_of`, set by a SelfCommunity `share` media) shows the
# shared one to each reader only as far as the one visibility rule lets that reader see it now:
# nothing of the shared text is stored with the share.

_QUOTE_FIELD = Status._meta.get_field("quote_of")


def _as_flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False),
                output_field=BooleanFieldType())


def shared_statuses_visible(statuses, viewer) -> dict[int, Status]:
    """The statuses that the `share` media of a page (their `media_list`, see attach_media)
    point at and that `viewer` may see now, by id, holding what a share shows of them (the
    summary). One query through `visible_q` for the whole page; none when nothing is shared."""
    from media.models import MediaKind

    # A share whose quote the shared status's author revoked shows it no more.
    ids = {media.shared_status_id for status in statuses
           if status.quote_state == QuoteState.ACCEPTED
           for media in getattr(status, "media_list", ())
           if media.kind == MediaKind.SHARE and media.shared_status_id is not None}
    if not ids:
        return {}
    return Status.objects.filter(visible_q(viewer), pk__in=ids).only("pk", "summary").in_bulk()


def attach_quotes(statuses, viewer) -> list[Status]:
    """Load what a page's statuses (and the originals of its reblogs) quote, in one query
    whatever the page's size, none when nothing quotes: each quoted row comes with its author
    and application and is cached as the quoting status's `quote_of` (None if the row is gone).

    Each quoted row carries `viewer_may_see` (`visible_q` for this viewer; a deleted row is
    never visible), and, for the status it quotes in turn (which is not loaded),
    `quote_viewer_may_see` and `quote_gone` (deleted). Returns the quoted rows the viewer may
    see, which are the ones whose media and flags the page needs too."""
    quoting = []
    for status in statuses:
        quoting.append(status)
        if status.reblog_of_id is not None and status.reblog_of is not None:
            quoting.append(status.reblog_of)
    quoting = [s for s in quoting if s.quote_of_id is not None]
    if not quoting:
        return []
    rows = (
        Status.objects.filter(pk__in={s.quote_of_id for s in quoting})
        .select_related("account", "application")
        .annotate(
            viewer_may_see=_as_flag(visible_q(viewer) & Q(reblog_of__isnull=True)),
            quote_viewer_may_see=_as_flag(Q(quote_of__isnull=False)
                                          & _visible_q(viewer, "quote_of__")),
            quote_gone=_as_flag(Q(quote_of__deleted_at__isnull=False)),
        )
        .in_bulk()
    )
    for status in quoting:
        _QUOTE_FIELD.set_cached_value(status, rows.get(status.quote_of_id))
    return [row for row in rows.values() if row.viewer_may_see]


def instance_stats() -> dict[str, int]:
    """The counts `/api/v1/instance` reports: active users and kept statuses."""
    return {
        "user_count": Account.objects.filter(is_active=True).count(),
        "status_count": Status.objects.filter(deleted_at__isnull=True).count(),
        "domain_count": 0,
    }

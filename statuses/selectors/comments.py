"""Reads of SelfCommunity comments: the replies in a status's thread, seen as SelfCommunity's
two levels. A top-level comment answers the status; every deeper reply belongs to the branch of
the top-level comment it descends from (its `parent`), and `in_reply_to` is the comment it
answers. Both are derived from the one reply tree, whichever dialect wrote the rows."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef

from accounts.models import Follow
from config import errors
from statuses.models import Status
from statuses.selectors.rows import statuses_for_page
from statuses.selectors.single import (
    contribution_get_visible,
    readable_or_own_deleted,
    status_get_visible,
)
from statuses.selectors.visibility import filter_q, visible_q

LATEST_COMMENTS = 3


def commentable_status(*, status_id: int | None, viewer, kind: str = "status") -> Status:
    """The contribution of type `kind` a comment goes under (or a list of comments is about); a
    field error on the field named after the type (`status`, `post`, `discussion`) otherwise."""
    if status_id is None:
        raise errors.Invalid("This field is required.", code="required", field=kind)
    try:
        return contribution_get_visible(status_id=status_id, viewer=viewer, kind=kind)
    except errors.NotFound:
        raise errors.does_not_exist(kind, status_id) from None


def _is_comment(status: Status) -> bool:
    return status.in_reply_to_id is not None and status.reblog_of_id is None


def comment_get_visible(*, comment_id: int | None, viewer) -> Status:
    status = status_get_visible(status_id=comment_id, viewer=viewer)
    if not _is_comment(status):
        raise errors.NotFound("Not Found")
    return status


def comment_get_visible_or_none(*, comment_id: int | None, viewer) -> Status | None:
    try:
        return comment_get_visible(comment_id=comment_id, viewer=viewer)
    except errors.NotFound:
        return None


def comment_get_readable(*, comment_id: int | None, viewer) -> Status:
    """A visible comment, or the viewer's own deleted one (to restore it)."""
    return readable_or_own_deleted(
        lambda pk, who: comment_get_visible(comment_id=pk, viewer=who),
        status_id=comment_id, viewer=viewer, comment=True)


def thread_branches(root_id: int) -> dict[int, int]:
    """The top-level comment each row of the thread descends from (itself for a top-level one),
    from one indexed query over the thread."""
    return threads_branches({root_id})


def threads_branches(root_ids) -> dict[int, int]:
    """`thread_branches` of several threads at once (a moderation page mixes threads), still
    one query."""
    rows = (Status.objects.filter(thread_root_id__in=root_ids, reblog_of__isnull=True)
            .values_list("pk", "in_reply_to_id", "thread_root_id"))
    parent_of, root_of = {}, {}
    for pk, parent, root in rows:
        parent_of[pk], root_of[pk] = parent, root
    branches: dict[int, int] = {}
    for pk in parent_of:
        chain, current = [], pk
        while current not in branches and parent_of.get(current) not in (None, root_of[pk]):
            chain.append(current)
            current = parent_of[current]
            if len(chain) > len(parent_of):  # a cycle cannot happen, but never loop forever
                break
        top = branches.get(current, current)
        for member in chain + [current]:
            branches[member] = top
    return branches


def comment_branch(comment: Status) -> int:
    return thread_branches(comment.thread_root_id or comment.pk).get(comment.pk, comment.pk)


ORDERINGS = {"added_at", "-added_at", "connection", "-connection"}


def parse_ordering(raw: str | None) -> list[str]:
    """`added_at` (the default), `connection` (accounts the viewer follows first), `-` for
    descending, comma-combined; unknown parts are ignored, as DRF's OrderingFilter does."""
    parts = [p.strip() for p in (raw or "").split(",") if p.strip() in ORDERINGS]
    return parts or ["added_at"]


def comments_page(*, status: Status, viewer, parent_id: int | None, ordering: list[str],
                  limit: int, offset: int) -> tuple[int, list[Status]]:
    """(count, page) of the comments under `status` the viewer may see: top-level ones, or with
    `parent` the comments of that top-level comment's branch."""
    branches = thread_branches(status.pk)
    if parent_id is None:
        members = [pk for pk, top in branches.items() if top == pk]
    else:
        members = [pk for pk, top in branches.items() if top == parent_id and pk != parent_id]
    if not members:
        return 0, []
    queryset = Status.objects.filter(visible_q(viewer), filter_q(viewer), pk__in=members)
    order = []
    for part in ordering:
        descending = part.startswith("-")
        if part.lstrip("-") == "connection":
            if viewer is not None:
                queryset = queryset.annotate(connected=Exists(Follow.objects.filter(
                    account_id=viewer.pk, target_id=OuterRef("account_id"), accepted=True)))
                # Connected accounts first for `connection`, last for `-connection`.
                order.append("connected" if descending else "-connected")
        else:
            order += ["-created_at", "-id"] if descending else ["created_at", "id"]
    if "id" not in order and "-id" not in order:
        order.append("id")
    count = queryset.count()
    ids = list(queryset.order_by(*order).values_list("pk", flat=True)[offset:offset + limit])
    rows = statuses_for_page(ids)
    return count, [rows[pk] for pk in ids if pk in rows]


@dataclass
class CommentTree:
    """What a page of comments shows beyond their rows, by comment id."""

    parent: dict[int, int | None] = field(default_factory=dict)
    in_reply_to: dict[int, int | None] = field(default_factory=dict)
    comment_count: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    latest: dict[int, list[Status]] = field(default_factory=lambda: defaultdict(list))
    status_slugs: dict[int, str] = field(default_factory=dict)
    # The contribution type of each status the page's comments are under (its comment key).
    status_types: dict[int, str] = field(default_factory=dict)


def comment_tree(comments: list[Status], viewer) -> CommentTree:
    """Parents, answered comments, visible nested counts and the latest nested comments of a
    page of comments, in a fixed number of queries (one for the threads on the page, plus the visible branch members, their rows and the statuses' slugs)."""
    tree = CommentTree()
    if not comments:
        return tree
    roots = {c.thread_root_id or c.pk for c in comments}
    branches = threads_branches(roots)
    tops = set()
    for comment in comments:
        root = comment.thread_root_id or comment.pk
        top = branches.get(comment.pk, comment.pk)
        is_top = top == comment.pk
        tree.parent[comment.pk] = None if is_top else top
        tree.in_reply_to[comment.pk] = (None if is_top or comment.in_reply_to_id == root
                                        else comment.in_reply_to_id)
        if is_top:
            tops.add(comment.pk)
    members = [pk for pk, top in branches.items() if top in tops and pk != top]
    if members:
        shown = list(Status.objects.filter(visible_q(viewer), filter_q(viewer), pk__in=members)
                     .order_by("-id").values_list("pk", flat=True))
        latest_ids = []
        for pk in shown:
            top = branches[pk]
            tree.comment_count[top] += 1
            if tree.comment_count[top] <= LATEST_COMMENTS:
                latest_ids.append(pk)
        rows = statuses_for_page(latest_ids)
        for pk in latest_ids:
            if pk in rows:
                tree.latest[branches[pk]].append(rows[pk])
        for pk, row in rows.items():
            tree.parent[pk] = branches[pk]
            tree.in_reply_to[pk] = row.in_reply_to_id
    for pk, slug, kind in Status.objects.filter(pk__in=roots).values_list(
            "pk", "slug", "contribution_type"):
        tree.status_slugs[pk] = slug
        tree.status_types[pk] = kind
    return tree

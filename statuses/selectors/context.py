"""A status's thread (ancestors and descendants) in a constant number of statements, with Mastodon's
limits."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import BooleanField as BooleanFieldType
from django.db.models import Case, Q, QuerySet, Value, When

from config import querycache
from statuses.models import (
    Status,
)
from statuses.selectors.rows import statuses_for_page
from statuses.selectors.visibility import row_filter_q, row_visible_q

ANONYMOUS_ANCESTORS = 40


ANONYMOUS_DESCENDANTS = 60


ANONYMOUS_DEPTH = 20


USER_CONTEXT_LIMIT = 4096


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
                When(row_visible_q(viewer) & row_filter_q(viewer), then=Value(True)),
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

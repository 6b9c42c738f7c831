"""SelfCommunity's status lists: every top-level status the viewer may see, paged and counted."""

from functools import partial

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Visibility
from config import querycache
from statuses.models import (
    Status,
    StatusHide,
)
from statuses.selectors.rows import statuses_for_page
from statuses.selectors.visibility import row_filter_q, row_visible_q


def contributions_queryset(viewer, kind: str | None = None) -> QuerySet[Status]:
    """SelfCommunity's status lists: every top-level status the viewer may see. Not direct
    messages, reblogs or replies, nothing from accounts the viewer blocks or mutes, none the
    viewer hid (but their own), and others' unlisted statuses stay out of it as they stay out
    of Mastodon's public timeline. With `kind`, only contributions of that type."""
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
        row_visible_q(viewer, audience=False), row_filter_q(viewer), reblog_of__isnull=True,
        in_reply_to__isnull=True,
    ).exclude(hidden)
    if kind is not None:
        queryset = queryset.filter(contribution_type=kind)
    if viewer is not None:
        # "Hide for me" takes a status out of that reader's lists; authors keep their own.
        queryset = queryset.exclude(
            Exists(StatusHide.objects.filter(status_id=OuterRef("pk"), account_id=viewer.pk)),
            ~Q(account_id=viewer.pk))
    return queryset


def _contribution_ids(*, viewer, ordering: tuple[str, ...] = (), kind: str | None = None
                      ) -> QuerySet:
    queryset = contributions_queryset(viewer, kind)
    if ordering:
        queryset = queryset.order_by(*ordering)
    return queryset.values_list("pk", flat=True)


def count_bound(limit: int, offset: int) -> int:
    """Where a SelfCommunity list stops counting: SC_LIST_COUNT_CAP, or one past the page when
    the page lies deeper. So `count` is exact up to the cap and a lower bound beyond it, a list
    costs the same at a million statuses as at a thousand, and `next` is still right: there
    is a next page exactly when the count reaches past this one."""
    return max(settings.SC_LIST_COUNT_CAP, offset + limit + 1)


def contributions_page(*, viewer, ordering: tuple[str, ...], limit: int, offset: int,
                       kind: str | None = None) -> tuple[int, list[Status]]:
    """contributions_queryset (of one type with `kind`) as a page, with its count (see
    count_bound)."""
    # Through the compiled-statement cache: building and compiling the rule cost more than
    # running it. The type is a constant of the statement, so it is part of the key.
    count = querycache.count(("contributions", kind), partial(_contribution_ids, kind=kind),
                             viewer=viewer, bound=count_bound(limit, offset))
    ids = [row[0] for row in querycache.fetch(
        ("contributions", ordering, kind), partial(_contribution_ids, ordering=ordering,
                                                   kind=kind),
        viewer=viewer, limit=limit, offset=offset)] if limit > 0 else []
    if not ids:
        return count, []
    rows = statuses_for_page(ids)
    return count, [rows[pk] for pk in ids if pk in rows]

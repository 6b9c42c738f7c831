"""Reads about quotes (a Mastodon quote is a SelfCommunity share: `quote_of`): who may quote a
status, what a page needs to say so per viewer, the status a new quote may point at, and the
quotes of a status."""

from django.db.models import QuerySet

from accounts.models import Follow
from config import errors
from statuses.models import QuotePolicy, QuoteState, Status
from statuses.quote_policy import AUTOMATIC, effective_quote_policy, quote_policy_for
from statuses.selectors.single import status_get_visible
from statuses.selectors.visibility import filter_q, visible_q

QUOTE_TARGET_MISSING = "The post you are trying to quote does not appear to exist."

def quote_follows(viewer, statuses) -> set[int]:
    """The authors among `statuses` (and the originals of reblogs) whose followers-only quote
    policy applies to `viewer` and whom `viewer` follows: one query for a whole page, none when
    no status there is quotable by followers only."""
    if viewer is None:
        return set()
    authors = set()
    for status in statuses:
        proper = status.reblog_of if status.reblog_of_id is not None else status
        if (proper is not None and proper.account_id != viewer.pk
                and effective_quote_policy(proper) == QuotePolicy.FOLLOWERS):
            authors.add(proper.account_id)
    if not authors:
        return set()
    return set(Follow.objects.filter(account_id=viewer.pk, target_id__in=authors, accepted=True)
               .values_list("target_id", flat=True))


def quote_allowed(*, status: Status, viewer) -> bool:
    """Whether `viewer` may quote `status` now by its policy (at most one query)."""
    follows = quote_follows(viewer, [status])
    return quote_policy_for(status, viewer,
                            follows_author=status.account_id in follows) == AUTOMATIC


def quote_get_quotable(*, status_id: int | None, viewer) -> Status:
    """The status a new quote by `viewer` points at: visible to them (a reblog stands for its
    original) and quotable by them. A missing, hidden or refused one all answer the same 404
    (spec item 58), so a refusal never tells that a hidden status exists."""
    try:
        status = status_get_visible(status_id=status_id, viewer=viewer)
    except errors.NotFound:
        raise errors.NotFound(QUOTE_TARGET_MISSING) from None
    if status.reblog_of_id is not None:
        status = status.reblog_of
    if not quote_allowed(status=status, viewer=viewer):
        raise errors.NotFound(QUOTE_TARGET_MISSING)
    return status


def quotes_of(*, status: Status, viewer) -> QuerySet:
    """The ids of the live statuses that quote `status` with an accepted quote and that
    `viewer` may see (and has not filtered out: blocks, mutes), cursor = the quoting status's id.
    Mastodon lists a status's accepted quotes; the one visibility rule keeps the quoting
    statuses the viewer may not see out of the list."""
    return (
        Status.objects.filter(visible_q(viewer), filter_q(viewer), quote_of_id=status.pk,
                              quote_state=QuoteState.ACCEPTED, reblog_of__isnull=True)
        .values_list("pk", flat=True)
    )


def quote_get_of(*, status: Status, quoting_status_id: int | None) -> Status | None:
    """The live status `quoting_status_id` that quotes `status` (whatever its state), or None."""
    if quoting_status_id is None:
        return None
    return Status.objects.filter(pk=quoting_status_id, quote_of_id=status.pk,
                                 deleted_at__isnull=True).first()

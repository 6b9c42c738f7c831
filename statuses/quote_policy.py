"""Who may quote a status, as rules of the row and the viewer alone (no query): the selectors
read what they need (statuses.selectors.quotes.quote_follows) and the serializers show it."""

from accounts.models import Visibility
from statuses.models import QuotePolicy

AUTOMATIC, DENIED = "automatic", "denied"
PUBLIC_LIKE = (Visibility.PUBLIC, Visibility.UNLISTED)


def effective_quote_policy(status) -> int:
    """The stored policy, except that a private or direct status is never quotable by others
    (Mastodon downgrades the policy of any status that is not public or unlisted)."""
    if status.visibility not in PUBLIC_LIKE:
        return QuotePolicy.NOBODY
    return status.quote_policy


def quote_policy_for(status, viewer, *, follows_author: bool) -> str:
    """Mastodon's `quote_policy_for_account` for a local status: "automatic" or "denied" (this
    server offers no manual approval). `status` is the proper status (not a reblog wrapper)."""
    if viewer is None or status.visibility == Visibility.DIRECT or status.reblog_of_id:
        return DENIED
    if status.account_id == viewer.pk:
        return AUTOMATIC
    policy = effective_quote_policy(status)
    if policy == QuotePolicy.PUBLIC:
        return AUTOMATIC
    if policy == QuotePolicy.FOLLOWERS and follows_author:
        return AUTOMATIC
    return DENIED

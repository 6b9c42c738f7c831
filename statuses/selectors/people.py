"""The accounts listed as having favourited or reblogged a status."""


from django.db.models import QuerySet

from statuses.models import (
    Status,
    Vote,
)
from statuses.selectors.visibility import PUBLIC_LIKE, listed_accounts_q


def favourited_by(*, status: Status, viewer) -> QuerySet[Vote]:
    """Votes on `status` whose accounts the viewer may see listed, cursor = vote id."""
    return (
        Vote.objects.filter(status=status)
        .filter(listed_accounts_q(viewer, ""))
        .select_related("account")
    )


def reblogged_by(*, status: Status, viewer) -> QuerySet[Status]:
    """Public and unlisted live reblogs of `status`, cursor = wrapper id."""
    return (
        Status.objects.filter(
            reblog_of=status, deleted_at__isnull=True, visibility__in=PUBLIC_LIKE
        )
        .filter(listed_accounts_q(viewer, ""))
        .select_related("account")
    )

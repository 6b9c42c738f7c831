"""Reads of scheduled statuses: only their author ever reads them."""

from django.db.models import QuerySet

from config import errors
from statuses.models import ScheduledStatus

NOT_FOUND = "Record not found"


def scheduled_statuses_of(*, account) -> QuerySet[ScheduledStatus]:
    """The account's scheduled statuses (newest first once paged by id)."""
    return ScheduledStatus.objects.filter(account=account)


def scheduled_status_get_own(*, account, scheduled_status_id: int | None) -> ScheduledStatus:
    """One of the account's scheduled statuses; someone else's or a missing one is a 404."""
    found = (
        ScheduledStatus.objects.filter(pk=scheduled_status_id, account=account).first()
        if scheduled_status_id is not None and account is not None else None
    )
    if found is None:
        raise errors.NotFound(NOT_FOUND)
    return found


def attach_scheduled_media(rows) -> None:
    """The media each scheduled status holds, in order, as `media_list`: one query for a page,
    none when no row has media."""
    from media.models import MediaAttachment

    pending = [r for r in rows if not hasattr(r, "media_list")]
    wanted = {r.pk for r in pending if r.params.get("media_ids")}
    found: dict[int, list] = {}
    if wanted:
        for media in MediaAttachment.objects.filter(scheduled_status_id__in=wanted).order_by(
                "scheduled_status_id", "position"):
            found.setdefault(media.scheduled_status_id, []).append(media)
    for row in pending:
        row.media_list = found.get(row.pk, [])

"""Reads of scheduled statuses: only their author ever reads them."""

from django.db.models import QuerySet

from config import errors
from config.db import kept_related
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


def scheduled_media(rows) -> dict[int, list]:
    """The media each scheduled status holds, in order, by its id: one query for a page, none
    when no row has media or a write just kept them (config.db.keep_related)."""
    from media.models import MediaAttachment

    found: dict[int, list] = {}
    unread = []
    for row in rows:
        kept = kept_related(row, "media")
        if kept is not None:
            found[row.pk] = kept
        else:
            unread.append(row)
    wanted = {r.pk for r in unread if r.params.get("media_ids")}
    if wanted:
        for media in MediaAttachment.objects.filter(scheduled_status_id__in=wanted).order_by(
                "scheduled_status_id", "position"):
            found.setdefault(media.scheduled_status_id, []).append(media)
    return found

"""Publishing a scheduled status when it is due, exactly once (spec section F).

Publishing locks the ScheduledStatus row, posts through `status_create` as the author and
deletes the row in one transaction: a second run (another worker, a stale task, the sweep) finds
nothing. `scheduled_statuses_publish_due` is the sweep for tasks that were lost
(`manage.py publish_scheduled_statuses`, for cron). Apart from scheduling.py, which keeps the
post, because posting a status may schedule one (posting.py imports scheduling.py).
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Account
from config import errors
from media import services as media_services
from statuses.models import IdempotencyKey, ScheduledStatus, Status
from statuses.services.posting import PostDraft, status_create
from statuses.services.scheduling import SWEEP_BATCH

logger = logging.getLogger(__name__)


def _may_post(account: Account) -> bool:
    return account.is_active and account.suspended_at is None


def _publish_draft(params: dict) -> PostDraft:
    """The post the stored params describe, read as the request's were (PostDraft.from_options);
    the reply target is the one checked when it was scheduled."""
    reply_to = params.get("in_reply_to_id")
    return PostDraft.from_options(
        params,
        in_reply_to_id=reply_to if isinstance(reply_to, int) else None,
        in_reply_to_given=reply_to is not None,
    )


def scheduled_status_publish(*, scheduled_status_id: int, expected_at: datetime | None = None
                             ) -> Status | None:
    """Publish a due scheduled status, exactly once: the row is locked, posted from and deleted
    in one transaction, so whoever comes second (another worker, a stale task, the sweep) finds
    nothing and does nothing. `expected_at` is the time the caller was enqueued for: a row moved
    since then is left to the task of its new time.

    A post that can no longer be made (the author suspended or disabled, the reply target or
    media gone, the text now refused) is dropped silently, as Mastodon drops it (item 73); its
    media are free again. Returns the new status, or None."""
    with transaction.atomic():
        scheduled = (
            ScheduledStatus.objects.select_for_update()
            .filter(pk=scheduled_status_id, scheduled_at__lte=timezone.now())
            .first()
        )
        if scheduled is None:
            return None
        if expected_at is not None and scheduled.scheduled_at != expected_at:
            return None  # moved by a PUT: the task of the new time publishes it
        author = Account.objects.get(pk=scheduled.account_id)
        media_services.media_unhold(scheduled_status=scheduled)
        status = None
        if _may_post(author):
            try:
                with transaction.atomic():
                    status = status_create(account=author, application=scheduled.application,
                                           draft=_publish_draft(scheduled.params))
            except errors.DomainError as exc:
                logger.info("scheduled status %s dropped: %s", scheduled.pk, exc.message)
        if status is not None:
            # A retry of the POST that scheduled it now finds the status.
            IdempotencyKey.objects.filter(scheduled_status=scheduled).update(
                status=status, scheduled_status=None)
        scheduled.delete()
    return status


def scheduled_statuses_publish_due(*, grace: timedelta = timedelta(minutes=1)) -> int:
    """The safety net: publish every scheduled status overdue by more than `grace` (its task was
    lost: a task backend without persistence, a purged or failed task row). Each is published
    under its own lock, so running it beside the workers publishes nothing twice. Returns how
    many were published."""
    cutoff = timezone.now() - grace
    due = list(ScheduledStatus.objects.filter(scheduled_at__lte=cutoff)
               .order_by("scheduled_at").values_list("pk", flat=True)[:SWEEP_BATCH])
    published = 0
    for pk in due:
        if scheduled_status_publish(scheduled_status_id=pk) is not None:
            published += 1
    return published

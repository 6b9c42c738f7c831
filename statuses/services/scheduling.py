"""Scheduled statuses (spec section F): keeping a post for later, moving or cancelling it, and
publishing it exactly once when it is due.

A POST with a future `scheduled_at` runs every check of an immediate post (posting.py), then
`scheduled_status_create` writes a ScheduledStatus instead of a Status: no counter moves, the
posting limit is not charged. A task (`statuses.tasks.publish_scheduled_status`) is enqueued in
the same transaction with `run_after=scheduled_at`; it carries the time it was enqueued for, so a
task made stale by a PUT does nothing. Publishing (publishing.py) locks the row, posts through
`status_create` as the author and deletes the row in one transaction.
"""

from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import Account
from config import errors, jobs
from config.db import keep_related
from media import services as media_services
from statuses.models import ScheduledStatus, Status

# Mastodon's PostStatusService::MIN_SCHEDULE_OFFSET and ScheduledStatus's limits.
MIN_SCHEDULE_OFFSET = timedelta(minutes=5)
TOTAL_LIMIT = 300
DAILY_LIMIT = 25
RECORD_INVALID = "Record invalid"
NOT_FOUND = "Record not found"
TOO_SOON = "Scheduled at date must be in the future"
# Publishing looks at most this many overdue posts per sweep.
SWEEP_BATCH = 500


class ScheduleInvalid(errors.Invalid):
    """The scheduled status's own validation (date, limits): "Validation failed: ..." as it is,
    unlike the status's validation, which a scheduled post reports as "Record invalid"."""


def parse_scheduled_at(value: str | None) -> datetime | None:
    """The time a `scheduled_at` parameter names (UTC when it names no zone); None when it is
    absent or blank; "Record invalid" when it names no time (item 66)."""
    if value is None or value.strip() == "":
        return None
    text = value.strip()
    try:
        when = parse_datetime(text)
    except ValueError:  # well formed but impossible, e.g. a 30th of February
        when = None
    if when is None:
        try:
            when = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise errors.Rejected(RECORD_INVALID) from None
    if timezone.is_naive(when):
        when = timezone.make_aware(when, UTC)
    return when


def scheduled_for(value: str | None, *, strict: bool = True) -> datetime | None:
    """When a new post asks to be published: None for now (absent, blank or in the past, item
    64), else the future time asked for, which `check_schedule` still has to accept. Not
    `strict`, an unparseable time is None too (the caller refuses it later, in Mastodon's order
    of checks)."""
    try:
        when = parse_scheduled_at(value)
    except errors.Rejected:
        if strict:
            raise
        return None
    if when is None or when <= timezone.now():
        return None
    return when


def idempotency_target(created: Status | ScheduledStatus) -> dict:
    """The IdempotencyKey fields naming what a POST created."""
    if isinstance(created, ScheduledStatus):
        return {"scheduled_status": created}
    return {"status": created}


def _utc_day(when: datetime) -> tuple[datetime, datetime]:
    start = when.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def check_schedule(*, account: Account, when: datetime, moving: int | None = None) -> None:
    """Mastodon's ScheduledStatus validations (items 65, 67, 68): at least five minutes ahead, at
    most 300 waiting and 25 on that UTC day. `moving` is a scheduled status being moved, which
    does not count against the limits it already met. Call it holding `_lock_account`, so that
    two requests cannot both take the last place."""
    problems = []
    if when <= timezone.now() + MIN_SCHEDULE_OFFSET:
        problems.append(TOO_SOON)
    others = ScheduledStatus.objects.filter(account=account)
    if moving is not None:
        others = others.exclude(pk=moving)
    if others.count() >= TOTAL_LIMIT:
        problems.append(f"You have exceeded the limit of {TOTAL_LIMIT} scheduled posts")
    start, end = _utc_day(when)
    if others.filter(scheduled_at__gte=start, scheduled_at__lt=end).count() >= DAILY_LIMIT:
        problems.append(
            f"You have exceeded the limit of {DAILY_LIMIT} scheduled posts for today")
    if problems:
        raise ScheduleInvalid(*problems)


def _lock_account(account: Account) -> None:
    # The account row is the lock for its schedule: the limits are counts over many rows.
    Account.objects.select_for_update().filter(pk=account.pk).values_list("pk").first()


def _enqueue(scheduled: ScheduledStatus) -> None:
    # Enqueued inside the transaction: with the database task backend the task row commits (or
    # rolls back) with the scheduled status, so neither exists without the other.
    publish = jobs.task("statuses.tasks.publish_scheduled_status")
    publish.using(run_after=scheduled.scheduled_at).enqueue(
        scheduled.pk, scheduled.scheduled_at.isoformat())


@transaction.atomic
def scheduled_status_create(*, account: Account, when: datetime, submitted: dict | None,
                            media: list, in_reply_to: Status | None, application
                            ) -> ScheduledStatus:
    """Keep a post that passed every check of an immediate post for `when` (posting.py calls
    this instead of writing the status). `submitted` holds the options as the client sent them
    (the dialect's face collects them); they are stored raw and shown as they are (item 71)."""
    _lock_account(account)
    check_schedule(account=account, when=when)
    submitted = dict(submitted or {})
    params = {
        "text": submitted.get("text"),
        "media_ids": submitted.get("media_ids"),
        "sensitive": submitted.get("sensitive"),
        "spoiler_text": submitted.get("spoiler_text"),
        "visibility": submitted.get("visibility"),
        "language": submitted.get("language"),
        "scheduled_at": None,
        "poll": submitted.get("poll"),
        "allowed_mentions": submitted.get("allowed_mentions"),
        "idempotency": None,
        "with_rate_limit": False,
        "in_reply_to_id": in_reply_to.pk if in_reply_to is not None else None,
        "application_id": application.pk if application is not None else None,
        "quoted_status_id": submitted.get("quoted_status_id"),
        "quote_approval_policy": submitted.get("quote_approval_policy") or "public",
    }
    scheduled = ScheduledStatus.objects.create(
        account=account, scheduled_at=when, params=params, application=application)
    media_services.media_hold(media=media, scheduled_status=scheduled)
    keep_related(scheduled, "media", list(media))  # shown next without a read
    _enqueue(scheduled)
    return scheduled


def _get_own_locked(*, account: Account, scheduled_status_id: int | None) -> ScheduledStatus:
    found = (
        ScheduledStatus.objects.select_for_update().filter(pk=scheduled_status_id,
                                                           account=account).first()
        if scheduled_status_id is not None and account is not None else None
    )
    if found is None:
        raise errors.NotFound(NOT_FOUND)
    return found


@transaction.atomic
def scheduled_status_update(*, account: Account, scheduled_status_id: int | None,
                            scheduled_at: str | None) -> ScheduledStatus:
    """Move one's scheduled status (item 76): only the time changes, under the rules of a new
    one. Absent or blank changes nothing. The task for the old time becomes stale; a new one is
    enqueued for the new time."""
    _lock_account(account)
    scheduled = _get_own_locked(account=account, scheduled_status_id=scheduled_status_id)
    when = parse_scheduled_at(scheduled_at)
    if when is None or when == scheduled.scheduled_at:
        return scheduled
    check_schedule(account=account, when=when, moving=scheduled.pk)
    scheduled.scheduled_at = when
    scheduled.save(update_fields=["scheduled_at"])
    _enqueue(scheduled)
    return scheduled


@transaction.atomic
def scheduled_status_delete(*, account: Account, scheduled_status_id: int | None) -> None:
    """Cancel one's scheduled status; its media are free for another post again."""
    scheduled = _get_own_locked(account=account, scheduled_status_id=scheduled_status_id)
    media_services.media_unhold(scheduled_status=scheduled)
    scheduled.delete()

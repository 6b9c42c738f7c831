"""Background work for statuses (django-tasks): publishing scheduled statuses and the preview
card crawl."""

from datetime import datetime

from django_tasks import task

from statuses.services import cards, polls, publishing


@task()
def publish_scheduled_status(scheduled_status_id: int, scheduled_at: str | None = None
                             ) -> int | None:
    """Publish a scheduled status when it is due (enqueued with `run_after=scheduled_at`).
    `scheduled_at` is the time it was enqueued for: if a PUT has moved the post since, this task
    is stale and does nothing. Returns the new status's id, or None."""
    expected = datetime.fromisoformat(scheduled_at) if scheduled_at else None
    status = publishing.scheduled_status_publish(scheduled_status_id=scheduled_status_id,
                                                 expected_at=expected)
    return status.pk if status is not None else None


@task()
def publish_due_scheduled_statuses() -> int:
    """The safety net for lost tasks: publish whatever is overdue (run it every few minutes)."""
    return publishing.scheduled_statuses_publish_due()


@task()
def crawl_status_card(status_id: int) -> bool:
    """Mastodon's LinkCrawlWorker: give a new or re-worded status the card of its first link.
    Whatever a remote page does, the task ends normally (the status just keeps no card), so a
    bad link is never retried in a loop."""
    try:
        return cards.status_card_crawl(status_id=status_id) is not None
    except Exception:
        cards.logger.exception("preview card crawl of status %s failed", status_id)
        return False


@task()
def announce_poll_ended(poll_id: int, expires_at: str | None = None) -> int:
    """Tell a poll's author and voters that it ended (enqueued with `run_after=expires_at`); a
    task whose deadline an edit moved does nothing. Returns how many were told."""
    expected = datetime.fromisoformat(expires_at) if expires_at else None
    return polls.poll_announce_ended(poll_id=poll_id, expected_at=expected)

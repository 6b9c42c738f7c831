"""Background work for statuses (django-tasks): the preview card crawl."""

from django_tasks import task

from statuses.services import cards


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

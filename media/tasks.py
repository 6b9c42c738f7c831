"""Background work for media (django-tasks)."""

from django_tasks import task

from media import chunked, services


@task()
def process_media(media_id: int) -> bool:
    """Make the renditions, meta and blurhash of a deferred upload."""
    return services.media_process_stored(media_id=media_id) is not None


@task()
def prune_unattached_media() -> int:
    """Remove uploads older than a day that no status uses, and the chunked uploads nobody
    completed in time (run it daily)."""
    return services.media_prune_unattached() + chunked.chunked_prune_expired()

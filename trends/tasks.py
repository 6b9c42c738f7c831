"""Background work for trends (django-tasks)."""

from django_tasks import task

from trends import services


@task()
def compute_trends() -> dict[str, int]:
    """Recompute the trending statuses, tags and links (run it every few minutes:
    `manage.py compute_trends --enqueue` from cron; `make run` runs it every 15 minutes)."""
    return services.trends_compute()

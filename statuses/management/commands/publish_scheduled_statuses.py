"""`manage.py publish_scheduled_statuses [--enqueue]`: publish scheduled statuses whose task was
lost (overdue by more than a minute). Each is due to its own task already; this is the safety
net, to run every few minutes (cron); `--enqueue` hands the work to the background worker."""

from django.core.management.base import BaseCommand

from statuses.services.publishing import scheduled_statuses_publish_due
from statuses.tasks import publish_due_scheduled_statuses


class Command(BaseCommand):
    help = "Publish overdue scheduled statuses whose task was lost."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Run it on the db_worker")

    def handle(self, *args, enqueue, **options):
        if enqueue:
            publish_due_scheduled_statuses.enqueue()
            self.stdout.write("Enqueued.")
            return
        published = scheduled_statuses_publish_due()
        self.stdout.write(f"Published {published} overdue scheduled statuses.")

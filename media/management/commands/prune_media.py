"""`manage.py prune_media [--enqueue]`: remove uploads no status used within a day, and the chunked
uploads (SelfCommunity's) nobody completed in time. Run it daily (cron, or a scheduler calling
it); `--enqueue` hands the work to the background worker."""

from django.core.management.base import BaseCommand

from media.chunked import chunked_prune_expired
from media.services import media_prune_unattached
from media.tasks import prune_unattached_media


class Command(BaseCommand):
    help = "Remove unattached media uploads older than a day and expired chunked uploads."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Run it on the db_worker")

    def handle(self, *args, enqueue, **options):
        if enqueue:
            prune_unattached_media.enqueue()
            self.stdout.write("Enqueued.")
            return
        removed = media_prune_unattached()
        self.stdout.write(f"Removed {removed} unattached uploads.")
        expired = chunked_prune_expired()
        self.stdout.write(f"Removed {expired} expired chunked uploads.")

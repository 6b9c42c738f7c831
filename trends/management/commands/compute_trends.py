"""`manage.py compute_trends [--enqueue]`: rank the trending statuses, tags and links now
(trends/services.py). Run it every few minutes (cron, or a scheduler calling it); `--enqueue`
hands the work to the background worker."""

from django.core.management.base import BaseCommand

from trends.services import trends_compute
from trends.tasks import compute_trends


class Command(BaseCommand):
    help = "Rank the trending statuses, tags and links from recent interactions."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Run it on the db_worker")

    def handle(self, *args, enqueue, **options):
        if enqueue:
            compute_trends.enqueue()
            self.stdout.write("Enqueued.")
            return
        counts = trends_compute()
        self.stdout.write("Trending: {statuses} statuses, {tags} tags, {links} links.".format(
            **counts))

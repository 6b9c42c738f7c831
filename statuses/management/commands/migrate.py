"""`manage.py migrate`: Django's, without the serving time limits (an index build on a large table
runs for minutes; DB_STATEMENT_TIMEOUT would cancel it)."""

from django.core.management.commands.migrate import Command as MigrateCommand

from config.db_backend import bulk_work


class Command(MigrateCommand):
    def handle(self, *args, **options):
        with bulk_work(options["database"]):
            return super().handle(*args, **options)

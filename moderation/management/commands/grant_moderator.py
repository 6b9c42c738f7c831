"""`manage.py grant_moderator USERNAME [--revoke]`: make (or unmake) a moderator."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Account
from moderation.services import moderator_grant, moderator_revoke


class Command(BaseCommand):
    help = ("Add USERNAME to the Moderators group and let them log in to the admin "
            "(--revoke: take both away).")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--revoke", action="store_true",
                            help="Remove the account from the Moderators group instead")

    def handle(self, *args, username, revoke, **options):
        account = Account.objects.filter(username__iexact=username).first()
        if account is None:
            raise CommandError(f"No account named {username!r}")
        if revoke:
            moderator_revoke(account=account)
            self.stdout.write(f"{account.username} is no longer a moderator")
        else:
            moderator_grant(account=account)
            self.stdout.write(f"{account.username} is now a moderator")

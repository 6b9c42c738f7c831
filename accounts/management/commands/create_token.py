"""`manage.py create_token USERNAME [--create] [--scopes "read write follow push"]`."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Account
from accounts.services import token_create
from config import errors


class Command(BaseCommand):
    help = "Print a working OAuth access token for USERNAME."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--create", action="store_true", help="Create the account if missing")
        parser.add_argument("--scopes", default="read write follow push")

    # One transaction: a refused scope list must not leave behind an account made by --create.
    @transaction.atomic
    def handle(self, *args, username, create, scopes, **options):
        account = Account.objects.filter(username__iexact=username).first()
        if account is None:
            if not create:
                raise CommandError(f"No account named {username!r} (use --create)")
            account = Account(username=username, display_name=username)
            try:
                account.full_clean(exclude=["password"])
            except Exception as exc:
                raise CommandError(f"Invalid username {username!r}: {exc}") from exc
            account.set_unusable_password()
            account.save()
        try:
            token = token_create(account=account, scopes=scopes)
        except errors.DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(token)

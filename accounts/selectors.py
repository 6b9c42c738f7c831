"""Reads of accounts."""

from accounts.models import Account
from config import errors


def account_get(*, account_id: int | None) -> Account:
    if account_id is None:
        raise errors.NotFound("Record not found")
    account = Account.objects.filter(pk=account_id, is_active=True).first()
    if account is None:
        raise errors.NotFound("Record not found")
    return account

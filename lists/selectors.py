"""Reads of lists: an owner's lists, one of them, the lists of theirs an account is on, and a
list's members. Only a list's owner ever reads it."""

from django.db.models import QuerySet

from accounts.models import Account
from config import errors
from lists.models import UserList

RECORD_NOT_FOUND = "Record not found"


def lists_of(*, account: Account) -> list[UserList]:
    """GET /api/v1/lists: all of the owner's lists (at most 50, unpaged), oldest first."""
    return list(UserList.objects.filter(account_id=account.pk).order_by("pk"))


def list_get_own(*, account: Account | None, list_id: int | None) -> UserList:
    """One of the owner's lists; anyone else's, or none, is a 404."""
    found = (UserList.objects.filter(pk=list_id, account_id=account.pk).first()
             if list_id is not None and account is not None else None)
    if found is None:
        raise errors.NotFound(RECORD_NOT_FOUND)
    return found


def lists_holding(*, account: Account, member: Account) -> list[UserList]:
    """GET /api/v1/accounts/:id/lists: the owner's lists `member` is on (none for a suspended
    account, as Mastodon answers)."""
    if member.suspended_at is not None:
        return []
    return list(UserList.objects.filter(account_id=account.pk, members__account_id=member.pk)
                .order_by("pk"))


def list_members(*, lst: UserList) -> QuerySet[Account]:
    """The list's accounts but the suspended ones, for paging by account id."""
    return Account.objects.filter(
        pk__in=lst.members.values("account_id"), suspended_at__isnull=True, is_active=True)

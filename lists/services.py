"""Writes of lists: made, changed and deleted by their owner, accounts put on and taken off,
each as one transaction with Mastodon's validations and words (List and ListAccount's
validations, rendered by the dialect as "Validation failed: ...")."""

from django.db import transaction

from accounts.models import Account, Follow
from config import errors
from lists.models import ListMember, RepliesPolicy, UserList

RECORD_NOT_FOUND = "Record not found"
PER_ACCOUNT_LIMIT = 50
TITLE_LENGTH_LIMIT = 256
POLICIES = {label: value for value, label in RepliesPolicy.choices}
POLICY_NAMES = {value: label for value, label in RepliesPolicy.choices}


def _checked(lst: UserList, *, replies_policy, creating: bool) -> None:
    """List's validations in Mastodon's order: the enum's inclusion, the title's presence and
    length, then (on create) the per-account limit."""
    messages = []
    if replies_policy is not None:
        if replies_policy in POLICIES:
            lst.replies_policy = POLICIES[replies_policy]
        else:
            messages.append("Replies policy is not included in the list")
    if not (lst.title or "").strip():
        messages.append("Title can't be blank")
    elif len(lst.title) > TITLE_LENGTH_LIMIT:
        messages.append(f"Title is too long (maximum is {TITLE_LENGTH_LIMIT} characters)")
    if creating and UserList.objects.filter(account_id=lst.account_id).count() >= PER_ACCOUNT_LIMIT:
        messages.append("You have reached the maximum number of lists")
    if messages:
        raise errors.Invalid(*messages)


@transaction.atomic
def list_create(*, account: Account, title: str | None, replies_policy: str | None = None,
                exclusive: bool | None = None) -> UserList:
    """POST /api/v1/lists. `replies_policy` is a name (list, followed, none), None when absent."""
    # The owner's row is locked so that two creations at once cannot both pass the limit.
    Account.objects.select_for_update().filter(pk=account.pk).first()
    lst = UserList(account=account, title=title or "", exclusive=bool(exclusive))
    _checked(lst, replies_policy=replies_policy, creating=True)
    lst.save()
    return lst


def _own_locked(*, account, list_id: int | None) -> UserList:
    found = (UserList.objects.select_for_update().filter(pk=list_id, account_id=account.pk)
             .first() if list_id is not None and account is not None else None)
    if found is None:
        raise errors.NotFound(RECORD_NOT_FOUND)
    return found


@transaction.atomic
def list_update(*, account: Account, list_id: int | None, title: str | None = None,
                title_given: bool = False, replies_policy: str | None = None,
                exclusive: bool | None = None) -> UserList:
    """PUT /api/v1/lists/:id: what is given changes (`title_given` with `title` None is a title
    made blank, which is refused)."""
    lst = _own_locked(account=account, list_id=list_id)
    if title_given:
        lst.title = title or ""
    if exclusive is not None:
        lst.exclusive = exclusive
    _checked(lst, replies_policy=replies_policy, creating=False)
    lst.save()
    return lst


@transaction.atomic
def list_delete(*, account: Account, list_id: int | None) -> None:
    """DELETE /api/v1/lists/:id: the list and its members go."""
    _own_locked(account=account, list_id=list_id).delete()


@transaction.atomic
def list_add_accounts(*, account: Account, list_id: int | None, account_ids: list[int]) -> None:
    """POST /api/v1/lists/:id/accounts: every account of `account_ids` joins the list, or none
    does. An id naming no account is a 404 (Account.find); an account the owner neither follows
    nor asked to follow, or one already on the list, is a 422, as ListAccount validates."""
    lst = _own_locked(account=account, list_id=list_id)
    wanted = list(dict.fromkeys(account_ids))
    if not wanted:
        return
    found = set(Account.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    if len(found) != len(wanted):
        raise errors.NotFound(RECORD_NOT_FOUND)
    follows = dict(Follow.objects.filter(account_id=account.pk, target_id__in=wanted)
                   .values_list("target_id", "pk"))
    present = set(ListMember.objects.filter(list=lst, account_id__in=wanted)
                  .values_list("account_id", flat=True))
    for target in wanted:
        messages = []
        if target in present:
            messages.append("Account is already on the list")
        if target != account.pk and target not in follows:
            messages.append("Account must be a followed account")
        if messages:
            raise errors.Invalid(*messages)
    ListMember.objects.bulk_create([
        ListMember(list=lst, account_id=target, follow_id=follows.get(target))
        for target in wanted])


@transaction.atomic
def list_remove_accounts(*, account: Account, list_id: int | None,
                         account_ids: list[int]) -> None:
    """DELETE /api/v1/lists/:id/accounts: those of `account_ids` on the list leave it; the
    others are ignored."""
    lst = _own_locked(account=account, list_id=list_id)
    if account_ids:
        ListMember.objects.filter(list=lst, account_id__in=account_ids).delete()

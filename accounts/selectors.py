"""Reads of accounts and of the relationships between them."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from accounts.models import Account, Block, Follow, Mute
from config import errors


def account_get(*, account_id: int | None) -> Account:
    if account_id is None:
        raise errors.NotFound("Record not found")
    account = Account.objects.filter(pk=account_id, is_active=True).first()
    if account is None:
        raise errors.NotFound("Record not found")
    return account


@dataclass(slots=True)
class Relationship:
    """How the viewer and one other account stand to each other (dialect-neutral)."""

    account_id: int
    following: bool = False
    requested: bool = False
    show_reblogs: bool = False
    notify: bool = False
    languages: list[str] | None = None
    followed_by: bool = False
    requested_by: bool = False
    blocking: bool = False
    blocked_by: bool = False
    muting: bool = False
    muting_notifications: bool = False


def relationship_map(*, viewer: Account, account_ids: list[int]) -> dict[int, Relationship]:
    """Relationships of `viewer` with each of `account_ids` (assumed to exist) in three queries,
    one per relationship table, whatever the number of ids."""
    if not account_ids:
        return {}
    me = viewer.pk
    result = {pk: Relationship(account_id=pk) for pk in account_ids}
    follows = Follow.objects.filter(
        Q(account_id=me, target_id__in=account_ids) | Q(target_id=me, account_id__in=account_ids)
    ).values_list("account_id", "target_id", "accepted", "show_reblogs", "notify", "languages")
    for follower, target, accepted, show_reblogs, notify, languages in follows:
        if follower == me and target in result:
            rel = result[target]
            rel.following = accepted
            rel.requested = not accepted
            rel.show_reblogs = show_reblogs
            rel.notify = notify
            rel.languages = languages
        if target == me and follower in result:
            rel = result[follower]
            rel.followed_by = accepted
            rel.requested_by = not accepted
    blocks = Block.objects.filter(
        Q(account_id=me, target_id__in=account_ids) | Q(target_id=me, account_id__in=account_ids)
    ).values_list("account_id", "target_id")
    for blocker, blocked in blocks:
        if blocker == me and blocked in result:
            result[blocked].blocking = True
        if blocked == me and blocker in result:
            result[blocker].blocked_by = True
    mutes = (
        Mute.objects.active()
        .filter(account_id=me, target_id__in=account_ids)
        .values_list("target_id", "hide_notifications")
    )
    for target, hide_notifications in mutes:
        result[target].muting = True
        result[target].muting_notifications = hide_notifications
    return result


def relationship_get(*, viewer: Account, account: Account) -> Relationship:
    return relationship_map(viewer=viewer, account_ids=[account.pk])[account.pk]


def relationships_for(
    *, viewer: Account, ids: Iterable[int], with_suspended: bool = False
) -> list[Relationship]:
    """One relationship per existing account among `ids`, in the order asked, each id once."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    accounts = Account.objects.filter(pk__in=wanted, is_active=True)
    if not with_suspended:
        accounts = accounts.filter(suspended_at__isnull=True)
    existing = set(accounts.values_list("pk", flat=True))
    ordered = [pk for pk in wanted if pk in existing]
    relationships = relationship_map(viewer=viewer, account_ids=ordered)
    return [relationships[pk] for pk in ordered]


def follow_requests_for(*, account: Account) -> QuerySet[Follow]:
    """The pending follows of `account`, with their requesters, for paging by Follow id."""
    return Follow.objects.filter(
        target_id=account.pk,
        accepted=False,
        account__is_active=True,
        account__suspended_at__isnull=True,
    ).select_related("account")



def account_get_public(*, username: str) -> Account:
    """The active, unsuspended account of `username` (any case), as its public page shows it;
    NotFound otherwise (a suspended account has no page, as its statuses have none)."""
    account = Account.objects.filter(username__iexact=username, is_active=True,
                                     suspended_at__isnull=True).first()
    if account is None:
        raise errors.NotFound("Not Found")
    return account

"""Reads of accounts and of the relationships between them."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import BooleanField, CharField, Q, QuerySet, Value

from accounts.models import Account, AccountNote, AccountPin, Block, Follow, Mute
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
    endorsed: bool = False
    note: str = ""


def relationship_map(*, viewer: Account, account_ids: list[int]) -> dict[int, Relationship]:
    """Relationships of `viewer` with each of `account_ids` (assumed to exist) in three queries
    (follows; blocks; the viewer's mutes, endorsements and notes in one UNION), whatever the
    number of ids."""
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
        .values_list("target_id", Value("mute", output_field=CharField()),
                     "hide_notifications", Value("", output_field=CharField()))
    )
    pins = AccountPin.objects.filter(account_id=me, target_id__in=account_ids).values_list(
        "target_id", Value("pin", output_field=CharField()),
        Value(False, output_field=BooleanField()), Value("", output_field=CharField()))
    notes = AccountNote.objects.filter(account_id=me, target_id__in=account_ids).values_list(
        "target_id", Value("note", output_field=CharField()),
        Value(False, output_field=BooleanField()), "comment")
    for target, kind, hide_notifications, comment in mutes.union(pins, notes, all=True):
        if kind == "mute":
            result[target].muting = True
            result[target].muting_notifications = hide_notifications
        elif kind == "pin":
            result[target].endorsed = True
        else:
            result[target].note = comment
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


# --- account screens: followers, following, blocks, mutes ----------------------------------

def excluded_account_ids(*, viewer: Account) -> set[int]:
    """The accounts `viewer` keeps out of sight in account lists: those it blocks, those blocking
    it and those it mutes (Mastodon's `excluded_from_timeline_account_ids`)."""
    me = viewer.pk
    ids = set()
    for blocker, blocked in Block.objects.filter(Q(account_id=me) | Q(target_id=me)).values_list(
            "account_id", "target_id"):
        ids.add(blocked if blocker == me else blocker)
    ids.update(Mute.objects.active().filter(account_id=me).values_list("target_id", flat=True))
    return ids


def collections_hidden(*, account: Account, viewer: Account | None) -> bool:
    """Whether `viewer` sees empty follower and following lists of `account`: the account is
    suspended, hides its collections from everyone but itself, or blocks the viewer."""
    if account.suspended_at is not None:
        return True
    if viewer is not None and viewer.pk == account.pk:
        return False
    if account.hide_collections:
        return True
    return viewer is not None and Block.objects.filter(
        account_id=account.pk, target_id=viewer.pk).exists()


def _follow_rows(*, viewer: Account | None, account: Account, side: str) -> QuerySet[Follow]:
    other = "account" if side == "followers" else "target"
    rows = Follow.objects.filter(
        accepted=True,
        **{"target_id" if side == "followers" else "account_id": account.pk},
        **{f"{other}__is_active": True, f"{other}__suspended_at__isnull": True},
    ).select_related(other)
    if viewer is not None and viewer.pk != account.pk:
        excluded = excluded_account_ids(viewer=viewer)
        if excluded:
            rows = rows.exclude(**{f"{other}_id__in": excluded})
    return rows


def followers_of(*, viewer: Account | None, account: Account) -> QuerySet[Follow] | None:
    """The accepted follows of `account` (their followers in `.account`), for paging by Follow
    id; None when `viewer` may not see them (collections_hidden)."""
    if collections_hidden(account=account, viewer=viewer):
        return None
    return _follow_rows(viewer=viewer, account=account, side="followers")


def following_of(*, viewer: Account | None, account: Account) -> QuerySet[Follow] | None:
    """The accepted follows `account` made (the followed in `.target`), as followers_of."""
    if collections_hidden(account=account, viewer=viewer):
        return None
    return _follow_rows(viewer=viewer, account=account, side="following")


def blocks_of(*, account: Account) -> QuerySet[Block]:
    """The blocks `account` made, their unsuspended targets loaded, for paging by Block id."""
    return Block.objects.filter(
        account_id=account.pk, target__is_active=True, target__suspended_at__isnull=True,
    ).select_related("target")


def mutes_of(*, account: Account) -> QuerySet[Mute]:
    """The mutes of `account` still in force, their unsuspended targets loaded, by Mute id."""
    return Mute.objects.active().filter(
        account_id=account.pk, target__is_active=True, target__suspended_at__isnull=True,
    ).select_related("target")


def endorsements_of(*, account: Account) -> QuerySet[Account]:
    """The accounts `account` endorses (still active and unsuspended), for paging by account id
    as Mastodon pages them."""
    return Account.objects.filter(
        endorsed_by_rels__account_id=account.pk, is_active=True, suspended_at__isnull=True)


def familiar_followers(*, viewer: Account, ids: Iterable[int]) -> list[tuple[int, list[Account]]]:
    """For each account among `ids` (unsuspended, in the order asked, each once), the accounts
    `viewer` follows that follow it, leaving out those that hide their collections, in two
    queries whatever the number of ids."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    existing = set(Account.objects.filter(pk__in=wanted, is_active=True, suspended_at__isnull=True)
                   .values_list("pk", flat=True))
    ordered = [pk for pk in wanted if pk in existing]
    rows = (
        Follow.objects.filter(
            target_id__in=ordered, accepted=True,
            account_id__in=Follow.objects.filter(account_id=viewer.pk, accepted=True)
            .values("target_id"),
            account__is_active=True, account__suspended_at__isnull=True,
        )
        .exclude(account__hide_collections=True)
        .select_related("account")
        .order_by("-pk")
    )
    found: dict[int, list[Account]] = {pk: [] for pk in ordered}
    for row in rows:
        found[row.target_id].append(row.account)
    return [(pk, found[pk]) for pk in ordered]

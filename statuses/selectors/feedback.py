"""Reads of what readers did to a status in SelfCommunity: its votes, its flags (moderators),
and one reader's own follow, suspension, hide and flag."""

from django.db.models import Q

from categories.models import Reaction
from config import errors
from statuses.models import Flag, NotificationSuspension, StatusFollow, StatusHide, Vote
from statuses.selectors.visibility import listed_accounts_q


def account_is_moderator(account) -> bool:
    """Moderators are staff accounts or members of the `Moderators` group."""
    return account is not None and account.is_moderator


def reactions_by_id() -> tuple[dict[int, Reaction], Reaction | None]:
    """Every reaction (a short list kept by moderators) and the default one, in one query."""
    reactions = {r.pk: r for r in Reaction.objects.all()}
    default = next((r for r in reactions.values() if r.is_default), None)
    return reactions, default


def votes_page(*, status, viewer, reaction: Reaction | None, limit: int, offset: int):
    """(count, votes newest first) of `status` whose accounts the viewer may see listed; with
    `reaction`, only votes with it (the default reaction is stored as null)."""
    votes = Vote.objects.filter(status=status).filter(listed_accounts_q(viewer, ""))
    if reaction is not None:
        votes = votes.filter(Q(reaction__isnull=True) if reaction.is_default
                             else Q(reaction_id=reaction.pk))
    count = votes.count()
    page = list(votes.select_related("account").order_by("-id")[offset:offset + limit])
    return count, page


def flags_page(*, status, viewer, limit: int, offset: int):
    """(count, flags newest first) of `status`, for moderators only."""
    if not account_is_moderator(viewer):
        raise errors.NotAllowed()
    flags = Flag.objects.filter(status=status)
    count = flags.count()
    return count, list(flags.select_related("account").order_by("-id")[offset:offset + limit])


def flag_of(*, status, account) -> Flag | None:
    return Flag.objects.filter(status=status, account=account).first()


def _has(model, status, account) -> bool:
    return model.objects.filter(status=status, account=account).exists()


def is_following(*, status, account) -> bool:
    return _has(StatusFollow, status, account)


def is_suspended(*, status, account) -> bool:
    return _has(NotificationSuspension, status, account)


def is_hidden(*, status, account) -> bool:
    return _has(StatusHide, status, account)

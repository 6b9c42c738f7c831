"""Reads of the trends the periodic task ranked (trends/services.py), account suggestions and
the profile directory. A ranked status is shown only while the one visibility rule lets the
reader see it and it is still public: a status made private, deleted, collapsed or whose author
was suspended since the ranking never shows; nor do the statuses of authors the reader blocks or
mutes."""

from django.db.models import Exists, F, OuterRef

from accounts.models import Account, Visibility
from community.selectors import accounts_listed, accounts_suggested
from statuses.models import Hashtag, PreviewCard, Status
from statuses.selectors.rows import statuses_for_page
from statuses.selectors.visibility import filter_q, visible_q
from trends.models import SuggestionDismissal, TrendingLink, TrendingStatus, TrendingTag


def trending_statuses(*, viewer, offset: int, limit: int) -> list[Status]:
    """A page of the trending statuses the viewer may see, best first (a fixed number of
    queries: the ranked ids, then statuses_for_page's)."""
    if limit <= 0:
        return []
    shown = Status.objects.filter(pk=OuterRef("status_id"), visibility=Visibility.PUBLIC).filter(
        visible_q(viewer), filter_q(viewer))
    ids = list(TrendingStatus.objects.filter(Exists(shown)).order_by("rank")
               .values_list("status_id", flat=True)[offset:offset + limit])
    rows = statuses_for_page(ids)
    return [rows[pk] for pk in ids if pk in rows]


def trending_tags(*, offset: int, limit: int) -> list[tuple[Hashtag, list]]:
    """A page of the trending hashtags with their histories (one query)."""
    if limit <= 0:
        return []
    rows = TrendingTag.objects.select_related("hashtag").order_by("rank")[offset:offset + limit]
    return [(row.hashtag, row.history) for row in rows]


def trending_links(*, offset: int, limit: int) -> list[tuple[PreviewCard, list]]:
    """A page of the trending links (preview cards) with their histories (one query)."""
    if limit <= 0:
        return []
    rows = TrendingLink.objects.select_related("card").order_by("rank")[offset:offset + limit]
    return [(row.card, row.history) for row in rows]


def account_suggestions(*, viewer: Account, limit: int) -> list[tuple[Account, bool]]:
    """Accounts to suggest to `viewer` (SelfCommunity's suggestions, community.selectors
    .accounts_suggested: none they follow or asked to follow, block, mute or are blocked by),
    only discoverable ones and none the viewer dismissed; those followed by accounts the viewer
    follows first, then the most followed. Each with whether accounts the viewer follows follow
    it (Mastodon's friends_of_friends source)."""
    if limit <= 0:
        return []
    dismissed = SuggestionDismissal.objects.filter(account_id=viewer.pk, target_id=OuterRef("pk"))
    rows = (accounts_suggested(viewer=viewer).filter(discoverable=True)
            .filter(~Exists(dismissed))[:limit])
    return [(account, account.mutual > 0) for account in rows]


def account_directory(*, viewer: Account | None, order: str, offset: int,
                      limit: int) -> list[Account]:
    """Mastodon's profile directory: discoverable, unsilenced accounts the viewer may list (none
    they block, mute or are blocked by, nor themself), by latest status (`active`, accounts that
    never posted last) or newest first (`new`)."""
    if limit <= 0:
        return []
    accounts = accounts_listed(viewer=viewer).filter(discoverable=True,
                                                     silenced_at__isnull=True)
    if order == "new":
        accounts = accounts.order_by("-pk")
    else:
        accounts = accounts.order_by(F("last_status_at").desc(nulls_last=True), "-pk")
    return list(accounts[offset:offset + limit])



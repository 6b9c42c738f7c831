"""The query parameters of the Mastodon account lists: follow requests and relationships. Rails'
leniency throughout (config/api/mastodon_filters.py)."""

from config.api.filters import ParamsFilterSet
from config.api.mastodon_filters import (
    BooleanFilter,
    CursorFilter,
    IdArrayFilter,
    LimitFilter,
    MaxIdPageFilterSet,
    PageFilterSet,
)


class FollowRequestsFilterSet(PageFilterSet):
    """GET /api/v1/follow_requests: accounts, 40 by default and at most 80, cursors over the
    requests (Mastodon pages these by `max_id`/`since_id`; `min_id` is honoured too)."""

    limit = LimitFilter(default=40, maximum=80)


class RelationshipsFilterSet(ParamsFilterSet):
    """GET /api/v1/accounts/relationships?id[]=1&id[]=2 (or a lone `id=1`); ids that name no
    row are dropped."""

    id = IdArrayFilter(scalar=True)
    with_suspended = BooleanFilter()


class AccountPageFilterSet(MaxIdPageFilterSet):
    """GET /api/v1/accounts/:id/followers, /following, /api/v1/blocks, /api/v1/mutes: accounts,
    40 by default and at most 80, paged by `max_id`/`since_id` over the relationship rows."""

    limit = LimitFilter(default=40, maximum=80)


class AccountCursorPageFilterSet(AccountPageFilterSet):
    """Followers, following and blocks, which Mastodon's description also pages by `min_id`
    (the page just newer than it, read newest first)."""

    min_id = CursorFilter()


class FamiliarFollowersFilterSet(ParamsFilterSet):
    """GET /api/v1/accounts/familiar_followers?id[]=1&id[]=2 (or a lone `id=1`)."""

    id = IdArrayFilter(scalar=True)

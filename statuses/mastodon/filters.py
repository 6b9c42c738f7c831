"""The query parameters of the Mastodon status lists, one FilterSet a list: timelines, an
account's statuses, favourites, bookmarks, favourited_by, reblogged_by, quotes, scheduled
statuses and `GET /api/v1/statuses?id[]=`. Rails' leniency throughout (config/api/mastodon_filters.py)."""

from config.api.filters import ParamsFilterSet
from config.api.mastodon_filters import (
    BooleanFilter,
    IdArrayFilter,
    LimitFilter,
    MaxIdPageFilterSet,
    PageFilterSet,
    StringArrayFilter,
    StringFilter,
)


class HomeTimelineFilterSet(PageFilterSet):
    """GET /api/v1/timelines/home"""


class PublicTimelineFilterSet(PageFilterSet):
    """GET /api/v1/timelines/public"""

    local = BooleanFilter()
    remote = BooleanFilter()
    only_media = BooleanFilter()


class TagTimelineFilterSet(PublicTimelineFilterSet):
    """GET /api/v1/timelines/tag/:hashtag: also statuses with `any[]` of these hashtags, only
    those with `all[]`, none with `none[]`."""

    any = StringArrayFilter()
    all = StringArrayFilter()
    none = StringArrayFilter()


class AccountStatusesFilterSet(PageFilterSet):
    """GET /api/v1/accounts/:id/statuses"""

    pinned = BooleanFilter()
    exclude_replies = BooleanFilter()
    exclude_reblogs = BooleanFilter()
    only_media = BooleanFilter()
    tagged = StringFilter()


class FavouritesFilterSet(PageFilterSet):
    """GET /api/v1/favourites: cursors over the favourites, not the statuses."""


class BookmarksFilterSet(PageFilterSet):
    """GET /api/v1/bookmarks: cursors over the bookmarks, not the statuses."""


class ScheduledStatusesFilterSet(PageFilterSet):
    """GET /api/v1/scheduled_statuses"""


class QuotesFilterSet(MaxIdPageFilterSet):
    """GET /api/v1/statuses/:id/quotes"""


class StatusAccountsFilterSet(MaxIdPageFilterSet):
    """GET /api/v1/statuses/:id/favourited_by and reblogged_by: accounts, 40 by default and at
    most 80, cursors over the favourites or reblogs."""

    limit = LimitFilter(default=40, maximum=80)


class StatusesFilterSet(ParamsFilterSet):
    """GET /api/v1/statuses?id[]=1&id[]=2: the statuses named; ids that name no row are
    dropped."""

    id = IdArrayFilter()


class FollowedTagsFilterSet(PageFilterSet):
    """GET /api/v1/followed_tags: `limit` 100 (at most 200), cursors over the follows' ids."""

    limit = LimitFilter(default=100, maximum=200)

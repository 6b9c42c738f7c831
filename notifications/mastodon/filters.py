"""The query parameters of Mastodon's notification lists and counts, and of the markers. Rails'
leniency throughout (config/api/mastodon_filters.py): unknown types are ignored, not refused."""

from config.api.filters import ParamsFilterSet
from config.api.mastodon_filters import (
    BooleanFilter,
    CursorFilter,
    LimitFilter,
    PageFilterSet,
    StringArrayFilter,
    StringFilter,
)


class NotificationsFilterSet(PageFilterSet):
    """GET /api/v1/notifications: 40 by default, at most 80."""

    limit = LimitFilter(default=40, maximum=80)
    types = StringArrayFilter()
    exclude_types = StringArrayFilter()
    account_id = CursorFilter()
    include_filtered = BooleanFilter()
    # Which types the client knows, for fallbacks of types it does not (none served here).
    supported_types = StringArrayFilter()


class GroupedNotificationsFilterSet(NotificationsFilterSet):
    """GET /api/v2/notifications: 40 groups by default, at most 80."""

    grouped_types = StringArrayFilter()
    expand_accounts = StringFilter()


class SingleNotificationFilterSet(ParamsFilterSet):
    """GET /api/v1/notifications/:id and GET /api/v2/notifications/:group_key"""

    supported_types = StringArrayFilter()


class UnreadCountFilterSet(ParamsFilterSet):
    """GET /api/v1/notifications/unread_count: counting stops at `limit` (100, at most 1000)."""

    limit = LimitFilter(default=100, maximum=1000)
    types = StringArrayFilter()
    exclude_types = StringArrayFilter()
    account_id = CursorFilter()


class GroupedUnreadCountFilterSet(UnreadCountFilterSet):
    """GET /api/v2/notifications/unread_count"""

    grouped_types = StringArrayFilter()


class MarkersFilterSet(ParamsFilterSet):
    """GET /api/v1/markers?timeline[]=home&timeline[]=notifications"""

    # Rails' `Array(params[:timeline])`: `timeline=home` counts as one.
    timeline = StringArrayFilter(scalar=True)


class NotificationRequestsFilterSet(PageFilterSet):
    """GET /api/v1/notifications/requests: 40 by default, at most 80."""

    limit = LimitFilter(default=40, maximum=80)

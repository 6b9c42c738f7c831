"""The query parameters of SelfCommunity's notification list (DRF's wording)."""

from config.api.selfcommunity_filters import PageFilterSet


class NotificationsFilterSet(PageFilterSet):
    """GET /api/v2/notification/"""

"""The query parameters of SelfCommunity's category and reaction lists: `limit` and `offset`, in
DRF's wording (config/api/selfcommunity_filters.py)."""

from config.api.selfcommunity_filters import PageFilterSet


class CategoriesFilterSet(PageFilterSet):
    """GET /api/v2/category/"""


class ReactionsFilterSet(PageFilterSet):
    """GET /api/v2/reaction/"""

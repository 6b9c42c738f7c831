"""The query parameters of the community's SelfCommunity lists, in DRF's wording
(config/api/selfcommunity_filters.py)."""

from config.api.filters import ParamFilter, ParamsFilterSet
from config.api.selfcommunity_filters import (
    IntegerField,
    OffsetFilter,
    PageFilterSet,
    TextFilter,
)

WHOLE_MAX_LIMIT = 1000


class WholeLimitField(IntegerField):
    """`limit` of a list the UI reads in one request (preferences, features, menus): everything
    when absent, empty or 0; otherwise at least 0 and at most WHOLE_MAX_LIMIT, as
    LimitOffsetPagination reads it."""

    def __init__(self, **kwargs):
        super().__init__(min_value=0, **kwargs)

    def to_python(self, value):
        number = super().to_python(value)
        return min(number, WHOLE_MAX_LIMIT) if number else None


class WholeLimitFilter(ParamFilter):
    field_class = WholeLimitField


class WholePageFilterSet(ParamsFilterSet):
    limit = WholeLimitFilter()
    offset = OffsetFilter()


class PreferencesFilterSet(WholePageFilterSet):
    """GET /api/v2/dynamic_preference/: PreferenceService.searchPreferences's `search` (in the
    name), `section`, `keys` (`section.name`, comma-separated) and `ordering`."""

    search = TextFilter()
    section = TextFilter()
    keys = TextFilter()
    ordering = TextFilter()


class FeaturesFilterSet(WholePageFilterSet):
    """GET /api/v2/feature/"""


class CustomMenusFilterSet(WholePageFilterSet):
    """GET /api/v2/custom_menu/"""


class CustomMenuSearchFilterSet(WholePageFilterSet):
    """GET /api/v2/custom_menu/search/: CustomMenuService.searchCustomMenus's `search` (in the
    name)."""

    search = TextFilter()


class UserSearchFilterSet(PageFilterSet):
    """GET /api/v2/user/search/ and /api/v2/user/autocomplete/: `search` (the SDK's
    userSearch and react-core's autocomplete) or `user` (react-ui's mention lookup)."""

    search = TextFilter()
    user = TextFilter()


class UsersFilterSet(PageFilterSet):
    """GET /api/v2/user/hidden_users/ and /api/v2/suggestion/user/"""


class PopularCategoriesFilterSet(PageFilterSet):
    """GET /api/v2/category/popular/"""


class UserAutocompleteFilterSet(PageFilterSet):
    """GET /api/v2/user/autocomplete/: `search`, and `exclude` (comma-separated ids), as
    react-core's useSCFetchUsers sends them."""

    search = TextFilter()
    exclude = TextFilter()

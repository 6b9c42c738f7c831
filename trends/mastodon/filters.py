"""The query parameters of the trends, suggestions and directory lists (Rails' leniency:
config/api/mastodon_filters.py)."""

from config.api.filters import ParamField, ParamFilter, ParamsFilterSet
from config.api.mastodon_filters import (
    BooleanFilter,
    LimitFilter,
    RailsScalarWidget,
    StringFilter,
)
from config.api.pagination import limit_param


class OffsetField(ParamField):
    """Rails' `params[:offset].to_i`: absent or not a number -> 0; a negative offset is 0 too
    (PostgreSQL refuses a negative OFFSET)."""

    widget = RailsScalarWidget

    def to_python(self, value):
        if value is None or value == "":
            return 0
        text = str(value).strip()
        negative = text.startswith("-")
        number = limit_param({"limit": text}, 0, 2**62)
        return 0 if negative else number


class OffsetFilter(ParamFilter):
    field_class = OffsetField


class TrendingStatusesFilterSet(ParamsFilterSet):
    """GET /api/v1/trends/statuses: `limit` 20 (at most 40), `offset`."""

    limit = LimitFilter(default=20, maximum=40)
    offset = OffsetFilter()


class TrendingTagsFilterSet(ParamsFilterSet):
    """GET /api/v1/trends/tags and /links: `limit` 10 (at most 20), `offset`."""

    limit = LimitFilter(default=10, maximum=20)
    offset = OffsetFilter()


class SuggestionsFilterSet(ParamsFilterSet):
    """GET /api/v2/suggestions (and the deprecated v1 list): `limit` 40 (at most 80)."""

    limit = LimitFilter(default=40, maximum=80)


class DirectoryFilterSet(ParamsFilterSet):
    """GET /api/v1/directory: `limit` 40 (at most 80), `offset`, `order` (`active`, the
    default, or `new`), `local` (every account here is local)."""

    limit = LimitFilter(default=40, maximum=80)
    offset = OffsetFilter()
    order = StringFilter()
    local = BooleanFilter()

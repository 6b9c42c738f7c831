"""The Mastodon dialect's query parameters as django-filter filters, cleaned as Rails casts them:
nothing is refused. `limit` is Ruby's `to_i` (ASCII digits; `limit=abc` is 0, an empty page),
a cursor that names no row is ignored, booleans follow ActiveModel's casting, arrays are
`key[]=a&key[]=b`. (A NUL in any parameter is refused before a list runs: config/api/mastodon.py.)
"""

from django import forms

from config.api.filters import ParamField, ParamFilter, ParamsFilterSet
from config.api.pagination import limit_param
from config.params import param_bool, param_list, param_str, parse_id


class RailsScalarWidget(forms.Widget):
    """The last value of a repeated scalar parameter, as Rack keeps it; None when absent."""

    def value_from_datadict(self, data, files, name):
        return param_str(data, name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data


class RailsArrayWidget(forms.Widget):
    """`key[]=a&key[]=b` as a list; with `scalar`, a lone `key=a` too (a one-item list). None
    when absent: a scalar `key=a` is no array unless `scalar` is set, as in Rails' strong
    parameters."""

    def __init__(self, *, scalar: bool = False, attrs=None):
        super().__init__(attrs)
        self.scalar = scalar

    def value_from_datadict(self, data, files, name):
        values = param_list(data, name)
        if values is None and self.scalar:
            single = param_str(data, name)
            values = [single] if single else None
        return values

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}[]" not in data


class RubyLimitField(ParamField):
    """Rails' `limit_param`: absent (or empty) -> `default`; otherwise `|to_i|` capped at
    `maximum`, so `limit=abc` and `limit=0` are 0, an empty page."""

    widget = RailsScalarWidget

    def __init__(self, *, default: int, maximum: int, **kwargs):
        self.default = default
        self.maximum = maximum
        super().__init__(**kwargs)

    def to_python(self, value):
        return limit_param({"limit": value}, self.default, self.maximum)


class CursorField(ParamField):
    """A `max_id`/`since_id`/`min_id`: the row id it names, or None (absent, or naming no row:
    ignored, not refused)."""

    widget = RailsScalarWidget

    def to_python(self, value):
        return parse_id(value) if value else None


class RailsBooleanField(ParamField):
    """ActiveModel's boolean cast: None when absent or blank; false for `0`, `f`, `false`,
    `off`, `no` (any case, around spaces); true for anything else."""

    widget = RailsScalarWidget

    def to_python(self, value):
        return param_bool({"value": value}, "value") if value is not None else None


class RailsStringField(ParamField):
    """A scalar string as given (no stripping); None when absent or empty."""

    widget = RailsScalarWidget

    def to_python(self, value):
        return value or None


class StringArrayField(ParamField):
    """`key[]` values as strings; an empty list when absent."""

    widget = RailsArrayWidget

    def __init__(self, *, scalar: bool = False, **kwargs):
        kwargs.setdefault("widget", RailsArrayWidget(scalar=scalar))
        super().__init__(**kwargs)

    def to_python(self, value):
        return list(value or ())


class IdArrayField(StringArrayField):
    """`key[]` values that name rows, as ids, in order; values that name no row are dropped."""

    def to_python(self, value):
        return [number for number in (parse_id(raw) for raw in value or ()) if number]


class LimitFilter(ParamFilter):
    field_class = RubyLimitField


class CursorFilter(ParamFilter):
    field_class = CursorField


class BooleanFilter(ParamFilter):
    field_class = RailsBooleanField


class StringFilter(ParamFilter):
    field_class = RailsStringField


class StringArrayFilter(ParamFilter):
    field_class = StringArrayField


class IdArrayFilter(ParamFilter):
    field_class = IdArrayField


class MaxIdPageFilterSet(ParamsFilterSet):
    """Paging by `max_id`/`since_id` (Rails' `paginate_by_max_id`): limit 20, at most 40."""

    limit = LimitFilter(default=20, maximum=40)
    max_id = CursorFilter()
    since_id = CursorFilter()


class PageFilterSet(MaxIdPageFilterSet):
    """Paging by `max_id`/`since_id`/`min_id` (Rails' `paginate_by_id`): limit 20, at most 40."""

    min_id = CursorFilter()

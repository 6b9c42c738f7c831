"""The SelfCommunity dialect's query parameters as django-filter filters, in the words of Django
REST framework (which SelfCommunity's API is built on): a malformed value is a 400 naming its
parameter (`{"errors": [{"field": "limit", "messages": [{"code": "invalid", "message": "A valid
integer is required."}]}]}`), raised through the dialect's exception handler."""

from django.core.exceptions import ValidationError

from config.api.filters import ParamField, ParamFilter, ParamsFilterSet
from config.params import parse_id

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 2**62

# DRF's wording (rest_framework.fields), codes included.
REQUIRED = "This field is required."
INVALID_INTEGER = "A valid integer is required."
MIN_VALUE = "Ensure this value is greater than or equal to %(limit_value)s."
INVALID_CHOICE = '"%(input)s" is not a valid choice.'


class DRFField(ParamField):
    """A form field answering in DRF's words. Query values are strings: the last one given
    (as `request.query_params.get` reads it)."""

    default_error_messages = {"required": REQUIRED}

    def __init__(self, *, required: bool = False, **kwargs):
        super().__init__(required=required, **kwargs)


class IntegerField(DRFField):
    """DRF's IntegerField: `int()` of the text around its spaces, at least `min_value`; None
    when absent or empty."""

    def __init__(self, *, min_value: int | None = None, **kwargs):
        self.min_value = min_value
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ValidationError(INVALID_INTEGER, code="invalid") from None
        if self.min_value is not None and number < self.min_value:
            raise ValidationError(MIN_VALUE, code="min_value",
                                  params={"limit_value": self.min_value})
        return number


class LimitField(IntegerField):
    """LimitOffsetPagination's `limit`: 20 when absent, empty or 0, at most 100; a malformed
    or negative one is refused rather than ignored."""

    def __init__(self, **kwargs):
        super().__init__(min_value=0, **kwargs)

    def to_python(self, value):
        return min(super().to_python(value) or DEFAULT_LIMIT, MAX_LIMIT)


class OffsetField(IntegerField):
    """LimitOffsetPagination's `offset`: 0 when absent; a malformed or negative one is
    refused."""

    def __init__(self, **kwargs):
        super().__init__(min_value=0, **kwargs)

    def to_python(self, value):
        return min(super().to_python(value) or 0, MAX_OFFSET)


class IdField(DRFField):
    """A row's id (ASCII digits, positive, as config.params.parse_id reads ids); anything else
    is "A valid integer is required."; None when absent or empty."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        number = parse_id(value)
        if number is None:
            raise ValidationError(INVALID_INTEGER, code="invalid")
        return number


class ChoiceField(DRFField):
    """DRF's ChoiceField: one of `choices` as given; None (or `default`) when absent or
    empty. `normalize` maps a value to what is compared with the choices (the moderation
    queue's `order_by` compares its name without the leading `-`)."""

    def __init__(self, *, choices, default=None, normalize=None, **kwargs):
        self.choices = tuple(choices)
        self.default = default
        self.normalize = normalize
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return self.default
        compared = self.normalize(value) if self.normalize else value
        if compared not in self.choices:
            raise ValidationError(INVALID_CHOICE, code="invalid_choice",
                                  params={"input": value})
        return value


class IntegerChoiceField(IntegerField):
    """An integer that must be one of `choices` (DRF's ChoiceField over integers: the value is
    named as the integer it reads as)."""

    def __init__(self, *, choices, **kwargs):
        self.choices = tuple(choices)
        super().__init__(**kwargs)

    def to_python(self, value):
        number = super().to_python(value)
        if number is not None and number not in self.choices:
            raise ValidationError(INVALID_CHOICE, code="invalid_choice",
                                  params={"input": number})
        return number


class MappedChoiceField(DRFField):
    """A value looked up in `choices` (a mapping), whose value is what the selector takes;
    anything else, or nothing, is `default`'s: never refused, as DRF's OrderingFilter ignores
    an ordering it does not know."""

    def __init__(self, *, choices: dict, default: str, **kwargs):
        self.choices = dict(choices)
        self.default = default
        super().__init__(**kwargs)

    def to_python(self, value):
        return self.choices.get(value or "", self.choices[self.default])


class TextField(DRFField):
    """Text as given (no stripping); None when absent or empty."""

    def to_python(self, value):
        return value or None


class RefusedField(DRFField):
    """A parameter this server refuses whenever it carries a value, with `message`."""

    def __init__(self, *, message: str, **kwargs):
        self.message = message
        super().__init__(**kwargs)

    def to_python(self, value):
        if value:
            raise ValidationError(self.message, code="invalid")
        return None


class IntegerFilter(ParamFilter):
    field_class = IntegerField


class LimitFilter(ParamFilter):
    field_class = LimitField


class OffsetFilter(ParamFilter):
    field_class = OffsetField


class IdFilter(ParamFilter):
    field_class = IdField


class ChoiceFilter(ParamFilter):
    field_class = ChoiceField


class IntegerChoiceFilter(ParamFilter):
    field_class = IntegerChoiceField


class MappedChoiceFilter(ParamFilter):
    field_class = MappedChoiceField


class TextFilter(ParamFilter):
    field_class = TextField


class RefusedFilter(ParamFilter):
    field_class = RefusedField


class PageFilterSet(ParamsFilterSet):
    """`limit` and `offset` of every SelfCommunity list (DRF's LimitOffsetPagination)."""

    limit = LimitFilter()
    offset = OffsetFilter()

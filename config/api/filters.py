"""The base of every list's FilterSet, in both dialects: it cleans query parameters and builds no
query. Each list's selector still builds its queryset from the cleaned values, through the
compiled-statement cache (config/querycache.py), so a FilterSet adds no query and no plan.

A view names the FilterSet of each action in `filtersets` and reads `list_params()` (see
config/api/base.py); a value the FilterSet refuses is raised as the dialect's own error naming
the parameter (`filter_error` of each dialect's viewset)."""

import django_filters
from django import forms
from django.http import QueryDict

# The key under which a field error of a whole form (none of ours) is reported.
NON_FIELD = "non_field_errors"


class _NoQueryset:
    """Stands where django-filter keeps the queryset it filters: these FilterSets have none."""

    model = None

    def all(self):
        raise TypeError("A list's FilterSet only cleans its parameters; the list's selector "
                        "builds the query (through config/querycache.py).")


NO_QUERYSET = _NoQueryset()


class ParamsFilterSet(django_filters.FilterSet):
    """A FilterSet over query parameters only. `.qs` refuses: read `cleaned_params()`."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # django-filter's __init__, but the filters are shared rather than deep-copied for each
        # instance: ours hold no state (a name and a field), and the copies were most of the
        # cost of a request's parameters (about 200 of 250 µs for a timeline's).
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = NO_QUERYSET if queryset is None else queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = self.base_filters

    def get_form_class(self):
        # django-filter builds a new form class per instance; ours never vary per request, so
        # each FilterSet class builds its form class once.
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            cls._form_class = form_class
        return form_class

    def cleaned_params(self) -> dict:
        """Every declared parameter's cleaned value (absent ones as their field cleans None)."""
        if not self.is_valid():
            raise ValueError(f"{type(self).__name__} is not valid: {dict(self.errors)}")
        return self.form.cleaned_data

    def field_errors(self) -> dict[str, list[tuple[str, str]]]:
        """{parameter: [(code, message), ...]} in the order the parameters are declared, each
        message with its parameters filled in (a value may hold `%`, so never `message % ()`)."""
        found: dict[str, list[tuple[str, str]]] = {}
        for name, errors in self.form.errors.as_data().items():
            for error in errors:
                message = str(error.message)
                if error.params:
                    message = message % error.params
                found.setdefault(name if name != "__all__" else NON_FIELD, []).append(
                    (error.code or "invalid", message))
        return found


class ParamField(forms.Field):
    """A form field that cleans a query parameter. Fields are shared by every form of their
    FilterSet rather than deep-copied per form (Django copies them so that a form may change
    its own; these are never changed)."""

    def __deepcopy__(self, memo):
        return self


class ParamFilter(django_filters.Filter):
    """A filter that names one query parameter and cleans it with `field_class`. Its label is
    the parameter's name (django-filter would derive one from a model these FilterSets lack)."""

    field_class = ParamField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        raise TypeError("A list's FilterSet only cleans its parameters (see ParamsFilterSet).")


def clean(filterset_class: type[ParamsFilterSet], query, error) -> dict:
    """`query` cleaned by `filterset_class`; `error(filterset)` is the exception to raise when a
    value is refused."""
    filterset = filterset_class(data=query)
    if not filterset.is_valid():
        raise error(filterset)
    return filterset.cleaned_params()

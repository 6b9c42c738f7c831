"""Helpers for the FilterSet tests of both dialects: a FilterSet bound to a query string."""

from django.http import QueryDict


def bound(filterset_class, query: str = ""):
    return filterset_class(data=QueryDict(query))


def cleaned(filterset_class, query: str = "") -> dict:
    """The cleaned parameters of `query`; fails the test if the FilterSet refuses it."""
    filterset = bound(filterset_class, query)
    assert filterset.is_valid(), filterset.field_errors()
    return filterset.cleaned_params()


def refused(filterset_class, query: str) -> dict[str, list[tuple[str, str]]]:
    """{parameter: [(code, message)]} of what the FilterSet refuses in `query`."""
    filterset = bound(filterset_class, query)
    assert not filterset.is_valid(), filterset.cleaned_params()
    return filterset.field_errors()

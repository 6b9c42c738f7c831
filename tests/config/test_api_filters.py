"""config/api/filters.py, the base of every list's FilterSet: it cleans parameters and builds no
query, shares its filters and fields between requests without one request's values reaching
another, and reports what it refuses with each message complete."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.http import QueryDict

from config.api import filters
from config.api.selfcommunity_filters import ChoiceFilter, IntegerFilter, PageFilterSet


class Sample(PageFilterSet):
    kind = ChoiceFilter(choices=("a", "b"))
    size = IntegerFilter(min_value=1)


def test_a_filterset_builds_no_query():
    filterset = Sample(data=QueryDict("kind=a"))
    assert filterset.is_valid()
    with pytest.raises(TypeError, match="selector builds the query"):
        filterset.qs  # noqa: B018
    with pytest.raises(TypeError, match="only cleans"):
        filterset.filters["kind"].filter(None, "a")


def test_cleaned_params_of_a_refused_query_is_an_error():
    filterset = Sample(data=QueryDict("size=0"))
    with pytest.raises(ValueError, match="size"):
        filterset.cleaned_params()


def test_requests_share_filters_and_fields_but_not_values():
    first, second = Sample(data=QueryDict("kind=a")), Sample(data=QueryDict("kind=b&size=x"))
    assert first.filters is second.filters is Sample.base_filters
    assert first.form.fields["kind"] is second.form.fields["kind"]
    assert type(first.form) is type(second.form)
    assert first.cleaned_params()["kind"] == "a"
    assert not second.is_valid() and second.field_errors() == {
        "size": [("invalid", "A valid integer is required.")]}
    assert first.cleaned_params()["kind"] == "a"


def test_concurrent_requests_each_get_their_own_values():
    def clean(n):
        query = QueryDict(f"limit={n % 100 + 1}&offset={n}&size={n + 1}")
        return filters.clean(Sample, query, lambda fs: AssertionError(fs.field_errors()))

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(clean, range(400)))
    assert [(r["limit"], r["offset"], r["size"]) for r in results] == [
        (n % 100 + 1, n, n + 1) for n in range(400)]


def test_clean_raises_what_the_dialect_makes_of_the_refusal():
    class Refused(Exception):
        pass

    with pytest.raises(Refused) as caught:
        filters.clean(Sample, QueryDict("kind=c&size=-5"),
                      lambda fs: Refused(fs.field_errors()))
    assert caught.value.args[0] == {
        "kind": [("invalid_choice", '"c" is not a valid choice.')],
        "size": [("min_value", "Ensure this value is greater than or equal to 1.")]}


def test_messages_keep_a_percent_sign_given_in_the_value():
    filterset = Sample(data=QueryDict("kind=100%25%25d"))
    assert filterset.field_errors() == {
        "kind": [("invalid_choice", '"100%%d" is not a valid choice.')]}

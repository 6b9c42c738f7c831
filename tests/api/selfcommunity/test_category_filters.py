"""The FilterSets of SelfCommunity's category and reaction lists
(categories/selfcommunity/filters.py): `limit` and `offset` as DRF's LimitOffsetPagination
reads them, a malformed one a 400 naming it, end to end."""

import pytest

from categories.selfcommunity import filters
from tests.api.filtersets import cleaned, refused
from tests.factories import CategoryFactory

LISTS = {filters.CategoriesFilterSet: "/api/v2/category/",
         filters.ReactionsFilterSet: "/api/v2/reaction/"}


@pytest.mark.parametrize("filterset", LISTS, ids=lambda f: f.__name__)
def test_limit_and_offset(filterset):
    assert cleaned(filterset) == {"limit": 20, "offset": 0}
    assert cleaned(filterset, "limit=0&offset=0") == {"limit": 20, "offset": 0}
    assert cleaned(filterset, "limit=100&offset=5") == {"limit": 100, "offset": 5}
    assert cleaned(filterset, "limit=101") == {"limit": 100, "offset": 0}
    assert refused(filterset, "limit=ten") == {
        "limit": [("invalid", "A valid integer is required.")]}
    assert refused(filterset, "offset=-1") == {
        "offset": [("min_value", "Ensure this value is greater than or equal to 0.")]}


@pytest.mark.parametrize("filterset", LISTS, ids=lambda f: f.__name__)
def test_a_bad_value_is_a_400_naming_its_parameter(anon, filterset):
    response = anon.get(LISTS[filterset] + "?offset=x")
    assert response.status_code == 400
    assert response.json() == {"errors": [{"field": "offset", "messages": [
        {"code": "invalid", "message": "A valid integer is required."}]}]}


def test_the_lists_read_what_their_filtersets_clean(anon):
    made = [CategoryFactory() for _ in range(3)]
    body = anon.get("/api/v2/category/?limit=2").json()
    assert body["count"] >= 3 and len(body["results"]) == 2
    ids = [item["id"] for item in anon.get("/api/v2/category/?limit=100").json()["results"]]
    assert {c.pk for c in made} <= set(ids)
    assert [item["id"] for item in anon.get(
        "/api/v2/category/?limit=1&offset=1").json()["results"]] == ids[1:2]
    reactions = anon.get("/api/v2/reaction/?limit=2&offset=4").json()
    assert [r["label"] for r in reactions["results"]] == ["Sad", "Angry"]

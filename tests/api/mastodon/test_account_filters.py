"""The FilterSets of the Mastodon account lists (accounts/mastodon/filters.py): follow requests
and relationships clean their parameters as Rails casts them, refuse nothing, and the lists
answer with what was cleaned, end to end."""

from urllib.parse import quote

import pytest

from accounts.mastodon import filters
from tests.api.filtersets import bound, cleaned
from tests.factories import AccountFactory, FollowFactory


def test_follow_requests_limit_is_40_at_most_80():
    filterset = filters.FollowRequestsFilterSet
    assert cleaned(filterset)["limit"] == 40
    assert cleaned(filterset, "limit=")["limit"] == 40
    assert cleaned(filterset, "limit=80")["limit"] == 80
    assert cleaned(filterset, "limit=81")["limit"] == 80
    assert cleaned(filterset, "limit=-2")["limit"] == 2
    assert cleaned(filterset, "limit=abc")["limit"] == 0
    assert cleaned(filterset, f"limit={quote('¹')}")["limit"] == 0


def test_follow_requests_cursors_include_min_id():
    filterset = filters.FollowRequestsFilterSet
    for name in ("max_id", "since_id", "min_id"):
        assert cleaned(filterset)[name] is None
        assert cleaned(filterset, f"{name}=12")[name] == 12
        assert cleaned(filterset, f"{name}=x12")[name] is None
        assert cleaned(filterset, f"{name}=0")[name] is None


def test_relationships_take_an_array_or_a_lone_id():
    filterset = filters.RelationshipsFilterSet
    assert cleaned(filterset)["id"] == []
    assert cleaned(filterset, "id[]=4&id[]=x&id[]=2")["id"] == [4, 2]
    assert cleaned(filterset, "id=4")["id"] == [4]
    assert cleaned(filterset, "id=")["id"] == []
    assert cleaned(filterset, "id=x")["id"] == []
    # The array wins over a lone id, as param_list reads it.
    assert cleaned(filterset, "id=1&id[]=2")["id"] == [2]


def test_relationships_with_suspended_is_a_rails_boolean():
    filterset = filters.RelationshipsFilterSet
    assert cleaned(filterset)["with_suspended"] is None
    assert cleaned(filterset, "with_suspended=")["with_suspended"] is None
    assert cleaned(filterset, "with_suspended=true")["with_suspended"] is True
    assert cleaned(filterset, "with_suspended=0")["with_suspended"] is False


@pytest.mark.parametrize("filterset", [filters.FollowRequestsFilterSet,
                                       filters.RelationshipsFilterSet],
                         ids=lambda f: f.__name__)
@pytest.mark.parametrize("garbage", ["abc", "-1", "", " ", "１２", "x" * 10_000, "[]"])
def test_nothing_is_refused(filterset, garbage):
    value = quote(garbage)
    query = "&".join(f"{name}={value}&{name}[]={value}" for name in filterset.base_filters)
    assert bound(filterset, query).is_valid()


# --- end to end -------------------------------------------------------------------------------

def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [int(item["id"]) for item in response.json()]


def test_follow_requests_read_what_their_filterset_cleans(bob_client, alice, bob, carol):
    rows = [FollowFactory(account=who, target=bob, accepted=False) for who in (alice, carol)]
    assert _ids(bob_client.get("/api/v1/follow_requests")) == [carol.pk, alice.pk]
    assert _ids(bob_client.get("/api/v1/follow_requests?limit=abc")) == []
    assert _ids(bob_client.get("/api/v1/follow_requests?limit=1")) == [carol.pk]
    assert _ids(bob_client.get(f"/api/v1/follow_requests?max_id={rows[1].pk}")) == [alice.pk]
    assert _ids(bob_client.get("/api/v1/follow_requests?max_id=zzz")) == [carol.pk, alice.pk]


def test_relationships_read_what_their_filterset_cleans(alice_client, bob, carol):
    gone = AccountFactory()
    gone.suspended_at = gone.date_joined
    gone.save()
    base = "/api/v1/accounts/relationships"
    assert _ids(alice_client.get(f"{base}?id={bob.pk}")) == [bob.pk]
    assert _ids(alice_client.get(f"{base}?id[]={carol.pk}&id[]=nope&id[]={bob.pk}")) == [
        carol.pk, bob.pk]
    assert _ids(alice_client.get(f"{base}?id[]={gone.pk}")) == []
    assert _ids(alice_client.get(f"{base}?id[]={gone.pk}&with_suspended=true")) == [gone.pk]


def test_a_nul_is_refused_naming_the_parameter(alice_client):
    response = alice_client.get("/api/v1/accounts/relationships?with_suspended=%00")
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: With suspended contains a null byte"}

"""SelfCommunity's feeds beyond home and explore: the unseen count and mark read (FeedSeen),
`likethis`, an account's feed and a category's (newest and trending): contents, visibility,
bad input, paging and query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Block
from statuses.models import FeedSeen, Status
from tests.api.selfcommunity.test_lists import (
    STATUS_LIST_QUERIES,
    _world_of,
    new,
    toot,
    wrapped_ids,
)
from tests.api.selfcommunity.test_statuses import STATUS_KEYS
from tests.factories import CategoryFactory, FollowFactory

FEED_KEYS = {"type", "status", "seen", "seen_by_id", "has_boost"}
NOT_FOUND = {"errors": [{"code": "not_found", "message": "Not found."}]}


def _field_codes(response) -> dict:
    return {item["field"]: [m["code"] for m in item["messages"]]
            for item in response.json()["errors"] if "field" in item}


# --- unseen count and mark read -------------------------------------------------------------

def test_unseen_count_counts_others_statuses_of_the_feed_until_marked_read(sc, bob_sc, alice,
                                                                          bob):
    FollowFactory(account=bob, target=alice)
    first, second = new(sc, "one"), new(sc, "two")
    new(bob_sc, "bob's own, never unseen")
    new(sc, "private to followers")  # public too; the feed holds it
    response = bob_sc.get("/api/v2/feed/unseen/count/")
    assert response.status_code == 200
    assert response.json() == {"count": 3, "total": 3}

    response = bob_sc.post("/api/v2/feed/read/", {"object": [first, second]}, format="json")
    assert response.status_code == 204 and response.content == b""
    assert set(FeedSeen.objects.filter(account=bob).values_list("status_id", flat=True)) == {
        first, second}
    assert bob_sc.get("/api/v2/feed/unseen/count/").json() == {"count": 1, "total": 1}
    # Marking again changes nothing.
    assert bob_sc.post("/api/v2/feed/read/", {"object": [first]},
                       format="json").status_code == 204
    assert FeedSeen.objects.filter(account=bob).count() == 2

    items = {item["status"]["id"]: item for item in bob_sc.get("/api/v2/feed/").json()["results"]}
    assert items[first]["seen"] is True and items[first]["seen_by_id"] == [bob.pk]
    others = [item for pk, item in items.items() if pk not in (first, second)]
    assert others and all(i["seen"] is False and i["seen_by_id"] == [] for i in others)
    # Alice has seen nothing: bob's marks are his.
    assert all(not i["seen"] for i in sc.get("/api/v2/feed/").json()["results"])


def test_mark_read_of_a_status_out_of_sight_is_a_404_and_writes_nothing(sc, bob_sc, bob):
    visible = new(sc, "visible")
    private = toot(sc, "zqprivateqz", visibility="private")
    response = bob_sc.post("/api/v2/feed/read/", {"object": [visible, private]}, format="json")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert not FeedSeen.objects.exists()
    for missing in (10**9, 2**63 - 1):
        assert bob_sc.post("/api/v2/feed/read/", {"object": [missing]},
                           format="json").status_code == 404


@pytest.mark.parametrize("body", [
    {}, {"object": []}, {"object": "1"}, {"object": 1}, {"object": [True]},
    {"object": ["x"]}, {"object": [None]}, {"object": [{"id": 1}]}, {"object": [-1]},
    {"object": [2**64]}, {"object": list(range(1, 102))},
])
def test_bad_objects_are_a_400_naming_the_field(bob_sc, body):
    for path in ("/api/v2/feed/read/", "/api/v2/feed/likethis/"):
        response = bob_sc.post(path, body, format="json")
        assert response.status_code == 400, (path, body, response.content)
        assert list(_field_codes(response)) == ["object"]
    assert not FeedSeen.objects.exists()


def test_malformed_json_is_a_400(bob_sc):
    response = bob_sc.generic("POST", "/api/v2/feed/read/", "{not json",
                              content_type="application/json")
    assert response.status_code == 400
    assert "errors" in response.json()


def test_own_feed_routes_need_a_user(anon):
    assert anon.get("/api/v2/feed/unseen/count/").status_code == 401
    assert anon.post("/api/v2/feed/read/", {"object": [1]}, format="json").status_code == 401


# --- like this ------------------------------------------------------------------------------

def test_likethis_lists_statuses_sharing_a_category_with_any_newest_first(sc, bob_sc, anon):
    fox, dog, cat = CategoryFactory(), CategoryFactory(), CategoryFactory()
    about_fox = new(sc, "fox", categories=[fox.pk])
    about_dog = new(sc, "dog", categories=[dog.pk])
    fox_too = new(bob_sc, "fox too", categories=[fox.pk])
    dog_too = new(bob_sc, "dog too", categories=[dog.pk, cat.pk])
    new(bob_sc, "cat only", categories=[cat.pk])
    private_fox = toot(sc, "zqprivateqz", visibility="private")
    Status.categories.through.objects.create(status_id=private_fox, category_id=fox.pk)
    for client in (anon, bob_sc):
        response = client.post("/api/v2/feed/likethis/?limit=10",
                               {"object": [about_fox, about_dog]}, format="json")
        assert wrapped_ids(response) == [dog_too, fox_too]
        assert set(response.json()["results"][0]) == FEED_KEYS
        assert "zqprivateqz" not in response.content.decode()
    response = anon.post("/api/v2/feed/likethis/", {"object": [private_fox]}, format="json")
    assert response.status_code == 404 and response.json() == NOT_FOUND


# --- an account's feed ----------------------------------------------------------------------

def test_user_feed_holds_what_the_account_wrote_that_the_viewer_may_see(
        sc, bob_sc, carol_sc, anon, alice, bob, carol):
    mine = [new(sc, "first"), new(sc, "second")]
    new(bob_sc, "bob's")
    private = toot(sc, "zqprivateqz", visibility="private")
    toot(sc, "zqdirectqz @carol", visibility="direct")
    toot(bob_sc, "zqcommentqz", in_reply_to_id=mine[0])
    for client in (anon, bob_sc, carol_sc):
        response = client.get(f"/api/v2/user/{alice.pk}/feed/")
        assert wrapped_ids(response) == mine[::-1]
        item = response.json()["results"][0]
        assert set(item) == FEED_KEYS and set(item["status"]) == STATUS_KEYS
        for marker in ("zqprivateqz", "zqdirectqz", "zqcommentqz"):
            assert marker not in response.content.decode()
    FollowFactory(account=bob, target=alice)
    assert wrapped_ids(bob_sc.get(f"/api/v2/user/{alice.pk}/feed/")) == [private, *mine[::-1]]
    assert wrapped_ids(sc.get(f"/api/v2/user/{alice.pk}/feed/"))[0] == private
    # An author who blocks the reader shows them nothing; nor one the reader blocks.
    Block.objects.create(account=alice, target=carol)
    assert wrapped_ids(carol_sc.get(f"/api/v2/user/{alice.pk}/feed/")) == []
    Block.objects.create(account=bob, target=alice)
    assert wrapped_ids(bob_sc.get(f"/api/v2/user/{alice.pk}/feed/")) == []


def test_user_feed_pages(sc, alice):
    made = [new(sc, f"s {i}") for i in range(3)]
    response = sc.get(f"/api/v2/user/{alice.pk}/feed/?limit=2")
    assert wrapped_ids(response) == [made[2], made[1]]
    body = response.json()
    assert body["count"] == 3 and body["previous"] is None
    assert body["next"].endswith(f"/api/v2/user/{alice.pk}/feed/?limit=2&offset=2")
    assert wrapped_ids(sc.get(f"/api/v2/user/{alice.pk}/feed/?limit=2&offset=2")) == [made[0]]
    response = sc.get(f"/api/v2/user/{alice.pk}/feed/?limit=x")
    assert response.status_code == 400 and list(_field_codes(response)) == ["limit"]


def test_unknown_or_inactive_user_is_a_404(anon, bob):
    response = anon.get("/api/v2/user/999999999/feed/")
    assert response.status_code == 404 and response.json() == NOT_FOUND
    type(bob).objects.filter(pk=bob.pk).update(is_active=False)
    assert anon.get(f"/api/v2/user/{bob.pk}/feed/").status_code == 404


# --- a category's feeds ---------------------------------------------------------------------

def test_category_feed_holds_its_statuses_newest_first(sc, bob_sc, anon):
    category, other = CategoryFactory(), CategoryFactory()
    a = new(sc, "a", categories=[category.pk])
    b = new(bob_sc, "b", categories=[category.pk, other.pk])
    new(bob_sc, "elsewhere", categories=[other.pk])
    private = toot(sc, "zqprivateqz", visibility="private")
    Status.categories.through.objects.create(status_id=private, category_id=category.pk)
    for client in (anon, bob_sc):
        response = client.get(f"/api/v2/category/{category.pk}/feed/")
        assert wrapped_ids(response) == [b, a]
        assert set(response.json()["results"][0]) == FEED_KEYS
        assert "zqprivateqz" not in response.content.decode()
    assert wrapped_ids(sc.get(f"/api/v2/category/{category.pk}/feed/")) == [private, b, a]


def test_category_trending_orders_by_last_activity_within_the_window(sc, bob_sc, anon):
    category = CategoryFactory()
    old = new(sc, "old but discussed", categories=[category.pk])
    newer = new(bob_sc, "newer, silent", categories=[category.pk])
    stale = new(bob_sc, "stale", categories=[category.pk])
    Status.objects.filter(pk=stale).update(last_activity_at=timezone.now() - timedelta(days=31))
    toot(bob_sc, "a comment", in_reply_to_id=old)
    response = anon.get(f"/api/v2/category/{category.pk}/feed/trending/")
    assert wrapped_ids(response) == [old, newer]
    assert response.json()["count"] == 2
    # The newest-first feed keeps the stale one, in creation order.
    assert wrapped_ids(anon.get(f"/api/v2/category/{category.pk}/feed/")) == [stale, newer, old]


def test_category_feeds_follow_the_statuses_times_not_their_ids(sc, anon, alice):
    """On PostgreSQL the feeds walk copies of the statuses' times kept on the category's links
    (migration 0018): a link written after its status, by any writer, and a status whose
    times change later must still sort by the status's own times."""
    category = CategoryFactory()
    first = new(sc, "first", categories=[category.pk])
    second = new(sc, "second", categories=[category.pk])
    third = new(sc, "third")
    Status.objects.get(pk=third).categories.add(category)
    url = f"/api/v2/category/{category.pk}/feed/"
    assert wrapped_ids(anon.get(url)) == [third, second, first]
    now = timezone.now()
    # Posted earliest whatever its id (an imported status), and the latest discussed.
    Status.objects.filter(pk=third).update(created_at=now - timedelta(days=3),
                                           last_activity_at=now - timedelta(days=2))
    Status.objects.filter(pk=first).update(last_activity_at=now)
    assert wrapped_ids(anon.get(url)) == [second, first, third]
    assert wrapped_ids(anon.get(url + "trending/")) == [first, second, third]
    Status.objects.filter(pk=third).update(last_activity_at=now - timedelta(days=40))
    trending = anon.get(url + "trending/?limit=1&offset=1")
    assert wrapped_ids(trending) == [second] and trending.json()["count"] == 2


@pytest.mark.parametrize("suffix", ["feed/", "feed/trending/"])
def test_unknown_or_inactive_category_is_a_404(anon, suffix):
    response = anon.get(f"/api/v2/category/999999999/{suffix}")
    assert response.status_code == 404 and response.json() == NOT_FOUND
    category = CategoryFactory(active=False)
    assert anon.get(f"/api/v2/category/{category.pk}/{suffix}").status_code == 404


def test_category_feed_hides_from_a_blocked_reader(sc, bob_sc, alice, bob):
    category = CategoryFactory()
    new(sc, "a", categories=[category.pk])
    Block.objects.create(account=alice, target=bob)
    assert wrapped_ids(bob_sc.get(f"/api/v2/category/{category.pk}/feed/")) == []


# --- query counts ---------------------------------------------------------------------------
# The lists' statements (STATUS_LIST_QUERIES), the items the viewer has seen, and for a user's
# or category's feed the account or category first.

@pytest.mark.parametrize("size", [1, 20])
@pytest.mark.parametrize(("path", "queries", "expected"), [
    ("/api/v2/user/{bob}/feed/", STATUS_LIST_QUERIES + 2, "made"),
    ("/api/v2/category/{category}/feed/", STATUS_LIST_QUERIES + 2, "all"),
    ("/api/v2/category/{category}/feed/trending/", STATUS_LIST_QUERIES + 2, "all"),
])
def test_feed_query_count_is_constant(sc, bob_sc, alice, bob, size, path, queries, expected,
                                      django_assert_num_queries):
    topic, made = _world_of(sc, bob_sc, size)
    category = Status.objects.get(pk=topic).categories.get()
    url = path.format(bob=bob.pk, category=category.pk) + "?limit=30"
    with django_assert_num_queries(queries):
        response = sc.get(url)
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == (size if expected == "made" else size + 1)


@pytest.mark.parametrize("size", [1, 20])
def test_likethis_query_count_is_constant(sc, bob_sc, size, django_assert_num_queries):
    topic, made = _world_of(sc, bob_sc, size)
    # The token, the check that the statuses are listed, the list, the seen items.
    with django_assert_num_queries(STATUS_LIST_QUERIES + 2):
        response = sc.post("/api/v2/feed/likethis/?limit=30", {"object": [topic]}, format="json")
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == size


@pytest.mark.parametrize("size", [1, 20])
def test_unseen_count_and_read_query_counts_are_constant(sc, bob_sc, alice, bob, size,
                                                         django_assert_num_queries):
    topic, made = _world_of(sc, bob_sc, size)
    FollowFactory(account=alice, target=bob)
    with django_assert_num_queries(2):  # the token, the count
        assert sc.get("/api/v2/feed/unseen/count/").json()["count"] == size
    with django_assert_num_queries(3):  # the token, the check, the insert
        assert sc.post("/api/v2/feed/read/", {"object": made},
                       format="json").status_code == 204
    assert sc.get("/api/v2/feed/unseen/count/").json()["count"] == 0

"""SelfCommunity's SDK reads the feeds (tests/e2e/sdk/feeds.js): bob follows alice, who posted
three statuses (two filed under a category) with Mastodon.py; through FeedService, UserService
and CategoryService he counts the unseen ones, marks one read, asks for more like it, and reads
alice's feed and the category's."""

import json

from statuses.models import FeedSeen, Status
from tests.api.selfcommunity.test_e2e_sdk import (  # noqa: F401  (skip rule and markers)
    PAGE_KEYS,
    check_status,
    node,
    ok,
    pytestmark,
    refused,
    token,
)
from tests.factories import AccountFactory, CategoryFactory, FollowFactory

FEED_KEYS = {"type", "status", "seen", "seen_by_id", "has_boost"}
NOT_FOUND = [{"code": "not_found", "message": "Not found."}]


def _ids(page: dict) -> list[int]:
    assert set(page) == PAGE_KEYS
    for item in page["results"]:
        assert set(item) == FEED_KEYS and item["type"] == "status"
        check_status(item["status"])
    return [item["status"]["id"] for item in page["results"]]


def test_sdk_drives_the_feeds(live_server, mastodon_py):
    alice, bob = AccountFactory(username="alice"), AccountFactory(username="bob")
    FollowFactory(account=bob, target=alice)
    category = CategoryFactory(name="Feeds")
    posted = [int(mastodon_py("alice").status_post(f"feed {i}")["id"]) for i in range(3)]
    first, second, third = posted
    for pk in (first, third):
        Status.categories.through.objects.create(status_id=pk, category_id=category.pk)
    mastodon_py("alice").status_post("zqprivateqz", visibility="direct")
    result = node("feeds.js", json.dumps({
        "base": live_server.url, "reader": token("bob"), "author": alice.pk,
        "category": category.pk, "first": first}))
    steps = result["steps"]

    assert ok(steps["unseenBefore"]) == {"count": 3, "total": 3}
    assert _ids(ok(steps["feedBefore"])) == [third, second, first]
    assert all(item["seen"] is False for item in ok(steps["feedBefore"])["results"])
    assert ok(steps["markRead"]) == ""  # a 204
    assert list(FeedSeen.objects.filter(account=bob).values_list("status_id", flat=True)) == [
        first]
    assert ok(steps["unseenAfter"]) == {"count": 2, "total": 2}
    seen = {item["status"]["id"]: (item["seen"], item["seen_by_id"])
            for item in ok(steps["feedAfter"])["results"]}
    assert seen == {first: (True, [bob.pk]), second: (False, []), third: (False, [])}
    assert refused(steps["markReadRefused"], 400)[0]["field"] == "object"
    assert refused(steps["markReadMissing"], 404) == NOT_FOUND

    assert _ids(ok(steps["likeThis"])) == [third]
    user_feed = ok(steps["userFeed"])
    assert _ids(user_feed) == [third, second] and user_feed["count"] == 3
    assert _ids(ok(steps["userFeedNext"])) == [first]
    assert refused(steps["userFeedMissing"], 404) == NOT_FOUND
    assert _ids(ok(steps["categoryFeed"])) == [third, first]
    assert _ids(ok(steps["categoryTrending"])) == [third, first]
    for name in ("categoryMissing", "categoryTrendingMissing"):
        assert refused(steps[name], 404) == NOT_FOUND
    assert "zqprivateqz" not in json.dumps(steps)

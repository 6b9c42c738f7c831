"""SelfCommunity's status lists and feeds read through SelfCommunity's own JavaScript SDK under
Node (tests/e2e/sdk/lists.js) against a live server: contents, not only status codes."""

import json
import os

import pytest
from rest_framework.test import APIClient

from tests.api.selfcommunity.test_e2e_sdk import (
    READY,
    USER_KEYS,
    check_status,
    node,
    ok,
    refused,
    token,
)
from tests.factories import AccountFactory, CategoryFactory

pytestmark = [
    pytest.mark.skipif(not READY and not os.environ.get("REQUIRE_SDK"),
                       reason="Node.js or tests/e2e/sdk/node_modules missing"),
    pytest.mark.live,
]


def _client(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def _post(client, text: str, **fields) -> int:
    response = client.post("/api/v2/status/", {"action": None, "text": text, "categories": [],
                                               **fields}, format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_sdk_reads_the_status_lists_and_feeds(live_server):
    alice, bob = AccountFactory(username="alice"), AccountFactory(username="bob")
    alice_token, bob_token = token("alice"), token("bob")
    author, reader = _client(alice_token), _client(bob_token)
    category = CategoryFactory(name="Lists")
    topic = _post(author, "<p>sdk apples topic</p>", categories=[category.pk])
    reply = reader.post("/api/v1/statuses", {"status": "a comment", "in_reply_to_id": topic},
                        format="json")
    assert reply.status_code == 200, reply.content
    media = reader.post("/api/v2/media/", {"type": "share", "shared_object": topic},
                        format="json").json()["id"]
    sharer = _post(reader, "<p>look at this</p>", categories=[category.pk], medias=[media])
    lonely = _post(author, "<p>lonely Apples</p>")
    # Followers only, and bob does not follow alice: in no list of his.
    assert author.post("/api/v1/statuses", {"status": "zqprivateqz apples",
                                            "visibility": "private"}).status_code == 200
    for toggle in ("follow", "suspend"):
        assert reader.post(f"/api/v2/status/{topic}/{toggle}/").status_code == 204
    hidden = _post(author, "<p>apples hidden by bob</p>")
    assert reader.post(f"/api/v2/status/{hidden}/hide/").status_code == 204

    steps = node("lists.js", json.dumps({"base": live_server.url, "reader": bob_token,
                                         "topic": topic}))["steps"]

    assert "zqprivateqz" not in json.dumps(steps)

    def page(name: str) -> list:
        data = ok(steps[name], name)
        assert set(data) == {"count", "next", "previous", "results"}
        assert data["count"] == len(data["results"])
        return data["results"]

    found = page("search")
    assert [s["id"] for s in found] == [lonely, topic]
    for item in found:
        check_status({k: v for k, v in item.items() if k != "matches"})
    assert found[0]["matches"][0]["object"]["html"] == "lonely <b>Apples</b>"
    assert found[0]["matches"][0]["author"]["id"] == alice.pk
    assert page("searchOdd") == []
    assert [s["id"] for s in page("uncommented")] == [lonely, sharer]
    for name in ("following", "suspended"):
        items = page(name)
        assert [set(i) for i in items] == [{"status", "added_at"}]
        check_status(items[0]["status"], id=topic, followed=True, suspended=True)
    contributors = page("contributors")
    assert [u["id"] for u in contributors] == [bob.pk]
    assert set(contributors[0]) == USER_KEYS
    assert [check_status(s)["id"] for s in page("shares")] == [sharer]
    assert [u["id"] for u in page("sharesUsers")] == [bob.pk]
    assert [s["id"] for s in page("related")] == [sharer]
    assert refused(steps["missingRelated"], 404, "missingRelated")[0]["code"] == "not_found"
    home = page("home")
    assert [(i["type"], i["status"]["id"], i["seen_by_id"], i["has_boost"]) for i in home] == [
        ("status", sharer, [], False), ("status", topic, [], False)]
    explore = [i["status"]["id"] for i in page("explore")]
    assert explore == [lonely, sharer, topic]
    assert refused(steps["homeAnonymous"], 401, "homeAnonymous")
    assert [i["status"]["id"] for i in page("exploreAnonymous")] == [hidden, *explore]

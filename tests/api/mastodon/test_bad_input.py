"""Bad input gets a 4xx in the dialect's envelope, never a 500: a sweep over every Mastodon
endpoint with malformed ids, cursors, limits, bodies and types."""

import pytest

from statuses import services

GARBAGE = ["abc", "-1", "0", "1e9", "99999999999999999999999", "%00", "1;DROP TABLE x", "１２",
           "", " ", "null", "[]", "{}", "\u202e", "9" * 400]

GET_PATHS = [
    "/api/v1/statuses/{g}", "/api/v1/statuses/{g}/context", "/api/v1/statuses/{g}/history",
    "/api/v1/statuses/{g}/source", "/api/v1/statuses/{g}/favourited_by",
    "/api/v1/statuses/{g}/reblogged_by", "/api/v1/accounts/{g}", "/api/v1/accounts/{g}/statuses",
    "/api/v1/media/{g}", "/api/v1/timelines/tag/{g}",
]
POST_PATHS = [
    "/api/v1/statuses/{g}/favourite", "/api/v1/statuses/{g}/unfavourite",
    "/api/v1/statuses/{g}/reblog", "/api/v1/statuses/{g}/unreblog",
    "/api/v1/statuses/{g}/bookmark", "/api/v1/statuses/{g}/pin", "/api/v1/statuses/{g}/mute",
    "/api/v1/accounts/{g}/follow", "/api/v1/accounts/{g}/block", "/api/v1/accounts/{g}/mute",
    "/api/v1/follow_requests/{g}/authorize",
]
LISTS = ["/api/v1/timelines/public", "/api/v1/timelines/home", "/api/v1/favourites",
         "/api/v1/bookmarks", "/api/v1/follow_requests", "/api/v1/statuses",
         "/api/v1/accounts/relationships"]


def _ok(response, where):
    assert response.status_code < 500, (where, response.status_code, response.content[:300])
    if response.status_code >= 400:
        body = response.json()
        assert isinstance(body.get("error"), str), (where, body)


@pytest.mark.parametrize("garbage", GARBAGE)
def test_garbage_ids_in_paths(alice_client, garbage):
    for template in GET_PATHS:
        path = template.format(g=garbage.replace("/", ""))
        _ok(alice_client.get(path), path)
    for template in POST_PATHS:
        path = template.format(g=garbage.replace("/", ""))
        _ok(alice_client.post(path), path)
    _ok(alice_client.delete(f"/api/v1/statuses/{garbage}"), "delete")
    _ok(alice_client.put(f"/api/v1/statuses/{garbage}", {"status": "x"}), "put")


@pytest.mark.parametrize("garbage", GARBAGE)
def test_garbage_cursors_and_limits(alice_client, alice, garbage):
    services.status_create(account=alice, text="x")
    for path in LISTS:
        for params in ({"limit": garbage}, {"max_id": garbage}, {"since_id": garbage},
                       {"min_id": garbage}, {"id[]": [garbage, garbage]}, {"local": garbage},
                       {"only_media": garbage}):
            _ok(alice_client.get(path, params), (path, params))


@pytest.mark.parametrize("payload", [
    {"status": {"nested": 1}}, {"status": 12345}, {"status": None}, {"status": True},
    {"status": "x", "visibility": ["public"]}, {"status": "x", "in_reply_to_id": {"a": 1}},
    {"status": "x", "media_ids": "notalist"}, {"status": "x", "media_ids": [None, {}, []]},
    {"status": "x", "sensitive": {"x": 1}}, {"status": "x", "language": 42},
    {"status": "x", "poll": "yes"}, {"status": "x", "scheduled_at": 12},
    {"status": "x", "allowed_mentions": [{"id": 1}]}, {"status": "x" * 100000},
    [1, 2, 3], "just a string", 42,
])
def test_wrong_json_types_on_create(alice_client, payload):
    response = alice_client.post("/api/v1/statuses", payload, format="json")
    _ok(response, payload)


def test_wrong_json_types_on_other_writes(alice_client, alice):
    status = services.status_create(account=alice, text="x")
    for path, payload in [
        (f"/api/v1/statuses/{status.pk}/reblog", {"visibility": {"a": 1}}),
        (f"/api/v1/statuses/{status.pk}", {"status": ["a"], "media_ids": [{"x": 1}]}),
        ("/api/v1/apps", {"client_name": ["x"], "redirect_uris": {"a": 1}, "scopes": 5}),
        ("/api/v1/accounts/1/follow", {"reblogs": {"a": 1}, "languages": "en"}),
        ("/api/v1/accounts/1/mute", {"duration": ["x"], "notifications": {"a": 1}}),
    ]:
        method = alice_client.put if path == f"/api/v1/statuses/{status.pk}" else alice_client.post
        _ok(method(path, payload, format="json"), path)

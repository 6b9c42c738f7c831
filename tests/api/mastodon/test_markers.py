"""Mastodon's markers (GET and POST /api/v1/markers): reading positions with a version that
counts the saves."""

import pytest

from notifications.models import Marker

pytestmark = pytest.mark.django_db


def test_no_marker_yet_is_an_empty_object(alice_client):
    response = alice_client.get("/api/v1/markers?timeline[]=home&timeline[]=notifications")
    assert (response.status_code, response.json()) == (200, {})
    assert alice_client.get("/api/v1/markers").json() == {}


def test_save_by_json_then_read_back(alice_client, alice):
    response = alice_client.post("/api/v1/markers", {"home": {"last_read_id": "103"}},
                                 format="json")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"home"}
    assert body["home"]["last_read_id"] == "103"
    assert body["home"]["version"] == 1
    assert body["home"]["updated_at"].endswith("Z")
    read = alice_client.get("/api/v1/markers?timeline[]=home&timeline[]=notifications").json()
    assert read == body
    row = Marker.objects.get(account=alice)
    assert (row.timeline, row.last_read_id, row.version) == ("home", 103, 1)


def test_save_by_form_both_timelines_and_versions_move_with_the_position(alice_client):
    first = alice_client.post("/api/v1/markers", {"home[last_read_id]": "5",
                                                  "notifications[last_read_id]": "7"}).json()
    assert {k: (v["last_read_id"], v["version"]) for k, v in first.items()} == {
        "home": ("5", 1), "notifications": ("7", 1)}
    again = alice_client.post("/api/v1/markers", {"home[last_read_id]": "5"}).json()
    assert again["home"]["version"] == 1  # the same position: nothing to save
    moved = alice_client.post("/api/v1/markers", {"home[last_read_id]": "9"}).json()
    assert (moved["home"]["last_read_id"], moved["home"]["version"]) == ("9", 2)
    only = alice_client.get("/api/v1/markers?timeline[]=notifications").json()
    assert set(only) == {"notifications"}


def test_a_bad_position_is_refused_and_writes_nothing(alice_client):
    response = alice_client.post("/api/v1/markers", {"home": {"last_read_id": "abc"}},
                                 format="json")
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: Last read can't be blank"}
    assert not Marker.objects.exists()


def test_markers_are_per_account(alice_client, bob_client):
    alice_client.post("/api/v1/markers", {"home": {"last_read_id": "3"}}, format="json")
    assert bob_client.get("/api/v1/markers?timeline[]=home").json() == {}


def test_markers_need_statuses_scopes(alice, make_token, mastodon):
    client = mastodon.as_token(make_token(alice, scopes="read:notifications"))
    assert client.get("/api/v1/markers?timeline[]=home").status_code == 403
    client = mastodon.as_token(make_token(alice, scopes="read:statuses write:statuses"))
    assert client.get("/api/v1/markers?timeline[]=home").status_code == 200
    assert client.post("/api/v1/markers", {"home": {"last_read_id": "3"}},
                       format="json").status_code == 200

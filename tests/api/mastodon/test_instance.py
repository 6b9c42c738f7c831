"""GET /api/v1/instance and /api/v2/instance, and that what they advertise is what we enforce."""

import re

import pytest

from accounts.models import Account
from statuses.models import Status
from statuses.services import status_create, status_delete
from tests.factories import AccountFactory

VERSION_RE = re.compile(r"^4\.\d+\.\d+( \(compatible; .+\))?$")


@pytest.mark.parametrize("path", ["/api/v1/instance", "/api/v1/instance/"])
def test_v1_instance_describes_server(anon, path):
    response = anon.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body["uri"] == "social.example"
    assert isinstance(body["title"], str) and body["title"]
    assert VERSION_RE.match(body["version"]), body["version"]
    assert re.match(r"^wss?://social\.example", body["urls"]["streaming_api"])
    assert body["urls"]["streaming_api"].startswith("wss://")  # https instance
    statuses = body["configuration"]["statuses"]
    assert statuses["max_characters"] == 500
    assert statuses["characters_reserved_per_url"] == 23
    assert isinstance(statuses["max_media_attachments"], int)
    assert set(body["stats"]) >= {"user_count", "status_count", "domain_count"}
    assert all(isinstance(v, int) for v in body["stats"].values())
    assert isinstance(body["languages"], list)
    assert isinstance(body["registrations"], bool)
    assert isinstance(body["rules"], list)


@pytest.mark.parametrize("path", ["/api/v2/instance", "/api/v2/instance/"])
def test_v2_instance_describes_server(anon, path):
    response = anon.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body["domain"] == "social.example"
    assert VERSION_RE.match(body["version"]), body["version"]
    assert isinstance(body["api_versions"]["mastodon"], int)
    assert body["api_versions"]["mastodon"] >= 1
    config = body["configuration"]
    assert re.match(r"^wss?://social\.example", config["urls"]["streaming"])
    assert config["statuses"]["max_characters"] == 500
    assert config["statuses"]["characters_reserved_per_url"] == 23
    assert isinstance(config["statuses"]["max_media_attachments"], int)
    assert isinstance(body["registrations"]["enabled"], bool)
    assert isinstance(body["usage"]["users"]["active_month"], int)
    assert isinstance(body["thumbnail"]["url"], str)


def test_v1_and_v2_advertise_same_version_and_limits(anon):
    v1 = anon.get("/api/v1/instance").json()
    v2 = anon.get("/api/v2/instance").json()
    assert v1["version"] == v2["version"]
    assert v1["configuration"]["statuses"] == v2["configuration"]["statuses"]


def test_instance_streaming_url_is_ws_for_http_instance(anon, settings):
    settings.INSTANCE_SCHEME = "http"
    body = anon.get("/api/v1/instance").json()
    assert body["urls"]["streaming_api"] == "ws://social.example"
    body = anon.get("/api/v2/instance").json()
    assert body["configuration"]["urls"]["streaming"] == "ws://social.example"


def test_instance_with_token_answers_the_same(alice_client, anon):
    assert alice_client.get("/api/v1/instance").status_code == 200
    assert alice_client.get("/api/v2/instance").status_code == 200


def test_v1_instance_stats_count_database(anon, alice, bob):
    AccountFactory(username="dormant", is_active=False)
    status_create(account=alice, text="one")
    status_create(account=bob, text="two")
    gone = status_create(account=bob, text="three")
    status_delete(status=gone)
    stats = anon.get("/api/v1/instance").json()["stats"]
    assert stats["user_count"] == Account.objects.filter(is_active=True).count() == 2
    assert stats["status_count"] == Status.objects.filter(deleted_at__isnull=True).count() == 2


def test_v1_instance_stats_zero_on_empty_database(anon):
    stats = anon.get("/api/v1/instance").json()["stats"]
    assert stats["user_count"] == 0
    assert stats["status_count"] == 0


def test_advertised_max_characters_is_enforced(anon, alice_client):
    limit = anon.get("/api/v1/instance").json()["configuration"]["statuses"]["max_characters"]
    response = alice_client.post("/api/v1/statuses", {"status": "a" * (limit + 1)})
    assert response.status_code == 422
    assert response.json() == {
        "error": f"Validation failed: Text character limit of {limit} exceeded"
    }
    assert Status.objects.count() == 0
    response = alice_client.post("/api/v1/statuses", {"status": "a" * limit})
    assert response.status_code == 200
    assert Status.objects.get().text == "a" * limit


def test_advertised_url_reservation_is_enforced(anon, alice_client):
    config = anon.get("/api/v2/instance").json()["configuration"]["statuses"]
    limit, per_url = config["max_characters"], config["characters_reserved_per_url"]
    url = "https://example.com/" + "x" * 200
    fits = url + " " + "a" * (limit - per_url - 1)
    assert alice_client.post("/api/v1/statuses", {"status": fits}).status_code == 200
    too_long = fits + "a"
    assert alice_client.post("/api/v1/statuses", {"status": too_long}).status_code == 422


def test_contact_email_is_the_operators_setting(anon, settings):
    """Empty until INSTANCE_CONTACT_EMAIL is set, as Mastodon's is until its admin sets one (the
    schema allows both: `format: email` alone refused the empty default)."""
    assert anon.get("/api/v1/instance").json()["email"] == ""
    assert anon.get("/api/v2/instance").json()["contact"]["email"] == ""
    settings.INSTANCE_CONTACT_EMAIL = "admin@social.example"
    assert anon.get("/api/v1/instance").json()["email"] == "admin@social.example"
    assert anon.get("/api/v2/instance").json()["contact"]["email"] == "admin@social.example"

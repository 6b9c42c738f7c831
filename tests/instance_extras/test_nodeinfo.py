"""/.well-known/nodeinfo and the NodeInfo 2.0 and 2.1 documents, with real usage counts."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from accounts.mastodon.views import SERVER_NAME, SERVER_VERSION, SOFTWARE
from tests.factories import AccountFactory

PROFILE = 'application/json; profile="http://nodeinfo.diaspora.software/ns/schema/{}#"'


@pytest.fixture
def web(db):
    return Client()


def test_discovery_links_both_versions(web):
    response = web.get("/.well-known/nodeinfo")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Cache-Control"] == "max-age=259200, public"
    assert response.json() == {"links": [
        {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0",
         "href": "https://social.example/nodeinfo/2.0"},
        {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
         "href": "https://social.example/nodeinfo/2.1"},
    ]}


def test_discovery_answers_cross_origin_as_mastodon_allows(web):
    response = web.get("/.well-known/nodeinfo", HTTP_ORIGIN="https://client.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    # Mastodon's Rack::Cors opens /.well-known/* only, not the documents.
    document = web.get("/nodeinfo/2.0", HTTP_ORIGIN="https://client.example")
    assert "Access-Control-Allow-Origin" not in document


@pytest.mark.parametrize("version", ["2.0", "2.1"])
def test_document_keys_and_software(web, version):
    response = web.get(f"/nodeinfo/{version}")
    assert response.status_code == 200
    assert response["Content-Type"] == PROFILE.format(version)
    assert response["Cache-Control"] == "max-age=1800, public"
    body = response.json()
    assert set(body) == {"version", "software", "protocols", "services", "usage",
                         "openRegistrations", "metadata"}
    assert body["version"] == version
    software = {"name": "duostatus", "version": "0.1.0"}
    if version == "2.1":
        software |= {"repository": "https://social.example/",
                     "homepage": "https://social.example/"}
    assert body["software"] == software
    assert body["protocols"] == []
    assert body["services"] == {"outbound": [], "inbound": []}
    assert body["openRegistrations"] is False
    assert body["metadata"] == {"nodeName": "Duostatus", "nodeDescription": ""}
    assert set(body["usage"]) == {"users", "localPosts"}
    assert set(body["usage"]["users"]) == {"total", "activeMonth", "activeHalfyear"}


def test_software_is_what_the_instance_version_names(web, anon):
    software = web.get("/nodeinfo/2.0").json()["software"]
    version = anon.get("/api/v1/instance").json()["version"]
    assert version == SOFTWARE
    assert version.endswith(f"(compatible; {SERVER_NAME} {SERVER_VERSION})")
    assert software["name"] == SERVER_NAME.lower()
    assert software["version"] == SERVER_VERSION


def test_usage_counts(web, anon, make_token, client_for):
    now = timezone.now()
    AccountFactory(username="logged_in", last_login=now - timedelta(days=2))
    AccountFactory(username="poster", last_status_at=(now - timedelta(days=90)).date())
    AccountFactory(username="old", last_login=now - timedelta(days=400))
    AccountFactory(username="gone", is_active=False, last_login=now)
    token_holder = AccountFactory(username="app_user")
    make_token(token_holder)  # a token issued now: active this month
    writer = AccountFactory(username="writer", last_login=now - timedelta(days=200))
    client = client_for(writer)  # a token too: active this month
    for text in ("one", "two", "three"):
        client.post("/api/v1/statuses", {"status": text}, format="json")
    gone = client.post("/api/v1/statuses", {"status": "four"}, format="json").json()
    client.delete(f"/api/v1/statuses/{gone['id']}")
    cache.clear()

    usage = web.get("/nodeinfo/2.0").json()["usage"]
    stats = anon.get("/api/v1/instance").json()["stats"]
    # Five active accounts ("gone" is not); logged_in, app_user and writer (given tokens now)
    # this month; poster (who posted 90 days ago) too in half a year; old in neither.
    assert usage == {"users": {"total": 5, "activeMonth": 3, "activeHalfyear": 4},
                     "localPosts": 3}
    assert usage["users"]["total"] == stats["user_count"]
    assert usage["localPosts"] == stats["status_count"]


def test_counts_are_kept_thirty_minutes(web):
    AccountFactory(username="first")
    assert web.get("/nodeinfo/2.1").json()["usage"]["users"]["total"] == 1
    AccountFactory(username="second")
    assert web.get("/nodeinfo/2.0").json()["usage"]["users"]["total"] == 1
    cache.clear()
    assert web.get("/nodeinfo/2.0").json()["usage"]["users"]["total"] == 2


@pytest.mark.parametrize("path", ["/.well-known/nodeinfo", "/nodeinfo/2.0"])
def test_other_methods_are_a_json_405(web, path):
    response = web.post(path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json() == {"error": "Method Not Allowed"}


def test_an_unknown_version_is_not_found(web):
    assert web.get("/nodeinfo/3.0").status_code == 404

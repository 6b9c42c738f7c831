"""/.well-known/host-meta (XRD, or JSON) and /.well-known/webfinger (JRD) as Mastodon serves
them, for the instance's local accounts only; every refusal is JSON."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import AccountFactory

TEMPLATE = "https://social.example/.well-known/webfinger?resource={uri}"
XRD = "{http://docs.oasis-open.org/ns/xri/xrd-1.0}"


@pytest.fixture
def web(db):
    return Client()


@pytest.fixture
def alice(db):
    return AccountFactory(username="alice")


def test_host_meta_is_xrd_pointing_at_webfinger(web):
    response = web.get("/.well-known/host-meta")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xrd+xml; charset=utf-8"
    assert response["Cache-Control"] == "max-age=259200, public"
    root = ET.fromstring(response.content)
    assert root.tag == f"{XRD}XRD"
    links = root.findall(f"{XRD}Link")
    assert [(link.get("rel"), link.get("template")) for link in links] == [("lrdd", TEMPLATE)]


@pytest.mark.parametrize("ask", [{"data": {"format": "json"}},
                                 {"HTTP_ACCEPT": "application/json"}])
def test_host_meta_in_json_when_asked(web, ask):
    response = web.get("/.well-known/host-meta", **ask)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"links": [{"rel": "lrdd", "template": TEMPLATE}]}


def test_host_meta_answers_cross_origin(web):
    response = web.get("/.well-known/host-meta", HTTP_ORIGIN="https://client.example")
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("resource", [
    "acct:alice@social.example", "alice@social.example", "acct:ALICE@Social.Example",
    "acct:alice", "@alice@social.example", "https://social.example/@alice",
    "https://social.example/users/alice",
])
def test_webfinger_finds_a_local_account_by_every_form(web, alice, resource):
    response = web.get("/.well-known/webfinger", {"resource": resource})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/jrd+json; charset=utf-8"
    assert response["Cache-Control"] == "max-age=259200, public"
    assert response.json() == {
        "subject": "acct:alice@social.example",
        "aliases": ["https://social.example/@alice"],
        "links": [{"rel": "http://webfinger.net/rel/profile-page", "type": "text/html",
                   "href": "https://social.example/@alice"}],
    }


@pytest.mark.parametrize("resource", [
    "acct:nobody@social.example", "acct:alice@elsewhere.example",
    "https://elsewhere.example/@alice", "https://social.example/@alice/123",
    "https://social.example/about", "acct:@social.example",
])
def test_webfinger_names_nothing_else(web, alice, resource):
    response = web.get("/.well-known/webfinger", {"resource": resource})
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}


def test_webfinger_hides_suspended_and_deactivated_accounts(web):
    AccountFactory(username="gone", suspended_at=timezone.now())
    AccountFactory(username="left", is_active=False)
    for name in ("gone", "left"):
        response = web.get("/.well-known/webfinger", {"resource": f"acct:{name}@social.example"})
        assert response.status_code == 404
        assert response.json() == {"error": "Record not found"}


@pytest.mark.parametrize("query", [{}, {"resource": ""}, {"resource": "   "},
                                   {"resource": "acct:al\x00ice@social.example"}])
def test_webfinger_without_a_resource_is_a_400(web, query):
    response = web.get("/.well-known/webfinger", query)
    assert response.status_code == 400
    assert response.json() == {"error": "Missing or invalid resource parameter"}


@pytest.mark.parametrize("path", ["/.well-known/host-meta", "/.well-known/webfinger"])
def test_only_get_is_served(web, path):
    response = web.post(path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json() == {"error": "Method Not Allowed"}

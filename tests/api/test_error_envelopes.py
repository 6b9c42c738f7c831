"""Errors are JSON, always: unrouted paths and wrong methods in both dialects, NUL bytes and
unpaired surrogates in Mastodon text, deep or malformed JSON bodies, and SelfCommunity's nested
field errors, each with its exact status, body and Content-Type, and nothing written."""

import io
import json

import pytest
from django.test import Client, RequestFactory
from PIL import Image
from rest_framework.test import APIClient

from config.views import csrf_failure
from statuses.models import Status

JSON = "application/json; charset=utf-8"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def sc(make_token, alice):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(alice)}")
    return client


@pytest.fixture
def browser(db):
    """A client as a browser or curl is: CSRF checks on, no CSRF cookie."""
    return Client(enforce_csrf_checks=True)


def assert_error(response, status: int, body: dict | None):
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == JSON
    if body is not None:
        assert json.loads(response.content) == body


def png() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "picture.png"
    return buffer


def sc_error(code: str, message: str) -> dict:
    return {"errors": [{"code": code, "message": message}]}


def sc_field(field: str, code: str, message: str) -> dict:
    return {"field": field, "messages": [{"code": code, "message": message}]}


# --- 1. unrouted paths ------------------------------------------------------------------------

METHODS = ["get", "head", "post", "put", "patch", "delete", "options"]
MASTODON_NOT_FOUND = {"error": "Not Found"}
SC_NOT_FOUND = sc_error("not_found", "Not found.")
UNROUTED = [
    ("/api/v1/nothing", MASTODON_NOT_FOUND),
    ("/api/v1/statuses/1/nothing", MASTODON_NOT_FOUND),
    ("/api/v1/nothing/deeper", MASTODON_NOT_FOUND),
    ("/api/v2/nothing", MASTODON_NOT_FOUND),  # no trailing slash: not a SelfCommunity path
    ("/oauth/nothing", MASTODON_NOT_FOUND),
    ("/api/v2/nothing/", SC_NOT_FOUND),
    ("/api/v2/status/1/nothing/", SC_NOT_FOUND),
]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(("path", "body"), UNROUTED)
def test_unrouted_paths_are_a_json_404_whatever_the_method(browser, method, path, body):
    kwargs = {} if method in ("get", "head", "options") else {
        "data": '{"status": "x"}', "content_type": "application/json"}
    response = getattr(browser, method)(path, **kwargs)
    if method == "head":
        assert_error(response, 404, None)
        assert response.content == b""
    else:
        assert_error(response, 404, body)
    assert not Status.objects.exists()


@pytest.mark.parametrize("path", ["/api/v1/nothing", "/oauth/nothing", "/api/v2/nothing/"])
def test_unrouted_form_post_with_a_token_is_a_json_404(browser, make_token, alice, path):
    response = browser.post(path, {"status": "x"}, HTTP_AUTHORIZATION=f"Bearer {make_token(alice)}")
    assert response.status_code == 404
    assert response["Content-Type"] == JSON
    assert not Status.objects.exists()


@pytest.mark.parametrize("path", ["/api/v1/statuses", "/api/v2/status/", "/oauth/token",
                                  "/api/v1/nothing", "/api/v2/nothing/"])
def test_preflights_still_get_cors_headers(browser, path):
    response = browser.options(
        path,
        HTTP_ORIGIN="https://web.client.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "authorization" in response["Access-Control-Allow-Headers"].lower()


def test_csrf_failure_under_oauth_is_json(browser):
    # /oauth/authorize is the one API-side view with CSRF checks (its consent form).
    response = browser.put("/oauth/authorize", "x=1", content_type="application/json")
    assert_error(response, 403, {"error": "This action is not allowed"})


@pytest.mark.parametrize(("path", "body"), [
    ("/api/v1/statuses", {"error": "This action is not allowed"}),
    ("/api/v2/status/", sc_error("permission_denied",
                                 "You do not have permission to perform this action.")),
])
def test_csrf_failure_view_answers_in_the_dialects_envelope(path, body):
    response = csrf_failure(RequestFactory().post(path), reason="CSRF cookie not set.")
    assert_error(response, 403, body)


def test_csrf_failure_of_pages_stays_html(browser, alice):
    for path in ("/oauth/authorize", "/auth/login/"):
        response = browser.post(path, {"allow": "Authorize"})
        assert response.status_code == 403
        assert response["Content-Type"].startswith("text/html")


# --- 2. wrong methods on routed paths ---------------------------------------------------------

MASTODON_405 = {"error": "Method Not Allowed"}


def sc_405(method: str) -> dict:
    return sc_error("method_not_allowed", f'Method "{method.upper()}" not allowed.')


WRONG_METHODS = [
    ("get", "/oauth/token", "POST, OPTIONS", MASTODON_405),
    ("put", "/oauth/token", "POST, OPTIONS", MASTODON_405),
    ("get", "/oauth/revoke", "POST, OPTIONS", MASTODON_405),
    ("delete", "/oauth/revoke", "POST, OPTIONS", MASTODON_405),
    ("get", "/api/v1/apps", "POST, OPTIONS", MASTODON_405),
    ("delete", "/api/v1/apps", "POST, OPTIONS", MASTODON_405),
    ("post", "/api/v1/instance", "GET, HEAD, OPTIONS", MASTODON_405),
    ("delete", "/api/v2/instance", "GET, HEAD, OPTIONS", MASTODON_405),
    ("patch", "/api/v1/statuses/1", "GET, PUT, DELETE, HEAD, OPTIONS", MASTODON_405),
    ("post", "/api/v1/timelines/public", "GET, HEAD, OPTIONS", MASTODON_405),
    ("patch", "/api/v2/status/1/", "GET, PUT, DELETE, HEAD, OPTIONS", sc_405("patch")),
    ("delete", "/api/v2/status/", "GET, POST, HEAD, OPTIONS", sc_405("delete")),
    ("get", "/api/v2/media/", "POST, OPTIONS", sc_405("get")),
    ("put", "/api/v2/media/", "POST, OPTIONS", sc_405("put")),
]


@pytest.mark.parametrize(("method", "path", "allow", "body"), WRONG_METHODS)
def test_wrong_method_is_a_405_in_the_dialects_envelope(browser, make_token, alice, method, path,
                                                        allow, body):
    kwargs = {} if method == "get" else {"data": '{"status": "x"}',
                                         "content_type": "application/json"}
    response = getattr(browser, method)(path, HTTP_AUTHORIZATION=f"Bearer {make_token(alice)}",
                                        **kwargs)
    assert_error(response, 405, body)
    assert response["Allow"] == allow
    assert not Status.objects.exists()


def test_oauth_errors_without_a_content_type_are_labelled_json(anon, app):
    response = anon.post("/oauth/token?grant_type=client_credentials",
                         {"client_id": app.client_id, "client_secret": "x"})
    assert_error(response, 400, {"error": "invalid_request",
                                 "error_description": "URL query parameters are not allowed"})

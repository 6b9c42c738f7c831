"""A database outage answers a JSON 503 with Retry-After in the dialect's envelope, never a 500
or HTML: against a live gunicorn whose PostgreSQL is a port where nothing listens, and (on
PostgreSQL) one whose database is cut off mid-life by stopping a TCP proxy and comes back."""

import socket

import pytest
from django.db import OperationalError, connection
from django.test import RequestFactory

from config import outage, views
from tests.config.live import TcpProxy, call, database_url, free_port, gunicorn, server_env

MASTODON_503 = {"error": "Service Unavailable"}
SELFCOMMUNITY_503 = {"errors": [{"code": "service_unavailable",
                                 "message": "Service temporarily unavailable, try again later."}]}
HEALTH_DB_DOWN = {"status": "unavailable", "checks": {"database": "unavailable", "cache": "ok", "channel_layer": "ok"}}

# (method, path, token, body, expected body): every kind of request the outage must answer.
CALLS = [
    ("GET", "/api/v1/statuses/1", None, None, MASTODON_503),
    ("GET", "/api/v1/statuses/1", "a-token", None, MASTODON_503),  # the token lookup fails
    ("POST", "/api/v1/statuses", "a-token", {"status": "hello"}, MASTODON_503),
    ("GET", "/api/v1/timelines/public", None, None, MASTODON_503),
    ("GET", "/api/v1/accounts/verify_credentials", "a-token", None, MASTODON_503),
    ("GET", "/api/v2/status/1/", None, None, SELFCOMMUNITY_503),
    ("GET", "/api/v2/status/1/", "a-token", None, SELFCOMMUNITY_503),
    ("POST", "/api/v2/status/", "a-token", {"html": "<p>hi</p>"}, SELFCOMMUNITY_503),
    # django-oauth-toolkit's view, outside DRF: OutageMiddleware answers.
    ("POST", "/oauth/token", None, {"grant_type": "client_credentials", "client_id": "x",
                                    "client_secret": "y"}, MASTODON_503),
    ("GET", "/health", None, None, HEALTH_DB_DOWN),
]


def _closed_port() -> int:
    port = free_port()
    with socket.socket() as sock:  # nothing listens there once the probe socket is closed
        assert sock.connect_ex(("127.0.0.1", port)) != 0
    return port


@pytest.fixture(scope="module")
def dead_database_server():
    env = server_env(DATABASE_URL=f"postgres://postgres@127.0.0.1:{_closed_port()}/duostatus",
                     OUTAGE_RETRY_AFTER="7", DB_CONNECT_TIMEOUT="2")
    with gunicorn(env) as url:
        yield url


@pytest.mark.live
@pytest.mark.parametrize(("method", "path", "token", "body", "expected"), CALLS)
def test_nothing_listening_is_a_503_in_the_dialects_envelope(dead_database_server, method, path,
                                                              token, body, expected):
    status, headers, payload = call(dead_database_server + path, method, token=token, body=body)
    assert status == 503
    assert payload == expected
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers["Retry-After"] == "7"


@pytest.mark.live
def test_nothing_listening_is_an_html_503_for_public_pages(dead_database_server):
    status, headers, payload = call(dead_database_server + "/@alice")
    assert status == 503
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Retry-After"] == "7"
    assert "Service unavailable" in payload


def test_handler500_answers_an_outage_raised_outside_a_view_with_the_503():
    """Django calls handler500 inside its `except` for what a middleware raised."""
    request = RequestFactory().get("/api/v2/status/1/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = views.handler500(request)
    assert response.status_code == 503
    assert response["Retry-After"] == outage.retry_after()
    assert response.content == (b'{"errors": [{"code": "service_unavailable", "message": '
                                b'"Service temporarily unavailable, try again later."}]}')


def test_handler500_still_answers_500_for_other_errors():
    request = RequestFactory().get("/api/v1/statuses/1")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = views.handler500(request)
    assert response.status_code == 500
    assert "Retry-After" not in response


requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="cuts a live server off its PostgreSQL (DATABASE_URL=postgres://...)")


@requires_postgres
@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_database_cut_off_and_back_through_a_proxy(alice, make_token):
    token = make_token(alice)
    target = (connection.settings_dict.get("HOST") or "127.0.0.1",
              int(connection.settings_dict.get("PORT") or 5432))
    proxy = TcpProxy(target)
    proxy.start()
    env = server_env(DATABASE_URL=database_url(connection.settings_dict, host="127.0.0.1",
                                               port=proxy.port),
                     CONN_MAX_AGE="600", RATE_LIMITS_ENABLED="0", DB_CONNECT_TIMEOUT="2")
    try:
        with gunicorn(env) as url:
            status, _, created = call(url + "/api/v1/statuses", "POST", token=token,
                                      body={"status": "before the outage"})
            assert status == 200
            mastodon = f"{url}/api/v1/statuses/{created['id']}"
            selfcommunity = f"{url}/api/v2/status/{created['id']}/"
            assert call(mastodon, token=token)[0] == 200
            assert call(selfcommunity, token=token)[0] == 200
            assert call(url + "/health")[0] == 200

            proxy.stop()  # the server's open connection dies, and no new one can be made
            for address, expected in [(mastodon, MASTODON_503), (selfcommunity,
                                                                 SELFCOMMUNITY_503)]:
                for who in (token, None):
                    status, headers, payload = call(address, token=who)
                    assert (status, payload) == (503, expected)
                    assert headers["Retry-After"] == "10"
            status, _, payload = call(url + "/api/v1/statuses", "POST", token=token,
                                      body={"status": "during the outage"})
            assert (status, payload) == (503, MASTODON_503)
            status, _, payload = call(url + "/api/v2/status/", "POST", token=token,
                                      body={"html": "<p>during the outage</p>"})
            assert (status, payload) == (503, SELFCOMMUNITY_503)
            status, _, payload = call(url + "/health")
            assert (status, payload) == (503, HEALTH_DB_DOWN)
            # A view outside DRF (the public page): OutageMiddleware's HTML 503.
            status, headers, page = call(f"{url}/@alice/{created['id']}")
            assert (status, headers["Retry-After"]) == (503, "10")
            assert "Service unavailable" in page

            proxy.start()  # the database is back: the same server recovers by itself
            status, _, payload = call(url + "/health")
            assert (status, payload) == (200, {"status": "ok",
                                               "checks": {"database": "ok", "cache": "ok", "channel_layer": "ok"}})
            status, _, again = call(mastodon, token=token)
            assert (status, again["content"]) == (200, created["content"])
            assert call(selfcommunity, token=token)[0] == 200
            status, _, page = call(f"{url}/@alice/{created['id']}")
            assert status == 200 and "before the outage" in page
            status, _, timeline = call(url + "/api/v1/accounts/"
                                       f"{alice.pk}/statuses", token=token)
            assert status == 200
            # Nothing written during the outage got in.
            assert [s["content"] for s in timeline] == [created["content"]]
    finally:
        proxy.stop()

"""The server-sent events under /api/v1/streaming/ and its health check, against the real ASGI
application and channel layer: Mastodon's framing, heartbeats, CORS and refusals."""

import json

import pytest
from channels.testing import ApplicationCommunicator

from accounts.models import Follow
from statuses import services
from tests.streaming.conftest import application, in_db, run, settle

pytestmark = pytest.mark.django_db(transaction=True)


def _http(path: str, token: str | None = None, query: str = "", method: str = "GET"):
    headers = [(b"authorization", f"Bearer {token}".encode())] if token else []
    return ApplicationCommunicator(application(), {
        "type": "http", "http_version": "1.1", "method": method, "scheme": "http",
        "path": path, "raw_path": path.encode(), "root_path": "",
        "query_string": query.encode(), "headers": headers,
        "client": ("127.0.0.1", 5000), "server": ("testserver", 80),
    })


async def _start(path, token=None, query="", method="GET"):
    call = _http(path, token, query, method)
    await call.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await call.receive_output(5)
    assert start["type"] == "http.response.start"
    return call, start["status"], dict(start["headers"])


async def _body(call, timeout=3) -> bytes:
    message = await call.receive_output(timeout)
    assert message["type"] == "http.response.body"
    return message["body"]


def test_health_answers_ok_without_a_token():
    async def scenario():
        call, status, headers = await _start("/api/v1/streaming/health")
        assert status == 200 and headers[b"content-type"] == b"text/plain"
        assert await _body(call) == b"OK"

    run(scenario)


@pytest.mark.parametrize("path,query,token,status,error", [
    ("/api/v1/streaming/user", "", None, 401, "Missing access token"),
    ("/api/v1/streaming/public", "", "nope", 401, "Invalid access token"),
    ("/api/v1/streaming/public", "access_token=nope", None, 401, "Invalid access token"),
    ("/api/v1/streaming/nowhere", "", "alice", 400, "Unknown channel requested"),
    ("/api/v1/streaming/hashtag", "", "alice", 400, "Missing tag name parameter"),
    ("/api/v1/streaming/list", "list=1", "alice", 401, "Not authorized to stream this list"),
    ("/api/v1/streaming/user/notification", "", "statuses", 401,
     "Access token does not have the required scopes"),
])
def test_refusals_are_json_errors_with_mastodons_codes(path, query, token, status, error,
                                                       alice, make_token):
    raw = {"alice": make_token(alice, scopes="read"),
           "statuses": make_token(alice, scopes="read:statuses")}.get(token, token)

    async def scenario():
        call, answered, headers = await _start(path, raw, query)
        assert answered == status
        assert headers[b"content-type"] == b"application/json"
        assert headers[b"access-control-allow-origin"] == b"*"
        assert json.loads(await _body(call)) == {"error": error}

    run(scenario)


def test_an_event_stream_is_framed_as_mastodons(alice, bob, make_token, mastodon):
    Follow.objects.create(account=bob, target=alice)
    token = make_token(bob, scopes="read")

    async def scenario():
        call, status, headers = await _start("/api/v1/streaming/user", token)
        assert status == 200
        assert headers[b"content-type"] == b"text/event-stream"
        assert headers[b"cache-control"] == b"private, no-store"
        assert headers[b"access-control-allow-origin"] == b"*"
        assert await _body(call) == b":)\n"
        assert await _body(call, timeout=2) == b":thump\n"  # STREAMING_HEARTBEAT is 0.3 s here
        await settle()
        posted = await in_db(services.status_create)(account=alice, text="over SSE",
                                                     visibility="private")
        body = await _body(call)
        while body == b":thump\n":
            body = await _body(call)
        expected = (await in_db(mastodon.as_token(token).get)(
            f"/api/v1/statuses/{posted.pk}")).content
        assert body == b"event: update\ndata: " + expected + b"\n\n"
        await in_db(services.status_delete)(status=posted)
        body = await _body(call)
        while body == b":thump\n":
            body = await _body(call)
        assert body == f"event: delete\ndata: {posted.pk}\n\n".encode()
        await call.send_input({"type": "http.disconnect"})
        await call.wait(2)

    run(scenario)


def test_the_public_event_stream_takes_the_token_as_a_parameter(alice, make_token):
    token = make_token(alice, scopes="read:statuses")

    async def scenario():
        call, status, _ = await _start("/api/v1/streaming/public/local", None,
                                       f"access_token={token}")
        assert status == 200
        assert await _body(call) == b":)\n"
        await settle()
        posted = await in_db(services.status_create)(account=alice, text="hello local",
                                                     visibility="public")
        body = await _body(call)
        while body == b":thump\n":
            body = await _body(call)
        assert body.startswith(b"event: update\ndata: {")
        assert json.loads(body.split(b"data: ", 1)[1])["id"] == str(posted.pk)
        await call.send_input({"type": "http.disconnect"})
        await call.wait(2)

    run(scenario)


def test_without_the_streaming_server_the_api_answers_a_json_404(mastodon):
    # gunicorn (WSGI) serves no stream: a JSON 404, as Mastodon's Rails answers on the same host.
    response = mastodon.get("/api/v1/streaming/user")
    assert response.status_code == 404
    assert response.json() == {"error": "Not Found"}

"""The streaming routes' own authorization matrix (they are ASGI routes of config/asgi.py, outside
Django's resolver, so tests/api/test_authorization_matrix.py only checks that each has rows here).

`TOKENS` × `STREAMS`, over the WebSocket (a subscription's answer) and the event streams (the
HTTP answer), each cell written from Mastodon's rules (streaming/index.js), never from the code:
a user's token is required everywhere (401 at the handshake otherwise); `read` covers every
stream, `read:statuses` every stream but `user:notification`, `read:notifications` only that
one; the list asked for (`list=1`) is nobody's, so never the caller's (the owner's own list
is tests/streaming/test_list_stream.py).

`AUDIENCE` is the leak matrix: an author posts a status of each kind, each reader listens on
`user`, `public` and `hashtag` at once, and the frames each receives are exactly the table's.
"""

import json

import pytest

from accounts.models import Follow
from statuses import services
from tests.factories import AccountFactory
from tests.streaming.conftest import in_db, open_socket, run, settle
from tests.streaming.test_sse import _body, _start

pytestmark = pytest.mark.django_db(transaction=True)

# The routes of streaming.mastodon.routing and the streams each serves.
ROUTES = {
    "ws api/v1/streaming": "every stream, chosen by ?stream= or subscribe messages",
    "ws api/v1/streaming/": "the same",
    "http api/v1/streaming/health": "no token",
    "http ^api/v1/streaming/.+$": "the event streams of SSE_PATHS",
    # streaming.selfcommunity.routing: react-core's notification socket (test_notify_socket).
    "ws ws/notify": "the reader's notifications, ?subscribe-user, token as subprotocol __<token>",
    "ws ws/notify/": "the same",
}

STREAMS = {  # name: (subscribe message extras, event-stream path and query)
    "user": ({}, ("/api/v1/streaming/user", "")),
    "user:notification": ({}, ("/api/v1/streaming/user/notification", "")),
    "public": ({}, ("/api/v1/streaming/public", "")),
    "public:local": ({}, ("/api/v1/streaming/public/local", "")),
    "public:media": ({}, ("/api/v1/streaming/public", "only_media=true")),
    "public:remote": ({}, ("/api/v1/streaming/public/remote", "")),
    "hashtag": ({"tag": "matrix"}, ("/api/v1/streaming/hashtag", "tag=matrix")),
    "hashtag:local": ({"tag": "matrix"}, ("/api/v1/streaming/hashtag/local", "tag=matrix")),
    "list": ({"list": "1"}, ("/api/v1/streaming/list", "list=1")),
    "direct": ({}, ("/api/v1/streaming/direct", "")),
}

TOKENS = ("none", "unknown", "expired", "app", "write", "read:statuses", "read:notifications",
          "read")
SCOPES = "Access token does not have the required scopes"
LIST = "Not authorized to stream this list"


def expected(token: str, stream: str) -> tuple[int, str | None]:
    """(code, error) a caller gets: 200 and None for a subscription that is served."""
    if token == "none":
        return 401, "Missing access token"
    if token in ("unknown", "expired", "app"):
        return 401, "Invalid access token"
    needs = "read:notifications" if stream == "user:notification" else "read:statuses"
    if token not in ("read", needs):
        return 401, SCOPES
    if stream == "list":
        return 401, LIST
    return 200, None


def _token(kind: str, make_token, account) -> str | None:
    if kind == "none":
        return None
    if kind == "unknown":
        return "no-such-token"
    if kind == "expired":
        return make_token(account, scopes="read", expires_in=-60)
    if kind == "app":
        return make_token(None, scopes="read")
    return make_token(account, scopes=kind)


def test_the_table_covers_every_streaming_route():
    from streaming.mastodon.routing import http_urlpatterns, websocket_urlpatterns
    from streaming.selfcommunity.routing import websocket_urlpatterns as selfcommunity

    served = {f"ws {p.pattern}" for p in [*websocket_urlpatterns, *selfcommunity]}
    served |= {f"http {p.pattern}" for p in http_urlpatterns}
    assert served == set(ROUTES)


@pytest.mark.parametrize("kind", TOKENS)
def test_websocket_subscriptions(kind, alice, make_token):
    token = _token(kind, make_token, alice)

    async def scenario():
        socket = await open_socket(token)
        if expected(kind, "user")[1] in ("Missing access token", "Invalid access token"):
            assert socket.connected is False
            return
        assert socket.connected
        for stream, (extra, _) in STREAMS.items():
            await socket.send_json_to({"type": "subscribe", "stream": stream, **extra})
            code, error = expected(kind, stream)
            if error is None:
                assert await socket.receive_nothing(0.1), stream
            else:
                assert json.loads(await socket.receive_from(2)) == {
                    "error": error, "status": code}, stream
        await socket.disconnect()

    run(scenario)


@pytest.mark.parametrize("kind", TOKENS)
def test_event_streams(kind, alice, make_token):
    token = _token(kind, make_token, alice)

    async def scenario():
        for stream, (_, (path, query)) in STREAMS.items():
            call, status, _ = await _start(path, token, query)
            code, error = expected(kind, stream)
            assert status == code, (stream, status)
            body = await _body(call)
            if error is None:
                assert body == b":)\n"
                await call.send_input({"type": "http.disconnect"})
                await call.wait(2)
            else:
                assert json.loads(body) == {"error": error}, stream

    run(scenario)


# --- who hears which status -------------------------------------------------------------------

KINDS = ("public", "unlisted", "private", "direct")
READERS = ("author", "follower", "mentioned", "stranger", "pending")
# (kind, stream) -> the readers whose frames hold it. `mentioned` follows the author and is the
# direct status's addressee; `pending` asked to follow and was not accepted.
AUDIENCE = {
    ("public", "user"): {"author", "follower", "mentioned"},
    ("public", "public"): set(READERS),
    ("public", "hashtag"): set(READERS),
    ("unlisted", "user"): {"author", "follower", "mentioned"},
    ("private", "user"): {"author", "follower", "mentioned"},
    ("direct", "user"): {"author", "mentioned"},
}


def test_each_reader_hears_exactly_what_it_may_see(make_token):
    people = {name: AccountFactory(username=name) for name in READERS}
    for name in ("follower", "mentioned"):
        Follow.objects.create(account=people[name], target=people["author"])
    Follow.objects.create(account=people["pending"], target=people["author"], accepted=False)
    tokens = {name: make_token(account, scopes="read") for name, account in people.items()}

    async def scenario():
        sockets = {}
        for name in READERS:
            sockets[name] = await open_socket(tokens[name], query="stream=user")
            await sockets[name].send_json_to({"type": "subscribe", "stream": "public"})
            await sockets[name].send_json_to({"type": "subscribe", "stream": "hashtag",
                                              "tag": "matrix"})
        await settle()
        posted = {}
        for kind in KINDS:
            status = await in_db(services.status_create)(
                account=people["author"], text=f"@mentioned zq{kind}qz #matrix",
                visibility=kind)
            posted[str(status.pk)] = kind
        # Everyone hears this last on `public`; a leak, however late, would come before it.
        sentinel = await in_db(services.status_create)(
            account=people["author"], text="zqsentinelqz", visibility="public")
        for name, socket in sockets.items():
            heard = set()
            while True:
                frame = json.loads(await socket.receive_from(5))
                if frame["event"] == "notification":
                    # The mentioned reader's mention notifications (tests/streaming/
                    # test_websocket.py covers those); this matrix is about the statuses.
                    assert name == "mentioned", (name, frame)
                    continue
                shown = json.loads(frame["payload"])["id"]
                if shown == str(sentinel.pk):
                    if frame["stream"] == ["public"]:
                        break
                    continue
                heard.add((posted[shown], frame["stream"][0]))
            want = {key for key, readers in AUDIENCE.items() if name in readers}
            assert heard == want, name

    run(scenario)


def notify_expected(token: str) -> tuple[bool, str | None]:
    """SelfCommunity's socket: a user's live token with `read` or `read:notifications` (what
    GET /api/v2/notification/ takes); the refusal's reason otherwise."""
    if token == "none":
        return False, "Missing access token"
    if token in ("unknown", "expired", "app"):
        return False, "Invalid access token"
    if token not in ("read", "read:notifications"):
        return False, SCOPES
    return True, None


@pytest.mark.parametrize("kind", TOKENS)
@pytest.mark.parametrize("path", ["/ws/notify?subscribe-user", "/ws/notify/?subscribe-user"])
def test_notify_socket(kind, path, alice, bob, make_token):
    from channels.testing import ApplicationCommunicator

    from tests.streaming.conftest import application

    token = _token(kind, make_token, alice)
    served, reason = notify_expected(kind)
    protocols = [f"__{token}"] if token else []

    async def scenario():
        route, _, query = path.partition("?")
        call = ApplicationCommunicator(application(), {
            "type": "websocket", "path": route, "query_string": query.encode(), "headers": [],
            "subprotocols": protocols, "extensions": {"websocket.http.response": {}}})
        await call.send_input({"type": "websocket.connect"})
        answer = await call.receive_output(3)
        if not served:
            assert answer["type"] == "websocket.http.response.start"
            assert answer["status"] == 401
            assert (b"x-error-message", reason.encode()) in answer["headers"]
            return
        assert answer == {"type": "websocket.accept", "subprotocol": protocols[0]}
        await settle()
        # Bob's favourite notifies alice: the one frame her socket hears.
        status = await in_db(services.status_create)(account=alice, text="matrix",
                                                     visibility="public")
        await in_db(services.status_favourite)(account=bob, status_id=status.pk)
        frame = await call.receive_output(3)
        assert frame["type"] == "websocket.send"
        assert json.loads(frame["text"])["data"]["notification_obj"]["type"] == "vote_up"
        await call.send_input({"type": "websocket.disconnect", "code": 1000})

    run(scenario)

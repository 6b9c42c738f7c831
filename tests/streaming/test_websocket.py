"""The WebSocket at /api/v1/streaming against the real consumers and the real channel layer:
tokens, subscriptions, and each event shown to each reader exactly as GET /api/v1/statuses/:id
shows it to that reader, or not at all."""

import json

import pytest
from asgiref.sync import async_to_sync
from channels.testing import ApplicationCommunicator
from django.db import transaction

from accounts.models import Follow
from config import events
from statuses import services
from streaming import renderers
from tests.factories import AccountFactory, BlockFactory, MuteFactory
from tests.streaming.conftest import application, in_db, open_socket, run, settle

pytestmark = pytest.mark.django_db(transaction=True)


def _follow(follower, target, accepted=True):
    Follow.objects.create(account=follower, target=target, accepted=accepted)


def _get_body(mastodon, token, status_id) -> str:
    response = mastodon.as_token(token).get(f"/api/v1/statuses/{status_id}")
    assert response.status_code == 200
    return response.content.decode("utf-8")


async def _frame(socket, timeout=3, *, notifications=False) -> dict:
    """The next frame; `notification` events (a mention in a test's post, say) are passed over
    unless the test reads them."""
    while True:
        frame = json.loads(await socket.receive_from(timeout=timeout))
        if notifications or frame.get("event") != "notification":
            return frame


def _post(account, text, visibility="public", **more):
    return services.status_create(account=account, text=text, visibility=visibility, **more)


# --- tokens ----------------------------------------------------------------------------------

def test_the_token_is_read_from_the_header_the_query_and_the_subprotocol(alice, make_token):
    token = make_token(alice, scopes="read")

    async def scenario():
        for how in ("header", "query", "protocol"):
            socket = await open_socket(token, query="stream=user", how=how)
            assert socket.connected, how
            # A token offered as the subprotocol is echoed, or browsers drop the connection.
            assert socket.answer == (token if how == "protocol" else None)
            await settle()
            status = await in_db(_post)(alice, f"by {how}")
            frame = await _frame(socket)
            assert (frame["stream"], frame["event"]) == (["user"], "update")
            assert json.loads(frame["payload"])["id"] == str(status.pk)
            await socket.disconnect()

    run(scenario)


@pytest.mark.parametrize("case", ["missing", "unknown", "app-only", "expired", "suspended"])
def test_a_missing_or_bad_token_is_refused_at_the_handshake(case, alice, make_token):
    if case == "unknown":
        token = "not-a-token"
    elif case == "app-only":
        token = make_token(None, scopes="read")
    elif case == "expired":
        token = make_token(alice, scopes="read", expires_in=-60)
    elif case == "suspended":
        token = make_token(alice, scopes="read")
        from django.utils import timezone

        type(alice).objects.filter(pk=alice.pk).update(suspended_at=timezone.now())
    else:
        token = None

    async def scenario():
        socket = await open_socket(token, query="stream=user")
        # Without the ASGI extension for an HTTP answer (daphne), closed before accepting.
        assert socket.connected is False
        headers = [(b"authorization", f"Bearer {token}".encode())] if token else []
        refused = ApplicationCommunicator(application(), {
            "type": "websocket", "path": "/api/v1/streaming", "query_string": b"stream=user",
            "headers": headers, "subprotocols": [],
            "extensions": {"websocket.http.response": {}},
        })
        await refused.send_input({"type": "websocket.connect"})
        start = await refused.receive_output(3)
        assert start["type"] == "websocket.http.response.start"
        assert start["status"] == 401
        message = "Missing access token" if case == "missing" else "Invalid access token"
        assert (b"x-error-message", message.encode()) in start["headers"]
        assert (await refused.receive_output(3))["type"] == "websocket.http.response.body"

    run(scenario)


def test_a_websocket_anywhere_else_is_refused(alice, make_token):
    token = make_token(alice)

    async def scenario():
        socket = await open_socket(token, path="/api/v1/timelines/public")
        assert socket.connected is False

    run(scenario)


# --- subscriptions -------------------------------------------------------------------------

def test_subscribe_and_unsubscribe_by_message(alice, bob, make_token):
    token = make_token(bob, scopes="read")

    async def scenario():
        socket = await open_socket(token)
        assert socket.connected
        await socket.send_json_to({"type": "subscribe", "stream": "hashtag", "tag": "Cats"})
        # Subscribing twice is one subscription: one frame per event.
        await socket.send_json_to({"type": "subscribe", "stream": "hashtag", "tag": "cats"})
        await settle()
        first = await in_db(_post)(alice, "I like #cats")
        frame = await _frame(socket)
        assert frame["stream"] == ["hashtag", "Cats"] and frame["event"] == "update"
        assert json.loads(frame["payload"])["id"] == str(first.pk)
        assert await socket.receive_nothing(0.5)
        await socket.send_json_to({"type": "unsubscribe", "stream": "hashtag", "tag": "CATS"})
        await settle()
        await in_db(_post)(alice, "Still #cats")
        assert await socket.receive_nothing(0.8)
        await socket.disconnect()

    run(scenario)


@pytest.mark.parametrize("message,error", [
    ({"type": "subscribe", "stream": "nope"}, {"error": "Unknown stream type", "status": 400}),
    ({"type": "subscribe", "stream": "hashtag"},
     {"error": "Missing tag name parameter", "status": 400}),
    ({"type": "subscribe", "stream": "list", "list": "1"},
     {"error": "Not authorized to stream this list", "status": 401}),
    ({"type": "subscribe", "stream": "list"},
     {"error": "Missing list name parameter", "status": 400}),
    ({"type": "unsubscribe", "stream": "nope"}, {"error": "Error unsubscribing from channel"}),
])
def test_a_refused_subscription_is_an_error_frame(message, error, alice, make_token):
    token = make_token(alice, scopes="read")

    async def scenario():
        socket = await open_socket(token)
        await socket.send_json_to(message)
        assert await _frame(socket) == error
        # The connection stays open and usable.
        await socket.send_json_to({"type": "subscribe", "stream": "user"})
        await settle()
        await in_db(_post)(alice, "still here")
        assert (await _frame(socket))["event"] == "update"

    run(scenario)


def test_scopes_decide_each_subscription(alice, make_token):
    notifications_only = make_token(alice, scopes="read:notifications")
    statuses_only = make_token(alice, scopes="read:statuses")

    async def scenario():
        socket = await open_socket(notifications_only, query="stream=public")
        assert socket.connected  # the token is valid: only the subscription is refused
        assert await _frame(socket) == {
            "error": "Access token does not have the required scopes", "status": 401}
        await socket.send_json_to({"type": "subscribe", "stream": "user:notification"})
        assert await socket.receive_nothing(0.5)
        other = await open_socket(statuses_only, query="stream=user:notification")
        assert await _frame(other) == {
            "error": "Access token does not have the required scopes", "status": 401}

    run(scenario)


# --- who receives what ------------------------------------------------------------------------

def test_a_public_status_reaches_public_and_a_followers_home_as_get_shows_it(
        alice, bob, carol, make_token, mastodon):
    _follow(bob, alice)
    bob_token, carol_token = make_token(bob, scopes="read"), make_token(carol, scopes="read")

    async def scenario():
        home = await open_socket(bob_token, query="stream=user")
        public = await open_socket(carol_token, query="stream=public")
        local = await open_socket(carol_token, query="stream=public:local")
        await settle()
        status = await in_db(_post)(alice, "Hello #world")
        for socket, token, name in ((home, bob_token, "user"), (public, carol_token, "public"),
                                    (local, carol_token, "public:local")):
            frame = await _frame(socket)
            assert frame["stream"] == [name] and frame["event"] == "update"
            # Byte for byte what this reader's GET answers.
            assert frame["payload"] == await in_db(_get_body)(mastodon, token, status.pk)
        # carol follows nobody: her home hears nothing.
        carol_home = await open_socket(carol_token, query="stream=user")
        await settle()
        await in_db(_post)(alice, "Another")
        assert await carol_home.receive_nothing(0.8)

    run(scenario)


def test_the_payload_carries_the_readers_own_flags(alice, bob, make_token):
    _follow(bob, alice)
    token = make_token(bob, scopes="read")

    async def scenario():
        home = await open_socket(token, query="stream=user")
        await settle()
        original = await in_db(_post)(alice, "boost me")
        await _frame(home)
        await in_db(services.status_reblog)(account=bob, status_id=original.pk)
        frame = await _frame(home)
        payload = json.loads(frame["payload"])
        assert payload["reblog"]["id"] == str(original.pk)
        assert payload["reblogged"] is True and payload["reblog"]["reblogged"] is True

    run(scenario)


def test_a_private_status_never_reaches_a_subscriber_who_may_not_see_it(
        alice, bob, carol, make_token, mastodon):
    dave = AccountFactory(username="dave")
    _follow(bob, alice)
    _follow(dave, alice, accepted=False)  # a pending request is no follow
    tokens = {a.username: make_token(a, scopes="read") for a in (alice, bob, carol, dave)}

    async def scenario():
        sockets = {}
        for name, token in tokens.items():
            sockets[name] = socket = await open_socket(token, query="stream=user")
            for stream in ({"stream": "public"}, {"stream": "hashtag", "tag": "secret"},
                           {"stream": "public:local"}):
                await socket.send_json_to({"type": "subscribe", **stream})
        await settle()
        status = await in_db(_post)(alice, "followers only #secret", "private")
        for name in ("alice", "bob"):
            frame = await _frame(sockets[name])
            assert frame["stream"] == ["user"]
            assert frame["payload"] == await in_db(_get_body)(mastodon, tokens[name], status.pk)
            assert await sockets[name].receive_nothing(0.3)  # and on no public stream
        for name in ("carol", "dave"):
            assert await sockets[name].receive_nothing(0.8), name
        # However late a leak would come, it would come before this: each connection's frames
        # keep the order of the acts.
        sentinel = await in_db(_post)(alice, "for everyone", "public")
        for name in ("carol", "dave"):
            frame = await _frame(sockets[name])
            assert json.loads(frame["payload"])["id"] == str(sentinel.pk), name

    run(scenario)


def test_a_direct_status_reaches_only_its_addressees(alice, bob, carol, make_token, mastodon):
    _follow(bob, alice)
    _follow(carol, alice)
    tokens = {a.username: make_token(a, scopes="read") for a in (alice, bob, carol)}

    async def scenario():
        sockets = {}
        for name, token in tokens.items():
            sockets[name] = await open_socket(token, query="stream=user")
            await sockets[name].send_json_to({"type": "subscribe", "stream": "public"})
        await settle()
        status = await in_db(_post)(alice, "@bob just between us", "direct")
        for name in ("alice", "bob"):
            frame = await _frame(sockets[name])
            assert frame["stream"] == ["user"]
            assert frame["payload"] == await in_db(_get_body)(mastodon, tokens[name], status.pk)
        assert await sockets["carol"].receive_nothing(0.8)  # a follower, not addressed
        await in_db(services.status_delete)(status=status)
        assert (await _frame(sockets["bob"]))["payload"] == str(status.pk)
        assert await sockets["carol"].receive_nothing(0.8)  # not even the delete
        # A leak, however late, would arrive before this (frames keep the order of the acts).
        sentinel = await in_db(_post)(alice, "for everyone", "public")
        frame = await _frame(sockets["carol"])
        assert json.loads(frame["payload"])["id"] == str(sentinel.pk)

    run(scenario)


@pytest.mark.parametrize("relation", ["mutes", "blocks", "blocked by", "mutes the mentioned"])
def test_a_blocked_or_muted_authors_status_does_not_arrive(relation, alice, bob, carol,
                                                          make_token):
    if relation == "mutes":
        _follow(bob, alice)
        MuteFactory(account=bob, target=alice)
    elif relation == "blocks":
        BlockFactory(account=bob, target=alice)
    elif relation == "blocked by":
        BlockFactory(account=alice, target=bob)
    else:
        _follow(bob, alice)
        MuteFactory(account=bob, target=carol)
    token = make_token(bob, scopes="read")
    text = "hi @carol" if relation == "mutes the mentioned" else "hi"
    dave = AccountFactory(username="dave")

    async def scenario():
        socket = await open_socket(token, query="stream=user")
        await socket.send_json_to({"type": "subscribe", "stream": "public"})
        await settle()
        await in_db(_post)(alice, text)
        assert await socket.receive_nothing(0.8)
        # Everyone else's still arrives.
        await in_db(_post)(dave, "from dave")
        frame = await _frame(socket)
        assert frame["stream"] == ["public"]
        assert "from dave" in json.loads(frame["payload"])["content"]

    run(scenario)


def test_edits_and_deletes_reach_the_same_readers(alice, bob, make_token, mastodon):
    _follow(bob, alice)
    token = make_token(bob, scopes="read")
    carol = AccountFactory(username="carol")
    stranger = make_token(carol, scopes="read")

    async def scenario():
        home = await open_socket(token, query="stream=user")
        public = await open_socket(stranger, query="stream=public")
        await settle()
        status = await in_db(_post)(alice, "first words")
        await _frame(home)
        await _frame(public)
        await in_db(services.status_update)(account=alice, status_id=status.pk,
                                            text="second words")
        for socket, reader in ((home, token), (public, stranger)):
            frame = await _frame(socket)
            assert frame["event"] == "status.update"
            assert frame["payload"] == await in_db(_get_body)(mastodon, reader, status.pk)
            assert json.loads(frame["payload"])["edited_at"] is not None
        await in_db(services.status_delete)(status=status)
        for socket in (home, public):
            frame = await _frame(socket)
            assert (frame["event"], frame["payload"]) == ("delete", str(status.pk))
        # A private status's delete never reaches the public stream.
        secret = await in_db(_post)(alice, "followers only", "private")
        await _frame(home)
        await in_db(services.status_delete)(status=secret)
        assert (await _frame(home))["payload"] == str(secret.pk)
        assert await public.receive_nothing(0.8)

    run(scenario)


def test_only_media_streams_drop_statuses_without_media(alice, make_token):
    token = make_token(alice, scopes="read")

    async def scenario():
        socket = await open_socket(token, query="stream=public:media")
        await settle()
        await in_db(_post)(alice, "no pictures")
        assert await socket.receive_nothing(0.8)

    run(scenario)


# --- after commit only ------------------------------------------------------------------------

def test_events_leave_only_after_commit_and_a_rollback_sends_nothing(alice, make_token):
    token = make_token(alice, scopes="read")

    async def scenario():
        socket = await open_socket(token, query="stream=user")
        await settle()

        def rolled_back():
            with pytest.raises(RuntimeError), transaction.atomic():
                _post(alice, "never happened")
                raise RuntimeError

        await in_db(rolled_back)()
        assert await socket.receive_nothing(0.8)

        def committed():
            with transaction.atomic():
                status = _post(alice, "happened")
                # Posted but not committed: nothing has left yet.
                assert async_to_sync(socket.receive_nothing)(0.5)
            return status

        status = await in_db(committed)()
        frame = await _frame(socket)
        assert json.loads(frame["payload"])["id"] == str(status.pk)

    run(scenario)


# --- events rendered by other faces -----------------------------------------------------------

def test_registered_renderers_show_notifications_and_conversations(alice, bob, make_token):
    seen = []

    def notification(viewer, *, notification_id, account_id):
        seen.append((viewer.pk, notification_id, account_id))
        return None if notification_id == 13 else {"id": str(notification_id), "type": "mention"}

    def conversation(viewer, *, conversation_id, account_id):
        return {"id": str(conversation_id), "unread": True}

    kept = {kind: renderers.get(kind) for kind in ("notification", "conversation")}
    renderers.register("notification", notification)
    renderers.register("conversation", conversation)
    alice_read, bob_read = make_token(alice, scopes="read"), make_token(bob, scopes="read")
    statuses_only = make_token(alice, scopes="read:statuses")

    def announce(signal, **ids):
        with transaction.atomic():
            events.announce(signal, **ids)

    async def scenario():
        home = await open_socket(alice_read, query="stream=user")
        narrow = await open_socket(statuses_only, query="stream=user")  # no notifications
        only = await open_socket(alice_read, query="stream=user:notification")
        direct = await open_socket(alice_read, query="stream=direct")
        other = await open_socket(bob_read, query="stream=user")
        await other.send_json_to({"type": "subscribe", "stream": "user:notification"})
        await settle()
        await in_db(announce)(events.notification_created, notification_id=12,
                              account_id=alice.pk)
        for socket, name in ((home, "user"), (only, "user:notification")):
            frame = await _frame(socket, notifications=True)
            assert frame == {"stream": [name], "event": "notification",
                             "payload": json.dumps({"id": "12", "type": "mention"},
                                                   separators=(",", ":"))}
        assert await narrow.receive_nothing(0.3)
        assert await other.receive_nothing(0.3)
        # None: not for this reader.
        await in_db(announce)(events.notification_created, notification_id=13,
                              account_id=alice.pk)
        assert await home.receive_nothing(0.5)
        await in_db(announce)(events.conversation_updated, conversation_id=7,
                              account_id=alice.pk)
        frame = await _frame(direct)
        assert (frame["stream"], frame["event"]) == (["direct"], "conversation")
        assert json.loads(frame["payload"]) == {"id": "7", "unread": True}
        await in_db(announce)(events.filters_changed, account_id=alice.pk)
        assert await _frame(home) == {"stream": ["user"], "event": "filters_changed"}

    try:
        run(scenario)
    finally:
        for kind, fn in kept.items():
            if fn is None:
                renderers.unregister(kind)
            else:
                renderers.register(kind, fn)
    assert (alice.pk, 12, alice.pk) in seen and all(v == alice.pk for v, *_ in seen)




def test_revoking_the_token_ends_its_streams(alice, make_token):
    from oauth2_provider.models import AccessToken

    from tests.streaming.test_sse import _body, _start

    token = make_token(alice, scopes="read")
    other = make_token(alice, scopes="read")

    def revoke(raw):
        with transaction.atomic():
            AccessToken.objects.get(token=raw).delete()

    async def scenario():
        socket = await open_socket(token, query="stream=user")
        unaffected = await open_socket(other, query="stream=user")
        call, status, _ = await _start("/api/v1/streaming/user", token)
        assert status == 200 and await _body(call) == b":)\n"
        await settle()
        await in_db(revoke)(token)
        assert (await socket.receive_output(3))["type"] == "websocket.close"
        body = await _body(call)
        while body == b":thump\n":
            body = await _body(call)
        assert body == b""  # the event stream's response ends
        # The account's other token keeps streaming.
        await in_db(_post)(alice, "still streaming")
        assert (await _frame(unaffected))["event"] == "update"

    run(scenario)


def test_a_direct_status_updates_its_conversation_on_the_direct_stream(alice, bob, carol,
                                                                       make_token, mastodon):
    """The real conversations face renders the `conversation` event: the payload is the
    Conversation GET /api/v1/conversations gives that participant, and nobody else hears it."""
    tokens = {a.username: make_token(a, scopes="read") for a in (alice, bob, carol)}

    def listed(token):
        response = mastodon.get("/api/v1/conversations", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200
        return response.json()

    async def scenario():
        sockets = {name: await open_socket(token, query="stream=direct")
                   for name, token in tokens.items()}
        await settle()
        status = await in_db(_post)(alice, "@bob a word between us", "direct")
        for name in ("alice", "bob"):
            frame = await _frame(sockets[name])
            assert (frame["stream"], frame["event"]) == (["direct"], "conversation")
            payload = json.loads(frame["payload"])
            assert payload["last_status"]["id"] == str(status.pk)
            assert payload == (await in_db(listed)(tokens[name]))[0]
        assert payload["unread"] is True  # bob's
        assert await sockets["carol"].receive_nothing(0.8)

    run(scenario)


def test_a_favourite_notifies_its_author_live_as_the_notifications_api_shows_it(
        alice, bob, carol, make_token, mastodon):
    """The real notifications face renders the `notification` event: the payload is what
    GET /api/v1/notifications/:id gives the author, on `user` and `user:notification`; nobody
    else hears it, and a notification its reader may not see (a blocked sender's) is not sent."""
    status = _post(alice, "favourite me")
    tokens = {a.username: make_token(a, scopes="read") for a in (alice, carol)}

    def shown(notification_id):
        response = mastodon.as_token(tokens["alice"]).get(
            f"/api/v1/notifications/{notification_id}")
        assert response.status_code == 200
        return response.json()

    async def scenario():
        home = await open_socket(tokens["alice"], query="stream=user")
        only = await open_socket(tokens["alice"], query="stream=user:notification")
        other = await open_socket(tokens["carol"], query="stream=user:notification")
        await settle()
        await in_db(services.status_favourite)(account=bob, status_id=status.pk)
        for socket, name in ((home, "user"), (only, "user:notification")):
            frame = await _frame(socket, notifications=True)
            assert (frame["stream"], frame["event"]) == ([name], "notification")
            payload = json.loads(frame["payload"])
            assert (payload["type"], payload["account"]["id"], payload["status"]["id"]) == (
                "favourite", str(bob.pk), str(status.pk))
        assert payload == await in_db(shown)(payload["id"])
        assert await other.receive_nothing(0.5)

    run(scenario)

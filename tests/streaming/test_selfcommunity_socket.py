"""SelfCommunity's notification socket (`/ws/notify?subscribe-user`, react-core's) against the real
consumers and channel layer: the token as react-core sends it (the subprotocol `__<token>`,
echoed), refusals, a notification pushed to its receiver only, in the format react-core's
`useSCWebSocket` parses, and the heartbeat echoed."""

import json

import pytest
from channels.testing import ApplicationCommunicator, WebsocketCommunicator
from rest_framework.test import APIClient

from accounts.models import Mute
from statuses import services
from streaming.selfcommunity.consumers import HEARTBEAT
from tests.streaming.conftest import application, in_db, run, settle

pytestmark = pytest.mark.django_db(transaction=True)

PATH = "/ws/notify?subscribe-user"


async def open_notify(token=None, *, how="protocol", path=PATH):
    headers, subprotocols = [], None
    if token is not None and how == "protocol":
        subprotocols = [f"__{token}"]
    elif token is not None and how == "header":
        headers.append((b"authorization", f"Bearer {token}".encode()))
    socket = WebsocketCommunicator(application(), path, headers=headers,
                                   subprotocols=subprotocols)
    socket.connected, socket.answer = await socket.connect(timeout=5)
    return socket


async def _message(socket, timeout=3) -> dict:
    return json.loads(await socket.receive_from(timeout=timeout))


def _comment(author, on, text="<p>a comment</p>"):
    return services.status_create(account=author, text=text, visibility="public",
                                  in_reply_to_id=on.pk, in_reply_to_given=True)


def _post(account, text="<p>a status</p>", visibility="public"):
    return services.status_create(account=account, text=text, visibility=visibility)


def _sc_get(token, path):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = client.get(path)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_comment_reaches_the_author_of_the_status_as_react_core_reads_it(alice, bob,
                                                                           make_token):
    token = make_token(alice, scopes="read")
    status = _post(alice)

    async def scenario():
        socket = await open_notify(token)
        assert socket.connected
        # A browser drops a handshake that does not echo the subprotocol it offered.
        assert socket.answer == f"__{token}"
        await settle()
        comment = await in_db(_comment)(bob, status)
        message = await _message(socket)
        assert set(message) == {"type", "data"}
        assert message["type"] == "interaction"
        data = message["data"]
        assert set(data) == {"activity_type", "notification_obj", "feed_serialization_id",
                             "count_interactions"}
        assert data["activity_type"] == 2  # react-core's SCNotificationMapping: comment
        assert data["count_interactions"] == 1
        item = data["notification_obj"]
        assert item["type"] == "comment" and item["is_new"] is True
        assert item["comment"]["id"] == comment.pk
        assert isinstance(item["sid"], str) and data["feed_serialization_id"] == item["sid"]
        # The object is the item of GET /api/v2/notification/ for that notification.
        listed = (await in_db(_sc_get)(token, "/api/v2/notification/"))["results"][0]
        assert listed["aggregated"][0] == item
        await socket.disconnect()

    run(scenario)


def test_a_notification_reaches_its_receiver_only(alice, bob, carol, make_token):
    alice_token, carol_token = make_token(alice, scopes="read"), make_token(carol, scopes="read")
    status = _post(alice)

    async def scenario():
        for_alice = await open_notify(alice_token)
        for_carol = await open_notify(carol_token)
        assert for_alice.connected and for_carol.connected
        await settle()
        await in_db(services.status_favourite)(account=bob, status_id=status.pk)
        message = await _message(for_alice)
        assert message["data"]["activity_type"] == 9  # vote_up
        assert message["data"]["notification_obj"]["user"]["id"] == bob.pk
        assert await for_carol.receive_nothing(0.8)
        await for_alice.disconnect()
        await for_carol.disconnect()

    run(scenario)


def test_a_notification_the_receiver_would_not_be_shown_is_not_sent(alice, bob, make_token):
    """Alice mutes bob's notifications: the list leaves them out, and so does the socket (the
    group is never trusted to decide)."""
    token = make_token(alice, scopes="read")
    status = _post(alice)

    async def scenario():
        socket = await open_notify(token)
        await settle()
        await in_db(Mute.objects.create)(account=alice, target=bob, hide_notifications=True)
        await in_db(_comment)(bob, status)
        assert await socket.receive_nothing(0.8)
        await socket.disconnect()

    run(scenario)


def test_a_kind_selfcommunity_does_not_have_is_not_sent(alice, bob, make_token):
    """A follow notifies Mastodon's readers; SelfCommunity's list has no such item."""
    from accounts.services import account_follow

    token = make_token(alice, scopes="read")

    async def scenario():
        socket = await open_notify(token)
        await settle()
        await in_db(account_follow)(account=bob, target=alice)
        assert await socket.receive_nothing(0.8)
        await socket.disconnect()

    run(scenario)


def test_the_heartbeat_is_echoed_and_other_text_ignored(alice, make_token):
    token = make_token(alice, scopes="read")

    async def scenario():
        socket = await open_notify(token)
        await socket.send_to(text_data=HEARTBEAT)
        assert await socket.receive_from(timeout=3) == HEARTBEAT
        await socket.send_to(text_data='{"type": "subscribe"}')
        assert await socket.receive_nothing(0.3)
        await socket.disconnect()

    run(scenario)


def test_the_bearer_header_is_read_too(alice, make_token):
    token = make_token(alice, scopes="read")

    async def scenario():
        socket = await open_notify(token, how="header")
        assert socket.connected and socket.answer is None
        await socket.disconnect()

    run(scenario)


@pytest.mark.parametrize("case", ["missing", "unknown", "app-only", "expired", "suspended",
                                  "unprefixed", "no-facility"])
def test_refused_at_the_handshake(case, alice, make_token):
    token = make_token(alice, scopes="read")
    path = PATH
    subprotocols = [f"__{token}"]
    status, reason = 401, "Invalid access token"
    if case == "missing":
        subprotocols, reason = [], "Missing access token"
    elif case == "unknown":
        subprotocols = ["__not-a-token"]
    elif case == "app-only":
        subprotocols = [f"__{make_token(None, scopes='read')}"]
    elif case == "expired":
        subprotocols = [f"__{make_token(alice, scopes='read', expires_in=-60)}"]
    elif case == "suspended":
        from django.utils import timezone

        type(alice).objects.filter(pk=alice.pk).update(suspended_at=timezone.now())
    elif case == "unprefixed":
        # react-core always prefixes `__`; a bare token is no token.
        subprotocols, reason = [token], "Missing access token"
    elif case == "no-facility":
        path, status, reason = "/ws/notify", 400, "Unknown subscription: ask for subscribe-user"

    async def scenario():
        plain = WebsocketCommunicator(application(), path, subprotocols=subprotocols)
        connected, _ = await plain.connect(timeout=5)
        assert connected is False
        route, _, query = path.partition("?")
        refused = ApplicationCommunicator(application(), {
            "type": "websocket", "path": route, "query_string": query.encode(),
            "headers": [], "subprotocols": subprotocols,
            "extensions": {"websocket.http.response": {}},
        })
        await refused.send_input({"type": "websocket.connect"})
        start = await refused.receive_output(3)
        assert start["type"] == "websocket.http.response.start"
        assert start["status"] == status
        assert (b"x-error-message", reason.encode()) in start["headers"]

    run(scenario)


@pytest.mark.parametrize(("scopes", "served"), [
    ("read", True), ("read:notifications", True), ("read:statuses", False), ("write", False),
    ("read write follow push", True)])
def test_scopes(scopes, served, alice, make_token):
    token = make_token(alice, scopes=scopes)

    async def scenario():
        socket = await open_notify(token)
        assert socket.connected is served
        if served:
            await socket.disconnect()

    run(scenario)


def test_revoking_the_token_ends_the_socket(alice, make_token):
    from oauth2_provider.models import get_access_token_model

    token = make_token(alice, scopes="read")

    async def scenario():
        socket = await open_notify(token)
        assert socket.connected
        await settle()
        await in_db(lambda: get_access_token_model().objects.get(token=token).delete())()
        assert (await socket.receive_output(3))["type"] == "websocket.close"

    run(scenario)

"""SelfCommunity's notification socket under Node with the client react-core uses
(tests/e2e/sdk/socket.js: @selfcommunity/utils' WSClient, the token as subprotocol `__<token>`)
against a live streaming server (daphne on config.asgi, the API and the socket on one port): a
vote through the SDK reaches the status's author as react-core parses it, and the heartbeat is
echoed so WSClient keeps the socket."""

import json
import subprocess

import pytest

from statuses import services
from tests.api.selfcommunity.test_e2e_sdk import SDK_DIR, ensure_reactions
from tests.api.selfcommunity.test_e2e_sdk import pytestmark as sdk_marks
from tests.factories import AccountFactory
from tests.streaming.conftest import REDIS_UP, STREAMING_REDIS
from tests.streaming.live import streaming_server_url

pytestmark = [*sdk_marks, pytest.mark.django_db(transaction=True)]

# react-core 0.7.0-alpha.23's SCNotificationMapping: 9 is vote_up.
VOTE_UP = 9


def test_react_cores_client_receives_a_vote_and_keeps_the_socket(settings, make_token):
    if REDIS_UP:
        settings.CHANNEL_LAYERS = {"default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [STREAMING_REDIS], "prefix": "duo-test-sc-socket"},
        }}
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    ensure_reactions()  # the vote's default reaction
    alice, bob = AccountFactory(username="alice"), AccountFactory(username="bob")
    status = services.status_create(account=alice, text="vote for me", visibility="public")
    reader = make_token(alice, scopes="read")
    url = streaming_server_url()
    run = subprocess.run(
        ["node", "--experimental-websocket", "socket.js", json.dumps({
            "base": url, "ws": url.replace("http://", "ws://"), "reader": reader,
            "voter": make_token(bob, scopes="read write"), "status": status.pk})],
        cwd=SDK_DIR, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout)
    assert out["connected"] is True
    assert out["protocol"] == f"__{reader}"
    message = out["message"]
    assert message is not None, out
    assert message["type"] == "interaction"
    data = message["data"]
    assert data["activity_type"] == VOTE_UP
    item = data["notification_obj"]
    assert item["type"] == "vote_up" and item["user"]["username"] == "bob"
    assert item["status"]["id"] == status.pk
    assert data["count_interactions"] == 1
    assert out["missedHeartbeats"] == 0 and out["stillOpen"] is True

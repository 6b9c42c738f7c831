"""masto.js 8's streaming client under Node against a live streaming server (daphne on
config.asgi, the API and the WebSocket on one port, as `make run` serves them): a follower's
`user` stream and the `public:local` stream receive `update` as the REST API renders the status,
and `delete` with its id. The token travels as the WebSocket subprotocol, as masto.js sends it.
(`notification` joins once the notifications face registers its renderer.)"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from notifications.models import Notification
from tests.factories import AccountFactory
from tests.streaming.conftest import REDIS_UP, STREAMING_REDIS
from tests.streaming.live import streaming_server_url

MASTO_DIR = Path(__file__).resolve().parents[2] / "e2e" / "masto"
READY = shutil.which("node") is not None and (MASTO_DIR / "node_modules").is_dir()

pytestmark = [
    pytest.mark.skipif(
        not READY and not os.environ.get("REQUIRE_SDK"),
        reason="Node.js or tests/e2e/masto/node_modules missing (npm ci --prefix tests/e2e/masto)",
    ),
    pytest.mark.live,
    pytest.mark.django_db(transaction=True),
]


def test_masto_js_streaming_receives_update_delete_and_notification(settings, make_token):
    if REDIS_UP:
        settings.CHANNEL_LAYERS = {"default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [STREAMING_REDIS], "prefix": "duo-test-masto"},
        }}
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    dana = AccountFactory(username="dana")
    erin = AccountFactory(username="erin")
    url = streaming_server_url()
    env = {
        **os.environ,
        "MASTO_URL": url,
        "MASTO_STREAMING_URL": url.replace("http://", "ws://"),
        "MASTO_DANA_TOKEN": make_token(dana, scopes="read write follow"),
        "MASTO_ERIN_TOKEN": make_token(erin, scopes="read write"),
        "MASTO_ERIN_ID": str(erin.pk),
    }
    run = subprocess.run(["node", "--experimental-websocket", str(MASTO_DIR / "streaming.js")],
                         env=env, capture_output=True, text=True, timeout=120, check=False)
    assert run.stdout.strip(), run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert run.returncode == 0, (out.get("error"), run.stderr[-2000:])

    assert out["followed"] is True
    posted = out["posted"]
    assert out["update"] == {"stream": ["user"], "id": posted,
                             "content": "<p>Live from masto.js</p>", "account": "erin"}
    assert out["localUpdate"] == {"stream": ["public:local"], "event": "update", "id": posted}
    assert out["deleted"] == {"stream": ["user"], "payload": posted}
    assert out["notification"] == {"stream": ["user"], "type": "favourite", "account": "erin",
                                   "status": out["mine"], "favourited": False}
    assert Notification.objects.filter(recipient=dana, from_account=erin, type="favourite",
                                        status_id=int(out["mine"])).count() == 1

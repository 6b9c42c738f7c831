"""masto.js 8 (the client most Mastodon web apps use) under Node against a live server: the
preferences, custom emojis and announcements a web app reads at start-up, a reaction added and
removed, a refused one, a dismissal; each answer checked against the database."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from instance_extras import services
from instance_extras.models import (
    Announcement,
    AnnouncementDismissal,
    AnnouncementReaction,
    CustomEmoji,
)
from tests.instance_extras.conftest import picture

MASTO_DIR = Path(__file__).resolve().parents[1] / "e2e" / "masto"
READY = shutil.which("node") is not None and (MASTO_DIR / "node_modules").is_dir()

pytestmark = [
    pytest.mark.skipif(
        not READY and not os.environ.get("REQUIRE_SDK"),
        reason="Node.js or tests/e2e/masto/node_modules missing (npm ci --prefix tests/e2e/masto)",
    ),
    pytest.mark.live,
    pytest.mark.django_db(transaction=True),
]


def test_masto_js_reads_the_instance_extras_and_reacts(live_server, make_token, alice):
    services.custom_emoji_save(emoji=CustomEmoji(shortcode="blobcat"), upload=picture())
    announcement = services.announcement_save(
        announcement=Announcement(text="Welcome :blobcat: #fediverse"))
    env = {**os.environ, "MASTO_URL": live_server.url, "MASTO_TOKEN": make_token(alice),
           "MASTO_ANNOUNCEMENT": str(announcement.pk)}
    run = subprocess.run(["node", str(MASTO_DIR / "instance.js")], env=env, capture_output=True,
                         text=True, timeout=120, check=False)
    assert run.stdout.strip(), run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert run.returncode == 0, (out.get("error"), run.stderr[-2000:])

    # masto.js turns the keys into camelCase; the colon-separated keys of preferences stay.
    assert out["preferences"]["posting:default:visibility"] == "public"
    assert out["preferences"]["reading:expand:media"] == "default"
    assert [e["shortcode"] for e in out["emojis"]] == ["blobcat"]
    assert out["emojis"][0]["visibleInPicker"] is True
    listed = out["announcements"]
    assert [a["id"] for a in listed] == [str(announcement.pk)]
    assert listed[0]["read"] is False
    assert listed[0]["tags"] == [{"name": "fediverse",
                                  "url": "https://social.example/tags/fediverse"}]
    assert out["reacted"] == [{"name": "🎉", "count": 1, "me": True}]
    assert out["refused"]["status"] == 422
    assert "Name is not a recognized emoji" in out["refused"]["message"]
    assert out["dismissed"] is True
    assert list(AnnouncementReaction.objects.values_list("account_id", "name")) == [
        (alice.pk, "🎉")]
    assert AnnouncementDismissal.objects.filter(account=alice, announcement=announcement).exists()

"""masto.js 8 under Node against a live server, driving the account screens through its own
methods (tests/e2e/masto/accounts.js): followers/following paged by Link, updateCredentials with
an avatar Blob, fields and posting defaults that the next post uses, a note, pin/endorsements,
blocks, mutes, familiar followers and removeFromFollowers. Checked against the database."""

import json
import os
import secrets
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken

from accounts.models import Account, AccountNote, AccountPin, Block, Follow, Mute, Visibility
from tests.api.mastodon.test_media import png
from tests.factories import AccountFactory, ApplicationFactory, FollowFactory

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


def test_masto_js_account_screens(live_server, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    me = AccountFactory(username="mia")
    target = AccountFactory(username="tara")
    friend = AccountFactory(username="finn")
    follower = AccountFactory(username="fred")
    blocked, muted = AccountFactory(username="bert"), AccountFactory(username="mona")
    followers = [AccountFactory(username=f"fan{i}") for i in range(3)]
    rows = [FollowFactory(account=fan, target=target) for fan in followers]
    FollowFactory(account=me, target=friend)
    FollowFactory(account=friend, target=target)  # a familiar follower of tara for mia
    FollowFactory(account=follower, target=me)
    avatar = tmp_path / "avatar.png"
    avatar.write_bytes(png(600, 300))
    application = ApplicationFactory(name="masto.js", scopes="read write follow")
    raw = secrets.token_urlsafe(24)
    AccessToken.objects.create(user=me, application=application, token=raw,
                               scope="read write follow",
                               expires=timezone.now() + timedelta(hours=1))
    env = {
        **os.environ, "MASTO_URL": live_server.url, "MASTO_ME_TOKEN": raw,
        "MASTO_ME_ID": str(me.pk), "MASTO_TARGET_ID": str(target.pk),
        "MASTO_FRIEND_ID": str(friend.pk), "MASTO_FOLLOWER_ID": str(follower.pk),
        "MASTO_BLOCKED_ID": str(blocked.pk), "MASTO_MUTED_ID": str(muted.pk),
        "MASTO_AVATAR": str(avatar),
    }
    run = subprocess.run(["node", str(MASTO_DIR / "accounts.js")], env=env,
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.stdout.strip(), run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert run.returncode == 0, (out.get("error"), run.stderr[-2000:])

    # Newest follow first, two a page, followed through the Link header; a full last page has a
    # `next` link, which answers an empty page (Mastodon's records_continue? does the same).
    newest_first = [str(row.account_id) for row in reversed(rows)]
    newest_first.insert(0, str(friend.pk))
    assert out["followers"] == [newest_first[0:2], newest_first[2:4], []]
    assert out["following"] == [str(friend.pk)]

    row = Account.objects.get(pk=me.pk)
    updated = out["updated"]
    assert updated["displayName"] == "Renamed by masto" == row.display_name
    assert updated["note"] == "<p>A bio</p><p>in two paragraphs</p>"
    assert row.avatar and updated["avatar"].endswith(row.avatar.url)
    assert updated["fields"] == [
        {"name": "Site", "value": "https://example.org", "verifiedAt": None}]
    assert updated["source"] == {"privacy": "unlisted", "sensitive": True, "language": "fr",
                                 # a multipart body sends line breaks as CRLF, kept as sent
                                 "note": "A bio\r\n\r\nin two paragraphs"}
    assert row.default_visibility == Visibility.UNLISTED
    assert out["posted"] == {"visibility": "unlisted", "sensitive": True, "language": "fr"}

    assert out["noted"] == "from the park"
    assert AccountNote.objects.get(account=me, target=friend).comment == "from the park"
    assert out["pinned"] is True
    assert out["endorsements"] == [str(friend.pk)]
    assert out["pinRefused"]["status"] == 422
    assert out["unpinned"] is False
    assert not AccountPin.objects.exists()
    assert out["familiar"] == [{"id": str(target.pk), "accounts": [str(friend.pk)]}]
    assert out["blocks"] == [str(blocked.pk)]
    assert Block.objects.filter(account=me, target=blocked).exists()
    [mute] = out["mutes"]
    assert mute["id"] == str(muted.pk) and mute["muteExpiresAt"]
    assert Mute.objects.get(account=me).expires_at is not None
    assert out["removed"] is False
    assert not Follow.objects.filter(account=follower, target=me).exists()

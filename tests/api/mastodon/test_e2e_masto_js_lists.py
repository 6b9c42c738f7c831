"""masto.js 8 under Node against a live server, driving lists through its own methods
(tests/e2e/masto/lists.js): `client.v1.lists.*`, a list's accounts, an account's lists and
`client.v1.timelines.list.$select(id).list()` paged by the Link header. Each answer is checked
against the database."""

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

from lists.models import ListMember, UserList
from statuses import services
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


def test_masto_js_makes_fills_reads_and_deletes_a_list(live_server):
    owner = AccountFactory(username="lena")
    followed = AccountFactory(username="finn")
    stranger = AccountFactory(username="sven")
    FollowFactory(account=owner, target=followed)
    statuses = [services.status_create(account=followed, text=f"list status {i}")
                for i in range(3)]
    private = services.status_create(account=followed, text="only followers",
                                     visibility="private")
    services.status_create(account=stranger, text="not on the list")
    application = ApplicationFactory(name="masto.js", scopes="read write")
    raw = secrets.token_urlsafe(24)
    AccessToken.objects.create(user=owner, application=application, token=raw,
                               scope="read write", expires=timezone.now() + timedelta(hours=1))
    env = {**os.environ, "MASTO_URL": live_server.url, "MASTO_TOKEN": raw,
           "MASTO_FOLLOWED_ID": str(followed.pk), "MASTO_STRANGER_ID": str(stranger.pk)}
    run = subprocess.run(["node", str(MASTO_DIR / "lists.js")], env=env, capture_output=True,
                         text=True, timeout=120, check=False)
    assert run.stdout.strip(), run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert run.returncode == 0, (out.get("error"), run.stderr[-2000:])

    list_id = out["created"]["id"]
    assert out["created"] == {"id": list_id, "title": "Friends", "repliesPolicy": "followed",
                              "exclusive": False}
    assert out["blank"] == {"status": 422, "message": "Validation failed: Title can't be blank"}
    assert out["updated"] == {**out["created"], "title": "Close friends", "exclusive": True}
    assert out["fetched"] == out["updated"]
    assert out["listed"] == [list_id]
    assert out["notFollowed"] == {
        "status": 422, "message": "Validation failed: Account must be a followed account"}
    assert out["members"] == [str(followed.pk)]
    assert out["memberOf"] == [list_id]
    newest_first = sorted([s.pk for s in statuses], reverse=True)
    timeline = [pk for page in out["timeline"] for pk in page]
    # The member's statuses the owner may see (the private one too: the owner follows), two a
    # page, the stranger's never.
    assert [int(pk) for pk in timeline] == [private.pk, *newest_first]
    assert all(len(page) <= 2 for page in out["timeline"])
    assert out["removedMember"] == []
    assert out["deleted"] == {"status": 404, "message": "Record not found"}
    assert not UserList.objects.exists() and not ListMember.objects.exists()

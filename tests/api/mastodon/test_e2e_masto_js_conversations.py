"""masto.js 8 (the JavaScript client most Mastodon web apps use) under Node against a live
server, driving conversations as its own spec does (tests/e2e/masto/conversations.js): a direct
status reaches the other account's conversations, which it reads, marks unread, pages through by
the Link header and removes for itself alone. Each answer is checked against the database."""

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

from conversations.models import AccountConversation
from statuses import services
from statuses.models import Status
from tests.factories import AccountFactory, ApplicationFactory

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


def _token(account, application) -> str:
    raw = secrets.token_urlsafe(24)
    AccessToken.objects.create(user=account, application=application, token=raw,
                               scope="read write", expires=timezone.now() + timedelta(hours=1))
    return raw


def test_masto_js_lists_reads_marks_unread_pages_and_removes_conversations(live_server):
    writer = AccountFactory(username="wren")
    reader = AccountFactory(username="rhea")
    # Four older conversations of the reader's, so that paging by two takes three pages.
    for i in range(4):
        services.status_create(account=AccountFactory(username=f"other{i}"),
                               text=f"@rhea older {i}", visibility="direct")
    application = ApplicationFactory(name="masto.js", scopes="read write")
    env = {
        **os.environ,
        "MASTO_URL": live_server.url,
        "MASTO_WRITER_TOKEN": _token(writer, application),
        "MASTO_READER_TOKEN": _token(reader, application),
        "MASTO_READER": "rhea",
    }
    run = subprocess.run(["node", str(MASTO_DIR / "conversations.js")], env=env,
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.stdout.strip(), run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert run.returncode == 0, (out.get("error"), run.stderr[-2000:])

    sent = Status.objects.get(pk=int(out["sent"]["id"]))
    assert sent.account == writer and out["sent"]["visibility"] == "direct"
    found = out["listed"]["found"]
    conversation_id = int(found["id"])
    assert out["listed"]["count"] == 5
    assert found == {"id": found["id"], "unread": True, "accounts": ["wren"],
                     "lastStatusId": str(sent.pk), "lastStatusVisibility": "direct"}
    assert out["read"] == {**found, "unread": False}
    assert out["unread"] == {**found, "unread": True}

    # Newest last status first (the new one, removed since, then the four older ones), two a
    # page, the whole list once.
    newest_first = [found["id"], *(str(pk) for pk in AccountConversation.objects.filter(
        account=reader).order_by("-last_status_id").values_list("pk", flat=True))]
    assert out["paged"] == [newest_first[0:2], newest_first[2:4], newest_first[4:5]]

    # Removed for the reader alone; the writer keeps theirs.
    assert out["removed"]["readerStillHasIt"] is False
    assert not AccountConversation.objects.filter(pk=conversation_id).exists()
    [writers] = out["removed"]["writerHas"]
    assert writers["accounts"] == ["rhea"] and writers["unread"] is False
    assert AccountConversation.objects.get(account=writer).last_status_id == sent.pk
    assert out["removedAgain"]["status"] == 404

"""masto.js 8 under Node against a live server, searching through its own methods
(tests/e2e/masto/search.js): words, `from:me`, a quoted phrase and paging over the searcher's
statuses (never another's private one), accounts, hashtags with their history,
`v1.accounts.search` and `v1.accounts.lookup`. Each answer is checked against the database."""

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

from statuses import services
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


def test_masto_js_searches_statuses_accounts_and_hashtags(live_server):
    searcher = AccountFactory(username="kestrel_fan")
    other = AccountFactory(username="kestrel_watcher")
    first = services.status_create(account=searcher, text="a kestrel hovers #raptors")
    second = services.status_create(account=searcher, text="kestrel again")
    services.status_create(account=other, text="kestrel secret", visibility="private")
    application = ApplicationFactory(name="masto.js", scopes="read write")
    raw = secrets.token_urlsafe(24)
    AccessToken.objects.create(user=searcher, application=application, token=raw,
                               scope="read write", expires=timezone.now() + timedelta(hours=1))
    env = {**os.environ, "MASTO_URL": live_server.url, "MASTO_TOKEN": raw}
    run = subprocess.run(["node", str(MASTO_DIR / "search.js")], env=env,
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.stdout.strip(), run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert run.returncode == 0, (out.get("error"), run.stderr[-2000:])

    newest_first = [str(second.pk), str(first.pk)]
    assert out["word"] == newest_first
    assert out["fromMe"] == newest_first
    assert out["phrase"] == [str(first.pk)]
    assert out["paged"] == [str(first.pk)]
    # The people search leaves the searcher out (community.selectors.accounts_search).
    assert out["accounts"] == ["kestrel_watcher"]
    assert out["accountsSearch"] == ["kestrel_watcher"]
    assert out["hashtags"] == [{"name": "raptors", "days": 7, "uses": "1"}]
    assert out["lookup"] == str(searcher.pk)
    assert out["lookupMissing"]["status"] == 404
    assert out["lookupMissing"]["message"] == "Record not found"

"""masto.js 8 under Node against a live server, driving filters through its own methods
(tests/e2e/masto/filters.js): v2 filters with keywordsAttributes, their keywords and statuses,
a status shown with `filtered`, the home timeline without what a hide filter matches, the v1
view, and removal. Each answer is checked against the database."""

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

from filters.models import Filter, FilterKeyword, FilterStatus
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


def _token(account, application) -> str:
    raw = secrets.token_urlsafe(24)
    AccessToken.objects.create(user=account, application=application, token=raw,
                               scope="read write", expires=timezone.now() + timedelta(hours=1))
    return raw


def test_masto_js_drives_filters(live_server):
    owner = AccountFactory(username="paul")
    author = AccountFactory(username="jessica")
    FollowFactory(account=owner, target=author)
    application = ApplicationFactory(name="masto.js", scopes="read write")
    env = {**os.environ, "MASTO_URL": live_server.url,
           "MASTO_OWNER_TOKEN": _token(owner, application),
           "MASTO_AUTHOR_TOKEN": _token(author, application)}
    run = subprocess.run(["node", str(MASTO_DIR / "filters.js")], env=env,
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.stdout.strip(), run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert run.returncode == 0, (out.get("error"), run.stderr[-2000:])

    created = out["created"]
    assert created["title"] == "Dune spoilers" and created["context"] == ["home", "public"]
    assert created["filterAction"] == "warn" and created["expiresAt"].endswith("Z")
    assert [(k["keyword"], k["wholeWord"]) for k in created["keywords"]] == [
        ("spice", True), ("worm", False)]
    assert out["listed"] == [created] and out["fetched"] == created

    updated = out["updated"]
    assert updated["title"] == "Arrakis" and updated["filterAction"] == "hide"
    assert [(k["keyword"], k["wholeWord"]) for k in updated["keywords"]] == [
        ("melange", True), ("sandworm", True)]
    assert updated["keywords"][0]["id"] == created["keywords"][0]["id"]

    assert out["keywordAdded"]["keyword"] == "fremen" and out["keywordAdded"]["wholeWord"] is False
    assert out["keywords"] == ["melange", "sandworm", "fremen"]
    assert out["keywordFetched"] == "fremen"
    assert out["keywordUpdated"] == {"keyword": "Fremen", "wholeWord": True}
    assert out["keywordRemoved"] == ["melange", "sandworm"]

    # Removed since (statusRemoved), as the whole filter is.
    assert not FilterStatus.objects.filter(pk=int(out["statusAdded"]["id"])).exists()
    assert out["statusAdded"]["statusId"].isdigit()
    assert out["statuses"] == [out["statusAdded"]["statusId"]]
    assert out["statusFetched"] == out["statusAdded"]["statusId"]

    filtered = out["filtered"]
    assert filtered["results"] == [{"filterId": created["id"], "action": "hide",
                                    "keywordMatches": ["melange"], "statusMatches": None}]
    # The hide filter takes both the matching status and the status of its rule out of home.
    assert filtered["matchingId"] not in filtered["homeIds"]
    assert out["statusAdded"]["statusId"] not in filtered["homeIds"]
    assert filtered["authorSees"] == []
    assert out["statusRemoved"] == 0

    v1 = out["v1"]
    assert v1["created"]["phrase"] == "Harkonnen" and v1["created"]["irreversible"] is True
    assert v1["created"]["context"] == ["thread"] and v1["created"]["wholeWord"] is True
    assert v1["listed"] == ["melange", "sandworm", "Harkonnen"]
    assert v1["updated"] == {"phrase": "Atreides", "context": ["thread", "account"]}
    assert v1["fetched"] == "Atreides"
    assert v1["afterRemove"] == ["melange", "sandworm"]

    assert out["removed"]["status"] == 404
    assert not Filter.objects.filter(pk=int(created["id"])).exists()
    assert Filter.objects.filter(account=owner).count() == 1  # the v1 filter, without keywords
    assert not FilterKeyword.objects.filter(filter__account=owner).exists()

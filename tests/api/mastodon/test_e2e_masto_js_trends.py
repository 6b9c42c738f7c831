"""masto.js 8 under Node against a live server, driving the trends, suggestions and directory
through its own methods (tests/e2e/masto/trends.js): `v1.trends.statuses/tags/links.list()`
(statuses paged by the Link header), `v2.suggestions.list()`, `v1.suggestions.list()`, `v1.suggestions.$select(id)
.remove()` and `v1.directory.list()`. Each answer is checked against the database."""

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
from statuses.models import PreviewCard, Status
from tests.factories import AccountFactory, ApplicationFactory, FollowFactory
from trends.models import SuggestionDismissal, TrendingStatus
from trends.services import trends_compute

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


def test_masto_js_reads_trends_suggestions_and_the_directory(live_server):
    viewer = AccountFactory(username="vera", discoverable=True)
    friend = AccountFactory(username="fred", discoverable=True)
    fof = AccountFactory(username="fofo", discoverable=True)
    popular = AccountFactory(username="pop", discoverable=True, followers_count=5)
    FollowFactory(account=viewer, target=friend)
    FollowFactory(account=friend, target=fof)
    card = PreviewCard.objects.create(url="https://example.com/news", url_hash="n" * 64,
                                      title="News")
    for i, author in enumerate((friend, fof, popular)):
        status = services.status_create(account=author, text=f"#otters {i} https://example.com/news")
        Status.objects.filter(pk=status.pk).update(card=card)
        for fan in (viewer, friend, fof, popular)[: i + 2]:
            if fan != author:
                services.status_favourite(account=fan, status_id=status.pk)
    private = services.status_create(account=friend, text="followers only", visibility="private")
    services.status_favourite(account=viewer, status_id=private.pk)
    trends_compute()
    ranked = [str(pk) for pk in TrendingStatus.objects.order_by("rank")
              .values_list("status_id", flat=True)]
    assert len(ranked) == 3 and str(private.pk) not in ranked

    application = ApplicationFactory(name="masto.js", scopes="read write")
    raw = secrets.token_urlsafe(24)
    AccessToken.objects.create(user=viewer, application=application, token=raw,
                               scope="read write", expires=timezone.now() + timedelta(hours=1))
    env = {**os.environ, "MASTO_URL": live_server.url, "MASTO_TOKEN": raw}
    run = subprocess.run(["node", str(MASTO_DIR / "trends.js")], env=env,
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.stdout.strip(), run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert run.returncode == 0, (out.get("error"), run.stderr[-2000:])

    assert out["statuses"] == ranked
    assert out["statusPages"] == [ranked[0:2], ranked[2:3]]
    [tag] = out["tags"]
    assert tag["name"] == "otters" and tag["url"].endswith("/tags/otters")
    assert tag["days"] == 7 and tag["today"]["uses"] == "3" and tag["today"]["accounts"] == "3"
    assert out["links"] == [{"url": "https://example.com/news", "title": "News",
                             "today": tag["today"]}]
    assert out["suggestions"] == [
        {"source": "past_interactions", "sources": ["friends_of_friends"], "acct": "fofo"},
        {"source": "global", "sources": ["most_followed"], "acct": "pop"},
    ]
    assert out["suggestionsV1"] == ["fofo", "pop"]
    assert out["dismissed"] == {"dismissed": "fofo", "after": ["pop"]}
    assert SuggestionDismissal.objects.filter(account=viewer, target=fof).exists()
    # Latest status first (every one posted today; then the newest account); the viewer is
    # left out of their own directory.
    assert set(out["directoryActive"]) == {"fred", "fofo", "pop"}
    assert out["directoryNew"] == ["fofo", "fred"]  # newest first: pop, fofo, fred

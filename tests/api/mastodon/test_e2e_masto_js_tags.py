"""masto.js 8 under Node against a live server, driving the hashtag resources as an app does
(tests/e2e/masto/tags.js): `v1.tags.$select(name).fetch/follow/unfollow/feature/unfeature`,
`v1.followedTags.list` paged by the Link header, `v1.featuredTags.create/list/suggestions/
$select(id).remove` and `v1.accounts.$select(id).featuredTags.list`; a followed tag's status
reaches the reader's home timeline. Each answer is checked against the database."""

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

from statuses.models import FeaturedTag, Hashtag, Status, TagFollow
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
                               scope="read write follow",
                               expires=timezone.now() + timedelta(hours=1))
    return raw


def test_masto_js_follows_and_features_hashtags(live_server):
    author = AccountFactory(username="fennec")
    reader = AccountFactory(username="rook")
    application = ApplicationFactory(name="masto.js", scopes="read write follow")
    env = {**os.environ, "MASTO_URL": live_server.url,
           "MASTO_AUTHOR_TOKEN": _token(author, application),
           "MASTO_READER_TOKEN": _token(reader, application)}
    run = subprocess.run(["node", str(MASTO_DIR / "tags.js")], env=env,
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.stdout.strip(), run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert run.returncode == 0, (out.get("error"), run.stderr[-2000:])

    fox = Hashtag.objects.get(name="fox")
    first = Status.objects.get(pk=int(out["posted"]["first"]))
    assert first.account == author and out["posted"]["tags"] == ["fox", "dawn"]

    fetched = out["fetched"]
    assert fetched["id"] == str(fox.pk) and fetched["name"] == "fox"
    assert fetched["url"].endswith("/tags/fox")
    assert fetched["following"] is False and fetched["featuring"] is False
    assert len(fetched["history"]) == 7
    # Both statuses count (public and unlisted), by one account, today.
    assert fetched["history"][0]["uses"] == "2" and fetched["history"][0]["accounts"] == "1"
    assert out["followed"]["following"] is True
    assert out["followedNew"]["name"] == "brand_new" and out["followedNew"]["following"] is True

    # The public tagged status reaches home; the unlisted one does not (as in Mastodon).
    assert out["home"] == [str(first.pk)]
    # Newest follow first, one a page, to the end (a full page links to a next one, which is
    # empty here, as in Mastodon).
    assert out["followedPages"] == [[["brand_new", True]], [["fox", True]], []]
    assert out["unfollowed"]["following"] is False
    assert list(TagFollow.objects.filter(account=reader).values_list(
        "hashtag__name", flat=True)) == ["fox"]

    created = out["featuredCreated"]
    assert created["name"] == "fox" and created["statusesCount"] == "2"
    assert created["url"].endswith("/@fennec/tagged/fox")
    assert created["lastStatusAt"] == first.created_at.date().isoformat()
    assert out["featuredList"] == [created]
    assert out["suggestions"] == ["dawn"]
    assert out["featuredThroughTag"]["featuring"] is True
    assert [f["name"] for f in out["publicFeatured"]] == ["fox", "dawn"]
    assert out["unfeaturedThroughTag"]["featuring"] is False
    assert out["removed"] == []
    assert not FeaturedTag.objects.exists()
    assert out["missing"]["status"] == 404

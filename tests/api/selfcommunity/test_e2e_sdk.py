"""SelfCommunity's own JavaScript SDK (@selfcommunity/api-services under Node) against a live
server: media upload and share, status create with medias, read, list, update, delete, and two
refusals, checked against the database and the Mastodon face."""

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from media.models import MediaAttachment
from statuses.models import Status
from tests.factories import AccountFactory, CategoryFactory

SDK_DIR = Path(__file__).resolve().parents[2] / "e2e" / "sdk"
READY = shutil.which("node") is not None and (SDK_DIR / "node_modules").is_dir()

pytestmark = pytest.mark.skipif(
    not READY and not os.environ.get("REQUIRE_SDK"),
    reason="Node.js or tests/e2e/sdk/node_modules missing (npm ci --prefix tests/e2e/sdk)",
)


def test_sdk_drives_statuses_with_medias(live_server, mastodon_py):
    bob = AccountFactory(username="bob")
    category = CategoryFactory(name="Tests")
    out = io.StringIO()
    call_command("create_token", "alice", "--create", stdout=out)
    token = out.getvalue().strip()
    shared = mastodon_py("bob").status_post("shared through the SDK")
    shared_id = int(shared["id"])
    run = subprocess.run(
        ["node", "statuses.js", live_server.url, token, str(category.pk), str(shared_id)],
        cwd=SDK_DIR, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)

    image, share = result["image"], result["share"]
    assert image["type"] == "image" and (image["image_width"], image["image_height"]) == (2, 1)
    assert share["type"] == "share"
    assert share["embed"]["metadata"] == {"id": shared_id, "type": "status"}

    created = result["created"]
    assert created["action"] == "is testing"
    assert created["html"] == f'<p>hello from the SDK <mention id="{bob.pk}">@bob</mention></p>'
    assert created["summary"] == "hello from the SDK @bob"
    assert [m["id"] for m in created["medias"]] == [image["id"], share["id"]]
    assert [c["id"] for c in created["categories"]] == [category.pk]
    assert created["location"] == {"location": "Trento", "lat": 46.07, "lng": 11.12}
    # Reading it counted one viewer.
    assert result["fetched"] == {**created, "view_count": 1}
    assert result["list"]["count"] == 2
    assert [s["id"] for s in result["list"]["results"]] == [created["id"], shared_id]
    assert result["list"]["results"][1]["share_count"] == 1

    assert result["twoShares"]["status"] == 400
    assert result["twoShares"]["data"]["errors"][0]["field"] == "medias"
    assert result["missingCategories"]["status"] == 400
    assert result["missingCategories"]["data"]["errors"] == [{"field": "categories", "messages": [
        {"code": "required", "message": "This field is required."}]}]

    updated = result["updated"]
    assert updated["html"] == "<p>edited</p>" and updated["last_edited_at"] is not None
    assert [m["id"] for m in updated["medias"]] == [image["id"]]
    assert result["deleted"] == ""  # the SDK resolves a 204 with an empty body
    assert result["afterDelete"]["status"] == 404

    status = Status.objects.get(pk=created["id"])
    assert status.deleted_at is not None
    # Deleting kept the picture for a redraft; the share no longer counts.
    assert MediaAttachment.objects.get(pk=image["id"]).status_id is None
    assert Status.objects.get(pk=shared_id).shares_count == 0
    # Mastodon reads the edit history the SDK wrote (revisions survive the delete as rows).
    assert list(status.edits.order_by("id").values_list("html", flat=True)) == [
        '<p>hello from the SDK <span class="h-card" translate="no"><a '
        'href="https://social.example/@bob" class="u-url mention">@<span>bob</span></a>'
        "</span></p>", "<p>edited</p>"]

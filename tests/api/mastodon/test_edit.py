"""PUT /api/v1/statuses/:id, GET .../history and .../source (section G and L)."""

import pytest

from statuses import services
from statuses.models import Mention, Status, StatusEdit


def post(client, **fields):
    response = client.post("/api/v1/statuses", fields)
    assert response.status_code == 200, response.content
    return response.json()


def test_edit_replaces_text_and_records_history(alice_client, anon):
    created = post(alice_client, status="first #one", spoiler_text="cw")
    response = alice_client.put(f"/api/v1/statuses/{created['id']}",
                                {"status": "second #two", "spoiler_text": "cw"})
    assert response.status_code == 200
    body = response.json()
    assert body["content"].startswith("<p>second")
    assert [t["name"] for t in body["tags"]] == ["two"]
    assert body["edited_at"] is not None and body["edited_at"].endswith("Z")
    assert body["sensitive"] is True
    assert StatusEdit.objects.filter(status_id=created["id"]).count() == 2
    history = anon.get(f"/api/v1/statuses/{created['id']}/history")
    assert history.status_code == 200
    entries = history.json()
    assert [e["content"][:12] for e in entries] == ["<p>first <a ", "<p>second <a"]
    assert entries[0]["created_at"] == created["created_at"]
    assert set(entries[0]) == {"content", "spoiler_text", "sensitive", "created_at", "account",
                               "media_attachments", "emojis"}
    post_again = alice_client.put(f"/api/v1/statuses/{created['id']}", {"status": "third"})
    assert post_again.json()["spoiler_text"] == ""  # omitted fields are cleared
    assert len(anon.get(f"/api/v1/statuses/{created['id']}/history").json()) == 3


def test_edit_without_change_writes_nothing(alice_client):
    created = post(alice_client, status="same")
    response = alice_client.put(f"/api/v1/statuses/{created['id']}", {"status": "same"})
    assert response.status_code == 200
    assert response.json()["edited_at"] is None
    assert not StatusEdit.objects.exists()


def test_edit_blank_text_is_422(alice_client):
    created = post(alice_client, status="x")
    response = alice_client.put(f"/api/v1/statuses/{created['id']}", {})
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: Text can't be blank"}
    assert Status.objects.get(pk=created["id"]).text == "x"


def test_edit_keeps_language_when_omitted(alice_client):
    created = post(alice_client, status="Hallo", language="de")
    body = alice_client.put(f"/api/v1/statuses/{created['id']}", {"status": "Hallo Welt"}).json()
    assert body["language"] == "de"


def test_edit_by_someone_else_or_missing_is_404(alice_client, bob_client):
    created = post(alice_client, status="mine")
    response = bob_client.put(f"/api/v1/statuses/{created['id']}", {"status": "yours"})
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}
    assert alice_client.put("/api/v1/statuses/999999", {"status": "x"}).status_code == 404
    assert Status.objects.get(pk=created["id"]).text == "mine"


def test_edit_removed_mention_goes_silent_but_keeps_access(alice_client, bob_client, bob):
    created = post(alice_client, status="hi @bob", visibility="direct")
    body = alice_client.put(f"/api/v1/statuses/{created['id']}", {"status": "hi nobody"}).json()
    assert body["mentions"] == []
    assert Mention.objects.get(status_id=created["id"], account=bob).silent is True
    assert bob_client.get(f"/api/v1/statuses/{created['id']}").status_code == 200


def test_edit_counts_against_posting_limit_and_reports(alice_client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "statuses": (2, 10800),
                            "per_token_api": (1000, 300), "authenticated_api": (1000, 300)}
    created = post(alice_client, status="one")
    first = alice_client.put(f"/api/v1/statuses/{created['id']}", {"status": "two"})
    assert first.status_code == 200
    assert first["X-RateLimit-Remaining"] == "0"
    second = alice_client.put(f"/api/v1/statuses/{created['id']}", {"status": "three"})
    assert second.status_code == 429
    assert Status.objects.get(pk=created["id"]).text == "two"


def test_edit_requires_write_scope(mastodon, make_token, alice):
    status = services.status_create(account=alice, text="x")
    response = mastodon.as_token(make_token(alice, "read")).put(
        f"/api/v1/statuses/{status.pk}", {"status": "y"})
    assert response.status_code == 403


def test_source_needs_a_token_and_visibility(anon, bob_client, alice_client, alice):
    created = post(alice_client, status="raw @bob text")
    response = bob_client.get(f"/api/v1/statuses/{created['id']}/source")
    assert response.status_code == 200
    assert response.json() == {"id": created["id"], "text": "raw @bob text", "spoiler_text": ""}
    assert anon.get(f"/api/v1/statuses/{created['id']}/source").status_code == 401
    hidden = post(alice_client, status="secret", visibility="direct")
    assert bob_client.get(f"/api/v1/statuses/{hidden['id']}/source").status_code == 404


@pytest.mark.parametrize("path", ["history", "source"])
def test_history_and_source_of_invisible_status_are_404(bob_client, alice, path):
    status = services.status_create(account=alice, text="x", visibility="private")
    response = bob_client.get(f"/api/v1/statuses/{status.pk}/{path}")
    assert response.status_code == 404
    assert response.json() == {"error": "Not Found"}


def test_edit_media_attributes_changes_descriptions_with_history(alice_client, settings, tmp_path):
    import io

    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (5, 5, 5)).save(buffer, "PNG")
    buffer.name = "a.png"
    buffer.seek(0)
    media_id = alice_client.post("/api/v1/media", {"file": buffer, "description": "old"},
                                 format="multipart").json()["id"]
    created = post(alice_client, status="pic", **{"media_ids[]": [media_id]})
    response = alice_client.put(
        f"/api/v1/statuses/{created['id']}",
        {"status": "pic", "media_ids": [media_id],
         "media_attributes": [{"id": media_id, "description": "new", "focus": "0.5,0.5"}]},
        format="json",
    )
    assert response.status_code == 200
    attachment = response.json()["media_attachments"][0]
    assert attachment["description"] == "new"
    assert attachment["meta"]["focus"] == {"x": 0.5, "y": 0.5}
    history = alice_client.get(f"/api/v1/statuses/{created['id']}/history").json()
    assert [h["media_attachments"][0]["description"] for h in history] == ["old", "new"]
    bad = alice_client.put(
        f"/api/v1/statuses/{created['id']}",
        {"status": "pic", "media_ids": [media_id],
         "media_attributes": [{"id": media_id, "focus": "9,9"}]},
        format="json",
    )
    assert bad.status_code == 422
    assert len(alice_client.get(f"/api/v1/statuses/{created['id']}/history").json()) == 2

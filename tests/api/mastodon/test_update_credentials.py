"""PATCH /api/v1/accounts/update_credentials: profile, images, fields and posting defaults."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Account, Visibility
from tests.api.mastodon.test_media import png

URL = "/api/v1/accounts/update_credentials"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def test_update_profile_json(alice_client, alice):
    response = alice_client.patch(URL, {
        "display_name": "  Alice A. ", "note": "Hello\n\nworld <b>", "locked": True, "bot": "1",
        "discoverable": False, "hide_collections": True, "indexable": True,
        "fields_attributes": [{"name": "Site", "value": "https://a.example <x>"},
                              {"name": "", "value": ""}],
        "source": {"privacy": "unlisted", "sensitive": True, "language": "fr"},
    }, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["display_name"] == "Alice A."
    assert body["note"] == "<p>Hello</p><p>world &lt;b&gt;</p>"
    assert (body["locked"], body["bot"], body["discoverable"], body["indexable"]) == (
        True, True, False, True)
    assert body["hide_collections"] is True
    assert body["fields"] == [
        {"name": "Site", "value": "https://a.example &lt;x&gt;", "verified_at": None}]
    assert body["source"]["fields"] == [
        {"name": "Site", "value": "https://a.example <x>", "verified_at": None}]
    assert body["source"]["note"] == "Hello\n\nworld <b>"
    assert body["source"]["privacy"] == "unlisted"
    assert body["source"]["sensitive"] is True
    assert body["source"]["language"] == "fr"
    row = Account.objects.get(pk=alice.pk)
    assert row.default_visibility == Visibility.UNLISTED
    assert row.fields == [{"name": "Site", "value": "https://a.example <x>"}]


def test_source_defaults_used_by_posting(alice_client):
    alice_client.patch(URL, {"source[privacy]": "private", "source[sensitive]": "true",
                             "source[language]": "de"}, format="multipart")
    status = alice_client.post("/api/v1/statuses", {"status": "hi"}, format="json").json()
    assert status["visibility"] == "private"
    assert status["sensitive"] is True
    assert status["language"] == "de"
    assert alice_client.get("/api/v1/preferences").json()["posting:default:visibility"] == "private"


def test_unknown_privacy_ignored_nothing_else_changes(alice_client, alice):
    response = alice_client.patch(URL, {"source": {"privacy": "direct"}}, format="json")
    assert response.status_code == 200
    assert response.json()["source"]["privacy"] == "public"
    assert Account.objects.get(pk=alice.pk).display_name == "Alice"


@pytest.mark.parametrize(("payload", "message"), [
    ({"display_name": "x" * 31}, "Display name is too long (maximum is 30 characters)"),
    ({"note": "x" * 501}, "Note is too long (maximum is 500 characters)"),
    ({"fields_attributes": [{"name": f"n{i}", "value": "v"} for i in range(5)]},
     "Fields is too long (maximum is 4 characters)"),
    ({"fields_attributes": [{"name": "", "value": "v"}]},
     "Fields contains values with missing labels"),
])
def test_validation_422_writes_nothing(alice_client, alice, payload, message):
    response = alice_client.patch(URL, {**payload, "locked": True}, format="json")
    assert response.status_code == 422
    assert response.json() == {"error": f"Validation failed: {message}"}
    row = Account.objects.get(pk=alice.pk)
    assert (row.display_name, row.locked, row.fields) == ("Alice", False, [])


def test_field_text_cut_at_255_and_form_indexes(alice_client):
    response = alice_client.patch(URL, {
        "fields_attributes[0][name]": "a" * 300, "fields_attributes[0][value]": "b",
        "fields_attributes[1][name]": "c", "fields_attributes[1][value]": "d",
    }, format="multipart")
    assert response.status_code == 200
    fields = response.json()["source"]["fields"]
    assert [(len(f["name"]), f["value"]) for f in fields] == [(255, "b"), (1, "d")]


def test_avatar_and_header_upload(alice_client, alice, media_root,
                                  django_capture_on_commit_callbacks):
    avatar = SimpleUploadedFile("a.png", png(800, 600), content_type="image/png")
    header = SimpleUploadedFile("h.png", png(3000, 1000), content_type="image/png")
    response = alice_client.patch(URL, {"avatar": avatar, "header": header}, format="multipart")
    assert response.status_code == 200
    body = response.json()
    row = Account.objects.get(pk=alice.pk)
    assert body["avatar"].endswith(row.avatar.url)
    assert body["avatar_static"] == body["avatar"]
    assert body["header"].endswith(row.header.url)
    with Image.open(row.avatar.path) as image:
        assert image.size == (400, 400)
    with Image.open(row.header.path) as image:
        assert image.size == (1500, 500)
    # A new avatar replaces the file of the old one.
    old = row.avatar.path
    again = SimpleUploadedFile("b.png", png(50, 50), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        assert alice_client.patch(URL, {"avatar": again},
                                  format="multipart").status_code == 200
    assert not (media_root / old).exists()


def test_avatar_not_an_image_422(alice_client, alice, media_root):
    bogus = SimpleUploadedFile("a.png", b"not an image at all", content_type="image/png")
    response = alice_client.patch(URL, {"avatar": bogus, "display_name": "New"},
                                  format="multipart")
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: Avatar content type is invalid"}
    assert Account.objects.get(pk=alice.pk).display_name == "Alice"


def test_avatar_too_large_422(alice_client, settings, media_root):
    settings.PROFILE_IMAGE_LIMIT = 1024 * 1024
    big = SimpleUploadedFile("a.png", _noisy_png(), content_type="image/png")
    response = alice_client.patch(URL, {"header": big}, format="multipart")
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: Header file size must be less than 1 MB"}


def _noisy_png() -> bytes:
    image = Image.frombytes("RGB", (640, 640), os.urandom(640 * 640 * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_scope_and_user_required(anon, make_token, alice, mastodon):
    assert anon.patch(URL, {}, format="json").status_code == 401
    assert mastodon.as_token(make_token(alice, scopes="read")).patch(
        URL, {}, format="json").status_code == 403
    ok = mastodon.as_token(make_token(alice, scopes="write:accounts")).patch(
        URL, {"display_name": "A"}, format="json")
    assert ok.status_code == 200
    assert ok.json()["display_name"] == "A"


def test_delete_avatar_and_header(alice_client, alice, media_root,
                                  django_capture_on_commit_callbacks):
    avatar = SimpleUploadedFile("a.png", png(100, 100), content_type="image/png")
    alice_client.patch(URL, {"avatar": avatar}, format="multipart")
    path = Account.objects.get(pk=alice.pk).avatar.path
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.delete("/api/v1/profile/avatar")
    assert response.status_code == 200
    assert response.json()["avatar"].endswith("/avatars/original/missing.png")
    assert "source" in response.json()
    assert not Account.objects.get(pk=alice.pk).avatar
    assert not os.path.exists(path)
    assert alice_client.delete("/api/v1/profile/header").status_code == 200

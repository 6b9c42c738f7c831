"""Mastodon media: upload (v1, v2), show, update, delete, attach to statuses, redraft."""

import io
import os

import pytest
from PIL import Image

from media.models import MediaAttachment, MediaState
from statuses.models import Status


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return settings.MEDIA_ROOT


def stored_files(root) -> list[str]:
    return sorted(
        os.path.relpath(os.path.join(d, f), root) for d, _, files in os.walk(root) for f in files
    )


def png(width=120, height=80, color=(200, 30, 30, 255)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg(width=300, height=200) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", (width, height))
    for x in range(width):
        for y in range(0, height, 10):
            image.putpixel((x, y), (x % 256, y % 256, 120))
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def upload(client, data: bytes, name="photo.png", path="/api/v1/media", **fields):
    file = io.BytesIO(data)
    file.name = name
    return client.post(path, {"file": file, **fields}, format="multipart")


MEDIA_KEYS = {"id", "type", "url", "preview_url", "remote_url", "preview_remote_url", "text_url",
              "meta", "description", "blurhash"}


def test_upload_png_returns_attachment_with_meta(alice_client, alice, _media_root):
    response = upload(alice_client, png(120, 80), description="A red box", focus="0.5,-0.25")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == MEDIA_KEYS
    assert body["type"] == "image"
    assert body["url"].startswith("https://social.example/media/attachments/")
    assert body["preview_url"].startswith("https://social.example/media/attachments/")
    assert body["remote_url"] is None and body["text_url"] is None
    assert body["meta"]["original"] == {"width": 120, "height": 80, "size": "120x80",
                                        "aspect": 1.5}
    assert body["meta"]["focus"] == {"x": 0.5, "y": -0.25}
    assert body["description"] == "A red box"
    assert isinstance(body["blurhash"], str) and len(body["blurhash"]) >= 6
    media = MediaAttachment.objects.get(pk=body["id"])
    assert media.account_id == alice.pk and media.status_id is None
    assert len(stored_files(_media_root)) == 2  # original and small


def test_upload_v2_small_image_is_200(alice_client):
    response = upload(alice_client, jpeg(), name="x.jpg", path="/api/v2/media")
    assert response.status_code == 200
    assert response.json()["type"] == "image"


def test_upload_v2_large_image_is_202_then_206_then_200(alice_client, settings):
    settings.MEDIA_SYNC_IMAGE_BYTES = 10
    response = upload(alice_client, jpeg(), name="x.jpg", path="/api/v2/media")
    assert response.status_code == 202
    body = response.json()
    assert body["url"] is None
    media = MediaAttachment.objects.get(pk=body["id"])
    assert media.state == MediaState.PROCESSING
    pending = alice_client.get(f"/api/v1/media/{body['id']}")
    assert pending.status_code == 206
    # Attaching is refused until processing ends.
    refused = alice_client.post("/api/v1/statuses", {"status": "x", "media_ids[]": [body["id"]]})
    assert refused.status_code == 422
    assert refused.json() == {
        "error": "Cannot attach files that have not finished processing. Try again in a moment!"
    }
    from media.tasks import process_media

    process_media.call(media.pk)
    ready = alice_client.get(f"/api/v1/media/{body['id']}")
    assert ready.status_code == 200
    assert ready.json()["meta"]["original"]["width"] == 300
    assert ready.json()["url"] is not None


def test_upload_mislabelled_text_file_is_422_and_leaves_nothing(alice_client, _media_root):
    response = upload(alice_client, b"just some text, not a picture\n" * 10, name="cat.png")
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: File content type is invalid"}
    assert not MediaAttachment.objects.exists()
    assert stored_files(_media_root) == []


def test_upload_truncated_jpeg_is_422_and_leaves_nothing(alice_client, _media_root):
    data = jpeg(600, 400)
    response = upload(alice_client, data[: len(data) // 2], name="half.jpg")
    assert response.status_code == 422
    assert response.json() == {"error": "Error processing thumbnail for uploaded media"}
    assert not MediaAttachment.objects.exists()
    assert stored_files(_media_root) == []


def test_upload_17mb_image_is_422_and_leaves_nothing(alice_client, _media_root):
    data = png(10, 10) + b"\0" * (17 * 1024 * 1024)
    response = upload(alice_client, data, name="huge.png")
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: File file size must be less than 16 MB"}
    assert not MediaAttachment.objects.exists()
    assert stored_files(_media_root) == []


def test_upload_without_file_is_400(alice_client):
    response = alice_client.post("/api/v1/media", {"description": "x"}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"error": "param is missing or the value is empty: file"}


def test_upload_bad_focus_is_422(alice_client):
    response = upload(alice_client, png(), focus="2,0")
    assert response.status_code == 422
    assert not MediaAttachment.objects.exists()


def test_upload_needs_write_media_scope(mastodon, make_token, alice):
    response = upload(mastodon.as_token(make_token(alice, "read write:statuses")), png())
    assert response.status_code == 403
    assert upload(mastodon.as_token(make_token(alice, "write:media")), png()).status_code == 200


def test_update_description_and_focus(alice_client):
    media_id = upload(alice_client, png()).json()["id"]
    response = alice_client.put(f"/api/v1/media/{media_id}",
                                {"description": "Now described", "focus": "-1,1"})
    assert response.status_code == 200
    assert response.json()["description"] == "Now described"
    assert response.json()["meta"]["focus"] == {"x": -1.0, "y": 1.0}


def test_other_accounts_media_is_404(alice_client, bob_client):
    media_id = upload(alice_client, png()).json()["id"]
    for response in (bob_client.get(f"/api/v1/media/{media_id}"),
                     bob_client.put(f"/api/v1/media/{media_id}", {"description": "mine"}),
                     bob_client.delete(f"/api/v1/media/{media_id}")):
        assert response.status_code == 404
        assert response.json() == {"error": "Record not found"}
    assert MediaAttachment.objects.filter(pk=media_id).exists()


def test_delete_unattached_media_removes_files(alice_client, _media_root):
    media_id = upload(alice_client, png()).json()["id"]
    response = alice_client.delete(f"/api/v1/media/{media_id}")
    assert response.status_code == 200
    assert response.json() == {}
    assert not MediaAttachment.objects.exists()
    assert stored_files(_media_root) == []


# --- attaching to statuses ------------------------------------------------------------------

def test_status_with_media_in_order(alice_client, anon):
    first = upload(alice_client, png(40, 40)).json()["id"]
    second = upload(alice_client, jpeg(), name="b.jpg").json()["id"]
    response = alice_client.post("/api/v1/statuses", {"status": "", "media_ids[]": [second, first]})
    assert response.status_code == 200
    body = response.json()
    assert [m["id"] for m in body["media_attachments"]] == [second, first]
    assert body["content"] == ""
    shown = anon.get(f"/api/v1/statuses/{body['id']}").json()
    assert [m["id"] for m in shown["media_attachments"]] == [second, first]
    assert Status.objects.get(pk=body["id"]).media_count == 2
    # Attached media can no longer be fetched or changed through /media.
    assert alice_client.get(f"/api/v1/media/{first}").status_code == 404
    assert alice_client.delete(f"/api/v1/media/{first}").status_code == 422


def test_fifth_attachment_is_422(alice_client):
    ids = [upload(alice_client, png()).json()["id"] for _ in range(5)]
    response = alice_client.post("/api/v1/statuses", {"status": "x", "media_ids[]": ids})
    assert response.status_code == 422
    assert response.json() == {"error": "Cannot attach more than 4 files"}
    assert not Status.objects.exists()
    assert MediaAttachment.objects.filter(status__isnull=False).count() == 0


def test_someone_elses_media_is_422(alice_client, bob_client):
    bobs = upload(bob_client, png()).json()["id"]
    response = alice_client.post("/api/v1/statuses", {"status": "x", "media_ids[]": [bobs]})
    assert response.status_code == 422
    assert response.json() == {
        "error": f"Media {bobs} not found or already attached to another post"
    }
    assert not Status.objects.exists()


def test_media_already_attached_is_422(alice_client):
    media_id = upload(alice_client, png()).json()["id"]
    alice_client.post("/api/v1/statuses", {"status": "one", "media_ids[]": [media_id]})
    response = alice_client.post("/api/v1/statuses", {"status": "two", "media_ids[]": [media_id]})
    assert response.status_code == 422
    assert Status.objects.count() == 1


def test_delete_keeps_media_for_redraft(alice_client, _media_root):
    media_id = upload(alice_client, png()).json()["id"]
    status = alice_client.post("/api/v1/statuses", {"status": "x", "media_ids[]": [media_id]}).json()
    deleted = alice_client.delete(f"/api/v1/statuses/{status['id']}").json()
    assert [m["id"] for m in deleted["media_attachments"]] == [media_id]
    assert MediaAttachment.objects.get(pk=media_id).status_id is None
    redraft = alice_client.post("/api/v1/statuses", {"status": "again", "media_ids[]": [media_id]})
    assert redraft.status_code == 200
    assert len(stored_files(_media_root)) == 2


def test_delete_with_delete_media_removes_them(alice_client, _media_root,
                                               django_capture_on_commit_callbacks):
    media_id = upload(alice_client, png()).json()["id"]
    status = alice_client.post("/api/v1/statuses", {"status": "x", "media_ids[]": [media_id]}).json()
    # Files go only once the deletion has committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.delete(f"/api/v1/statuses/{status['id']}?delete_media=true")
    assert response.status_code == 200
    assert not MediaAttachment.objects.exists()
    assert stored_files(_media_root) == []


def test_media_query_count_is_the_same_for_one_and_four(alice_client, anon,
                                                        django_assert_num_queries):
    one = alice_client.post("/api/v1/statuses", {
        "status": "1", "media_ids[]": [upload(alice_client, png()).json()["id"]]}).json()["id"]
    four = alice_client.post("/api/v1/statuses", {
        "status": "4", "media_ids[]": [upload(alice_client, png()).json()["id"]
                                       for _ in range(4)]}).json()["id"]
    with django_assert_num_queries(2):  # the status, then its media
        assert len(anon.get(f"/api/v1/statuses/{one}").json()["media_attachments"]) == 1
    with django_assert_num_queries(2):
        assert len(anon.get(f"/api/v1/statuses/{four}").json()["media_attachments"]) == 4
    plain = alice_client.post("/api/v1/statuses", {"status": "no media"}).json()["id"]
    with django_assert_num_queries(1):  # media_count says there is nothing to read
        anon.get(f"/api/v1/statuses/{plain}")


def test_update_thumbnail_replaces_the_preview(alice_client, django_capture_on_commit_callbacks):
    body = upload(alice_client, png(400, 400)).json()
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.put(
            f"/api/v1/media/{body['id']}",
            {"thumbnail": _named(jpeg(120, 60), "t.jpg")},
            format="multipart",
        )
    assert response.status_code == 200
    updated = response.json()
    assert updated["preview_url"] != body["preview_url"]
    assert updated["meta"]["small"]["width"] == 120 and updated["meta"]["small"]["height"] == 60
    assert updated["meta"]["original"]["width"] == 400  # the original is untouched
    refused = alice_client.put(f"/api/v1/media/{body['id']}",
                               {"thumbnail": _named(b"not an image at all", "t.jpg")},
                               format="multipart")
    assert refused.status_code == 422
    assert refused.json() == {"error": "Validation failed: Thumbnail content type is invalid"}


def _named(data: bytes, name: str):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def test_instance_advertises_the_media_limits_it_enforces(anon, alice_client, settings):
    config = anon.get("/api/v2/instance").json()["configuration"]["media_attachments"]
    assert config["image_size_limit"] == settings.MEDIA_IMAGE_LIMIT == 16 * 1024 * 1024
    assert config["video_size_limit"] == settings.MEDIA_OTHER_LIMIT
    assert {"image/png", "image/jpeg", "video/mp4"} <= set(config["supported_mime_types"])
    settings.MEDIA_IMAGE_LIMIT = 1000
    response = upload(alice_client, png(200, 200) + b"\0" * 1000)
    assert response.status_code == 422
    assert response.json()["error"].startswith("Validation failed: File file size must be less")

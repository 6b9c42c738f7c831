"""Previews of video and audio: a client's thumbnail (upload, PUT /media/:id, status edit), a
video's still from ffmpeg, an audio file's cover, and what is shown without ffmpeg."""

import base64
import io
import os
import shutil
import subprocess

import pytest
from django.core.management import call_command
from PIL import Image

from media import processing
from media.models import MediaAttachment
from statuses.models import StatusEdit

HAVE_FFMPEG = bool(shutil.which("ffmpeg") and shutil.which("ffprobe"))
if os.environ.get("CI") == "true":
    assert HAVE_FFMPEG, "CI must install ffmpeg (.ci/run's apt step)"
needs_ffmpeg = pytest.mark.skipif(not HAVE_FFMPEG, reason="ffmpeg/ffprobe not installed "
                                  "(apt-get install ffmpeg); CI installs it")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def ffmpeg(tmp_path, name, *args) -> bytes:
    path = tmp_path / name
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args, str(path)], check=True, timeout=60)
    return path.read_bytes()


@pytest.fixture
def video(tmp_path):
    return ffmpeg(tmp_path, "v.mp4", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=10:duration=1",
                  "-c:v", "libx264", "-pix_fmt", "yuv420p")


def picture(width, height, color, fmt="JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, fmt)
    return out.getvalue()


def named(data, name):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def upload(client, data, name, path="/api/v1/media", **fields):
    return client.post(path, {"file": named(data, name), **fields}, format="multipart")


@needs_ffmpeg
def test_video_without_thumbnail_previews_its_first_frame(alice_client, video):
    response = upload(alice_client, video, "v.mp4")
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "video"
    assert body["preview_url"] != body["url"] and body["preview_url"].endswith(".png")
    assert body["meta"]["small"] == {"width": 320, "height": 240, "size": "320x240",
                                     "aspect": 320 / 240}
    original = body["meta"]["original"]
    assert (original["width"], original["height"], original["frame_rate"]) == (320, 240, "10/1")
    assert isinstance(original["duration"], float) and isinstance(original["bitrate"], int)
    assert isinstance(body["blurhash"], str) and len(body["blurhash"]) > 6
    row = MediaAttachment.objects.get(pk=body["id"])
    assert Image.open(row.small.open("rb")).size == (320, 240)


@needs_ffmpeg
def test_video_thumbnail_on_upload_is_the_preview(alice_client, video):
    response = upload(alice_client, video, "v.mp4",
                      thumbnail=named(picture(100, 50, (0, 0, 255)), "t.jpg"))
    assert response.status_code == 200
    body = response.json()
    row = MediaAttachment.objects.get(pk=body["id"])
    assert body["preview_url"].endswith(row.thumbnail.name)
    assert body["meta"]["small"]["size"] == "100x50"
    assert body["meta"]["original"]["width"] == 320
    assert row.small  # the still is kept beside it


@needs_ffmpeg
def test_v2_thumbnail_shows_while_processing_and_survives_it(alice_client, video):
    response = upload(alice_client, video, "v.mp4", path="/api/v2/media",
                      thumbnail=named(picture(100, 50, (0, 0, 255)), "t.jpg"))
    assert response.status_code == 202
    body = response.json()
    assert body["url"] is None and body["preview_url"] is not None
    blur = body["blurhash"]
    from media.services import media_process_stored

    media_process_stored(media_id=int(body["id"]))
    done = alice_client.get(f"/api/v1/media/{body['id']}").json()
    assert done["url"] is not None
    assert done["preview_url"] == body["preview_url"]
    assert done["meta"]["small"]["size"] == "100x50" and done["blurhash"] == blur
    assert done["meta"]["original"]["width"] == 320


def test_video_without_ffmpeg_has_no_preview(alice_client, monkeypatch, video_or_fake):
    monkeypatch.setattr(processing, "ffmpeg_available", lambda: False)
    body = upload(alice_client, video_or_fake, "v.mp4").json()
    assert body["type"] == "video" and body["url"] is not None
    assert body["preview_url"] is None and body["blurhash"] is None and body["meta"] is None


@pytest.fixture
def video_or_fake(tmp_path):
    if HAVE_FFMPEG:
        return ffmpeg(tmp_path, "v.mp4", "-f", "lavfi", "-i", "testsrc=size=64x48:duration=0.2",
                      "-c:v", "libx264", "-pix_fmt", "yuv420p")
    body = b"isom" + b"\0\0\0\0" + b"isomavc1"
    return (len(body) + 8).to_bytes(4, "big") + b"ftyp" + body + bytes(200)


@needs_ffmpeg
def test_audio_preview_is_its_cover_or_nothing(alice_client, tmp_path):
    plain = ffmpeg(tmp_path, "a.mp3", "-f", "lavfi", "-i", "sine=frequency=440:duration=1",
                   "-c:a", "libmp3lame")
    body = upload(alice_client, plain, "a.mp3").json()
    assert body["type"] == "audio" and body["preview_url"] is None
    assert set(body["meta"]["original"]) == {"duration", "bitrate"}
    covered = ffmpeg(tmp_path, "c.mp3", "-f", "lavfi", "-i", "sine=frequency=440:duration=1",
                     "-f", "lavfi", "-i", "color=c=red:size=64x64:duration=0.1", "-map", "0",
                     "-map", "1", "-frames:v", "1", "-c:a", "libmp3lame", "-c:v", "mjpeg",
                     "-disposition:v", "attached_pic")
    body = upload(alice_client, covered, "c.mp3").json()
    assert body["preview_url"] is not None and body["meta"]["small"]["size"] == "64x64"
    assert body["blurhash"]
    with_thumb = upload(alice_client, plain, "a.mp3",
                        thumbnail=named(picture(80, 80, (0, 200, 0)), "t.png")).json()
    assert with_thumb["preview_url"] is not None
    assert with_thumb["meta"]["small"]["size"] == "80x80"


@needs_ffmpeg
def test_put_media_thumbnail_replaces_the_preview(alice_client, video):
    body = upload(alice_client, video, "v.mp4").json()
    response = alice_client.put(f"/api/v1/media/{body['id']}",
                                {"thumbnail": named(picture(60, 30, (9, 9, 9)), "t.jpg")},
                                format="multipart")
    assert response.status_code == 200
    assert response.json()["preview_url"] != body["preview_url"]
    assert response.json()["meta"]["small"]["size"] == "60x30"


@pytest.mark.parametrize(
    ("thumbnail", "message"),
    [
        (b"plain text, no picture", "Validation failed: Thumbnail content type is invalid"),
        (picture(300, 200, (1, 2, 3))[:400], "Error processing thumbnail for uploaded media"),
    ],
)
def test_bad_thumbnail_on_upload_is_422_and_writes_nothing(alice_client, video_or_fake,
                                                           thumbnail, message):
    response = upload(alice_client, video_or_fake, "v.mp4", thumbnail=named(thumbnail, "t.jpg"))
    assert response.status_code == 422
    assert response.json() == {"error": message}
    assert not MediaAttachment.objects.exists()


def test_too_large_thumbnail_is_422(alice_client, video_or_fake, settings):
    settings.MEDIA_IMAGE_LIMIT = 1024 * 1024
    big = picture(10, 10, (1, 1, 1)) + b"\0" * (1024 * 1024 + 10)
    response = upload(alice_client, video_or_fake, "v.mp4", thumbnail=named(big, "t.jpg"))
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: Thumbnail file size must be less "
                                        "than 1 MB"}
    assert not MediaAttachment.objects.exists()


def data_uri(data: bytes, kind="image/jpeg") -> str:
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


def _posted(alice_client, video):
    media = upload(alice_client, video, "v.mp4").json()
    status = alice_client.post("/api/v1/statuses", {"status": "clip", "media_ids": [media["id"]]},
                               format="json").json()
    return media, status


def test_edit_with_thumbnail_data_uri_changes_preview_and_writes_an_edit(alice_client,
                                                                          video_or_fake):
    media, status = _posted(alice_client, video_or_fake)
    response = alice_client.put(
        f"/api/v1/statuses/{status['id']}",
        {"status": "clip", "media_ids": [media["id"]],
         "media_attributes": [{"id": media["id"], "thumbnail": data_uri(
             picture(90, 45, (250, 0, 0)))}]},
        format="json",
    )
    assert response.status_code == 200
    attachment = response.json()["media_attachments"][0]
    assert attachment["preview_url"] is not None
    assert attachment["preview_url"] != status["media_attachments"][0]["preview_url"]
    assert attachment["meta"]["small"]["size"] == "90x45"
    assert response.json()["edited_at"] is not None
    assert StatusEdit.objects.filter(status_id=status["id"]).count() == 2
    row = MediaAttachment.objects.get(pk=media["id"])
    assert row.thumbnail and row.blurhash == attachment["blurhash"]


@pytest.mark.parametrize(
    ("thumbnail", "message"),
    [
        ("not a data uri", "Validation failed: Thumbnail content type is invalid"),
        ("data:image/jpeg;base64,!!!!", "Validation failed: Thumbnail content type is invalid"),
        (data_uri(b"just text", "text/plain"),
         "Validation failed: Thumbnail content type is invalid"),
        (data_uri(picture(300, 200, (1, 2, 3))[:400]),
         "Error processing thumbnail for uploaded media"),
    ],
)
def test_edit_with_bad_thumbnail_is_422_and_changes_nothing(alice_client, video_or_fake,
                                                            thumbnail, message):
    media, status = _posted(alice_client, video_or_fake)
    response = alice_client.put(
        f"/api/v1/statuses/{status['id']}",
        {"status": "changed text", "media_ids": [media["id"]],
         "media_attributes": [{"id": media["id"], "thumbnail": thumbnail}]},
        format="json",
    )
    assert response.status_code == 422
    assert response.json() == {"error": message}
    assert not StatusEdit.objects.filter(status_id=status["id"]).exists()
    row = MediaAttachment.objects.get(pk=media["id"])
    assert not row.thumbnail
    assert alice_client.get(f"/api/v1/statuses/{status['id']}").json()["content"] == "<p>clip</p>"


def test_edit_with_multipart_thumbnail_files_and_descriptions(alice_client):
    """The form spelling of media_attributes (`media_attributes[][thumbnail]` as an uploaded
    file, as a browser or a form-posting client sends it): each entry takes the n-th value of
    each key."""
    first = upload(alice_client, picture(40, 30, (250, 0, 250)), "p1.jpg").json()
    second = upload(alice_client, picture(40, 30, (0, 0, 250)), "p2.jpg").json()
    status = alice_client.post("/api/v1/statuses", {
        "status": "two", "media_ids": [first["id"], second["id"]]}, format="json").json()
    response = alice_client.put(f"/api/v1/statuses/{status['id']}", {
        "status": "two", "media_ids[]": [first["id"], second["id"]],
        "media_attributes[][id]": [first["id"], second["id"]],
        "media_attributes[][description]": ["the first", "the second"],
        "media_attributes[][thumbnail]": [named(picture(90, 45, (250, 0, 0)), "t1.jpg"),
                                          named(picture(30, 60, (0, 250, 0)), "t2.png")],
    }, format="multipart")
    assert response.status_code == 200, response.content
    attachments = response.json()["media_attachments"]
    assert [a["id"] for a in attachments] == [first["id"], second["id"]]
    assert [a["description"] for a in attachments] == ["the first", "the second"]
    assert [a["meta"]["small"]["size"] for a in attachments] == ["90x45", "30x60"]
    rows = MediaAttachment.objects.in_bulk([int(first["id"]), int(second["id"])])
    assert all(row.thumbnail for row in rows.values())
    assert StatusEdit.objects.filter(status_id=status["id"]).count() == 2


def test_edit_with_indexed_multipart_attributes(alice_client, video_or_fake):
    media, status = _posted(alice_client, video_or_fake)
    response = alice_client.put(f"/api/v1/statuses/{status['id']}", {
        "status": "clip", "media_ids[]": [media["id"]],
        "media_attributes[0][id]": media["id"],
        "media_attributes[0][thumbnail]": named(picture(50, 50, (9, 9, 9)), "t.jpg"),
    }, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["media_attachments"][0]["meta"]["small"]["size"] == "50x50"


def test_edit_with_a_corrupt_multipart_thumbnail_is_422_and_changes_nothing(alice_client,
                                                                              video_or_fake):
    media, status = _posted(alice_client, video_or_fake)
    response = alice_client.put(f"/api/v1/statuses/{status['id']}", {
        "status": "changed", "media_ids[]": [media["id"]],
        "media_attributes[][id]": [media["id"]],
        "media_attributes[][thumbnail]": [named(picture(300, 200, (1, 2, 3))[:400], "t.jpg")],
    }, format="multipart")
    assert response.status_code == 422
    assert response.json() == {"error": "Error processing thumbnail for uploaded media"}
    assert not StatusEdit.objects.filter(status_id=status["id"]).exists()
    assert not MediaAttachment.objects.get(pk=media["id"]).thumbnail


# --- end to end through Mastodon.py, as its own test_status_update_with_media_edit -------------

@pytest.mark.live
@pytest.mark.django_db(transaction=True)
@needs_ffmpeg
def test_mastodon_py_video_thumbnail_and_edit(live_server, task_worker, settings, tmp_path,
                                              video):
    import time

    from mastodon import Mastodon

    settings.SERVE_MEDIA = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    out = io.StringIO()
    call_command("create_token", "vid", "--create", stdout=out)
    api = Mastodon(api_base_url=live_server.url, access_token=out.getvalue().strip())
    (tmp_path / "v.mp4").write_bytes(video)
    (tmp_path / "a.jpg").write_bytes(picture(120, 80, (10, 200, 10)))
    (tmp_path / "b.jpg").write_bytes(picture(80, 120, (200, 10, 10)))
    media = api.media_post(str(tmp_path / "v.mp4"), description="Original description",
                           focus=(-0.5, 0.3), thumbnail=str(tmp_path / "a.jpg"))
    assert media.url is None
    for _ in range(100):
        media2 = api.media(media)
        if media2.url is not None:
            break
        time.sleep(0.1)
    assert media2.url is not None and media2.meta["original"]["width"] == 320
    status = api.status_post("Initial post with media", media_ids=media2)
    first = status["media_attachments"][0]
    assert first["meta"]["focus"] == {"x": -0.5, "y": 0.3}
    assert first["meta"]["small"]["size"] == "120x80"
    attributes = api.generate_media_edit_attributes(
        id=media2.id, description="Updated description", focus=(0.2, -0.1),
        thumbnail=str(tmp_path / "b.jpg"))
    updated = api.status_update(status["id"], "Altered.", media_attributes=[attributes])
    again = updated["media_attachments"][0]
    assert again["description"] == "Updated description"
    assert again["meta"]["focus"] == {"x": 0.2, "y": -0.1}
    assert again["preview_url"] != first["preview_url"]
    assert again["meta"]["small"]["size"] == "80x120"
    assert [len(h["media_attachments"]) for h in api.status_history(status["id"])] == [1, 1]

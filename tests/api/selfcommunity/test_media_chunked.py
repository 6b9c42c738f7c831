"""SelfCommunity's chunked uploads (POST /api/v2/media/upload/chunk/ and /complete/), as react-ui's
uploader sends them, and one media's GET, DELETE and click tracker."""

import hashlib
import io
import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from accounts.models import Visibility
from media import chunked
from media.models import ChunkedUpload, MediaAttachment
from statuses.models import Status

CHUNK = "/api/v2/media/upload/chunk/"
COMPLETE = "/api/v2/media/upload/complete/"
SC_MEDIA_KEYS = {"id", "added_at", "type", "title", "description", "url", "image", "image_width",
                 "image_height", "image_mimetype", "image_thumbnail", "size", "mimetype", "order",
                 "embed"}


def noisy_png(size=(120, 90)) -> bytes:
    """A real PNG that does not compress to nothing (random pixels), so it spans pieces."""
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def jpeg(size=(200, 150)) -> bytes:
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def piece(data: bytes, name: str = "blob") -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def send(client, data: bytes, start: int, total: int, upload_id=None, field="image",
         declared_end=None):
    body = {field: piece(data)}
    if upload_id is not None:
        body["upload_id"] = upload_id
    end = declared_end if declared_end is not None else start + len(data) - 1
    return client.post(CHUNK, body, format="multipart",
                       HTTP_CONTENT_RANGE=f"bytes {start}-{end}/{total}")


def upload_in(client, data: bytes, pieces: int) -> str:
    """Send `data` in `pieces` pieces as react-ui does; returns the upload_id."""
    size = -(-len(data) // pieces)
    upload_id = None
    for start in range(0, len(data), size):
        response = send(client, data[start:start + size], start, len(data), upload_id)
        assert response.status_code == 201, response.content
        body = response.json()
        upload_id = body["upload_id"]
        assert body["offset"] == min(start + size, len(data))
    return upload_id


def complete(client, upload_id, data: bytes | None = None, md5=None, kind="image"):
    body = {"upload_id": upload_id, "md5": md5 or hashlib.md5(data).hexdigest()}
    if kind is not None:
        body["type"] = kind
    return client.post(COMPLETE, body, format="multipart")


def staged(upload_id: str) -> bool:
    return chunked.staging_path(upload_id).exists()


def staging_files() -> list:
    folder = chunked.staging_dir()
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_three_pieces_of_a_png_make_a_media_a_status_can_carry(sc, alice):
    data = noisy_png()
    first = send(sc, data[:len(data) // 3], 0, len(data))
    assert first.status_code == 201
    body = first.json()
    assert set(body) == {"upload_id", "offset", "expires"}
    assert isinstance(body["upload_id"], str) and len(body["upload_id"]) == 32
    assert body["offset"] == len(data) // 3
    expires = timezone.datetime.fromisoformat(body["expires"])
    assert timedelta(hours=23) < expires - timezone.now() <= timedelta(hours=24)
    upload_id = body["upload_id"]
    third = 2 * (len(data) // 3)
    assert send(sc, data[len(data) // 3:third], len(data) // 3, len(data),
                upload_id).json()["offset"] == third
    last = send(sc, data[third:], third, len(data), upload_id)
    assert last.status_code == 201 and last.json()["offset"] == len(data)
    row = ChunkedUpload.objects.get(upload_id=upload_id)
    assert (row.account_id, row.total, row.offset) == (alice.pk, len(data), len(data))
    assert chunked.staging_path(upload_id).read_bytes() == data

    done = complete(sc, upload_id, data)
    assert done.status_code == 201, done.content
    media = done.json()
    assert set(media) == SC_MEDIA_KEYS
    assert media["type"] == "image"
    assert (media["image_width"], media["image_height"]) == (120, 90)
    assert media["image_mimetype"] == "image/png"
    assert media["size"] == len(data)
    assert media["image_thumbnail"]["url"].startswith("https://social.example/media/")
    assert not ChunkedUpload.objects.exists() and staging_files() == []
    stored = MediaAttachment.objects.get(pk=media["id"])
    assert (stored.account_id, stored.kind, stored.state) == (alice.pk, "image", "ready")
    assert stored.file.read() == data  # the same bytes, through the same pipeline

    status = sc.post("/api/v2/status/", {"action": None, "text": "<p>chunked</p>",
                                         "categories": [], "medias": [media["id"]]},
                     format="json")
    assert status.status_code == 201, status.content
    assert [m["id"] for m in status.json()["medias"]] == [media["id"]]
    assert MediaAttachment.objects.get(pk=media["id"]).status_id == status.json()["id"]


def test_a_jpeg_document_field_and_no_type_is_judged_by_its_content(sc):
    data = jpeg()
    upload_id = None
    for start in range(0, len(data), 4096):
        response = send(sc, data[start:start + 4096], start, len(data), upload_id,
                        field="document")
        upload_id = response.json()["upload_id"]
    done = complete(sc, upload_id, data, kind=None)
    assert done.status_code == 201, done.content
    assert done.json()["image_mimetype"] == "image/jpeg"


def test_react_ui_document_type_takes_a_pdf_only(sc):
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    upload_id = send(sc, pdf, 0, len(pdf)).json()["upload_id"]
    done = complete(sc, upload_id, pdf, kind="document")
    assert done.status_code == 201, done.content
    assert done.json()["type"] == "doc"
    data = noisy_png()
    upload_id = upload_in(sc, data, 2)
    refused = complete(sc, upload_id, data, kind="doc")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "doc"
    assert not ChunkedUpload.objects.exists() and staging_files() == []


def test_an_interrupted_piece_is_sent_again_and_the_upload_resumes(sc):
    data = noisy_png()
    third = len(data) // 3
    upload_id = send(sc, data[:third], 0, len(data)).json()["upload_id"]
    # The second piece broke off: fewer bytes came than the range announced.
    broken = send(sc, data[third:third + 100], third, len(data), upload_id,
                  declared_end=2 * third - 1)
    assert broken.status_code == 400
    assert ChunkedUpload.objects.get(upload_id=upload_id).offset == third
    # A piece whose bytes were written but whose answer was lost counts for nothing: the
    # stored file is longer than the offset until the next piece lands there.
    with open(chunked.staging_path(upload_id), "ab") as handle:
        handle.write(b"lost answer")
    for start, end in ((third, 2 * third), (2 * third, len(data))):
        response = send(sc, data[start:end], start, len(data), upload_id)
        assert response.status_code == 201 and response.json()["offset"] == end
    assert chunked.staging_path(upload_id).read_bytes() == data
    assert complete(sc, upload_id, data).status_code == 201


def test_a_piece_at_the_wrong_offset_is_refused_with_the_offset_to_resume_from(sc):
    data = noisy_png()
    half = len(data) // 2
    upload_id = send(sc, data[:half], 0, len(data)).json()["upload_id"]
    ahead = send(sc, data[half + 10:], half + 10, len(data), upload_id)
    assert ahead.status_code == 400
    body = ahead.json()
    assert body["errors"] == [{"code": "invalid_offset",
                               "message": "The range does not start where the upload ends."}]
    assert (body["offset"], body["upload_id"]) == (half, upload_id)
    again = send(sc, data[:half], 0, len(data), upload_id)  # the first piece, repeated
    assert again.status_code == 400 and again.json()["offset"] == half
    early = complete(sc, upload_id, data)
    assert early.status_code == 400 and early.json()["offset"] == half
    assert ChunkedUpload.objects.get(upload_id=upload_id).offset == half
    # A new upload starts at byte 0.
    late_start = send(sc, data[half:], half, len(data))
    assert late_start.status_code == 400 and late_start.json()["offset"] == 0
    assert ChunkedUpload.objects.count() == 1


@pytest.mark.parametrize("header", [None, "bytes 0-9", "bytes 5-2/10", "bytes 0-10/10",
                                    "items 0-9/10", "bytes 0-9/*"])
def test_a_missing_or_malformed_content_range_is_400(sc, header):
    extra = {"HTTP_CONTENT_RANGE": header} if header else {}
    response = sc.post(CHUNK, {"image": piece(b"x" * 10)}, format="multipart", **extra)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid"
    assert not ChunkedUpload.objects.exists() and staging_files() == []


def test_a_piece_without_a_file_or_with_a_changed_total_is_400(sc):
    missing = sc.post(CHUNK, {"upload_id": ""}, format="multipart",
                      HTTP_CONTENT_RANGE="bytes 0-9/10")
    assert missing.status_code == 400
    assert missing.json()["errors"] == [{"field": "image", "messages": [
        {"code": "required", "message": "No file was submitted."}]}]
    data = noisy_png()
    upload_id = send(sc, data[:100], 0, len(data)).json()["upload_id"]
    changed = send(sc, data[100:200], 100, len(data) + 5, upload_id)
    assert changed.status_code == 400
    assert ChunkedUpload.objects.get(upload_id=upload_id).offset == 100


def test_a_file_over_the_image_limit_is_refused_at_its_piece_and_nothing_stays(sc, settings):
    data = noisy_png((100, 100))
    settings.MEDIA_IMAGE_LIMIT = len(data) - 1
    response = send(sc, data[:1000], 0, len(data))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "image"
    assert response.json()["errors"][0]["messages"][0]["code"] == "max_size"
    assert not ChunkedUpload.objects.exists() and staging_files() == []


def test_a_piece_crossing_the_limit_of_an_upload_removes_it(sc, settings):
    """An upload whose limit is lower than its end (the limit was lowered meanwhile, or a first
    piece too short to tell its type): the piece that crosses it ends the upload."""
    data = noisy_png((100, 100))
    half = len(data) // 2
    upload_id = send(sc, data[:half], 0, len(data)).json()["upload_id"]
    ChunkedUpload.objects.filter(upload_id=upload_id).update(limit=half + 10)
    crossing = send(sc, data[half:], half, len(data), upload_id)
    assert crossing.status_code == 400
    assert crossing.json()["errors"][0]["messages"][0]["code"] == "max_size"
    assert not ChunkedUpload.objects.exists() and staging_files() == []


def test_content_that_is_no_image_nor_pdf_is_refused_at_the_first_piece(sc):
    response = send(sc, b"GIF? no, plain text " * 10, 0, 400)
    assert response.status_code == 400
    assert response.json()["errors"][0]["messages"][0]["message"] == \
        "File content type is invalid"
    assert not ChunkedUpload.objects.exists() and staging_files() == []


def test_a_wrong_md5_is_400_and_removes_the_upload(sc):
    data = noisy_png()
    upload_id = upload_in(sc, data, 3)
    response = complete(sc, upload_id, md5=hashlib.md5(b"other").hexdigest())
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "md5", "messages": [
        {"code": "invalid", "message": "The md5 checksum does not match the file."}]}]
    assert not ChunkedUpload.objects.exists() and staging_files() == []
    assert not MediaAttachment.objects.exists()


def test_complete_checks_its_fields(sc):
    data = noisy_png()
    upload_id = upload_in(sc, data, 2)
    no_md5 = sc.post(COMPLETE, {"upload_id": upload_id, "type": "image"}, format="multipart")
    assert no_md5.status_code == 400 and no_md5.json()["errors"][0]["field"] == "md5"
    no_id = sc.post(COMPLETE, {"md5": "x", "type": "image"}, format="json")
    assert no_id.status_code == 400 and no_id.json()["errors"][0]["field"] == "upload_id"
    listed = sc.post(COMPLETE, {"upload_id": [upload_id], "md5": "x"}, format="json")
    assert listed.status_code == 400 and listed.json()["errors"][0]["field"] == "upload_id"
    bad_type = complete(sc, upload_id, data, kind="video")
    assert bad_type.status_code == 400
    assert bad_type.json()["errors"][0]["messages"][0]["code"] == "invalid_choice"
    unknown = complete(sc, "0" * 32, data)
    assert unknown.status_code == 404
    assert ChunkedUpload.objects.get(upload_id=upload_id).offset == len(data)
    # The md5 is compared without regard to case.
    done = complete(sc, upload_id, md5=hashlib.md5(data).hexdigest().upper())
    assert done.status_code == 201


def test_a_corrupt_image_at_complete_is_400_and_leaves_nothing(sc, tmp_path):
    data = noisy_png()
    broken = data[:200] + b"\x00" * (len(data) - 200)  # a PNG head, then nothing of an image
    upload_id = upload_in(sc, broken, 3)
    response = complete(sc, upload_id, broken)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "image"
    assert not ChunkedUpload.objects.exists() and staging_files() == []
    assert not MediaAttachment.objects.exists()
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert leftovers == []


def test_someone_elses_upload_id_is_404_and_left_alone(sc, sc_client, bob):
    data = noisy_png()
    half = len(data) // 2
    upload_id = send(sc, data[:half], 0, len(data)).json()["upload_id"]
    other = sc_client(bob)
    assert send(other, data[half:], half, len(data), upload_id).status_code == 404
    assert complete(other, upload_id, data).status_code == 404
    assert send(sc, data[half:], half, len(data), upload_id).status_code == 201
    assert complete(sc, upload_id, data).status_code == 201


def test_anonymous_and_readonly_callers_cannot_upload(sc_client, alice):
    from rest_framework.test import APIClient

    anonymous = APIClient().post(CHUNK, {"image": piece(b"x")}, format="multipart",
                                 HTTP_CONTENT_RANGE="bytes 0-0/1")
    assert anonymous.status_code == 401
    reader = sc_client(alice, scopes="read")
    assert send(reader, b"x", 0, 1).status_code == 403
    assert complete(reader, "0" * 32, b"x").status_code == 403


def test_an_expired_upload_is_gone_and_removed(sc):
    data = noisy_png()
    half = len(data) // 2
    upload_id = send(sc, data[:half], 0, len(data)).json()["upload_id"]
    ChunkedUpload.objects.filter(upload_id=upload_id).update(
        expires_at=timezone.now() - timedelta(seconds=1))
    response = send(sc, data[half:], half, len(data), upload_id)
    assert response.status_code == 410
    assert response.json()["errors"][0]["code"] == "expired"
    assert not ChunkedUpload.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_pruning_removes_expired_uploads_and_orphan_files(settings, tmp_path, alice,
                                                          make_token):
    from rest_framework.test import APIClient

    settings.MEDIA_ROOT = tmp_path
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(alice)}")
    data = noisy_png()
    old = send(client, data[:100], 0, len(data)).json()["upload_id"]
    fresh = send(client, data[:100], 0, len(data)).json()["upload_id"]
    ChunkedUpload.objects.filter(upload_id=old).update(
        expires_at=timezone.now() - timedelta(minutes=1))
    orphan = chunked.staging_path("f" * 32)
    orphan.write_bytes(b"left by a request that died")
    young_orphan = chunked.staging_path("e" * 32)
    young_orphan.write_bytes(b"being written now")
    two_days_ago = (timezone.now() - timedelta(days=2)).timestamp()
    os.utime(orphan, (two_days_ago, two_days_ago))
    out = io.StringIO()
    call_command("prune_media", stdout=out)
    assert out.getvalue().splitlines() == ["Removed 0 unattached uploads.",
                                           "Removed 2 expired chunked uploads."]
    assert list(ChunkedUpload.objects.values_list("upload_id", flat=True)) == [fresh]
    assert not staged(old) and staged(fresh)
    assert not orphan.exists() and young_orphan.exists()


def test_the_prune_task_removes_expired_uploads(sc, django_capture_on_commit_callbacks):
    from media.tasks import prune_unattached_media

    data = noisy_png()
    upload_id = send(sc, data[:100], 0, len(data)).json()["upload_id"]
    with override_settings(MEDIA_CHUNKED_UPLOAD_TTL_SECONDS=0):
        stale = send(sc, data[:100], 0, len(data)).json()["upload_id"]
    with django_capture_on_commit_callbacks(execute=True):
        assert prune_unattached_media.call() == 1
    assert not staged(stale) and staged(upload_id)


# --- one media: GET, DELETE, click -----------------------------------------------------------

def _image(client) -> int:
    data = noisy_png((20, 20))
    return complete(client, upload_in(client, data, 1), data).json()["id"]


def _post(client, media_id, **fields) -> int:
    body = {"action": None, "text": "<p>with media</p>", "categories": [],
            "medias": [media_id], **fields}
    response = client.post("/api/v2/status/", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_get_a_media_owner_or_readers_of_its_status(sc, sc_client, bob):
    from rest_framework.test import APIClient

    media_id = _image(sc)
    mine = sc.get(f"/api/v2/media/{media_id}/")
    assert mine.status_code == 200 and set(mine.json()) == SC_MEDIA_KEYS
    assert mine.json()["id"] == media_id and mine.json()["order"] is None
    other = sc_client(bob)
    assert other.get(f"/api/v2/media/{media_id}/").status_code == 404  # not posted yet
    _post(sc, media_id)
    seen = other.get(f"/api/v2/media/{media_id}/")
    assert seen.status_code == 200 and seen.json()["order"] == 0
    assert APIClient().get(f"/api/v2/media/{media_id}/").status_code == 200
    hidden_id = _image(sc)
    hidden_status = _post(sc, hidden_id)
    Status.objects.filter(pk=hidden_status).update(visibility=Visibility.PRIVATE)
    assert other.get(f"/api/v2/media/{hidden_id}/").status_code == 404
    assert sc.get(f"/api/v2/media/{hidden_id}/").status_code == 200
    assert sc.get("/api/v2/media/999999999/").status_code == 404


def test_delete_own_unattached_media_only(sc, sc_client, bob):
    media_id = _image(sc)
    other = sc_client(bob)
    assert other.delete(f"/api/v2/media/{media_id}/").status_code == 404
    posted = _image(sc)
    _post(sc, posted)
    refused = other.delete(f"/api/v2/media/{posted}/")
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["code"] == "permission_denied"
    used = sc.delete(f"/api/v2/media/{posted}/")
    assert used.status_code == 400
    assert used.json()["errors"] == [{"code": "invalid", "message":
                                      "Media attachment is currently used by a status"}]
    path = MediaAttachment.objects.get(pk=media_id).file.path
    gone = sc.delete(f"/api/v2/media/{media_id}/")
    assert gone.status_code == 204 and gone.content == b""
    assert not MediaAttachment.objects.filter(pk=media_id).exists()
    assert not os.path.exists(path)
    assert sc.delete(f"/api/v2/media/{media_id}/").status_code == 404


def test_click_counts_for_whoever_may_see_the_media(sc, sc_client, bob):
    from rest_framework.test import APIClient

    media_id = _image(sc)
    other = sc_client(bob)
    assert other.post(f"/api/v2/media/{media_id}/click/").status_code == 404
    own = sc.post(f"/api/v2/media/{media_id}/click/", {"ip": "203.0.113.9"}, format="json")
    assert own.status_code == 204 and own.content == b""
    _post(sc, media_id)
    assert other.post(f"/api/v2/media/{media_id}/click/").status_code == 204
    assert APIClient().post(f"/api/v2/media/{media_id}/click/").status_code == 204
    assert MediaAttachment.objects.get(pk=media_id).clicks_count == 3


def test_get_an_unposted_share_shows_the_shared_status_to_its_owner(sc, sc_client, bob):
    shared = sc_client(bob).post("/api/v2/status/", {"action": None, "text": "<p>bob says</p>",
                                                     "categories": []}, format="json")
    share = sc.post("/api/v2/media/", {"type": "share", "shared_object": shared.json()["id"]},
                    format="json").json()
    body = sc.get(f"/api/v2/media/{share['id']}/").json()
    assert body["type"] == "share" and body["title"] == "bob says"
    assert body["embed"]["metadata"] == {"id": shared.json()["id"], "type": "status"}
    Status.objects.filter(pk=shared.json()["id"]).update(visibility=Visibility.PRIVATE)
    hidden = sc.get(f"/api/v2/media/{share['id']}/").json()
    assert hidden["title"] is None and hidden["embed"]["metadata"]["id"] == shared.json()["id"]

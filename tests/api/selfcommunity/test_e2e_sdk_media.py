"""SelfCommunity's SDK uploads a picture in pieces (tests/e2e/sdk/media.js): chunkUploadMedia with
its Content-Range and upload_id, a piece at the wrong offset, chunkUploadMediaComplete with the
file's md5 (and a wrong one), then getSpecificMedia, clickMedia and deleteMedia by the owner and
by someone else."""

import hashlib
import io
import json
import os

from PIL import Image

from media import chunked
from media.models import ChunkedUpload, MediaAttachment
from tests.api.selfcommunity.test_e2e_sdk import (  # noqa: F401  (skip rule and markers)
    node,
    ok,
    pytestmark,
    refused,
    token,
)
from tests.api.selfcommunity.test_media_chunked import SC_MEDIA_KEYS
from tests.factories import AccountFactory


def test_sdk_uploads_in_pieces_and_handles_one_media(live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    for name in ("alice", "bob"):
        AccountFactory(username=name)
    picture = Image.frombytes("RGB", (64, 48), os.urandom(64 * 48 * 3))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    data = buffer.getvalue()
    path = tmp_path / "picture.png"
    path.write_bytes(data)
    result = node("media.js", json.dumps({"base": live_server.url, "owner": token("alice"),
                                          "other": token("bob"), "file": str(path)}))
    steps = result["steps"]

    answers = [ok(steps[f"chunk{index}"], f"chunk{index}") for index in range(3)]
    assert all(set(answer) == {"upload_id", "offset", "expires"} for answer in answers)
    assert len({answer["upload_id"] for answer in answers}) == 1
    size = -(-len(data) // 3)
    assert [answer["offset"] for answer in answers] == [size, 2 * size, len(data)]
    wrong = steps["wrongOffset"]
    assert refused(wrong, 400)[0]["code"] == "invalid_offset"
    assert wrong["data"]["offset"] == len(data)

    media = ok(steps["complete"])
    assert set(media) == SC_MEDIA_KEYS
    assert (media["type"], media["image_width"], media["image_height"]) == ("image", 64, 48)
    assert media["size"] == len(data)
    stored = MediaAttachment.objects.get(pk=media["id"])
    assert hashlib.md5(stored.file.read()).hexdigest() == hashlib.md5(data).hexdigest()
    assert ok(steps["get"])["id"] == media["id"]
    assert ok(steps["click"]) == ""  # a 204
    assert refused(steps["completeWrongMd5"], 400)[0]["field"] == "md5"
    lone = ok(steps["completeLone"])
    posted = ok(steps["post"])
    assert [m["id"] for m in posted["medias"]] == [media["id"]]

    # Bob sees the media of Alice's public status, not her unposted one nor her upload.
    assert ok(steps["otherGetPosted"])["order"] == 0
    assert ok(steps["otherClickPosted"]) == ""
    refused(steps["otherGetUnposted"], 404)
    refused(steps["otherDelete"], 404)
    refused(steps["otherPiece"], 404)
    refused(steps["otherComplete"], 404)
    assert MediaAttachment.objects.get(pk=media["id"]).clicks_count == 2

    assert refused(steps["deletePosted"], 400)[0]["message"] == \
        "Media attachment is currently used by a status"
    assert ok(steps["delete"]) == ""
    refused(steps["getDeleted"], 404)
    assert not MediaAttachment.objects.filter(pk=lone["id"]).exists()
    # Only the half-sent upload waits, with its file.
    [pending] = ChunkedUpload.objects.all()
    assert pending.offset == -(-len(data) // 2)
    assert [p.name for p in chunked.staging_dir().iterdir()] == [f"{pending.upload_id}.part"]

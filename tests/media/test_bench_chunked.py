"""The benchmark's chunked-upload row (bench/bench.py `sc_chunked`) runs: its driver uploads in
pieces and completes against a live server, every upload answers 201, and it cleans up after
itself (the media deleted through the API, no upload left waiting)."""

import io
import os

from django.core.management import call_command
from PIL import Image

from bench import bench
from media.models import ChunkedUpload, MediaAttachment
from tests.factories import AccountFactory


def test_the_chunked_upload_row_measures_whole_uploads(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    AccountFactory(username="alice")
    out = io.StringIO()
    call_command("create_token", "alice", "--create", stdout=out)
    picture = io.BytesIO()
    Image.frombytes("RGB", (200, 200), os.urandom(200 * 200 * 3)).save(picture, "PNG")
    result = bench.measure_chunked(live_server.url, out.getvalue().strip(), duration=1,
                                   clients=1, data=picture.getvalue(), pieces=5)
    assert result["non2xx"] == 0, result["socket_errors"]
    assert result["rps"] > 0 and 0 < result["p50"] <= result["p99"]
    assert not MediaAttachment.objects.exists()
    assert not ChunkedUpload.objects.exists()

"""End to end: Mastodon.py uploads, describes and attaches media through a live server."""

import io
import urllib.request

import blurhash
import pytest
from django.core.management import call_command
from mastodon import Mastodon, MastodonAPIError
from PIL import Image

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def alice(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SERVE_MEDIA = True
    settings.INSTANCE_SCHEME = "http"
    settings.INSTANCE_DOMAIN = live_server.url.removeprefix("http://")
    out = io.StringIO()
    call_command("create_token", "alice", "--create", stdout=out)
    return Mastodon(api_base_url=live_server.url, access_token=out.getvalue().strip())


def image_file(tmp_path, name, size, color, fmt):
    path = tmp_path / name
    image = Image.new("RGB", size, color)
    for x in range(0, size[0], 7):  # some structure, so the blurhash is not flat
        for y in range(size[1]):
            image.putpixel((x, y), (255 - color[0], color[1], 255 - color[2]))
    image.save(path, fmt)
    return path


def test_mastodon_py_media_round_trip(alice, tmp_path):
    png_path = image_file(tmp_path, "red.png", (320, 200), (220, 20, 20), "PNG")
    jpeg_path = image_file(tmp_path, "blue.jpg", (150, 300), (20, 40, 220), "JPEG")
    png = alice.media_post(str(png_path), mime_type="image/png")
    jpeg = alice.media_post(str(jpeg_path), mime_type="image/jpeg", description="Blue")
    assert png["type"] == "image" and jpeg["type"] == "image"
    assert png["meta"]["original"]["width"] == 320 and png["meta"]["original"]["height"] == 200
    assert png["meta"]["original"]["aspect"] == 1.6
    assert jpeg["meta"]["original"]["size"] == "150x300"
    # The blurhash describes the picture: mostly red for one, mostly blue for the other.
    red_average = blurhash.decode(png["blurhash"], 4, 4)
    blue_average = blurhash.decode(jpeg["blurhash"], 4, 4)
    assert sum(p[0] for row in red_average for p in row) > sum(p[2] for row in red_average
                                                                for p in row)
    assert sum(p[2] for row in blue_average for p in row) > sum(p[0] for row in blue_average
                                                                 for p in row)
    # The file URL serves the stored original.
    with urllib.request.urlopen(png["url"]) as response:
        stored = Image.open(io.BytesIO(response.read()))
        assert stored.size == (320, 200)

    updated = alice.media_update(png["id"], description="Red box", focus=(0.25, -0.5))
    assert updated["description"] == "Red box"
    assert updated["meta"]["focus"] == {"x": 0.25, "y": -0.5}

    status = alice.status_post("Two pictures", media_ids=[png["id"], jpeg["id"]])
    assert [m["id"] for m in status["media_attachments"]] == [png["id"], jpeg["id"]]
    assert status["media_attachments"][0]["description"] == "Red box"

    third = alice.media_post(str(image_file(tmp_path, "green.png", (64, 64), (20, 200, 20),
                                            "PNG")), mime_type="image/png")
    edited = alice.status_update(status["id"], "Now one picture", media_ids=[third["id"]])
    assert [m["id"] for m in edited["media_attachments"]] == [third["id"]]
    history = alice.status_history(status["id"])
    assert [len(h["media_attachments"]) for h in history] == [2, 1]

    # media_attributes (sent as JSON by Mastodon.py) retouch a description in an edit. (Mastodon.py
    # derives media_ids from them; passing both trips a bug in the client itself.)
    retouched = alice.status_update(
        status["id"], "Now one picture",
        media_attributes=[alice.generate_media_edit_attributes(third["id"], description="Green",
                                                               focus=(0.0, 0.5))],
    )
    assert retouched["media_attachments"][0]["description"] == "Green"
    assert retouched["media_attachments"][0]["meta"]["focus"] == {"x": 0.0, "y": 0.5}
    assert len(alice.status_history(status["id"])) == 3

    # The replaced uploads are free again; someone else's media is not.
    again = alice.status_post("Reusing", media_ids=[png["id"]])
    assert again["media_attachments"][0]["id"] == png["id"]
    with pytest.raises(MastodonAPIError) as excinfo:
        alice.status_post("Too many", media_ids=[third["id"]] * 5)
    assert excinfo.value.args[1] == 422

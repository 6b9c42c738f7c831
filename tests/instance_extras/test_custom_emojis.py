"""GET /api/v1/custom_emojis and the custom emoji service (pictures checked by content, a
static first frame made)."""

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from config import errors
from instance_extras import services
from instance_extras.models import CustomEmoji
from tests.instance_extras.conftest import picture

KEYS = {"shortcode", "url", "static_url", "visible_in_picker"}


def test_none_is_an_empty_list_cached_publicly(anon, db):
    response = anon.get("/api/v1/custom_emojis")
    assert response.status_code == 200
    assert response.json() == []
    assert response["Cache-Control"] == "max-age=180, public"


def test_with_a_token_it_is_private(alice_client):
    response = alice_client.get("/api/v1/custom_emojis")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_an_unknown_token_is_served_as_anonymous(mastodon, db):
    response = mastodon.as_token("not-a-token").get("/api/v1/custom_emojis")
    assert response.status_code == 200
    assert response.json() == []


def test_listed_emojis_with_exact_keys(anon, make_emoji):
    blob = make_emoji("blobcat", category="Blobs")
    make_emoji("plain")
    make_emoji("hidden", visible_in_picker=False)
    make_emoji("off", disabled=True)
    body = anon.get("/api/v1/custom_emojis").json()
    assert [e["shortcode"] for e in body] == ["blobcat", "plain"]
    assert set(body[0]) == KEYS | {"category"}
    assert set(body[1]) == KEYS  # no category: the key is left out, as Mastodon does
    assert body[0]["category"] == "Blobs"
    assert body[0]["visible_in_picker"] is True
    assert body[0]["url"] == f"https://social.example{blob.image.url}"
    assert body[0]["static_url"] == f"https://social.example{blob.static_image.url}"
    assert body[0]["url"].endswith(".png") and body[0]["static_url"].endswith(".png")
    assert default_storage.exists(blob.image.name)
    assert default_storage.exists(blob.static_image.name)


def test_query_count_is_the_same_for_one_and_twenty(anon, make_emoji, django_assert_num_queries):
    make_emoji("e0", category="Cat0")
    anon.get("/api/v1/custom_emojis")
    with django_assert_num_queries(1):
        assert len(anon.get("/api/v1/custom_emojis").json()) == 1
    for i in range(1, 20):
        make_emoji(f"e{i}", category=f"Cat{i % 3}")
    with django_assert_num_queries(1):
        assert len(anon.get("/api/v1/custom_emojis").json()) == 20


def test_an_animated_gif_keeps_its_animation_and_gets_a_static_png(db, settings, tmp_path):
    emoji = services.custom_emoji_save(emoji=CustomEmoji(shortcode="party"),
                                       upload=picture("GIF", frames=3))
    assert emoji.image.name.endswith(".gif")
    with default_storage.open(emoji.image.name) as handle:
        assert Image.open(handle).n_frames == 3
    with default_storage.open(emoji.static_image.name) as handle:
        static = Image.open(io.BytesIO(handle.read()))
        assert static.format == "PNG"
        assert getattr(static, "n_frames", 1) == 1


@pytest.mark.parametrize(("data", "message"), [
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     "Image must be a PNG, GIF or WebP picture"),
    (b"GIF89a" + b"\x00" * 40, "Image could not be read"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * (256 * 1024), "Image must be smaller than 256 KB"),
])
def test_pictures_that_are_refused(db, data, message):
    with pytest.raises(errors.Invalid) as refused:
        services.custom_emoji_save(emoji=CustomEmoji(shortcode="bad"), upload=data)
    assert refused.value.message == message
    assert refused.value.field == "image"
    assert not CustomEmoji.objects.exists()


def test_a_jpeg_is_refused_as_mastodon_does(db):
    with pytest.raises(errors.Invalid, match="PNG, GIF or WebP"):
        services.custom_emoji_save(emoji=CustomEmoji(shortcode="photo"),
                                   upload=picture("JPEG"))
    assert not CustomEmoji.objects.exists()


def test_a_picture_over_1024_pixels_is_refused(db):
    with pytest.raises(errors.Invalid, match="1024 pixels"):
        services.custom_emoji_save(emoji=CustomEmoji(shortcode="huge"),
                                   upload=picture("PNG", size=(1025, 8)))


def test_a_new_emoji_needs_a_picture(db):
    with pytest.raises(errors.Invalid, match="Image can't be blank"):
        services.custom_emoji_save(emoji=CustomEmoji(shortcode="empty"))
    assert not CustomEmoji.objects.exists()


def test_a_new_picture_replaces_the_old_files(db, django_capture_on_commit_callbacks):
    emoji = services.custom_emoji_save(emoji=CustomEmoji(shortcode="swap"), upload=picture())
    old = [emoji.image.name, emoji.static_image.name]
    with django_capture_on_commit_callbacks(execute=True):
        services.custom_emoji_save(emoji=emoji, upload=picture("GIF", frames=2))
    assert not any(default_storage.exists(name) for name in old)
    assert default_storage.exists(emoji.image.name) and emoji.image.name.endswith(".gif")


def test_deleting_an_emoji_removes_its_files_and_keeps_reactions_by_name(
        db, alice, make_announcement, django_capture_on_commit_callbacks):
    from instance_extras.models import AnnouncementReaction

    emoji = services.custom_emoji_save(emoji=CustomEmoji(shortcode="bye"), upload=picture())
    announcement = make_announcement()
    services.announcement_react(account=alice, announcement_id=announcement.pk, name="bye")
    files = [emoji.image.name, emoji.static_image.name]
    with django_capture_on_commit_callbacks(execute=True):
        services.custom_emoji_delete(emoji=emoji)
    assert not CustomEmoji.objects.exists()
    assert not any(default_storage.exists(name) for name in files)
    reaction = AnnouncementReaction.objects.get()
    assert (reaction.name, reaction.custom_emoji_id) == ("bye", None)

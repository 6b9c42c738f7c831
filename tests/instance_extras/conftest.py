"""Pictures for custom emojis, and emojis and announcements made the way the admin makes them."""

import io

import pytest
from PIL import Image

from instance_extras import services
from instance_extras.models import Announcement, CustomEmoji, CustomEmojiCategory


def picture(fmt: str = "PNG", size=(32, 32), frames: int = 1) -> bytes:
    """A small picture in `fmt`; with several frames an animated GIF or WebP."""
    out = io.BytesIO()
    images = [Image.new("RGBA", size, (40 * i % 255, 120, 200, 255)) for i in range(frames)]
    if frames > 1:
        images[0].save(out, fmt, save_all=True, append_images=images[1:], duration=100, loop=0)
    else:
        images[0].convert("RGB" if fmt == "JPEG" else "RGBA").save(out, fmt)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def make_emoji(db):
    def make(shortcode, *, category=None, **fields):
        if isinstance(category, str):
            category, _ = CustomEmojiCategory.objects.get_or_create(name=category)
        return services.custom_emoji_save(
            emoji=CustomEmoji(shortcode=shortcode, category=category, **fields),
            upload=picture())

    return make


@pytest.fixture
def make_announcement(db):
    def make(text="Hello everyone", **fields):
        return services.announcement_save(announcement=Announcement(text=text, **fields))

    return make

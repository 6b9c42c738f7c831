"""Mastodon MediaAttachment entity (behaviour spec 3.3)."""

from config import instance
from media.models import MediaKind, MediaState

# SelfCommunity kinds have no Mastodon type of their own.
TYPES = {MediaKind.IMAGE: "image", MediaKind.GIFV: "gifv", MediaKind.VIDEO: "video",
         MediaKind.AUDIO: "audio"}


def serialize_media(media) -> dict:
    ready = media.state == MediaState.READY
    url = instance.absolute(media.file.url) if ready and media.file else None
    if media.kind == MediaKind.URL:
        url = media.remote_url or None
    # A client's thumbnail (shown even while the file is processing), else the rendition: a
    # video's still, an audio file's cover; none for a video ffmpeg could not read (or when
    # ffmpeg is missing) and for audio without a cover, as Mastodon has no small style there.
    if media.thumbnail:
        preview = instance.absolute(media.thumbnail.url)
    else:
        preview = instance.absolute(media.small.url) if ready and media.small else None
    meta = dict(media.meta or {})
    if media.focus is not None:
        meta["focus"] = {"x": media.focus_x, "y": media.focus_y}
    return {
        "id": str(media.pk),
        "type": TYPES.get(media.kind, "unknown"),
        "url": url,
        "preview_url": preview if preview or media.kind != MediaKind.URL else url,
        "remote_url": media.remote_url or None if media.kind == MediaKind.URL else None,
        "preview_remote_url": None,
        "text_url": None,
        "meta": meta or None,
        "description": media.description or None,
        "blurhash": media.blurhash or None,
    }

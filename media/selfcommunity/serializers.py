"""SelfCommunity Media and Embed (spec 2.4), rendered as plain dicts."""

from config import instance
from media.models import MediaKind, MediaState


def _iso(value) -> str:
    return value.isoformat()


def serialize_media(media) -> dict:
    ready = media.state == MediaState.READY
    file_url = instance.absolute(media.file.url) if ready and media.file else None
    original = (media.meta or {}).get("original") or {}
    small = (media.meta or {}).get("small") or {}
    is_image = media.kind in (MediaKind.IMAGE, MediaKind.GIFV)
    data = {
        "id": media.pk,
        "added_at": _iso(media.created_at),
        "type": "image" if is_image else str(media.kind),
        "title": media.title or None,
        "description": media.description or None,
        "url": (media.remote_url or None) if media.kind == MediaKind.URL else file_url,
        "image": file_url if is_image else (media.embed or {}).get("metadata", {}).get("image")
        if media.kind == MediaKind.URL else None,
        "image_width": original.get("width") if is_image else None,
        "image_height": original.get("height") if is_image else None,
        "image_mimetype": media.content_type or None if is_image else None,
        "image_thumbnail": {
            "url": instance.absolute(media.small.url),
            "width": small.get("width"),
            "height": small.get("height"),
            "color": None,
        } if is_image and ready and media.small else None,
        "size": media.file_size or None,
        "mimetype": media.content_type or None,
        "order": media.position if media.status_id else None,
        "embed": media.embed,
    }
    if data["embed"] is not None:
        data["embed"] = {"id": media.pk, **media.embed}
    return data

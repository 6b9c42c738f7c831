"""SelfCommunity Media and Embed (spec 2.4), rendered as plain dicts."""

import html as html_lib

from config import instance
from media.models import MediaKind, MediaState


def _iso(value) -> str:
    return value.isoformat()


def serialize_media(media, shared: dict | None = None) -> dict:
    """`shared` maps the ids of the shared statuses this reader may see now to those statuses
    (`statuses.selectors.shared_statuses_visible`). A share shows its status's summary as
    `title` and `description` only when that status is in it; otherwise it renders without
    content: `title` and `description` null, the embed naming the status by id alone. The row
    itself holds no copy of the shared text."""
    if media.kind == MediaKind.SHARE:
        return _serialize_share(media, shared or {})
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


def _serialize_share(media, shared: dict) -> dict:
    stored = media.embed or {}
    status_id = media.shared_status_id
    if status_id is None:  # the shared row itself is gone
        status_id = (stored.get("metadata") or {}).get("id")
    status = shared.get(media.shared_status_id) if media.shared_status_id is not None else None
    summary = (html_lib.unescape(status.summary) or None) if status is not None else None
    return {
        "id": media.pk,
        "added_at": _iso(media.created_at),
        "type": str(MediaKind.SHARE),
        "title": summary,
        "description": summary,
        "url": None,
        "image": None,
        "image_width": None,
        "image_height": None,
        "image_mimetype": None,
        "image_thumbnail": None,
        "size": None,
        "mimetype": None,
        "order": media.position if media.status_id else None,
        # Built here rather than from the stored embed, so that nothing stored is ever shown.
        "embed": {
            "id": media.pk,
            "embed_type": "sc_shared_object",
            "embed_id": str(status_id) if status_id is not None else "",
            "url": f"/status/{status_id}/" if status_id is not None else None,
            "metadata": {"id": status_id, "type": "status"},
        },
    }

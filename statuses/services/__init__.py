"""Writes of statuses. Every rule about a write lives here, once: posting (create, delete) and
interactions (favourite, reblog, bookmark, conversation mute, pin)."""

from statuses.services.interactions import (
    status_bookmark,
    status_favourite,
    status_mute_conversation,
    status_pin,
    status_reblog,
    status_unbookmark,
    status_unfavourite,
    status_unmute_conversation,
    status_unpin,
    status_unreblog,
)
from statuses.services.posting import (
    REPLY_TARGET_MISSING,
    PostDraft,
    parse_visibility,
    render_plain_text,
    status_create,
    status_delete,
    status_update,
)

__all__ = [
    "REPLY_TARGET_MISSING",
    "PostDraft",
    "parse_visibility",
    "render_plain_text",
    "status_bookmark",
    "status_create",
    "status_delete",
    "status_favourite",
    "status_mute_conversation",
    "status_pin",
    "status_reblog",
    "status_unbookmark",
    "status_unfavourite",
    "status_unmute_conversation",
    "status_unpin",
    "status_unreblog",
    "status_update",
]

"""One notification as the Mastodon face shows it to its reader: the payload of the streaming
API's `notification` event, read again when the event is delivered."""

from __future__ import annotations

from config import errors
from notifications import selectors
from notifications.mastodon.serializers import serialize_notification
from statuses.mastodon.present import show_statuses


def render_notification(viewer, notification_id: int) -> dict | None:
    """The Notification GET /api/v1/notifications/:id gives `viewer`, or None when that is a
    404 (another's, dismissed, filtered, or its status out of the reader's sight since)."""
    if viewer is None:
        return None
    try:
        row = selectors.notification_get(viewer=viewer, notification_id=notification_id)
    except errors.NotFound:
        return None
    statuses = selectors.statuses_of([row])
    rendered = show_statuses(statuses, viewer) if statuses else []
    return serialize_notification(row, {int(data["id"]): data for data in rendered})

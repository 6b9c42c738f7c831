"""SelfCommunity's notifications rendered for one reader: a page of aggregates (the list) and one
notification alone (what the live socket pushes), through the same serializers, with statuses
and comments rendered by the statuses face."""

from notifications import selectors
from notifications.selfcommunity.serializers import serialize_aggregate, serialize_item
from statuses.selfcommunity.present import show_comments, show_statuses


def _rendered(aggregates, statuses: dict, viewer) -> tuple[dict, dict]:
    """(the aggregates' statuses, the comments their items are about), each by id."""
    roots = [a.root for a in aggregates if a.root is not None]
    rendered = {int(item["id"]): item for item in show_statuses(roots, viewer)} \
        if roots else {}
    root_ids = {a.root_id for a in aggregates}
    comment_rows = [status for status in statuses.values()
                    if status is not None and status.pk not in root_ids]
    comments = {int(item["id"]): item for item in show_comments(comment_rows, viewer)} \
        if comment_rows else {}
    return rendered, comments


def show_aggregates(aggregates, statuses: dict, viewer) -> list[dict]:
    rendered, comments = _rendered(aggregates, statuses, viewer)
    return [serialize_aggregate(a, statuses, rendered, comments) for a in aggregates]


def show_notification(viewer, notification_id: int) -> dict | None:
    """One notification as an item of its aggregate (SCNotificationType: `type`, `sid`,
    `is_new`, `active_at` and the status, comment or user it is about), or None when the
    reader's list would not show it."""
    found = selectors.sc_one(viewer=viewer, notification_id=notification_id)
    if found is None:
        return None
    aggregate, statuses = found
    rendered, comments = _rendered([aggregate], statuses, viewer)
    items = aggregate.items
    return serialize_item(items[0], aggregate, statuses, rendered, comments) if items else None

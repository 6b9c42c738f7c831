"""SelfCommunity's SCNotificationAggregatedType and its items, as plain dicts: pure functions of
what the selectors loaded; statuses and comments come rendered by the statuses face."""

from accounts.selfcommunity.serializers import iso, serialize_user

# A moderator's act -> the prefix of SelfCommunity's type, and a moderation type -> its suffix.
MODERATION_PREFIXES = {"collapse": "collapsed_for", "delete": "deleted_for",
                       "scold_author": "kindly_notice"}
MODERATION_REASONS = {0: "advertising", 1: "aggressive", 2: "vulgar", 3: "poor", 4: "offtopic"}
# A warning given without a reason names none of the five; SelfCommunity's nearest is off-topic.
DEFAULT_REASON = "offtopic"


def _key(shown: dict | None) -> str:
    """The key a contribution goes under: its type (`status`, `post`, `discussion`), as
    SelfCommunity's notifications name it."""
    return shown["type"] if shown else "status"


def _about(data: dict, status, aggregate, rendered: dict, comments: dict) -> dict:
    """The status (the aggregate's own) or comment an item is about."""
    if status is None:
        return data
    if status.pk == aggregate.root_id:
        data[_key(rendered.get(status.pk))] = rendered.get(status.pk)
    elif status.pk in comments:
        data["comment"] = comments[status.pk]
    return data


def sc_type(notification, root_id: int) -> str | None:
    kind = notification.type
    if kind == "reply":
        return "comment" if notification.status.in_reply_to_id == root_id else "nested_comment"
    if kind == "favourite":
        return "vote_up"
    if kind == "mention":
        return "mention"
    if kind == "moderation_warning" and notification.moderation_action_id:
        action = notification.moderation_action
        prefix = MODERATION_PREFIXES.get(action.action)
        if prefix is None:
            return None
        return f"{prefix}_{MODERATION_REASONS.get(action.moderation_type, DEFAULT_REASON)}"
    return None


def serialize_item(notification, aggregate, statuses: dict, rendered: dict,
                   comments: dict) -> dict | None:
    kind = sc_type(notification, aggregate.root_id)
    if kind is None:
        return None
    data = {"is_new": not notification.read, "sid": str(notification.pk), "type": kind,
            "active_at": iso(notification.created_at)}
    if kind == "vote_up":
        data["user"] = serialize_user(notification.from_account)
    if notification.type == "moderation_warning":
        status = statuses.get(notification.moderation_action.target_status_id)
    else:
        status = notification.status
    return _about(data, status, aggregate, rendered, comments)


def serialize_aggregate(aggregate, statuses: dict, rendered: dict, comments: dict) -> dict:
    items = [item for item in (serialize_item(row, aggregate, statuses, rendered, comments)
                               for row in aggregate.items) if item is not None]
    data = {"sid": items[0]["sid"] if items else str(aggregate.root_id),
            "is_new": any(item["is_new"] for item in items), "aggregated": items}
    if aggregate.root is not None:
        data[_key(rendered.get(aggregate.root_id))] = rendered.get(aggregate.root_id)
    return data

"""A notification event of the channel layer as the message react-core's `useSCWebSocket`
parses: `{"type": "interaction", "data": {...}}`, whose `data` carries `activity_type` (the
integer of SelfCommunity's notification type, which react-core maps back to its name:
`SCNotificationMapping` of @selfcommunity/react-core 0.7.0-alpha.23), `notification_obj` (the
notification as an item of GET /api/v2/notification/ shows it to this reader),
`feed_serialization_id` (the toast's key) and `count_interactions` (the reader's unread count,
as GET /api/v2/notification/unseen/count/ answers it, which react-core puts on the bell)."""

import orjson

from notifications import selectors
from notifications.selfcommunity.present import show_notification

TOPIC = "interaction"
_REASONS = {"advertising": 0, "aggressive": 1, "vulgar": 2, "poor": 3, "offtopic": 4}
# SelfCommunity's type names of the notifications this server writes -> their integers.
ACTIVITY_TYPES = {
    "comment": 2, "nested_comment": 4, "vote_up": 9, "mention": 19,
    **{f"deleted_for_{reason}": code for reason, code in zip(
        _REASONS, (50, 51, 52, 65, 66), strict=True)},
    **{f"kindly_notice_{reason}": code for reason, code in zip(
        _REASONS, (67, 68, 69, 70, 71), strict=True)},
    **{f"collapsed_for_{reason}": code for reason, code in zip(
        _REASONS, (75, 76, 77, 78, 79), strict=True)},
}


def render(viewer, message: dict) -> str | None:
    """The text frame `message` (a `notification` event) shows `viewer`, or None: an event of
    another account's (a group is never trusted to decide), or a notification SelfCommunity's
    list would not show this reader (dismissed, filtered, of a kind it does not have, about a
    status out of their sight)."""
    if message.get("event") != "notification" or message.get("account_id") != viewer.pk:
        return None
    item = show_notification(viewer, int(message["notification_id"]))
    if item is None or item["type"] not in ACTIVITY_TYPES:
        return None
    data = {"activity_type": ACTIVITY_TYPES[item["type"]], "notification_obj": item,
            "feed_serialization_id": item["sid"],
            "count_interactions": selectors.sc_unseen_count(viewer=viewer)}
    return orjson.dumps({"type": TOPIC, "data": data}).decode("utf-8")

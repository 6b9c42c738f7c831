"""The announcements of config.events, put on the channel layer's groups as minimal events (the
kind and the ids), so that every streaming process on every machine hears them (Redis pub/sub
with `REDIS_URL`).

The receivers run once the act's transaction has committed (config.events.announce). They pick
the groups that may want the event: a status goes to its author's and its followers' home
streams, and, when public, to the public and hashtag streams. That choice is generous: each
connection decides again, for its own reader, through the one visibility rule, blocks and mutes
(streaming/mastodon/events.py), so a group never decides who sees a status.
"""

import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from accounts.models import Follow, Visibility
from config import events
from statuses.models import Status
from streaming import groups

logger = logging.getLogger("duostatus.streaming")

# The type of every message: StreamingConsumer.stream_event, and the event-stream loop, read it.
MESSAGE_TYPE = "stream.event"


def status_audience(status_id: int) -> list[str]:
    """The groups of a status's event (two statements): its author's home, the homes of its
    accepted followers (for a reblog, those who want reblogs), and for a public status of an
    account that is not silenced (reblogs excepted, as Mastodon broadcasts no reblog) the public
    stream and the streams of its hashtags."""
    row = (Status.objects.filter(pk=status_id)
           .values("account_id", "visibility", "reblog_of_id", "tag_data", "collapsed",
                   "account__silenced_at")
           .first())
    if row is None:
        return []
    author = row["account_id"]
    followers = Follow.objects.filter(target_id=author, accepted=True)
    if row["reblog_of_id"] is not None:
        followers = followers.filter(show_reblogs=True)
    names = [groups.home(author)]
    names += [groups.home(pk) for pk in followers.values_list("account_id", flat=True)]
    if (row["visibility"] == Visibility.PUBLIC and row["reblog_of_id"] is None
            and row["account__silenced_at"] is None and not row["collapsed"]):
        names.append(groups.PUBLIC)
        names += [g for g in (groups.hashtag(t) for t in row["tag_data"] or []) if g]
    return list(dict.fromkeys(names))


def publish(group_names: list[str], event: str, **ids) -> None:
    """Send `event` with `ids` to each group (one message per group, which names its group)."""
    if not group_names:
        return
    layer = get_channel_layer()
    if layer is None:
        return

    async def send_all():
        await asyncio.gather(*(
            layer.group_send(name, {"type": MESSAGE_TYPE, "event": event, "group": name, **ids})
            for name in group_names))

    async_to_sync(send_all)()


def on_status_created(sender, status_id: int, **kwargs) -> None:
    publish(status_audience(status_id), "update", status_id=status_id)


def on_status_edited(sender, status_id: int, **kwargs) -> None:
    publish(status_audience(status_id), "status.update", status_id=status_id)


def on_status_deleted(sender, status_id: int, account_id: int | None = None, **kwargs) -> None:
    # The row is kept (a soft delete), so the audience is read as for a living status.
    publish(status_audience(status_id), "delete", status_id=status_id)


def on_notification_created(sender, notification_id: int, account_id: int, **kwargs) -> None:
    publish([groups.notifications(account_id)], "notification",
            notification_id=notification_id, account_id=account_id)


def on_conversation_updated(sender, conversation_id: int, account_id: int, **kwargs) -> None:
    publish([groups.direct(account_id)], "conversation",
            conversation_id=conversation_id, account_id=account_id)


def on_filters_changed(sender, account_id: int, **kwargs) -> None:
    publish([groups.home(account_id)], "filters_changed", account_id=account_id)


RECEIVERS = [
    (events.status_created, on_status_created),
    (events.status_edited, on_status_edited),
    (events.status_deleted, on_status_deleted),
    (events.notification_created, on_notification_created),
    (events.conversation_updated, on_conversation_updated),
    (events.filters_changed, on_filters_changed),
]


def connect() -> None:
    for signal, receiver in RECEIVERS:
        signal.connect(receiver, dispatch_uid=f"streaming.{receiver.__name__}")

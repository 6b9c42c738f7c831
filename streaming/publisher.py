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
import json
import logging

from asgiref.sync import async_to_sync
from channels import DEFAULT_CHANNEL_LAYER
from channels.layers import InMemoryChannelLayer, get_channel_layer
from channels_redis.pubsub import RedisPubSubChannelLayer
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete
from oauth2_provider.models import get_access_token_model

from accounts.models import Visibility
from config import events, querycache
from statuses.models import Status
from statuses.selectors.tags import tag_follower_ids
from streaming import groups

logger = logging.getLogger("duostatus.streaming")

# The type of every message: StreamingConsumer.stream_event, and the event-stream loop, read it.
MESSAGE_TYPE = "stream.event"


def _audience(*, viewer, status_id):
    return Status.objects.filter(pk=status_id).values_list(
        "account_id", "visibility", "reblog_of_id", "tag_data", "collapsed",
        "account__silenced_at", "account__follower_rels__account_id",
        "account__follower_rels__accepted", "account__follower_rels__show_reblogs")


def status_audience(status_id: int) -> list[str]:
    """The groups of a status's event (one statement: the status, its author and the author's
    followers, joined): its author's home, the homes of its accepted followers (for a reblog,
    those who want reblogs), and for a public status of an account that is not silenced
    (reblogs excepted, as Mastodon broadcasts no reblog) the public stream, the streams of its
    hashtags and the homes of those who follow them."""
    # Compiled once (config/querycache.py): building the joined queryset cost more than running
    # it, in the request of every post (5 ms of a post's 20, profiled).
    rows = querycache.fetch("streaming.audience", _audience, viewer=None, status_id=status_id)
    if not rows:
        return []
    author, visibility, reblog_of_id, tag_data, collapsed, silenced_at = rows[0][:6]
    if isinstance(tag_data, str):  # the raw column: JSON text
        tag_data = json.loads(tag_data)
    names = [groups.home(author)]
    names += [groups.home(follower) for *_, follower, accepted, reblogs in rows
              if follower is not None and accepted and (reblog_of_id is None or reblogs)]
    if (visibility == Visibility.PUBLIC and reblog_of_id is None and silenced_at is None
            and not collapsed):
        names.append(groups.PUBLIC)
        names += [g for g in (groups.hashtag(t) for t in tag_data or []) if g]
        # The homes of its hashtags' followers (one more statement, for a tagged status only),
        # as Mastodon's fan-out delivers to hashtag followers.
        names += [groups.home(pk) for pk in tag_follower_ids(tag_data or [])]
    return list(dict.fromkeys(names))


class _SyncPubSub:
    """Publishes to channels_redis's pub/sub layer from synchronous code (a gunicorn worker, a
    db_worker) with a plain Redis client kept per process. `async_to_sync(group_send)` would
    start an event loop and a Redis connection for every act (25 to 45 ms a post, measured);
    this is one pipelined round trip. It speaks the layer's own wire format: the message
    serialised by the layer, published on `<prefix>__group__<group>` of the shard the layer
    hashes the name to (channels_redis 4.3; the streaming tests go through it)."""

    def __init__(self, config: dict):
        import redis
        from channels_redis.utils import decode_hosts

        self.prefix = config.get("prefix", "asgi")
        # A Redis that does not answer costs the act at most this, then is logged (send_robust).
        self.shards = [redis.Redis.from_url(host["address"], socket_timeout=2,
                                            socket_connect_timeout=2)
                       for host in decode_hosts(config.get("hosts"))]

    @staticmethod
    def usable(config: dict) -> bool:
        from channels_redis.utils import decode_hosts

        hosts = decode_hosts(config.get("hosts"))
        return all(set(host) == {"address"} for host in hosts) and not (
            config.keys() - {"hosts", "prefix"})

    def publish(self, layer, messages: list[tuple[str, dict]]) -> None:
        from channels_redis.utils import _consistent_hash

        pipelines = {}
        for group, message in messages:
            channel = f"{self.prefix}__group__{group}"
            index = _consistent_hash(channel, len(self.shards))
            if index not in pipelines:
                pipelines[index] = self.shards[index].pipeline(transaction=False)
            pipelines[index].publish(channel, layer.serialize(message))
        for pipeline in pipelines.values():
            pipeline.execute()


_sync_publishers: dict[str, _SyncPubSub] = {}


def publish(group_names: list[str], event: str, **ids) -> None:
    """Send `event` with `ids` to each group (one message per group, which names its group)."""
    if not group_names:
        return
    layer = get_channel_layer()
    if layer is None:
        return
    messages = [(name, {"type": MESSAGE_TYPE, "event": event, "group": name, **ids})
                for name in group_names]
    if isinstance(layer, InMemoryChannelLayer) and not any(
            name in layer.groups for name, _ in messages):
        # Nobody in this process listens (an in-memory layer reaches no other process).
        return
    config = settings.CHANNEL_LAYERS.get(DEFAULT_CHANNEL_LAYER, {})
    if isinstance(layer, RedisPubSubChannelLayer) and _SyncPubSub.usable(
            config.get("CONFIG", {})):
        key = repr(config)
        if key not in _sync_publishers:
            _sync_publishers[key] = _SyncPubSub(config.get("CONFIG", {}))
        _sync_publishers[key].publish(layer, messages)
        return

    async def send_all():
        await asyncio.gather(*(layer.group_send(name, message) for name, message in messages))

    async_to_sync(send_all)()


def nobody_listens() -> bool:
    """True when no stream can hear anything published from here: no channel layer, or an
    in-memory one (which reaches no other process) that no connection of this process joined.
    Then an act skips even reading its audience (a gunicorn worker without REDIS_URL, a
    command)."""
    layer = get_channel_layer()
    return layer is None or (isinstance(layer, InMemoryChannelLayer) and not layer.groups)


def on_status_created(sender, status_id: int, **kwargs) -> None:
    if not nobody_listens():
        publish(status_audience(status_id), "update", status_id=status_id)


def on_status_edited(sender, status_id: int, **kwargs) -> None:
    if not nobody_listens():
        publish(status_audience(status_id), "status.update", status_id=status_id)


def on_status_deleted(sender, status_id: int, account_id: int | None = None, **kwargs) -> None:
    # The row is kept (a soft delete), so the audience is read as for a living status.
    if not nobody_listens():
        publish(status_audience(status_id), "delete", status_id=status_id)


def on_notification_created(sender, notification_id: int, account_id: int, **kwargs) -> None:
    publish([groups.notifications(account_id)], "notification",
            notification_id=notification_id, account_id=account_id)


def on_conversation_updated(sender, conversation_id: int, account_id: int, **kwargs) -> None:
    publish([groups.direct(account_id)], "conversation",
            conversation_id=conversation_id, account_id=account_id)


def on_filters_changed(sender, account_id: int, **kwargs) -> None:
    publish([groups.home(account_id)], "filters_changed", account_id=account_id)


def on_token_deleted(sender, instance, **kwargs) -> None:
    """A revoked token (django-oauth-toolkit deletes it; so does a suspension) ends the streams
    opened with it, once the deletion commits, as Mastodon's `kill` does."""
    token_id = instance.pk
    transaction.on_commit(lambda: publish([groups.token(token_id)], "kill"))


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
    post_delete.connect(on_token_deleted, sender=get_access_token_model(),
                        dispatch_uid="streaming.on_token_deleted")

"""The WebSocket at /api/v1/streaming (Mastodon's streaming protocol).

The handshake authenticates (a refusal is an HTTP 401 where the server offers the ASGI
`websocket.http.response` extension, as Mastodon answers it; daphne can only refuse with 403).
`?stream=` subscribes at once; then `{"type": "subscribe"|"unsubscribe", "stream": ..., "tag"
| "list": ...}` messages. Frames are `{"stream": [...], "event": ..., "payload": "<JSON>"}`; a
subscription refused is `{"error": ..., "status": ...}`. The server's own pings keep the
connection alive (daphne's `--ping-interval`, 20 s by default; Mastodon pings every 30 s).
"""

import json
import logging
from collections import defaultdict

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from streaming import groups
from streaming.mastodon import events
from streaming.mastodon.auth import StreamError, raw_token, session_for
from streaming.mastodon.streams import Stream, aresolve
from streaming.sockets import query_of, refuse

logger = logging.getLogger("duostatus.streaming")

UNSUBSCRIBE_ERROR = "Error unsubscribing from channel"


class StreamingConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.subscriptions: dict[str, Stream] = {}
        self.by_group: dict[str, set[str]] = defaultdict(set)
        query = query_of(self.scope)
        headers = dict(self.scope.get("headers", []))
        raw = raw_token(headers, query, self.scope.get("subprotocols"))
        try:
            self.session = await database_sync_to_async(session_for)(raw)
        except StreamError as exc:
            await self._deny(exc)
            return
        # As Mastodon's `ws` server: the first subprotocol offered is echoed, which is how a
        # token sent as the subprotocol (masto.js, browsers) gets the handshake accepted.
        offered = self.scope.get("subprotocols") or []
        await self.accept(subprotocol=offered[0] if offered else None)
        # Revoking the token ends this connection (`kill`).
        await self.channel_layer.group_add(groups.token(self.session.token_id),
                                           self.channel_name)
        if query.get("stream"):
            await self.subscribe(query["stream"], query)

    async def _deny(self, exc: StreamError):
        await refuse(self, exc.status, exc.message)

    async def receive(self, text_data=None, bytes_data=None):
        if text_data is None:
            await self.close(code=1003)
            return
        try:
            message = json.loads(text_data)
        except ValueError:
            return  # Mastodon logs and ignores what it cannot parse
        if not isinstance(message, dict):
            return
        kind = message.pop("type", None)
        stream = message.pop("stream", None)
        if kind == "subscribe":
            await self.subscribe(stream, message)
        elif kind == "unsubscribe":
            await self.unsubscribe(stream, message)

    async def subscribe(self, name, params: dict):
        try:
            stream = await aresolve(self.session, name, params)
        except StreamError as exc:
            await self.send(text_data=json.dumps({"error": exc.message, "status": exc.status}))
            return
        if stream.key in self.subscriptions:
            return
        self.subscriptions[stream.key] = stream
        for group in stream.groups:
            if not self.by_group[group]:
                await self.channel_layer.group_add(group, self.channel_name)
            self.by_group[group].add(stream.key)

    async def unsubscribe(self, name, params: dict):
        try:
            stream = await aresolve(self.session, name, params)
        except StreamError:
            await self.send(text_data=json.dumps({"error": UNSUBSCRIBE_ERROR}))
            return
        if self.subscriptions.pop(stream.key, None) is None:
            return
        for group in stream.groups:
            self.by_group[group].discard(stream.key)
            if not self.by_group[group]:
                del self.by_group[group]
                await self.channel_layer.group_discard(group, self.channel_name)

    async def disconnect(self, code):
        for group in list(getattr(self, "by_group", {})):
            await self.channel_layer.group_discard(group, self.channel_name)
        if hasattr(self, "session"):
            await self.channel_layer.group_discard(groups.token(self.session.token_id),
                                                   self.channel_name)

    async def stream_event(self, message):
        """An event of a group this connection listens on: rendered once for the reader, then
        sent once per subscription of that group that takes it."""
        if message.get("event") == "kill":
            await self.close()
            return
        keys = [k for k in self.by_group.get(message.get("group"), ()) if k in self.subscriptions]
        if not keys:
            return
        shown = await database_sync_to_async(events.render)(self.session.viewer, message)
        if shown is None:
            return
        for key in keys:
            stream = self.subscriptions[key]
            if stream.only_media and not shown.has_media:
                continue
            await self.send(text_data=frame(stream, shown))


def frame(stream: Stream, shown: events.Shown) -> str:
    body = {"stream": list(stream.name), "event": shown.event}
    if shown.payload is not None:
        body["payload"] = shown.payload
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))

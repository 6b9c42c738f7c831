"""The server-sent-events endpoints under /api/v1/streaming/ and its health check, as plain ASGI
applications (a response that lasts as long as the client stays).

As Mastodon's streaming server: CORS for any origin, the token checked first (401
`{"error": ...}`), then the path (400 "Unknown channel requested") and the stream's parameters;
then `text/event-stream` with `:)` at once, `:thump` every 15 seconds, and each event as
`event: <name>` / `data: <payload>` and a blank line (`data: undefined` for filters_changed)."""

import asyncio
import json
import uuid

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings

from streaming import groups
from streaming.mastodon import events
from streaming.mastodon.auth import StreamError, raw_token, session_for
from streaming.mastodon.streams import aresolve, name_from_path
from streaming.sockets import query_of

CORS = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-allow-headers", b"Authorization, Accept, Cache-Control"),
    (b"access-control-allow-methods", b"GET, OPTIONS"),
]


def _headers(content_type: bytes, *extra) -> list[tuple[bytes, bytes]]:
    return [(b"content-type", content_type), *CORS,
            (b"x-request-id", str(uuid.uuid4()).encode()), *extra]


async def _answer(send, status: int, body: bytes, content_type: bytes, *extra) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": _headers(content_type, *extra)})
    await send({"type": "http.response.body", "body": body})


async def _error(send, exc: StreamError) -> None:
    await _answer(send, exc.status, json.dumps({"error": exc.message}).encode(),
                  b"application/json")


async def health(scope, receive, send) -> None:
    """GET /api/v1/streaming/health: "OK" whenever this process serves (Mastodon's answer)."""
    await _answer(send, 200, b"OK", b"text/plain", (b"cache-control", b"private, no-store"))


async def event_stream(scope, receive, send) -> None:
    if scope["method"] == "OPTIONS":
        await _answer(send, 200, b"", b"text/plain")
        return
    query = query_of(scope)
    raw = raw_token(dict(scope.get("headers", [])), query)
    try:
        session = await database_sync_to_async(session_for)(raw)
        name = name_from_path(scope["path"], query)
        if name is None:
            raise StreamError(400, "Unknown channel requested")
        stream = await aresolve(session, name, query)
    except StreamError as exc:
        await _error(send, exc)
        return

    layer = get_channel_layer()
    channel = await layer.new_channel()
    listened = (*stream.groups, groups.token(session.token_id))  # the token's: `kill`
    for group in listened:
        await layer.group_add(group, channel)
    await send({"type": "http.response.start", "status": 200, "headers": _headers(
        b"text/event-stream", (b"cache-control", b"private, no-store"))})
    await send({"type": "http.response.body", "body": b":)\n", "more_body": True})

    async def disconnected():
        while (await receive())["type"] != "http.disconnect":
            pass

    gone = asyncio.ensure_future(disconnected())
    incoming = None
    killed = False
    try:
        while True:
            if incoming is None:
                incoming = asyncio.ensure_future(layer.receive(channel))
            done, _ = await asyncio.wait({gone, incoming}, timeout=settings.STREAMING_HEARTBEAT,
                                         return_when=asyncio.FIRST_COMPLETED)
            if gone in done:
                break
            if incoming not in done:
                await send({"type": "http.response.body", "body": b":thump\n",
                            "more_body": True})
                continue
            message, incoming = incoming.result(), None
            if message.get("event") == "kill":
                killed = True
                break
            shown = await database_sync_to_async(events.render)(session.viewer, message)
            if shown is None or (stream.only_media and not shown.has_media):
                continue
            data = shown.payload if shown.payload is not None else "undefined"
            await send({"type": "http.response.body", "more_body": True,
                        "body": f"event: {shown.event}\ndata: {data}\n\n".encode()})
    finally:
        for task in (gone, incoming):
            if task is not None:
                task.cancel()
        for group in listened:
            await layer.group_discard(group, channel)
    if killed:  # the token was revoked: the response ends (`res.end()`)
        await send({"type": "http.response.body", "body": b"", "more_body": False})

"""What every WebSocket of the streaming process does alike, whichever face serves it: read the
query string, and refuse a handshake with an HTTP status."""

from urllib.parse import parse_qsl

from channels.exceptions import StopConsumer


def query_of(scope) -> dict[str, str]:
    """The query string, the first value of each key (a bare `?subscribe-user` is a key with
    an empty value)."""
    query: dict[str, str] = {}
    for key, value in parse_qsl(scope.get("query_string", b"").decode("latin-1"),
                                keep_blank_values=True):
        query.setdefault(key, value)
    return query


async def refuse(consumer, status: int, message: str):
    """End a handshake: an HTTP `status` (with the reason in `X-Error-Message`) where the
    server offers the ASGI `websocket.http.response` extension, as Mastodon answers; a plain
    close (daphne's 403) elsewhere."""
    if "websocket.http.response" in consumer.scope.get("extensions", {}):
        await consumer.base_send({
            "type": "websocket.http.response.start", "status": status,
            "headers": [(b"content-type", b"text/plain"), (b"connection", b"close"),
                        (b"x-error-message", message.encode())],
        })
        await consumer.base_send({"type": "websocket.http.response.body", "body": b""})
    else:
        await consumer.close()
    raise StopConsumer()

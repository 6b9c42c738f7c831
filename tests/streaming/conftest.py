"""The streaming tests run the real consumers (config.asgi's application, through Channels'
communicators) over the real Redis channel layer: database 4 of the local Redis, under a prefix
of this run's own (Redis pub/sub channels are shared by every database, so the prefix is what
keeps other runs' events out). Where Redis does not answer, Channels' in-memory layer stands in
and the tests say so in their output."""

import asyncio
import secrets

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

STREAMING_REDIS = "redis://127.0.0.1:6379/4"


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(STREAMING_REDIS, socket_timeout=1).ping())
    except redis.RedisError:
        return False


REDIS_UP = _redis_answers()


@pytest.fixture(autouse=True)
def channel_layer(settings):
    if REDIS_UP:
        settings.CHANNEL_LAYERS = {"default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [STREAMING_REDIS],
                       "prefix": "duo-test-" + secrets.token_hex(4)},
        }}
    else:
        print("streaming tests: Redis is not answering; Channels' in-memory layer stands in")
        settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    settings.STREAMING_HEARTBEAT = 0.3
    yield settings.CHANNEL_LAYERS


def run(scenario):
    """Run an async scenario from a synchronous test (one event loop for it)."""
    return async_to_sync(scenario)()


in_db = database_sync_to_async


async def settle(seconds: float = 0.3):
    """Let subscriptions reach the channel layer (Redis SUBSCRIBE) before acting."""
    await asyncio.sleep(seconds)


def application():
    from config.asgi import application

    return application


async def open_socket(token=None, *, query: str = "", how: str = "header",
                      path: str = "/api/v1/streaming"):
    """A connected WebsocketCommunicator (or the refused one: check `.connected`). `how` puts
    the token in the Authorization header, the `access_token` query or the subprotocol."""
    headers, subprotocols = [], None
    if token is not None and how == "header":
        headers.append((b"authorization", f"Bearer {token}".encode()))
    elif token is not None and how == "query":
        query = f"{query}&access_token={token}" if query else f"access_token={token}"
    elif token is not None and how == "protocol":
        subprotocols = [token]
    url = f"{path}?{query}" if query else path
    socket = WebsocketCommunicator(application(), url, headers=headers,
                                   subprotocols=subprotocols)
    socket.connected, socket.answer = await socket.connect(timeout=5)
    return socket

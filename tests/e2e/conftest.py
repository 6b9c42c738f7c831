"""Fixtures of the browser tests of real web clients (Phanpy, SelfCommunity's React UI): the
server under test over TLS with its streaming server, a certificate, and Debian's chromium.

The server is gunicorn with a self-signed certificate on PostgreSQL (DATABASE_URL), or this
process's own WSGI server over TLS on SQLite's in-memory test database. The streaming server
(daphne on config.asgi: Mastodon's streaming API and every other WebSocket route) is served
over TLS with the same certificate on a port of its own, the instance's `urls.streaming`
(STREAMING_URL): daphne in a subprocess on PostgreSQL, this process's daphne on SQLite (which no
other process can open). Both read the channel layer of the API server: Redis pub/sub under a
prefix of the test's own (None where Redis does not answer)."""

from __future__ import annotations

import secrets
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from django.db import connection

from tests.config.live import BASE_DIR, database_url, free_port, redis_up, server_env
from tests.e2e.browsing import STREAMING_REDIS
from tests.e2e.tls import (
    ONE_AT_A_TIME,
    daphne_tls,
    django_tls,
    gunicorn_tls,
    self_signed_certificate,
    server_context,
)
from tests.pages.browser import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture
def certificate(tmp_path):
    return self_signed_certificate(tmp_path)


@pytest.fixture
def channel_layer(settings):
    """The channel layer the API server publishes on and the streaming server listens to: Redis
    pub/sub under a prefix of this test's own (also this process's, which posts the world's
    statuses and, on SQLite, serves both); None where Redis does not answer, and then nothing
    the API server does reaches a stream."""
    if not redis_up():
        return None
    config = {"hosts": [STREAMING_REDIS], "prefix": f"duo-e2e-{secrets.token_hex(4)}"}
    settings.CHANNEL_LAYERS = {"default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer", "CONFIG": config}}
    return config


@pytest.fixture
def streaming(channel_layer):
    """Where the instance serves its streaming server: its `urls.streaming`
    (wss://127.0.0.1:<port>), which the `instance` fixture starts."""
    return f"wss://127.0.0.1:{free_port()}"


@pytest.fixture
def instance(settings, certificate, tmp_path, channel_layer, streaming, monkeypatch):
    """The server under test over TLS, its streaming server too (`streaming`); yields its
    origin (https://127.0.0.1:<port>)."""
    port = free_port()
    streaming_port = urlsplit(streaming).port
    media = tmp_path / "media"
    media.mkdir()
    if connection.vendor == "postgresql":
        layer = {} if channel_layer is None else {
            "STREAMING_REDIS_URL": STREAMING_REDIS,
            "STREAMING_REDIS_PREFIX": channel_layer["prefix"]}
        env = server_env(DATABASE_URL=database_url(connection.settings_dict),
                         INSTANCE_DOMAIN=f"127.0.0.1:{port}", INSTANCE_SCHEME="https",
                         MEDIA_ROOT=str(media), SERVE_MEDIA="1", STREAMING_URL=streaming,
                         STATIC_ROOT=str(tmp_path / "static"), **layer)
        # WhiteNoise serves only collected files (a client shows the reactions' pictures from
        # /static/): links into a directory of the test's own.
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "--link",
                        "-v", "0"], cwd=BASE_DIR, env=env, check=True)
        with open(tmp_path / "gunicorn.log", "w") as log, \
                open(tmp_path / "daphne.log", "w") as streaming_log, \
                daphne_tls(env, streaming_port, *certificate, streaming_log), \
                gunicorn_tls(env, port, *certificate, log) as origin:
            yield origin
        return
    from channels.db import database_sync_to_async

    from streaming.mastodon import consumers
    from streaming.selfcommunity import consumers as sc_consumers
    from tests.streaming.live import streaming_server_tls

    settings.INSTANCE_DOMAIN = f"127.0.0.1:{port}"
    settings.INSTANCE_SCHEME = "https"
    settings.MEDIA_ROOT = str(media)
    settings.SERVE_MEDIA = True
    settings.STREAMING_URL = streaming

    # This process's daphne shares the test's SQLite connection, as the WSGI server does: its
    # consumers' (Mastodon's stream, SelfCommunity's /ws/notify) database work takes the same lock, so that it never lands inside a request's
    # transaction.
    def one_at_a_time(function):
        def locked(*args, **kwargs):
            with ONE_AT_A_TIME:
                return function(*args, **kwargs)

        return database_sync_to_async(locked)

    monkeypatch.setattr(consumers, "database_sync_to_async", one_at_a_time)
    monkeypatch.setattr(sc_consumers, "database_sync_to_async", one_at_a_time)
    with streaming_server_tls(*certificate, port=streaming_port), \
            django_tls(port, server_context(*certificate)) as origin:
        yield origin


@pytest.fixture
def chromium_args() -> list[str]:
    """Flags a test module adds to chromium's (override the fixture)."""
    return []


@pytest.fixture
def browser(monkeypatch, chromium_args):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[*CHROMIUM_ARGS, "--ignore-certificate-errors", *chromium_args])
        yield chromium
        chromium.close()

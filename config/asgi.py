"""ASGI entry point: the streaming process (daphne, `make serve`'s streaming server, and
`manage.py runserver` in development, which serves everything on one port).

Mastodon's streaming API (the WebSocket at /api/v1/streaming, the event streams under it and
its health check) is served by streaming.mastodon's consumers, SelfCommunity's notification
socket (/ws/notify, react-core's) by streaming.selfcommunity's; every other HTTP request goes to
Django, as under gunicorn. A WebSocket anywhere else is refused."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import re_path  # noqa: E402

from streaming.mastodon.routing import http_urlpatterns, websocket_urlpatterns  # noqa: E402
from streaming.selfcommunity.routing import (  # noqa: E402
    websocket_urlpatterns as selfcommunity_websocket_urlpatterns,
)


async def refuse_websocket(scope, receive, send):
    """A WebSocket at any other path: closed before the handshake completes (a 403)."""
    await receive()  # websocket.connect
    await send({"type": "websocket.close"})


application = ProtocolTypeRouter({
    "http": URLRouter([*http_urlpatterns, re_path(r"", django_application)]),
    "websocket": URLRouter([*websocket_urlpatterns, *selfcommunity_websocket_urlpatterns,
                            re_path(r"", refuse_websocket)]),
})

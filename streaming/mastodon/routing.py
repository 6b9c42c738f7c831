"""The streaming routes of the ASGI application (config/asgi.py): the WebSocket, the event
streams and the health check. Everything else goes to Django."""

from django.urls import path, re_path

from streaming.mastodon import sse
from streaming.mastodon.consumers import StreamingConsumer

websocket_urlpatterns = [
    path("api/v1/streaming", StreamingConsumer.as_asgi()),
    path("api/v1/streaming/", StreamingConsumer.as_asgi()),
]

http_urlpatterns = [
    path("api/v1/streaming/health", sse.health),
    re_path(r"^api/v1/streaming/.+$", sse.event_stream),
]

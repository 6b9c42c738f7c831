"""The streaming route of SelfCommunity's face (config/asgi.py): react-core's notification socket
(`ws/notify`, under its default `prefixPath` `ws`)."""

from django.urls import path

from streaming.selfcommunity.consumers import NotifyConsumer

websocket_urlpatterns = [
    path("ws/notify", NotifyConsumer.as_asgi()),
    path("ws/notify/", NotifyConsumer.as_asgi()),
]

"""Where clients are told to stream from, and /health's check of the channel layer."""

import pytest


@pytest.mark.django_db
def test_the_instance_advertises_streaming_url(anon, settings):
    settings.STREAMING_URL = "wss://streaming.social.example"
    v1 = anon.get("/api/v1/instance").json()
    v2 = anon.get("/api/v2/instance").json()
    assert v1["urls"]["streaming_api"] == "wss://streaming.social.example"
    assert v2["configuration"]["urls"]["streaming"] == "wss://streaming.social.example"


@pytest.mark.django_db
def test_by_default_the_stream_is_the_apis_own_origin(anon, settings):
    settings.STREAMING_URL = ""
    assert anon.get("/api/v2/instance").json()["configuration"]["urls"]["streaming"] == (
        "wss://social.example")


@pytest.mark.django_db
def test_health_is_503_naming_the_channel_layer_when_its_redis_is_down(client, settings):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.HEALTH_TIMEOUT = 1
    settings.CHANNEL_LAYERS = {"default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": [f"redis://127.0.0.1:{port}/4"]},
    }}
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {
        "database": "ok", "cache": "ok", "channel_layer": "unavailable"}}
    assert response["Retry-After"]

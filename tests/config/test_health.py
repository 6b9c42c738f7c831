"""GET /health: 200 when the database and the cache answer, 503 naming what failed; a cache
(Redis) that does not answer makes the API's throttles a 503 in the dialect's envelope too."""

import pytest
from django.test import override_settings

from tests.config.live import free_port

OK = {"status": "ok", "checks": {"database": "ok", "cache": "ok", "channel_layer": "ok"}}


@pytest.fixture
def dead_redis():
    """The cache is a Redis at a port where nothing listens (a real client, really refused)."""
    location = f"redis://127.0.0.1:{free_port()}/0"
    caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": location,
                          "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    with override_settings(CACHES=caches):
        yield


@pytest.mark.django_db
def test_health_is_200_when_database_and_cache_answer(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == OK
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert "Retry-After" not in response


@pytest.mark.django_db
def test_health_answers_head_and_refuses_post(client):
    assert client.head("/health").status_code == 200
    assert client.post("/health").status_code == 405


@pytest.mark.django_db
def test_health_is_503_naming_the_cache_when_redis_is_down(client, dead_redis, settings):
    settings.OUTAGE_RETRY_AFTER = 3
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable",
                               "checks": {"database": "ok", "cache": "unavailable",
                                          "channel_layer": "ok"}}
    assert response["Retry-After"] == "3"


@pytest.mark.django_db
def test_throttles_without_redis_are_a_mastodon_503(mastodon, dead_redis, settings):
    settings.RATE_LIMITS_ENABLED = True
    response = mastodon.get("/api/v1/timelines/public")
    assert response.status_code == 503
    assert response.json() == {"error": "Service Unavailable"}
    assert response["Retry-After"] == "10"


def _redis_url() -> str | None:
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        return None
    return url


@pytest.mark.django_db
def test_health_round_trips_through_a_live_redis(client):
    url = _redis_url()
    if url is None:
        pytest.skip("no Redis at 127.0.0.1:6379")
    caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": url}}
    with override_settings(CACHES=caches):
        response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == OK
    import redis

    # The probe key is deleted again: a load balancer's checks leave nothing behind.
    assert redis.Redis.from_url(url).keys("*health:*") == []


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    """JIT compiled every list count (its cost estimate is huge), 670 ms of 950 at 100,000
    statuses: the connections switch it off."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.django_db
def test_postgresql_prepared_statements_keep_a_generic_plan(mastodon, make_token, alice):
    """PostgreSQL's `auto` plan cache re-planned every timeline page (30 ms of planning for
    1.6 ms of execution): the connections force generic plans, and a page read repeatedly
    is planned once."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"
    client = mastodon.as_token(make_token(alice))
    for _ in range(8):
        assert client.get("/api/v1/timelines/public?limit=20").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                       "WHERE statement LIKE '%%statuses_status%%' ORDER BY generic_plans DESC")
        rows = cursor.fetchall()
    if not rows:
        pytest.skip("prepared statements are off (DB_PREPARED_STATEMENTS=0)")
    assert rows[0][0] >= 3 and all(custom == 0 for _, custom in rows)

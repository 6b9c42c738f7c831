"""Mastodon's posting limiter and per-request throttles (behaviour spec 4.1, 4.2, items 148-150)."""

import re
import time
from datetime import UTC, datetime

import pytest

from statuses import services
from statuses.models import Status
from tests.config.live import redis_up

RESET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


def limits(settings, **changes):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, **changes}


def reset_of(response) -> datetime:
    value = response["X-RateLimit-Reset"]
    assert RESET.match(value), value
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def test_throttle_headers_win_when_lower(alice_client, settings):
    limits(settings, per_token_api=(50, 300))
    response = alice_client.post("/api/v1/statuses", {"status": "one"})
    assert response["X-RateLimit-Limit"] == "50"
    assert response["X-RateLimit-Remaining"] == "49"


def test_post_reports_the_posting_limiter(alice_client):
    response = alice_client.post("/api/v1/statuses", {"status": "one"})
    assert response.status_code == 200
    assert response["X-RateLimit-Limit"] == "300"
    assert response["X-RateLimit-Remaining"] == "299"
    reset = reset_of(response)
    # Fixed 3-hour windows starting at 00:00, 03:00, ... UTC.
    assert reset.hour % 3 == 0 and reset.minute == 0 and reset.second == 0
    assert 0 < reset.timestamp() - time.time() <= 3 * 3600
    assert alice_client.post("/api/v1/statuses", {"status": "two"})["X-RateLimit-Remaining"] == "298"


def test_301st_post_is_429(alice_client, settings, alice):
    limits(settings, statuses=(3, 10800))
    for i in range(3):
        assert alice_client.post("/api/v1/statuses", {"status": str(i)}).status_code == 200
    response = alice_client.post("/api/v1/statuses", {"status": "too many"})
    assert response.status_code == 429
    assert response.json() == {"error": "Too many requests"}
    assert response["X-RateLimit-Remaining"] == "0"
    assert response["X-RateLimit-Limit"] == "3"
    assert Status.objects.filter(account=alice).count() == 3


def loose_throttles(settings):
    """Per-request throttles high enough that the posting limiter's headers show through (the
    rule: they replace the throttle's unless the throttle has fewer remaining)."""
    limits(settings, per_token_api=(10000, 300), authenticated_api=(10000, 300))


def test_failed_post_keeps_its_count_and_still_reports(alice_client, settings):
    loose_throttles(settings)
    response = alice_client.post("/api/v1/statuses", {"status": ""})
    assert response.status_code == 422
    assert response["X-RateLimit-Remaining"] == "300"
    ok = alice_client.post("/api/v1/statuses", {"status": "fine"})
    assert ok["X-RateLimit-Remaining"] == "299"


def test_idempotent_replay_is_not_counted(alice_client, settings):
    loose_throttles(settings)
    alice_client.post("/api/v1/statuses", {"status": "x"}, HTTP_IDEMPOTENCY_KEY="k")
    again = alice_client.post("/api/v1/statuses", {"status": "x"}, HTTP_IDEMPOTENCY_KEY="k")
    assert again["X-RateLimit-Remaining"] == "299"


def test_reblog_reports_but_does_not_record(bob_client, alice, settings):
    loose_throttles(settings)
    status = services.status_create(account=alice, text="x")
    response = bob_client.post(f"/api/v1/statuses/{status.pk}/reblog")
    assert response.status_code == 200
    assert response["X-RateLimit-Limit"] == "300"
    assert response["X-RateLimit-Remaining"] == "300"


def test_api_request_reports_per_token_throttle(alice_client, alice):
    status = services.status_create(account=alice, text="x")
    response = alice_client.get(f"/api/v1/statuses/{status.pk}")
    assert response["X-RateLimit-Limit"] == "300"
    assert response["X-RateLimit-Remaining"] == "299"
    reset = reset_of(response)
    assert reset.minute % 5 == 0 and reset.second == 0


def test_per_token_throttle_exceeded_is_429(alice_client, alice, settings):
    limits(settings, per_token_api=(2, 300))
    status = services.status_create(account=alice, text="x")
    assert alice_client.get(f"/api/v1/statuses/{status.pk}").status_code == 200
    assert alice_client.get(f"/api/v1/statuses/{status.pk}").status_code == 200
    response = alice_client.get(f"/api/v1/statuses/{status.pk}")
    assert response.status_code == 429
    assert response.json() == {"error": "Too many requests"}
    assert response["Content-Type"].startswith("application/json")
    assert response["X-RateLimit-Limit"] == "2"
    assert response["X-RateLimit-Remaining"] == "0"
    reset_of(response)


def test_unauthenticated_throttle_is_per_ip(anon, alice, settings):
    limits(settings, unauthenticated_api=(1, 300))
    status = services.status_create(account=alice, text="x")
    assert anon.get(f"/api/v1/statuses/{status.pk}").status_code == 200
    assert anon.get(f"/api/v1/statuses/{status.pk}").status_code == 429
    other = anon.get(f"/api/v1/statuses/{status.pk}", REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200


def test_ipv6_callers_share_their_64(anon, alice, settings):
    limits(settings, unauthenticated_api=(1, 300))
    status = services.status_create(account=alice, text="x")
    assert anon.get(f"/api/v1/statuses/{status.pk}", REMOTE_ADDR="2001:db8:1:2::1").status_code == 200
    assert anon.get(f"/api/v1/statuses/{status.pk}",
                    REMOTE_ADDR="2001:db8:1:2:ffff::9").status_code == 429


def test_delete_throttle_reports_30(alice_client, alice):
    status = services.status_create(account=alice, text="x")
    response = alice_client.delete(f"/api/v1/statuses/{status.pk}")
    assert response.status_code == 200
    assert response["X-RateLimit-Limit"] == "30"
    assert response["X-RateLimit-Remaining"] == "29"


def test_delete_throttle_exceeded(alice_client, alice, settings):
    limits(settings, api_delete=(1, 1800))
    first = services.status_create(account=alice, text="a")
    second = services.status_create(account=alice, text="b")
    assert alice_client.delete(f"/api/v1/statuses/{first.pk}").status_code == 200
    response = alice_client.delete(f"/api/v1/statuses/{second.pk}")
    assert response.status_code == 429
    assert Status.objects.get(pk=second.pk).deleted_at is None


def test_paging_throttle(anon, settings):
    limits(settings, unauthenticated_paging=(1, 900))
    assert anon.get("/api/v1/timelines/public", {"max_id": "5"}).status_code == 200
    assert anon.get("/api/v1/timelines/public", {"max_id": "5"}).status_code == 429
    assert anon.get("/api/v1/timelines/public").status_code == 200


def test_refused_requests_count_too(mastodon, make_token, alice, settings):
    limits(settings, per_token_api=(1, 300))
    client = mastodon.as_token(make_token(alice, "read"))
    assert client.post("/api/v1/statuses", {"status": "x"}).status_code == 403
    assert client.post("/api/v1/statuses", {"status": "x"}).status_code == 429


@pytest.mark.parametrize("enabled", [False])
def test_limits_can_be_switched_off(alice_client, settings, enabled):
    settings.RATE_LIMITS_ENABLED = enabled
    limits(settings, statuses=(1, 10800))
    for i in range(3):
        response = alice_client.post("/api/v1/statuses", {"status": str(i)})
        assert response.status_code == 200
        assert "X-RateLimit-Limit" not in response


@pytest.mark.skipif(not redis_up(), reason="needs Redis on 127.0.0.1:6379 (CI starts it)")
def test_throttle_counts_are_shared_across_processes_through_redis(
    alice_client, alice, settings, make_token
):
    """Another process (a second app server) counts into the same Redis window, and this
    process's next request sees those counts."""
    import os
    import subprocess
    import sys

    from django.core.cache import caches
    from oauth2_provider.models import AccessToken

    left_in_window = 300 - time.time() % 300
    if left_in_window < 15:  # stay inside one 5-minute window for the whole test
        time.sleep(left_in_window + 0.1)
    redis_url = "redis://127.0.0.1:6379/15"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": redis_url}}
    caches["default"].clear()
    limits(settings, per_token_api=(3, 300))
    status = services.status_create(account=alice, text="x")
    assert alice_client.get(f"/api/v1/statuses/{status.pk}").status_code == 200
    token_id = AccessToken.objects.get(user=alice).pk
    other_process = (
        "import django; django.setup();"
        "from config import ratelimit;"
        f"[ratelimit.hit(ratelimit.rule('per_token_api'), 't{token_id}') for _ in range(2)]"
    )
    env = {**os.environ, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    subprocess.run([sys.executable, "-c", other_process], check=True, env=env, timeout=60,
                   cwd=str(settings.BASE_DIR))
    response = alice_client.get(f"/api/v1/statuses/{status.pk}")
    assert response.status_code == 429
    assert response.json() == {"error": "Too many requests"}
    caches["default"].clear()

"""GET /health: whether this process can reach the database and the cache, for load balancers."""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from config import db_backend, outage

logger = logging.getLogger("duostatus.health")


def _database() -> None:
    # Within HEALTH_TIMEOUT, connecting included: a load balancer's check has its own timeout,
    # and a frozen database must be reported, not waited for.
    with db_backend.deadline(settings.HEALTH_TIMEOUT), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    # A round trip through the shared cache (Redis when REDIS_URL is set), not only a read.
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not return what was stored")
    cache.delete(key)


def _channel_layer() -> None:
    # A message through the streams' channel layer (Redis pub/sub in production) and back, within
    # HEALTH_TIMEOUT: what the services announce reaches the streaming processes this way.
    import asyncio

    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer is configured")

    async def round_trip():
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "health.check"})
        message = await layer.receive(channel)
        if message.get("type") != "health.check":
            raise RuntimeError("the channel layer did not return what was sent")

    async def within_deadline():
        await asyncio.wait_for(round_trip(), settings.HEALTH_TIMEOUT)

    async_to_sync(within_deadline)()


CHECKS = {"database": _database, "cache": _cache, "channel_layer": _channel_layer}


@csrf_exempt
def health(request):
    """200 `{"status": "ok", "checks": {"database": "ok", "cache": "ok", "channel_layer": "ok"}}`,
    or 503 with
    `"status": "unavailable"` and each failed check as "unavailable". The reason (which can name
    hosts) goes to the log only. Any other method than GET or HEAD is a JSON 405 (exempt from
    CSRF, whose refusal would be an HTML 403)."""
    if request.method not in ("GET", "HEAD"):
        response = JsonResponse({"error": "Method Not Allowed"}, status=405)
        response["Content-Type"] = "application/json; charset=utf-8"
        response["Allow"] = "GET, HEAD"
        return response
    checks = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # any failure of a dependency is what this endpoint reports
            logger.error("health: %s unavailable: %s: %s", name, type(exc).__name__, exc)
            checks[name] = "unavailable"
        else:
            checks[name] = "ok"
    healthy = all(value == "ok" for value in checks.values())
    response = JsonResponse({"status": "ok" if healthy else "unavailable", "checks": checks},
                            status=200 if healthy else 503)
    response["Content-Type"] = "application/json; charset=utf-8"
    response["Cache-Control"] = "no-store"
    if not healthy:
        response["Retry-After"] = outage.retry_after()
    return response

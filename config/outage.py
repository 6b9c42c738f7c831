"""A database or cache outage answers 503 with Retry-After in the caller's dialect, never a 500.

What counts as an outage: Django's `OperationalError` and `InterfaceError` (the database refused
or dropped the connection, a statement was cancelled, a deadlock or serialization failure: all
worth retrying) and Redis's connection and timeout errors (the cache holds the throttles). Three
places turn them into the same answer: each dialect's DRF exception handler (everything a viewset
does, the token lookup included), `OutageMiddleware.process_exception` (views outside DRF: OAuth,
pages, admin) and `handler500` (anything raised in a middleware, where process_exception does not
reach).
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse

from config import envelopes

logger = logging.getLogger("duostatus.outage")

MASTODON_MESSAGE = "Service Unavailable"
SELFCOMMUNITY_CODE = "service_unavailable"
SELFCOMMUNITY_MESSAGE = "Service temporarily unavailable, try again later."


def _outage_errors() -> tuple[type[BaseException], ...]:
    found: list[type[BaseException]] = [OperationalError, InterfaceError]
    try:
        from redis import exceptions as redis_errors
    except ImportError:  # pragma: no cover - redis is a dependency, but only used with REDIS_URL
        return tuple(found)
    # redis-py's TimeoutError and ConnectionError (BusyLoadingError is one too).
    return (*found, redis_errors.ConnectionError, redis_errors.TimeoutError)


OUTAGE_ERRORS = _outage_errors()


def is_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, OUTAGE_ERRORS)


def retry_after() -> str:
    return str(getattr(settings, "OUTAGE_RETRY_AFTER", 10))


def log_outage(request, exc: BaseException) -> None:
    # One line per refused request, not a traceback: an outage refuses every request at once.
    logger.error("%s %s: 503, %s: %s", request.method, request.path, type(exc).__name__,
                 str(exc).strip().splitlines()[0] if str(exc).strip() else "")


def outage_response(request) -> HttpResponse:
    """The 503: JSON in the dialect's envelope under /api/ and /oauth/, a short page elsewhere."""
    if envelopes.is_api(request):
        response = envelopes.json_error(503, MASTODON_MESSAGE, request)
    else:
        response = HttpResponse(
            "<!doctype html><title>Service unavailable</title><h1>Service unavailable</h1>"
            "<p>Please try again in a moment.</p>",
            status=503, content_type="text/html; charset=utf-8")
        response["Cache-Control"] = "no-store"
    response["Retry-After"] = retry_after()
    return response


class OutageMiddleware:
    """Answers a view's outage error with the 503 (DRF views answer it themselves, through their
    exception handlers; this catches the rest)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_outage(exception):
            return None
        log_outage(request, exception)
        return outage_response(request)

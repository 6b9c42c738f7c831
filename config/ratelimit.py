"""Fixed-window rate limits kept in Django's cache (Redis in production, so every process and
machine shares the counts; the local-memory default only limits within one process).

Mastodon's two mechanisms (behaviour spec section 4): per-request throttles (rack-attack) and the
per-account posting limiter. Both count in fixed windows that start at multiples of the period
since the epoch, and report X-RateLimit-Limit/Remaining/Reset.
"""

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache

from config import errors


@dataclass(frozen=True)
class Rule:
    name: str
    limit: int
    period: int  # seconds


@dataclass(frozen=True)
class Count:
    rule: Rule
    count: int
    window_end: int  # epoch seconds

    @property
    def remaining(self) -> int:
        return max(self.rule.limit - self.count, 0)

    @property
    def exceeded(self) -> bool:
        return self.count > self.rule.limit

    def headers(self, remaining: int | None = None) -> dict[str, str]:
        reset = datetime.fromtimestamp(self.window_end, tz=UTC)
        return {
            "X-RateLimit-Limit": str(self.rule.limit),
            "X-RateLimit-Remaining": str(self.remaining if remaining is None else remaining),
            "X-RateLimit-Reset": reset.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        }


def enabled() -> bool:
    return getattr(settings, "RATE_LIMITS_ENABLED", True)


def _key(rule: Rule, discriminator: str, window: int) -> str:
    return f"rl:{rule.name}:{discriminator}:{window}"


def _window(rule: Rule, now: float | None = None) -> tuple[int, int]:
    now = time.time() if now is None else now
    window = int(now) // rule.period
    return window, (window + 1) * rule.period


def hit(rule: Rule, discriminator: str) -> Count:
    """Count one more event and return the count including it."""
    window, end = _window(rule)
    key = _key(rule, discriminator, window)
    try:
        count = cache.incr(key)
    except ValueError:
        if cache.add(key, 1, timeout=rule.period + 1):
            count = 1
        else:  # another process created it in between
            count = cache.incr(key)
    return Count(rule, count, end)


def peek(rule: Rule, discriminator: str) -> Count:
    window, end = _window(rule)
    return Count(rule, int(cache.get(_key(rule, discriminator, window), 0)), end)


def peek_many(checks: Sequence[tuple[Rule, str]]) -> list[Count]:
    """peek() of several counters in one cache round trip (get_many), in the order given."""
    now = time.time()
    keyed = []
    for rule, discriminator in checks:
        window, end = _window(rule, now)
        keyed.append((rule, _key(rule, discriminator, window), end))
    found = cache.get_many([key for _, key, _ in keyed])
    return [Count(rule, int(found.get(key, 0)), end) for rule, key, end in keyed]


def undo(rule: Rule, discriminator: str) -> None:
    """Give back one event (a create that rolled back does not count)."""
    window, _ = _window(rule)
    try:
        cache.decr(_key(rule, discriminator, window))
    except ValueError:
        pass


@contextmanager
def charged(rule: Rule, discriminator: str) -> Iterator[None]:
    """Count one event for the block that follows: refused with RateLimited (and not counted)
    over the limit, given back when the block fails."""
    if not enabled():
        yield
        return
    if hit(rule, discriminator).exceeded:
        undo(rule, discriminator)
        raise errors.RateLimited("Too many requests")
    try:
        yield
    except BaseException:
        undo(rule, discriminator)
        raise


def rule(name: str) -> Rule:
    limit, period = settings.RATE_LIMITS[name]
    return Rule(name, limit, period)

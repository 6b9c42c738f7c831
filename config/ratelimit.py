"""Fixed-window rate limits kept in Django's cache (Redis in production, so every process and
machine shares the counts; the local-memory default only limits within one process).

Mastodon's two mechanisms (behaviour spec section 4): per-request throttles (rack-attack) and the
per-account posting limiter. Both count in fixed windows that start at multiples of the period
since the epoch, and report X-RateLimit-Limit/Remaining/Reset.
"""

import ipaddress
import math
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

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

    @property
    def retry_after(self) -> int:
        """Whole seconds until the window ends (at least 1)."""
        return max(1, math.ceil(self.window_end - time.time()))

    def headers(self, remaining: int | None = None) -> dict[str, str]:
        reset = datetime.fromtimestamp(self.window_end, tz=UTC)
        return {
            "X-RateLimit-Limit": str(self.rule.limit),
            "X-RateLimit-Remaining": str(self.remaining if remaining is None else remaining),
            "X-RateLimit-Reset": reset.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        }

    def refusal_headers(self) -> dict[str, str]:
        """The headers of a 429 for this count: Mastodon's three, with nothing remaining, and
        Retry-After."""
        return {**self.headers(remaining=0), "Retry-After": str(self.retry_after)}


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


def exceeded(count: Count) -> errors.RateLimited:
    """The error for a count over its limit, carrying the headers each dialect's 429 sends."""
    error = errors.RateLimited("Too many requests")
    error.headers = count.refusal_headers()
    return error


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
    count = hit(rule, discriminator)
    if count.exceeded:
        undo(rule, discriminator)
        raise exceeded(count)
    try:
        yield
    except BaseException:
        undo(rule, discriminator)
        raise


def rule(name: str) -> Rule:
    limit, period = settings.RATE_LIMITS[name]
    return Rule(name, limit, period)


@lru_cache(maxsize=8)
def _trusted_networks(proxies: tuple[str, ...]):
    networks = []
    for proxy in proxies:
        if proxy == "*":
            return None  # every address is a proxy
        try:
            networks.append(ipaddress.ip_network(proxy, strict=False))
        except ValueError:
            continue
    return networks


def _is_proxy(address: str, networks) -> bool:
    if networks is None:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request) -> str:
    """REMOTE_ADDR, or when that is a trusted proxy (TRUSTED_PROXIES), the address its
    X-Forwarded-For names: the nearest one that is not itself a trusted proxy, read from the
    right, since every proxy appends the address it received the request from."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _trusted_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not forwarded or not remote or not _is_proxy(remote, networks):
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_proxy(hop, networks):
            return hop
    return hops[0] if hops else remote


def client_ip(request) -> str:
    """The caller's address (behind a trusted proxy, the one it forwards for); IPv6 callers are
    grouped by /64, as rack-attack does."""
    address = client_address(request) or "unknown"
    if ":" in address:
        try:
            return str(ipaddress.ip_network(f"{address}/64", strict=False))
        except ValueError:
            return address
    return address


@dataclass(frozen=True)
class Budgets:
    """Which request budgets (rack-attack's throttles) a request draws on."""

    user_id: int | None
    token_id: int | None
    ip: str
    paging: bool = False
    delete: bool = False
    media: bool = False

    def matched(self) -> list[tuple[str, str]]:
        user, token = self.user_id, self.token_id
        matched = []
        if user is not None:
            matched.append(("authenticated_api", f"u{user}"))
        if token is not None:
            matched.append(("per_token_api", f"t{token}"))
        if user is None:
            matched.append(("unauthenticated_api", self.ip))
        if self.paging:
            matched.append(("authenticated_paging", f"u{user}") if user is not None
                           else ("unauthenticated_paging", self.ip))
        if user is not None and self.delete:
            matched.append(("api_delete", f"u{user}"))
        if user is not None and self.media:
            matched.append(("api_media", f"u{user}"))
        return matched


def charge_request(budgets: Budgets) -> dict[str, str]:
    """Count one request against every budget it draws on, whichever dialect it speaks.
    Returns the headers of the tightest budget (the matched one with the fewest requests left,
    Api::RateLimitHeaders); raises RateLimited, with the refusal's headers, when any is spent."""
    counts = [hit(rule(name), who) for name, who in budgets.matched()]
    if not counts:
        return {}
    spent = [c for c in counts if c.exceeded]
    if spent:
        raise exceeded(spent[0])
    tightest = min(counts, key=lambda c: (c.rule.limit - c.count, c.rule.limit))
    return tightest.headers()

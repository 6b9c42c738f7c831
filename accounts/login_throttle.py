"""Login throttling: failed passwords counted per IP and per account name at every door that
checks one (the OAuth password grant, the login page, the admin login), as Mastodon's
Rack::Attack throttle_login_attempts/ip and /email do, and the login forms that refuse a locked
key before they check its password.

Failures are counted where they happen, for all doors at once: Django's `authenticate()` sends
`user_login_failed` with the name typed and the request, and django-oauth-toolkit passes a
request built from the real one's META (REMOTE_ADDR included). The lock is checked before the
password, by the token view and by the forms, so a locked key cannot even test one. A success
costs one cache round trip (the check) and counts nothing.
"""

import hashlib
import logging
import math
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError

from accounts.opener import keeps_opener_on_dispatch
from config import ratelimit
from config.ratelimit import client_ip

logger = logging.getLogger("duostatus.security")

PER_IP = "login_ip"
PER_NAME = "login_name"


def enabled() -> bool:
    return getattr(settings, "LOGIN_THROTTLE_ENABLED", True)


def _rule(name: str) -> ratelimit.Rule:
    limit, period = settings.LOGIN_LIMITS[name]
    return ratelimit.Rule(name, limit, period)


def account_name(typed) -> str:
    """The name as counted: NFKC-normalised (Django's login form does so before authenticating,
    the password grant does not), stripped and case-folded, so `Alice `, `alice` and `ａｌｉｃｅ`
    are one name at every door. An e-mail address is counted as the name it is, apart from
    the username it logs in."""
    return unicodedata.normalize("NFKC", str(typed or "")).strip().casefold()


def _name_key(name: str) -> str:
    # A digest: a fixed-length key whatever was typed, and no names or addresses in the cache.
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _counters(request, username) -> list[tuple[ratelimit.Rule, str, str]]:
    """(rule, cache discriminator, what the log calls it) of each key this attempt counts on;
    no IP without a request (a form built by code, not by a view)."""
    counters = []
    if request is not None:
        ip = client_ip(request)
        counters.append((_rule(PER_IP), ip, f"ip={ip}"))
    name = account_name(username)
    if name:
        counters.append((_rule(PER_NAME), _name_key(name), f"name={name[:100]!r}"))
    return counters


@dataclass(frozen=True)
class Lock:
    """A key that has used up its failed attempts in the current window."""

    count: ratelimit.Count

    @property
    def retry_after(self) -> int:
        """Whole seconds to the window's end, at least 1."""
        return max(1, math.ceil(self.count.window_end - time.time()))

    @property
    def message(self) -> str:
        minutes = math.ceil(self.retry_after / 60)
        return (f"Too many failed login attempts. Try again in {minutes} "
                f"minute{'' if minutes == 1 else 's'}.")

    def headers(self) -> dict[str, str]:
        return {**self.count.headers(remaining=0), "Retry-After": str(self.retry_after)}


def locked(request, username) -> Lock | None:
    """The lock refusing this attempt, if the caller's IP or the name typed has used up its
    failures: one cache round trip, before any password is checked."""
    checks = [(rule, key) for rule, key, _ in _counters(request, username)] if enabled() else []
    if not checks:
        return None
    full = [count for count in ratelimit.peek_many(checks) if count.count >= count.rule.limit]
    if not full:
        return None
    # Both may be full: the caller has to wait for the later end.
    return Lock(max(full, key=lambda count: count.window_end))


def record_failure(request, username) -> None:
    """Count one failed password on the caller's IP and on the name typed, and log it (one
    line, plus one when a key becomes locked). Without a request there is no door: nothing."""
    if not enabled() or request is None:
        return
    door = urlsplit(getattr(request, "path", "") or "").path or "-"
    address = ratelimit.client_address(request) or "unknown"
    counters = _counters(request, username)
    name = counters[1][2] if len(counters) > 1 else "name=''"
    logger.warning("login failed: door=%s ip=%s %s", door, address, name)
    for rule, key, shown in counters:
        count = ratelimit.hit(rule, key)
        if count.count == rule.limit:  # incr is atomic: exactly one request sees this
            until = datetime.fromtimestamp(count.window_end, tz=UTC).isoformat()
            logger.warning("login locked: %s, %d failed attempts in %d s (the last at door=%s),"
                           " until %s", shown, rule.limit, rule.period, door, until)


def _on_login_failed(sender, credentials, request=None, **kwargs):
    record_failure(request, credentials.get("username"))


def connect() -> None:
    user_login_failed.connect(_on_login_failed, dispatch_uid="accounts.login_throttle")


# --- the login pages ------------------------------------------------------------------------


class ThrottledFormMixin:
    """Refuses a locked key before the password is checked (`lock` then says until when), and
    counts a login the form refuses after a right password (a non-staff account at the admin)
    as the failure it is."""

    lock: Lock | None = None

    def clean(self):
        username = self.cleaned_data.get("username")
        if username is not None and self.cleaned_data.get("password"):
            self.lock = locked(self.request, username)
            if self.lock is not None:
                raise ValidationError(self.lock.message, code="throttled")
        return super().clean()

    def confirm_login_allowed(self, user):
        try:
            super().confirm_login_allowed(user)
        except ValidationError:
            record_failure(self.request, self.cleaned_data.get("username"))
            raise


class LoginForm(ThrottledFormMixin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottledFormMixin, AdminAuthenticationForm):
    pass


def _refused_when_locked(response):
    """The login form re-rendered as it is, answered 429 with Retry-After when it was locked."""
    form = (getattr(response, "context_data", None) or {}).get("form")
    lock = getattr(form, "lock", None)
    if lock is not None:
        response.status_code = 429
        response["Retry-After"] = str(lock.retry_after)
    return response


@keeps_opener_on_dispatch
class LoginView(auth_views.LoginView):
    """The consent flow's login page (`/auth/login/`). It opens in the OAuth popup, so it keeps
    the popup's opener (accounts/opener.py)."""

    authentication_form = LoginForm

    def form_invalid(self, form):
        return _refused_when_locked(super().form_invalid(form))


def admin_login(request, extra_context=None):
    """The admin site's own login view (with `admin.site.login_form = AdminLoginForm`), 429
    for a locked key."""
    return _refused_when_locked(admin.site.login(request, extra_context))

"""What the login-throttling tests share: the limits, the three doors, and the 429's checks."""

import math
import re
import time
from datetime import UTC, datetime

from django.test import Client

RESET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
LOCKED_MESSAGE = re.compile(r"Too many failed login attempts\. Try again in (\d+) minutes?\.")
SECRET = "client-secret-in-clear"


def set_limits(settings, *, ip=(3, 300), name=(100, 3600)) -> None:
    settings.LOGIN_THROTTLE_ENABLED = True
    settings.LOGIN_LIMITS = {"login_ip": ip, "login_name": name}


def password_grant(app, username, password, ip="127.0.0.1", client=None):
    return (client or Client()).post("/oauth/token", {
        "grant_type": "password", "client_id": app.client_id, "client_secret": SECRET,
        "username": username, "password": password, "scope": "read",
    }, REMOTE_ADDR=ip)


def login_page(username, password, ip="127.0.0.1", client=None):
    return (client or Client()).post(
        "/auth/login/", {"username": username, "password": password, "next": "/"},
        REMOTE_ADDR=ip)


def admin_login(username, password, ip="127.0.0.1", client=None):
    return (client or Client()).post(
        "/admin/login/", {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip)


def retry_after_of(response, period: int) -> int:
    """Retry-After: whole seconds to the end of the current fixed window of `period`."""
    value = int(response["Retry-After"])
    left = period - time.time() % period
    assert 1 <= value <= period
    assert abs(value - left) <= 2, (value, left)
    return value


def assert_oauth_429(response, *, limit: int, period: int) -> None:
    """Rack::Attack's throttled answer, as /oauth/token gives it for a locked key."""
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert set(body) == {"error", "error_description"}
    assert body["error"] == "Too many requests"
    retry_after = retry_after_of(response, period)
    minutes = LOCKED_MESSAGE.fullmatch(body["error_description"])
    assert minutes and int(minutes.group(1)) == math.ceil(retry_after / 60)
    assert response["X-RateLimit-Limit"] == str(limit)
    assert response["X-RateLimit-Remaining"] == "0"
    reset = response["X-RateLimit-Reset"]
    assert RESET.match(reset), reset
    window_end = datetime.strptime(reset, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    assert window_end.timestamp() % period == 0
    assert abs(window_end.timestamp() - time.time() - retry_after) <= 2


def assert_page_429(response, *, period: int) -> str:
    """The login form again, status 429, saying until when; returns the page."""
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    retry_after = retry_after_of(response, period)
    page = response.content.decode()
    minutes = LOCKED_MESSAGE.search(page)
    assert minutes, page
    assert int(minutes.group(1)) == math.ceil(retry_after / 60)
    assert 'name="password"' in page and 'name="username"' in page
    return page

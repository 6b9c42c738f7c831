"""Login throttling against real servers: Mastodon.py's log_in() once locked, and the counts
shared by two processes through Redis (this one and a gunicorn with two workers)."""

import time
from urllib.parse import urlsplit

import pytest
from django.db import connection

from tests.accounts.login import SECRET, assert_oauth_429, password_grant, set_limits
from tests.config.live import call, database_url, gunicorn, redis_up, server_env
from tests.factories import AccountFactory, ApplicationFactory

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

REDIS_URL = "redis://127.0.0.1:6379/13"  # the database these tests may use


def test_mastodon_py_log_in_is_refused_once_locked(live_server, settings):
    from mastodon import (
        Mastodon,
        MastodonIllegalArgumentError,
        MastodonRatelimitError,
    )

    set_limits(settings, ip=(2, 300))
    # log_in() posts to the token_endpoint of /.well-known/oauth-authorization-server, which
    # names the instance's domain: here, the live server's (plain http, so allow_http).
    settings.INSTANCE_DOMAIN = urlsplit(live_server.url).netloc
    settings.INSTANCE_SCHEME = "http"
    AccountFactory(username="hana", password="hana-right-pass")
    client_id, client_secret = Mastodon.create_app("Throttle app", api_base_url=live_server.url,
                                                   scopes=["read"])
    api = Mastodon(client_id=client_id, client_secret=client_secret,
                   api_base_url=live_server.url)
    for _ in range(2):
        with pytest.raises(MastodonIllegalArgumentError) as wrong:
            api.log_in("hana", "wrong", scopes=["read"], allow_http=True)
        assert not isinstance(wrong.value.__context__, MastodonRatelimitError)
    started = time.monotonic()
    # log_in() wraps every error in MastodonIllegalArgumentError; the 429 is its cause.
    with pytest.raises(MastodonIllegalArgumentError) as locked:
        api.log_in("hana", "hana-right-pass", scopes=["read"], allow_http=True)
    assert isinstance(locked.value.__context__, MastodonRatelimitError)
    assert "Hit rate limit" in str(locked.value)
    assert time.monotonic() - started < 10  # refused at once, not waited out
    assert api.access_token is None


@pytest.mark.skipif(connection.vendor != "postgresql" or not redis_up(),
                    reason="needs PostgreSQL (DATABASE_URL) and Redis on 127.0.0.1:6379")
def test_counts_are_shared_across_processes_through_redis(settings):
    """Failures counted by this process and by a gunicorn's workers add up in one Redis
    window, and the lock refuses in every process."""
    from django.core.cache import caches

    period = 300
    left_in_window = period - time.time() % period
    if left_in_window < 30:  # stay inside one window for the whole test
        time.sleep(left_in_window + 0.1)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": REDIS_URL}}
    caches["default"].clear()
    set_limits(settings, ip=(4, period), name=(100, 3600))
    # The server hashes with Django's default hashers, not the suite's fast MD5: a client secret
    # kept in clear, and a password hashed with the default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    AccountFactory(username="ines", password="ines-right-pass")
    app = ApplicationFactory(client_secret=SECRET, hash_client_secret=False, scopes="read")
    form = {"grant_type": "password", "client_id": app.client_id, "client_secret": SECRET,
            "username": "ines", "scope": "read"}
    env = server_env(DATABASE_URL=database_url(connection.settings_dict), REDIS_URL=REDIS_URL,
                     LOGIN_LIMIT_PER_IP=f"4/{period}", LOGIN_LIMIT_PER_NAME="100/3600")
    try:
        with gunicorn(env, workers=2) as url:
            status, _, body = call(url + "/oauth/token", "POST",
                                   form={**form, "password": "ines-right-pass"})
            assert status == 200 and body["access_token"]  # the server works; no count
            # One failure here, three there (from 127.0.0.1, as this process's are).
            assert password_grant(app, "ines", "wrong").status_code == 400
            for _ in range(3):
                status, _, body = call(url + "/oauth/token", "POST",
                                       form={**form, "password": "wrong"})
                assert (status, body["error"]) == (400, "invalid_grant")
            for _ in range(3):  # whichever worker answers
                status, headers, body = call(url + "/oauth/token", "POST",
                                             form={**form, "password": "ines-right-pass"})
                assert status == 429
                assert body["error"] == "Too many requests"
                assert headers["X-RateLimit-Limit"] == "4"
                assert 1 <= int(headers["Retry-After"]) <= period
            assert_oauth_429(password_grant(app, "ines", "ines-right-pass"),
                             limit=4, period=period)
    finally:
        caches["default"].clear()

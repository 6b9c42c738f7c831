"""Login throttling at the OAuth password grant (`POST /oauth/token`, Mastodon.py's log_in()), and
what all three doors share: counts per IP and per account name, failures only, checked before the
password, logged, lifted at the window's end, and free for the success path."""

import logging
import re
import time
import types

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oauth2_provider.models import AccessToken

from accounts.models import Account
from config import ratelimit
from tests.accounts.login import (
    SECRET,
    admin_login,
    assert_oauth_429,
    assert_page_429,
    login_page,
    password_grant,
    set_limits,
)
from tests.factories import AccountFactory, ApplicationFactory

ATTACKER = "203.0.113.7"


@pytest.fixture
def oauth_app(db):
    return ApplicationFactory(name="Login Client", client_secret=SECRET, scopes="read write")


def test_password_grant_refuses_the_attempt_after_the_ip_limit(settings, oauth_app, alice):
    set_limits(settings, ip=(3, 300))
    for _ in range(3):
        response = password_grant(oauth_app, "alice", "wrong", ATTACKER)
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_grant"
    assert_oauth_429(password_grant(oauth_app, "alice", "wrong", ATTACKER), limit=3, period=300)
    # The right password from that IP is refused too while the lock lasts.
    assert_oauth_429(password_grant(oauth_app, "alice", "password", ATTACKER),
                     limit=3, period=300)
    assert not AccessToken.objects.exists()


def test_json_token_requests_are_counted_and_refused_too(settings, oauth_app, alice):
    """masto.js sends its token requests as JSON bodies."""
    set_limits(settings, ip=(2, 300))
    body = {"grant_type": "password", "client_id": oauth_app.client_id, "client_secret": SECRET,
            "username": "alice", "scope": "read"}
    client = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(2):
        response = client.post("/oauth/token", {**body, "password": "wrong"},
                               content_type="application/json")
        assert response.status_code == 400
    response = client.post("/oauth/token", {**body, "password": "password"},
                           content_type="application/json")
    assert_oauth_429(response, limit=2, period=300)


def test_locked_ip_does_not_lock_other_callers(settings, oauth_app, alice, bob):
    set_limits(settings, ip=(3, 300), name=(5, 3600))
    for _ in range(3):
        password_grant(oauth_app, "alice", "wrong", ATTACKER)
    assert password_grant(oauth_app, "bob", "password", ATTACKER).status_code == 429
    # Another IP: another account logs in, and so does the targeted one (its name has 2 left).
    assert password_grant(oauth_app, "bob", "password", "198.51.100.9").status_code == 200
    assert password_grant(oauth_app, "alice", "password", "198.51.100.10").status_code == 200


def test_password_grant_refuses_a_name_after_its_limit_from_any_ip(settings, oauth_app, alice,
                                                                   bob):
    set_limits(settings, ip=(100, 300), name=(3, 3600))
    # The name as typed, stripped and case-folded: one counter from three addresses.
    for ip, typed in [("192.0.2.1", "alice"), ("192.0.2.2", " Alice "), ("192.0.2.3", "ALICE")]:
        assert password_grant(oauth_app, typed, "wrong", ip).status_code == 400
    assert_oauth_429(password_grant(oauth_app, "alice", "password", "192.0.2.4"),
                     limit=3, period=3600)
    assert password_grant(oauth_app, "Alice", "password", "192.0.2.5").status_code == 429
    # The lock is the name's: another account logs in from the same addresses.
    assert password_grant(oauth_app, "bob", "password", "192.0.2.1").status_code == 200
    # An e-mail address is another name, counted apart (nothing is looked up before the check).
    assert password_grant(oauth_app, "alice@example.com", "password", "192.0.2.4").status_code == 200


def test_ipv6_callers_share_their_64(settings, oauth_app, alice):
    set_limits(settings, ip=(2, 300))
    for ip in ("2001:db8:1:2::1", "2001:db8:1:2:aaaa::2"):
        assert password_grant(oauth_app, "alice", "wrong", ip).status_code == 400
    assert password_grant(oauth_app, "alice", "password", "2001:db8:1:2:ffff::9").status_code == 429
    assert password_grant(oauth_app, "alice", "password", "2001:db8:1:3::1").status_code == 200


def test_failures_are_counted_across_the_three_doors(settings, oauth_app):
    AccountFactory(username="root", is_staff=True, is_superuser=True)
    set_limits(settings, ip=(3, 300))
    assert password_grant(oauth_app, "root", "wrong", ATTACKER).status_code == 400
    assert login_page("root", "wrong", ATTACKER).status_code == 200
    assert admin_login("root", "wrong", ATTACKER).status_code == 200
    assert password_grant(oauth_app, "root", "password", ATTACKER).status_code == 429
    assert_page_429(login_page("root", "password", ATTACKER), period=300)
    assert_page_429(admin_login("root", "password", ATTACKER), period=300)


def test_successes_are_not_counted(settings, oauth_app, alice):
    set_limits(settings, ip=(2, 300), name=(2, 3600))
    for _ in range(5):
        assert password_grant(oauth_app, "alice", "password", ATTACKER).status_code == 200
    assert password_grant(oauth_app, "alice", "wrong", ATTACKER).status_code == 400
    assert password_grant(oauth_app, "alice", "password", ATTACKER).status_code == 200
    assert password_grant(oauth_app, "alice", "wrong", ATTACKER).status_code == 400
    assert password_grant(oauth_app, "alice", "password", ATTACKER).status_code == 429


def test_a_locked_key_cannot_test_a_password(settings, oauth_app, alice, monkeypatch):
    set_limits(settings, ip=(2, 300))
    for _ in range(2):
        password_grant(oauth_app, "alice", "wrong", ATTACKER)
    checked = []
    real = Account.check_password
    monkeypatch.setattr(Account, "check_password",
                        lambda self, raw: checked.append(raw) or real(self, raw))
    for password in ("guess-1", "password"):
        assert password_grant(oauth_app, "alice", password, ATTACKER).status_code == 429
        assert login_page("alice", password, ATTACKER).status_code == 429
    assert checked == []
    # Refused attempts are not failures: the count stays where the lock began.
    key = ratelimit._key(ratelimit.Rule("login_ip", 2, 300), ATTACKER, int(time.time()) // 300)
    assert cache.get(key) == 2


def test_existing_tokens_and_sessions_keep_working_during_the_lock(settings, oauth_app, alice,
                                                                   make_token):
    set_limits(settings, ip=(2, 300), name=(2, 3600))
    token = make_token(alice, "read")
    session = Client(REMOTE_ADDR=ATTACKER)
    session.force_login(alice)
    for _ in range(2):
        password_grant(oauth_app, "alice", "wrong", ATTACKER)
    assert password_grant(oauth_app, "alice", "password", "192.0.2.77").status_code == 429
    # The locked account, from the locked IP: what was issued before still works.
    api = Client(REMOTE_ADDR=ATTACKER, HTTP_AUTHORIZATION=f"Bearer {token}")
    response = api.get("/api/v1/accounts/verify_credentials")
    assert response.status_code == 200
    assert response.json()["username"] == "alice"
    consent = session.get("/oauth/authorize", {
        "response_type": "code", "client_id": oauth_app.client_id,
        "redirect_uri": "urn:ietf:wg:oauth:2.0:oob", "scope": "read"})
    assert consent.status_code == 200
    assert "Authorize Login Client?" in consent.content.decode()


def test_the_end_of_the_window_lifts_the_lock(settings, oauth_app, alice, monkeypatch):
    set_limits(settings, ip=(2, 300))
    for _ in range(2):
        password_grant(oauth_app, "alice", "wrong", ATTACKER)
    locked = password_grant(oauth_app, "alice", "password", ATTACKER)
    assert locked.status_code == 429
    wait = int(locked["Retry-After"])
    # Move the limiter's clock (only its clock) to just past the window's end.
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: time.time() + wait + 1))
    assert password_grant(oauth_app, "alice", "password", ATTACKER).status_code == 200


def test_failures_and_locks_are_logged(settings, oauth_app, alice, caplog):
    set_limits(settings, ip=(3, 300), name=(100, 3600))
    caplog.set_level(logging.WARNING, logger="duostatus.security")
    AccountFactory(username="root", is_staff=True)
    password_grant(oauth_app, "Alice", "hunter2-oauth", ATTACKER)
    login_page("alice@example.com", "hunter2-page", ATTACKER)
    admin_login("nobody", "hunter2-admin", ATTACKER)
    password_grant(oauth_app, "alice", "password", ATTACKER)  # refused: not a failure
    password_grant(oauth_app, "alice", "password", "192.0.2.8")  # a success: nothing
    lines = [r.getMessage() for r in caplog.records if r.name == "duostatus.security"]
    assert all(r.levelno == logging.WARNING for r in caplog.records
               if r.name == "duostatus.security")
    assert lines == [
        f"login failed: door=/oauth/token ip={ATTACKER} name='alice'",
        f"login failed: door=/auth/login/ ip={ATTACKER} name='alice@example.com'",
        f"login failed: door=/admin/login/ ip={ATTACKER} name='nobody'",
        lines[3],
    ]
    assert re.fullmatch(rf"login locked: ip={ATTACKER}, 3 failed attempts in 300 s \(the last at"
                        r" door=/admin/login/\), until \d{4}-\d\d-\d\dT\d\d:\d\d:00\+00:00",
                        lines[3]), lines[3]
    assert not any("hunter2" in line for line in caplog.text.splitlines())


def test_a_locked_name_is_logged_once_by_name(settings, oauth_app, alice, caplog):
    set_limits(settings, ip=(100, 300), name=(2, 3600))
    caplog.set_level(logging.WARNING, logger="duostatus.security")
    for ip in ("192.0.2.1", "192.0.2.2"):
        password_grant(oauth_app, "alice", "wrong", ip)
    for ip in ("192.0.2.3", "192.0.2.4"):
        assert password_grant(oauth_app, "alice", "wrong", ip).status_code == 429
    lines = [r.getMessage() for r in caplog.records if r.name == "duostatus.security"]
    assert [line.split(",")[0] for line in lines] == [
        "login failed: door=/oauth/token ip=192.0.2.1 name='alice'",
        "login failed: door=/oauth/token ip=192.0.2.2 name='alice'",
        "login locked: name='alice'",
    ]


def test_a_form_built_without_a_request_checks_the_name_only(settings, alice):
    from accounts.login_throttle import LoginForm

    set_limits(settings, ip=(100, 300), name=(1, 3600))
    assert login_page("alice", "wrong", ATTACKER).status_code == 200
    form = LoginForm(None, data={"username": "Alice", "password": "password"})
    assert not form.is_valid()
    assert form.lock is not None
    assert form.non_field_errors()[0].startswith("Too many failed login attempts.")
    other = LoginForm(None, data={"username": "alice@example.com", "password": "password"})
    assert other.is_valid() and other.lock is None


def test_limits_can_be_switched_off(settings, oauth_app, alice):
    set_limits(settings, ip=(1, 300), name=(1, 3600))
    assert password_grant(oauth_app, "alice", "wrong", ATTACKER).status_code == 400
    assert password_grant(oauth_app, "alice", "password", ATTACKER).status_code == 429
    settings.LOGIN_THROTTLE_ENABLED = False
    for _ in range(3):
        assert password_grant(oauth_app, "alice", "wrong", ATTACKER).status_code == 400
    assert password_grant(oauth_app, "alice", "password", ATTACKER).status_code == 200
    assert login_page("alice", "password", ATTACKER).status_code == 302


def test_a_cache_outage_is_a_503_not_an_open_door(settings, oauth_app, alice, monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    set_limits(settings)

    def down(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr(type(caches["default"]), "get_many", down)
    response = password_grant(oauth_app, "alice", "password", ATTACKER)
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert login_page("alice", "password", ATTACKER).status_code == 503


# --- the success path's cost ------------------------------------------------------------------


class CacheCalls:
    """Counts the calls made to the cache backend (each one a round trip with Redis). Only the
    outer calls: local memory's get_many is a loop of get(), Redis's one MGET."""

    METHODS = ("get", "get_many", "set", "set_many", "add", "incr", "decr", "delete",
               "delete_many", "has_key", "touch", "get_or_set")

    def __init__(self, monkeypatch):
        self.calls: list[str] = []
        self.depth = 0
        backend = type(caches["default"])
        for name in self.METHODS:
            real = getattr(backend, name)
            monkeypatch.setattr(backend, name, self._counting(name, real))

    def _counting(self, name, real):
        def method(backend, *args, **kwargs):
            if not self.depth:
                self.calls.append(name)
            self.depth += 1
            try:
                return real(backend, *args, **kwargs)
            finally:
                self.depth -= 1

        return method


def _queries(run) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


@pytest.mark.parametrize("door", ["oauth", "page"])
def test_a_success_costs_one_cache_call_and_no_query(settings, oauth_app, alice, monkeypatch,
                                                     django_assert_num_queries, door):
    def log_in():
        if door == "oauth":
            assert password_grant(oauth_app, "alice", "password").status_code == 200
        else:
            assert login_page("alice", "password").status_code == 302

    set_limits(settings)
    settings.LOGIN_THROTTLE_ENABLED = False
    unthrottled = _queries(log_in)
    settings.LOGIN_THROTTLE_ENABLED = True
    counted = CacheCalls(monkeypatch)
    with django_assert_num_queries(unthrottled):
        log_in()
    assert counted.calls == ["get_many"]


def test_behind_a_trusted_proxy_the_forwarded_client_is_locked_not_the_proxy(settings,
                                                                             oauth_app, alice,
                                                                             bob):
    """A local proxy (127.0.0.1, trusted by default) forwards every caller: the one guessing is
    locked by the address it forwards for, and everyone else behind it still logs in."""
    set_limits(settings, ip=(3, 300), name=(100, 3600))
    guesser = Client(HTTP_X_FORWARDED_FOR="203.0.113.66")
    for _ in range(3):
        assert password_grant(oauth_app, "alice", "wrong", "127.0.0.1",
                              client=guesser).status_code == 400
    assert_oauth_429(password_grant(oauth_app, "alice", "password", "127.0.0.1",
                                    client=guesser), limit=3, period=300)
    other = Client(HTTP_X_FORWARDED_FOR="198.51.100.23")
    assert password_grant(oauth_app, "bob", "password", "127.0.0.1",
                          client=other).status_code == 200

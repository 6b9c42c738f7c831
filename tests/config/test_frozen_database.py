"""A database that stops answering is a 503 within seconds, never silence: against a live gunicorn
whose PostgreSQL sits behind a TCP proxy that freezes (as a SIGSTOP'd server does: sockets open,
nothing answers), every request on a kept connection, and /health, answers the dialect's 503
with Retry-After well before gunicorn's worker timeout; the same server answers 200 again once
the database thaws; and a statement waiting on a lock is a 503 after the statement timeout."""

import os
import time

import psycopg
import pytest
from django.db import connection

from tests.config.live import TcpProxy, call, database_url, gunicorn, server_env

MASTODON_503 = {"error": "Service Unavailable"}
SELFCOMMUNITY_503 = {"errors": [{"code": "service_unavailable",
                                 "message": "Service temporarily unavailable, try again later."}]}
HEALTH_DB_DOWN = {"status": "unavailable", "checks": {"database": "unavailable", "cache": "ok", "channel_layer": "ok"}}
HEALTH_OK = {"status": "ok", "checks": {"database": "ok", "cache": "ok", "channel_layer": "ok"}}

# The server's limits in these tests (seconds), short to keep the tests short;
# FROZEN_TEST_DEFAULT_LIMITS=1 measures with the production defaults instead (run with -s for
# the timings). gunicorn's worker timeout is its default, 30 s: every 503 must come far sooner.
if os.environ.get("FROZEN_TEST_DEFAULT_LIMITS") == "1":
    STATEMENT_TIMEOUT, QUERY_DEADLINE, HEALTH_TIMEOUT, CONNECT_TIMEOUT = 5.0, 6.0, 2.0, 5
else:
    STATEMENT_TIMEOUT, QUERY_DEADLINE, HEALTH_TIMEOUT, CONNECT_TIMEOUT = 1.0, 2.0, 1.0, 2
WORKER_TIMEOUT = 30
SLACK = 1.5  # process scheduling on a shared 2-core machine
# A request that gets no answer is a failure after this long (old code: gunicorn killed the
# worker after 30 s and the client got an empty reply).
CLIENT_TIMEOUT = 15

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="freezes a live server's PostgreSQL (DATABASE_URL=postgres://...)"),
    pytest.mark.live,
    pytest.mark.django_db(transaction=True),
]


def _target() -> tuple[str, int]:
    return (connection.settings_dict.get("HOST") or "127.0.0.1",
            int(connection.settings_dict.get("PORT") or 5432))


def _env(proxy: TcpProxy, **overrides: str) -> dict[str, str]:
    env = {"DATABASE_URL": database_url(connection.settings_dict, host="127.0.0.1",
                                        port=proxy.port),
           "CONN_MAX_AGE": "600", "RATE_LIMITS_ENABLED": "0",
           "DB_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT), "DB_STATEMENT_TIMEOUT": str(STATEMENT_TIMEOUT),
           "DB_QUERY_DEADLINE": str(QUERY_DEADLINE), "HEALTH_TIMEOUT": str(HEALTH_TIMEOUT)}
    return server_env(**{**env, **overrides})


def _timed(url: str, method: str = "GET", **kwargs):
    started = time.monotonic()
    status, headers, payload = call(url, method, timeout=CLIENT_TIMEOUT, **kwargs)
    return time.monotonic() - started, status, headers, payload


def test_frozen_database_is_a_503_on_kept_connections_and_the_server_recovers(alice,
                                                                                make_token):
    from statuses.models import Status

    token = make_token(alice)
    proxy = TcpProxy(_target())
    proxy.start()
    timings: list[tuple[str, float]] = []
    try:
        with gunicorn(_env(proxy)) as url:
            status, _, created = call(url + "/api/v1/statuses", "POST", token=token,
                                      body={"status": "before the freeze"})
            assert status == 200
            mastodon = f"{url}/api/v1/statuses/{created['id']}"
            selfcommunity = f"{url}/api/v2/status/{created['id']}/"
            kinds = [
                ("GET v1 status, anonymous", "GET", mastodon, None, None, MASTODON_503),
                ("GET v1 status, token", "GET", mastodon, token, None, MASTODON_503),
                ("GET v2 status, token", "GET", selfcommunity, token, None, SELFCOMMUNITY_503),
                ("POST v1 status", "POST", url + "/api/v1/statuses", token,
                 {"status": "during the freeze"}, MASTODON_503),
                ("POST v2 status", "POST", url + "/api/v2/status/", token,
                 {"action": None, "text": "<p>during the freeze</p>", "categories": []},
                 SELFCOMMUNITY_503),
            ]
            for label, method, address, who, body, expected in kinds:
                # One gunicorn worker: this warm request leaves it a live kept connection,
                # which the next request finds frozen.
                proxy.thaw()
                assert call(mastodon, token=token)[0] == 200
                proxy.freeze()
                elapsed, status, headers, payload = _timed(address, method, token=who,
                                                           body=body)
                timings.append((f"{label} (kept connection)", elapsed))
                assert (status, payload) == (503, expected), label
                assert headers["Retry-After"] == "10"
                assert headers["Content-Type"] == "application/json; charset=utf-8"
                # The deadline answered it: not sooner, and far before the worker timeout.
                assert QUERY_DEADLINE - 0.2 <= elapsed < QUERY_DEADLINE + SLACK, (label, elapsed)

            proxy.thaw()
            assert call(url + "/health")[0] == 200
            proxy.freeze()
            elapsed, status, headers, payload = _timed(url + "/health")
            timings.append(("/health (kept connection)", elapsed))
            assert (status, payload, headers["Retry-After"]) == (503, HEALTH_DB_DOWN, "10")
            assert headers["Cache-Control"] == "no-store"
            # /health's own, shorter timeout.
            assert HEALTH_TIMEOUT - 0.2 <= elapsed < HEALTH_TIMEOUT + SLACK, elapsed

            # Still frozen, and the kept connection is gone: a new one cannot be made either.
            elapsed, status, _, payload = _timed(mastodon, token=token)
            timings.append(("GET v1 status, token (new connection)", elapsed))
            assert (status, payload) == (503, MASTODON_503)
            assert elapsed < CONNECT_TIMEOUT + SLACK, elapsed
            elapsed, status, _, payload = _timed(url + "/health")
            timings.append(("/health (new connection)", elapsed))
            assert (status, payload) == (503, HEALTH_DB_DOWN)
            assert elapsed < max(HEALTH_TIMEOUT, 2) + SLACK, elapsed  # libpq connects >= 2 s
            assert all(seconds < WORKER_TIMEOUT / 3 for _, seconds in timings), timings

            proxy.thaw()  # the database is back: the same server answers by itself
            status, _, payload = call(url + "/health", timeout=CLIENT_TIMEOUT)
            assert (status, payload) == (200, HEALTH_OK)
            status, _, again = call(mastodon, token=token, timeout=CLIENT_TIMEOUT)
            assert (status, again["content"]) == (200, created["content"])
            assert call(selfcommunity, token=token)[0] == 200
            status, _, timeline = call(f"{url}/api/v1/accounts/{alice.pk}/statuses",
                                       token=token)
            assert status == 200
            assert [s["id"] for s in timeline] == [created["id"]]
        # Nothing written during the freeze got in, even once its bytes were let through.
        assert list(Status.objects.values_list("text", flat=True)) == ["before the freeze"]
    finally:
        proxy.stop()
        for label, seconds in timings:
            print(f"frozen database: {label}: 503 after {seconds:.2f} s")


def test_a_statement_waiting_on_a_lock_is_a_503_after_the_statement_timeout(alice, bob,
                                                                             make_token):
    """A healthy server, a row locked by another session: the favourite's UPDATE (and the
    SelfCommunity vote's SELECT ... FOR UPDATE) waits until PostgreSQL cancels it, which is a
    503 in the dialect's envelope, not a 500 and not a worker held until the lock goes."""
    from statuses.models import Vote
    from statuses.services import status_create

    token = make_token(bob)
    status = status_create(account=alice, text="locked", visibility="public")
    proxy = TcpProxy(_target())  # not frozen here: only so that _env() is shared
    proxy.start()
    holder = psycopg.connect(database_url(connection.settings_dict), autocommit=False)
    try:
        with gunicorn(_env(proxy, DB_QUERY_DEADLINE="5")) as url:
            mastodon = f"{url}/api/v1/statuses/{status.pk}"
            selfcommunity = f"{url}/api/v2/status/{status.pk}/"
            assert call(mastodon, token=token)[0] == 200
            holder.execute("SELECT 1 FROM statuses_status WHERE id = %s FOR UPDATE",
                           [status.pk])
            for address, expected in [(mastodon + "/favourite", MASTODON_503),
                                      (selfcommunity + "vote/", SELFCOMMUNITY_503)]:
                elapsed, code, headers, payload = _timed(address, "POST", token=token)
                assert (code, payload, headers["Retry-After"]) == (503, expected, "10")
                assert STATEMENT_TIMEOUT - 0.1 <= elapsed < STATEMENT_TIMEOUT + SLACK, elapsed
                print(f"lock wait: POST {address.removeprefix(url)}: 503 after {elapsed:.2f} s")
            # Reads do not wait for the lock: only the waiting statement was cut.
            assert call(mastodon, token=token)[0] == 200
            holder.rollback()
            status_code, _, body = call(mastodon + "/favourite", "POST", token=token)
            assert (status_code, body["favourites_count"]) == (200, 1)
        assert Vote.objects.filter(status=status).count() == 1
        status.refresh_from_db()
        assert status.likes_count == 1
    finally:
        holder.close()
        proxy.stop()

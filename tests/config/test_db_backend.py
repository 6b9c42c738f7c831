"""config.db_backend: PostgreSQL connections with a statement timeout, TCP keepalives and a
client-side deadline from the settings; bulk_work() lifting the limits for long commands (seed,
migrate, check_counters) and deadline() bounding a block (/health)."""

import runpy
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection

from config import db_backend
from config.db_backend.connection import DeadlineExceeded
from tests.config.live import BASE_DIR, TcpProxy

requires_postgres = pytest.mark.skipif(connection.vendor != "postgresql",
                                       reason="PostgreSQL connections (DATABASE_URL=postgres://)")

SETTINGS_ENV = ("DATABASE_URL", "DB_STATEMENT_TIMEOUT", "DB_QUERY_DEADLINE", "DB_KEEPALIVES",
                "DB_KEEPALIVES_IDLE", "DB_KEEPALIVES_INTERVAL", "DB_KEEPALIVES_COUNT",
                "DB_TCP_USER_TIMEOUT", "GUNICORN_TIMEOUT", "DB_CONNECT_TIMEOUT", "HEALTH_TIMEOUT")


def _database_settings(monkeypatch, **env) -> dict:
    for name in SETTINGS_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://app@db.internal:5432/duostatus")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE_DIR / "config" / "settings.py"))


def test_postgresql_connections_are_bounded_by_default(monkeypatch):
    settings = _database_settings(monkeypatch)
    database = settings["DATABASES"]["default"]
    assert database["ENGINE"] == "config.db_backend"
    assert database["QUERY_DEADLINE"] == 6.0
    options = database["OPTIONS"]
    assert "-c statement_timeout=5000" in options["options"]
    assert {key: options[key] for key in ("keepalives", "keepalives_idle", "keepalives_interval",
                                          "keepalives_count", "tcp_user_timeout")} == {
        "keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10,
        "keepalives_count": 3, "tcp_user_timeout": 30000}
    assert settings["HEALTH_TIMEOUT"] == 2.0


def test_the_deadline_follows_the_statement_timeout_unless_set(monkeypatch):
    database = _database_settings(monkeypatch, DB_STATEMENT_TIMEOUT="12.5")["DATABASES"]["default"]
    assert "-c statement_timeout=12500" in database["OPTIONS"]["options"]
    assert database["QUERY_DEADLINE"] == 13.5
    # No statement timeout: the deadline still ends a wait under gunicorn's worker timeout.
    database = _database_settings(monkeypatch, DB_STATEMENT_TIMEOUT="0",
                                  GUNICORN_TIMEOUT="60")["DATABASES"]["default"]
    assert "-c statement_timeout=0" in database["OPTIONS"]["options"]
    assert database["QUERY_DEADLINE"] == 55.0
    database = _database_settings(monkeypatch, DB_QUERY_DEADLINE="0")["DATABASES"]["default"]
    assert database["QUERY_DEADLINE"] == 0.0


def test_keepalives_can_be_tuned_or_turned_off(monkeypatch):
    options = _database_settings(monkeypatch, DB_KEEPALIVES_IDLE="5", DB_TCP_USER_TIMEOUT="2.5"
                                 )["DATABASES"]["default"]["OPTIONS"]
    assert (options["keepalives_idle"], options["tcp_user_timeout"]) == (5, 2500)
    options = _database_settings(monkeypatch, DB_KEEPALIVES="0")["DATABASES"]["default"]["OPTIONS"]
    assert "keepalives" not in options and "tcp_user_timeout" not in options


def test_sqlite_keeps_django_s_backend(monkeypatch):
    settings = _database_settings(monkeypatch, DATABASE_URL="sqlite:///:memory:")
    assert settings["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert "QUERY_DEADLINE" not in settings["DATABASES"]["default"]


def _show_statement_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_wait_past_the_deadline_closes_the_connection_and_is_an_operational_error():
    connection.ensure_connection()
    connection.connection.query_deadline = 0.5
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")  # only the client's deadline is left
    started = time.monotonic()
    with pytest.raises(OperationalError) as raised, connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(5)")
    assert 0.4 < time.monotonic() - started < 1.5
    assert isinstance(raised.value.__cause__, DeadlineExceeded)
    assert connection.connection.closed
    # Django's end-of-request check finds it unusable at once, instead of waiting again.
    started = time.monotonic()
    assert connection.is_usable() is False
    assert time.monotonic() - started < 0.1
    connection.close()
    assert _show_statement_timeout() == "5s"  # a new connection, bounded as configured


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_statement_past_the_statement_timeout_is_cancelled_by_the_server():
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 300")
    started = time.monotonic()
    with pytest.raises(OperationalError, match="statement timeout"), \
            connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(3)")
    assert time.monotonic() - started < 1.5
    assert connection.is_usable()  # the server cancelled it: the connection goes on
    connection.close()


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_bulk_work_lifts_both_limits_and_restores_them():
    configured = _show_statement_timeout()
    connection.connection.query_deadline = 0.3
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 200")
    with db_backend.bulk_work():
        assert _show_statement_timeout() == "0"
        assert connection.connection.query_deadline is None
        with db_backend.bulk_work():  # nested: the outer block restores
            pass
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.5)")
    assert _show_statement_timeout() == configured
    assert connection.connection.query_deadline == connection.settings_dict["QUERY_DEADLINE"]


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_bulk_work_covers_a_connection_opened_inside_it():
    connection.close()
    with db_backend.bulk_work():
        assert _show_statement_timeout() == "0"
        assert connection.connection.query_deadline is None
    assert _show_statement_timeout() == "5s"
    # A connection a deadline closed under Django is replaced, and the new one is lifted too.
    connection.connection.close()
    with db_backend.bulk_work():
        assert _show_statement_timeout() == "0"
        assert connection.connection.query_deadline is None
    assert _show_statement_timeout() == "5s"
    assert connection.connection.query_deadline == connection.settings_dict["QUERY_DEADLINE"]


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_deadline_block_bounds_every_statement_in_it():
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    started = time.monotonic()
    with pytest.raises(OperationalError), db_backend.deadline(0.4), \
            connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(0.3)")
        cursor.execute("SELECT pg_sleep(0.3)")  # within 0.4 s of the block's start: cut
    assert 0.35 < time.monotonic() - started < 1.0
    connection.close()
    with db_backend.deadline(5):
        connection.ensure_connection()  # opened inside the block: bounded by it too
        assert connection.connection.until is not None
    assert connection.connection.until is None
    connection.close()


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_failed_connect_is_not_tried_again_within_the_request():
    """DRF authenticates again after a database error: against a database that does not answer,
    the second connect fails at once instead of waiting another connect timeout."""
    from config.db_backend.base import DatabaseWrapper

    proxy = TcpProxy((connection.settings_dict.get("HOST") or "127.0.0.1",
                      int(connection.settings_dict.get("PORT") or 5432)))
    proxy.start()
    proxy.freeze()
    settings = {**connection.settings_dict, "HOST": "127.0.0.1", "PORT": proxy.port,
                "OPTIONS": {**connection.settings_dict["OPTIONS"], "connect_timeout": 2}}
    frozen = DatabaseWrapper(settings, alias="frozen")
    try:
        timings = []
        for _ in range(2):
            started = time.monotonic()
            with pytest.raises(OperationalError):
                frozen.ensure_connection()
            timings.append(time.monotonic() - started)
        assert 1.9 < timings[0] < 3 and timings[1] < 0.1
        frozen.close_if_unusable_or_obsolete()  # the next request tries again
        started = time.monotonic()
        with pytest.raises(OperationalError), db_backend.deadline(0.5, using="default"):
            frozen.ensure_connection()
        assert 1.9 < time.monotonic() - started < 3
    finally:
        frozen.close()
        proxy.stop()


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_seed_and_check_counters_run_whatever_the_serving_limits():
    """COPY, index builds and ANALYZE take longer than a request may: under a 10 ms statement
    timeout and a 50 ms deadline the seed and check_counters still finish."""
    from statuses.models import Status

    def tighten():
        connection.ensure_connection()
        connection.connection.query_deadline = 0.05
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 10")

    try:
        tighten()
        out = StringIO()
        call_command("seed", "--accounts", "40", "--statuses", "600", "--replies", "5",
                     stdout=out)
        assert "Statuses: 600 loaded" in out.getvalue()
        assert Status.objects.count() >= 600
        tighten()
        out = StringIO()
        call_command("check_counters", stdout=out)
        assert "Every counter equals its rows." in out.getvalue()
    finally:
        connection.close()  # the flush after the test runs on a connection bounded as configured

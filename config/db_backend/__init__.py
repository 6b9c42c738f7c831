"""PostgreSQL connections bounded in time, and the two ways to change the bound for a block.

`ENGINE: "config.db_backend"` (set by config/settings.py for PostgreSQL URLs) is Django's
PostgreSQL backend whose connections give up on an exchange with the server after
`QUERY_DEADLINE` seconds (DB_QUERY_DEADLINE), close themselves and raise OperationalError: a
frozen database is a 503 within seconds, not a worker killed by gunicorn's timeout.

- `bulk_work()`: no deadline and `statement_timeout = 0` for long, legitimate work (seed's COPY
  and index builds, migrate, check_counters on a large database).
- `deadline(seconds)`: everything in the block, connecting included, ends within `seconds`
  (/health answers within HEALTH_TIMEOUT).

On other databases (SQLite) both are no-ops.
"""

from contextlib import contextmanager
from time import monotonic

from django.db import Error, connections


def _ours(using: str):
    from config.db_backend.base import DatabaseWrapper

    connection = connections[using]
    return connection if isinstance(connection, DatabaseWrapper) else None


@contextmanager
def bulk_work(using: str = "default"):
    """Run the block without the client deadline and with `SET statement_timeout = 0`; the
    configured values come back afterwards (RESET restores the connection's start-up value)."""
    connection = _ours(using)
    if connection is None:
        yield
        return
    if connection.connection is not None and connection.connection.closed:
        connection.close()  # closed under Django (a deadline passed): the next one is lifted
    connection.bulk_depth += 1
    try:
        if connection.bulk_depth == 1 and connection.connection is not None:
            connection.connection.query_deadline = None
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")
        yield
    finally:
        connection.bulk_depth -= 1
        if connection.bulk_depth == 0 and connection.connection is not None:
            connection.connection.query_deadline = connection.query_deadline
            try:
                with connection.cursor() as cursor:
                    cursor.execute("RESET statement_timeout")
            except Error:
                # An aborted transaction: our SET was part of it (we entered inside it) and its
                # rollback undoes it; a closed connection: the next one starts bounded.
                pass


@contextmanager
def deadline(seconds: float, using: str = "default"):
    """Every exchange with the database in the block, a new connection included, ends by
    `seconds` from now (a connection is given at least libpq's minimum of 2 s)."""
    connection = _ours(using)
    if connection is None:
        yield
        return
    outer = connection.until
    until = monotonic() + seconds
    if outer is not None:
        until = min(until, outer)
    connection.until = until
    if connection.connection is not None:
        connection.connection.until = until
    try:
        yield
    finally:
        connection.until = outer
        if connection.connection is not None:
            connection.connection.until = outer

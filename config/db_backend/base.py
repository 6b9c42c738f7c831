"""Django's PostgreSQL backend with DeadlineConnection (config/db_backend/connection.py).

Django's backend opens its connections with `self.Database.connect(**params)`, where `Database`
is the psycopg module, and reads its error classes from the same attribute. Replacing that one
attribute with the module seen through `_Psycopg`, whose `connect` makes DeadlineConnections, is
the smallest hook: every other line of Django's `get_new_connection` (isolation level, the pool)
runs unchanged. What is ours on top: each new connection gets the configured
`QUERY_DEADLINE` (a key of the DATABASES entry; not an OPTION, which libpq would refuse), and the
two scopes of `config.db_backend` (`bulk_work()`, `deadline()`) apply to connections opened
inside them too.
"""

import math
from time import monotonic

import psycopg
from django.db.backends.postgresql import base

from config.db_backend.connection import DeadlineConnection


class _Psycopg:
    """The psycopg module, but `connect` returns a DeadlineConnection."""

    connect = staticmethod(DeadlineConnection.connect)

    def __getattr__(self, name):
        return getattr(psycopg, name)


class DatabaseWrapper(base.DatabaseWrapper):
    Database = _Psycopg()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Per wrapper, hence per thread: how deep inside bulk_work() this thread is, the end
        # of the innermost deadline() block, and when connecting last failed.
        self.bulk_depth = 0
        self.until: float | None = None
        self.connect_failed_at: float | None = None

    @property
    def query_deadline(self) -> float | None:
        if self.bulk_depth:
            return None
        return self.settings_dict.get("QUERY_DEADLINE") or None

    def get_new_connection(self, conn_params):
        timeout = int(conn_params.get("connect_timeout") or 0)
        if (self.connect_failed_at is not None
                and monotonic() - self.connect_failed_at < max(timeout, 2)):
            # Connecting failed moments ago in this request (or this command): the database is
            # out, and trying again would make the caller wait a whole connect timeout more.
            # This happens: DRF authenticates again when the first attempt raised a database
            # error, and a request's error handling may read the database. Request boundaries
            # (close_if_unusable_or_obsolete) and the timeout's end let the next attempt through.
            raise psycopg.OperationalError(
                "connecting to PostgreSQL failed moments ago; not trying again in this request")
        if self.until is not None:
            # libpq counts its connect_timeout in whole seconds, at least 2.
            left = math.ceil(max(self.until - monotonic(), 0.0))
            conn_params = {**conn_params,
                           "connect_timeout": max(min(timeout, left) if timeout else left, 2)}
        try:
            connection = super().get_new_connection(conn_params)
        except psycopg.OperationalError:
            self.connect_failed_at = monotonic()
            raise
        self.connect_failed_at = None
        connection.query_deadline = self.query_deadline
        connection.until = self.until
        return connection

    def close_if_unusable_or_obsolete(self):
        # Django calls this at the start and the end of every request: a new request tries to
        # connect again whatever happened in the last one.
        self.connect_failed_at = None
        super().close_if_unusable_or_obsolete()

    def init_connection_state(self):
        super().init_connection_state()
        if self.bulk_depth:
            with self.connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")

"""A psycopg connection that stops waiting for PostgreSQL after a deadline.

psycopg runs every exchange with the server (a statement and its results, a fetch, a COPY
chunk, COMMIT, ROLLBACK) through `Connection.wait()`, which waits for as long as it takes unless
given a timeout. Against a PostgreSQL whose processes are stopped (SIGSTOP, a stuck storage, a
paused VM) that is forever: the server's kernel still acknowledges what we send and answers TCP
keepalive probes, so neither keepalives nor `tcp_user_timeout` nor the server's own
`statement_timeout` can end the wait. Only the client can. `DeadlineConnection.wait()` gives each
such exchange a timeout; when it expires the connection is closed (its state is unknown, and a
later `SELECT 1` health check must fail at once rather than wait again) and an
`OperationalError` is raised, which Django wraps and config/outage.py answers with the 503.
"""

from __future__ import annotations

import logging
from time import monotonic

import psycopg
from psycopg import errors
from psycopg.connection import _WAIT_INTERVAL

logger = logging.getLogger("duostatus.db")


class DeadlineExceeded(psycopg.OperationalError):
    """PostgreSQL did not answer within the deadline; the connection was closed."""


class DeadlineConnection(psycopg.Connection):
    """`query_deadline`: seconds each exchange may wait (None: no limit). `until`: a
    `time.monotonic()` instant no exchange may wait past (set by `config.db_backend.deadline()`
    for a block of work, such as /health's check). Both are plain attributes so that the thread
    that sends a seed's COPY on this connection obeys them too."""

    query_deadline: float | None = None
    until: float | None = None

    def wait(self, gen, interval: float = _WAIT_INTERVAL, timeout: float | None = None):
        if timeout is not None:  # psycopg's own bounded waits (notifies, cancellation)
            return super().wait(gen, interval, timeout)
        limit, setting = self._limit()
        if limit is None:
            return super().wait(gen, interval, None)
        try:
            return super().wait(gen, interval, limit)
        except errors._WaitTimeout:
            # The exchange is half done and the server may never finish it: nothing can be sent
            # on this connection any more. Closing it also sends a FIN, so a server that wakes
            # up rolls back whatever transaction the connection had open.
            logger.warning("PostgreSQL did not answer within %.1f s (%s); closing the connection",
                           limit, setting)
            self.close()
            raise DeadlineExceeded(
                f"PostgreSQL did not answer within {limit:.1f} s ({setting}); "
                "the connection was closed") from None

    def _limit(self) -> tuple[float | None, str]:
        limit, setting = self.query_deadline or None, "DB_QUERY_DEADLINE"
        if self.until is not None:
            left = max(self.until - monotonic(), 0.0)
            if limit is None or left < limit:
                limit, setting = left, "the block's deadline"
        return limit, setting

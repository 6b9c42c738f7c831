"""GET a status with a token in one statement: the bearer token (with its user, application and
moderator flag) and the status as that token's user may see it.

The statement joins the token select (config/api/auth.py's TOKEN_QUERY) as a derived table
`tok` with the single-status select of statuses/selectors/single.py (`SINGLE_FOR_VIEWER`) LATERAL, its
`viewer` parameter bound to the token's `viewer_id` column: one round trip instead of two, which
made `GET /api/v1/statuses/:id` with a token 1.6 ms instead of 2.1 ms in-process on PostgreSQL
(notes in the README's Performance section). LATERAL is PostgreSQL's; elsewhere `supported()`
is false and the view reads the token, then the status.
"""

from django.db import connection

from config.api.auth import TOKEN_QUERY, token_from_row
from statuses.selectors.single import SINGLE_FOR_VIEWER


class TokenAndStatus:
    def __init__(self):
        self._sql: str | None = None

    def sql(self) -> str:
        if self._sql is None:
            status = SINGLE_FOR_VIEWER.sql_binding(viewer="tok.viewer_id")
            self._sql = (f"SELECT tok.*, st.* FROM ({TOKEN_QUERY.select().sql}) tok "
                         f"LEFT JOIN LATERAL ({status}) st ON TRUE")
        return self._sql

    @staticmethod
    def supported() -> bool:
        return connection.vendor == "postgresql"

    def fetch(self, *, token_checksum: str, status_id: int):
        """None when there is no such token; else (token, the status row for
        statuses.selectors.judge_single: the status, or None, and its facts by name)."""
        token_select = TOKEN_QUERY.select()
        with connection.cursor() as cursor:
            cursor.execute(self.sql(), {"checksum": token_checksum, "status": status_id})
            row = cursor.fetchone()
        if row is None:
            return None
        token, extras = token_select.decode(row[:token_select.width])
        return (token_from_row(token, extras["moderator"]),
                SINGLE_FOR_VIEWER.decode(row[token_select.width:]))


token_and_status = TokenAndStatus()

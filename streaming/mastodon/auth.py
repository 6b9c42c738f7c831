"""Who is streaming, as Mastodon's streaming server decides it (`accountFromRequest`,
`checkScopes`): the token comes from the `Authorization` header, else the `access_token`
parameter, else (WebSocket) the `Sec-WebSocket-Protocol` header; every stream needs a user's
token (Mastodon 4.2 removed anonymous and app-token access), and the scopes of the stream."""

from config.api.streams import (  # noqa: F401  (this face's consumers import them from here)
    INVALID_TOKEN,
    MISSING_SCOPES,
    MISSING_TOKEN,
    Session,
    StreamError,
    session_for,
)


def raw_token(headers: dict[bytes, bytes], query: dict[str, str],
              subprotocols: list[str] | None = None) -> str | None:
    """The token of a request's headers (lower-case names), query and offered subprotocols,
    in Mastodon's order."""
    authorization = headers.get(b"authorization", b"").decode("latin-1")
    if authorization:
        token = authorization[7:] if authorization.startswith("Bearer ") else authorization
        return token.strip() or None
    if query.get("access_token"):
        return query["access_token"]
    if subprotocols:
        return subprotocols[0]
    return None


def check_scopes(session: Session, name: str | None) -> None:
    """`read` covers every stream; otherwise `read:notifications` for the notifications stream
    and `read:statuses` for any other (Mastodon checks the exact names)."""
    narrow = "read:notifications" if name == "user:notification" else "read:statuses"
    if not session.in_scope("read", narrow):
        raise StreamError(401, MISSING_SCOPES)

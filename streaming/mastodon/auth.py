"""Who is streaming, as Mastodon's streaming server decides it (`accountFromRequest`,
`checkScopes`): the token comes from the `Authorization` header, else the `access_token`
parameter, else (WebSocket) the `Sec-WebSocket-Protocol` header; every stream needs a user's
token (Mastodon 4.2 removed anonymous and app-token access), and the scopes of the stream."""

from dataclasses import dataclass, field

from django.utils import timezone

from config.api.auth import access_token_get


class StreamError(Exception):
    """A refusal with the streaming server's status and message (`AuthenticationError` is 401,
    `RequestError` 400)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


MISSING_TOKEN = "Missing access token"
INVALID_TOKEN = "Invalid access token"
MISSING_SCOPES = "Access token does not have the required scopes"


@dataclass
class Session:
    viewer: object  # the token's Account
    token_id: int
    scopes: set[str] = field(default_factory=set)

    def in_scope(self, *scopes: str) -> bool:
        """Mastodon's `isInScope`: the exact names, any of them."""
        return any(scope in self.scopes for scope in scopes)


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


def session_for(raw: str | None) -> Session:
    """The session of a raw token (one query), or StreamError 401."""
    if not raw:
        raise StreamError(401, MISSING_TOKEN)
    token = access_token_get(raw)
    if token is None or token.user is None or (token.expires and token.expires < timezone.now()):
        raise StreamError(401, INVALID_TOKEN)
    user = token.user
    if not user.is_active or user.suspended_at is not None:
        raise StreamError(401, INVALID_TOKEN)
    return Session(viewer=user, token_id=token.pk, scopes=set(token.scope.split()))


def check_scopes(session: Session, name: str | None) -> None:
    """`read` covers every stream; otherwise `read:notifications` for the notifications stream
    and `read:statuses` for any other (Mastodon checks the exact names)."""
    narrow = "read:notifications" if name == "user:notification" else "read:statuses"
    if not session.in_scope("read", narrow):
        raise StreamError(401, MISSING_SCOPES)

"""Who is at the other end of a live stream, for both dialects' sockets (Mastodon's streaming
API, SelfCommunity's notification socket): the session of an access token, or a refusal with
the status the handshake answers. Each face finds the raw token where its clients put it."""

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


def session_for(raw: str | None) -> Session:
    """The session of a raw token (one query), or StreamError 401: a user's live token (every
    stream needs one; an app-only token has nobody to stream for) of an active account."""
    if not raw:
        raise StreamError(401, MISSING_TOKEN)
    token = access_token_get(raw)
    if token is None or token.user is None or (token.expires and token.expires < timezone.now()):
        raise StreamError(401, INVALID_TOKEN)
    user = token.user
    if not user.is_active or user.suspended_at is not None:
        raise StreamError(401, INVALID_TOKEN)
    return Session(viewer=user, token_id=token.pk, scopes=set(token.scope.split()))

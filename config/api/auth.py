"""Bearer-token authentication over django-oauth-toolkit's tokens, and Mastodon's scope rules.

One indexed query resolves a token to its user and application. An unknown or expired token is
remembered on the request rather than refused here, because Mastodon serves optional-token
endpoints to such callers as anonymous and refuses them only where a token is required.
"""

import hashlib

from django.utils import timezone
from oauth2_provider.models import get_access_token_model
from rest_framework import exceptions, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission

from config.db import PreparedSelect
from config.scopes import scopes_cover

TOKEN_INVALID = "The access token is invalid"
TOKEN_EXPIRED = "The access token expired"
TOKEN_REVOKED = "The access token was revoked"
OUTSIDE_SCOPES = "This action is outside the authorized scopes"
USER_REQUIRED = "This method requires an authenticated user"
LOGIN_DISABLED = "Your login is currently disabled"


class TokenRequired(exceptions.NotAuthenticated):
    """401 with the reason Doorkeeper would give."""

    def __init__(self, reason: str = TOKEN_INVALID):
        super().__init__(detail=reason)
        self.reason = reason


class UserRequired(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = USER_REQUIRED


def bearer_token(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header[:7].lower() == "bearer ":
        token = header[7:].strip()
        return token or None
    # Mastodon (Doorkeeper) also reads the token from the access_token parameter.
    token = request.GET.get("access_token")
    return token or None


def _moderator_exists() -> str:
    """Whether the token's user is in the Moderators group, read with the token (t1 = user)."""
    from django.contrib.auth.models import Group

    from accounts.models import MODERATORS_GROUP, Account

    groups = Account.groups.through._meta.db_table
    return (f"EXISTS (SELECT 1 FROM {groups} ag JOIN {Group._meta.db_table} g "
            f"ON g.id = ag.group_id WHERE ag.account_id = t1.id AND g.name = '{MODERATORS_GROUP}')")


class _TokenQuery:
    """The token lookup, compiled on first use (the models are not ready at import time): the
    token, its user and application, and as named columns `moderator` (whether the user is in
    the Moderators group) and `viewer_id` (the user's id, for statements that read the token and
    what its user may see in one round trip: config/api/token_status.py)."""

    def __init__(self):
        self._select: PreparedSelect | None = None

    def select(self) -> PreparedSelect:
        if self._select is None:
            self._select = PreparedSelect(
                get_access_token_model(), relations=["user", "application"],
                where="t0.token_checksum = %(checksum)s",
                extra={"moderator": _moderator_exists(), "viewer_id": 't0."user_id"'})
        return self._select

    def fetch(self, checksum_: str):
        return self.select().fetch({"checksum": checksum_})


TOKEN_QUERY = _TokenQuery()


def checksum(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def token_from_row(token, moderator):
    """The AccessToken a token select decoded, with its user's moderator flag set."""
    if token is not None and token.user is not None:
        token.user._in_moderators_group = bool(moderator)
    return token


def access_token_get(raw: str):
    """The AccessToken for a raw bearer string, with its user and application, or None."""
    rows = TOKEN_QUERY.fetch(checksum(raw))
    if not rows:
        return None
    token, extras = rows[0]
    return token_from_row(token, extras["moderator"])


def _unknown_token_reason(raw: str) -> str:
    from accounts.models import RevokedToken

    if RevokedToken.objects.filter(token_checksum=checksum(raw)).exists():
        return TOKEN_REVOKED
    return TOKEN_INVALID


class BearerTokenAuthentication(BaseAuthentication):
    """Resolves `Authorization: Bearer <token>` to (user or None, AccessToken)."""

    def authenticate(self, request):
        raw = bearer_token(request._request)
        if raw is None:
            return None
        return self.accept(request, raw, access_token_get(raw))

    def accept(self, request, raw: str, token):
        """(user or None, token) for a token row already read (None when there is none), or
        None with the reason remembered on the request."""
        if token is None:
            request._request.token_error = _unknown_token_reason(raw)
            return None
        if token.expires and token.expires < timezone.now():
            request._request.token_error = TOKEN_EXPIRED
            return None
        token.scope_set = set(token.scope.split())
        return (token.user, token)

    def authenticate_header(self, request):
        return 'Bearer realm="Doorkeeper"'


class ScopePermission(BasePermission):
    """Checks, in Mastodon's order: token present (401), scope (403), user (422), user state (403).

    A view declares `required_scopes` as a dict from action or HTTP method to a tuple of scopes
    (any one suffices), `token_required_actions` for actions that refuse anonymous callers, and
    `user_required_actions` for actions that refuse app-only tokens.
    """

    def has_permission(self, request, view):
        action = getattr(view, "action", None) or request.method.lower()
        scopes = view.required_scopes.get(action) or view.required_scopes.get(request.method)
        token = request.auth
        if token is None:
            if action in view.token_required_actions:
                raise TokenRequired(getattr(request._request, "token_error", TOKEN_INVALID))
            return True
        if scopes and not scopes_cover(token.scope_set, scopes):
            raise exceptions.PermissionDenied(OUTSIDE_SCOPES)
        user = token.user
        if user is None:
            if action in view.user_required_actions:
                raise UserRequired()
            return True
        if not user.is_active or user.suspended_at is not None:
            raise exceptions.PermissionDenied(LOGIN_DISABLED)
        return True


def viewer_of(request):
    """The account behind the request's token, or None (anonymous or app-only token)."""
    token = request.auth
    return token.user if token is not None else None

"""What both dialects' viewsets share: bearer-token authentication, the scope/user rules of
ScopePermission, UTF-8 JSON, and `viewer` (the account behind the token, or None)."""

from rest_framework.viewsets import ViewSet

from config.api.auth import BearerTokenAuthentication, ScopePermission
from config.api.renderers import UTF8JSONRenderer


class TokenViewSet(ViewSet):
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [ScopePermission]
    renderer_classes = [UTF8JSONRenderer]
    # Per action (or HTTP method): the scopes of which any one suffices.
    required_scopes: dict[str, tuple[str, ...]] = {}
    # Actions that refuse anonymous callers, and those that refuse app-only tokens.
    token_required_actions: frozenset[str] = frozenset()
    user_required_actions: frozenset[str] = frozenset()

    @property
    def viewer(self):
        token = self.request.auth
        return token.user if token is not None else None

"""What both dialects' viewsets share: bearer-token authentication, the scope/user rules of
ScopePermission, UTF-8 JSON, and `viewer` (the account behind the token, or None)."""

from rest_framework.viewsets import ViewSet

from config.api.auth import BearerTokenAuthentication, ScopePermission
from config.api.renderers import JSONNegotiation, UTF8JSONRenderer


class TokenViewSet(ViewSet):
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [ScopePermission]
    renderer_classes = [UTF8JSONRenderer]
    content_negotiation_class = JSONNegotiation
    # Per action (or HTTP method): the scopes of which any one suffices.
    required_scopes: dict[str, tuple[str, ...]] = {}
    # Actions that refuse anonymous callers, and those that refuse app-only tokens.
    token_required_actions: frozenset[str] = frozenset()
    user_required_actions: frozenset[str] = frozenset()

    @property
    def viewer(self):
        token = self.request.auth
        return token.user if token is not None else None

    @property
    def body(self):
        """The request's parameters as a mapping; a JSON body that is not an object (a list, a
        string, a number) carries none, as in Rails, instead of breaking parameter reads."""
        data = self.request.data
        return data if hasattr(data, "get") and hasattr(data, "keys") else {}


def parse_id(value) -> int | None:
    """A row id from a path or parameter (either dialect); None when it cannot name a row."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    if number <= 0 or number > 9_223_372_036_854_775_807:
        return None
    return number

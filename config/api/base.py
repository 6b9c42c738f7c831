"""What both dialects' viewsets share: bearer-token authentication, the scope/user rules of
ScopePermission, the request budgets (one rate limit for both dialects), UTF-8 JSON, and `viewer`
(the account behind the token, or None)."""

from rest_framework.response import Response
from rest_framework.viewsets import ViewSet

from config import ratelimit
from config.api import filters
from config.api.auth import BearerTokenAuthentication, ScopePermission
from config.api.renderers import JSONNegotiation, UTF8JSONRenderer
from config.params import parse_id  # noqa: F401  (the faces import it from here)


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

    # Rack::Attack's request budgets, drawn on by every request of either dialect: the API
    # budgets per user, per token and per IP, the paging budget when one of `paging_params` is
    # given, and the 30-per-30-minutes budgets of deletes and media uploads for these actions.
    paging_params: tuple[str, ...] = ("page", "min_id", "max_id", "since_id")
    delete_throttled_actions: frozenset[str] = frozenset()
    media_throttled_actions: frozenset[str] = frozenset()
    # Per action: the FilterSet (config/api/filters.py) that cleans its query parameters. Every
    # list declares one covering what the served description lists for it
    # (tests/api/test_list_filtersets.py).
    filtersets: dict[str, type[filters.ParamsFilterSet]] = {}

    def perform_authentication(self, request):
        super().perform_authentication(request)
        # Counted before any other check, refused or not, as Rack::Attack does.
        self.rate_limit_headers = {}
        if ratelimit.enabled():
            self.rate_limit_headers = ratelimit.charge_request(self.request_budgets(request))

    def request_budgets(self, request) -> ratelimit.Budgets:
        token = request.auth
        user = token.user if token is not None else None
        action = getattr(self, "action", None)
        return ratelimit.Budgets(
            user_id=user.pk if user is not None else None,
            token_id=token.pk if token is not None else None,
            ip=ratelimit.client_ip(request),
            paging=any(key in request.query_params for key in self.paging_params),
            delete=action in self.delete_throttled_actions,
            media=action in self.media_throttled_actions,
        )

    def options(self, request, *args, **kwargs):
        """OPTIONS: the Allow header (set by DRF from the route's methods), no body. DRF's
        default would describe the view (its name and docstring); a browser's CORS preflight
        never reaches here (django-cors-headers answers it)."""
        return Response(status=204)

    def spend_budget(self, name: str) -> None:
        """Count this request against one more per-user budget, for an action that knows only
        from its body whether it draws on it (SelfCommunity's media endpoint uploads files and
        also makes shares)."""
        if not ratelimit.enabled() or self.viewer is None:
            return
        count = ratelimit.hit(ratelimit.rule(name), f"u{self.viewer.pk}")
        if count.exceeded:
            raise ratelimit.exceeded(count)
        current = getattr(self, "rate_limit_headers", {}).get("X-RateLimit-Remaining")
        if current is None or count.remaining < int(current):
            self.rate_limit_headers = count.headers()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        for header, value in getattr(self, "rate_limit_headers", {}).items():
            response.setdefault(header, value)
        return response

    def list_params(self) -> dict:
        """This action's query parameters as its FilterSet cleans them; a value it refuses is
        raised as the dialect's error naming the parameter (`filter_error`)."""
        cleaned = getattr(self, "_list_params", None)
        if cleaned is None:
            cleaned = self._list_params = filters.clean(
                self.filtersets[self.action], self.request.query_params, self.filter_error)
        return cleaned

    def filter_error(self, filterset: filters.ParamsFilterSet) -> Exception:
        """The dialect's exception for the parameters `filterset` refused."""
        raise NotImplementedError

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

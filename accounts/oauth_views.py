"""The OAuth2 endpoints at Mastodon's paths, on django-oauth-toolkit's views.

Two Mastodon habits need small additions: the out-of-band redirect URI shows the code on a page
instead of redirecting, and the token response carries `created_at`. Their errors are JSON like
the rest of /oauth/: a wrong method, and a parameter PostgreSQL could not look up.
"""

import base64
import binascii
import json
from urllib.parse import parse_qs, unquote_plus, urlsplit

from django.conf import settings
from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views import View
from oauth2_provider import views as dot_views
from oauthlib.oauth2.rfc6749.errors import MissingCodeVerifierError

from accounts import login_throttle
from accounts.oauth import CODE_CHALLENGE_METHODS
from accounts.opener import keeps_opener_on_dispatch
from accounts.services import OOB_URI
from config import views
from config.api.mastodon import unstorable_text
from config.api.parsers import nesting_depth_exceeds
from config.instance import base_url


def _unstorable_parameters(request) -> JsonResponse | None:
    """OAuth's invalid_request for a parameter (query, form or Basic credentials) that holds a
    NUL or an unpaired surrogate: django-oauth-toolkit looks such values up as they are, which
    PostgreSQL refuses with a 500. The wording is the Mastodon dialect's ("Client id contains a
    null byte")."""
    messages = unstorable_text(request.GET) + unstorable_text(request.POST)
    scheme, _, encoded = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(encoded.strip()).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            decoded = ""
        messages += unstorable_text({"authorization": unquote_plus(decoded)})
    if not messages:
        return None
    response = JsonResponse(
        {"error": "invalid_request", "error_description": ", ".join(messages)}, status=400
    )
    response["Content-Type"] = "application/json; charset=utf-8"
    response["Cache-Control"] = "no-store"
    return response


def _invalid_request(description: str) -> JsonResponse:
    response = JsonResponse({"error": "invalid_request", "error_description": description},
                            status=400)
    response["Content-Type"] = "application/json; charset=utf-8"
    response["Cache-Control"] = "no-store"
    return response


def _json_form(request) -> JsonResponse | None:
    """Doorkeeper reads an `application/json` body as it reads a form, and JavaScript clients
    (masto.js) send their token requests that way: a JSON object's scalar members become the
    form django-oauth-toolkit reads. Anything else than a flat object is an invalid_request."""
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type != "application/json" and not content_type.endswith("+json"):
        return None
    try:
        text = request.body.decode("utf-8")
        if nesting_depth_exceeds(text, 2):
            return _invalid_request("The request body must be a JSON object of strings.")
        body = json.loads(text) if text.strip() else {}
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _invalid_request("The request body is not valid JSON.")
    if not isinstance(body, dict):
        return _invalid_request("The request body must be a JSON object of strings.")
    form = QueryDict(mutable=True)
    for key, value in body.items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, int | float | str):
            value = str(value)
        elif isinstance(value, list) and key == "scope" and all(isinstance(v, str) for v in value):
            value = " ".join(value)
        else:
            return _invalid_request(f"The parameter {key} must be a string.")
        form[key] = value
    form._mutable = False
    request.POST = form
    return None


class JSONErrorsMixin:
    """A wrong method on an OAuth endpoint is a JSON 405, as everywhere under /oauth/ (Django's
    own is an empty text/html one)."""

    def http_method_not_allowed(self, request, *args, **kwargs):
        return views.method_not_allowed(request, self._allowed_methods())


def _json_content_type(response):
    """oauthlib leaves some error bodies (JSON objects) without a Content-Type, which Django
    then labels text/html."""
    if not response.get("Content-Type", "").startswith("application/json") and (
        response.content.lstrip().startswith(b"{")
    ):
        response["Content-Type"] = "application/json; charset=utf-8"
    return response


@keeps_opener_on_dispatch
class AuthorizeView(JSONErrorsMixin, dot_views.AuthorizationView):
    """The consent page, its answer and the redirect that carries the code: all in the login
    popup of web clients, so all keep its opener (accounts/opener.py)."""

    template_name = "oauth2_provider/authorize.html"

    def get(self, request, *args, **kwargs):
        return _unstorable_parameters(request) or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return _unstorable_parameters(request) or super().post(request, *args, **kwargs)

    def redirect(self, redirect_to, application):
        if redirect_to.startswith(OOB_URI):
            query = parse_qs(urlsplit(redirect_to).query)
            context = {
                "application": application,
                "code": (query.get("code") or [""])[0],
                "error": (query.get("error") or [""])[0],
            }
            return render(self.request, "oauth/oob.html", context, status=200)
        return super().redirect(redirect_to, application)


# Doorkeeper's description of an invalid_grant (a spent, unknown or expired code, a code of
# another client or redirect URI, a wrong PKCE verifier).
INVALID_GRANT = (
    "The provided authorization grant is invalid, expired, revoked, does not match the "
    "redirection URI used in the authorization request, or was issued to another client."
)


def _too_many_attempts(lock: login_throttle.Lock) -> JsonResponse:
    """Rack::Attack's throttled answer (Mastodon's words), with when to come back."""
    response = JsonResponse({"error": "Too many requests", "error_description": lock.message},
                            status=429)
    response["Content-Type"] = "application/json; charset=utf-8"
    response["Cache-Control"] = "no-store"
    for header, value in lock.headers().items():
        response[header] = value
    return response


class TokenView(JSONErrorsMixin, dot_views.TokenView):
    def post(self, request, *args, **kwargs):
        refused = _json_form(request) or _unstorable_parameters(request)
        if refused is not None:
            return refused
        if request.POST.get("grant_type") == "password":
            # Before the client and the password are checked: a locked key tests nothing.
            lock = login_throttle.locked(request, request.POST.get("username"))
            if lock is not None:
                return _too_many_attempts(lock)
        response = _json_content_type(super().post(request, *args, **kwargs))
        if not response.get("Content-Type", "").startswith("application/json"):
            return response
        if response.status_code == 200:
            body = json.loads(response.content)
            body.setdefault("created_at", int(timezone.now().timestamp()))
            response.content = json.dumps(body)
        elif response.status_code == 400:
            body = json.loads(response.content)
            # A code issued with a PKCE challenge and exchanged without its verifier: oauthlib
            # calls it an invalid_request, Doorkeeper an invalid_grant (its PKCE check fails).
            missing_verifier = body == {"error": "invalid_request",
                                        "error_description": MissingCodeVerifierError.description}
            if missing_verifier or (
                body.get("error") == "invalid_grant" and not body.get("error_description")
            ):
                # oauthlib names no reason for a wrong code or PKCE verifier; Doorkeeper does.
                body = {"error": "invalid_grant", "error_description": INVALID_GRANT}
                response.content = json.dumps(body)
        return response


class RevokeView(JSONErrorsMixin, dot_views.RevokeTokenView):
    def post(self, request, *args, **kwargs):
        refused = _json_form(request) or _unstorable_parameters(request)
        if refused is not None:
            return refused
        response = _json_content_type(super().post(request, *args, **kwargs))
        if response.status_code == 200:
            # Mastodon answers a revocation with an empty JSON object.
            response.content = b"{}"
            response["Content-Type"] = "application/json; charset=utf-8"
        return response


class AuthorizationServerMetadataView(JSONErrorsMixin, View):
    """`GET /.well-known/oauth-authorization-server`: RFC 8414 metadata with the fields Mastodon
    4.3+ serves, so clients find PKCE (Phanpy uses it when `code_challenge_methods_supported`
    holds S256) and the endpoints. Mastodon's `userinfo_endpoint` is left out: there is no
    `/oauth/userinfo` here. The values say what this server does: django-oauth-toolkit answers
    an authorization with a query-string redirect only, and grants refresh tokens."""

    def get(self, request):
        base = base_url()
        response = JsonResponse({
            "issuer": f"{base}/",
            "service_documentation": "https://docs.joinmastodon.org/",
            "authorization_endpoint": f"{base}/oauth/authorize",
            "token_endpoint": f"{base}/oauth/token",
            "app_registration_endpoint": f"{base}/api/v1/apps",
            "revocation_endpoint": f"{base}/oauth/revoke",
            "scopes_supported": list(settings.MASTODON_SCOPES),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "code_challenge_methods_supported": list(CODE_CHALLENGE_METHODS),
            "grant_types_supported": ["authorization_code", "password", "client_credentials",
                                      "refresh_token"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic",
                                                      "client_secret_post"],
        })
        response["Content-Type"] = "application/json; charset=utf-8"
        return response

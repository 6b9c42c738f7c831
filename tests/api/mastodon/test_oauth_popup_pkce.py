"""What web clients' OAuth login needs: the popup keeps its opener (COOP on exactly the login,
consent and redirect answers), PKCE with S256 as Mastodon takes it, and the RFC 8414 metadata
that advertises it, readable cross-origin."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from oauth2_provider.models import AccessToken, Grant

from accounts.oauth_views import INVALID_GRANT
from accounts.services import application_create
from tests.api.mastodon.test_oauth import hidden_fields
from tests.factories import AccountFactory

REDIRECT = "https://client.example/"
PASSWORD = "popup-pass-1234"


def challenge_of(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@pytest.fixture
def client_app(db):
    application, secret = application_create(
        name="Popup Client", redirect_uris=[REDIRECT], scopes="read write follow push",
        website="https://client.example",
    )
    return application, secret


@pytest.fixture
def dana(db):
    return AccountFactory(username="dana", password=PASSWORD)


def authorize_query(application, **extra) -> str:
    return "/oauth/authorize?" + urlencode({
        "response_type": "code", "client_id": application.client_id,
        "redirect_uri": REDIRECT, "scope": "read write follow push", "state": "st4te", **extra,
    })


def consent_code(browser, url) -> tuple[str, object]:
    """GET the consent page, press Authorize; (code, the redirect answer)."""
    page = browser.get(url)
    assert page.status_code == 200, page.content
    fields = hidden_fields(page.content.decode())
    fields["allow"] = "Authorize"
    answer = browser.post("/oauth/authorize", fields)
    assert answer.status_code == 302, answer.content
    query = parse_qs(urlsplit(answer["Location"]).query)
    return query["code"][0], answer


def exchange(application, secret, code, **extra):
    return Client().post("/oauth/token", {
        "grant_type": "authorization_code", "code": code, "client_id": application.client_id,
        "client_secret": secret, "redirect_uri": REDIRECT, **extra,
    })


# --- the popup keeps its opener -------------------------------------------------------------


def test_login_popup_pages_keep_their_opener(client_app, dana):
    """Every answer the popup loads on its way from /oauth/authorize to the client: the redirect
    to the login page, the login page, the login's redirect back, the consent page and the
    redirect that carries the code."""
    application, _ = client_app
    browser = Client()
    url = authorize_query(application)

    to_login = browser.get(url)
    assert to_login.status_code == 302 and to_login["Location"].startswith("/auth/login/")
    login_page = browser.get(to_login["Location"])
    assert login_page.status_code == 200
    logged_in = browser.post("/auth/login/", {"username": "dana", "password": PASSWORD,
                                              "next": url})
    assert logged_in.status_code == 302 and logged_in["Location"] == url
    consent = browser.get(url)
    assert consent.status_code == 200
    fields = hidden_fields(consent.content.decode())
    fields["allow"] = "Authorize"
    with_code = browser.post("/oauth/authorize", fields)
    assert with_code.status_code == 302 and with_code["Location"].startswith(REDIRECT + "?code=")

    for answer in (to_login, login_page, logged_in, consent, with_code):
        assert answer["Cross-Origin-Opener-Policy"] == "unsafe-none"


def test_a_failed_login_in_the_popup_keeps_its_opener(dana):
    answer = Client().post("/auth/login/", {"username": "dana", "password": "wrong"})
    assert answer.status_code == 200
    assert answer["Cross-Origin-Opener-Policy"] == "unsafe-none"


@pytest.mark.parametrize("path", ["/", "/admin/login/", "/api/v1/instance", "/@dana",
                                  "/.well-known/oauth-authorization-server"])
def test_every_other_page_isolates_its_opener(dana, path):
    answer = Client().get(path)
    assert answer.status_code == 200
    assert answer["Cross-Origin-Opener-Policy"] == "same-origin"


# --- PKCE -------------------------------------------------------------------------------------


def test_pkce_code_exchange_with_the_right_verifier(client_app, dana):
    application, secret = client_app
    verifier = secrets.token_urlsafe(48)
    browser = Client()
    browser.force_login(dana)
    code, _ = consent_code(browser, authorize_query(
        application, code_challenge=challenge_of(verifier), code_challenge_method="S256"))
    grant = Grant.objects.get(code=code)
    assert (grant.code_challenge, grant.code_challenge_method) == (challenge_of(verifier), "S256")

    response = exchange(application, secret, code, code_verifier=verifier)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer" and body["scope"] == "read write follow push"
    token = AccessToken.objects.get(token=body["access_token"])
    assert token.user == dana and token.application == application
    assert not Grant.objects.filter(code=code).exists()  # spent


def test_pkce_code_exchange_with_a_wrong_verifier_is_invalid_grant(client_app, dana):
    application, secret = client_app
    verifier = secrets.token_urlsafe(48)
    browser = Client()
    browser.force_login(dana)
    code, _ = consent_code(browser, authorize_query(
        application, code_challenge=challenge_of(verifier), code_challenge_method="S256"))

    response = exchange(application, secret, code, code_verifier=secrets.token_urlsafe(48))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"error": "invalid_grant", "error_description": INVALID_GRANT}
    assert not AccessToken.objects.exists()
    # The challenge itself is no verifier either.
    response = exchange(application, secret, code, code_verifier=challenge_of(verifier))
    assert response.json() == {"error": "invalid_grant", "error_description": INVALID_GRANT}
    assert not AccessToken.objects.exists()
    # The right one still works: a wrong guess does not spend the code.
    assert exchange(application, secret, code, code_verifier=verifier).status_code == 200


def test_pkce_code_exchange_without_the_verifier_is_invalid_grant(client_app, dana):
    """Doorkeeper's PKCE check fails on a missing verifier as on a wrong one."""
    application, secret = client_app
    verifier = secrets.token_urlsafe(48)
    browser = Client()
    browser.force_login(dana)
    code, _ = consent_code(browser, authorize_query(
        application, code_challenge=challenge_of(verifier), code_challenge_method="S256"))
    response = exchange(application, secret, code)
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant", "error_description": INVALID_GRANT}
    assert not AccessToken.objects.exists()


@pytest.mark.parametrize("method", ["plain", None, "S512"])
def test_pkce_methods_other_than_s256_are_refused(client_app, dana, method):
    """Mastodon's Doorkeeper accepts S256 alone; `plain` (also what a missing method means) is
    sent back to the client with Doorkeeper's error, and no code is issued."""
    application, _ = client_app
    browser = Client()
    browser.force_login(dana)
    extra = {"code_challenge": "a" * 43}
    if method:
        extra["code_challenge_method"] = method
    answer = browser.get(authorize_query(application, **extra))
    assert answer.status_code == 302
    location = urlsplit(answer["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    assert parse_qs(location.query) == {
        "error": ["invalid_code_challenge_method"],
        "error_description": ["The code_challenge_method must be S256."],
        "state": ["st4te"],
    }
    assert answer["Cross-Origin-Opener-Policy"] == "unsafe-none"
    # Posting the consent form with it anyway issues no code either.
    answer = browser.post("/oauth/authorize", {
        "client_id": application.client_id, "redirect_uri": REDIRECT, "response_type": "code",
        "scope": "read", "state": "st4te", "allow": "Authorize", **extra})
    assert answer.status_code == 302
    assert parse_qs(urlsplit(answer["Location"]).query)["error"] == [
        "invalid_code_challenge_method"]
    assert not Grant.objects.exists()


def test_without_pkce_the_client_secret_still_suffices(client_app, dana):
    application, secret = client_app
    browser = Client()
    browser.force_login(dana)
    code, _ = consent_code(browser, authorize_query(application))
    assert Grant.objects.get(code=code).code_challenge == ""
    assert exchange(application, secret, code).status_code == 200


# --- the metadata -----------------------------------------------------------------------------


def test_authorization_server_metadata(settings):
    settings.INSTANCE_DOMAIN = "social.example"
    settings.INSTANCE_SCHEME = "https"
    response = Client().get("/.well-known/oauth-authorization-server")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "issuer": "https://social.example/",
        "service_documentation": "https://docs.joinmastodon.org/",
        "authorization_endpoint": "https://social.example/oauth/authorize",
        "token_endpoint": "https://social.example/oauth/token",
        "app_registration_endpoint": "https://social.example/api/v1/apps",
        "revocation_endpoint": "https://social.example/oauth/revoke",
        "scopes_supported": list(settings.MASTODON_SCOPES),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "code_challenge_methods_supported": ["S256"],
        "grant_types_supported": ["authorization_code", "password", "client_credentials",
                                  "refresh_token"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
    }
    scopes = response.json()["scopes_supported"]
    assert {"read", "write", "follow", "push", "profile", "read:statuses",
            "write:media"} <= set(scopes)


def test_metadata_scopes_are_the_ones_the_provider_grants():
    body = Client().get("/.well-known/oauth-authorization-server").json()
    assert set(body["scopes_supported"]) == set(settings.OAUTH2_PROVIDER["SCOPES"])


def test_metadata_is_readable_cross_origin():
    """Rack::Cors in Mastodon: `/.well-known/*` for any origin, GET, any header."""
    response = Client().get("/.well-known/oauth-authorization-server",
                            HTTP_ORIGIN="https://phanpy.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = Client().options(
        "/.well-known/oauth-authorization-server", HTTP_ORIGIN="https://phanpy.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization")
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "authorization" in preflight["Access-Control-Allow-Headers"]


def test_metadata_other_methods_are_a_json_405():
    response = Client().post("/.well-known/oauth-authorization-server")
    assert response.status_code == 405
    assert response.json() == {"error": "Method Not Allowed"}
    assert response["Allow"] == "GET, HEAD, OPTIONS"

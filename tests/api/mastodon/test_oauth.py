"""OAuth2 at Mastodon's paths: authorize (consent and out-of-band), token, revoke, and scopes."""

import json
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest
from django.test import Client
from oauth2_provider.models import AccessToken, Grant, RefreshToken

from accounts.services import application_create

OOB = "urn:ietf:wg:oauth:2.0:oob"
CUSTOM = "com.example.app://callback"
CODE_RE = re.compile(r'<code[^>]*id="authorization-code"[^>]*>([^<]+)</code>')


class _HiddenInputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""


def hidden_fields(html: str) -> dict[str, str]:
    parser = _HiddenInputs()
    parser.feed(html)
    return parser.fields


@pytest.fixture
def registered(db):
    """An app registered through POST /api/v1/apps' service, with its secret in clear."""

    def register(scopes="read write follow push", redirect_uris=(OOB,)):
        application, secret = application_create(
            name="Flow Client", redirect_uris=list(redirect_uris), scopes=scopes,
            website="https://flow.example",
        )
        return application, secret

    return register


def authorize_url(application, *, redirect_uri=OOB, scope="read write", **extra):
    params = {
        "response_type": "code",
        "client_id": application.client_id,
        "redirect_uri": redirect_uri,
        "scope": scope,
        **extra,
    }
    return "/oauth/authorize?" + urlencode(params)


def log_in(browser, username, password, next_url):
    response = browser.post(
        "/auth/login/", {"username": username, "password": password, "next": next_url}
    )
    assert response.status_code == 302, "login failed"
    assert response["Location"] == next_url
    return response


def consent(browser, url):
    """GET the consent page and POST "Authorize" with its hidden fields."""
    page = browser.get(url)
    assert page.status_code == 200
    fields = hidden_fields(page.content.decode())
    fields["allow"] = "Authorize"
    return page, browser.post("/oauth/authorize", fields)


def exchange(client, application, secret, code, redirect_uri=OOB):
    return client.post(
        "/oauth/token",
        {
            "grant_type": "authorization_code",
            "client_id": application.client_id,
            "client_secret": secret,
            "code": code,
            "redirect_uri": redirect_uri,
        },
    )


@pytest.mark.parametrize("login_name", ["alice", "alice@example.com"])
def test_authorization_code_flow_out_of_band(registered, alice, mastodon, login_name):
    application, secret = registered()
    browser = Client()
    url = authorize_url(application)

    response = browser.get(url)
    assert response.status_code == 302
    assert response["Location"] == "/auth/login/?next=" + quote(url, safe="/")
    assert Grant.objects.count() == 0

    log_in(browser, login_name, "password", url)

    page, response = consent(browser, url)
    html = page.content.decode()
    assert "Flow Client" in html
    assert "read all your account&#x27;s data" in html
    assert "modify all your account&#x27;s data" in html
    assert "modify account relationships" not in html  # `follow` was not asked for
    assert hidden_fields(html)["scope"] == "read write"

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    match = CODE_RE.search(response.content.decode())
    assert match, response.content.decode()
    code = match.group(1).strip()
    grant = Grant.objects.get()
    assert grant.user == alice and grant.application == application
    assert grant.scope == "read write"

    response = exchange(Client(), application, secret, code)
    assert response.status_code == 200
    body = response.json()
    assert {"access_token", "token_type", "scope", "created_at"} <= set(body)
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "read write"
    assert isinstance(body["created_at"], int) and body["created_at"] > 1_600_000_000
    assert isinstance(body["access_token"], str) and body["access_token"]
    token = AccessToken.objects.get(user=alice)
    assert token.application == application and token.scope == "read write"
    assert not Grant.objects.exists()  # the code is spent

    response = mastodon.as_token(body["access_token"]).get("/api/v1/accounts/verify_credentials")
    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_authorization_code_is_single_use(registered, alice):
    application, secret = registered()
    browser = Client()
    browser.force_login(alice)
    _, response = consent(browser, authorize_url(application))
    code = CODE_RE.search(response.content.decode()).group(1).strip()
    assert exchange(Client(), application, secret, code).status_code == 200
    again = exchange(Client(), application, secret, code)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    assert AccessToken.objects.count() == 1


def test_authorization_code_wrong_secret_is_refused(registered, alice):
    application, _secret = registered()
    browser = Client()
    browser.force_login(alice)
    _, response = consent(browser, authorize_url(application))
    code = CODE_RE.search(response.content.decode()).group(1).strip()
    response = exchange(Client(), application, "not-the-secret", code)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert AccessToken.objects.count() == 0


def test_login_wrong_password_stays_on_login_page(registered, alice):
    application, _ = registered()
    url = authorize_url(application)
    response = Client().post(
        "/auth/login/", {"username": "alice", "password": "wrong", "next": url}
    )
    assert response.status_code == 200
    assert "Invalid username or password." in response.content.decode()


def test_authorize_custom_scheme_redirects_with_code(registered, alice):
    application, secret = registered(redirect_uris=(CUSTOM,))
    browser = Client()
    browser.force_login(alice)
    _, response = consent(
        browser, authorize_url(application, redirect_uri=CUSTOM, state="xyz")
    )
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert (location.scheme, location.netloc, location.path) == ("com.example.app", "callback", "")
    query = parse_qs(location.query)
    assert query["state"] == ["xyz"]
    code = query["code"][0]
    response = exchange(Client(), application, secret, code, redirect_uri=CUSTOM)
    assert response.status_code == 200
    assert response.json()["scope"] == "read write"


def test_authorize_deny_issues_no_code(registered, alice):
    application, _ = registered()
    browser = Client()
    browser.force_login(alice)
    page = browser.get(authorize_url(application))
    fields = hidden_fields(page.content.decode())  # no "allow": the Deny button
    response = browser.post("/oauth/authorize", fields)
    assert response.status_code == 200
    html = response.content.decode()
    assert not CODE_RE.search(html)
    assert "access_denied" in html
    assert Grant.objects.count() == 0


def test_authorize_unregistered_redirect_uri_is_refused(registered, alice):
    application, _ = registered()
    browser = Client()
    browser.force_login(alice)
    response = browser.get(authorize_url(application, redirect_uri="https://evil.example/cb"))
    assert response.status_code == 400
    assert not response.has_header("Location")
    assert "Mismatching redirect URI" in response.content.decode()
    assert Grant.objects.count() == 0


def test_authorize_scope_beyond_registration_issues_no_code(registered, alice):
    application, secret = registered(scopes="read")
    browser = Client()
    browser.force_login(alice)
    url = authorize_url(application, scope="read write")
    response = browser.get(url)
    assert response.status_code == 200  # the out-of-band page, showing the error
    html = response.content.decode()
    assert not CODE_RE.search(html)
    assert "invalid_scope" in html
    # Even a forged consent POST for the wider scope gets no code.
    forged = browser.post(
        "/oauth/authorize",
        {"client_id": application.client_id, "redirect_uri": OOB, "response_type": "code",
         "scope": "read write", "allow": "Authorize"},
    )
    assert not CODE_RE.search(forged.content.decode())
    assert "invalid_scope" in forged.content.decode()
    assert Grant.objects.count() == 0
    assert AccessToken.objects.count() == 0


def test_authorize_child_scope_of_registered_parent_is_allowed(registered, alice):
    application, secret = registered(scopes="read")
    browser = Client()
    browser.force_login(alice)
    _, response = consent(browser, authorize_url(application, scope="read:statuses"))
    code = CODE_RE.search(response.content.decode()).group(1).strip()
    response = exchange(Client(), application, secret, code)
    assert response.status_code == 200
    assert response.json()["scope"] == "read:statuses"


def password_grant(application, secret, *, username="alice", password="password",
                   scope="read write"):
    return Client().post(
        "/oauth/token",
        {
            "grant_type": "password",
            "client_id": application.client_id,
            "client_secret": secret,
            "username": username,
            "password": password,
            "scope": scope,
        },
    )


def test_password_grant_issues_user_token(registered, alice, mastodon):
    application, secret = registered()
    response = password_grant(application, secret)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "read write"
    assert isinstance(body["created_at"], int)
    assert isinstance(body["refresh_token"], str) and body["refresh_token"]
    token = AccessToken.objects.get()
    assert token.user == alice and token.scope == "read write"
    response = mastodon.as_token(body["access_token"]).get("/api/v1/accounts/verify_credentials")
    assert response.status_code == 200
    assert response.json()["id"] == str(alice.pk)


def test_password_grant_with_email_address(registered, alice):
    application, secret = registered()
    response = password_grant(application, secret, username="alice@example.com")
    assert response.status_code == 200
    assert AccessToken.objects.get().user == alice


def test_password_grant_wrong_password_is_refused(registered, alice):
    application, secret = registered()
    response = password_grant(application, secret, password="wrong")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert AccessToken.objects.count() == 0


def test_password_grant_scope_beyond_registration_is_refused(registered, alice):
    application, secret = registered(scopes="read")
    response = password_grant(application, secret, scope="read write")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"
    assert AccessToken.objects.count() == 0


def test_password_grant_without_scope_defaults_to_read(registered, alice):
    application, secret = registered()
    response = Client().post(
        "/oauth/token",
        {"grant_type": "password", "client_id": application.client_id, "client_secret": secret,
         "username": "alice", "password": "password"},
    )
    assert response.status_code == 200
    assert response.json()["scope"] == "read"


def test_refresh_token_grant_issues_new_token(registered, alice, mastodon):
    application, secret = registered()
    first = password_grant(application, secret).json()
    response = Client().post(
        "/oauth/token",
        {
            "grant_type": "refresh_token",
            "client_id": application.client_id,
            "client_secret": secret,
            "refresh_token": first["refresh_token"],
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "read write"
    assert isinstance(body["created_at"], int)
    assert body["access_token"] != first["access_token"]
    assert body["refresh_token"] != first["refresh_token"]  # rotated
    assert AccessToken.objects.filter(user=alice).count() == 1
    assert RefreshToken.objects.filter(user=alice, revoked__isnull=True).count() == 1
    new = mastodon.as_token(body["access_token"]).get("/api/v1/accounts/verify_credentials")
    assert new.status_code == 200
    old = mastodon.as_token(first["access_token"]).get("/api/v1/accounts/verify_credentials")
    assert old.status_code == 401


def test_revoke_answers_empty_object_and_kills_token(registered, alice, mastodon):
    application, secret = registered()
    access = password_grant(application, secret).json()["access_token"]
    assert (
        mastodon.as_token(access).get("/api/v1/accounts/verify_credentials").status_code == 200
    )
    response = Client().post(
        "/oauth/revoke",
        {"token": access, "client_id": application.client_id, "client_secret": secret},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {}
    assert AccessToken.objects.count() == 0
    response = mastodon.as_token(access).get("/api/v1/accounts/verify_credentials")
    assert response.status_code == 401
    assert response.json() == {"error": "The access token was revoked"}
    assert 'error_description="The access token was revoked"' in response["WWW-Authenticate"]


def test_granular_read_accounts_scope_reaches_verify_credentials(mastodon, make_token, alice):
    response = mastodon.as_token(make_token(alice, scopes="read:accounts")).get(
        "/api/v1/accounts/verify_credentials"
    )
    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_write_scope_alone_is_outside_verify_credentials(mastodon, make_token, alice):
    response = mastodon.as_token(make_token(alice, scopes="write")).get(
        "/api/v1/accounts/verify_credentials"
    )
    assert response.status_code == 403
    assert response.json() == {"error": "This action is outside the authorized scopes"}


def test_sibling_granular_scope_is_outside_verify_credentials(mastodon, make_token, alice):
    response = mastodon.as_token(make_token(alice, scopes="read:statuses")).get(
        "/api/v1/accounts/verify_credentials"
    )
    assert response.status_code == 403
    assert response.json() == {"error": "This action is outside the authorized scopes"}


def test_expired_token_is_401(mastodon, make_token, alice):
    response = mastodon.as_token(make_token(alice, expires_in=-10)).get(
        "/api/v1/accounts/verify_credentials"
    )
    assert response.status_code == 401
    assert response.json() == {"error": "The access token expired"}


def test_authorize_without_scope_defaults_to_read(registered, alice):
    application, secret = registered()
    browser = Client()
    browser.force_login(alice)
    url = "/oauth/authorize?" + urlencode(
        {"response_type": "code", "client_id": application.client_id, "redirect_uri": OOB}
    )
    page, response = consent(browser, url)
    assert hidden_fields(page.content.decode())["scope"] == "read"
    code = CODE_RE.search(response.content.decode()).group(1).strip()
    response = exchange(Client(), application, secret, code)
    assert response.status_code == 200
    assert response.json()["scope"] == "read"


def _json(client, path, body):
    return client.post(path, data=json.dumps(body), content_type="application/json")


def test_token_and_revoke_accept_json_bodies(registered, alice, mastodon):
    """masto.js and other JavaScript clients send token requests as JSON; Doorkeeper reads them
    as it reads a form."""
    application, secret = registered()
    response = _json(Client(), "/oauth/token", {
        "grant_type": "password", "client_id": application.client_id, "client_secret": secret,
        "username": "alice", "password": "password", "scope": "read write",
    })
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer" and body["scope"] == "read write"
    assert isinstance(body["created_at"], int)
    assert AccessToken.objects.get(token=body["access_token"]).user == alice
    assert mastodon.as_token(body["access_token"]).get(
        "/api/v1/accounts/verify_credentials").status_code == 200

    refreshed = _json(Client(), "/oauth/token", {
        "grant_type": "refresh_token", "client_id": application.client_id,
        "client_secret": secret, "refresh_token": body["refresh_token"],
    })
    assert refreshed.status_code == 200
    access = refreshed.json()["access_token"]

    revoked = _json(Client(), "/oauth/revoke", {
        "token": access, "client_id": application.client_id, "client_secret": secret,
    })
    assert revoked.status_code == 200 and revoked.json() == {}
    assert not AccessToken.objects.filter(token=access).exists()
    assert mastodon.as_token(access).get(
        "/api/v1/accounts/verify_credentials").status_code == 401


def test_json_client_credentials_grant_and_wrong_secret(registered):
    application, secret = registered()
    ok = _json(Client(), "/oauth/token", {
        "grant_type": "client_credentials", "client_id": application.client_id,
        "client_secret": secret, "scope": ["read"],
    })
    assert ok.status_code == 200 and ok.json()["scope"] == "read"
    wrong = _json(Client(), "/oauth/token", {
        "grant_type": "client_credentials", "client_id": application.client_id,
        "client_secret": "not-it",
    })
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    assert AccessToken.objects.count() == 1


@pytest.mark.parametrize("raw", [
    "{not json", "[1, 2]", '"a string"', '{"grant_type": {"nested": "object"}}',
    '{"grant_type": ["password"]}', '{"a": ' * 5000 + "1" + "}" * 5000, "\\xff\\xfe",
])
def test_token_refuses_malformed_json_bodies(raw, registered):
    application, _ = registered()
    for path in ("/oauth/token", "/oauth/revoke"):
        response = Client().post(path, data=raw.encode("utf-8", "surrogatepass"),
                                 content_type="application/json")
        assert response.status_code == 400, (path, response.content)
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["error"] == "invalid_request"
    assert AccessToken.objects.count() == 0


def test_json_body_with_a_nul_is_invalid_request(registered, alice):
    application, secret = registered()
    response = _json(Client(), "/oauth/token", {
        "grant_type": "password", "client_id": application.client_id + "\u0000",
        "client_secret": secret, "username": "alice", "password": "password",
    })
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"

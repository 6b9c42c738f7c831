"""POST /api/v1/apps and GET /api/v1/apps/verify_credentials."""

import pytest
from oauth2_provider.models import AccessToken

from accounts.models import Application

APP_KEYS = {
    "id", "name", "website", "scopes", "redirect_uri", "redirect_uris", "vapid_key",
    "client_id", "client_secret", "client_secret_expires_at",
}
OOB = "urn:ietf:wg:oauth:2.0:oob"


def _client_credentials_token(client, body, scope="read"):
    response = client.post(
        "/oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": body["client_id"],
            "client_secret": body["client_secret"],
            "scope": scope,
        },
    )
    return response


def test_create_form_encoded_returns_credential_application(anon):
    response = anon.post(
        "/api/v1/apps",
        {
            "client_name": "My Client",
            "redirect_uris": OOB,
            "scopes": "read write push",
            "website": "https://client.example",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert set(body) == APP_KEYS
    assert isinstance(body["id"], str) and body["id"].isdigit()
    assert body["name"] == "My Client"
    assert body["website"] == "https://client.example"
    assert body["scopes"] == ["read", "write", "push"]
    assert body["redirect_uri"] == OOB
    assert body["redirect_uris"] == [OOB]
    assert isinstance(body["vapid_key"], str)
    assert isinstance(body["client_id"], str) and body["client_id"]
    assert isinstance(body["client_secret"], str) and body["client_secret"]
    assert body["client_secret_expires_at"] == 0
    app = Application.objects.get(pk=int(body["id"]))
    assert app.name == "My Client"
    assert app.client_id == body["client_id"]
    assert app.scope_list == ["read", "write", "push"]
    assert app.website == "https://client.example"
    assert app.redirect_uris == OOB
    assert app.user is None
    # The secret is stored hashed; only the response carries it in clear.
    assert app.client_secret != body["client_secret"]


def test_create_json_body_with_redirect_uri_list(anon):
    uris = ["https://client.example/callback", "com.example.app://callback"]
    response = anon.post(
        "/api/v1/apps",
        {"client_name": "JSON Client", "redirect_uris": uris, "scopes": "read:statuses follow"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == APP_KEYS
    assert body["redirect_uris"] == uris
    assert body["redirect_uri"] == "\n".join(uris)
    assert body["scopes"] == ["read:statuses", "follow"]
    assert body["website"] is None
    app = Application.objects.get(pk=int(body["id"]))
    assert app.redirect_uris.split() == uris
    assert app.scope_list == ["read:statuses", "follow"]


def test_create_json_body_with_single_redirect_uri_string(anon):
    response = anon.post(
        "/api/v1/apps",
        {"client_name": "JSON Client", "redirect_uris": "https://client.example/cb"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["redirect_uris"] == ["https://client.example/cb"]
    assert body["redirect_uri"] == "https://client.example/cb"


def test_create_space_separated_redirect_uris_are_split(anon):
    response = anon.post(
        "/api/v1/apps",
        {"client_name": "Two URIs", "redirect_uris": f"https://a.example/cb {OOB}"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["redirect_uris"] == ["https://a.example/cb", OOB]
    assert body["redirect_uri"] == f"https://a.example/cb\n{OOB}"


def test_create_form_array_redirect_uris(anon):
    response = anon.post(
        "/api/v1/apps",
        {"client_name": "Array", "redirect_uris[]": ["https://a.example/cb", "https://b.example/cb"]},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["redirect_uris"] == ["https://a.example/cb", "https://b.example/cb"]
    assert body["redirect_uri"] == "https://a.example/cb\nhttps://b.example/cb"
    assert Application.objects.get(pk=int(body["id"])).redirect_uris.split() == [
        "https://a.example/cb", "https://b.example/cb",
    ]


def test_create_without_scopes_defaults_to_read(anon):
    response = anon.post("/api/v1/apps", {"client_name": "Default", "redirect_uris": OOB})
    assert response.status_code == 200
    assert response.json()["scopes"] == ["read"]
    assert Application.objects.get().scope_list == ["read"]


def test_create_returned_secret_works_for_client_credentials(anon, mastodon):
    body = anon.post(
        "/api/v1/apps",
        {"client_name": "Creds", "redirect_uris": OOB, "scopes": "read write"},
    ).json()
    response = _client_credentials_token(mastodon, body, scope="read")
    assert response.status_code == 200
    token = response.json()
    assert token["token_type"] == "Bearer"
    assert token["scope"] == "read"
    assert isinstance(token["access_token"], str) and token["access_token"]
    assert isinstance(token["created_at"], int)
    row = AccessToken.objects.get(application_id=int(body["id"]))
    assert row.user is None
    assert row.scope == "read"


def test_create_wrong_secret_is_refused_at_token_endpoint(anon, mastodon):
    body = anon.post("/api/v1/apps", {"client_name": "Creds", "redirect_uris": OOB}).json()
    response = _client_credentials_token(mastodon, {**body, "client_secret": "wrong"})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert AccessToken.objects.count() == 0


def test_create_missing_client_name_is_422(anon):
    response = anon.post("/api/v1/apps", {"redirect_uris": OOB})
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: Name can't be blank"}
    assert Application.objects.count() == 0


def test_create_missing_redirect_uris_is_422(anon):
    response = anon.post("/api/v1/apps", {"client_name": "No URIs"})
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"].startswith("Validation failed: ")
    assert "Redirect URI can't be blank" in body["error"]
    assert Application.objects.count() == 0


def test_create_javascript_redirect_uri_is_422(anon):
    response = anon.post(
        "/api/v1/apps", {"client_name": "Evil", "redirect_uris": "javascript:alert(1)"}
    )
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: Redirect URI must be an absolute URI."}
    assert Application.objects.count() == 0


@pytest.mark.parametrize("uri", ["/relative/path", "https://", "not a uri"])
def test_create_non_absolute_redirect_uri_is_422(anon, uri):
    response = anon.post("/api/v1/apps", {"client_name": "Bad", "redirect_uris": uri})
    assert response.status_code == 422
    assert "Redirect URI" in response.json()["error"]
    assert Application.objects.count() == 0


def test_create_unknown_scope_is_422(anon):
    response = anon.post(
        "/api/v1/apps",
        {"client_name": "Greedy", "redirect_uris": OOB, "scopes": "read bogus"},
    )
    assert response.status_code == 422
    assert response.json() == {
        "error": "Validation failed: Scopes doesn't match configured on the server."
    }
    assert Application.objects.count() == 0


def test_verify_credentials_with_client_credentials_token(anon, mastodon):
    body = anon.post(
        "/api/v1/apps",
        {"client_name": "Verify Me", "redirect_uris": OOB, "scopes": "read write",
         "website": "https://verify.example"},
    ).json()
    token = _client_credentials_token(anon, body).json()["access_token"]
    response = mastodon.as_token(token).get("/api/v1/apps/verify_credentials")
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "Verify Me"
    assert data["website"] == "https://verify.example"
    assert data["scopes"] == ["read", "write"]
    assert "client_secret" not in data
    assert "client_id" not in data


def test_verify_credentials_with_user_token(mastodon, make_token, alice, app):
    response = mastodon.as_token(make_token(alice)).get("/api/v1/apps/verify_credentials")
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "Test Suite"
    assert data["website"] is None
    assert "client_secret" not in data


def test_verify_credentials_without_token_is_401(anon):
    response = anon.get("/api/v1/apps/verify_credentials")
    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}


def test_verify_credentials_with_unknown_token_is_401(mastodon):
    response = mastodon.as_token("not-a-token").get("/api/v1/apps/verify_credentials")
    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}

"""GET /api/v1/accounts/verify_credentials, GET /api/v1/accounts/:id and the default avatar."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from oauth2_provider.models import AccessToken

from accounts.models import Account
from statuses.services import status_create
from tests.factories import AccountFactory

ACCOUNT_KEYS = {
    "id", "username", "acct", "display_name", "locked", "bot", "discoverable", "indexable",
    "group", "created_at", "note", "url", "uri", "avatar", "avatar_static", "header",
    "header_static", "followers_count", "following_count", "statuses_count", "last_status_at",
    "hide_collections", "noindex", "emojis", "roles", "fields",
}
SOURCE_KEYS = {"privacy", "sensitive", "language", "note", "fields"}


def test_verify_credentials_returns_credential_account(alice_client, alice):
    Account.objects.filter(pk=alice.pk).update(
        note="Loves <b>gardens</b> & tea", date_joined=datetime(2024, 3, 5, 17, 45, tzinfo=UTC)
    )
    response = alice_client.get("/api/v1/accounts/verify_credentials")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    body = response.json()
    assert set(body) == ACCOUNT_KEYS | {"source", "role"}
    assert body["id"] == str(alice.pk)
    assert body["username"] == "alice"
    assert body["acct"] == "alice"
    assert body["display_name"] == "Alice"
    assert body["locked"] is False
    assert body["bot"] is False
    assert body["group"] is False
    assert body["discoverable"] is None
    assert body["indexable"] is False
    assert body["created_at"] == "2024-03-05T00:00:00.000Z"
    assert body["note"] == "<p>Loves &lt;b&gt;gardens&lt;/b&gt; &amp; tea</p>"
    assert body["url"] == "https://social.example/@alice"
    assert body["uri"] == "https://social.example/users/alice"
    assert body["avatar"] == "https://social.example/avatars/original/missing.png"
    assert body["avatar_static"] == body["avatar"]
    assert body["header"] == "https://social.example/headers/original/missing.png"
    assert body["header_static"] == body["header"]
    assert body["followers_count"] == 0
    assert body["following_count"] == 0
    assert body["statuses_count"] == 0
    assert body["last_status_at"] is None
    assert body["hide_collections"] is None
    assert body["noindex"] is False
    assert body["emojis"] == [] and body["roles"] == [] and body["fields"] == []
    source = body["source"]
    assert SOURCE_KEYS <= set(source)
    assert source["privacy"] == "public"
    assert source["sensitive"] is False
    assert source["language"] is None
    assert source["note"] == "Loves <b>gardens</b> & tea"  # raw, as typed
    assert source["fields"] == []
    assert isinstance(body["role"], dict)
    assert {"id", "name", "permissions"} <= set(body["role"])


def test_verify_credentials_reflects_posting_preferences(alice_client, alice):
    Account.objects.filter(pk=alice.pk).update(
        locked=True, default_sensitive=True, default_language="de"
    )
    source = alice_client.get("/api/v1/accounts/verify_credentials").json()["source"]
    assert source["privacy"] == "private"  # a locked account defaults to followers-only
    assert source["sensitive"] is True
    assert source["language"] == "de"


def test_verify_credentials_counts_statuses(alice_client, alice):
    status_create(account=alice, text="one")
    last = status_create(account=alice, text="two")
    body = alice_client.get("/api/v1/accounts/verify_credentials").json()
    assert body["statuses_count"] == 2
    assert body["last_status_at"] == last.created_at.astimezone(UTC).date().isoformat()


def test_verify_credentials_multiline_note_becomes_paragraphs(alice_client, alice):
    Account.objects.filter(pk=alice.pk).update(note="line one\nline <two>\n\nsecond para")
    body = alice_client.get("/api/v1/accounts/verify_credentials").json()
    assert body["note"] == "<p>line one<br />line &lt;two&gt;</p><p>second para</p>"


def test_verify_credentials_app_only_token_is_422(mastodon, make_token):
    response = mastodon.as_token(make_token(None, scopes="read")).get(
        "/api/v1/accounts/verify_credentials"
    )
    assert response.status_code == 422
    assert response.json() == {"error": "This method requires an authenticated user"}


def test_verify_credentials_without_token_is_401(anon):
    response = anon.get("/api/v1/accounts/verify_credentials")
    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}
    assert response["WWW-Authenticate"].startswith('Bearer realm="Doorkeeper"')


def test_verify_credentials_profile_scope_is_enough(mastodon, make_token, alice):
    response = mastodon.as_token(make_token(alice, scopes="profile")).get(
        "/api/v1/accounts/verify_credentials"
    )
    assert response.status_code == 200


def test_verify_credentials_suspended_account_is_403(alice_client, alice):
    from django.utils import timezone

    Account.objects.filter(pk=alice.pk).update(suspended_at=timezone.now())
    response = alice_client.get("/api/v1/accounts/verify_credentials")
    assert response.status_code == 403
    assert response.json() == {"error": "Your login is currently disabled"}


def test_retrieve_anonymous_returns_account_without_source(anon, alice):
    response = anon.get(f"/api/v1/accounts/{alice.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert set(body) == ACCOUNT_KEYS
    assert body["id"] == str(alice.pk)
    assert body["username"] == "alice"
    assert body["url"] == "https://social.example/@alice"


def test_retrieve_with_token_is_same_entity(bob_client, alice):
    response = bob_client.get(f"/api/v1/accounts/{alice.pk}")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == ACCOUNT_KEYS
    assert body["username"] == "alice"


def test_retrieve_with_scope_outside_read_is_403(mastodon, make_token, alice, bob):
    response = mastodon.as_token(make_token(bob, scopes="write")).get(
        f"/api/v1/accounts/{alice.pk}"
    )
    assert response.status_code == 403
    assert response.json() == {"error": "This action is outside the authorized scopes"}


@pytest.mark.parametrize("account_id", ["999999", "0", "abc", "-1", "99999999999999999999999"])
def test_retrieve_unknown_or_malformed_id_is_404(anon, alice, account_id):
    response = anon.get(f"/api/v1/accounts/{account_id}")
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}


def test_retrieve_inactive_account_is_404(anon):
    gone = AccountFactory(username="gone", is_active=False)
    response = anon.get(f"/api/v1/accounts/{gone.pk}")
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}


def test_retrieve_suspended_account_hides_profile(anon, alice):
    from django.utils import timezone

    Account.objects.filter(pk=alice.pk).update(suspended_at=timezone.now(), note="bio")
    body = anon.get(f"/api/v1/accounts/{alice.pk}").json()
    assert body["suspended"] is True
    assert body["display_name"] == ""
    assert body["note"] == ""


def test_default_avatar_is_served_as_png(anon, alice):
    avatar = anon.get(f"/api/v1/accounts/{alice.pk}").json()["avatar"]
    path = avatar.removeprefix("https://social.example")
    assert path == "/avatars/original/missing.png"
    response = Client().get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_default_header_is_served_as_png(anon, alice):
    header = anon.get(f"/api/v1/accounts/{alice.pk}").json()["header"]
    response = Client().get(header.removeprefix("https://social.example"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_verify_credentials_token_row_is_untouched(alice_client):
    # A read must not rotate or revoke the token it authenticates with.
    before = list(AccessToken.objects.values_list("token_checksum", flat=True))
    assert alice_client.get("/api/v1/accounts/verify_credentials").status_code == 200
    assert list(AccessToken.objects.values_list("token_checksum", flat=True)) == before

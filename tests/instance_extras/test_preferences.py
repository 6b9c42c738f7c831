"""GET /api/v1/preferences: the account's settings as Mastodon 4.5's PreferencesSerializer."""

import pytest

from accounts.models import Visibility
from instance_extras.models import AccountPreferences, ExpandMedia
from tests.factories import AccountFactory

KEYS = {"posting:default:visibility", "posting:default:sensitive", "posting:default:language",
        "posting:default:quote_policy", "reading:expand:media", "reading:expand:spoilers",
        "reading:autoplay:gifs"}


def test_defaults_of_an_account_without_settings(alice_client):
    response = alice_client.get("/api/v1/preferences")
    assert response.status_code == 200
    assert response.json() == {
        "posting:default:visibility": "public",
        "posting:default:sensitive": False,
        "posting:default:language": "en",
        "posting:default:quote_policy": "public",
        "reading:expand:media": "default",
        "reading:expand:spoilers": False,
        "reading:autoplay:gifs": False,
    }
    assert response["Cache-Control"] == "private, no-store"


def test_a_locked_account_posts_privately_by_default(client_for, db):
    locked = AccountFactory(username="locked", locked=True)
    body = client_for(locked).get("/api/v1/preferences").json()
    assert body["posting:default:visibility"] == "private"


def test_the_accounts_settings_are_shown(client_for, db):
    account = AccountFactory(username="dora", default_visibility=Visibility.UNLISTED,
                             default_sensitive=True, default_language="de")
    AccountPreferences.objects.create(account=account, expand_media=ExpandMedia.SHOW_ALL,
                                      expand_spoilers=True, autoplay_gifs=True)
    body = client_for(account).get("/api/v1/preferences").json()
    assert set(body) == KEYS
    assert body["posting:default:visibility"] == "unlisted"
    assert body["posting:default:sensitive"] is True
    assert body["posting:default:language"] == "de"
    assert body["reading:expand:media"] == "show_all"
    assert body["reading:expand:spoilers"] is True
    assert body["reading:autoplay:gifs"] is True


def test_posting_defaults_agree_with_verify_credentials_source(client_for, db):
    account = AccountFactory(username="eve", default_visibility=Visibility.PRIVATE,
                             default_sensitive=True)
    client = client_for(account)
    source = client.get("/api/v1/accounts/verify_credentials").json()["source"]
    prefs = client.get("/api/v1/preferences").json()
    assert prefs["posting:default:visibility"] == source["privacy"] == "private"
    assert prefs["posting:default:sensitive"] is source["sensitive"] is True


def test_the_default_visibility_is_what_posting_uses(client_for, db):
    account = AccountFactory(username="fay", default_visibility=Visibility.UNLISTED)
    client = client_for(account)
    posted = client.post("/api/v1/statuses", {"status": "hi"}, format="json").json()
    assert posted["visibility"] == client.get("/api/v1/preferences").json()[
        "posting:default:visibility"]
    assert posted["language"] == client.get("/api/v1/preferences").json()[
        "posting:default:language"]


@pytest.mark.parametrize("scopes", ["read", "read:accounts"])
def test_read_or_read_accounts_suffices(mastodon, make_token, alice, scopes):
    response = mastodon.as_token(make_token(alice, scopes=scopes)).get("/api/v1/preferences")
    assert response.status_code == 200


def test_without_a_token_401(anon):
    response = anon.get("/api/v1/preferences")
    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}


@pytest.mark.parametrize("scopes", ["write", "read:statuses", "follow push"])
def test_a_token_without_read_accounts_403(mastodon, make_token, alice, scopes):
    response = mastodon.as_token(make_token(alice, scopes=scopes)).get("/api/v1/preferences")
    assert response.status_code == 403
    assert response.json() == {"error": "This action is outside the authorized scopes"}


def test_an_app_token_422(mastodon, make_token):
    response = mastodon.as_token(make_token(None, scopes="read")).get("/api/v1/preferences")
    assert response.status_code == 422
    assert response.json() == {"error": "This method requires an authenticated user"}


def test_query_count(alice_client, django_assert_num_queries):
    alice_client.get("/api/v1/preferences")
    # The token (with its account) and the preferences row.
    with django_assert_num_queries(2):
        assert alice_client.get("/api/v1/preferences").status_code == 200

"""POST /api/v1/statuses: parameters, validation, auth and scopes, counters."""

import pytest

from accounts.models import Account
from statuses.models import Mention, Status, StatusTag
from tests.api.mastodon.expected import STATUS_KEYS


def test_create_form_encoded_returns_status_entity(alice_client, alice):
    response = alice_client.post("/api/v1/statuses", {"status": "Hello world"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert list(body) == list(STATUS_KEYS)
    assert body["quote"] is None and body["quotes_count"] == 0
    assert isinstance(body["id"], str) and body["id"].isdigit()
    assert body["content"] == "<p>Hello world</p>"
    assert body["visibility"] == "public"
    assert body["language"] == "en"
    assert body["sensitive"] is False
    assert body["spoiler_text"] == ""
    assert body["in_reply_to_id"] is None
    assert body["favourited"] is False and body["pinned"] is False
    assert body["filtered"] == []
    assert body["application"] == {"name": "Test Suite", "website": None}
    assert body["account"]["id"] == str(alice.pk)
    assert body["account"]["acct"] == "alice"
    assert body["uri"] == f"https://social.example/users/alice/statuses/{body['id']}"
    assert body["url"] == f"https://social.example/@alice/{body['id']}"
    assert body["created_at"].endswith("Z") and len(body["created_at"]) == 24
    status = Status.objects.get(pk=int(body["id"]))
    assert status.text == "Hello world" and status.account_id == alice.pk
    alice.refresh_from_db()
    assert alice.statuses_count == 1
    assert body["account"]["statuses_count"] == 1


def test_create_json_body_with_all_options(alice_client):
    response = alice_client.post(
        "/api/v1/statuses",
        {"status": "Spoilers ahead", "spoiler_text": "CW", "visibility": "unlisted",
         "language": "de-DE", "sensitive": False},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["spoiler_text"] == "CW"
    assert body["sensitive"] is True  # forced by the content warning
    assert body["visibility"] == "unlisted"
    assert body["language"] == "de"


@pytest.mark.parametrize("raw,expected", [("1", True), ("true", True), ("0", False),
                                          ("false", False), ("off", False)])
def test_create_sensitive_accepts_rails_booleans(alice_client, raw, expected):
    response = alice_client.post("/api/v1/statuses", {"status": "x", "sensitive": raw})
    assert response.status_code == 200
    assert response.json()["sensitive"] is expected


def test_create_lone_spoiler_becomes_text(alice_client):
    response = alice_client.post("/api/v1/statuses", {"spoiler_text": "Only a warning"})
    assert response.status_code == 200
    body = response.json()
    assert body["content"] == "<p>Only a warning</p>"
    assert body["spoiler_text"] == ""
    assert body["sensitive"] is True


@pytest.mark.parametrize("payload", [{}, {"status": ""}, {"status": "   \n  "}])
def test_create_blank_text_is_422(alice_client, payload):
    response = alice_client.post("/api/v1/statuses", payload)
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: Text can't be blank"}
    assert Status.objects.count() == 0


def test_create_over_500_characters_is_422(alice_client):
    response = alice_client.post("/api/v1/statuses", {"status": "a" * 501})
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: Text character limit of 500 exceeded"}
    assert Status.objects.count() == 0


def test_create_exactly_500_characters_with_urls_counted_as_23(alice_client):
    url = "https://example.com/" + "x" * 100
    text = url + " " + "a" * (500 - 23 - 1)
    response = alice_client.post("/api/v1/statuses", {"status": text})
    assert response.status_code == 200


def test_create_spoiler_counts_toward_limit(alice_client):
    response = alice_client.post("/api/v1/statuses", {"status": "a" * 490, "spoiler_text": "b" * 11})
    assert response.status_code == 422


def test_create_invalid_visibility_is_422(alice_client):
    response = alice_client.post("/api/v1/statuses", {"status": "x", "visibility": "xxx"})
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: Visibility is not included in the list"}


def test_create_default_visibility_private_for_locked_account(alice_client, alice):
    Account.objects.filter(pk=alice.pk).update(locked=True)
    response = alice_client.post("/api/v1/statuses", {"status": "x"})
    assert response.json()["visibility"] == "private"


def test_create_silenced_public_becomes_unlisted(alice_client, alice):
    from django.utils import timezone

    Account.objects.filter(pk=alice.pk).update(silenced_at=timezone.now())
    response = alice_client.post("/api/v1/statuses", {"status": "x", "visibility": "public"})
    assert response.json()["visibility"] == "unlisted"


def test_create_unknown_language_falls_back_to_default(alice_client):
    response = alice_client.post("/api/v1/statuses", {"status": "x", "language": "klingon"})
    assert response.status_code == 200
    assert response.json()["language"] == "en"


def test_create_array_for_scalar_parameter_is_dropped(alice_client):
    response = alice_client.post("/api/v1/statuses", {"status": ["a", "b"]}, format="json")
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: Text can't be blank"}


def test_create_renders_mentions_and_hashtags(alice_client, bob):
    response = alice_client.post("/api/v1/statuses", {"status": "hi @BOB and @nobody #Django"})
    body = response.json()
    assert body["content"] == (
        '<p>hi <span class="h-card" translate="no"><a href="https://social.example/@bob" '
        'class="u-url mention">@<span>bob</span></a></span> and @nobody '
        '<a href="https://social.example/tags/Django" class="mention hashtag" rel="tag">'
        "#<span>Django</span></a></p>"
    )
    assert body["mentions"] == [{"id": str(bob.pk), "username": "bob",
                                 "url": "https://social.example/@bob", "acct": "bob"}]
    assert body["tags"] == [{"name": "django", "url": "https://social.example/tags/django"}]
    status = Status.objects.get(pk=body["id"])
    assert status.text == "hi @bob and @nobody #Django"  # mention normalised in the source
    assert list(Mention.objects.filter(status=status).values_list("account_id", flat=True)) == [bob.pk]
    assert StatusTag.objects.filter(status=status, hashtag__name="django").exists()


def test_create_escapes_html(alice_client):
    response = alice_client.post("/api/v1/statuses", {"status": "<script>alert('x')</script>"})
    assert response.json()["content"] == (
        "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>"
    )


def test_create_malformed_json_is_400(alice_client):
    response = alice_client.generic(
        "POST", "/api/v1/statuses", '{"status": ', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"error": "Error occurred while parsing request parameters"}
    assert Status.objects.count() == 0


# --- authentication and scopes ---------------------------------------------------------------

def test_create_without_token_is_401(anon):
    response = anon.post("/api/v1/statuses", {"status": "x"})
    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}
    assert response["WWW-Authenticate"] == (
        'Bearer realm="Doorkeeper", error="invalid_token", '
        'error_description="The access token is invalid"'
    )


def test_create_with_unknown_token_is_401(mastodon):
    response = mastodon.as_token("nope").post("/api/v1/statuses", {"status": "x"})
    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}


def test_create_with_expired_token_is_401(mastodon, make_token, alice):
    token = make_token(alice, expires_in=-10)
    response = mastodon.as_token(token).post("/api/v1/statuses", {"status": "x"})
    assert response.status_code == 401
    assert response.json() == {"error": "The access token expired"}


def test_create_with_read_only_token_is_403(mastodon, make_token, alice):
    response = mastodon.as_token(make_token(alice, "read")).post("/api/v1/statuses", {"status": "x"})
    assert response.status_code == 403
    assert response.json() == {"error": "This action is outside the authorized scopes"}
    assert "WWW-Authenticate" not in response
    assert Status.objects.count() == 0


def test_create_with_granular_scope_is_allowed(mastodon, make_token, alice):
    token = make_token(alice, "write:statuses")
    response = mastodon.as_token(token).post("/api/v1/statuses", {"status": "x"})
    assert response.status_code == 200


def test_create_with_other_granular_scope_is_403(mastodon, make_token, alice):
    token = make_token(alice, "write:favourites")
    response = mastodon.as_token(token).post("/api/v1/statuses", {"status": "x"})
    assert response.status_code == 403


def test_create_with_app_token_is_422(mastodon, make_token):
    response = mastodon.as_token(make_token(None, "read write")).post(
        "/api/v1/statuses", {"status": "x"}
    )
    assert response.status_code == 422
    assert response.json() == {"error": "This method requires an authenticated user"}


def test_create_by_suspended_account_is_403(alice_client, alice):
    from django.utils import timezone

    Account.objects.filter(pk=alice.pk).update(suspended_at=timezone.now())
    response = alice_client.post("/api/v1/statuses", {"status": "x"})
    assert response.status_code == 403
    assert response.json() == {"error": "Your login is currently disabled"}


# --- replies -------------------------------------------------------------------------------

def test_reply_links_parent_and_counts_public_replies(alice_client, bob_client, bob):
    parent = bob_client.post("/api/v1/statuses", {"status": "root"}).json()
    reply = alice_client.post(
        "/api/v1/statuses", {"status": "answer", "in_reply_to_id": parent["id"]}
    ).json()
    assert reply["in_reply_to_id"] == parent["id"]
    assert reply["in_reply_to_account_id"] == str(bob.pk)
    alice_client.post("/api/v1/statuses", {"status": "quiet", "in_reply_to_id": parent["id"],
                                           "visibility": "private"})
    refreshed = bob_client.get(f"/api/v1/statuses/{parent['id']}").json()
    assert refreshed["replies_count"] == 1  # private replies are not counted


def test_self_reply_chain_keeps_original_reply_account(alice_client, bob_client, bob, alice):
    root = bob_client.post("/api/v1/statuses", {"status": "root"}).json()
    mine = alice_client.post("/api/v1/statuses", {"status": "a", "in_reply_to_id": root["id"]}).json()
    again = alice_client.post("/api/v1/statuses", {"status": "b", "in_reply_to_id": mine["id"]}).json()
    assert again["in_reply_to_account_id"] == str(bob.pk)
    own_root = alice_client.post("/api/v1/statuses", {"status": "c"}).json()
    self_reply = alice_client.post(
        "/api/v1/statuses", {"status": "d", "in_reply_to_id": own_root["id"]}
    ).json()
    assert self_reply["in_reply_to_account_id"] == str(alice.pk)


@pytest.mark.parametrize("target", ["999999", "abc", "0"])
def test_reply_to_missing_status_is_404(alice_client, target):
    response = alice_client.post("/api/v1/statuses", {"status": "x", "in_reply_to_id": target})
    assert response.status_code == 404
    assert response.json() == {
        "error": "The post you are trying to reply to does not appear to exist."
    }
    assert Status.objects.count() == 0


def test_reply_to_invisible_status_is_404(alice_client, bob_client):
    hidden = bob_client.post("/api/v1/statuses", {"status": "x", "visibility": "private"}).json()
    response = alice_client.post("/api/v1/statuses", {"status": "x", "in_reply_to_id": hidden["id"]})
    assert response.status_code == 404
    assert Status.objects.count() == 1


def test_direct_status_does_not_count_toward_statuses_count(alice_client, alice):
    alice_client.post("/api/v1/statuses", {"status": "x", "visibility": "direct"})
    alice.refresh_from_db()
    assert alice.statuses_count == 0


# --- parameters whose features are not offered yet, and allowed_mentions ---------------------

def test_create_with_unknown_media_ids_is_422_and_creates_nothing(alice_client):
    response = alice_client.post("/api/v1/statuses", {"status": "x", "media_ids[]": ["12", "34"]})
    assert response.status_code == 422
    assert response.json() == {
        "error": "Media 12, 34 not found or already attached to another post"
    }
    assert Status.objects.count() == 0


def test_create_with_five_media_ids_is_422(alice_client):
    response = alice_client.post(
        "/api/v1/statuses", {"status": "x", "media_ids": ["1", "2", "3", "4", "5"]}, format="json"
    )
    assert response.status_code == 422
    assert response.json() == {"error": "Cannot attach more than 4 files"}


def test_create_with_scalar_media_ids_is_dropped(alice_client):
    response = alice_client.post("/api/v1/statuses", {"status": "x", "media_ids": "12"})
    assert response.status_code == 200
    assert response.json()["media_attachments"] == []


def test_create_with_poll_form_and_json_posts_it(alice_client):
    # The rules of polls are tested in test_polls.py.
    response = alice_client.post(
        "/api/v1/statuses",
        {"status": "x", "poll[options][]": ["a", "b"], "poll[expires_in]": "3600"},
    )
    assert response.status_code == 200
    assert [o["title"] for o in response.json()["poll"]["options"]] == ["a", "b"]
    json_response = alice_client.post(
        "/api/v1/statuses", {"status": "x", "poll": {"options": ["a", "b"], "expires_in": 600}},
        format="json",
    )
    assert json_response.status_code == 200
    assert json_response.json()["poll"]["expired"] is False
    assert Status.objects.filter(has_poll=True).count() == 2


def test_create_scheduled_at_past_publishes_now_future_is_kept(alice_client):
    past = alice_client.post("/api/v1/statuses", {"status": "x",
                                                  "scheduled_at": "2020-01-01T00:00:00Z"})
    assert past.status_code == 200
    assert "content" in past.json()
    future = alice_client.post("/api/v1/statuses", {"status": "x",
                                                    "scheduled_at": "2999-01-01T00:00:00Z"})
    assert future.status_code == 200
    assert set(future.json()) == {"id", "scheduled_at", "params", "media_attachments"}
    garbage = alice_client.post("/api/v1/statuses", {"status": "x", "scheduled_at": "soon"})
    assert garbage.status_code == 422
    assert garbage.json() == {"error": "Record invalid"}
    assert Status.objects.count() == 1


def test_create_allowed_mentions_rejects_unexpected_accounts(alice_client, bob, carol):
    response = alice_client.post(
        "/api/v1/statuses",
        {"status": "hi @bob and @carol", "allowed_mentions[]": [str(bob.pk)]},
    )
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"error", "unexpected_accounts"}
    assert body["error"] == "Post would be sent to unexpected accounts"
    assert [a["id"] for a in body["unexpected_accounts"]] == [str(carol.pk)]
    assert body["unexpected_accounts"][0]["acct"] == "carol"
    assert Status.objects.count() == 0
    ok = alice_client.post(
        "/api/v1/statuses",
        {"status": "hi @bob", "allowed_mentions[]": [str(bob.pk)]},
    )
    assert ok.status_code == 200


def test_reply_target_is_checked_before_text(alice_client):
    response = alice_client.post("/api/v1/statuses", {"status": "", "in_reply_to_id": "999"})
    assert response.status_code == 404

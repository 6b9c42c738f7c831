"""familiar_followers, account notes, endorsements (pin/unpin, /api/v1/endorsements),
remove_from_followers and identity_proofs."""

import pytest

from accounts.models import AccountNote, AccountPin, Follow
from tests.factories import AccountFactory, FollowFactory

HOST = "http://testserver"


def test_familiar_followers(alice_client, alice, bob, carol):
    dave = AccountFactory(username="dave")
    hidden = AccountFactory(username="hidden", hide_collections=True)
    for mine in (bob, carol, hidden):
        FollowFactory(account=alice, target=mine)
    FollowFactory(account=bob, target=dave)
    FollowFactory(account=carol, target=dave)
    FollowFactory(account=hidden, target=dave)
    FollowFactory(account=AccountFactory(), target=dave)  # not followed by alice
    response = alice_client.get("/api/v1/accounts/familiar_followers",
                                {"id[]": [dave.pk, bob.pk, 999999, dave.pk]})
    assert response.status_code == 200
    body = response.json()
    assert [entry["id"] for entry in body] == [str(dave.pk), str(bob.pk)]
    assert [a["id"] for a in body[0]["accounts"]] == [str(carol.pk), str(bob.pk)]
    assert body[1]["accounts"] == []
    lone = alice_client.get(f"/api/v1/accounts/familiar_followers?id={dave.pk}").json()
    assert len(lone) == 1


@pytest.mark.parametrize("size", [2, 7])
def test_familiar_followers_query_count(alice_client, alice, django_assert_num_queries, size):
    targets = [AccountFactory() for _ in range(size)]
    for _ in range(size):
        friend = AccountFactory()
        FollowFactory(account=alice, target=friend)
        for target in targets:
            FollowFactory(account=friend, target=target)
    query = "&".join(f"id[]={t.pk}" for t in targets)
    alice_client.get(f"/api/v1/accounts/familiar_followers?{query}")
    with django_assert_num_queries(3):  # token, the accounts asked, the follows
        body = alice_client.get(f"/api/v1/accounts/familiar_followers?{query}").json()
    assert [len(entry["accounts"]) for entry in body] == [size] * size


def test_note_set_replace_clear(alice_client, alice, bob):
    url = f"/api/v1/accounts/{bob.pk}/note"
    response = alice_client.post(url, {"comment": "met at the café"}, format="json")
    assert response.status_code == 200
    assert response.json()["note"] == "met at the café"
    assert response.json()["id"] == str(bob.pk)
    alice_client.post(url, {"comment": "again"})
    assert AccountNote.objects.get(account=alice, target=bob).comment == "again"
    relationship = alice_client.get(f"/api/v1/accounts/relationships?id[]={bob.pk}").json()[0]
    assert relationship["note"] == "again"
    cleared = alice_client.post(url, {"comment": ""}, format="json")
    assert cleared.json()["note"] == ""
    assert not AccountNote.objects.exists()
    too_long = alice_client.post(url, {"comment": "x" * 2001}, format="json")
    assert too_long.status_code == 422
    assert too_long.json() == {
        "error": "Validation failed: Comment is too long (maximum is 2000 characters)"}
    assert alice_client.post("/api/v1/accounts/999999/note", {"comment": "x"}).status_code == 404


def test_pin_needs_follow_and_endorsements_list(alice_client, alice, bob, carol):
    refused = alice_client.post(f"/api/v1/accounts/{bob.pk}/pin")
    assert refused.status_code == 422
    assert refused.json() == {"error": "Validation failed: You must be already following the "
                                       "person you want to endorse"}
    FollowFactory(account=alice, target=bob)
    FollowFactory(account=alice, target=carol)
    response = alice_client.post(f"/api/v1/accounts/{bob.pk}/pin")
    assert response.status_code == 200
    assert response.json()["endorsed"] is True
    assert alice_client.post(f"/api/v1/accounts/{bob.pk}/pin").status_code == 200  # idempotent
    alice_client.post(f"/api/v1/accounts/{carol.pk}/pin")
    listed = alice_client.get("/api/v1/endorsements", {"limit": 1})
    assert [a["id"] for a in listed.json()] == [str(max(bob.pk, carol.pk))]
    base = f"{HOST}/api/v1/endorsements"
    top = max(bob.pk, carol.pk)
    assert listed["Link"] == (f'<{base}?limit=1&max_id={top}>; rel="next", '
                              f'<{base}?limit=1&since_id={top}>; rel="prev"')
    public = alice_client.get(f"/api/v1/accounts/{alice.pk}/endorsements").json()
    assert len(public) == 2
    unpinned = alice_client.post(f"/api/v1/accounts/{carol.pk}/unendorse")
    assert unpinned.json()["endorsed"] is False
    # Unfollowing takes the endorsement away.
    alice_client.post(f"/api/v1/accounts/{bob.pk}/unfollow")
    assert not AccountPin.objects.exists()
    assert alice_client.get("/api/v1/endorsements").json() == []


@pytest.mark.parametrize("size", [2, 8])
def test_endorsements_query_count(alice_client, alice, django_assert_num_queries, size):
    for _ in range(size):
        target = AccountFactory()
        AccountPin.objects.create(account=alice, target=target)
    alice_client.get("/api/v1/endorsements")
    with django_assert_num_queries(2):
        assert len(alice_client.get("/api/v1/endorsements").json()) == size


def test_remove_from_followers(alice_client, alice, bob, carol):
    FollowFactory(account=bob, target=alice)
    FollowFactory(account=carol, target=alice, accepted=False)
    alice.followers_count = 1
    alice.save()
    response = alice_client.post(f"/api/v1/accounts/{bob.pk}/remove_from_followers")
    assert response.status_code == 200
    assert response.json()["followed_by"] is False
    assert not Follow.objects.filter(account=bob, target=alice).exists()
    alice.refresh_from_db()
    assert alice.followers_count == 0
    # A pending request is not a follower: it stays.
    alice_client.post(f"/api/v1/accounts/{carol.pk}/remove_from_followers")
    assert Follow.objects.filter(account=carol, target=alice, accepted=False).exists()


def test_identity_proofs_empty(alice_client, bob):
    response = alice_client.get(f"/api/v1/accounts/{bob.pk}/identity_proofs")
    assert response.status_code == 200
    assert response.json() == []
    assert alice_client.get("/api/v1/accounts/999999/identity_proofs").status_code == 404


@pytest.mark.parametrize(("method", "path", "scopes"), [
    ("post", "note", "read"), ("post", "pin", "read follow"), ("post", "unpin", "read follow"),
    ("post", "remove_from_followers", "read"), ("get", "identity_proofs", "write"),
])
def test_scopes(make_token, mastodon, alice, bob, method, path, scopes):
    client = mastodon.as_token(make_token(alice, scopes=scopes))
    assert getattr(client, method)(f"/api/v1/accounts/{bob.pk}/{path}").status_code == 403


def test_registration_closed(anon, make_token, mastodon):
    body = {"username": "newcomer", "email": "n@example.org", "password": "correct horse",
            "agreement": True, "locale": "en"}
    assert anon.post("/api/v1/accounts", body, format="json").status_code == 401
    app_token = mastodon.as_token(make_token(None, scopes="write"))
    response = app_token.post("/api/v1/accounts", body, format="json")
    assert response.status_code == 403
    assert response.json() == {"error": "This action is not allowed"}
    from accounts.models import Account
    assert not Account.objects.filter(username="newcomer").exists()

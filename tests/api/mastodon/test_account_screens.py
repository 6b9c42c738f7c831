"""The account screens' lists: GET /api/v1/accounts/:id/followers and /following, /api/v1/blocks
and /api/v1/mutes (Link paging by the relationship row's id, hide_collections, exclusions)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.api.mastodon.test_follow_requests import ACCOUNT_KEYS
from tests.factories import AccountFactory, BlockFactory, FollowFactory, MuteFactory

HOST = "http://testserver"


# --- followers / following --------------------------------------------------------------------

def test_followers_newest_follow_first_with_link(anon, alice, bob, carol):
    first = FollowFactory(account=bob, target=alice)
    second = FollowFactory(account=carol, target=alice)
    FollowFactory(account=AccountFactory(), target=alice, accepted=False)  # a request: not listed
    response = anon.get(f"/api/v1/accounts/{alice.pk}/followers")
    assert response.status_code == 200
    body = response.json()
    assert [a["id"] for a in body] == [str(carol.pk), str(bob.pk)]
    assert all(set(a) == ACCOUNT_KEYS for a in body)
    base = f"{HOST}/api/v1/accounts/{alice.pk}/followers"
    assert response["Link"] == f'<{base}?since_id={second.pk}>; rel="prev"'
    paged = anon.get(f"/api/v1/accounts/{alice.pk}/followers", {"limit": 1})
    assert [a["id"] for a in paged.json()] == [str(carol.pk)]
    assert paged["Link"] == (f'<{base}?limit=1&max_id={second.pk}>; rel="next", '
                             f'<{base}?limit=1&since_id={second.pk}>; rel="prev"')
    rest = anon.get(f"/api/v1/accounts/{alice.pk}/followers", {"limit": 1, "max_id": second.pk})
    assert [a["id"] for a in rest.json()] == [str(bob.pk)]
    since = anon.get(f"/api/v1/accounts/{alice.pk}/followers", {"since_id": first.pk})
    assert [a["id"] for a in since.json()] == [str(carol.pk)]


def test_min_id_reads_the_page_just_newer_newest_first(anon, alice):
    followers = [AccountFactory() for _ in range(4)]
    rows = [FollowFactory(account=f, target=alice) for f in followers]
    page = anon.get(f"/api/v1/accounts/{alice.pk}/followers",
                    {"min_id": rows[0].pk, "limit": 2})
    assert page.status_code == 200
    assert [a["id"] for a in page.json()] == [str(followers[2].pk), str(followers[1].pk)]


def test_following_lists_followed_accounts(alice_client, alice, bob, carol):
    FollowFactory(account=alice, target=bob)
    FollowFactory(account=alice, target=carol)
    FollowFactory(account=bob, target=alice)
    response = alice_client.get(f"/api/v1/accounts/{alice.pk}/following")
    assert response.status_code == 200
    assert [a["id"] for a in response.json()] == [str(carol.pk), str(bob.pk)]


def test_limit_default_40_max_80(anon, alice):
    for _ in range(81):
        FollowFactory(account=AccountFactory(), target=alice)
    assert len(anon.get(f"/api/v1/accounts/{alice.pk}/followers").json()) == 40
    assert len(anon.get(f"/api/v1/accounts/{alice.pk}/followers?limit=500").json()) == 80


def test_hidden_collections_empty_to_others_not_to_self(anon, client_for, alice, bob):
    FollowFactory(account=bob, target=alice)
    FollowFactory(account=alice, target=bob)
    alice.hide_collections = True
    alice.save()
    for path in ("followers", "following"):
        assert anon.get(f"/api/v1/accounts/{alice.pk}/{path}").json() == []
        other = client_for(bob).get(f"/api/v1/accounts/{alice.pk}/{path}")
        assert other.status_code == 200
        assert other.json() == []
        assert "Link" not in other
        own = client_for(alice).get(f"/api/v1/accounts/{alice.pk}/{path}")
        assert [a["id"] for a in own.json()] == [str(bob.pk)]


def test_lists_empty_for_blocked_viewer_and_suspended_account(client_for, alice, bob, carol):
    FollowFactory(account=carol, target=alice)
    BlockFactory(account=alice, target=bob)
    assert client_for(bob).get(f"/api/v1/accounts/{alice.pk}/followers").json() == []
    assert len(client_for(carol).get(f"/api/v1/accounts/{alice.pk}/followers").json()) == 1
    alice.suspended_at = timezone.now()
    alice.save()
    assert client_for(carol).get(f"/api/v1/accounts/{alice.pk}/followers").json() == []


def test_viewer_excluded_accounts_left_out(client_for, alice, bob, carol):
    dave, erin = AccountFactory(username="dave"), AccountFactory(username="erin")
    for follower in (bob, carol, dave, erin):
        FollowFactory(account=follower, target=alice)
    viewer = AccountFactory(username="viewer")
    BlockFactory(account=viewer, target=bob)
    BlockFactory(account=carol, target=viewer)
    MuteFactory(account=viewer, target=dave)
    MuteFactory(account=viewer, target=erin, expires_at=timezone.now() - timedelta(seconds=1))
    response = client_for(viewer).get(f"/api/v1/accounts/{alice.pk}/followers")
    assert [a["id"] for a in response.json()] == [str(erin.pk)]
    suspended = AccountFactory(username="gone", suspended_at=timezone.now())
    FollowFactory(account=suspended, target=alice)
    assert str(suspended.pk) not in [
        a["id"] for a in client_for(alice).get(f"/api/v1/accounts/{alice.pk}/followers").json()]


@pytest.mark.parametrize("path", ["followers", "following"])
def test_unknown_account_404(anon, path):
    response = anon.get(f"/api/v1/accounts/999999/{path}")
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}
    assert anon.get(f"/api/v1/accounts/abc/{path}").status_code == 404


@pytest.mark.parametrize("size", [2, 9])
def test_followers_query_count(client_for, alice, django_assert_num_queries, size):
    viewer = AccountFactory(username="viewer")
    for _ in range(size):
        follower = AccountFactory()
        FollowFactory(account=follower, target=alice)
        FollowFactory(account=alice, target=follower)
    client = client_for(viewer)
    client.get(f"/api/v1/accounts/{alice.pk}/followers")  # warm the token cache paths
    # token, the account, hidden check (blocks), exclusions (blocks, mutes), the page.
    with django_assert_num_queries(6):
        response = client.get(f"/api/v1/accounts/{alice.pk}/followers")
    assert len(response.json()) == size
    with django_assert_num_queries(6):
        assert len(client.get(f"/api/v1/accounts/{alice.pk}/following").json()) == size


# --- blocks / mutes -------------------------------------------------------------------------

def test_blocks_list(alice_client, alice, bob, carol):
    first = BlockFactory(account=alice, target=bob)
    second = BlockFactory(account=alice, target=carol)
    BlockFactory(account=bob, target=alice)  # blocked by: not listed
    gone = AccountFactory(username="gone", suspended_at=timezone.now())
    BlockFactory(account=alice, target=gone)
    response = alice_client.get("/api/v1/blocks", {"limit": 2})
    assert response.status_code == 200
    body = response.json()
    assert [a["id"] for a in body] == [str(carol.pk), str(bob.pk)]
    assert all(set(a) == ACCOUNT_KEYS for a in body)
    base = f"{HOST}/api/v1/blocks"
    assert response["Link"] == (f'<{base}?limit=2&max_id={first.pk}>; rel="next", '
                                f'<{base}?limit=2&since_id={second.pk}>; rel="prev"')
    assert alice_client.get("/api/v1/blocks", {"max_id": first.pk}).json() == []


def test_mutes_list_with_expiry(alice_client, alice, bob, carol):
    ends = timezone.now() + timedelta(hours=1)
    MuteFactory(account=alice, target=bob)
    MuteFactory(account=alice, target=carol, expires_at=ends)
    MuteFactory(account=alice, target=AccountFactory(),
                expires_at=timezone.now() - timedelta(seconds=5))  # expired: not listed
    response = alice_client.get("/api/v1/mutes")
    assert response.status_code == 200
    body = response.json()
    assert [a["id"] for a in body] == [str(carol.pk), str(bob.pk)]
    assert all(set(a) == ACCOUNT_KEYS | {"mute_expires_at"} for a in body)
    assert body[1]["mute_expires_at"] is None
    assert body[0]["mute_expires_at"].startswith(ends.strftime("%Y-%m-%dT%H:%M:%S."))
    assert body[0]["mute_expires_at"].endswith("Z")


@pytest.mark.parametrize("path", ["/api/v1/blocks", "/api/v1/mutes"])
def test_blocks_mutes_need_a_user_and_scope(anon, make_token, alice, mastodon, path):
    assert anon.get(path).status_code == 401
    assert mastodon.as_token(make_token(alice, scopes="write")).get(path).status_code == 403
    for scope in ("follow", "read", "read:blocks" if "blocks" in path else "read:mutes"):
        assert mastodon.as_token(make_token(alice, scopes=scope)).get(path).status_code == 200


@pytest.mark.parametrize("size", [2, 9])
@pytest.mark.parametrize("path", ["/api/v1/blocks", "/api/v1/mutes"])
def test_blocks_mutes_query_count(alice_client, alice, django_assert_num_queries, size, path):
    factory = BlockFactory if "blocks" in path else MuteFactory
    for _ in range(size):
        factory(account=alice, target=AccountFactory())
    alice_client.get(path)
    with django_assert_num_queries(2):
        assert len(alice_client.get(path).json()) == size

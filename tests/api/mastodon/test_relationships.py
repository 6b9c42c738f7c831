"""POST /api/v1/accounts/:id/{follow,unfollow,block,unblock,mute,unmute} and
GET /api/v1/accounts/relationships (Mastodon 4.3 Relationship entity)."""

import json
import threading
import urllib.request
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import Account, Block, Follow, Mute
from tests.api.mastodon.expected import counters, relationship
from tests.factories import AccountFactory, BlockFactory, FollowFactory, MuteFactory

RELATIONSHIP_KEYS = {
    "id", "following", "showing_reblogs", "notifying", "languages", "followed_by", "blocking",
    "blocked_by", "muting", "muting_notifications", "requested", "requested_by",
    "domain_blocking", "endorsed", "note",
}


def lock(account):
    Account.objects.filter(pk=account.pk).update(locked=True)


# --- follow -----------------------------------------------------------------------------------

def test_follow_unlocked_account_follows_and_counts(alice_client, alice, bob):
    response = alice_client.post(f"/api/v1/accounts/{bob.pk}/follow")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    body = response.json()
    assert set(body) == RELATIONSHIP_KEYS
    assert body == relationship(bob.pk, following=True, showing_reblogs=True)
    follow = Follow.objects.get(account=alice, target=bob)
    assert (follow.accepted, follow.show_reblogs, follow.notify, follow.languages) == (
        True, True, False, None,
    )
    assert counters(alice) == (0, 1)
    assert counters(bob) == (1, 0)


def test_follow_stores_options_from_form(alice_client, alice, bob):
    response = alice_client.post(
        f"/api/v1/accounts/{bob.pk}/follow",
        {"reblogs": "false", "notify": "true", "languages[]": ["en", "de", "en"]},
    )
    assert response.status_code == 200
    assert response.json() == relationship(
        bob.pk, following=True, showing_reblogs=False, notifying=True, languages=["en", "de"]
    )
    follow = Follow.objects.get(account=alice, target=bob)
    assert (follow.show_reblogs, follow.notify, follow.languages) == (False, True, ["en", "de"])


def test_follow_stores_options_from_json(alice_client, alice, bob):
    response = alice_client.post(
        f"/api/v1/accounts/{bob.pk}/follow",
        {"reblogs": False, "notify": True, "languages": ["pt-BR"]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["languages"] == ["pt-BR"]
    assert response.json()["showing_reblogs"] is False
    assert response.json()["notifying"] is True


def test_follow_again_is_idempotent_and_updates_given_options(alice_client, alice, bob):
    alice_client.post(f"/api/v1/accounts/{bob.pk}/follow", {"notify": "true"})
    response = alice_client.post(f"/api/v1/accounts/{bob.pk}/follow", {"reblogs": "0"})
    assert response.status_code == 200
    # notify was not sent the second time, so it keeps its value.
    assert response.json() == relationship(
        bob.pk, following=True, showing_reblogs=False, notifying=True
    )
    assert Follow.objects.filter(account=alice, target=bob).count() == 1
    assert counters(alice) == (0, 1)
    assert counters(bob) == (1, 0)


def test_follow_again_with_empty_languages_clears_them(alice_client, alice, bob):
    alice_client.post(f"/api/v1/accounts/{bob.pk}/follow", {"languages": ["fr"]}, format="json")
    response = alice_client.post(
        f"/api/v1/accounts/{bob.pk}/follow", {"languages": []}, format="json"
    )
    assert response.json()["languages"] is None
    assert Follow.objects.get(account=alice, target=bob).languages is None


def test_follow_with_unknown_language_is_422(alice_client, alice, bob):
    response = alice_client.post(
        f"/api/v1/accounts/{bob.pk}/follow", {"languages[]": ["en", "klingon"]}
    )
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: Languages is invalid"}
    assert not Follow.objects.exists()


def test_follow_locked_account_is_pending(alice_client, alice, bob):
    lock(bob)
    response = alice_client.post(f"/api/v1/accounts/{bob.pk}/follow")
    assert response.status_code == 200
    assert response.json() == relationship(bob.pk, requested=True, showing_reblogs=True)
    assert Follow.objects.get(account=alice, target=bob).accepted is False
    assert counters(alice) == (0, 0)
    assert counters(bob) == (0, 0)


def test_follow_locked_account_again_stays_pending_and_updates_options(alice_client, alice, bob):
    lock(bob)
    alice_client.post(f"/api/v1/accounts/{bob.pk}/follow")
    response = alice_client.post(
        f"/api/v1/accounts/{bob.pk}/follow", {"reblogs": "false", "notify": "true"}
    )
    assert response.status_code == 200
    assert response.json() == relationship(bob.pk, requested=True, notifying=True)
    follow = Follow.objects.get(account=alice, target=bob)
    assert (follow.accepted, follow.show_reblogs, follow.notify) == (False, False, True)
    assert counters(bob) == (0, 0)


def test_follow_by_silenced_account_is_pending(alice_client, alice, bob):
    Account.objects.filter(pk=alice.pk).update(silenced_at=timezone.now())
    response = alice_client.post(f"/api/v1/accounts/{bob.pk}/follow")
    assert response.json()["requested"] is True
    assert Follow.objects.get(account=alice, target=bob).accepted is False


def test_follow_self_is_403(alice_client, alice):
    response = alice_client.post(f"/api/v1/accounts/{alice.pk}/follow")
    assert response.status_code == 403
    assert response.json() == {"error": "This action is not allowed"}
    assert not Follow.objects.exists()
    assert counters(alice) == (0, 0)


def test_follow_account_that_blocks_you_is_403(alice_client, alice, bob):
    BlockFactory(account=bob, target=alice)
    response = alice_client.post(f"/api/v1/accounts/{bob.pk}/follow")
    assert response.status_code == 403
    assert response.json() == {"error": "This action is not allowed"}
    assert not Follow.objects.exists()


def test_follow_account_you_block_is_403(alice_client, alice, bob):
    BlockFactory(account=alice, target=bob)
    response = alice_client.post(f"/api/v1/accounts/{bob.pk}/follow")
    assert response.status_code == 403
    assert response.json() == {"error": "This action is not allowed"}
    assert not Follow.objects.exists()


def test_follow_suspended_account_is_404(alice_client, bob):
    Account.objects.filter(pk=bob.pk).update(suspended_at=timezone.now())
    response = alice_client.post(f"/api/v1/accounts/{bob.pk}/follow")
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}
    assert not Follow.objects.exists()


@pytest.mark.parametrize("action", ["follow", "unfollow", "block", "unblock", "mute", "unmute"])
@pytest.mark.parametrize("path", ["999999999", "abc", "0"])
def test_relationship_action_on_unknown_account_is_404(alice_client, action, path):
    response = alice_client.post(f"/api/v1/accounts/{path}/{action}")
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}


@pytest.mark.parametrize("action", ["follow", "unfollow", "block", "unblock", "mute", "unmute"])
def test_relationship_action_without_token_is_401(anon, bob, action):
    response = anon.post(f"/api/v1/accounts/{bob.pk}/{action}")
    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}
    assert not Follow.objects.exists() and not Block.objects.exists()
    assert not Mute.objects.exists()


@pytest.mark.parametrize("action", ["follow", "unfollow", "block", "unblock", "mute", "unmute"])
def test_relationship_action_with_read_token_is_403(mastodon, make_token, alice, bob, action):
    client = mastodon.as_token(make_token(alice, "read"))
    response = client.post(f"/api/v1/accounts/{bob.pk}/{action}")
    assert response.status_code == 403
    assert response.json() == {"error": "This action is outside the authorized scopes"}
    assert not Follow.objects.exists() and not Block.objects.exists()
    assert not Mute.objects.exists()


@pytest.mark.parametrize("action", ["follow", "unfollow", "block", "unblock", "mute", "unmute"])
def test_relationship_action_with_app_token_is_422(mastodon, make_token, bob, action):
    client = mastodon.as_token(make_token(None, "read write follow"))
    response = client.post(f"/api/v1/accounts/{bob.pk}/{action}")
    assert response.status_code == 422
    assert response.json() == {"error": "This method requires an authenticated user"}


@pytest.mark.parametrize(
    "action,scope,allowed",
    [
        ("follow", "follow", True), ("follow", "write", True), ("follow", "write:follows", True),
        ("follow", "write:blocks", False), ("follow", "write:mutes", False),
        ("unfollow", "write:follows", True), ("unfollow", "write:blocks", False),
        ("block", "follow", True), ("block", "write:blocks", True),
        ("block", "write:follows", False), ("unblock", "write:blocks", True),
        ("unblock", "write:mutes", False),
        ("mute", "follow", True), ("mute", "write:mutes", True), ("mute", "write:blocks", False),
        ("unmute", "write:mutes", True), ("unmute", "write:follows", False),
    ],
)
def test_relationship_action_scopes(mastodon, make_token, alice, bob, action, scope, allowed):
    client = mastodon.as_token(make_token(alice, scope))
    response = client.post(f"/api/v1/accounts/{bob.pk}/{action}")
    assert response.status_code == (200 if allowed else 403), response.content
    if allowed:
        assert set(response.json()) == RELATIONSHIP_KEYS


def test_relationship_actions_refuse_get(alice_client, bob):
    response = alice_client.get(f"/api/v1/accounts/{bob.pk}/follow")
    assert response.status_code == 405


# --- unfollow ---------------------------------------------------------------------------------

def test_unfollow_removes_follow_and_counters(alice_client, alice, bob):
    alice_client.post(f"/api/v1/accounts/{bob.pk}/follow")
    response = alice_client.post(f"/api/v1/accounts/{bob.pk}/unfollow")
    assert response.status_code == 200
    assert response.json() == relationship(bob.pk)
    assert not Follow.objects.exists()
    assert counters(alice) == (0, 0)
    assert counters(bob) == (0, 0)


def test_unfollow_withdraws_pending_request(alice_client, alice, bob):
    lock(bob)
    alice_client.post(f"/api/v1/accounts/{bob.pk}/follow")
    response = alice_client.post(f"/api/v1/accounts/{bob.pk}/unfollow")
    assert response.status_code == 200
    assert response.json() == relationship(bob.pk)
    assert not Follow.objects.exists()
    assert counters(alice) == (0, 0)
    assert counters(bob) == (0, 0)


def test_unfollow_when_not_following_is_200(alice_client, alice, bob):
    FollowFactory(account=bob, target=alice)
    response = alice_client.post(f"/api/v1/accounts/{bob.pk}/unfollow")
    assert response.status_code == 200
    assert response.json() == relationship(bob.pk, followed_by=True)
    assert Follow.objects.filter(account=bob, target=alice).exists()


def test_unfollow_self_is_200_noop(alice_client, alice):
    response = alice_client.post(f"/api/v1/accounts/{alice.pk}/unfollow")
    assert response.status_code == 200
    assert response.json() == relationship(alice.pk)


# --- block ------------------------------------------------------------------------------------

def test_block_removes_follows_both_ways_and_fixes_counters(
    alice_client, bob_client, alice, bob, carol
):
    assert alice_client.post(f"/api/v1/accounts/{bob.pk}/follow").status_code == 200
    assert bob_client.post(f"/api/v1/accounts/{alice.pk}/follow").status_code == 200
    FollowFactory(account=carol, target=alice)
    Account.objects.filter(pk=alice.pk).update(followers_count=2)
    Account.objects.filter(pk=carol.pk).update(following_count=1)
    response = alice_client.post(f"/api/v1/accounts/{bob.pk}/block")
    assert response.status_code == 200
    assert response.json() == relationship(bob.pk, blocking=True)
    assert list(Follow.objects.values_list("account_id", "target_id")) == [(carol.pk, alice.pk)]
    assert Block.objects.filter(account=alice, target=bob).count() == 1
    assert counters(alice) == (1, 0)
    assert counters(bob) == (0, 0)
    assert counters(carol) == (0, 1)
    # Bob sees the other side.
    seen = bob_client.get("/api/v1/accounts/relationships", {"id[]": [alice.pk]}).json()
    assert seen == [relationship(alice.pk, blocked_by=True)]


def test_block_removes_pending_requests_both_ways(alice_client, alice, bob):
    FollowFactory(account=alice, target=bob, accepted=False)
    FollowFactory(account=bob, target=alice, accepted=False)
    response = alice_client.post(f"/api/v1/accounts/{bob.pk}/block")
    assert response.status_code == 200
    assert response.json() == relationship(bob.pk, blocking=True)
    assert not Follow.objects.exists()
    assert counters(alice) == (0, 0)
    assert counters(bob) == (0, 0)


def test_block_twice_is_idempotent(alice_client, alice, bob):
    alice_client.post(f"/api/v1/accounts/{bob.pk}/block")
    response = alice_client.post(f"/api/v1/accounts/{bob.pk}/block")
    assert response.status_code == 200
    assert response.json() == relationship(bob.pk, blocking=True)
    assert Block.objects.count() == 1


def test_block_keeps_mute(alice_client, alice, bob):
    MuteFactory(account=alice, target=bob, hide_notifications=False)
    response = alice_client.post(f"/api/v1/accounts/{bob.pk}/block")
    assert response.json() == relationship(bob.pk, blocking=True, muting=True)


def test_block_self_is_403(alice_client, alice):
    response = alice_client.post(f"/api/v1/accounts/{alice.pk}/block")
    assert response.status_code == 403
    assert response.json() == {"error": "This action is not allowed"}
    assert not Block.objects.exists()


def test_unblock_removes_block(alice_client, alice, bob):
    BlockFactory(account=alice, target=bob)
    BlockFactory(account=bob, target=alice)
    response = alice_client.post(f"/api/v1/accounts/{bob.pk}/unblock")
    assert response.status_code == 200
    assert response.json() == relationship(bob.pk, blocked_by=True)
    assert list(Block.objects.values_list("account_id", "target_id")) == [(bob.pk, alice.pk)]


def test_unblock_when_not_blocking_is_200(alice_client, bob):
    response = alice_client.post(f"/api/v1/accounts/{bob.pk}/unblock")
    assert response.status_code == 200
    assert response.json() == relationship(bob.pk)


# --- mute -------------------------------------------------------------------------------------

def test_mute_defaults_to_notifications_forever_and_keeps_follows(alice_client, alice, bob):
    alice_client.post(f"/api/v1/accounts/{bob.pk}/follow")
    response = alice_client.post(f"/api/v1/accounts/{bob.pk}/mute")
    assert response.status_code == 200
    assert response.json() == relationship(
        bob.pk, following=True, showing_reblogs=True, muting=True, muting_notifications=True
    )
    mute = Mute.objects.get(account=alice, target=bob)
    assert (mute.hide_notifications, mute.expires_at) == (True, None)
    assert Follow.objects.filter(account=alice, target=bob, accepted=True).exists()
    assert counters(bob) == (1, 0)


def test_mute_without_notifications(alice_client, alice, bob):
    response = alice_client.post(f"/api/v1/accounts/{bob.pk}/mute", {"notifications": "false"})
    assert response.json() == relationship(bob.pk, muting=True, muting_notifications=False)
    assert Mute.objects.get(account=alice, target=bob).hide_notifications is False


def test_mute_with_duration_expires(alice_client, alice, bob):
    before = timezone.now()
    response = alice_client.post(f"/api/v1/accounts/{bob.pk}/mute", {"duration": "3600"})
    assert response.status_code == 200
    assert response.json()["muting"] is True
    expires_at = Mute.objects.get(account=alice, target=bob).expires_at
    assert before + timedelta(seconds=3600) <= expires_at <= timezone.now() + timedelta(seconds=3600)


def test_mute_with_zero_duration_is_forever(alice_client, alice, bob):
    alice_client.post(f"/api/v1/accounts/{bob.pk}/mute", {"duration": 0}, format="json")
    assert Mute.objects.get(account=alice, target=bob).expires_at is None


def test_mute_duration_is_read_like_ruby_to_i(alice_client, alice, bob):
    before = timezone.now()
    alice_client.post(f"/api/v1/accounts/{bob.pk}/mute", {"duration": " 90s"})
    expires_at = Mute.objects.get(account=alice, target=bob).expires_at
    assert before + timedelta(seconds=90) <= expires_at <= timezone.now() + timedelta(seconds=90)
    alice_client.post(f"/api/v1/accounts/{bob.pk}/mute", {"duration": "forever"})
    assert Mute.objects.get(account=alice, target=bob).expires_at is None


def test_mute_with_huge_duration_is_capped(alice_client, alice, bob):
    response = alice_client.post(
        f"/api/v1/accounts/{bob.pk}/mute", {"duration": "99999999999999999999"}
    )
    assert response.status_code == 200
    assert response.json()["muting"] is True
    expires_at = Mute.objects.get(account=alice, target=bob).expires_at
    assert expires_at.year >= timezone.now().year + 99


def test_mute_with_negative_duration_is_already_expired(alice_client, alice, bob):
    response = alice_client.post(f"/api/v1/accounts/{bob.pk}/mute", {"duration": "-5"})
    assert response.status_code == 200
    assert response.json() == relationship(bob.pk)
    assert Mute.objects.get(account=alice, target=bob).expires_at < timezone.now()


def test_mute_again_replaces_options(alice_client, alice, bob):
    alice_client.post(
        f"/api/v1/accounts/{bob.pk}/mute", {"notifications": "false", "duration": "60"}
    )
    response = alice_client.post(f"/api/v1/accounts/{bob.pk}/mute")
    assert response.json() == relationship(bob.pk, muting=True, muting_notifications=True)
    mute = Mute.objects.get(account=alice, target=bob)
    assert (mute.hide_notifications, mute.expires_at) == (True, None)
    assert Mute.objects.count() == 1


def test_expired_mute_counts_as_absent(alice_client, alice, bob):
    MuteFactory(account=alice, target=bob, expires_at=timezone.now() - timedelta(seconds=1))
    response = alice_client.get("/api/v1/accounts/relationships", {"id[]": [bob.pk]})
    assert response.json() == [relationship(bob.pk)]


def test_mute_self_is_403(alice_client, alice):
    response = alice_client.post(f"/api/v1/accounts/{alice.pk}/mute")
    assert response.status_code == 403
    assert response.json() == {"error": "This action is not allowed"}
    assert not Mute.objects.exists()


def test_unmute_removes_mute(alice_client, alice, bob):
    MuteFactory(account=alice, target=bob)
    response = alice_client.post(f"/api/v1/accounts/{bob.pk}/unmute")
    assert response.status_code == 200
    assert response.json() == relationship(bob.pk)
    assert not Mute.objects.exists()


def test_unmute_when_not_muting_is_200(alice_client, bob):
    response = alice_client.post(f"/api/v1/accounts/{bob.pk}/unmute")
    assert response.status_code == 200
    assert response.json() == relationship(bob.pk)


# --- GET /api/v1/accounts/relationships -------------------------------------------------------

def test_relationships_follow_request_order_skip_unknown_and_duplicates(alice_client, bob, carol):
    response = alice_client.get(
        "/api/v1/accounts/relationships",
        {"id[]": [carol.pk, "999999999", bob.pk, carol.pk, "abc"]},
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    body = response.json()
    assert [r["id"] for r in body] == [str(carol.pk), str(bob.pk)]
    assert all(set(r) == RELATIONSHIP_KEYS for r in body)


def test_relationships_report_every_flag(alice_client, alice, bob, carol):
    dave = AccountFactory(username="dave")
    erin = AccountFactory(username="erin")
    FollowFactory(account=alice, target=bob, show_reblogs=False, notify=True, languages=["en"])
    FollowFactory(account=bob, target=alice)
    FollowFactory(account=alice, target=carol, accepted=False)
    FollowFactory(account=carol, target=alice, accepted=False)
    BlockFactory(account=alice, target=dave)
    BlockFactory(account=dave, target=alice)
    MuteFactory(account=alice, target=erin, hide_notifications=False)
    MuteFactory(account=erin, target=alice)  # erin muting alice is not alice's business
    response = alice_client.get(
        "/api/v1/accounts/relationships", {"id[]": [bob.pk, carol.pk, dave.pk, erin.pk]}
    )
    assert response.status_code == 200
    assert response.json() == [
        relationship(bob.pk, following=True, showing_reblogs=False, notifying=True,
                     languages=["en"], followed_by=True),
        relationship(carol.pk, requested=True, showing_reblogs=True, requested_by=True),
        relationship(dave.pk, blocking=True, blocked_by=True),
        relationship(erin.pk, muting=True, muting_notifications=False),
    ]


def test_relationships_accept_a_single_id(alice_client, bob):
    response = alice_client.get(f"/api/v1/accounts/relationships?id={bob.pk}")
    assert response.status_code == 200
    assert response.json() == [relationship(bob.pk)]


def test_relationships_without_ids_is_empty(alice_client):
    response = alice_client.get("/api/v1/accounts/relationships")
    assert response.status_code == 200
    assert response.json() == []


def test_relationships_skip_suspended_unless_asked(alice_client, bob, carol):
    Account.objects.filter(pk=bob.pk).update(suspended_at=timezone.now())
    ids = {"id[]": [bob.pk, carol.pk]}
    assert [r["id"] for r in alice_client.get("/api/v1/accounts/relationships", ids).json()] == [
        str(carol.pk)
    ]
    with_suspended = alice_client.get(
        "/api/v1/accounts/relationships", {**ids, "with_suspended": "true"}
    ).json()
    assert [r["id"] for r in with_suspended] == [str(bob.pk), str(carol.pk)]


def test_relationships_with_self(alice_client, alice):
    response = alice_client.get("/api/v1/accounts/relationships", {"id[]": [alice.pk]})
    assert response.json() == [relationship(alice.pk)]


def test_relationships_without_token_is_401(anon, bob):
    response = anon.get("/api/v1/accounts/relationships", {"id[]": [bob.pk]})
    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}


@pytest.mark.parametrize("scope,status", [
    ("read", 200), ("read:follows", 200), ("write", 403), ("follow", 403),
    ("read:accounts", 403),
])
def test_relationships_scopes(mastodon, make_token, alice, bob, scope, status):
    client = mastodon.as_token(make_token(alice, scope))
    response = client.get("/api/v1/accounts/relationships", {"id[]": [bob.pk]})
    assert response.status_code == status
    if status == 403:
        assert response.json() == {"error": "This action is outside the authorized scopes"}


def test_relationships_with_app_token_is_422(mastodon, make_token, bob):
    client = mastodon.as_token(make_token(None, "read write follow"))
    response = client.get("/api/v1/accounts/relationships", {"id[]": [bob.pk]})
    assert response.status_code == 422
    assert response.json() == {"error": "This method requires an authenticated user"}


def test_account_detail_route_still_answers(alice_client, bob):
    response = alice_client.get(f"/api/v1/accounts/{bob.pk}")
    assert response.status_code == 200
    assert response.json()["id"] == str(bob.pk)


def _busy_others(alice, count):
    """`count` accounts each standing to alice in every way a relationship can record."""
    others = [AccountFactory() for _ in range(count)]
    for i, other in enumerate(others):
        FollowFactory(account=alice, target=other, accepted=i % 2 == 0, languages=["en"])
        FollowFactory(account=other, target=alice, accepted=i % 3 == 0)
        BlockFactory(account=other, target=alice)
        MuteFactory(account=alice, target=other)
    return others


def test_relationships_query_count_is_constant(alice_client, alice, django_assert_num_queries):
    """Token, accounts, follows, blocks, mutes: five queries for 1 id or 20."""
    for size in (1, 20):
        others = _busy_others(alice, size)
        with django_assert_num_queries(5):
            response = alice_client.get(
                "/api/v1/accounts/relationships", {"id[]": [o.pk for o in others]}
            )
        assert len(response.json()) == size
        assert all(r["muting"] and r["blocked_by"] for r in response.json())


# --- concurrency (PostgreSQL) -----------------------------------------------------------------
def _post_all(live_server, requests: list[tuple[str, str]]) -> list[int]:
    """POSTs every (path, token) at once from its own thread, released by one barrier."""
    barrier = threading.Barrier(len(requests))
    statuses: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def post(path, token):
        request = urllib.request.Request(
            f"{live_server.url}{path}",
            data=b"{}",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            method="POST",
        )
        try:
            barrier.wait(timeout=30)
            with urllib.request.urlopen(request, timeout=60) as response:
                json.loads(response.read())
                with lock:
                    statuses.append(response.status)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=post, args=pair) for pair in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert errors == []
    return statuses


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_concurrent_follows_of_one_account_count_exactly(live_server, make_token):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (CI runs this on PostgreSQL)")
    target = AccountFactory(username="popular")
    followers = [AccountFactory(username=f"fan{i}") for i in range(30)]
    requests = [(f"/api/v1/accounts/{target.pk}/follow", make_token(f)) for f in followers]
    statuses = _post_all(live_server, requests)
    assert statuses == [200] * 30
    rows = Follow.objects.filter(target=target, accepted=True).count()
    assert rows == 30
    assert counters(target) == (30, 0)
    assert sorted(
        Account.objects.filter(pk__in=[f.pk for f in followers]).values_list(
            "following_count", flat=True
        )
    ) == [1] * 30


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_concurrent_follow_and_unfollow_keep_counters_equal_to_rows(
    live_server, make_token, alice, bob
):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (CI runs this on PostgreSQL)")
    token = make_token(alice)
    requests = [
        (f"/api/v1/accounts/{bob.pk}/{'follow' if i % 2 == 0 else 'unfollow'}", token)
        for i in range(20)
    ]
    statuses = _post_all(live_server, requests)
    assert statuses == [200] * 20
    rows = Follow.objects.filter(account=alice, target=bob, accepted=True).count()
    assert rows in (0, 1)
    assert counters(bob) == (rows, 0)
    assert counters(alice) == (0, rows)

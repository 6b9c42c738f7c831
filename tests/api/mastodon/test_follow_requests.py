"""GET /api/v1/follow_requests and POST /api/v1/follow_requests/:account_id/{authorize,reject}."""

import json
import threading
import urllib.error
import urllib.request

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Account, Follow
from tests.api.mastodon.expected import counters, relationship
from tests.factories import AccountFactory, FollowFactory

ACCOUNT_KEYS = {
    "id", "username", "acct", "display_name", "locked", "bot", "discoverable", "indexable",
    "group", "created_at", "note", "url", "uri", "avatar", "avatar_static", "header",
    "header_static", "followers_count", "following_count", "statuses_count", "last_status_at",
    "hide_collections", "noindex", "emojis", "roles", "fields",
}
BASE = "http://testserver/api/v1/follow_requests"


def pending(requester, target) -> Follow:
    return FollowFactory(account=requester, target=target, accepted=False)


# --- GET /api/v1/follow_requests --------------------------------------------------------------

def test_follow_requests_list_pending_newest_first(bob_client, alice, bob, carol):
    first = pending(alice, bob)
    pending(carol, bob)
    FollowFactory(account=AccountFactory(), target=bob)  # accepted: not a request
    pending(bob, carol)  # bob's own request: not his to answer
    response = bob_client.get("/api/v1/follow_requests")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    body = response.json()
    assert [a["id"] for a in body] == [str(carol.pk), str(alice.pk)]
    assert all(set(a) == ACCOUNT_KEYS for a in body)
    assert body[1]["username"] == "alice"
    # A page smaller than the limit has no next link, only prev (since_id of the newest request).
    assert response["Link"] == f'<{BASE}?since_id={first.pk + 1}>; rel="prev"'


def test_follow_requests_empty_has_no_link(bob_client):
    response = bob_client.get("/api/v1/follow_requests")
    assert response.status_code == 200
    assert response.json() == []
    assert "Link" not in response


def test_follow_requests_link_header_when_page_is_full(bob_client, bob):
    requesters = [AccountFactory(username=f"asker{i}") for i in range(3)]
    rows = [pending(r, bob) for r in requesters]
    response = bob_client.get("/api/v1/follow_requests", {"limit": 2})
    assert response.status_code == 200
    assert [a["id"] for a in response.json()] == [str(requesters[2].pk), str(requesters[1].pk)]
    assert response["Link"] == (
        f'<{BASE}?limit=2&max_id={rows[1].pk}>; rel="next", '
        f'<{BASE}?limit=2&since_id={rows[2].pk}>; rel="prev"'
    )
    following = bob_client.get("/api/v1/follow_requests", {"limit": 2, "max_id": rows[1].pk})
    assert [a["id"] for a in following.json()] == [str(requesters[0].pk)]
    assert following["Link"] == f'<{BASE}?limit=2&since_id={rows[0].pk}>; rel="prev"'


def test_follow_requests_cursors_since_and_min(bob_client, bob):
    requesters = [AccountFactory(username=f"asker{i}") for i in range(4)]
    rows = [pending(r, bob) for r in requesters]
    since = bob_client.get("/api/v1/follow_requests", {"since_id": rows[1].pk, "limit": 1})
    assert [a["id"] for a in since.json()] == [str(requesters[3].pk)]
    oldest_after = bob_client.get("/api/v1/follow_requests", {"min_id": rows[0].pk, "limit": 2})
    assert [a["id"] for a in oldest_after.json()] == [
        str(requesters[2].pk), str(requesters[1].pk),
    ]


def test_follow_requests_limit_defaults_to_40_and_caps_at_80(bob_client, bob):
    for i in range(81):
        pending(AccountFactory(username=f"asker{i}"), bob)
    assert len(bob_client.get("/api/v1/follow_requests").json()) == 40
    assert len(bob_client.get("/api/v1/follow_requests", {"limit": 500}).json()) == 80


def test_follow_requests_hide_suspended_requesters(bob_client, alice, bob, carol):
    pending(alice, bob)
    pending(carol, bob)
    Account.objects.filter(pk=alice.pk).update(suspended_at=timezone.now())
    assert [a["id"] for a in bob_client.get("/api/v1/follow_requests").json()] == [str(carol.pk)]


def test_follow_requests_without_token_is_401(anon):
    response = anon.get("/api/v1/follow_requests")
    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}


@pytest.mark.parametrize("scope,status", [
    ("read", 200), ("read:follows", 200), ("follow", 200), ("write", 403),
    ("write:follows", 403), ("read:accounts", 403),
])
def test_follow_requests_scopes(mastodon, make_token, bob, scope, status):
    response = mastodon.as_token(make_token(bob, scope)).get("/api/v1/follow_requests")
    assert response.status_code == status
    if status == 403:
        assert response.json() == {"error": "This action is outside the authorized scopes"}


def test_follow_requests_with_app_token_is_422(mastodon, make_token):
    client = mastodon.as_token(make_token(None, "read write follow"))
    response = client.get("/api/v1/follow_requests")
    assert response.status_code == 422
    assert response.json() == {"error": "This method requires an authenticated user"}


def test_follow_requests_query_count_is_constant(bob_client, bob, django_assert_num_queries):
    """Token and one page of requests with their accounts: two queries for 1 or 20 requests."""
    for size in (1, 20):
        Follow.objects.filter(target=bob).delete()
        for _ in range(size):
            pending(AccountFactory(), bob)
        with django_assert_num_queries(2):
            response = bob_client.get("/api/v1/follow_requests")
        assert len(response.json()) == size


# --- authorize / reject -----------------------------------------------------------------------

def test_authorize_accepts_request_and_counts(bob_client, alice, bob):
    pending(alice, bob)
    response = bob_client.post(f"/api/v1/follow_requests/{alice.pk}/authorize")
    assert response.status_code == 200
    body = response.json()
    assert body == relationship(alice.pk, followed_by=True)
    assert Follow.objects.get(account=alice, target=bob).accepted is True
    assert counters(alice) == (0, 1)
    assert counters(bob) == (1, 0)
    assert bob_client.get("/api/v1/follow_requests").json() == []


def test_authorize_without_request_is_404(bob_client, alice, bob):
    response = bob_client.post(f"/api/v1/follow_requests/{alice.pk}/authorize")
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}


def test_authorize_twice_is_404_and_counts_once(bob_client, alice, bob):
    pending(alice, bob)
    assert bob_client.post(f"/api/v1/follow_requests/{alice.pk}/authorize").status_code == 200
    again = bob_client.post(f"/api/v1/follow_requests/{alice.pk}/authorize")
    assert again.status_code == 404
    assert again.json() == {"error": "Record not found"}
    assert counters(bob) == (1, 0)
    assert counters(alice) == (0, 1)


def test_authorize_request_sent_to_someone_else_is_404(bob_client, alice, carol):
    pending(alice, carol)
    response = bob_client.post(f"/api/v1/follow_requests/{alice.pk}/authorize")
    assert response.status_code == 404
    assert Follow.objects.get(account=alice, target=carol).accepted is False


@pytest.mark.parametrize("action", ["authorize", "reject"])
@pytest.mark.parametrize("path", ["999999999", "abc"])
def test_answer_for_unknown_account_is_404(bob_client, action, path):
    response = bob_client.post(f"/api/v1/follow_requests/{path}/{action}")
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}


def test_reject_removes_request(bob_client, alice, bob):
    pending(alice, bob)
    response = bob_client.post(f"/api/v1/follow_requests/{alice.pk}/reject")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(alice.pk)
    assert (body["followed_by"], body["requested_by"], body["following"]) == (False, False, False)
    assert not Follow.objects.exists()
    assert counters(alice) == (0, 0)
    assert counters(bob) == (0, 0)
    again = bob_client.post(f"/api/v1/follow_requests/{alice.pk}/reject")
    assert again.status_code == 404
    assert again.json() == {"error": "Record not found"}


def test_reject_accepted_follow_is_404(bob_client, alice, bob):
    FollowFactory(account=alice, target=bob)
    response = bob_client.post(f"/api/v1/follow_requests/{alice.pk}/reject")
    assert response.status_code == 404
    assert Follow.objects.filter(account=alice, target=bob, accepted=True).exists()


@pytest.mark.parametrize("action", ["authorize", "reject"])
def test_answer_without_token_is_401(anon, alice, bob, action):
    pending(alice, bob)
    response = anon.post(f"/api/v1/follow_requests/{alice.pk}/{action}")
    assert response.status_code == 401
    assert Follow.objects.get(account=alice, target=bob).accepted is False


@pytest.mark.parametrize("action", ["authorize", "reject"])
@pytest.mark.parametrize("scope,status", [
    ("follow", 200), ("write", 200), ("write:follows", 200), ("read", 403),
    ("write:blocks", 403),
])
def test_answer_scopes(mastodon, make_token, alice, bob, action, scope, status):
    pending(alice, bob)
    response = mastodon.as_token(make_token(bob, scope)).post(
        f"/api/v1/follow_requests/{alice.pk}/{action}"
    )
    assert response.status_code == status
    if status == 403:
        assert response.json() == {"error": "This action is outside the authorized scopes"}
        assert Follow.objects.get(account=alice, target=bob).accepted is False


@pytest.mark.parametrize("action", ["authorize", "reject"])
def test_answer_with_app_token_is_422(mastodon, make_token, alice, bob, action):
    pending(alice, bob)
    client = mastodon.as_token(make_token(None, "read write follow"))
    response = client.post(f"/api/v1/follow_requests/{alice.pk}/{action}")
    assert response.status_code == 422
    assert response.json() == {"error": "This method requires an authenticated user"}


# --- the locked-account flow through the API --------------------------------------------------

def test_locked_account_flow_request_list_authorize(alice_client, bob_client, alice, bob, carol,
                                                    make_token):
    Account.objects.filter(pk=bob.pk).update(locked=True)
    requested = alice_client.post(f"/api/v1/accounts/{bob.pk}/follow", {"notify": "true"})
    assert requested.json()["requested"] is True
    assert requested.json()["following"] is False
    carol_client = APIClient()
    carol_client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(carol)}")
    assert carol_client.post(f"/api/v1/accounts/{bob.pk}/follow").json()["requested"] is True

    listed = bob_client.get("/api/v1/follow_requests").json()
    assert [a["id"] for a in listed] == [str(carol.pk), str(alice.pk)]
    seen_by_bob = bob_client.get("/api/v1/accounts/relationships", {"id[]": [alice.pk]}).json()
    assert seen_by_bob[0]["requested_by"] is True

    assert bob_client.post(f"/api/v1/follow_requests/{alice.pk}/authorize").status_code == 200
    assert bob_client.post(f"/api/v1/follow_requests/{carol.pk}/reject").status_code == 200

    seen_by_alice = alice_client.get(
        "/api/v1/accounts/relationships", {"id[]": [bob.pk]}
    ).json()[0]
    assert (seen_by_alice["following"], seen_by_alice["requested"]) == (True, False)
    assert seen_by_alice["notifying"] is True  # the options chosen when asking are kept
    assert counters(bob) == (1, 0)
    assert counters(alice) == (0, 1)
    assert counters(carol) == (0, 0)
    assert not Follow.objects.filter(account=carol).exists()
    assert bob_client.get("/api/v1/follow_requests").json() == []


# --- concurrency (PostgreSQL) -----------------------------------------------------------------
@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_concurrent_authorizations_count_each_request_once(live_server, make_token):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (CI runs this on PostgreSQL)")
    target = AccountFactory(username="guarded", locked=True)
    askers = [AccountFactory(username=f"asker{i}") for i in range(10)]
    for asker in askers:
        pending(asker, target)
    token = make_token(target)
    # Each request answered twice at once: one authorize wins, the other finds nothing (404).
    paths = [f"/api/v1/follow_requests/{a.pk}/authorize" for a in askers for _ in range(2)]
    barrier = threading.Barrier(len(paths))
    codes: list[int] = []
    lock = threading.Lock()

    def post(path):
        request = urllib.request.Request(
            f"{live_server.url}{path}", data=b"{}", method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        barrier.wait(timeout=30)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                json.loads(response.read())
                code = response.status
        except urllib.error.HTTPError as exc:
            code = exc.code
        with lock:
            codes.append(code)

    threads = [threading.Thread(target=post, args=(p,)) for p in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert sorted(codes) == [200] * 10 + [404] * 10
    assert Follow.objects.filter(target=target, accepted=True).count() == 10
    assert counters(target) == (10, 0)
    assert sorted(
        Account.objects.filter(pk__in=[a.pk for a in askers]).values_list(
            "following_count", flat=True
        )
    ) == [1] * 10

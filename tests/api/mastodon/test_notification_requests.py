"""Mastodon's notification policy and requests (GET/PATCH /api/v2/notifications/policy,
/api/v1/notifications/requests...): notifications from filtered senders are stored filtered,
kept out of the lists until their request is accepted, and dropped senders write nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import (
    Notification,
    NotificationPermission,
    NotificationPolicy,
    NotificationRequest,
)
from statuses.services import status_create, status_favourite
from tests.factories import AccountFactory, FollowFactory

pytestmark = pytest.mark.django_db

DEFAULTS = {"for_not_following": "accept", "for_not_followers": "accept",
            "for_new_accounts": "accept", "for_private_mentions": "filter",
            "for_limited_accounts": "filter"}


def test_the_default_policy_and_its_summary(alice_client):
    response = alice_client.get("/api/v2/notifications/policy")
    assert response.status_code == 200
    assert response.json() == {**DEFAULTS, "summary": {"pending_requests_count": 0,
                                                       "pending_notifications_count": 0}}


def test_patch_changes_the_fields_given_and_refuses_unknown_values(alice_client, alice):
    response = alice_client.patch("/api/v2/notifications/policy",
                                  {"for_not_following": "filter", "for_new_accounts": "drop"},
                                  format="json")
    assert response.status_code == 200
    assert response.json() == {**DEFAULTS, "for_not_following": "filter",
                               "for_new_accounts": "drop", "summary": {
                                   "pending_requests_count": 0,
                                   "pending_notifications_count": 0}}
    refused = alice_client.patch("/api/v2/notifications/policy",
                                 {"for_not_followers": "maybe"}, format="json")
    assert refused.status_code == 422
    assert refused.json() == {
        "error": "Validation failed: For not followers is not included in the list"}
    policy = NotificationPolicy.objects.get(account=alice)
    assert (policy.for_not_following, policy.for_not_followers) == ("filter", "accept")


def test_a_private_mention_from_a_stranger_is_filtered_into_a_request(alice, bob, client_for):
    status = status_create(account=bob, text="@alice psst", visibility="direct")
    told = Notification.objects.get()
    assert told.filtered is True and told.group_key == ""
    client = client_for(alice)
    assert client.get("/api/v1/notifications").json() == []
    assert [n["id"] for n in client.get("/api/v1/notifications?include_filtered=true").json()
            ] == [str(told.pk)]
    assert client.get("/api/v1/notifications?include_filtered=true").json()[0]["filtered"]
    # Asking for one sender's notifications shows the filtered ones too (Mastodon's
    # `browserable`), as a client reads what a request holds.
    assert [n["id"] for n in client.get(f"/api/v1/notifications?account_id={bob.pk}").json()
            ] == [str(told.pk)]
    request = NotificationRequest.objects.get()
    [listed] = client.get("/api/v1/notifications/requests").json()
    assert set(listed) == {"id", "created_at", "updated_at", "notifications_count", "account",
                           "last_status"}
    assert listed["id"] == str(request.pk)
    assert listed["notifications_count"] == "1"
    assert listed["account"]["id"] == str(bob.pk)
    assert listed["last_status"] == client.get(f"/api/v1/statuses/{status.pk}").json()
    assert client.get(f"/api/v1/notifications/requests/{request.pk}").json() == listed
    summary = client.get("/api/v2/notifications/policy").json()["summary"]
    assert summary == {"pending_requests_count": 1, "pending_notifications_count": 1}


def test_a_mention_from_someone_followed_is_not_filtered(alice, bob):
    FollowFactory(account=alice, target=bob)
    status_create(account=bob, text="@alice psst", visibility="direct")
    assert Notification.objects.get().filtered is False


def test_accepting_a_request_lets_its_notifications_and_the_next_ones_through(alice, bob,
                                                                              client_for):
    status_create(account=bob, text="@alice one", visibility="direct")
    request = NotificationRequest.objects.get()
    client = client_for(alice)
    assert client_for(bob).post(
        f"/api/v1/notifications/requests/{request.pk}/accept").status_code == 404
    response = client.post(f"/api/v1/notifications/requests/{request.pk}/accept")
    assert (response.status_code, response.json()) == (200, {})
    assert not NotificationRequest.objects.exists()
    assert NotificationPermission.objects.filter(account=alice, from_account=bob).exists()
    assert len(client.get("/api/v1/notifications").json()) == 1
    status_create(account=bob, text="@alice two", visibility="direct")
    assert len(client.get("/api/v1/notifications").json()) == 2
    assert client.get("/api/v1/notifications/requests/merged").json() == {"merged": True}


def test_dismissing_keeps_the_notifications_out(alice, bob, client_for):
    status_create(account=bob, text="@alice one", visibility="direct")
    request = NotificationRequest.objects.get()
    client = client_for(alice)
    response = client.post(f"/api/v1/notifications/requests/{request.pk}/dismiss")
    assert (response.status_code, response.json()) == (200, {})
    assert not NotificationRequest.objects.exists()
    assert client.get("/api/v1/notifications").json() == []
    missing = client.get(f"/api/v1/notifications/requests/{request.pk}")
    assert (missing.status_code, missing.json()) == (404, {"error": "Record not found"})


def test_batch_accept_and_dismiss_take_ids_and_ignore_others(alice, bob, carol, client_for):
    for sender in (bob, carol):
        status_create(account=sender, text="@alice hi", visibility="direct")
    by_sender = {r.from_account_id: r.pk for r in NotificationRequest.objects.all()}
    client = client_for(alice)
    response = client.post("/api/v1/notifications/requests/accept",
                           {"id[]": [str(by_sender[bob.pk]), "nonsense"]})
    assert (response.status_code, response.json()) == (200, {})
    response = client.post("/api/v1/notifications/requests/dismiss",
                           {"id": [str(by_sender[carol.pk])]}, format="json")
    assert (response.status_code, response.json()) == (200, {})
    assert not NotificationRequest.objects.exists()
    assert [n["account"]["id"] for n in client.get("/api/v1/notifications").json()] == [
        str(bob.pk)]


def test_drop_writes_nothing_and_new_accounts_are_judged_by_age(alice, client_for):
    NotificationPolicy.objects.create(account=alice, for_new_accounts="drop")
    newcomer = AccountFactory(username="newcomer")
    veteran = AccountFactory(username="veteran")
    type(veteran).objects.filter(pk=veteran.pk).update(
        date_joined=timezone.now() - timedelta(days=31))
    status = status_create(account=alice, text="mine")
    status_favourite(account=newcomer, status_id=status.pk)
    status_favourite(account=veteran, status_id=status.pk)
    assert list(Notification.objects.values_list("from_account_id", flat=True)) == [veteran.pk]


def test_filter_not_following_holds_favourites_and_counts_them(alice, bob, client_for):
    NotificationPolicy.objects.create(account=alice, for_not_following="filter")
    for text in ("one", "two"):
        status_favourite(account=bob, status_id=status_create(account=alice, text=text).pk)
    [request] = client_for(alice).get("/api/v1/notifications/requests").json()
    assert request["notifications_count"] == "2"
    assert client_for(alice).get("/api/v2/notifications").json()["notification_groups"] == []


def test_requests_list_pages_with_link(alice, client_for):
    for _ in range(3):
        status_create(account=AccountFactory(), text="@alice hi", visibility="direct")
    ids = list(NotificationRequest.objects.order_by("-pk").values_list("pk", flat=True))
    response = client_for(alice).get("/api/v1/notifications/requests?limit=2")
    assert [int(r["id"]) for r in response.json()] == ids[:2]
    assert f"max_id={ids[1]}" in response["Link"]

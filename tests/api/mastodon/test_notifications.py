"""Mastodon's notification API, v1 and grouped v2 (notifications/mastodon/views.py): the wire
format, the filters, cursors and Link headers, what a reader may see, dismissals, unread counts
and constant query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services as account_services
from notifications.models import Marker, Notification
from statuses.models import Status
from statuses.services import status_create, status_delete, status_favourite, status_reblog
from tests.factories import AccountFactory, BlockFactory, FollowFactory, MuteFactory

pytestmark = pytest.mark.django_db

NOTIFICATION_KEYS = {"id", "type", "created_at", "group_key", "account"}


def favourited_by(status, *accounts):
    for account in accounts:
        status_favourite(account=account, status_id=status.pk)


# --- GET /api/v1/notifications --------------------------------------------------------------

def test_list_shows_a_favourite_with_the_status_as_the_statuses_api_renders_it(
        alice_client, alice, bob):
    status = status_create(account=alice, text="mine")
    favourited_by(status, bob)
    response = alice_client.get("/api/v1/notifications")
    assert response.status_code == 200
    [item] = response.json()
    told = Notification.objects.get()
    assert set(item) == NOTIFICATION_KEYS | {"status"}
    assert item["id"] == str(told.pk)
    assert item["type"] == "favourite"
    assert item["group_key"] == told.group_key
    assert item["created_at"].endswith("Z") and len(item["created_at"]) == 24
    assert item["account"]["id"] == str(bob.pk)
    assert item["account"]["acct"] == "bob"
    assert item["status"] == alice_client.get(f"/api/v1/statuses/{status.pk}").json()


def test_a_follow_has_no_status_and_a_mention_is_ungrouped(alice_client, alice, bob):
    account_services.account_follow(account=bob, target=alice)
    status_create(account=bob, text="@alice hi")
    follow, mention = sorted(alice_client.get("/api/v1/notifications").json(),
                             key=lambda n: n["type"])
    assert set(follow) == NOTIFICATION_KEYS and follow["type"] == "follow"
    assert follow["group_key"].startswith("follow-")
    assert mention["type"] == "mention"
    assert mention["group_key"] == f"ungrouped-{mention['id']}"


def test_types_exclude_types_and_account_id_filter(alice_client, alice, bob, carol):
    status = status_create(account=alice, text="mine")
    favourited_by(status, bob, carol)
    status_reblog(account=bob, status_id=status.pk)
    status_create(account=carol, text="@alice hi")

    def types(query):
        return [n["type"] for n in alice_client.get(f"/api/v1/notifications?{query}").json()]

    assert types("") == ["mention", "reblog", "favourite", "favourite"]
    assert types("types[]=favourite&types[]=reblog") == ["reblog", "favourite", "favourite"]
    assert types("exclude_types[]=favourite&exclude_types[]=nonsense") == ["mention", "reblog"]
    assert types(f"account_id={bob.pk}") == ["reblog", "favourite"]
    assert types("types[]=nonsense") == []


def test_cursors_limit_and_link_header(alice_client, alice):
    status = status_create(account=alice, text="mine")
    favourited_by(status, *[AccountFactory() for _ in range(5)])
    ids = [n.pk for n in Notification.objects.order_by("-pk")]
    response = alice_client.get("/api/v1/notifications?limit=2&types[]=favourite")
    assert [int(n["id"]) for n in response.json()] == ids[:2]
    link = response["Link"]
    assert (f'<http://testserver/api/v1/notifications?limit=2&max_id={ids[1]}'
            f'&types%5B%5D=favourite>; rel="next"') in link
    assert f'min_id={ids[0]}' in link and 'rel="prev"' in link
    older = alice_client.get(f"/api/v1/notifications?max_id={ids[1]}&limit=2").json()
    assert [int(n["id"]) for n in older] == ids[2:4]
    newer = alice_client.get(f"/api/v1/notifications?min_id={ids[4]}&limit=2").json()
    assert [int(n["id"]) for n in newer] == ids[2:4]
    since = alice_client.get(f"/api/v1/notifications?since_id={ids[2]}").json()
    assert [int(n["id"]) for n in since] == ids[:2]
    last = alice_client.get(f"/api/v1/notifications?max_id={ids[3]}")
    assert 'rel="next"' not in last["Link"]
    assert alice_client.get("/api/v1/notifications?limit=500").status_code == 200


def test_a_status_no_longer_visible_drops_its_notification(alice, bob, client_for):
    mention = status_create(account=alice, text="@bob private", visibility="private")
    client = client_for(bob)
    assert [n["type"] for n in client.get("/api/v1/notifications").json()] == ["mention"]
    status_delete(status=Status.objects.get(pk=mention.pk))
    assert client.get("/api/v1/notifications").json() == []


def test_a_collapsed_status_drops_others_notifications(alice, bob, carol, client_for):
    status = status_create(account=alice, text="@bob look")
    Status.objects.filter(pk=status.pk).update(collapsed=True)
    assert client_for(bob).get("/api/v1/notifications").json() == []


def test_blocks_and_notification_mutes_made_later_hide_notifications(alice, bob, carol,
                                                                     client_for):
    status = status_create(account=alice, text="mine")
    favourited_by(status, bob, carol)
    client = client_for(alice)
    BlockFactory(account=bob, target=alice)
    mute = MuteFactory(account=alice, target=carol, hide_notifications=True)
    assert client.get("/api/v1/notifications").json() == []
    # A mute that has expired, or that lets notifications through, hides nothing.
    mute.expires_at = timezone.now() - timedelta(seconds=1)
    mute.save()
    assert [n["account"]["id"] for n in client.get("/api/v1/notifications").json()] == [
        str(carol.pk)]


def test_a_suspended_sender_is_hidden(alice, bob, client_for):
    status = status_create(account=alice, text="mine")
    favourited_by(status, bob)
    bob.suspended_at = timezone.now()
    bob.save()
    assert client_for(alice).get("/api/v1/notifications").json() == []


def test_list_needs_a_user_token_and_the_notifications_scope(alice, make_token, mastodon):
    anonymous = mastodon.get("/api/v1/notifications")
    assert anonymous.status_code == 401
    assert mastodon.as_token(make_token(alice, scopes="read:statuses")).get(
        "/api/v1/notifications").status_code == 403
    assert mastodon.as_token(make_token(alice, scopes="read:notifications")).get(
        "/api/v1/notifications").status_code == 200
    app_only = mastodon.as_token(make_token(None, scopes="read")).get("/api/v1/notifications")
    assert app_only.status_code == 422
    assert app_only.json() == {"error": "This method requires an authenticated user"}


# The token, the page's ids (a step of the walk: the ids along the index, then the visibility
# rule on those), its notifications with their senders, the statuses' rows and their authors,
# and what the statuses face reads for the page (its flags).
V1_QUERIES = 7


def test_list_query_count_is_constant(alice_client, alice, django_assert_num_queries):
    for size in (1, 20):
        Notification.objects.all().delete()
        for _ in range(size):
            status = status_create(account=alice, text="mine")
            status_favourite(account=AccountFactory(), status_id=status.pk)
            status_create(account=AccountFactory(), text="@alice hi")
        with django_assert_num_queries(V1_QUERIES):
            response = alice_client.get("/api/v1/notifications?limit=80")
        assert len(response.json()) == size * 2


# --- one notification, dismiss, clear ---------------------------------------------------------

def test_get_one_and_another_accounts_is_not_found(alice, bob, client_for):
    status = status_create(account=alice, text="mine")
    favourited_by(status, bob)
    told = Notification.objects.get()
    response = client_for(alice).get(f"/api/v1/notifications/{told.pk}")
    assert response.status_code == 200
    assert response.json()["id"] == str(told.pk)
    for path in (f"/api/v1/notifications/{told.pk}", "/api/v1/notifications/nonsense"):
        response = client_for(bob).get(path)
        assert response.status_code == 404
        assert response.json() == {"error": "Record not found"}


def test_dismiss_and_clear(alice, bob, carol, client_for):
    status = status_create(account=alice, text="mine")
    favourited_by(status, bob, carol)
    first, second = Notification.objects.order_by("pk")
    client = client_for(alice)
    assert client_for(bob).post(f"/api/v1/notifications/{first.pk}/dismiss").status_code == 404
    response = client.post(f"/api/v1/notifications/{first.pk}/dismiss")
    assert (response.status_code, response.json()) == (200, {})
    assert list(Notification.objects.values_list("pk", flat=True)) == [second.pk]
    response = client.post("/api/v1/notifications/clear")
    assert (response.status_code, response.json()) == (200, {})
    assert not Notification.objects.exists()


def test_unread_count_counts_past_the_notifications_marker(alice, client_for):
    status = status_create(account=alice, text="mine")
    favourited_by(status, *[AccountFactory() for _ in range(3)])
    client = client_for(alice)
    assert client.get("/api/v1/notifications/unread_count").json() == {"count": 3}
    oldest = Notification.objects.order_by("pk").first()
    Marker.objects.create(account=alice, timeline="notifications", last_read_id=oldest.pk)
    assert client.get("/api/v1/notifications/unread_count").json() == {"count": 2}
    assert client.get("/api/v1/notifications/unread_count?limit=1").json() == {"count": 1}
    assert client.get("/api/v1/notifications/unread_count?types[]=mention").json() == {
        "count": 0}


# --- GET /api/v2/notifications ----------------------------------------------------------------

def test_grouped_favourites_and_an_ungrouped_mention(alice, bob, carol, client_for):
    dave = AccountFactory(username="dave")
    status = status_create(account=alice, text="mine")
    favourited_by(status, bob, carol, dave)
    mention = status_create(account=bob, text="@alice hi")
    client = client_for(alice)
    response = client.get("/api/v2/notifications")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"accounts", "statuses", "notification_groups"}
    favourites = list(Notification.objects.filter(type="favourite").order_by("-pk"))
    told = Notification.objects.get(type="mention")
    assert body["notification_groups"] == [
        {"group_key": f"ungrouped-{told.pk}", "notifications_count": 1, "type": "mention",
         "most_recent_notification_id": told.pk, "page_min_id": str(told.pk),
         "page_max_id": str(told.pk),
         "latest_page_notification_at": body["notification_groups"][0][
             "latest_page_notification_at"],
         "sample_account_ids": [str(bob.pk)], "status_id": str(mention.pk)},
        {"group_key": favourites[0].group_key, "notifications_count": 3, "type": "favourite",
         "most_recent_notification_id": favourites[0].pk,
         "page_min_id": str(favourites[-1].pk), "page_max_id": str(favourites[0].pk),
         "latest_page_notification_at": body["notification_groups"][1][
             "latest_page_notification_at"],
         "sample_account_ids": [str(dave.pk), str(carol.pk), str(bob.pk)],
         "status_id": str(status.pk)},
    ]
    assert body["notification_groups"][1]["latest_page_notification_at"].endswith("Z")
    assert [a["id"] for a in body["accounts"]] == [str(bob.pk), str(dave.pk), str(carol.pk)]
    assert {s["id"] for s in body["statuses"]} == {str(status.pk), str(mention.pk)}
    assert [s for s in body["statuses"] if s["id"] == str(status.pk)][0] == client.get(
        f"/api/v1/statuses/{status.pk}").json()


def test_grouped_types_limits_what_groups(alice, bob, carol, client_for):
    status = status_create(account=alice, text="mine")
    favourited_by(status, bob, carol)
    groups = client_for(alice).get(
        "/api/v2/notifications?grouped_types[]=reblog").json()["notification_groups"]
    assert [g["group_key"].startswith("ungrouped-") for g in groups] == [True, True]


def test_partial_avatars_expand_only_each_groups_first_account(alice, bob, carol, client_for):
    status = status_create(account=alice, text="mine")
    favourited_by(status, bob, carol)
    body = client_for(alice).get("/api/v2/notifications?expand_accounts=partial_avatars").json()
    assert [a["id"] for a in body["accounts"]] == [str(carol.pk)]
    assert body["partial_accounts"] == [{
        key: value for key, value in client_for(alice).get(
            f"/api/v1/accounts/{bob.pk}").json().items()
        if key in ("id", "acct", "locked", "bot", "url", "avatar", "avatar_static")}]


def test_grouped_pages_by_group(alice, client_for):
    statuses = [status_create(account=alice, text=f"s{i}") for i in range(3)]
    for status in statuses:
        favourited_by(status, AccountFactory(), AccountFactory())
    client = client_for(alice)
    first = client.get("/api/v2/notifications?limit=2")
    groups = first.json()["notification_groups"]
    assert [g["status_id"] for g in groups] == [str(statuses[2].pk), str(statuses[1].pk)]
    assert all(g["notifications_count"] == 2 for g in groups)
    assert 'rel="next"' in first["Link"]
    next_max = groups[-1]["most_recent_notification_id"]
    rest = client.get(f"/api/v2/notifications?limit=2&max_id={next_max}").json()
    assert [g["status_id"] for g in rest["notification_groups"]] == [
        str(statuses[1].pk), str(statuses[0].pk)]
    # The older notification of statuses[1]'s group is the only one of it below the cursor.
    assert rest["notification_groups"][0]["notifications_count"] == 1


def test_grouped_hides_what_the_reader_may_not_see(alice, bob, client_for):
    FollowFactory(account=alice, target=bob)  # else the default policy filters the mention
    status = status_create(account=bob, text="@alice secret", visibility="direct")
    client = client_for(alice)
    assert len(client.get("/api/v2/notifications").json()["notification_groups"]) == 1
    status_delete(status=Status.objects.get(pk=status.pk))
    assert client.get("/api/v2/notifications").json() == {
        "accounts": [], "statuses": [], "notification_groups": []}


# The token, the page's group heads (a step of the walk: two statements), the heads with their
# senders, the statuses' rows and authors, the groups' counts and their samples, the sample
# accounts, and what the statuses face reads for the page.
V2_QUERIES = 10


def test_grouped_query_count_is_constant(alice_client, alice, django_assert_num_queries):
    for size in (1, 20):
        Notification.objects.all().delete()
        for _ in range(size):
            status = status_create(account=alice, text="mine")
            favourited_by(status, AccountFactory(), AccountFactory())
            status_create(account=AccountFactory(), text="@alice hi")
        with django_assert_num_queries(V2_QUERIES):
            response = alice_client.get("/api/v2/notifications?limit=80")
        assert len(response.json()["notification_groups"]) == size * 2


def test_one_group_its_accounts_and_its_dismissal(alice, bob, carol, client_for):
    status = status_create(account=alice, text="mine")
    favourited_by(status, bob, carol)
    key = Notification.objects.first().group_key
    client = client_for(alice)
    body = client.get(f"/api/v2/notifications/{key}").json()
    [group] = body["notification_groups"]
    assert group["group_key"] == key
    assert group["notifications_count"] == 2
    assert "page_min_id" not in group and "latest_page_notification_at" not in group
    assert [a["id"] for a in client.get(f"/api/v2/notifications/{key}/accounts").json()] == [
        str(carol.pk), str(bob.pk)]
    assert client_for(bob).get(f"/api/v2/notifications/{key}").status_code == 404
    assert client_for(bob).post(f"/api/v2/notifications/{key}/dismiss").status_code == 404
    response = client.post(f"/api/v2/notifications/{key}/dismiss")
    assert (response.status_code, response.json()) == (200, {})
    assert not Notification.objects.exists()
    missing = client.get(f"/api/v2/notifications/{key}")
    assert (missing.status_code, missing.json()) == (404, {"error": "Record not found"})


def test_an_ungrouped_key_names_one_notification(alice, bob, client_for):
    status_create(account=bob, text="@alice one")
    told = Notification.objects.get()
    client = client_for(alice)
    body = client.get(f"/api/v2/notifications/ungrouped-{told.pk}").json()
    assert body["notification_groups"][0]["group_key"] == f"ungrouped-{told.pk}"
    assert client.get("/api/v2/notifications/ungrouped-x").status_code == 404


def test_grouped_unread_count_counts_groups(alice, bob, carol, client_for):
    status = status_create(account=alice, text="mine")
    favourited_by(status, bob, carol)
    status_create(account=bob, text="@alice hi")
    client = client_for(alice)
    assert client.get("/api/v2/notifications/unread_count").json() == {"count": 2}
    assert client.get("/api/v2/notifications/unread_count?grouped_types[]=reblog").json() == {
        "count": 3}


def test_groups_are_found_past_a_group_larger_than_one_batch(alice, client_for):
    """The walk reads the reader's notifications in batches of WALK_BATCH: a group bigger
    than a batch does not hide the older groups behind it."""
    from notifications.selectors import WALK_BATCH

    older = [status_create(account=AccountFactory(), text=f"@alice {i}") for i in range(2)]
    popular = status_create(account=alice, text="popular")
    fans = [AccountFactory() for _ in range(WALK_BATCH + 5)]
    Notification.objects.bulk_create([
        Notification(recipient=alice, from_account=fan, type="favourite", status=popular,
                     group_key=f"favourite-{popular.pk}-1") for fan in fans])
    groups = client_for(alice).get("/api/v2/notifications?limit=3").json()["notification_groups"]
    assert [(g["type"], g["notifications_count"]) for g in groups] == [
        ("favourite", WALK_BATCH + 5), ("mention", 1), ("mention", 1)]
    assert [g["status_id"] for g in groups[1:]] == [str(s.pk) for s in reversed(older)]

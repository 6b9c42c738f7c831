"""SelfCommunity's notification API over the one store (notifications/selfcommunity/): the
aggregated list, mark read, the unseen count, and what each kind of notification shows."""

import pytest

from moderation import services as moderation_services
from notifications.models import Notification
from statuses.models import Status
from statuses.services import status_create, status_delete, status_favourite
from statuses.services.comments import comment_create
from statuses.services.feedback import contribution_vote
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

ITEM_KEYS = {"is_new", "sid", "type", "active_at"}


def test_votes_comments_and_mentions_aggregate_by_status(sc, alice, bob, carol):
    status = status_create(account=alice, text="mine")
    contribution_vote(account=bob, status_id=status.pk, reaction_id=None)
    status_favourite(account=carol, status_id=status.pk)  # Mastodon's favourite is a vote too
    comment = comment_create(account=bob, status_id=status.pk, text="<p>nice</p>")
    own = comment_create(account=alice, status_id=status.pk, text="<p>thanks</p>")
    nested = comment_create(account=carol, status_id=status.pk, text="<p>agreed @alice</p>",
                            parent_id=own.pk)
    shown = sc.get(f"/api/v2/status/{status.pk}/").json()  # (reading it counts a view)
    response = sc.get("/api/v2/notification/")
    assert response.status_code == 200
    page = response.json()
    assert (page["count"], page["next"], page["previous"]) == (1, None, None)
    [aggregate] = page["results"]
    assert set(aggregate) == {"sid", "is_new", "status", "aggregated"}
    assert aggregate["status"] == shown
    kinds = [(item["type"], set(item) - ITEM_KEYS) for item in aggregate["aggregated"]]
    # A reply under alice's comment is a nested comment to her (and, mentioning her, a
    # mention); one under the status a comment.
    assert kinds == [("nested_comment", {"comment"}), ("mention", {"comment"}),
                     ("comment", {"comment"}), ("vote_up", {"user", "status"}),
                     ("vote_up", {"user", "status"})]
    items = aggregate["aggregated"]
    assert items[0]["comment"]["id"] == items[1]["comment"]["id"] == nested.pk
    assert items[2]["comment"]["id"] == comment.pk
    assert [items[3]["user"]["id"], items[4]["user"]["id"]] == [carol.pk, bob.pk]
    assert aggregate["sid"] == items[0]["sid"] and aggregate["is_new"] is True
    assert sc.get("/api/v2/notification/unseen/count/").json() == {"count": 5}


def test_mark_read_reads_the_aggregate_up_to_the_sid(sc, alice, bob, carol):
    status = status_create(account=alice, text="mine")
    other = status_create(account=alice, text="another")
    for fan in (bob, carol):
        status_favourite(account=fan, status_id=status.pk)
    status_favourite(account=bob, status_id=other.pk)
    aggregates = sc.get("/api/v2/notification/").json()["results"]
    newest_of_first = [a["sid"] for a in aggregates if a["status"]["id"] == status.pk]
    response = sc.post("/api/v2/notification/read/", {"sids": newest_of_first}, format="json")
    assert response.status_code == 204 and response.content == b""
    assert sc.get("/api/v2/notification/unseen/count/").json() == {"count": 1}
    assert list(Notification.objects.filter(read=False).values_list("status_id", flat=True)) == [
        other.pk]


def test_mark_read_refuses_what_is_not_a_list_and_ignores_others_sids(sc, sc_client, alice, bob):
    status = status_create(account=alice, text="mine")
    status_favourite(account=bob, status_id=status.pk)
    told = Notification.objects.get()
    for body in ({}, {"sids": "1"}, {"sids": []}):
        response = sc.post("/api/v2/notification/read/", body, format="json")
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "sids"
    assert sc_client(bob).post("/api/v2/notification/read/", {"sids": [str(told.pk)]},
                               format="json").status_code == 204
    assert Notification.objects.get().read is False


def test_a_deleted_status_drops_its_aggregate(sc, alice, bob):
    status = status_create(account=bob, text="@alice look")
    assert sc.get("/api/v2/notification/").json()["count"] == 1
    status_delete(status=Status.objects.get(pk=status.pk))
    assert sc.get("/api/v2/notification/").json() == {"count": 0, "next": None,
                                                       "previous": None, "results": []}
    assert sc.get("/api/v2/notification/unseen/count/").json() == {"count": 0}


def test_moderators_warnings_show_as_selfcommunity_moderation_types(sc, alice, moderator):
    status = status_create(account=alice, text="bad")
    moderation_services.author_scold(moderator=moderator, status=status, moderation_type=1)
    moderation_services.status_collapse(moderator=moderator, status=status, moderation_type=0)
    moderation_services.status_moderate_delete(moderator=moderator, status=status)
    [aggregate] = sc.get("/api/v2/notification/").json()["results"]
    assert [item["type"] for item in aggregate["aggregated"]] == [
        "deleted_for_offtopic", "collapsed_for_advertising", "kindly_notice_aggressive"]
    # The author still reads their own deleted status.
    assert aggregate["status"]["id"] == status.pk and aggregate["status"]["deleted"] is True


def test_list_pages_and_needs_a_user_token(sc, sc_client, alice, anon, make_token):
    for i in range(3):
        status_favourite(account=AccountFactory(),
                         status_id=status_create(account=alice, text=f"s{i}").pk)
    page = sc.get("/api/v2/notification/?limit=2").json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    assert anon.get("/api/v2/notification/").status_code == 401
    no_scope = sc_client(alice, scopes="write")
    assert no_scope.get("/api/v2/notification/").status_code == 403


# The token, the count, the page's statuses, its notifications' ids, the notifications with
# their senders, the statuses' rows and authors, the roots the reader may see, and what the
# statuses face reads for the page's statuses and comments (categories, tags, reactions, votes,
# follows, suspensions, comment branches...).
SC_QUERIES = 19


@pytest.mark.parametrize("size", [1, 20])
def test_list_query_count_is_constant(sc, alice, size, django_assert_num_queries):
    for i in range(size):
        status = status_create(account=alice, text=f"s{i}")
        status_favourite(account=AccountFactory(), status_id=status.pk)
        comment_create(account=AccountFactory(), status_id=status.pk, text="<p>hi</p>")
    with django_assert_num_queries(SC_QUERIES):
        response = sc.get("/api/v2/notification/?limit=20")
    assert len(response.json()["results"]) == size

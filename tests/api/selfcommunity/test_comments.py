"""SelfCommunity comments (/api/v2/comment/): one reply tree with Mastodon's replies, the
status's audience kept, the two levels (parent, in_reply_to), edits, deletes, votes and flags."""

import pytest

from accounts.models import Visibility
from statuses import services
from statuses.models import Flag, Status, StatusEdit, Vote
from tests.api.selfcommunity.test_statuses import USER_KEYS
from tests.factories import AccountFactory, FollowFactory, TagFactory

SUMMARY_KEYS = {
    "id", "type", "status", "author", "added_at", "last_edited_at", "html", "summary",
    "deleted", "collapsed", "parent", "in_reply_to", "comment_count", "vote_count",
    "reactions_count", "voted", "reaction", "flag_count",
}
COMMENT_KEYS = SUMMARY_KEYS | {"latest_comments"}


@pytest.fixture
def status(bob):
    return services.status_create(account=bob, text="a status to comment")


def comment(client, status_id, text="<p>a comment</p>", **fields):
    return client.post("/api/v2/comment/", {"status": status_id, "text": text, **fields},
                       format="json")


def listed(client, status_id, query=""):
    response = client.get(f"/api/v2/comment/?status={status_id}{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_create_is_201_with_the_comment_shape_and_is_a_mastodon_reply(sc, alice, status,
                                                                      alice_client):
    response = comment(sc, status.pk, "<p>Nice one, @bob</p>")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == COMMENT_KEYS and set(body["author"]) == USER_KEYS
    assert body["type"] == "comment" and body["author"]["id"] == alice.pk
    assert body["status"] == {"id": status.pk, "slug": status.slug}
    assert (body["parent"], body["in_reply_to"], body["comment_count"]) == (None, None, 0)
    assert body["html"].startswith("<p>Nice one, <mention")
    assert body["latest_comments"] == []
    row = Status.objects.get(pk=body["id"])
    assert (row.in_reply_to_id, row.thread_root_id, row.visibility) == (
        status.pk, status.pk, Visibility.PUBLIC)
    parent = Status.objects.get(pk=status.pk)
    assert parent.replies_count == 1 and parent.last_activity_at >= row.created_at
    context = alice_client.get(f"/api/v1/statuses/{status.pk}/context").json()
    assert [s["id"] for s in context["descendants"]] == [str(body["id"])]
    # The status's SelfCommunity face counts it, and lists never hold comments.
    assert sc.get(f"/api/v2/status/{status.pk}/").json()["comment_count"] == 1
    assert [s["id"] for s in sc.get("/api/v2/status/").json()["results"]] == [status.pk]


def test_nested_comments_take_parent_and_in_reply_to(sc, sc_client, bob, carol, status,
                                                     alice_client):
    top = comment(sc, status.pk, "top").json()
    nested = comment(sc_client(bob), status.pk, "nested", parent=top["id"]).json()
    assert (nested["parent"], nested["in_reply_to"]) == (top["id"], top["id"])
    deeper = comment(sc_client(carol), status.pk, "deeper", parent=top["id"],
                     in_reply_to=nested["id"]).json()
    assert (deeper["parent"], deeper["in_reply_to"]) == (top["id"], nested["id"])
    assert Status.objects.get(pk=deeper["id"]).in_reply_to_id == nested["id"]
    # The status lists its top-level comment, with the branch's count and latest comments.
    body = listed(sc, status.pk)
    assert body["count"] == 1
    [first] = body["results"]
    assert first["comment_count"] == 2
    assert [c["id"] for c in first["latest_comments"]] == [deeper["id"], nested["id"]]
    assert set(first["latest_comments"][0]) == SUMMARY_KEYS
    branch = listed(sc, status.pk, f"&parent={top['id']}")
    assert [c["id"] for c in branch["results"]] == [nested["id"], deeper["id"]]
    newest_first = listed(sc, status.pk, f"&parent={top['id']}&ordering=-added_at")
    assert [c["id"] for c in newest_first["results"]] == [deeper["id"], nested["id"]]
    # Mastodon sees the same tree.
    context = alice_client.get(f"/api/v1/statuses/{deeper['id']}/context").json()
    assert [s["id"] for s in context["ancestors"]] == [str(status.pk), str(top["id"]),
                                                       str(nested["id"])]


def test_a_mastodon_reply_is_a_comment_with_its_derived_parent(sc, alice, bob, status):
    top = services.status_create(account=alice, text="top via Mastodon",
                                 in_reply_to_id=status.pk, in_reply_to_given=True)
    answer = services.status_create(account=bob, text="answer via Mastodon",
                                    in_reply_to_id=top.pk, in_reply_to_given=True)
    again = services.status_create(account=alice, text="again", in_reply_to_id=answer.pk,
                                   in_reply_to_given=True)
    assert [c["id"] for c in listed(sc, status.pk)["results"]] == [top.pk]
    body = sc.get(f"/api/v2/comment/{again.pk}/").json()
    assert (body["parent"], body["in_reply_to"]) == (top.pk, answer.pk)
    assert body["html"] == "<p>again</p>"


def test_connection_ordering_puts_followed_accounts_first(sc, alice, status):
    others = [AccountFactory() for _ in range(3)]
    for other in others:
        services.status_create(account=other, text=f"from {other.username}",
                               in_reply_to_id=status.pk, in_reply_to_given=True)
    FollowFactory(account=alice, target=others[2])
    ids = [c["author"]["id"] for c in listed(sc, status.pk, "&ordering=connection")["results"]]
    assert ids == [others[2].pk, others[0].pk, others[1].pk]


def test_comments_of_a_private_status_keep_its_audience(sc_client, bob, carol, alice,
                                                        mastodon, make_token):
    private = services.status_create(account=bob, text="followers only", visibility="private")
    FollowFactory(account=alice, target=bob)
    alice_sc = sc_client(alice)
    created = comment(alice_sc, private.pk, "<p>secret comment</p>")
    assert created.status_code == 201
    comment_id = created.json()["id"]
    row = Status.objects.get(pk=comment_id)
    assert (row.audience_id, row.visibility) == (private.pk, Visibility.PRIVATE)
    # Bob (the author of the status) sees it though he does not follow alice.
    assert sc_client(bob).get(f"/api/v2/comment/{comment_id}/").status_code == 200
    bob_mastodon = mastodon.as_token(make_token(bob))
    assert bob_mastodon.get(f"/api/v1/statuses/{comment_id}").status_code == 200
    # A stranger gets 404 in both dialects, and no list or count shows it.
    stranger_sc = sc_client(carol)
    assert stranger_sc.get(f"/api/v2/comment/{comment_id}/").status_code == 404
    carol_mastodon = mastodon.as_token(make_token(carol))
    assert carol_mastodon.get(f"/api/v1/statuses/{comment_id}").status_code == 404
    assert stranger_sc.get(f"/api/v2/comment/?status={private.pk}").status_code == 400
    context = carol_mastodon.get(f"/api/v1/statuses/{comment_id}/context")
    assert context.status_code == 404
    for path in ("/api/v1/timelines/public", f"/api/v1/accounts/{alice.pk}/statuses"):
        assert b"secret comment" not in carol_mastodon.get(path).content
    # And a stranger cannot comment it.
    refused = comment(stranger_sc, private.pk)
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "status"


def test_comments_of_an_addressed_status_reach_the_tag_holders_only(sc, sc_client, alice,
                                                                    bob, carol):
    club = TagFactory(type="user", name="club")
    club.holders.add(alice, bob)
    created = sc.post("/api/v2/status/", {"action": None, "text": "club only",
                                          "categories": [], "addressing": [club.pk]},
                      format="json").json()
    answer = comment(sc_client(bob), created["id"], "<p>club answer</p>").json()
    assert sc.get(f"/api/v2/comment/{answer['id']}/").status_code == 200
    assert sc_client(carol).get(f"/api/v2/comment/{answer['id']}/").status_code == 404


def test_put_edits_own_comment_and_keeps_a_revision(sc, sc_client, bob, status):
    created = comment(sc, status.pk, "<p>first</p>").json()
    path = f"/api/v2/comment/{created['id']}/"
    assert sc_client(bob).put(path, {"text": "<p>hijack</p>"}, format="json").status_code == 403
    response = sc.put(path, {"text": "<p>second</p>"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["html"] == "<p>second</p>" and body["last_edited_at"] is not None
    assert StatusEdit.objects.filter(status_id=created["id"]).count() == 2
    assert sc.put(path, {"text": ""}, format="json").status_code == 400


def test_delete_and_restore_a_comment(sc, sc_client, bob, status, alice_client):
    created = comment(sc, status.pk).json()
    path = f"/api/v2/comment/{created['id']}/"
    assert sc_client(bob).delete(path).status_code == 403
    assert sc.delete(path).status_code == 204
    assert Status.objects.get(pk=status.pk).replies_count == 0
    assert sc.get(path).json()["deleted"] is True
    assert sc_client(bob).get(path).status_code == 404
    assert listed(sc, status.pk)["count"] == 0
    assert sc.post(path + "restore/").status_code == 204
    assert Status.objects.get(pk=status.pk).replies_count == 1
    assert alice_client.get(f"/api/v1/statuses/{created['id']}").status_code == 200


def test_vote_and_flag_a_comment(sc, sc_client, bob, status):
    created = comment(sc_client(bob), status.pk).json()
    path = f"/api/v2/comment/{created['id']}/"
    assert sc.post(path + "vote/").status_code == 204
    assert Vote.objects.filter(status_id=created["id"]).count() == 1
    body = sc.get(path).json()
    assert (body["vote_count"], body["voted"], body["reaction"]["label"]) == (1, True, "Like")
    votes = sc.get(path + "vote/").json()
    assert votes["count"] == 1
    # The SDK's flagComment sends {flagType}.
    assert sc.post(path + "flag/", {"flagType": 3}, format="json").status_code == 204
    assert Flag.objects.get(status_id=created["id"]).flag_type == 3
    assert sc.get(path + "flag/status/").json()["flag_type_description"] == "poor"
    assert sc.get(path).json()["flag_count"] == 1
    # A status is not a comment, and a comment is not a status.
    assert sc.get(f"/api/v2/comment/{status.pk}/").status_code == 404
    assert sc.get(f"/api/v2/status/{created['id']}/").status_code == 404


@pytest.mark.parametrize("body, field", [
    ({"text": "x"}, "status"),
    ({"status": "abc", "text": "x"}, "status"),
    ({"status": 999999, "text": "x"}, "status"),
    ({"text": ""}, "text"),
    ({"parent": 999999, "text": "x"}, "parent"),
    ({"in_reply_to": 999999, "text": "x"}, "in_reply_to"),
    ({"parent": "x", "text": "x"}, "parent"),
])
def test_bad_comment_bodies_are_400_on_their_field(sc, status, body, field):
    if "status" not in body and field != "status":
        body["status"] = status.pk
    before = Status.objects.count()
    response = sc.post("/api/v2/comment/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in {e.get("field") for e in response.json()["errors"]}
    assert Status.objects.count() == before


def test_parent_must_be_a_top_level_comment_of_the_same_status(sc, bob, status):
    other = services.status_create(account=bob, text="another status")
    foreign = comment(sc, other.pk).json()
    response = comment(sc, status.pk, parent=foreign["id"])
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "parent"


@pytest.mark.parametrize("size", [1, 20])
def test_comment_list_query_count_is_constant(sc, sc_client, status, size,
                                              django_assert_num_queries):
    for i in range(size):
        top = comment(sc_client(AccountFactory()), status.pk, f"top {i}").json()
        comment(sc_client(AccountFactory()), status.pk, f"nested {i}", parent=top["id"])
        Vote.objects.create(status_id=top["id"], account=AccountFactory())
        Status.objects.filter(pk=top["id"]).update(likes_count=1)
    # token, the status (with visibility), the thread, count, page ids, rows, authors, apps,
    # the thread again (for the tree), visible nested ids, their rows, authors and apps,
    # slugs, categories, tags, the viewer's marks and votes, the reactions with their counts
    with django_assert_num_queries(18):
        body = listed(sc, status.pk, "&limit=20")
    assert len(body["results"]) == size
    assert all(len(c["latest_comments"]) == 1 for c in body["results"])


@pytest.mark.parametrize("fate", ["deleted", "collapsed"])
def test_comments_go_with_their_status(sc, sc_client, alice, bob, status, fate, alice_client,
                                       anon):
    created = comment(sc, status.pk, "<p>goes with it</p>").json()
    if fate == "deleted":
        services.status_delete(status=Status.objects.get(pk=status.pk))
    else:
        Status.objects.filter(pk=status.pk).update(collapsed=True)
    path = f"/api/v2/comment/{created['id']}/"
    # A deleted status takes its comments with it, from their own authors too; a collapsed one
    # hides them from everyone but their authors and the status's author (who still sees it).
    own = 404 if fate == "deleted" else 200
    assert sc.get(path).status_code == own
    assert alice_client.get(f"/api/v1/statuses/{created['id']}").status_code == own
    assert sc_client(bob).get(path).status_code == (200 if fate == "collapsed" else 404)
    carol_reads = sc_client(AccountFactory()).get(path)
    assert carol_reads.status_code == 404 and b"goes with it" not in carol_reads.content
    public = anon.get("/api/v1/timelines/public")
    assert public.status_code == 200 and b"goes with it" not in public.content

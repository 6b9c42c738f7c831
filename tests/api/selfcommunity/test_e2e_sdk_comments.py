"""Comments on statuses through SelfCommunity's own JavaScript SDK (CommentService, under Node:
tests/e2e/sdk/comments.js) against a live server, the answers checked for their shape (spec
1.4, 2.8) and against the database; then with Mastodon.py beside it, each client seeing the
other's replies and comments in the same tree and with the same audience."""

import json

import pytest
from django.contrib.auth.models import Group
from mastodon import MastodonNotFoundError

from accounts.models import Account, Visibility
from statuses.models import Flag, Status, Vote
from tests.api.selfcommunity import test_e2e_sdk as sdk
from tests.api.selfcommunity.test_comments import COMMENT_KEYS, SUMMARY_KEYS
from tests.api.selfcommunity.test_e2e_sdk import (
    FLAG_KEYS,
    FLAG_STATUS_KEYS,
    LIKE,
    PAGE_KEYS,
    VOTE_KEYS,
    check_page,
    check_status,
    is_datetime,
    ok,
    refused,
)
from tests.api.selfcommunity.test_statuses import USER_KEYS
from tests.factories import AccountFactory, FollowFactory

pytestmark = [*sdk.pytestmark, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def run(live_server):
    """run(step, ...) -> (steps by name, log): one Node process for the whole plan."""
    sdk.ensure_reactions()

    def plan(*steps: dict):
        result = sdk.node("comments.js", live_server.url, json.dumps(list(steps)))
        return result["steps"], result["log"]

    return plan


def check_comment(data: dict, keys=COMMENT_KEYS, **expected) -> dict:
    """The Comment shape (or CommentSummary with `keys=SUMMARY_KEYS`) and the named values."""
    assert set(data) == keys, set(data) ^ keys
    assert set(data["author"]) == USER_KEYS
    assert data["type"] == "comment"
    assert is_datetime(data["added_at"])
    assert {key: data[key] for key in expected} == expected
    for nested in data.get("latest_comments", ()):
        check_comment(nested, SUMMARY_KEYS)
    return data


def ids(page: dict) -> list[int]:
    assert set(page) == PAGE_KEYS
    return [c["id"] for c in page["results"]]


def mention(account) -> str:
    return f'<mention id="{account.pk}">@{account.username}</mention>'


def test_sdk_drives_comment_service(run):
    alice, bob = AccountFactory(username="alice"), AccountFactory(username="bob")
    carol = AccountFactory(username="carol")
    Group.objects.get_or_create(name="Moderators")[0].user_set.add(alice)
    FollowFactory(account=alice, target=carol)
    a, b, c = sdk.token("alice"), sdk.token("bob"), sdk.token("carol")
    sid = "$status.id"
    on = {"status": sid}

    steps, log = run(
        {"name": "status", "token": a, "call": "createStatus",
         "data": {"action": None, "text": "<p>a status to comment</p>", "categories": []}},
        {"name": "top", "token": b, "call": "create",
         "data": {"status": sid, "text": "<p>Nice one, @alice</p>"}},
        {"name": "top2", "token": c, "call": "create",
         "data": {"status": sid, "text": "<p>second top</p>"}},
        {"name": "nested", "token": c, "call": "create",
         "data": {"status": sid, "text": "<p>nested</p>", "parent": "$top.id"}},
        {"name": "deeper", "token": a, "call": "create",
         "data": {"status": sid, "text": "<p>deeper @carol</p>", "parent": "$top.id",
                  "in_reply_to": "$nested.id"}},
        {"name": "getTop", "token": a, "call": "get", "id": "$top.id"},
        {"name": "getDeeper", "token": b, "call": "get", "id": "$deeper.id"},
        {"name": "list", "token": a, "call": "list", "params": on},
        {"name": "listDesc", "token": a, "call": "list",
         "params": {**on, "ordering": "-added_at"}},
        {"name": "listConnection", "token": a, "call": "list",
         "params": {**on, "ordering": "connection"}},
        {"name": "branch", "token": a, "call": "list", "params": {**on, "parent": "$top.id"}},
        {"name": "branchDesc", "token": a, "call": "list",
         "params": {**on, "parent": "$top.id", "ordering": "-added_at"}},
        {"name": "statusAfter", "token": a, "call": "status", "id": sid},
        # Edits: the author only.
        {"name": "updateByOther", "token": c, "call": "update", "id": "$top.id",
         "text": "<p>hijack</p>"},
        {"name": "update", "token": b, "call": "update", "id": "$top.id",
         "text": "<p>edited, @carol</p>"},
        # Votes.
        {"name": "upvote", "token": a, "call": "upvote", "id": "$top.id"},
        {"name": "votes", "token": a, "call": "votes", "id": "$top.id"},
        {"name": "afterVote", "token": a, "call": "get", "id": "$top.id"},
        {"name": "afterVoteOther", "token": c, "call": "get", "id": "$top.id"},
        # Flags: flagComment's own body; the list for moderators only.
        {"name": "flagStatusNone", "token": c, "call": "flagStatus", "id": "$top.id"},
        {"name": "flag", "token": c, "call": "flag", "id": "$top.id", "flagType": 2},
        {"name": "flagStatus", "token": c, "call": "flagStatus", "id": "$top.id"},
        {"name": "flagsByReader", "token": c, "call": "flags", "id": "$top.id"},
        {"name": "flags", "token": a, "call": "flags", "id": "$top.id"},
        {"name": "afterFlag", "token": a, "call": "get", "id": "$top.id"},
        # Delete and restore: the author only.
        {"name": "deleteByOther", "token": a, "call": "delete", "id": "$top2.id"},
        {"name": "delete", "token": c, "call": "delete", "id": "$top2.id"},
        {"name": "deletedAuthor", "token": c, "call": "get", "id": "$top2.id"},
        {"name": "deletedOther", "token": b, "call": "get", "id": "$top2.id"},
        {"name": "listAfterDelete", "token": b, "call": "list", "params": on},
        {"name": "statusAfterDelete", "token": a, "call": "status", "id": sid},
        {"name": "restoreByOther", "token": b, "call": "restore", "id": "$top2.id"},
        {"name": "restore", "token": c, "call": "restore", "id": "$top2.id"},
        {"name": "restored", "token": b, "call": "get", "id": "$top2.id"},
        {"name": "listAfterRestore", "token": b, "call": "list", "params": on},
        {"name": "statusAfterRestore", "token": a, "call": "status", "id": sid},
    )
    status_id = ok(steps["status"])["id"]
    top, top2 = ok(steps["top"], "top"), ok(steps["top2"], "top2")
    nested, deeper = ok(steps["nested"], "nested"), ok(steps["deeper"], "deeper")
    on_status = {"id": status_id, "slug": ok(steps["status"])["slug"]}

    # Creation: 201 (in the log) with the Comment, its place in the tree, mentions as SelfCommunity
    # renders them.
    check_comment(top, status=on_status, parent=None, in_reply_to=None, comment_count=0,
                  latest_comments=[], deleted=False, collapsed=False, vote_count=0,
                  voted=False, reaction=None, reactions_count=[], flag_count=0,
                  last_edited_at=None, html=f"<p>Nice one, {mention(alice)}</p>",
                  summary="Nice one, @alice")
    assert top["author"]["id"] == bob.pk
    check_comment(top2, status=on_status, parent=None, in_reply_to=None)
    check_comment(nested, status=on_status, parent=top["id"], in_reply_to=top["id"],
                  html="<p>nested</p>")
    check_comment(deeper, status=on_status, parent=top["id"], in_reply_to=nested["id"],
                  html=f"<p>deeper {mention(carol)}</p>", summary="deeper @carol")
    assert deeper["author"]["id"] == alice.pk

    # The top-level comment counts its branch and carries its latest comments, newest first.
    got = check_comment(ok(steps["getTop"]), id=top["id"], comment_count=2, parent=None)
    assert [x["id"] for x in got["latest_comments"]] == [deeper["id"], nested["id"]]
    assert got["latest_comments"][0] == {
        key: value for key, value in check_comment(ok(steps["getDeeper"])).items()
        if key != "latest_comments"}
    check_comment(ok(steps["getDeeper"]), id=deeper["id"], parent=top["id"],
                  in_reply_to=nested["id"], comment_count=0, latest_comments=[])

    # Lists: top-level comments only, in each ordering; with `parent`, that branch.
    page = ok(steps["list"])
    assert page["count"] == 2 and ids(page) == [top["id"], top2["id"]]
    listed_top = check_comment(page["results"][0], comment_count=2)
    assert [x["id"] for x in listed_top["latest_comments"]] == [deeper["id"], nested["id"]]
    assert ids(ok(steps["listDesc"])) == [top2["id"], top["id"]]
    # alice follows carol: carol's comment first.
    assert ids(ok(steps["listConnection"])) == [top2["id"], top["id"]]
    branch = ok(steps["branch"])
    assert branch["count"] == 2 and ids(branch) == [nested["id"], deeper["id"]]
    for comment in branch["results"]:
        check_comment(comment, parent=top["id"])
    assert ids(ok(steps["branchDesc"])) == [deeper["id"], nested["id"]]
    # The status's own face: Mastodon's replies_count (its direct replies, the top-level
    # comments).
    check_status(ok(steps["statusAfter"]), id=status_id, comment_count=2)

    # Update.
    assert refused(steps["updateByOther"], 403)[0]["code"] == "permission_denied"
    updated = check_comment(ok(steps["update"]), id=top["id"],
                            html=f"<p>edited, {mention(carol)}</p>", summary="edited, @carol",
                            comment_count=2, parent=None)
    assert is_datetime(updated["last_edited_at"])

    # Vote (the default reaction, a Mastodon favourite).
    assert ok(steps["upvote"]) == ""
    [vote] = check_page(ok(steps["votes"]), 1)
    assert set(vote) == VOTE_KEYS and vote["user"]["id"] == alice.pk
    assert vote["reaction"] == LIKE and is_datetime(vote["voted_at"])
    check_comment(ok(steps["afterVote"]), vote_count=1, voted=True, reaction=LIKE,
                  reactions_count=[{"reaction": LIKE, "count": 1}])
    check_comment(ok(steps["afterVoteOther"]), vote_count=1, voted=False, reaction=None)

    # Flag: flagComment sends {"flagType": n} (not the documented flag_type), and it works.
    assert refused(steps["flagStatusNone"], 404)[0]["code"] == "not_found"
    assert ok(steps["flag"]) == ""
    flag = ok(steps["flagStatus"])
    assert set(flag) == FLAG_STATUS_KEYS and is_datetime(flag["added_at"])
    assert (flag["flag_type"], flag["flag_type_description"]) == (2, "vulgar")
    assert refused(steps["flagsByReader"], 403)[0]["code"] == "permission_denied"
    [listed_flag] = check_page(ok(steps["flags"]), 1)
    assert set(listed_flag) == FLAG_KEYS and listed_flag["user"]["id"] == carol.pk
    assert listed_flag == {"user": listed_flag["user"], **flag}
    check_comment(ok(steps["afterFlag"]), flag_count=1, vote_count=1)

    # Delete: the author still reads it, marked deleted; others get 404; lists leave it out.
    assert refused(steps["deleteByOther"], 403)[0]["code"] == "permission_denied"
    assert ok(steps["delete"]) == ""
    check_comment(ok(steps["deletedAuthor"]), id=top2["id"], deleted=True,
                  html="<p>second top</p>")
    assert refused(steps["deletedOther"], 404)[0]["code"] == "not_found"
    assert ids(ok(steps["listAfterDelete"])) == [top["id"]]
    check_status(ok(steps["statusAfterDelete"]), comment_count=1)
    assert refused(steps["restoreByOther"], 403)[0]["code"] == "permission_denied"
    assert ok(steps["restore"]) == ""
    check_comment(ok(steps["restored"]), id=top2["id"], deleted=False)
    assert ids(ok(steps["listAfterRestore"])) == [top["id"], top2["id"]]
    check_status(ok(steps["statusAfterRestore"]), comment_count=2)

    # What was sent and answered.
    by_step = {entry[0]: entry[1:] for entry in log}
    one = f"/api/v2/comment/{top['id']}/"
    assert by_step["top"] == ["POST", "/api/v2/comment/", 201,
                              {"status": status_id, "text": "<p>Nice one, @alice</p>"}]
    assert by_step["flag"] == ["POST", one + "flag/", 204, {"flagType": 2}]
    assert by_step["upvote"][:3] == ["POST", one + "vote/", 204]
    assert by_step["votes"][:3] == ["GET", one + "vote/", 200]
    assert by_step["flags"][:3] == ["GET", one + "flag/", 200]
    assert by_step["update"] == ["PUT", one, 200, {"text": "<p>edited, @carol</p>"}]
    assert by_step["restore"][:3] == ["POST", f"/api/v2/comment/{top2['id']}/restore/", 204]
    assert by_step["branchDesc"][:3] == [
        "GET", f"/api/v2/comment/?status={status_id}&parent={top['id']}&ordering=-added_at",
        200]

    # The database: one reply tree, the status's audience, the marks.
    rows = {row.pk: row for row in Status.objects.filter(thread_root_id=status_id)}
    assert set(rows) == {top["id"], top2["id"], nested["id"], deeper["id"]}
    assert {pk: (row.in_reply_to_id, row.audience_id, row.deleted_at) for pk, row in
            rows.items()} == {
        top["id"]: (status_id, status_id, None), top2["id"]: (status_id, status_id, None),
        nested["id"]: (top["id"], status_id, None),
        deeper["id"]: (nested["id"], status_id, None)}
    assert all(row.visibility == Visibility.PUBLIC for row in rows.values())
    assert rows[top["id"]].replies_count == 1 and rows[nested["id"]].replies_count == 1
    assert Status.objects.get(pk=status_id).replies_count == 2
    assert (rows[top["id"]].likes_count, rows[top["id"]].flags_count) == (1, 1)
    assert list(Vote.objects.filter(status_id=top["id"]).values_list(
        "account_id", "reaction_id")) == [(alice.pk, None)]
    assert list(Flag.objects.filter(status_id=top["id"]).values_list(
        "account_id", "flag_type")) == [(carol.pk, 2)]

    # Toggles back: the same vote and the same flag again withdraw them; deleting a nested
    # comment takes it out of its branch's count and latest comments.
    steps, _ = run(
        {"name": "unvote", "token": a, "call": "upvote", "id": top["id"]},
        {"name": "unflag", "token": c, "call": "flag", "id": top["id"], "flagType": 2},
        {"name": "flagStatus", "token": c, "call": "flagStatus", "id": top["id"]},
        {"name": "deleteNested", "token": c, "call": "delete", "id": nested["id"]},
        {"name": "top", "token": b, "call": "get", "id": top["id"]},
        {"name": "branch", "token": b, "call": "list",
         "params": {"status": status_id, "parent": top["id"]}},
        {"name": "deeper", "token": b, "call": "get", "id": deeper["id"]},
    )
    assert (ok(steps["unvote"]), ok(steps["unflag"])) == ("", "")
    assert refused(steps["flagStatus"], 404)[0]["code"] == "not_found"
    assert ok(steps["deleteNested"]) == ""
    after = check_comment(ok(steps["top"]), vote_count=0, flag_count=0, comment_count=1,
                          reactions_count=[])
    assert [x["id"] for x in after["latest_comments"]] == [deeper["id"]]
    assert ids(ok(steps["branch"])) == [deeper["id"]]
    # The answer to the deleted comment stays in the branch, still naming what it answered.
    check_comment(ok(steps["deeper"]), parent=top["id"], in_reply_to=nested["id"])
    assert not Vote.objects.filter(status_id=top["id"]).exists()
    assert not Flag.objects.filter(status_id=top["id"]).exists()
    row = Status.objects.get(pk=top["id"])
    assert (row.likes_count, row.flags_count, row.replies_count) == (0, 0, 0)


def test_mastodon_replies_and_sdk_comments_are_one_tree(run, mastodon_py):
    alice, bob, carol = mastodon_py("alice"), mastodon_py("bob"), mastodon_py("carol")
    root = alice.status_post("a status for both dialects")
    sid = int(root["id"])
    first, _ = run({"name": "top", "token": bob.access_token, "call": "create",
                    "data": {"status": sid, "text": "<p>top from the SDK</p>"}})
    top = ok(first["top"], "top")

    # A Mastodon.py reply to the top-level comment is a nested comment of it; a reply to that
    # reply keeps the branch and names what it answers.
    answer = carol.status_reply(bob.status(top["id"]), "answer from Mastodon.py")
    again = alice.status_post("again from Mastodon.py", in_reply_to_id=answer["id"])
    answer_id, again_id = int(answer["id"]), int(again["id"])
    bob_pk = Account.objects.get(username="bob").pk

    steps, _ = run(
        {"name": "nested", "token": bob.access_token, "call": "create",
         "data": {"status": sid, "text": "<p>nested from the SDK</p>", "parent": top["id"],
                  "in_reply_to": again_id}},
        {"name": "list", "token": alice.access_token, "call": "list", "params": {"status": sid}},
        {"name": "branch", "token": alice.access_token, "call": "list",
         "params": {"status": sid, "parent": top["id"]}},
        {"name": "answer", "token": alice.access_token, "call": "get", "id": answer_id},
        {"name": "again", "token": bob.access_token, "call": "get", "id": again_id},
        {"name": "status", "token": bob.access_token, "call": "status", "id": sid},
    )
    nested = check_comment(ok(steps["nested"]), parent=top["id"], in_reply_to=again_id)
    page = ok(steps["list"])
    assert ids(page) == [top["id"]]
    listed_top = check_comment(page["results"][0], comment_count=3)
    assert [x["id"] for x in listed_top["latest_comments"]] == [nested["id"], again_id,
                                                                answer_id]
    branch = ok(steps["branch"])
    assert ids(branch) == [answer_id, again_id, nested["id"]]
    status_ref = {"id": sid, "slug": ok(steps["status"])["slug"]}
    check_comment(branch["results"][0], parent=top["id"], in_reply_to=top["id"],
                  status=status_ref)
    # status_reply mentions the account it answers; the comment's html names it as SDK mention.
    assert f'<mention id="{bob_pk}">@bob</mention>' in branch["results"][0]["html"]
    assert "answer from Mastodon.py" in branch["results"][0]["html"]
    check_comment(ok(steps["answer"]), id=answer_id, parent=top["id"], in_reply_to=top["id"])
    check_comment(ok(steps["again"]), id=again_id, parent=top["id"], in_reply_to=answer_id,
                  html="<p>again from Mastodon.py</p>", status=status_ref)
    check_status(ok(steps["status"]), id=sid, comment_count=1)

    # The SDK's nested comment sits where it belongs in Mastodon's context.
    context = alice.status_context(nested["id"])
    assert [s["id"] for s in context["ancestors"]] == [
        root["id"], str(top["id"]), answer["id"], again["id"]]
    assert context["descendants"] == []
    assert alice.status(nested["id"])["in_reply_to_id"] == again["id"]
    everything = alice.status_context(root["id"])
    assert everything["ancestors"] == []
    assert [s["id"] for s in everything["descendants"]] == [
        str(top["id"]), answer["id"], again["id"], str(nested["id"])]
    assert alice.status(root["id"])["replies_count"] == 1
    assert bob.status(top["id"])["replies_count"] == 1

    row = Status.objects.get(pk=nested["id"])
    assert (row.in_reply_to_id, row.thread_root_id, row.audience_id) == (again_id, sid, sid)
    # A Mastodon reply keeps its own audience (its visibility); only SelfCommunity comments carry
    # their status's.
    answer_row = Status.objects.get(pk=answer_id)
    assert (answer_row.in_reply_to_id, answer_row.thread_root_id, answer_row.audience_id) == (
        top["id"], sid, None)


def test_a_comment_on_a_followers_only_status_keeps_its_audience(run, mastodon_py):
    alice, bob, carol = mastodon_py("alice"), mastodon_py("bob"), mastodon_py("carol")
    alice_pk = Account.objects.get(username="alice").pk
    private = alice.status_post("followers only", visibility="private")
    sid = int(private["id"])
    bob.account_follow(alice_pk)
    # bob follows alice, alice does not follow bob: she reads his comment because it answers
    # her status; carol follows nobody.
    steps, _ = run(
        {"name": "comment", "token": bob.access_token, "call": "create",
         "data": {"status": sid, "text": "<p>for the followers</p>"}},
        {"name": "byAuthor", "token": alice.access_token, "call": "get", "id": "$comment.id"},
        {"name": "byStranger", "token": carol.access_token, "call": "get", "id": "$comment.id"},
        {"name": "listByStranger", "token": carol.access_token, "call": "list",
         "params": {"status": sid}},
        {"name": "commentByStranger", "token": carol.access_token, "call": "create",
         "data": {"status": sid, "text": "<p>let me in</p>"}},
    )
    comment = check_comment(ok(steps["comment"]), parent=None, in_reply_to=None,
                            html="<p>for the followers</p>")
    check_comment(ok(steps["byAuthor"]), id=comment["id"])
    forbidden = refused(steps["byStranger"], 404)
    assert forbidden[0]["code"] == "not_found" and "followers" not in json.dumps(forbidden)
    assert refused(steps["listByStranger"], 400)[0]["field"] == "status"
    assert refused(steps["commentByStranger"], 400)[0]["field"] == "status"

    seen = alice.status(comment["id"])
    assert seen["in_reply_to_id"] == private["id"] and seen["visibility"] == "private"
    assert "for the followers" in seen["content"]
    assert [s["id"] for s in alice.status_context(private["id"])["descendants"]] == [
        str(comment["id"])]
    with pytest.raises(MastodonNotFoundError):
        carol.status(comment["id"])
    with pytest.raises(MastodonNotFoundError):
        carol.status_context(comment["id"])

    row = Status.objects.get(pk=comment["id"])
    assert (row.in_reply_to_id, row.thread_root_id, row.audience_id, row.visibility) == (
        sid, sid, sid, Visibility.PRIVATE)
    assert Status.objects.filter(in_reply_to_id=sid).count() == 1

"""SelfCommunity's SDK creates a post and a discussion with polls as the React UI's Composer does
(tests/e2e/sdk/posts.js, FeedObjectService), votes in the polls and reads everything back; the
votes are the Mastodon polls' votes (read here with Mastodon.py), and the rows are one Status
each with its contribution type."""

import json
from datetime import timedelta

from django.utils import timezone

from statuses.models import ContributionType, Poll, PollVote, Status
from tests.api.selfcommunity.test_e2e_sdk import (  # noqa: F401  (skip rule and markers)
    PAGE_KEYS,
    node,
    ok,
    pytestmark,
    refused,
    token,
)
from tests.api.selfcommunity.test_statuses import STATUS_KEYS
from tests.factories import AccountFactory

POLL_KEYS = {"id", "title", "multiple_choices", "added_at", "modified_at", "closed",
             "closed_at", "expiration_at", "hidden", "choices"}


def _votes(poll_data) -> list[tuple[int, bool]]:
    return [(c["vote_count"], c["voted"]) for c in poll_data["choices"]]


def test_sdk_creates_posts_and_discussions_with_polls_and_votes(live_server, mastodon_py):
    for name in ("alice", "bob"):
        AccountFactory(username=name)
    expiration = (timezone.now() + timedelta(days=3)).isoformat()
    result = node("posts.js", json.dumps({"base": live_server.url, "author": token("alice"),
                                          "reader": token("bob"), "expiration": expiration}))
    steps = result["steps"]

    post = ok(steps["createPost"], "createPost")
    assert set(post) == STATUS_KEYS | {"poll"} and post["type"] == "post"
    assert set(post["poll"]) == POLL_KEYS and post["poll"]["title"] == "Which colour?"
    assert [c["choice"] for c in post["poll"]["choices"]] == ["red", "blue"]
    discussion = ok(steps["createDiscussion"], "createDiscussion")
    assert set(discussion) == STATUS_KEYS | {"poll", "title"}
    assert (discussion["type"], discussion["title"]) == ("discussion", "Roadmap")
    assert discussion["poll"]["multiple_choices"] is True
    assert refused(steps["createDiscussionWithoutTitle"], 400)[0]["field"] == "title"
    rows = {s.pk: s for s in Status.objects.filter(in_reply_to__isnull=True)}
    assert set(rows) == {post["id"], discussion["id"]}
    assert rows[post["id"]].contribution_type == ContributionType.POST
    assert rows[discussion["id"]].contribution_type == ContributionType.DISCUSSION
    assert refused(steps["ownVote"], 400)[0]["field"] == "choice"
    updated = ok(steps["update"], "update")
    assert updated["title"] == "Roadmap 2027" and updated["html"] == "<p>What next, then?</p>"

    assert ok(steps["getPost"])["id"] == post["id"]
    assert ok(steps["getDiscussion"])["title"] == "Roadmap 2027"
    refused(steps["postAsDiscussion"], 404)
    refused(steps["postAsStatus"], 404)
    for name, wanted in (("listPosts", post), ("listDiscussions", discussion),
                         ("searchPosts", post), ("uncommentedDiscussions", discussion)):
        page = ok(steps[name], name)
        assert set(page) == PAGE_KEYS
        assert [item["id"] for item in page["results"]] == [wanted["id"]], name

    # Votes through SelfCommunity, read back through SelfCommunity and Mastodon.
    assert ok(steps["votePost"]) == ""
    assert _votes(ok(steps["afterVote"])["poll"]) == [(0, False), (1, True)]
    assert ok(steps["switchPost"]) == ""
    own = ok(steps["pollVotes"])
    assert own["count"] == 1 and own["results"][0]["choice"] == post["poll"]["choices"][0]["id"]
    assert own["results"][0]["user"]["username"] == "bob"
    assert ok(steps["withdrawPost"]) == ""
    assert _votes(ok(steps["afterWithdraw"])["poll"]) == [(0, False), (0, False)]
    for index in (0, 2):
        assert ok(steps[f"voteDiscussion{index}"]) == ""
    assert ok(steps["discussionPollVotes"])["count"] == 2
    assert refused(steps["badChoice"], 400)[0]["field"] == "choice"
    bob = mastodon_py("bob")
    post_poll = bob.poll(post["poll"]["id"])
    assert (post_poll["votes_count"], post_poll["own_votes"]) == (0, [])
    discussion_poll = bob.poll(discussion["poll"]["id"])
    assert discussion_poll["votes_count"] == 2 and discussion_poll["voters_count"] == 1
    assert discussion_poll["own_votes"] == [0, 2] and discussion_poll["voted"] is True
    assert sorted(PollVote.objects.values_list("choice", flat=True)) == [0, 2]
    assert Poll.objects.get(pk=discussion["poll"]["id"]).tallies == [1, 0, 1]
    # Mastodon shows the discussion's title as its first bold paragraph.
    shown = bob.status(discussion["id"])
    assert shown["content"].startswith("<p><strong>Roadmap 2027</strong></p>")
    assert [o["title"] for o in shown["poll"]["options"]] == ["search", "polls", "groups"]

    assert ok(steps["vote"]) == "" and ok(steps["votes"])["count"] == 1
    assert ok(steps["following"]) == {"following": True}
    assert [i["post"]["id"] for i in ok(steps["followingList"])["results"]] == [post["id"]]
    assert ok(steps["suspended"]) == {"suspended": True}
    assert [i["discussion"]["id"] for i in ok(steps["suspendedList"])["results"]] == [
        discussion["id"]]
    assert ok(steps["flagStatus"])["flag_type"] == 1
    assert ok(steps["contributorsBefore"])["count"] == 0

    comment = ok(steps["comment"], "comment")
    assert comment["post"] == {"id": post["id"], "slug": post["slug"]}
    assert [c["id"] for c in ok(steps["comments"])["results"]] == [comment["id"]]
    assert refused(steps["commentsWrongKey"], 400)[0]["field"] == "discussion"
    assert [u["username"] for u in ok(steps["contributors"])["results"]] == ["bob"]
    assert ok(steps["shares"])["count"] == 0 and ok(steps["sharesUsers"])["count"] == 0
    assert ok(steps["related"])["count"] == 0

    feed = ok(steps["explore"])["results"]
    assert [(item["type"], item[item["type"]]["id"]) for item in feed] == [
        ("discussion", discussion["id"]), ("post", post["id"])]
    # Bob's home feed holds what he follows: the post, not alice's discussion.
    assert [(item["type"], item["post"]["id"]) for item in ok(steps["feed"])["results"]] == [
        ("post", post["id"])]
    assert ok(steps["hideStatus"]) == {"hidden": True}
    assert ok(steps["listDiscussionsAfterHide"])["count"] == 0

    assert ok(steps["delete"]) == ""
    refused(steps["restoreAsDiscussion"], 404)
    assert ok(steps["restore"]) == ""
    assert Status.objects.get(pk=post["id"]).deleted_at is None

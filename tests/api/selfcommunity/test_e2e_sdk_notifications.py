"""SelfCommunity's SDK reads the one notification store (tests/e2e/sdk/notifications.js): a
favourite and a reply made with Mastodon.py show as a `vote_up` and a `comment` of the status's
aggregate; marking read empties the unseen count; a malformed mark is a 400 naming `sids`."""

import json

from notifications.models import Notification
from tests.api.selfcommunity.test_e2e_sdk import (  # noqa: F401  (skip rule and markers)
    PAGE_KEYS,
    check_status,
    is_datetime,
    node,
    ok,
    pytestmark,
    refused,
    token,
)
from tests.api.selfcommunity.test_statuses import USER_KEYS
from tests.factories import AccountFactory


def test_sdk_lists_marks_read_and_counts_notifications(live_server, mastodon_py):
    for name in ("alice", "bob", "carol"):
        AccountFactory(username=name)
    status = mastodon_py("alice").status_post("notify me")
    mastodon_py("bob").status_favourite(status["id"])
    reply = mastodon_py("carol").status_post("a reply", in_reply_to_id=status["id"])
    result = node("notifications.js", json.dumps({"base": live_server.url,
                                                  "reader": token("alice")}))
    steps = result["steps"]

    assert ok(steps["unseenBefore"]) == {"count": 2}
    page = ok(steps["list"])
    assert set(page) == PAGE_KEYS and page["count"] == 1
    [aggregate] = page["results"]
    assert set(aggregate) == {"sid", "is_new", "status", "aggregated"}
    assert aggregate["is_new"] is True
    check_status(aggregate["status"], id=int(status["id"]))
    comment, vote = aggregate["aggregated"]
    told = {n.type: n for n in Notification.objects.filter(recipient__username="alice")}
    assert aggregate["sid"] == str(told["reply"].pk)
    assert set(vote) == {"is_new", "sid", "type", "active_at", "user", "status"}
    assert (vote["type"], vote["sid"], vote["is_new"]) == ("vote_up", str(told["favourite"].pk),
                                                          True)
    assert set(vote["user"]) == USER_KEYS and vote["user"]["username"] == "bob"
    assert vote["status"]["id"] == int(status["id"])
    assert is_datetime(vote["active_at"])
    assert (comment["type"], comment["sid"]) == ("comment", str(told["reply"].pk))
    assert comment["comment"]["id"] == int(reply["id"])

    assert ok(steps["markRead"]) == ""  # a 204
    assert ok(steps["unseenAfter"]) == {"count": 0}
    after = ok(steps["listAfter"])["results"][0]
    assert after["is_new"] is False
    assert [item["is_new"] for item in after["aggregated"]] == [False, False]
    assert not Notification.objects.filter(recipient__username="alice", read=False).exists()
    errors = refused(steps["markReadRefused"], 400)
    assert errors[0]["field"] == "sids"

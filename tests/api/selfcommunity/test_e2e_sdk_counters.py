"""SelfCommunity's SDK reads the User counters of contributions (tests/e2e/sdk/counters.js):
the author through UserService.getCurrentUser, a reader through UserService.getSpecificUser,
after a post with a poll, a discussion, a poll added by an update, a delete and a restore."""

import json
from datetime import timedelta

from django.utils import timezone

from tests.api.selfcommunity.test_e2e_sdk import (  # noqa: F401  (skip rule and markers)
    node,
    ok,
    pytestmark,
    token,
)
from tests.factories import AccountFactory

COUNTERS = ("statuses_counter", "posts_counter", "discussions_counter", "polls_counter")


def test_sdk_reads_the_contribution_counters(live_server):
    for name in ("alice", "bob"):
        AccountFactory(username=name)
    expiration = (timezone.now() + timedelta(days=3)).isoformat()
    result = node("counters.js", json.dumps({"base": live_server.url, "author": token("alice"),
                                             "reader": token("bob"), "expiration": expiration}))
    steps = result["steps"]
    for name in ("createPost", "createDiscussion", "addPoll", "delete", "restore"):
        ok(steps[name], name)
    for moment, wanted in (("before", (0, 0, 0, 0)), ("created", (2, 1, 1, 1)),
                           ("pollAdded", (2, 1, 1, 2)), ("deleted", (1, 0, 1, 1)),
                           ("restored", (2, 1, 1, 2))):
        for who in ("Me", "Public"):
            user = ok(steps[moment + who], moment + who)
            assert user["username"] == "alice"
            assert tuple(user[k] for k in COUNTERS) == wanted, moment + who

"""SelfCommunity's moderation API called through SelfCommunity's own JavaScript SDK under Node
(tests/e2e/sdk/moderation.js) against a live server."""

import json
import os

import pytest

from moderation.models import ModerationAction
from moderation.services import moderator_grant
from statuses import services
from statuses.models import Flag, Status
from statuses.services.feedback import contribution_flag
from tests.api.selfcommunity.test_e2e_sdk import READY, check_status, node, ok, refused, token
from tests.factories import AccountFactory

pytestmark = [
    pytest.mark.skipif(not READY and not os.environ.get("REQUIRE_SDK"),
                       reason="Node.js or tests/e2e/sdk/node_modules missing"),
    pytest.mark.live,
]


def test_sdk_moderates_a_flagged_status(live_server):
    alice, bob = AccountFactory(username="alice"), AccountFactory(username="bob")
    moderator_grant(account=AccountFactory(username="mod"))
    status = services.status_create(account=alice, text="buy cheap watches")
    contribution_flag(account=bob, status_id=status.pk, flag_type=0)
    steps = node("moderation.js", json.dumps({
        "base": live_server.url, "moderator": token("mod"), "reader": token("bob"),
        "status": status.pk}))["steps"]

    listed = ok(steps["list"], "list")
    assert listed["count"] == 1
    item = listed["results"][0]
    assert (item["contribution_type"], item["moderation_status"]) == ("status", "open")
    check_status(item["contribution"], id=status.pk)
    flags = ok(steps["flags"], "flags")
    assert [(f["user"]["username"], f["flag_type"]) for f in flags["results"]] == [("bob", 0)]
    assert ok(steps["statusBefore"]) == {"status": "open", "flag_type": None,
                                         "flag_type_description": None}
    assert ok(steps["hide"], "hide")["contribution"]["collapsed"] is True
    assert ok(steps["statusHidden"]) == {"status": "hidden", "flag_type": 0,
                                         "flag_type_description": "spam"}
    assert ok(steps["unhide"], "unhide")["moderation_status"] == "open"
    assert ok(steps["ignore"], "ignore")["moderation_status"] == "ignored"
    assert refused(steps["badType"], 400, "badType")[0]["field"] == "moderation_type"
    assert refused(steps["readerList"], 403)[0]["code"] == "permission_denied"
    assert refused(steps["readerHide"], 403)[0]["code"] == "permission_denied"
    assert not Flag.objects.exists()
    assert Status.objects.get(pk=status.pk).collapsed is False
    assert list(ModerationAction.objects.order_by("id").values_list("action", flat=True)) == [
        "collapse", "uncollapse", "dismiss_flags"]

"""masto.js 8 reads and manages notifications (v1 and grouped v2), the notification policy and
requests, and markers against a live server (tests/e2e/masto/notifications.js); each answer is
checked against the database."""

import json
import os
import subprocess

from notifications.models import Marker, Notification, NotificationPolicy, NotificationRequest
from statuses import services
from tests.api.mastodon.test_e2e_masto_js import MASTO_DIR, pytestmark  # noqa: F401
from tests.factories import AccountFactory, FollowFactory


def test_masto_js_drives_notifications_policy_requests_and_markers(live_server, make_token):
    dana, erin, fern = (AccountFactory(username=name) for name in ("dana", "erin", "fern"))
    stranger = AccountFactory(username="stranger")
    FollowFactory(account=dana, target=erin)
    mine = services.status_create(account=dana, text="Tell me", visibility="public")
    for fan in (erin, fern):
        services.status_favourite(account=fan, status_id=mine.pk)
    mention = services.status_create(account=erin, text="@dana hello", visibility="public")
    # A private mention from someone dana does not follow: filtered into a request.
    secret = services.status_create(account=stranger, text="@dana psst", visibility="direct")
    # (The script clears them all at its end.)
    favourites = list(Notification.objects.filter(type="favourite").order_by("-pk"))
    told = Notification.objects.get(type="mention", status=mention)
    env = {**os.environ, "MASTO_URL": live_server.url,
           "MASTO_TOKEN": make_token(dana, scopes="read write")}
    run = subprocess.run(["node", str(MASTO_DIR / "notifications.js")], env=env,
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.stdout.strip(), run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert run.returncode == 0, (out.get("error"), run.stderr[-2000:])

    assert [(n["type"], n["account"], n["status"]) for n in out["list"]] == [
        ("mention", "erin", str(mention.pk)), ("favourite", "fern", str(mine.pk)),
        ("favourite", "erin", str(mine.pk))]
    assert [n["id"] for n in out["favourites"]] == [str(n.pk) for n in favourites]
    assert out["one"]["id"] == str(told.pk) and out["one"]["groupKey"] == f"ungrouped-{told.pk}"
    assert out["unreadBefore"] == 3

    assert out["marked"] == {"notifications": str(told.pk), "version": 1, "home": "1"}
    assert out["markers"]["notifications"] == str(told.pk) and out["markers"]["home"] == "1"
    assert Marker.objects.get(account=dana, timeline="notifications").last_read_id == told.pk
    assert out["unreadAfter"] == 0

    groups = out["groups"]["groups"]
    assert [(g["type"], g["count"]) for g in groups] == [("mention", 1), ("favourite", 2)]
    assert groups[1]["key"] == favourites[0].group_key
    assert groups[1]["samples"] == [str(fern.pk), str(erin.pk)]
    assert groups[1]["mostRecent"] == str(favourites[0].pk)
    assert out["groups"]["accounts"] == ["erin", "fern"]
    assert out["groups"]["statuses"] == sorted([str(mine.pk), str(mention.pk)])
    assert out["group"] == {"key": favourites[0].group_key, "count": 2}
    assert out["groupAccounts"] == ["fern", "erin"]
    assert out["unreadGroups"] == 0

    assert out["policy"]["forPrivateMentions"] == "filter"
    assert out["policy"]["summary"] == {"pendingRequestsCount": 1,
                                        "pendingNotificationsCount": 1}
    assert out["policyUpdated"]["forNewAccounts"] == "filter"
    assert NotificationPolicy.objects.get(account=dana).for_new_accounts == "filter"
    assert out["requests"] == [{"id": out["request"]["id"], "account": "stranger",
                                "count": "1", "lastStatus": str(secret.pk)}]
    assert out["accepted"] == 0 and out["merged"] is True
    assert not NotificationRequest.objects.exists()
    assert [n["status"] for n in out["afterAccept"]][0] == str(secret.pk)

    assert [n["type"] for n in out["dismissed"]] == ["mention"]
    assert out["cleared"] == 0
    assert not Notification.objects.filter(recipient=dana).exists()

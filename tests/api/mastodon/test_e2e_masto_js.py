"""masto.js 8 (the JavaScript client most Mastodon web apps use) under Node against a live
server: it logs in with a JSON token request, posts, reblogs (the wrapper and the original both
say `reblogged: true`), quotes, votes in a poll, schedules a status and revokes its token. Each
answer is checked against the database."""

import json
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from oauth2_provider.models import AccessToken

from accounts.services import application_create
from statuses import services
from statuses.models import Poll, PollVote, ScheduledStatus, Status
from tests.factories import AccountFactory

MASTO_DIR = Path(__file__).resolve().parents[2] / "e2e" / "masto"
READY = shutil.which("node") is not None and (MASTO_DIR / "node_modules").is_dir()

pytestmark = [
    pytest.mark.skipif(
        not READY and not os.environ.get("REQUIRE_SDK"),
        reason="Node.js or tests/e2e/masto/node_modules missing (npm ci --prefix tests/e2e/masto)",
    ),
    pytest.mark.live,
    pytest.mark.django_db(transaction=True),
]


def test_masto_js_logs_in_posts_reblogs_quotes_votes_and_schedules(live_server):
    dana = AccountFactory(username="dana")
    erin = AccountFactory(username="erin")
    theirs = services.status_create(account=erin, text="Boost and quote me", visibility="public")
    with_poll = services.status_create(
        account=erin, text="Pick one", visibility="public",
        poll={"options": ["red", "green", "blue"], "expires_in": 3600},
    )
    application, secret = application_create(
        name="masto.js", redirect_uris=["urn:ietf:wg:oauth:2.0:oob"], scopes="read write",
        website="",
    )
    env = {
        **os.environ,
        "MASTO_URL": live_server.url,
        "MASTO_CLIENT_ID": application.client_id,
        "MASTO_CLIENT_SECRET": secret,
        "MASTO_USERNAME": "dana",
        "MASTO_PASSWORD": "password",
        "MASTO_OTHER_STATUS": str(theirs.pk),
        "MASTO_OTHER_POLL": str(with_poll.poll.pk),
    }
    run = subprocess.run(["node", str(MASTO_DIR / "flow.js")], env=env, capture_output=True,
                         text=True, timeout=120, check=False)
    assert run.stdout.strip(), run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert run.returncode == 0, (out.get("error"), run.stderr[-2000:])

    assert out["token"]["tokenType"] == "Bearer" and out["token"]["scope"] == "read write"
    assert out["me"] == "dana"
    posted = Status.objects.get(pk=int(out["posted"]["id"]))
    assert posted.account == dana and posted.text == "Hello from masto.js"
    assert out["posted"]["content"] == "<p>Hello from masto.js</p>"

    reblog = out["reblog"]
    wrapper = Status.objects.get(pk=int(reblog["wrapperId"]))
    assert wrapper.reblog_of_id == theirs.pk and wrapper.account == dana
    assert reblog["innerId"] == str(theirs.pk)
    assert reblog["wrapperReblogged"] is True and reblog["innerReblogged"] is True
    assert reblog["originalReblogged"] is True and reblog["fetchedWrapperReblogged"] is True
    assert reblog["originalCount"] == 1

    quote = Status.objects.get(pk=int(out["quote"]["id"]))
    assert quote.quote_of_id == theirs.pk
    assert out["quote"]["state"] == "accepted" and out["quote"]["quotedId"] == str(theirs.pk)
    assert out["quote"]["approval"]["automatic"] == ["followers"]
    theirs.refresh_from_db()
    assert theirs.shares_count == 1

    poll = out["poll"]
    assert poll["voted"] is True and poll["ownVotes"] == [1]
    assert poll["votesCount"] == 1 and poll["options"] == [0, 1, 0]
    assert list(PollVote.objects.filter(poll=with_poll.poll).values_list(
        "account__username", "choice")) == [("dana", 1)]
    own = Poll.objects.get(pk=int(poll["ownPollId"]))
    assert own.status.account == dana and own.multiple is True
    assert poll["ownPollOptions"] == ["this", "that"] and poll["ownVoted"] is True

    scheduled = out["scheduled"]
    row = ScheduledStatus.objects.get(pk=int(scheduled["id"]))
    assert row.account == dana and scheduled["text"] == "Later, from masto.js"
    # Milliseconds and Z, as sent.
    assert scheduled["scheduledAt"] == scheduled["sent"]
    assert datetime.fromisoformat(scheduled["scheduledAt"]) == row.scheduled_at
    assert scheduled["listed"] == [scheduled["id"]]
    assert not Status.objects.filter(text="Later, from masto.js").exists()

    assert out["revoked"] == {"stillWorks": False, "status": 401}
    assert not AccessToken.objects.filter(user=dana).exists()

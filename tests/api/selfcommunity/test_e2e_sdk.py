"""SelfCommunity's own JavaScript SDK (@selfcommunity/api-services under Node) against a live
server, each answer checked for its documented shape (spec 2.1-2.8) and against the database.

statuses.js: media upload and share, status create with medias, read, list, update, delete, and
two refusals, checked against the Mastodon face too. feedback.js: what readers do to a status
(restore, votes and reactions, flags, follow, suspend, hide) and the catalogues a client reads
beside them (reactions, categories, the tags a status may be addressed to)."""

import io
import json
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from mastodon import MastodonNotFoundError

from accounts.selfcommunity.serializers import iso
from categories.models import Reaction
from media.models import MediaAttachment
from statuses.models import (
    Flag,
    NotificationSuspension,
    Status,
    StatusFollow,
    StatusHide,
    StatusView,
    Vote,
)
from tests.api.selfcommunity.test_statuses import STATUS_KEYS, USER_KEYS
from tests.factories import AccountFactory, CategoryFactory, TagFactory

SDK_DIR = Path(__file__).resolve().parents[2] / "e2e" / "sdk"
READY = shutil.which("node") is not None and (SDK_DIR / "node_modules").is_dir()

pytestmark = [
    pytest.mark.skipif(
        not READY and not os.environ.get("REQUIRE_SDK"),
        reason="Node.js or tests/e2e/sdk/node_modules missing (npm ci --prefix tests/e2e/sdk)",
    ),
    pytest.mark.live,
]

# The documented shapes (spec 2.3, 2.6, 2.8, 2.9). A Category also carries `deleted` (OLD/DDH).
CATEGORY_KEYS = {
    "id", "tags", "followed", "order", "name", "name_synonyms", "slug", "slogan", "html_info",
    "seo_title", "seo_description", "auto_follow", "content_only_staff", "active", "deleted",
    "image_original", "image_bigger", "image_big", "image_medium", "image_small",
    "emotional_image_original", "emotional_image_position", "lastmod_datetime",
    "stream_order_by", "followers_counter", "parents",
}
TAG_KEYS = {"id", "type", "name", "description", "color", "visible", "visibility_boost",
            "created_at", "active", "deleted"}
REACTION_KEYS = {"id", "label", "sentiment", "image", "active"}
VOTE_KEYS = {"user", "reaction", "voted_at"}
FLAG_KEYS = {"user", "added_at", "flag_type", "flag_type_description"}
FLAG_STATUS_KEYS = FLAG_KEYS - {"user"}
PAGE_KEYS = {"count", "next", "previous", "results"}

# The reactions migrations 0002 and 0004 create: (id, label, sentiment); id 1 is the default.
REACTIONS = [(1, "Like", 1), (2, "Love", 2), (3, "Funny", 2), (4, "Wow", 1), (5, "Sad", -1),
             (6, "Angry", -2)]


def ensure_reactions() -> None:
    """Put the migrations' reactions back: a live-server test flushes every table after it runs,
    rows the migrations wrote included."""
    for pk, label, sentiment in REACTIONS:
        Reaction.objects.update_or_create(pk=pk, defaults={
            "label": label, "sentiment": sentiment, "active": True, "is_default": pk == 1,
            "image": f"/static/reactions/{label.lower()}.svg"})


def reaction(pk: int) -> dict:
    """The Reaction object (spec 2.8) the server renders for one of REACTIONS."""
    _, label, sentiment = REACTIONS[pk - 1]
    return {"id": pk, "label": label, "sentiment": sentiment, "active": True,
            "image": f"https://social.example/static/reactions/{label.lower()}.svg"}


LIKE, LOVE = reaction(1), reaction(2)


def token(username: str) -> str:
    out = io.StringIO()
    call_command("create_token", username, "--create", stdout=out)
    return out.getvalue().strip()


def node(script: str, *args: str):
    run = subprocess.run(["node", script, *args], cwd=SDK_DIR, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def ok(step: dict, name: str = ""):
    """What a call that must succeed resolved with."""
    assert step["ok"], f"{name}: {step}"
    return step["data"]


def refused(step: dict, status: int, name: str = "") -> list:
    """The `errors` of a call that must fail with `status` in SelfCommunity's JSON envelope."""
    assert not step["ok"], f"{name}: {step}"
    assert step["status"] == status, f"{name}: {step}"
    assert (step["contentType"] or "").startswith("application/json"), f"{name}: {step}"
    return step["data"]["errors"]


def check_status(data: dict, **expected) -> dict:
    """The Status shape (spec 2.1) and the named values."""
    assert set(data) == STATUS_KEYS
    assert set(data["author"]) == USER_KEYS
    assert {key: data[key] for key in expected} == expected
    return data


def check_page(data: dict, count: int) -> list:
    assert set(data) == PAGE_KEYS
    assert data["count"] == count and len(data["results"]) == count
    return data["results"]


def is_datetime(value) -> bool:
    return isinstance(value, str) and datetime.fromisoformat(value) is not None


def test_sdk_drives_statuses_with_medias(live_server, mastodon_py):
    bob = AccountFactory(username="bob")
    category = CategoryFactory(name="Tests")
    shared = mastodon_py("bob").status_post("shared through the SDK")
    shared_id = int(shared["id"])
    result = node("statuses.js", live_server.url, token("alice"), str(category.pk), str(shared_id))

    image, share = result["image"], result["share"]
    assert image["type"] == "image" and (image["image_width"], image["image_height"]) == (2, 1)
    assert share["type"] == "share"
    assert share["embed"]["metadata"] == {"id": shared_id, "type": "status"}

    created = result["created"]
    assert created["action"] == "is testing"
    assert created["html"] == f'<p>hello from the SDK <mention id="{bob.pk}">@bob</mention></p>'
    assert created["summary"] == "hello from the SDK @bob"
    assert [m["id"] for m in created["medias"]] == [image["id"], share["id"]]
    assert [c["id"] for c in created["categories"]] == [category.pk]
    assert created["location"] == {"location": "Trento", "lat": 46.07, "lng": 11.12}
    # Reading it counted one viewer.
    assert result["fetched"] == {**created, "view_count": 1}
    assert result["list"]["count"] == 2
    assert [s["id"] for s in result["list"]["results"]] == [created["id"], shared_id]
    assert result["list"]["results"][1]["share_count"] == 1

    assert result["twoShares"]["status"] == 400
    assert result["twoShares"]["data"]["errors"][0]["field"] == "medias"
    assert result["missingCategories"]["status"] == 400
    assert result["missingCategories"]["data"]["errors"] == [{"field": "categories", "messages": [
        {"code": "required", "message": "This field is required."}]}]

    updated = result["updated"]
    assert updated["html"] == "<p>edited</p>" and updated["last_edited_at"] is not None
    assert [m["id"] for m in updated["medias"]] == [image["id"]]
    assert result["deleted"] == ""  # the SDK resolves a 204 with an empty body
    # Its author still reads it, marked deleted, without its media (released for a redraft);
    # nobody else does, in either dialect.
    check_status(result["afterDelete"], id=created["id"], deleted=True, html="<p>edited</p>",
                 medias=[], view_count=1)
    assert result["afterDelete"]["author"]["statuses_counter"] == 0
    with pytest.raises(HTTPError) as anonymous:
        urlopen(f"{live_server.url}/api/v2/status/{created['id']}/", timeout=10)
    assert anonymous.value.code == 404
    assert json.loads(anonymous.value.read())["errors"][0]["code"] == "not_found"
    with pytest.raises(MastodonNotFoundError):
        mastodon_py("bob").status(created["id"])

    status = Status.objects.get(pk=created["id"])
    assert status.deleted_at is not None
    # Deleting kept the picture for a redraft; the share no longer counts.
    assert MediaAttachment.objects.get(pk=image["id"]).status_id is None
    assert Status.objects.get(pk=shared_id).shares_count == 0
    # Mastodon reads the edit history the SDK wrote (revisions survive the delete as rows).
    assert list(status.edits.order_by("id").values_list("html", flat=True)) == [
        '<p>hello from the SDK <span class="h-card" translate="no"><a '
        'href="https://social.example/@bob" class="u-url mention">@<span>bob</span></a>'
        "</span></p>", "<p>edited</p>"]


def test_sdk_drives_what_readers_do_to_a_status(live_server):
    ensure_reactions()
    alice, bob = AccountFactory(username="alice"), AccountFactory(username="bob")
    # The author moderates too, so that the flag list (moderators only) can be read.
    Group.objects.get_or_create(name="Moderators")[0].user_set.add(alice)
    category = CategoryFactory(name="Feedback")
    result = node("feedback.js", json.dumps({
        "section": "feedback", "base": live_server.url, "author": token("alice"),
        "reader": token("bob"), "category": category.pk}))
    steps, sid = result["steps"], result["id"]

    def status(name: str, **expected) -> dict:
        return check_status(ok(steps[name], name), id=sid, **expected)

    toggles = ["delete", "restore", "vote1", "vote2", "vote2Again", "voteDefault", "flag0",
               "unflag0", "flag4", "follow", "unfollow", "refollow", "suspend", "unsuspend",
               "resuspend", "hide", "show", "rehide"]
    # A 204 resolves with an empty body.
    assert {name: ok(steps[name], name) for name in toggles} == dict.fromkeys(toggles, "")

    created = status("created", type="status", action=None, html="<p>what readers do</p>",
                     deleted=False, view_count=0, vote_count=0, voted=False, reaction=None,
                     reactions_count=[], follower_count=0, followed=False, suspended=False,
                     flag_count=0, share_count=0)
    assert [c["id"] for c in created["categories"]] == [category.pk]

    # Restore: the author reads the deleted status and restores it; the reader may do neither.
    status("deletedAuthor", deleted=True, view_count=0)  # reading a deleted status is no view
    assert refused(steps["deletedReader"], 404)[0]["code"] == "not_found"
    assert refused(steps["restoreByReader"], 403)[0]["code"] == "permission_denied"
    restored = status("restored", deleted=False, view_count=1)
    assert restored["author"]["statuses_counter"] == 1

    # Votes (spec 4.6): react, switch (the count stays), the same reaction again removes it.
    status("afterVote1", vote_count=1, voted=True, reaction=LIKE,
           reactions_count=[{"reaction": LIKE, "count": 1}], view_count=2)
    status("afterVote2", vote_count=1, voted=True, reaction=LOVE,
           reactions_count=[{"reaction": LOVE, "count": 1}])
    [vote] = check_page(ok(steps["votes"]), 1)
    assert set(vote) == VOTE_KEYS and set(vote["user"]) == USER_KEYS
    assert vote["user"]["id"] == bob.pk and vote["reaction"] == LOVE
    assert is_datetime(vote["voted_at"])
    assert check_page(ok(steps["votesReaction2"]), 1) == [vote]
    check_page(ok(steps["votesReaction1"]), 0)
    status("afterUnvote", vote_count=0, voted=False, reaction=None, reactions_count=[])
    # No reaction named: the default one.
    status("afterVoteDefault", vote_count=1, voted=True, reaction=LIKE,
           reactions_count=[{"reaction": LIKE, "count": 1}])

    # Flags: the SDK's bare `0` body is a spam flag; the same type again withdraws it.
    flag = ok(steps["flagStatus0"])
    assert set(flag) == FLAG_STATUS_KEYS
    assert (flag["flag_type"], flag["flag_type_description"]) == (0, "spam")
    assert is_datetime(flag["added_at"])
    status("afterFlag", flag_count=1)
    # The SDK's flag list is a POST without a body: refused, not taken for a flag.
    assert refused(steps["flagListSdk"], 400) == [{"field": "flag_type", "messages": [
        {"code": "required", "message": "This field is required."}]}]
    assert refused(steps["flagListByReader"], 403)[0]["code"] == "permission_denied"
    [listed] = check_page(ok(steps["flagList"]), 1)
    assert set(listed) == FLAG_KEYS and set(listed["user"]) == USER_KEYS
    assert listed == {"user": listed["user"], **flag} and listed["user"]["id"] == bob.pk
    assert refused(steps["flagStatusAfterUnflag"], 404)[0]["code"] == "not_found"
    flag4 = ok(steps["flagStatus4"])  # the documented {"flag_type": 4} body
    assert set(flag4) == FLAG_STATUS_KEYS
    assert (flag4["flag_type"], flag4["flag_type_description"]) == (4, "offtopic")

    # Follow, suspend, hide: toggles and their checks.
    assert ok(steps["following"]) == {"following": True}
    status("afterFollow", followed=True, follower_count=1)
    assert ok(steps["followingAfterUnfollow"]) == {"following": False}
    assert ok(steps["suspended"]) == {"suspended": True}
    status("afterSuspend", suspended=True, followed=True)
    assert ok(steps["suspendedAfterUnsuspend"]) == {"suspended": False}
    assert ok(steps["hideStatus"]) == {"hidden": True}
    assert ok(steps["hideStatusAfterShow"]) == {"hidden": False}
    for name, ids in [("listBeforeHide", [sid]), ("listAfterHide", []),
                      ("authorListAfterHide", [sid]), ("listAfterShow", [sid])]:
        page = check_page(ok(steps[name], name), len(ids))
        assert [s["id"] for s in page] == ids, name
        assert all(set(s) == STATUS_KEYS for s in page)
    status("hiddenGet", deleted=False)  # hidden from the lists, still readable by its id

    # The author sees the counters of the reader's marks and none of their own.
    status("authorView", vote_count=1, voted=False, reaction=None,
           reactions_count=[{"reaction": LIKE, "count": 1}], follower_count=1, followed=False,
           suspended=False, flag_count=1, view_count=2)

    row = Status.objects.get(pk=sid)
    assert row.deleted_at is None
    assert (row.likes_count, row.flags_count, row.followers_count, row.views_count) == (1, 1, 1, 2)
    # The default reaction is stored as null: a Mastodon favourite.
    assert list(Vote.objects.filter(status=row).values_list("account_id", "reaction_id")) == [
        (bob.pk, None)]
    assert list(Flag.objects.filter(status=row).values_list("account_id", "flag_type")) == [
        (bob.pk, 4)]
    for model in (StatusFollow, NotificationSuspension, StatusHide):
        assert list(model.objects.filter(status=row).values_list("account_id", flat=True)) == [
            bob.pk], model.__name__
    assert set(StatusView.objects.filter(status=row).values_list("account_id", flat=True)) == {
        alice.pk, bob.pk}

    # The SDK's own followFeedObject builds /api/v2/undefined/{id}/follow/ (spec 3.4): a JSON 404
    # in SelfCommunity's envelope, not an HTML page, and nothing followed.
    assert refused(steps["followSdk"], 404)[0]["code"] == "not_found"

    one = f"/api/v2/status/{sid}/"
    assert result["log"] == [
        ["author", "POST", "/api/v2/status/", 201],
        ["author", "DELETE", one, 204],
        ["author", "GET", one, 200],
        ["reader", "GET", one, 404],
        ["reader", "POST", one + "restore/", 403],
        ["author", "POST", one + "restore/", 204],
        ["author", "GET", one, 200],
        ["reader", "POST", one + "vote/?reaction=1", 204],
        ["reader", "GET", one, 200],
        ["reader", "POST", one + "vote/?reaction=2", 204],
        ["reader", "GET", one, 200],
        ["reader", "GET", one + "vote/?limit=10&offset=0", 200],
        ["reader", "GET", one + "vote/?reaction=2", 200],
        ["reader", "GET", one + "vote/?reaction=1", 200],
        ["reader", "POST", one + "vote/?reaction=2", 204],
        ["reader", "GET", one, 200],
        ["reader", "POST", one + "vote/?", 204],
        ["reader", "GET", one, 200],
        ["reader", "POST", one + "flag/", 204],
        ["reader", "GET", one + "flag/status/", 200],
        ["reader", "GET", one, 200],
        ["reader", "POST", one + "flag/", 400],
        ["reader", "GET", one + "flag/", 403],
        ["author", "GET", one + "flag/", 200],
        ["reader", "POST", one + "flag/", 204],
        ["reader", "GET", one + "flag/status/", 404],
        ["reader", "POST", one + "flag/", 204],
        ["reader", "GET", one + "flag/status/", 200],
        ["reader", "POST", f"/api/v2/undefined/{sid}/follow/", 404],
        ["reader", "POST", one + "follow/", 204],
        ["reader", "GET", one + "following/", 200],
        ["reader", "GET", one, 200],
        ["reader", "POST", one + "follow/", 204],
        ["reader", "GET", one + "following/", 200],
        ["reader", "POST", one + "follow/", 204],
        ["reader", "POST", one + "suspend/", 204],
        ["reader", "GET", one + "suspended/", 200],
        ["reader", "GET", one, 200],
        ["reader", "POST", one + "suspend/", 204],
        ["reader", "GET", one + "suspended/", 200],
        ["reader", "POST", one + "suspend/", 204],
        ["reader", "GET", "/api/v2/status/?limit=20&offset=0", 200],
        ["reader", "POST", one + "hide/", 204],
        ["reader", "GET", one + "hide/status/", 200],
        ["reader", "GET", "/api/v2/status/?limit=20&offset=0", 200],
        ["reader", "GET", one, 200],
        ["author", "GET", "/api/v2/status/?limit=20&offset=0", 200],
        ["reader", "POST", one + "hide/", 204],
        ["reader", "GET", one + "hide/status/", 200],
        ["reader", "GET", "/api/v2/status/?limit=20&offset=0", 200],
        ["reader", "POST", one + "hide/", 204],
        ["author", "GET", one, 200],
    ]


def test_sdk_reads_reactions_categories_and_addressing_tags(live_server):
    ensure_reactions()
    AccountFactory(username="bob")
    sport = CategoryFactory(name="Sport", order=1)
    football = CategoryFactory(name="Football", order=0, slogan="Kick off")
    football.parents.add(sport)
    inactive = CategoryFactory(name="Archive", active=False)
    CategoryFactory(name="Removed", deleted=True)
    staff = TagFactory(name="staff", description="The staff", color="#FF0000")
    interns = TagFactory(name="interns")
    TagFactory(name="howto", type="contribution")
    TagFactory(name="retired", active=False)
    TagFactory(name="gone", deleted=True)
    result = node("feedback.js", json.dumps({
        "section": "catalogues", "base": live_server.url, "reader": token("bob"),
        "category": football.pk, "inactiveCategory": inactive.pk}))
    steps = result["steps"]

    # Reactions: the six of the default set, id 1 the default "Like".
    reactions = check_page(ok(steps["reactions"]), 6)
    assert all(set(r) == REACTION_KEYS for r in reactions)
    assert reactions == [reaction(pk) for pk, _, _ in REACTIONS]
    assert ok(steps["reactionsList"]) == reactions
    assert ok(steps["reaction1"]) == LIKE
    assert refused(steps["reactionMissing"], 404)[0]["code"] == "not_found"

    # Addressing tags: a plain array of the active `user` tags, by name.
    tags = ok(steps["addressingTags"])
    assert isinstance(tags, list) and all(set(t) == TAG_KEYS for t in tags)
    assert [t["id"] for t in tags] == [interns.pk, staff.pk]
    assert tags[1] == {"id": staff.pk, "type": "user", "name": "staff",
                       "description": "The staff", "color": "#FF0000", "visible": True,
                       "visibility_boost": False, "created_at": iso(staff.created_at),
                       "active": True, "deleted": False}

    # Categories: the active ones in their order; an inactive one is not there.
    categories = check_page(ok(steps["categories"]), 2)
    assert [c["id"] for c in categories] == [football.pk, sport.pk]
    assert ok(steps["category"]) == categories[0]
    assert categories[0]["name"] == "Football" and categories[0]["slogan"] == "Kick off"
    assert categories[0]["active"] is True and categories[0]["followed"] is False
    assert refused(steps["inactiveCategory"], 404)[0]["code"] == "not_found"
    # The documented Category (spec 2.3) names its parents.
    assert all(set(c) == CATEGORY_KEYS for c in categories), set(categories[0]) ^ CATEGORY_KEYS
    assert (categories[0]["parents"], categories[1]["parents"]) == ([sport.pk], [])

    assert [entry[1:] for entry in result["log"]] == [
        ["GET", "/api/v2/reaction/?", 200],
        ["GET", "/api/v2/reaction/?", 200],
        ["GET", "/api/v2/reaction/1/", 200],
        ["GET", "/api/v2/reaction/999999/", 404],
        ["GET", "/api/v2/category/", 200],
        ["GET", f"/api/v2/category/{football.pk}/", 200],
        ["GET", f"/api/v2/category/{inactive.pk}/", 404],
        ["GET", "/api/v2/user/tag/tags_to_address_a_contribution/", 200],
    ]

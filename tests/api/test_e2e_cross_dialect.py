"""One database, two real clients: Mastodon.py and SelfCommunity's own JavaScript SDK (under
Node, tests/e2e/sdk/cross.js) against one live server, each seeing what the other did: votes are
favourites and favourites are votes, a Mastodon delete is undone by a SelfCommunity restore, and
a SelfCommunity share is a Mastodon quote."""

import json

import pytest
from mastodon import MastodonNotFoundError

from statuses.models import Status, Vote
from tests.api.selfcommunity import test_e2e_sdk as sdk
from tests.api.selfcommunity.test_e2e_sdk import LIKE, LOVE, check_status, ok, refused

pytestmark = [*sdk.pytestmark, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cross(live_server):
    """cross(step, ...) -> one result per step, each step a dict naming its `token` and `call`
    (see cross.js), all in one Node process."""
    sdk.ensure_reactions()

    def run(*steps: dict) -> list[dict]:
        return sdk.node("cross.js", live_server.url, json.dumps(list(steps)))

    return run


def votes(status_id) -> list[tuple]:
    return list(Vote.objects.filter(status_id=status_id).order_by("id")
                .values_list("account__username", "reaction_id"))


def test_an_sdk_vote_is_a_mastodon_favourite(mastodon_py, cross):
    alice, bob = mastodon_py("alice"), mastodon_py("bob")
    posted = alice.status_post("Vote for me")
    sid = int(posted["id"])
    voted, seen = cross({"token": bob.access_token, "call": "vote", "id": sid},
                        {"token": bob.access_token, "call": "get", "id": sid})
    assert ok(voted) == ""
    check_status(ok(seen), voted=True, vote_count=1, reaction=LIKE)

    mine = bob.status(posted["id"])
    assert mine["favourited"] is True and mine["favourites_count"] == 1
    theirs = alice.status(posted["id"])
    assert theirs["favourited"] is False and theirs["favourites_count"] == 1
    assert [a["acct"] for a in alice.status_favourited_by(posted["id"])] == ["bob"]
    assert [s["id"] for s in bob.favourites()] == [posted["id"]]
    # The default reaction is stored as null: exactly what a Mastodon favourite writes.
    assert votes(sid) == [("bob", None)]

    # The same reaction again takes the vote back: no favourite any more.
    [unvoted] = cross({"token": bob.access_token, "call": "vote", "id": sid, "reaction": 1})
    assert ok(unvoted) == ""
    mine = bob.status(posted["id"])
    assert mine["favourited"] is False and mine["favourites_count"] == 0
    assert alice.status_favourited_by(posted["id"]) == []
    assert votes(sid) == [] and Status.objects.get(pk=sid).likes_count == 0


def test_a_mastodon_favourite_is_an_sdk_vote(mastodon_py, cross):
    alice, bob = mastodon_py("alice"), mastodon_py("bob")
    posted = alice.status_post("Favourite me")
    sid = int(posted["id"])
    assert bob.status_favourite(posted["id"])["favourited"] is True
    by_bob, by_alice, listed = cross(
        {"token": bob.access_token, "call": "get", "id": sid},
        {"token": alice.access_token, "call": "get", "id": sid},
        {"token": alice.access_token, "call": "votes", "id": sid})
    liked = [{"reaction": LIKE, "count": 1}]
    check_status(ok(by_bob), voted=True, vote_count=1, reaction=LIKE, reactions_count=liked)
    check_status(ok(by_alice), voted=False, vote_count=1, reaction=None, reactions_count=liked)
    [vote] = ok(listed)["results"]
    assert set(vote) == sdk.VOTE_KEYS
    assert vote["user"]["username"] == "bob" and vote["reaction"] == LIKE

    # Another reaction on the favourite switches it: still one favourite for Mastodon.
    switched, seen = cross({"token": bob.access_token, "call": "vote", "id": sid, "reaction": 2},
                           {"token": bob.access_token, "call": "get", "id": sid})
    assert ok(switched) == ""
    check_status(ok(seen), voted=True, vote_count=1, reaction=LOVE,
                 reactions_count=[{"reaction": LOVE, "count": 1}])
    mine = bob.status(posted["id"])
    assert mine["favourited"] is True and mine["favourites_count"] == 1
    assert votes(sid) == [("bob", 2)]


def test_an_sdk_reaction_counts_as_a_favourite_until_mastodon_unfavourites(mastodon_py, cross):
    alice, bob = mastodon_py("alice"), mastodon_py("bob")
    posted = alice.status_post("React to me")
    sid = int(posted["id"])
    [voted] = cross({"token": bob.access_token, "call": "vote", "id": sid, "reaction": 2})
    assert ok(voted) == ""
    mine = bob.status(posted["id"])
    assert mine["favourited"] is True and mine["favourites_count"] == 1
    assert [a["acct"] for a in alice.status_favourited_by(posted["id"])] == ["bob"]
    assert [s["id"] for s in bob.favourites()] == [posted["id"]]
    # Favouriting what is already favourited changes nothing, the reaction included.
    assert bob.status_favourite(posted["id"])["favourites_count"] == 1
    assert votes(sid) == [("bob", 2)]

    unfavourited = bob.status_unfavourite(posted["id"])
    assert unfavourited["favourited"] is False and unfavourited["favourites_count"] == 0
    [seen] = cross({"token": bob.access_token, "call": "get", "id": sid})
    check_status(ok(seen), voted=False, vote_count=0, reaction=None, reactions_count=[])
    assert alice.status_favourited_by(posted["id"]) == []
    assert votes(sid) == [] and Status.objects.get(pk=sid).likes_count == 0


def test_a_mastodon_delete_is_undone_by_an_sdk_restore(mastodon_py, cross):
    alice, bob = mastodon_py("alice"), mastodon_py("bob")
    root = alice.status_post("Root")
    solo = alice.status_post("Gone for a while")
    reply = alice.status_post("A reply, gone too", in_reply_to_id=root["id"])
    assert bob.status_reblog(solo["id"])["reblog"]["id"] == solo["id"]
    assert alice.status(root["id"])["replies_count"] == 1
    alice.status_delete(solo["id"])
    alice.status_delete(reply["id"])
    with pytest.raises(MastodonNotFoundError):
        alice.status(solo["id"])
    assert alice.status(root["id"])["replies_count"] == 0
    assert alice.account_verify_credentials()["statuses_count"] == 1

    deleted, by_bob, restored, restored_reply, back = cross(
        {"token": alice.access_token, "call": "get", "id": int(solo["id"])},
        {"token": bob.access_token, "call": "restore", "id": int(solo["id"])},
        {"token": alice.access_token, "call": "restore", "id": int(solo["id"])},
        {"token": alice.access_token, "call": "restore", "id": int(reply["id"])},
        {"token": alice.access_token, "call": "get", "id": int(solo["id"])})
    check_status(ok(deleted), deleted=True)
    assert refused(by_bob, 403)[0]["code"] == "permission_denied"
    assert ok(restored) == "" and ok(restored_reply) == ""
    check_status(ok(back), deleted=False, html="<p>Gone for a while</p>")

    again = alice.status(solo["id"])
    assert again["content"] == "<p>Gone for a while</p>" and again["reblogs_count"] == 1
    assert alice.status(reply["id"])["in_reply_to_id"] == root["id"]
    assert alice.status(root["id"])["replies_count"] == 1
    assert [s["id"] for s in alice.status_context(root["id"])["descendants"]] == [reply["id"]]
    me = alice.account_verify_credentials()
    assert me["statuses_count"] == 3
    assert [s["id"] for s in alice.account_statuses(me["id"])] == [
        reply["id"], solo["id"], root["id"]]
    assert solo["id"] in [s["id"] for s in alice.timeline_home()]
    # The reblog the delete hid is back with it.
    [reblog] = bob.account_statuses(bob.account_verify_credentials()["id"])
    assert reblog["reblog"]["id"] == solo["id"]
    assert Status.objects.filter(pk__in=[int(solo["id"]), int(reply["id"])],
                                 deleted_at__isnull=True).count() == 2


def test_an_sdk_share_is_a_mastodon_quote(mastodon_py, cross):
    alice, bob = mastodon_py("alice"), mastodon_py("bob")
    shared = bob.status_post("Worth sharing")
    sid = int(shared["id"])
    made, seen = cross(
        {"token": alice.access_token, "call": "share", "shared": sid,
         "text": "<p>Look at this</p>"},
        {"token": bob.access_token, "call": "get", "id": sid})
    media, status = ok(made)["media"], ok(made)["status"]
    assert media["type"] == "share" and media["embed"]["metadata"] == {"id": sid, "type": "status"}
    check_status(status, html="<p>Look at this</p>")
    assert [m["id"] for m in status["medias"]] == [media["id"]]
    check_status(ok(seen), share_count=1)
    assert Status.objects.get(pk=status["id"]).quote_of_id == sid
    assert Status.objects.get(pk=sid).shares_count == 1

    quoting = bob.status(str(status["id"]))
    assert quoting["content"] == "<p>Look at this</p>"
    assert quoting["media_attachments"] == []  # a share is never an attachment for Mastodon
    assert quoting["quote"]["state"] == "accepted"
    assert quoting["quote"]["quoted_status"]["id"] == shared["id"]
    assert quoting["quote"]["quoted_status"]["content"] == "<p>Worth sharing</p>"
    assert bob.status(shared["id"])["quotes_count"] == 1

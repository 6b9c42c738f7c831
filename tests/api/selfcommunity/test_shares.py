"""A share never carries a status to readers who may not see it.

Bob's status is shared by Alice while it is public; then it becomes unlisted, followers-only,
direct, addressed to a tag, collapsed, deleted, or Bob blocks a reader. Every reader (anonymous,
a stranger, Bob's follower, the account Bob mentions and who holds the tag, Bob, Alice) reads
Alice's status in both dialects, alone and in a list: Bob's text is in the answer exactly when
that reader may see Bob's status now, and nowhere in the body otherwise."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Visibility
from statuses.models import Status
from statuses.selectors.visibility import visible_q
from tests.factories import AccountFactory, BlockFactory, FollowFactory, TagFactory

SECRET = "Zebra-secret-4711"
VIEWERS = ["anonymous", "stranger", "follower", "mentioned", "shared_author", "sharing_author"]
EVERYONE = set(VIEWERS)
# Who may see Bob's status after the change (the one visibility rule, checked below as well).
MAY_SEE = {
    "public": EVERYONE,
    "unlisted": EVERYONE,
    "blocked": EVERYONE - {"stranger"},
    "private": {"follower", "mentioned", "shared_author"},
    "direct": {"mentioned", "shared_author"},
    "addressed": {"mentioned", "shared_author"},
    "collapsed": {"shared_author"},
    "deleted": set(),
}


def _client(make_token, account):
    client = APIClient()
    if account is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(account)}")
    return client


@pytest.fixture
def world(db, make_token):
    people = {
        "stranger": AccountFactory(username="erin"),
        "follower": AccountFactory(username="carol"),
        "mentioned": AccountFactory(username="dave"),
        "shared_author": AccountFactory(username="bob"),
        "sharing_author": AccountFactory(username="alice"),
    }
    FollowFactory(account=people["follower"], target=people["shared_author"])
    tag = TagFactory(type="user")
    tag.holders.add(people["mentioned"])
    clients = {name: _client(make_token, account) for name, account in people.items()}
    clients["anonymous"] = _client(make_token, None)
    return people, clients, tag


def _share_then_change(world, change: str) -> tuple[int, int]:
    """(Bob's status, Alice's status sharing it), after `change`."""
    people, clients, tag = world
    bob, alice = clients["shared_author"], clients["sharing_author"]
    text = f"<p>{SECRET} @dave</p>"
    created = bob.post("/api/v2/status/", {"action": None, "text": text, "categories": []},
                       format="json")
    assert created.status_code == 201, created.content
    shared = created.json()["id"]
    row = Status.objects.filter(pk=shared)
    if change == "unlisted":
        row.update(visibility=Visibility.UNLISTED)
    share = alice.post("/api/v2/media/", {"type": "share", "shared_object": shared},
                       format="json")
    assert share.status_code == 201, share.content
    sharing = alice.post("/api/v2/status/", {"action": None, "text": "<p>look</p>",
                                             "categories": [], "medias": [share.json()["id"]]},
                         format="json")
    assert sharing.status_code == 201, sharing.content
    if change in ("private", "direct"):
        row.update(visibility=Visibility[change.upper()])
    elif change == "addressed":
        edited = bob.put(f"/api/v2/status/{shared}/", {"action": None, "text": text,
                                                      "categories": [], "addressing": [tag.pk]},
                         format="json")
        assert edited.status_code == 200, edited.content
        assert row.get().visibility == Visibility.PRIVATE and row.get().addressed
    elif change == "collapsed":
        row.update(collapsed=True)
    elif change == "deleted":
        assert bob.delete(f"/api/v2/status/{shared}/").status_code == 204
    elif change == "blocked":
        BlockFactory(account=people["shared_author"], target=people["stranger"])
    return shared, sharing.json()["id"]


def _get(client, path, params=None):
    response = client.get(path, params or {})
    assert response.status_code == 200, response.content
    return response


def _check_share_media(status: dict, shared: int, visible: bool) -> None:
    (media,) = status["medias"]
    assert media["type"] == "share"
    summary = f"{SECRET} @dave" if visible else None
    assert (media["title"], media["description"]) == (summary, summary)
    assert media["embed"]["embed_type"] == "sc_shared_object"
    assert media["embed"]["metadata"] == {"id": shared, "type": "status"}


def _check_quote(status: dict, shared: int, visible: bool, change: str) -> None:
    quote = status["quote"]
    if visible:
        assert quote["state"] == "accepted"
        assert quote["quoted_status"]["id"] == str(shared)
        assert SECRET in quote["quoted_status"]["content"]
    else:
        assert quote == {"state": "deleted" if change == "deleted" else "unauthorized",
                         "quoted_status": None}


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("change", list(MAY_SEE))
def test_shared_text_reaches_exactly_those_who_may_see_it(world, change, viewer):
    people, clients, _ = world
    shared, sharing = _share_then_change(world, change)
    visible = viewer in MAY_SEE[change]
    # The table above is the one visibility rule's answer.
    assert Status.objects.filter(visible_q(people.get(viewer)), pk=shared).exists() == visible
    client = clients[viewer]

    def carries_text(response) -> bool:
        return SECRET.lower() in response.content.decode().lower()

    one = _get(client, f"/api/v2/status/{sharing}/")
    _check_share_media(one.json(), shared, visible)
    assert carries_text(one) == visible

    listed = _get(client, "/api/v2/status/", {"limit": 100})
    (item,) = [s for s in listed.json()["results"] if s["id"] == sharing]
    _check_share_media(item, shared, visible)
    assert carries_text(listed) == visible

    mastodon = _get(client, f"/api/v1/statuses/{sharing}")
    _check_quote(mastodon.json(), shared, visible, change)
    assert carries_text(mastodon) == visible

    timeline = _get(client, "/api/v1/timelines/public", {"limit": 40})
    (item,) = [s for s in timeline.json() if s["id"] == str(sharing)]
    _check_quote(item, shared, visible, change)
    assert carries_text(timeline) == visible


def test_the_share_is_rendered_per_reader_not_once(world):
    """One row, two readers a moment apart: each gets what they may see."""
    _, clients, _ = world
    shared, sharing = _share_then_change(world, "private")
    follower = _get(clients["follower"], f"/api/v2/status/{sharing}/").json()
    stranger = _get(clients["stranger"], f"/api/v2/status/{sharing}/").json()
    assert follower["medias"][0]["title"] == f"{SECRET} @dave"
    assert stranger["medias"][0]["title"] is None
    Status.objects.filter(pk=shared).update(visibility=Visibility.PUBLIC)
    assert _get(clients["stranger"], f"/api/v2/status/{sharing}/").json()[
        "medias"][0]["title"] == f"{SECRET} @dave"


def test_creating_or_editing_a_status_with_a_share_shows_it_only_if_still_visible(world):
    """The POST and PUT answers of SelfCommunity render the share for its author, who may no
    longer see the shared status between sharing and posting."""
    people, clients, _ = world
    bob, alice = clients["shared_author"], clients["sharing_author"]
    shared = bob.post("/api/v2/status/", {"action": None, "text": f"<p>{SECRET}</p>",
                                          "categories": []}, format="json").json()["id"]
    share = alice.post("/api/v2/media/", {"type": "share", "shared_object": shared},
                       format="json").json()["id"]
    Status.objects.filter(pk=shared).update(visibility=Visibility.PRIVATE)
    created = alice.post("/api/v2/status/", {"action": None, "text": "<p>look</p>",
                                             "categories": [], "medias": [share]},
                         format="json")
    assert created.status_code == 201
    assert created.json()["medias"][0]["title"] is None
    assert SECRET.lower() not in created.content.decode().lower()
    FollowFactory(account=people["sharing_author"], target=people["shared_author"])
    edited = alice.put(f"/api/v2/status/{created.json()['id']}/", {
        "action": None, "text": "<p>look again</p>", "categories": [], "medias": [share]},
        format="json")
    assert edited.status_code == 200
    assert edited.json()["medias"][0]["title"] == SECRET

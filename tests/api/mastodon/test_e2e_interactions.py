"""End to end: Mastodon.py's interaction calls and the lists behind them, through a live server."""


import pytest
from mastodon import Mastodon, MastodonAPIError

from statuses import services
from statuses.models import Status, Vote
from tests.factories import AccountFactory

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]



def test_mastodon_py_interactions(mastodon_py, live_server):
    alice, bob = mastodon_py("alice"), mastodon_py("bob")
    post = alice.status_post("Interact with me #e2e")

    favourited = bob.status_favourite(post["id"])
    assert favourited["favourited"] is True and favourited["favourites_count"] == 1
    unfavourited = bob.status_unfavourite(post["id"])
    assert unfavourited["favourited"] is False and unfavourited["favourites_count"] == 0
    bob.status_favourite(post["id"])

    wrapper = bob.status_reblog(post["id"])
    assert wrapper["reblog"]["id"] == post["id"]
    assert wrapper["reblog"]["reblogged"] is True
    assert wrapper["reblogged"] is True and wrapper["favourited"] is True
    # Every rendering of the wrapper says so: the booster's timelines and account statuses.
    for listing in (bob.timeline_home(), bob.account_statuses(bob.me())):
        shown = next(s for s in listing if s["id"] == wrapper["id"])
        assert shown["reblogged"] is True and shown["reblog"]["reblogged"] is True
        assert shown["favourited"] is True and shown["reblog"]["favourited"] is True
    # Another viewer sees its own relationship to the original on the wrapper (none).
    seen = alice.status(wrapper["id"])
    assert seen["reblogged"] is False and seen["reblog"]["reblogged"] is False
    assert [a["acct"] for a in alice.status_reblogged_by(post["id"])] == ["bob"]
    assert [a["acct"] for a in alice.status_favourited_by(post["id"])] == ["bob"]
    original = bob.status_unreblog(post["id"])
    assert original["reblogged"] is False and original["reblogs_count"] == 0

    assert bob.status_bookmark(post["id"])["bookmarked"] is True
    assert [s["id"] for s in bob.bookmarks()] == [post["id"]]
    assert [s["id"] for s in bob.favourites()] == [post["id"]]

    assert bob.status_mute(post["id"])["muted"] is True
    assert bob.status_unmute(post["id"])["muted"] is False

    pinned = alice.status_pin(post["id"])
    assert pinned["pinned"] is True
    me = alice.account_verify_credentials()
    assert [s["id"] for s in alice.account_statuses(me["id"], pinned=True)] == [post["id"]]
    with pytest.raises(MastodonAPIError) as excinfo:
        bob.status_pin(post["id"])
    assert excinfo.value.args[1] == 422

    public = Mastodon(api_base_url=live_server.url).timeline_public()
    assert post["id"] in [s["id"] for s in public]


def test_mastodon_py_fetch_next_over_100_favourites(mastodon_py):
    alice = mastodon_py("alice")
    post = alice.status_post("Popular")
    fans = [AccountFactory() for _ in range(100)]
    for fan in fans:
        services.status_favourite(account=fan, status_id=int(post["id"]))
    assert Status.objects.get(pk=post["id"]).likes_count == 100

    # status_favourited_by() takes no limit, so the first page is asked with Mastodon.py's
    # documented pagination dict; fetch_next then follows our Link headers, page after page.
    assert len(alice.status_favourited_by(post["id"])) == 40
    page = alice.fetch_next({
        "_pagination_method": "GET",
        "_pagination_endpoint": f"/api/v1/statuses/{post['id']}/favourited_by",
        "limit": 7,
    })
    seen = []
    pages = 0
    while page:
        assert len(page) <= 7
        seen += [a["id"] for a in page]
        pages += 1
        page = alice.fetch_next(page)
    assert pages == 15  # 14 full pages and one of 2
    expected = [str(v.account_id) for v in Vote.objects.filter(status_id=post["id"]).order_by("-id")]
    assert seen == expected
    assert len(set(seen)) == 100

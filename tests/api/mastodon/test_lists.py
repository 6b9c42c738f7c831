"""favourited_by / reblogged_by, favourites, bookmarks, account statuses and timelines."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Follow
from statuses import services
from statuses.models import Bookmark, Vote
from tests.factories import AccountFactory, BlockFactory, FollowFactory, MuteFactory


def post(account, text="hello", **kwargs):
    if "in_reply_to_id" in kwargs:
        kwargs["in_reply_to_given"] = True
    return services.status_create(account=account, text=text, **kwargs)


def ids(response):
    return [int(s["id"]) for s in response.json()]


# --- favourited_by / reblogged_by -----------------------------------------------------------

def test_favourited_by_pages_newest_first_with_link(anon, alice):
    status = post(alice)
    fans = [AccountFactory() for _ in range(3)]
    for fan in fans:
        services.status_favourite(account=fan, status_id=status.pk)
    votes = list(Vote.objects.order_by("-id"))
    response = anon.get(f"/api/v1/statuses/{status.pk}/favourited_by", {"limit": 2})
    assert response.status_code == 200
    body = response.json()
    assert [a["id"] for a in body] == [str(fans[2].pk), str(fans[1].pk)]
    assert set(body[0]) >= {"id", "username", "acct", "display_name", "avatar"}
    base = f"http://testserver/api/v1/statuses/{status.pk}/favourited_by"
    assert response["Link"] == (
        f'<{base}?limit=2&max_id={votes[1].pk}>; rel="next", '
        f'<{base}?limit=2&since_id={votes[0].pk}>; rel="prev"'
    )
    rest = anon.get(base, {"limit": 2, "max_id": votes[1].pk})
    assert [a["id"] for a in rest.json()] == [str(fans[0].pk)]
    assert rest["Link"] == f'<{base}?limit=2&since_id={votes[2].pk}>; rel="prev"'
    assert "Link" not in anon.get(base, {"max_id": votes[2].pk})


def test_favourited_by_limit_is_clamped_and_absolute(anon, alice):
    status = post(alice)
    services.status_favourite(account=AccountFactory(), status_id=status.pk)
    response = anon.get(f"/api/v1/statuses/{status.pk}/favourited_by", {"limit": "-1"})
    assert len(response.json()) == 1
    assert "limit=-1" in response["Link"]


def test_favourited_by_hides_blocked_muted_and_suspended(bob_client, alice, bob):
    from django.utils import timezone

    status = post(alice)
    blocked, muted, blocker, suspended, fine = (AccountFactory() for _ in range(5))
    for fan in (blocked, muted, blocker, suspended, fine):
        services.status_favourite(account=fan, status_id=status.pk)
    BlockFactory(account=bob, target=blocked)
    MuteFactory(account=bob, target=muted)
    BlockFactory(account=blocker, target=bob)
    suspended.suspended_at = timezone.now()
    suspended.save()
    body = bob_client.get(f"/api/v1/statuses/{status.pk}/favourited_by").json()
    assert [a["id"] for a in body] == [str(fine.pk)]


def test_favourited_by_of_invisible_status_is_404(bob_client, alice):
    status = post(alice, visibility="private")
    assert bob_client.get(f"/api/v1/statuses/{status.pk}/favourited_by").status_code == 404


def test_reblogged_by_lists_public_and_unlisted_reblogs(anon, alice, bob, carol):
    status = post(alice)
    services.status_reblog(account=bob, status_id=status.pk)
    services.status_reblog(account=carol, status_id=status.pk, visibility="private")
    body = anon.get(f"/api/v1/statuses/{status.pk}/reblogged_by").json()
    assert [a["id"] for a in body] == [str(bob.pk)]


# --- favourites and bookmarks ---------------------------------------------------------------

def test_favourites_ordered_by_favourite_time_with_link(bob_client, alice, bob):
    older, newer = post(alice, "older"), post(alice, "newer")
    services.status_favourite(account=bob, status_id=newer.pk)
    services.status_favourite(account=bob, status_id=older.pk)
    response = bob_client.get("/api/v1/favourites", {"limit": 1})
    assert ids(response) == [older.pk]
    votes = list(Vote.objects.filter(account=bob).order_by("-id"))
    assert response["Link"] == (
        f'<http://testserver/api/v1/favourites?limit=1&max_id={votes[0].pk}>; rel="next", '
        f'<http://testserver/api/v1/favourites?limit=1&min_id={votes[0].pk}>; rel="prev"'
    )
    assert ids(bob_client.get("/api/v1/favourites", {"max_id": votes[0].pk})) == [newer.pk]
    body = bob_client.get("/api/v1/favourites").json()
    assert all(s["favourited"] is True for s in body)


def test_favourites_skip_statuses_no_longer_visible(bob_client, alice, bob):
    FollowFactory(account=bob, target=alice)
    private = post(alice, visibility="private")
    services.status_favourite(account=bob, status_id=private.pk)
    assert ids(bob_client.get("/api/v1/favourites")) == [private.pk]
    Follow.objects.filter(account=bob, target=alice).delete()
    assert bob_client.get("/api/v1/favourites").json() == []


def test_bookmarks_list(bob_client, alice, bob):
    a, b = post(alice, "a"), post(alice, "b")
    services.status_bookmark(account=bob, status_id=a.pk)
    services.status_bookmark(account=bob, status_id=b.pk)
    assert ids(bob_client.get("/api/v1/bookmarks")) == [b.pk, a.pk]
    assert Bookmark.objects.count() == 2


def test_favourites_requires_user_token(anon, mastodon, make_token):
    assert anon.get("/api/v1/favourites").status_code == 401
    assert mastodon.as_token(make_token(None, "read")).get("/api/v1/favourites").status_code == 422


# --- account statuses -----------------------------------------------------------------------

def test_account_statuses_filters(anon, alice, bob):
    root = post(alice, "root #Garden")
    reply_other = post(alice, "to bob", in_reply_to_id=post(bob, "bob's").pk)
    self_reply = post(alice, "self", in_reply_to_id=root.pk)
    reblog = services.status_reblog(account=alice, status_id=post(bob, "boost me").pk)
    services.status_pin(account=alice, status_id=root.pk)
    base = f"/api/v1/accounts/{alice.pk}/statuses"
    assert ids(anon.get(base)) == [reblog.pk, self_reply.pk, reply_other.pk, root.pk]
    assert ids(anon.get(base, {"exclude_replies": "true"})) == [reblog.pk, self_reply.pk, root.pk]
    assert ids(anon.get(base, {"exclude_reblogs": "1"})) == [self_reply.pk, reply_other.pk,
                                                              root.pk]
    assert ids(anon.get(base, {"pinned": "true"})) == [root.pk]
    assert ids(anon.get(base, {"tagged": "garden"})) == [root.pk]
    assert anon.get(base, {"only_media": "true"}).json() == []
    pinned = anon.get(base, {"pinned": "true", "limit": 1})
    assert "pinned=true" in pinned["Link"]


def test_account_statuses_visibility(bob_client, anon, alice, bob):
    public = post(alice, "public")
    private = post(alice, "private", visibility="private")
    assert ids(anon.get(f"/api/v1/accounts/{alice.pk}/statuses")) == [public.pk]
    FollowFactory(account=bob, target=alice)
    assert ids(bob_client.get(f"/api/v1/accounts/{alice.pk}/statuses")) == [private.pk, public.pk]
    BlockFactory(account=alice, target=bob)
    assert bob_client.get(f"/api/v1/accounts/{alice.pk}/statuses").json() == []
    response = anon.get("/api/v1/accounts/999999/statuses")
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}


# --- timelines ------------------------------------------------------------------------------

def test_public_timeline_shows_public_originals_only(anon, alice, bob):
    public = post(alice, "public")
    post(alice, "unlisted", visibility="unlisted")
    post(alice, "private", visibility="private")
    post(alice, "direct", visibility="direct")
    post(bob, "reply", in_reply_to_id=public.pk)
    self_reply = post(alice, "self reply", in_reply_to_id=public.pk)
    services.status_reblog(account=bob, status_id=public.pk)
    response = anon.get("/api/v1/timelines/public")
    assert response.status_code == 200
    assert ids(response) == [self_reply.pk, public.pk]
    assert ids(anon.get("/api/v1/timelines/public", {"local": "true"})) == [self_reply.pk,
                                                                           public.pk]
    assert anon.get("/api/v1/timelines/public", {"remote": "true"}).json() == []
    assert anon.get("/api/v1/timelines/public", {"only_media": "true"}).json() == []


def test_public_timeline_cursors_and_link(anon, alice):
    statuses = [post(alice, str(i)) for i in range(5)]
    pks = [s.pk for s in statuses]
    first = anon.get("/api/v1/timelines/public", {"limit": 2, "local": "true"})
    assert ids(first) == [pks[4], pks[3]]
    base = "http://testserver/api/v1/timelines/public"
    assert first["Link"] == (
        f'<{base}?limit=2&local=true&max_id={pks[3]}>; rel="next", '
        f'<{base}?limit=2&local=true&min_id={pks[4]}>; rel="prev"'
    )
    assert ids(anon.get(base, {"limit": 2, "max_id": pks[3]})) == [pks[2], pks[1]]
    assert ids(anon.get(base, {"limit": 2, "since_id": pks[1]})) == [pks[4], pks[3]]
    assert ids(anon.get(base, {"limit": 2, "min_id": pks[1]})) == [pks[3], pks[2]]
    assert len(anon.get(base, {"limit": 100}).json()) == 5
    assert anon.get(base, {"limit": 0}).json() == []


def test_public_timeline_hides_muted_and_blocked_for_viewer(bob_client, alice, bob, carol):
    a = post(alice, "a")
    post(carol, "c")
    MuteFactory(account=bob, target=carol)
    assert ids(bob_client.get("/api/v1/timelines/public")) == [a.pk]
    BlockFactory(account=alice, target=bob)
    assert bob_client.get("/api/v1/timelines/public").json() == []


def test_home_timeline(bob_client, alice, bob, carol):
    FollowFactory(account=bob, target=alice)
    own = post(bob, "mine")
    followed = post(alice, "followed", visibility="private")
    post(carol, "stranger")
    reply_to_stranger = post(alice, "to carol", in_reply_to_id=post(carol, "c").pk)
    reblog = services.status_reblog(account=alice, status_id=post(carol, "boosted").pk)
    body = ids(bob_client.get("/api/v1/timelines/home"))
    assert own.pk in body and followed.pk in body and reblog.pk in body
    assert reply_to_stranger.pk not in body
    Follow.objects.filter(account=bob, target=alice).update(show_reblogs=False)
    assert reblog.pk not in ids(bob_client.get("/api/v1/timelines/home"))


def test_home_timeline_requires_user(anon):
    assert anon.get("/api/v1/timelines/home").status_code == 401


def test_tag_timeline(anon, alice):
    a = post(alice, "#Cats are great")
    b = post(alice, "#dogs and #cats")
    c = post(alice, "#dogs only")
    post(alice, "#cats unlisted", visibility="unlisted")
    assert ids(anon.get("/api/v1/timelines/tag/CATS")) == [b.pk, a.pk]
    assert ids(anon.get("/api/v1/timelines/tag/cats", {"any[]": ["dogs"]})) == [c.pk, b.pk, a.pk]
    assert ids(anon.get("/api/v1/timelines/tag/cats", {"all[]": ["dogs"]})) == [b.pk]
    assert ids(anon.get("/api/v1/timelines/tag/cats", {"none[]": ["dogs"]})) == [a.pk]
    assert anon.get("/api/v1/timelines/tag/nothing").json() == []


# --- constant query counts ------------------------------------------------------------------

def _count(client, path, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params or {})
    assert response.status_code == 200, response.content
    return len(ctx), len(response.json())


def _quote(status, shared) -> None:
    """Make `status` share (quote) `shared`, as a SelfCommunity share media does."""
    from statuses.services.attachments import status_attach_media, status_share_create

    share = status_share_create(account=status.account, status_id=shared.pk)
    status_attach_media(status=status, media=[share])


@pytest.mark.parametrize("quotes", [False, True])
@pytest.mark.parametrize("endpoint", ["public", "home", "tag", "account", "favourites",
                                      "bookmarks", "favourited_by", "reblogged_by"])
def test_list_query_count_is_constant(bob_client, alice, bob, endpoint, quotes):
    """With `quotes`, every status on the page quotes one that quotes another in turn."""
    FollowFactory(account=bob, target=alice)
    target = post(alice, "target")
    measured = []
    for size in (1, 40):
        before = set()
        for i in range(size):
            author = AccountFactory()
            status = post(alice, f"#topic {i} @{author.username}")
            if quotes:
                # Unlisted, so that the public timeline still holds only the quoting statuses.
                deeper = post(author, f"deeper {i}", visibility="unlisted")
                shared = post(author, f"shared {i}", visibility="unlisted")
                _quote(shared, deeper)
                _quote(status, shared)
                services.status_favourite(account=bob, status_id=shared.pk)
            services.status_favourite(account=bob, status_id=status.pk)
            services.status_bookmark(account=bob, status_id=status.pk)
            services.status_favourite(account=author, status_id=target.pk)
            services.status_reblog(account=author, status_id=target.pk)
            before.add(status.pk)
        path = {
            "public": "/api/v1/timelines/public",
            "home": "/api/v1/timelines/home",
            "tag": "/api/v1/timelines/tag/topic",
            "account": f"/api/v1/accounts/{alice.pk}/statuses",
            "favourites": "/api/v1/favourites",
            "bookmarks": "/api/v1/bookmarks",
            "favourited_by": f"/api/v1/statuses/{target.pk}/favourited_by",
            "reblogged_by": f"/api/v1/statuses/{target.pk}/reblogged_by",
        }[endpoint]
        queries, items = _count(bob_client, path, {"limit": size})
        assert items == size
        measured.append(queries)
    assert measured[0] == measured[1], measured
    if quotes and endpoint not in ("favourited_by", "reblogged_by"):
        page = bob_client.get(path, {"limit": 1}).json()[0]
        assert page["quote"]["state"] == "accepted"
        assert page["quote"]["quoted_status"]["favourited"] is True
        assert page["quote"]["quoted_status"]["quote"]["state"] == "accepted"


def test_link_header_format_is_parseable_by_clients(anon, alice):
    for i in range(3):
        post(alice, str(i))
    link = anon.get("/api/v1/timelines/public", {"limit": 1})["Link"]
    assert re.fullmatch(r'<[^>]+>; rel="next", <[^>]+>; rel="prev"', link)

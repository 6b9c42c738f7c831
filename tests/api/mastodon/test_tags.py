"""Mastodon 4.5's hashtag routes: GET /api/v1/tags/:name (Tag with history, following,
featuring), follow/unfollow and feature/unfeature, GET /api/v1/followed_tags (Link paging),
/api/v1/featured_tags (list, create with its limit and 422s, delete, suggestions),
GET /api/v1/accounts/:id/featured_tags, and followed tags feeding the home timeline. Exact
codes, keys, types and rows; scopes; constant queries at two sizes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config import instance
from statuses import render_cache, services
from statuses.models import FeaturedTag, Hashtag, Status, TagFollow
from statuses.services.interactions import status_reblog
from tests.factories import AccountFactory, FollowFactory

TAG_KEYS = ["id", "name", "url", "history", "following", "featuring"]
FEATURED_KEYS = ["id", "name", "url", "statuses_count", "last_status_at"]
OUTSIDE = {"error": "This action is outside the authorized scopes"}


@pytest.fixture(autouse=True)
def _fresh_renderings():
    render_cache.CACHE.clear()
    yield
    render_cache.CACHE.clear()


def post(account, text, visibility="public", **extra):
    return services.status_create(account=account, text=text, visibility=visibility, **extra)


def midnight(days_ago=0) -> str:
    day = timezone.now().astimezone(datetime.UTC).date() - datetime.timedelta(days=days_ago)
    return str(int(datetime.datetime.combine(day, datetime.time(),
                                             tzinfo=datetime.UTC).timestamp()))


# --- GET /api/v1/tags/:name ------------------------------------------------------------------

def test_a_tag_shows_its_week_of_public_use(alice, bob, alice_client):
    post(alice, "one #Fox")
    post(alice, "two #fox")
    post(bob, "three #FOX", visibility="unlisted")
    post(bob, "hidden #fox", visibility="private")
    old = post(bob, "old #fox")
    Status.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    response = alice_client.get("/api/v1/tags/FOX")
    assert response.status_code == 200
    body = response.json()
    assert list(body) == TAG_KEYS
    hashtag = Hashtag.objects.get(name="fox")
    assert body["id"] == str(hashtag.pk)
    assert body["name"] == "fox"
    assert body["url"] == instance.tags_base_url() + "fox"
    assert body["following"] is False and body["featuring"] is False
    history = body["history"]
    assert [h["day"] for h in history] == [midnight(i) for i in range(7)]
    assert history[0] == {"day": midnight(0), "uses": "3", "accounts": "2"}
    assert history[1] == {"day": midnight(1), "uses": "0", "accounts": "0"}
    assert history[2] == {"day": midnight(2), "uses": "1", "accounts": "1"}


def test_anonymous_callers_get_no_relationship(alice, mastodon):
    post(alice, "#fox")
    body = mastodon.get("/api/v1/tags/fox").json()
    assert list(body) == ["id", "name", "url", "history"]


def test_names_fold_as_mastodon_folds_them(alice, alice_client):
    post(alice, "#café")
    assert alice_client.get("/api/v1/tags/CAFE").json()["name"] == "cafe"
    assert alice_client.get("/api/v1/tags/Café").status_code == 200


@pytest.mark.parametrize("name,error", [("nosuchtag", "Record not found"),
                                        ("123", "Not Found"), ("a%20b", "Not Found"),
                                        ("x" * 300, "Not Found")])
def test_unknown_or_invalid_names_are_404(alice_client, name, error):
    response = alice_client.get(f"/api/v1/tags/{name}")
    assert response.status_code == 404
    assert response.json() == {"error": error}


# --- follow / unfollow -----------------------------------------------------------------------

def test_following_creates_the_tag_and_unfollowing_keeps_it(alice, alice_client):
    response = alice_client.post("/api/v1/tags/NewTag/follow")
    assert response.status_code == 200
    body = response.json()
    assert list(body) == TAG_KEYS
    assert body["name"] == "newtag" and body["following"] is True
    hashtag = Hashtag.objects.get(name="newtag")
    assert TagFollow.objects.filter(account=alice, hashtag=hashtag).count() == 1
    # Again: still one follow.
    assert alice_client.post("/api/v1/tags/newtag/follow").json()["following"] is True
    assert TagFollow.objects.filter(account=alice).count() == 1
    assert alice_client.get("/api/v1/tags/newtag").json()["following"] is True
    response = alice_client.post("/api/v1/tags/newtag/unfollow")
    assert response.status_code == 200 and response.json()["following"] is False
    assert not TagFollow.objects.exists()
    assert Hashtag.objects.filter(name="newtag").exists()


def test_following_an_invalid_name_is_404(alice_client):
    response = alice_client.post("/api/v1/tags/123/follow")
    assert response.status_code == 404
    assert response.json() == {"error": "Not Found"}
    assert not Hashtag.objects.filter(name="123").exists()


@pytest.mark.parametrize("scopes,code", [("follow", 200), ("write", 200),
                                         ("write:follows", 200), ("read", 403),
                                         ("write:accounts", 403)])
def test_follow_takes_write_follows(alice, make_token, mastodon, scopes, code):
    response = mastodon.as_token(make_token(alice, scopes=scopes)).post("/api/v1/tags/fox/follow")
    assert response.status_code == code
    if code == 403:
        assert response.json() == OUTSIDE


def test_follow_needs_a_user(mastodon, make_token):
    assert mastodon.post("/api/v1/tags/fox/follow").status_code == 401
    app_only = mastodon.as_token(make_token(None, scopes="read write follow"))
    response = app_only.post("/api/v1/tags/fox/follow")
    assert response.status_code == 422
    assert response.json() == {"error": "This method requires an authenticated user"}


# --- GET /api/v1/followed_tags ---------------------------------------------------------------

def test_followed_tags_are_listed_newest_first_with_links(alice, alice_client):
    for name in ("one", "two", "three"):
        alice_client.post(f"/api/v1/tags/{name}/follow")
    response = alice_client.get("/api/v1/followed_tags?limit=2")
    assert response.status_code == 200
    body = response.json()
    assert [t["name"] for t in body] == ["three", "two"]
    assert all(list(t) == TAG_KEYS and t["following"] is True for t in body)
    follows = list(TagFollow.objects.order_by("-id").values_list("pk", flat=True))
    assert response["Link"] == (
        f'<http://testserver/api/v1/followed_tags?limit=2&max_id={follows[1]}>; rel="next", '
        f'<http://testserver/api/v1/followed_tags?limit=2&since_id={follows[0]}>; rel="prev"')
    rest = alice_client.get(f"/api/v1/followed_tags?limit=2&max_id={follows[1]}").json()
    assert [t["name"] for t in rest] == ["one"]


def test_followed_tags_are_ones_own(alice, bob, alice_client, bob_client):
    bob_client.post("/api/v1/tags/fox/follow")
    assert alice_client.get("/api/v1/followed_tags").json() == []


@pytest.mark.parametrize("scopes,code", [("read", 200), ("read:follows", 200), ("follow", 200),
                                         ("write", 403), ("read:accounts", 403)])
def test_followed_tags_take_read_follows(alice, make_token, mastodon, scopes, code):
    response = mastodon.as_token(make_token(alice, scopes=scopes)).get("/api/v1/followed_tags")
    assert response.status_code == code


def test_followed_tags_limit_is_100_at_most_200(alice):
    from config.api import filters
    from statuses.mastodon.filters import FollowedTagsFilterSet

    def limit(raw):
        return filters.clean(FollowedTagsFilterSet, {"limit": raw} if raw else {},
                             lambda f: AssertionError())["limit"]

    assert limit(None) == 100 and limit("150") == 150 and limit("500") == 200


# --- home timeline ---------------------------------------------------------------------------

def test_followed_tags_feed_the_home_timeline(alice, bob, carol, alice_client):
    alice_client.post("/api/v1/tags/fox/follow")
    public = post(bob, "public #fox")
    reply_elsewhere = post(bob, "reply #fox", in_reply_to_id=post(carol, "hi").pk,
                           in_reply_to_given=True)
    post(bob, "unlisted #fox", visibility="unlisted")
    post(bob, "private #fox", visibility="private")
    post(bob, "direct @carol #fox", visibility="direct")
    post(bob, "no tag")
    post(carol, "other #dog")
    # A reblog of a followed tag's status by someone not followed stays out.
    status_reblog(account=carol, status_id=public.pk)
    ids = [s["id"] for s in alice_client.get("/api/v1/timelines/home").json()]
    assert ids == [str(reply_elsewhere.pk), str(public.pk)]
    alice_client.post("/api/v1/tags/fox/unfollow")
    assert alice_client.get("/api/v1/timelines/home").json() == []


def test_followed_tag_statuses_respect_blocks_and_mutes(alice, bob, alice_client):
    alice_client.post("/api/v1/tags/fox/follow")
    post(bob, "public #fox")
    assert len(alice_client.get("/api/v1/timelines/home").json()) == 1
    assert alice_client.post(f"/api/v1/accounts/{bob.pk}/block").status_code == 200
    assert alice_client.get("/api/v1/timelines/home").json() == []


def test_followed_accounts_still_feed_home(alice, bob, alice_client):
    FollowFactory(account=alice, target=bob)
    alice_client.post("/api/v1/tags/fox/follow")
    mine = post(alice, "mine")
    private = post(bob, "followers only", visibility="private")
    tagged = post(AccountFactory(), "#fox")
    ids = [s["id"] for s in alice_client.get("/api/v1/timelines/home").json()]
    assert ids == [str(tagged.pk), str(private.pk), str(mine.pk)]


# --- featured tags ---------------------------------------------------------------------------

def test_featuring_a_tag_counts_the_accounts_public_statuses(alice, bob, alice_client):
    post(alice, "one #fox")
    latest = post(alice, "two #Fox", visibility="unlisted")
    post(alice, "hidden #fox", visibility="private")
    post(bob, "not mine #fox")
    response = alice_client.post("/api/v1/featured_tags", {"name": "#FOX "}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert list(body) == FEATURED_KEYS
    featured = FeaturedTag.objects.get(account=alice)
    assert body == {"id": str(featured.pk), "name": "fox",
                    "url": instance.account_url("alice") + "/tagged/fox",
                    "statuses_count": "2",
                    "last_status_at": latest.created_at.astimezone(datetime.UTC).date().isoformat()}
    assert alice_client.get("/api/v1/featured_tags").json() == [body]
    # Featuring it again gives the same row.
    again = alice_client.post("/api/v1/featured_tags", {"name": "fox"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert FeaturedTag.objects.count() == 1


def test_a_new_name_is_featured_with_no_statuses(alice, alice_client):
    body = alice_client.post("/api/v1/featured_tags", {"name": "brandnew"}, format="json").json()
    assert body["statuses_count"] == "0" and body["last_status_at"] is None
    assert Hashtag.objects.filter(name="brandnew").exists()


@pytest.mark.parametrize("payload,error", [
    ({}, "Validation failed: Name can't be blank"),
    ({"name": ""}, "Validation failed: Name can't be blank"),
    ({"name": "123"}, "Validation failed: Name is invalid"),
    ({"name": "two words"}, "Validation failed: Name is invalid"),
    ({"name": ["fox"]}, "Validation failed: Name can't be blank"),
])
def test_bad_names_are_422(alice_client, payload, error):
    response = alice_client.post("/api/v1/featured_tags", payload, format="json")
    assert response.status_code == 422
    assert response.json() == {"error": error}
    assert not FeaturedTag.objects.exists()


def test_at_most_ten_tags_are_featured(alice, alice_client):
    for i in range(10):
        assert alice_client.post("/api/v1/featured_tags", {"name": f"tag{i}"},
                                 format="json").status_code == 200
    response = alice_client.post("/api/v1/featured_tags", {"name": "eleventh"}, format="json")
    assert response.status_code == 422
    assert response.json() == {
        "error": "Validation failed: You have already featured the maximum number of hashtags"}
    assert FeaturedTag.objects.filter(account=alice).count() == 10
    assert not Hashtag.objects.filter(name="eleventh").exists()
    response = alice_client.post("/api/v1/tags/twelfth/feature")
    assert response.status_code == 422
    assert response.json() == {
        "error": "Validation failed: You have already featured the maximum number of hashtags"}
    assert not Hashtag.objects.filter(name="twelfth").exists()
    # One already featured is still answered.
    assert alice_client.post("/api/v1/featured_tags", {"name": "tag3"},
                             format="json").status_code == 200


def test_deleting_a_featured_tag(alice, bob, alice_client, bob_client):
    featured_id = alice_client.post("/api/v1/featured_tags", {"name": "fox"},
                                    format="json").json()["id"]
    response = bob_client.delete(f"/api/v1/featured_tags/{featured_id}")
    assert response.status_code == 404 and response.json() == {"error": "Record not found"}
    assert alice_client.delete("/api/v1/featured_tags/abc").status_code == 404
    response = alice_client.delete(f"/api/v1/featured_tags/{featured_id}")
    assert response.status_code == 200 and response.json() == {}
    assert not FeaturedTag.objects.exists()


def test_feature_and_unfeature_through_the_tag(alice, alice_client):
    response = alice_client.post("/api/v1/tags/Fox/feature")
    assert response.status_code == 200
    assert response.json()["featuring"] is True and response.json()["following"] is False
    assert FeaturedTag.objects.filter(account=alice, hashtag__name="fox").count() == 1
    assert alice_client.get("/api/v1/tags/fox").json()["featuring"] is True
    response = alice_client.post("/api/v1/tags/fox/unfeature")
    assert response.status_code == 200 and response.json()["featuring"] is False
    assert not FeaturedTag.objects.exists()


@pytest.mark.parametrize("scopes,code", [("write", 200), ("write:accounts", 200),
                                         ("write:follows", 403), ("read", 403)])
def test_feature_takes_write_accounts(alice, make_token, mastodon, scopes, code):
    client = mastodon.as_token(make_token(alice, scopes=scopes))
    assert client.post("/api/v1/tags/fox/feature").status_code == code
    assert client.post("/api/v1/featured_tags", {"name": "dog"},
                       format="json").status_code == code


@pytest.mark.parametrize("scopes,code", [("read", 200), ("read:accounts", 200),
                                         ("read:follows", 403), ("write", 403)])
def test_featured_lists_take_read_accounts(alice, make_token, mastodon, scopes, code):
    client = mastodon.as_token(make_token(alice, scopes=scopes))
    assert client.get("/api/v1/featured_tags").status_code == code
    assert client.get("/api/v1/featured_tags/suggestions").status_code == code


def test_suggestions_are_the_most_used_tags_not_yet_featured(alice, bob, alice_client):
    for text in ("#a #b", "#b #c", "#b", "#c", "#d"):
        post(alice, text)
    post(bob, "#z #z2 #z3")
    alice_client.post("/api/v1/featured_tags", {"name": "d"}, format="json")
    response = alice_client.get("/api/v1/featured_tags/suggestions")
    assert response.status_code == 200
    body = response.json()
    assert [t["name"] for t in body] == ["b", "c", "a"]
    assert all(list(t) == TAG_KEYS for t in body)


def test_an_accounts_featured_tags_are_public(alice, bob, mastodon, alice_client):
    post(alice, "#fox")
    alice_client.post("/api/v1/featured_tags", {"name": "fox"}, format="json")
    alice_client.post("/api/v1/featured_tags", {"name": "dog"}, format="json")
    response = mastodon.get(f"/api/v1/accounts/{alice.pk}/featured_tags")
    assert response.status_code == 200
    body = response.json()
    assert [(t["name"], t["statuses_count"]) for t in body] == [("fox", "1"), ("dog", "0")]
    assert all(list(t) == FEATURED_KEYS for t in body)
    assert mastodon.get(f"/api/v1/accounts/{bob.pk}/featured_tags").json() == []
    for bad in ("999999", "abc"):
        response = mastodon.get(f"/api/v1/accounts/{bad}/featured_tags")
        assert response.status_code == 404 and response.json() == {"error": "Record not found"}


# --- constant queries ------------------------------------------------------------------------

def _count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()


def test_followed_tags_read_a_constant_number_of_statements(alice, alice_client):
    counts = []
    for size in (1, 20):
        TagFollow.objects.all().delete()
        for i in range(size):
            name = f"s{size}t{i}"
            post(AccountFactory(), f"#{name}")
            TagFollow.objects.create(account=alice, hashtag=Hashtag.objects.get(name=name))
        count, body = _count(alice_client, "/api/v1/followed_tags")
        assert len(body) == size and all(t["history"][0]["uses"] == "1" for t in body)
        counts.append(count)
    # The token, the page of follows with their tags, the histories (one grouped query), and
    # the viewer's follows and features of the page's tags.
    assert counts == [5, 5]


def test_featured_tags_read_a_constant_number_of_statements(alice, alice_client, mastodon):
    counts, public_counts, suggestion_counts = [], [], []
    for size in (1, 10):
        FeaturedTag.objects.all().delete()
        for i in range(size):
            post(alice, f"#f{size}x{i} #g{size}x{i}")
            alice_client.post("/api/v1/featured_tags", {"name": f"f{size}x{i}"}, format="json")
        count, body = _count(alice_client, "/api/v1/featured_tags")
        assert len(body) == size
        counts.append(count)
        count, body = _count(mastodon, f"/api/v1/accounts/{alice.pk}/featured_tags")
        assert len(body) == size
        public_counts.append(count)
        count, body = _count(alice_client, "/api/v1/featured_tags/suggestions")
        assert len(body) == size
        suggestion_counts.append(count)
    # The token, the featured rows with their tags, their counts (one grouped query).
    assert counts == [3, 3]
    assert public_counts == [4, 4]
    # The token, the most used tags, those tags, histories, follows and features.
    assert suggestion_counts == [6, 6]


def test_home_with_followed_tags_reads_a_constant_number_of_statements(alice, alice_client):
    alice_client.post("/api/v1/tags/fox/follow")
    counts = []
    for size in (1, 20):
        Status.objects.all().delete()
        for _ in range(size):
            post(AccountFactory(), "#fox")
        count, body = _count(alice_client, "/api/v1/timelines/home")
        assert len(body) == size
        counts.append(count)
    assert counts == [5, 5]

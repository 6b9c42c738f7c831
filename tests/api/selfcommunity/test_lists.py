"""SelfCommunity's status lists: search, uncommented, following, suspended, contributors,
shares, shares_users, related, and the feeds: contents, visibility, hides, paging, shapes and
query counts."""

import pytest
from django.db import connection

from accounts.models import Block
from categories.models import TagType
from statuses.models import Status
from tests.api.selfcommunity.test_statuses import STATUS_KEYS, USER_KEYS, post, share
from tests.factories import CategoryFactory, FollowFactory, TagFactory

PAGE_KEYS = {"count", "next", "previous", "results"}


def new(client, text="hello", **fields) -> int:
    response = post(client, text=f"<p>{text}</p>", **fields)
    assert response.status_code == 201, response.content
    return response.json()["id"]


def toot(client, text, **fields) -> int:
    """A status through the Mastodon face (private, direct, replies)."""
    response = client.post("/api/v1/statuses", {"status": text, **fields}, format="json")
    assert response.status_code == 200, response.content
    return int(response.json()["id"])


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == PAGE_KEYS
    return [item["id"] for item in body["results"]]


def wrapped_ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["status"]["id"] for item in response.json()["results"]]


@pytest.fixture
def hidden_world(sc, bob_sc, alice, bob, carol):
    """Statuses of alice that bob may not see, each with a marker text: private (bob does not
    follow alice), direct, addressed to a tag bob does not hold, collapsed, deleted."""
    members = TagFactory(type=TagType.USER, name="members")
    members.holders.add(carol)
    texts = {}
    texts["private"] = toot(sc, "zqprivateqz findme", visibility="private")
    texts["direct"] = toot(sc, "zqdirectqz findme @carol", visibility="direct")
    texts["addressed"] = new(sc, "zqaddressedqz findme", addressing=[members.pk])
    texts["collapsed"] = new(sc, "zqcollapsedqz findme")
    Status.objects.filter(pk=texts["collapsed"]).update(collapsed=True)
    texts["deleted"] = new(sc, "zqdeletedqz findme")
    assert sc.delete(f"/api/v2/status/{texts['deleted']}/").status_code == 204
    return texts


def assert_no_marker(response):
    for kind in ("private", "direct", "addressed", "collapsed", "deleted"):
        assert f"zq{kind}qz" not in response.content.decode()


# --- search ---------------------------------------------------------------------------------


def test_search_finds_a_word_newest_first_with_matches(sc, bob_sc, anon, bob):
    first = new(sc, "The Quick brown fox")
    new(sc, "nothing here")
    second = new(bob_sc, "a quick <b>reply</b> &amp; more")
    response = anon.get("/api/v2/status/search/?search=quick")
    assert ids(response) == [second, first]
    item = response.json()["results"][0]
    assert set(item) == STATUS_KEYS | {"matches"}
    assert item["matches"] == [{
        "object": {"id": second, "type": "status", "added_at": item["added_at"],
                   "html": "a <b>quick</b> reply &amp; more"},
        "author": item["author"],
    }]
    assert set(item["matches"][0]["author"]) == USER_KEYS
    assert response.json()["results"][1]["matches"][0]["object"]["html"] == (
        "The <b>Quick</b> brown fox")


def test_search_needs_every_word(sc):
    both = new(sc, "apples and pears")
    new(sc, "apples only")
    assert ids(sc.get("/api/v2/status/search/?search=pears apples")) == [both]


def test_search_without_a_term_lists_every_status_newest_first(sc, anon):
    made = [new(sc, f"status {i}") for i in range(3)]
    for query in ("", "?search="):
        response = anon.get("/api/v2/status/search/" + query)
        assert ids(response) == made[::-1]
        assert all(item["matches"] == [] for item in response.json()["results"])


def test_search_never_shows_what_the_viewer_may_not_see(sc, bob_sc, anon, hidden_world):
    visible = new(sc, "public findme")
    for client in (bob_sc, anon):
        response = client.get("/api/v2/status/search/?search=findme&limit=100")
        assert ids(response) == [visible]
        assert_no_marker(response)
    # The author sees their own private, addressed and collapsed statuses (never direct ones
    # or deleted ones in SelfCommunity lists).
    assert set(ids(sc.get("/api/v2/status/search/?search=findme"))) == {
        visible, hidden_world["private"], hidden_world["addressed"], hidden_world["collapsed"]}


def test_search_leaves_out_hidden_statuses_and_comments(sc, bob_sc):
    hidden = new(sc, "findme hidden")
    kept = new(sc, "findme kept")
    toot(bob_sc, "findme zqcommentqz", in_reply_to_id=kept)
    assert bob_sc.post(f"/api/v2/status/{hidden}/hide/").status_code == 204
    response = bob_sc.get("/api/v2/status/search/?search=findme")
    assert ids(response) == [kept]
    assert "zqcommentqz" not in response.content.decode()
    assert ids(sc.get("/api/v2/status/search/?search=findme")) == [kept, hidden]


@pytest.mark.parametrize("search", [
    "%", "_", "'", "\\", "&|!:*()", "a%b_c'd\\e", "fox & !(dog)", "fox:*", "'; DROP TABLE x; --",
    "x" * 10000, "fox " * 2500, "<b>fox</b>", "ünïcödé", "\"fox\"", "-fox",
])
def test_search_with_odd_input_is_a_clean_answer(sc, search):
    new(sc, "a fox")
    response = sc.get("/api/v2/status/search/", {"search": search})
    assert response.status_code == 200, response.content
    assert set(response.json()) == PAGE_KEYS


@pytest.mark.parametrize("search", ["fox\x00dog", "\x00", "fox\x00"])
def test_search_with_a_nul_is_a_400_naming_the_field(sc, search):
    new(sc, "a fox")
    response = sc.get("/api/v2/status/search/", {"search": search})
    assert response.status_code == 400
    assert response.json() == {"errors": [{"field": "search", "messages": [
        {"code": "null_characters_not_allowed", "message": "Null characters are not allowed."}]}]}


def test_search_with_metacharacters_around_a_word_finds_it(sc):
    fox = new(sc, "a fox")
    assert ids(sc.get("/api/v2/status/search/", {"search": "%fox'"})) == [fox]
    assert ids(sc.get("/api/v2/status/search/", {"search": "%_"})) == []


def test_search_uses_the_gin_index_on_postgresql(sc):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    from statuses.selectors.lists import _text_matches

    queryset = Status.objects.filter(_text_matches(["fox"]))
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = queryset.explain()
        cursor.execute("SET enable_seqscan = on")
    assert "status_text_search" in plan


def test_search_pages(sc):
    made = [new(sc, f"fox {i}") for i in range(5)]
    response = sc.get("/api/v2/status/search/?search=fox&limit=2&offset=2")
    assert ids(response) == [made[2], made[1]]
    body = response.json()
    assert body["count"] == 5
    assert body["next"].endswith("?search=fox&limit=2&offset=4")
    assert body["previous"].endswith("?search=fox&limit=2")


# --- uncommented ----------------------------------------------------------------------------


def test_uncommented_lists_statuses_without_comments(sc, bob_sc, hidden_world):
    commented = new(sc, "commented")
    lonely = new(bob_sc, "lonely")
    toot(bob_sc, "zqcommentqz", in_reply_to_id=commented)
    response = bob_sc.get("/api/v2/status/uncommented/")
    assert ids(response) == [lonely]
    assert response.json()["results"][0]["comment_count"] == 0
    assert_no_marker(response)
    assert "zqcommentqz" not in response.content.decode()


def test_uncommented_needs_a_user(anon):
    assert anon.get("/api/v2/status/uncommented/").status_code == 401


# --- following and suspended ----------------------------------------------------------------


@pytest.mark.parametrize(("route", "toggle"), [("following", "follow"),
                                               ("suspended", "suspend")])
def test_marked_lists_are_wrapped_newest_mark_first(sc, bob_sc, route, toggle):
    first, second, unmarked = new(sc, "one"), new(sc, "two"), new(sc, "three")
    for status_id in (second, first):
        assert bob_sc.post(f"/api/v2/status/{status_id}/{toggle}/").status_code == 204
    response = bob_sc.get(f"/api/v2/status/{route}/")
    assert wrapped_ids(response) == [first, second]
    item = response.json()["results"][0]
    assert set(item) == {"status", "added_at"}
    assert set(item["status"]) == STATUS_KEYS
    assert isinstance(item["added_at"], str)
    assert unmarked not in wrapped_ids(response)
    assert wrapped_ids(sc.get(f"/api/v2/status/{route}/")) == []


def test_following_leaves_out_statuses_gone_from_sight(sc, bob_sc, alice, bob):
    kept = new(sc, "kept")
    gone = new(sc, "zqcollapsedqz")
    deleted = new(sc, "zqdeletedqz")
    for status_id in (kept, gone, deleted):
        assert bob_sc.post(f"/api/v2/status/{status_id}/follow/").status_code == 204
    Status.objects.filter(pk=gone).update(collapsed=True)
    assert sc.delete(f"/api/v2/status/{deleted}/").status_code == 204
    response = bob_sc.get("/api/v2/status/following/")
    assert wrapped_ids(response) == [kept]
    assert response.json()["count"] == 1
    assert_no_marker(response)


def test_the_top_level_following_list_is_not_a_status_check(sc):
    status_id = new(sc)
    assert sc.get(f"/api/v2/status/{status_id}/following/").json() == {"following": False}
    assert set(sc.get("/api/v2/status/following/").json()) == PAGE_KEYS


@pytest.mark.parametrize("route", ["following", "suspended"])
def test_marked_lists_need_a_user(anon, route):
    assert anon.get(f"/api/v2/status/{route}/").status_code == 401


# --- contributors ---------------------------------------------------------------------------


def test_contributors_are_commenters_most_recent_first_each_once(sc, bob_sc, carol_sc, anon,
                                                                 alice, bob, carol):
    status_id = new(sc, "topic")
    first = toot(bob_sc, "first", in_reply_to_id=status_id)
    toot(carol_sc, "second", in_reply_to_id=first)  # a comment on a comment counts
    toot(bob_sc, "third", in_reply_to_id=status_id)
    response = anon.get(f"/api/v2/status/{status_id}/contributors/")
    assert ids(response) == [bob.pk, carol.pk]
    assert set(response.json()["results"][0]) == USER_KEYS
    assert response.json()["count"] == 2


def test_contributors_count_only_comments_the_viewer_may_see(sc, bob_sc, carol_sc, anon, bob,
                                                             carol):
    status_id = new(sc, "topic")
    toot(carol_sc, "only for followers", in_reply_to_id=status_id, visibility="private")
    toot(bob_sc, "public", in_reply_to_id=status_id)
    assert ids(anon.get(f"/api/v2/status/{status_id}/contributors/")) == [bob.pk]
    FollowFactory(account=bob, target=carol)
    assert ids(bob_sc.get(f"/api/v2/status/{status_id}/contributors/")) == [bob.pk, carol.pk]


def test_per_status_lists_are_404_for_a_status_out_of_sight(bob_sc, anon, hidden_world):
    for kind, status_id in hidden_world.items():
        for route in ("contributors", "shares", "shares_users", "related"):
            for client in (bob_sc, anon):
                response = client.get(f"/api/v2/status/{status_id}/{route}/")
                assert response.status_code == 404, (kind, route)
                assert response.json()["errors"][0]["code"] == "not_found"


# --- shares and their authors ---------------------------------------------------------------


def test_shares_and_their_authors(sc, bob_sc, carol_sc, anon, alice, bob, carol):
    shared = new(sc, "worth sharing")
    by_bob = new(bob_sc, "look", medias=[share(bob_sc, shared)])
    by_carol = new(carol_sc, "look too", medias=[share(carol_sc, shared)])
    again = new(bob_sc, "once more", medias=[share(bob_sc, shared)])
    new(bob_sc, "unrelated")
    response = anon.get(f"/api/v2/status/{shared}/shares/")
    assert ids(response) == [again, by_carol, by_bob]
    assert set(response.json()["results"][0]) == STATUS_KEYS
    users = anon.get(f"/api/v2/status/{shared}/shares_users/")
    assert ids(users) == [bob.pk, carol.pk]
    assert users.json()["count"] == 2
    assert set(users.json()["results"][0]) == USER_KEYS


def test_shares_leave_out_what_the_viewer_may_not_see(sc, bob_sc, carol_sc, anon, carol):
    shared = new(sc, "worth sharing")
    collapsed = new(carol_sc, "zqcollapsedqz", medias=[share(carol_sc, shared)])
    Status.objects.filter(pk=collapsed).update(collapsed=True)
    hidden = new(carol_sc, "hidden by bob", medias=[share(carol_sc, shared)])
    assert bob_sc.post(f"/api/v2/status/{hidden}/hide/").status_code == 204
    response = bob_sc.get(f"/api/v2/status/{shared}/shares/")
    assert ids(response) == []
    assert_no_marker(response)
    assert ids(anon.get(f"/api/v2/status/{shared}/shares/")) == [hidden]
    assert ids(anon.get(f"/api/v2/status/{shared}/shares_users/")) == [carol.pk]


# --- related --------------------------------------------------------------------------------


def test_related_shares_a_category_newest_first(sc, bob_sc, anon, hidden_world):
    sport, music, other = CategoryFactory(), CategoryFactory(), CategoryFactory()
    status_id = new(sc, "me", categories=[sport.pk, music.pk])
    a = new(bob_sc, "sport", categories=[sport.pk])
    new(bob_sc, "other", categories=[other.pk])
    b = new(sc, "both", categories=[music.pk, sport.pk])
    hidden = new(sc, "zqcollapsedqz", categories=[sport.pk])
    Status.objects.filter(pk=hidden).update(collapsed=True)
    response = anon.get(f"/api/v2/status/{status_id}/related/")
    assert ids(response) == [b, a]
    assert_no_marker(response)
    assert ids(sc.get(f"/api/v2/status/{status_id}/related/")) == [hidden, b, a]


def test_related_of_a_status_without_categories_is_empty(sc, anon):
    status_id = new(sc, "me")
    new(sc, "another")
    assert ids(anon.get(f"/api/v2/status/{status_id}/related/")) == []


# --- feeds ----------------------------------------------------------------------------------


FEED_KEYS = {"type", "status", "seen", "seen_by_id", "has_boost"}


def test_home_feed_holds_own_followed_accounts_and_followed_statuses(
        sc, bob_sc, carol_sc, alice, bob, carol, hidden_world):
    FollowFactory(account=bob, target=carol)
    from_carol = new(carol_sc, "carol")
    own = new(bob_sc, "mine")
    followed = new(sc, "followed status")
    new(sc, "not followed")
    assert bob_sc.post(f"/api/v2/status/{followed}/follow/").status_code == 204
    toot(carol_sc, "zqcommentqz", in_reply_to_id=own)
    response = bob_sc.get("/api/v2/feed/")
    assert wrapped_ids(response) == [followed, own, from_carol]
    item = response.json()["results"][0]
    assert set(item) == FEED_KEYS
    assert item["type"] == "status" and item["seen_by_id"] == [] and item["has_boost"] is False
    assert item["seen"] is False
    assert set(item["status"]) == STATUS_KEYS
    assert "zqcommentqz" not in response.content.decode()
    assert_no_marker(response)


def test_home_feed_leaves_out_hidden_statuses_and_blocked_accounts(sc, bob_sc, carol_sc,
                                                                   bob, carol):
    FollowFactory(account=bob, target=carol)
    hidden = new(carol_sc, "hidden")
    kept = new(carol_sc, "kept")
    assert bob_sc.post(f"/api/v2/status/{hidden}/hide/").status_code == 204
    assert wrapped_ids(bob_sc.get("/api/v2/feed/")) == [kept]
    Block.objects.create(account=bob, target=carol)
    assert wrapped_ids(bob_sc.get("/api/v2/feed/")) == []


def test_home_feed_needs_a_user(anon):
    assert anon.get("/api/v2/feed/").status_code == 401


def test_explore_feed_holds_public_statuses(sc, bob_sc, anon, hidden_world):
    a = new(sc, "public one")
    unlisted = toot(sc, "unlisted one", visibility="unlisted")
    b = new(bob_sc, "public two")
    for client in (anon, bob_sc):
        response = client.get("/api/v2/feed/explore/")
        assert wrapped_ids(response) == [b, a]
        assert_no_marker(response)
    assert unlisted not in wrapped_ids(sc.get("/api/v2/feed/explore/"))


def test_feed_pages(sc):
    made = [new(sc, f"s {i}") for i in range(3)]
    response = sc.get("/api/v2/feed/?limit=2")
    assert wrapped_ids(response) == [made[2], made[1]]
    assert response.json()["count"] == 3
    assert response.json()["next"].endswith("/api/v2/feed/?limit=2&offset=2")
    assert wrapped_ids(sc.get("/api/v2/feed/?limit=2&offset=2")) == [made[0]]


# --- query counts ---------------------------------------------------------------------------
# A page of statuses (each with a picture-less share and a category): token, count, page ids,
# statuses, authors, apps, media, the shared statuses the viewer may see, categories, their
# parents, tags, the viewer's follows/suspensions/votes; a per-status list reads its status
# first. User lists: token, the status, count, page, accounts.

STATUS_LIST_QUERIES = 12


def _world_of(sc, bob_sc, size):
    """`size` statuses of bob sharing `topic`, in its category, followed and suspended by
    alice."""
    category = CategoryFactory()
    topic = new(sc, "topic fox", categories=[category.pk])
    made = []
    for i in range(size):
        status_id = new(bob_sc, f"fox {i}", categories=[category.pk],
                        medias=[share(bob_sc, topic)])
        made.append(status_id)
        for toggle in ("follow", "suspend"):
            assert sc.post(f"/api/v2/status/{status_id}/{toggle}/").status_code == 204
    return topic, made


@pytest.mark.parametrize("size", [1, 20])
@pytest.mark.parametrize(("path", "queries", "count_of"), [
    ("/api/v2/status/search/?search=fox", STATUS_LIST_QUERIES, "all"),
    ("/api/v2/status/search/", STATUS_LIST_QUERIES, "all"),
    ("/api/v2/status/uncommented/", STATUS_LIST_QUERIES, "all"),
    ("/api/v2/status/following/", STATUS_LIST_QUERIES, "made"),
    ("/api/v2/status/suspended/", STATUS_LIST_QUERIES, "made"),
    ("/api/v2/status/{topic}/shares/", STATUS_LIST_QUERIES + 1, "made"),
    ("/api/v2/status/{topic}/related/", STATUS_LIST_QUERIES + 1, "made"),
    # The feeds read which items the viewer has seen (one statement).
    ("/api/v2/feed/", STATUS_LIST_QUERIES + 1, "all"),
    ("/api/v2/feed/explore/", STATUS_LIST_QUERIES + 1, "all"),
])
def test_status_list_query_count_is_constant(sc, bob_sc, alice, bob, size, path, queries,
                                             count_of, django_assert_num_queries):
    topic, made = _world_of(sc, bob_sc, size)
    FollowFactory(account=alice, target=bob)
    expected = size + 1 if count_of == "all" else size
    with django_assert_num_queries(queries):
        response = sc.get(path.format(topic=topic) + ("&" if "?" in path else "?") + "limit=30")
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == expected


@pytest.mark.parametrize("size", [1, 20])
@pytest.mark.parametrize("route", ["contributors", "shares_users"])
def test_user_list_query_count_is_constant(sc, bob_sc, sc_client, size, route,
                                           django_assert_num_queries):
    from tests.factories import AccountFactory

    topic = new(sc, "topic")
    for i in range(size):
        client = sc_client(AccountFactory())
        if route == "contributors":
            toot(client, f"comment {i}", in_reply_to_id=topic)
        else:
            new(client, "share", medias=[share(client, topic)])
    with django_assert_num_queries(5):
        response = sc.get(f"/api/v2/status/{topic}/{route}/?limit=30")
    assert len(response.json()["results"]) == size


# --- counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["/api/v2/status/", "/api/v2/status/search/"])
def test_count_stops_at_the_cap_and_next_stays_right(sc, settings, route):
    settings.SC_LIST_COUNT_CAP = 5
    for i in range(8):
        assert post(sc, text=f"word number {i}").status_code == 201
    query = "&search=word" if "search" in route else ""

    def page(offset):
        response = sc.get(f"{route}?limit=2&offset={offset}{query}")
        assert response.status_code == 200
        return response.json()

    first = page(0)
    # Exact up to the cap, a lower bound past it.
    assert first["count"] == 5 and first["next"] is not None and first["previous"] is None
    # Deeper than the cap, the count reaches one past the page, so `next` is still there...
    deeper = page(4)
    assert deeper["count"] == 7 and deeper["next"] is not None
    assert [r["summary"] for r in deeper["results"]] == ["word number 3", "word number 2"]
    # ...until the last page, where it is exact again.
    last = page(6)
    assert last["count"] == 8 and last["next"] is None and len(last["results"]) == 2
    settings.SC_LIST_COUNT_CAP = 100
    assert page(0)["count"] == 8

"""GET /api/v2/search, GET /api/v1/accounts/search and GET /api/v1/accounts/lookup: Mastodon
4.5's parameters and errors, its query operators, what each searcher may find (their library, or
the public statuses of indexable accounts, never what the visibility rule hides), hostile
queries, and a constant number of queries."""

import unicodedata
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Account
from statuses.models import Status
from statuses.services import status_bookmark, status_create, status_favourite
from tests.factories import AccountFactory, BlockFactory, FollowFactory

SEARCH_KEYS = {"accounts", "statuses", "hashtags"}


def post(account, text, **fields):
    return status_create(account=account, text=text, **fields)


def found(client, q, **params):
    response = client.get("/api/v2/search", {"q": q, "type": "statuses", **params})
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == SEARCH_KEYS
    return [s["id"] for s in body["statuses"]]


@pytest.fixture
def indexable(db):
    """An account whose public statuses anyone signed in may find (Mastodon's `indexable`)."""
    return AccountFactory(username="dora", display_name="Dora", indexable=True)


# --- errors and parameters --------------------------------------------------------------------

@pytest.mark.parametrize("query", ["", "?q=", "?q=%20%20"])
def test_missing_q_is_400(alice_client, query):
    response = alice_client.get("/api/v2/search" + query)
    assert response.status_code == 400
    assert response.json() == {"error": "param is missing or the value is empty: q"}


def test_anonymous_pagination_and_resolve_are_401(anon):
    response = anon.get("/api/v2/search", {"q": "x", "offset": "1"})
    assert response.status_code == 401
    assert response.json() == {
        "error": "Search queries pagination is not supported without authentication"}
    response = anon.get("/api/v2/search", {"q": "x", "resolve": "true"})
    assert response.status_code == 401
    assert response.json() == {"error": "Search queries that resolve remote resources are not "
                                        "supported without authentication"}
    assert anon.get("/api/v2/search", {"q": "x", "resolve": "false"}).status_code == 200


@pytest.mark.parametrize("params", [{"limit": "-1"}, {"offset": "-3", "type": "accounts"}])
def test_negative_pagination_is_400(alice_client, params):
    response = alice_client.get("/api/v2/search", {"q": "x", **params})
    assert response.status_code == 400
    assert response.json() == {
        "error": "Pagination values for `offset` and `limit` must be positive"}


def test_write_only_token_is_403(mastodon, make_token, alice):
    response = mastodon.as_token(make_token(alice, "write")).get("/api/v2/search?q=x")
    assert response.status_code == 403
    assert response.json() == {"error": "This action is outside the authorized scopes"}


def test_read_search_scope_is_enough(mastodon, make_token, alice):
    response = mastodon.as_token(make_token(alice, "read:search")).get("/api/v2/search?q=x")
    assert response.status_code == 200


def test_anonymous_finds_accounts_and_hashtags_but_no_statuses(anon, alice, indexable):
    post(indexable, "alice likes #gardening")
    body = anon.get("/api/v2/search", {"q": "alice"}).json()
    assert [a["username"] for a in body["accounts"]] == ["alice"]
    assert body["statuses"] == []
    body = anon.get("/api/v2/search", {"q": "#garden"}).json()
    assert [t["name"] for t in body["hashtags"]] == ["gardening"]
    assert "following" not in body["hashtags"][0]


# --- statuses: who finds what -----------------------------------------------------------------

def test_own_statuses_are_found_newest_first(alice, alice_client):
    first = post(alice, "the quick brown fox")
    second = post(alice, "a fox again")
    post(alice, "nothing here")
    assert found(alice_client, "fox") == [str(second.pk), str(first.pk)]
    assert found(alice_client, "FOX quick") == [str(first.pk)]


def test_library_holds_mentions_favourites_bookmarks(alice, bob, carol, client_for):
    mention = post(bob, "@alice orchid news")
    favourite = post(bob, "orchid photo")
    bookmark = post(carol, "orchid care")
    post(carol, "orchid secret")  # public, not indexable, not in alice's library
    status_favourite(account=alice, status_id=favourite.pk)
    status_bookmark(account=alice, status_id=bookmark.pk)
    client = client_for(alice)
    assert found(client, "orchid") == [str(bookmark.pk), str(favourite.pk), str(mention.pk)]
    assert found(client, "orchid in:library") == found(client, "orchid")
    assert found(client, "orchid in:public") == []


def test_public_statuses_of_indexable_accounts(alice_client, indexable, bob):
    public = post(indexable, "tulip field")
    post(indexable, "tulip hidden", visibility="unlisted")
    post(bob, "tulip of a non-indexable account")
    assert found(alice_client, "tulip") == [str(public.pk)]
    assert found(alice_client, "tulip in:public") == [str(public.pk)]
    assert found(alice_client, "tulip in:library") == []


@pytest.mark.parametrize("visibility", ["private", "direct"])
def test_a_hidden_status_is_never_found_by_who_may_not_see_it(
        alice, bob, carol, client_for, visibility):
    """Even in bob's library (he favourited it while he could see it, then was unfollowed),
    and even when the author is indexable."""
    Account.objects.filter(pk=alice.pk).update(indexable=True)
    FollowFactory(account=bob, target=alice)
    secret = post(alice, "@carol zebra secret", visibility=visibility)
    assert found(client_for(alice), "zebra") == [str(secret.pk)]
    assert found(client_for(carol), "zebra") == [str(secret.pk)]  # mentioned
    if visibility == "private":
        status_favourite(account=bob, status_id=secret.pk)
        assert found(client_for(bob), "zebra") == [str(secret.pk)]
        from accounts.models import Follow
        Follow.objects.filter(account=bob, target=alice).delete()
    assert found(client_for(bob), "zebra") == []
    assert found(client_for(AccountFactory()), "zebra in:all") == []


def test_blocked_and_deleted_are_not_found(alice, bob, client_for, indexable):
    status = post(indexable, "walrus")
    gone = post(bob, "walrus gone")
    status_favourite(account=alice, status_id=gone.pk)
    Status.objects.filter(pk=gone.pk).update(deleted_at=timezone.now())
    assert found(client_for(alice), "walrus") == [str(status.pk)]
    BlockFactory(account=alice, target=indexable)
    assert found(client_for(alice), "walrus") == []


# --- operators ----------------------------------------------------------------------------------

def test_operators(alice, bob, alice_client, indexable):
    mine = post(alice, "heron one", language="en")
    reply = post(alice, "heron reply", in_reply_to_id=mine.pk, in_reply_to_given=True,
                 language="fr")
    sensitive = post(alice, "heron careful", sensitive=True, spoiler_text="cw", language="en")
    theirs = post(indexable, "heron by dora https://example.com/page", language="en")
    ids = lambda *statuses: [str(s.pk) for s in statuses]  # noqa: E731
    assert found(alice_client, "heron from:me") == ids(sensitive, reply, mine)
    assert found(alice_client, "heron -from:me") == ids(theirs)
    assert found(alice_client, "heron from:dora") == ids(theirs)
    assert found(alice_client, "heron from:@dora@social.example") == ids(theirs)
    assert found(alice_client, "heron from:nobody") == []
    assert found(alice_client, "heron is:reply") == ids(reply)
    assert found(alice_client, "heron -is:reply") == ids(theirs, sensitive, mine)
    assert found(alice_client, "heron is:sensitive") == ids(sensitive)
    assert found(alice_client, "heron has:link") == ids(theirs)
    assert found(alice_client, "heron has:poll") == []
    assert found(alice_client, "heron has:media") == []
    assert found(alice_client, "heron has:nonsense") == []
    assert found(alice_client, "heron language:fr") == ids(reply)
    assert found(alice_client, "heron -reply") == ids(theirs, sensitive, mine)
    assert found(alice_client, '"heron reply"') == ids(reply)
    assert found(alice_client, '"reply heron"') == []
    assert found(alice_client, 'heron -"by dora"') == ids(sensitive, reply, mine)
    assert found(alice_client, "from:me") == ids(sensitive, reply, mine)


def test_date_operators(alice, alice_client):
    old = post(alice, "ibis old")
    Status.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    new = post(alice, "ibis new")
    day = (timezone.localdate() - timedelta(days=10)).isoformat()
    assert found(alice_client, f"ibis during:{day}") == [str(old.pk)]
    assert found(alice_client, f"ibis before:{timezone.localdate().isoformat()}") == [str(old.pk)]
    assert found(alice_client, f"ibis after:{day}") == [str(new.pk)]
    assert found(alice_client, "ibis before:notadate") == []


def test_paging_account_id_and_cursors(alice, alice_client, indexable):
    statuses = [post(alice, f"stork {n}") for n in range(5)]
    theirs = post(indexable, "stork too")
    ids = [str(s.pk) for s in reversed(statuses)]
    assert found(alice_client, "stork", limit="2", offset="1") == [ids[0], ids[1]]
    assert found(alice_client, "stork", account_id=str(alice.pk)) == ids
    assert found(alice_client, "stork", account_id=str(indexable.pk)) == [str(theirs.pk)]
    assert found(alice_client, "stork", max_id=ids[1]) == ids[2:]
    assert found(alice_client, "stork", min_id=ids[1], account_id=str(alice.pk)) == ids[:1]
    # Without `type`, `offset` is ignored (Mastodon pages one type at a time).
    body = alice_client.get("/api/v2/search", {"q": "stork", "offset": "3"}).json()
    assert len(body["statuses"]) == 6


def test_statuses_render_as_mastodon_statuses(alice, alice_client):
    post(alice, "pelican #birds")
    body = alice_client.get("/api/v2/search", {"q": "pelican"}).json()
    status = body["statuses"][0]
    assert status["account"]["username"] == "alice"
    assert status["favourited"] is False
    assert "pelican" in status["content"]


def test_resolve_a_url_of_our_own(alice, bob, alice_client, settings):
    status = post(bob, "resolvable")
    private = post(bob, "hidden", visibility="private")
    base = f"{settings.INSTANCE_SCHEME}://{settings.INSTANCE_DOMAIN}"
    body = alice_client.get("/api/v2/search", {"q": f"{base}/@bob/{status.pk}",
                                               "resolve": "true"}).json()
    assert [s["id"] for s in body["statuses"]] == [str(status.pk)]
    assert body["accounts"] == [] and body["hashtags"] == []
    body = alice_client.get("/api/v2/search", {"q": f"{base}/@bob/{private.pk}",
                                               "resolve": "true"}).json()
    assert body == {"accounts": [], "statuses": [], "hashtags": []}
    body = alice_client.get("/api/v2/search", {"q": f"{base}/@bob", "resolve": "true"}).json()
    assert [a["username"] for a in body["accounts"]] == ["bob"]
    body = alice_client.get("/api/v2/search", {"q": "https://elsewhere.example/@bob",
                                               "resolve": "true"}).json()
    assert body == {"accounts": [], "statuses": [], "hashtags": []}


# --- accounts and hashtags ------------------------------------------------------------------------

def test_accounts_by_username_and_display_name(alice_client, bob, carol):
    AccountFactory(username="roberta", display_name="Bobby Tables")
    body = alice_client.get("/api/v2/search", {"q": "bob", "type": "accounts"}).json()
    assert [a["username"] for a in body["accounts"]] == ["bob", "roberta"]
    assert body["statuses"] == [] and body["hashtags"] == []
    body = alice_client.get("/api/v2/search", {"q": "@bob@social.example", "type": "accounts"}).json()
    assert [a["username"] for a in body["accounts"]] == ["bob", "roberta"]
    body = alice_client.get("/api/v2/search", {"q": "bob@elsewhere.example"}).json()
    assert body["accounts"] == []


def test_accounts_following(alice, bob, client_for):
    AccountFactory(username="bobcat")
    FollowFactory(account=alice, target=bob)
    body = client_for(alice).get("/api/v2/search", {"q": "bob", "type": "accounts",
                                                    "following": "true"}).json()
    assert [a["username"] for a in body["accounts"]] == ["bob"]


def test_hashtags_with_history(alice, alice_client):
    post(alice, "#Gardening is #garden work")
    post(alice, "more #gardening")
    body = alice_client.get("/api/v2/search", {"q": "#GARDEN", "type": "hashtags"}).json()
    assert [t["name"] for t in body["hashtags"]] == ["gardening", "garden"]
    tag = body["hashtags"][0]
    assert set(tag) == {"id", "name", "url", "history", "following"}
    assert tag["url"].endswith("/tags/gardening")
    assert tag["following"] is False
    assert len(tag["history"]) == 7
    assert tag["history"][0]["uses"] == "2" and tag["history"][0]["accounts"] == "1"
    assert all(set(day) == {"day", "uses", "accounts"} for day in tag["history"])
    assert alice_client.get("/api/v2/search", {"q": "@garden"}).json()["hashtags"] == []


def test_v1_accounts_search(alice_client, anon, bob):
    response = alice_client.get("/api/v1/accounts/search", {"q": "bo"})
    assert response.status_code == 200
    assert [a["username"] for a in response.json()] == ["bob"]
    assert alice_client.get("/api/v1/accounts/search").json() == []
    assert alice_client.get("/api/v1/accounts/search", {"q": "bo", "offset": "1"}).json() == []
    response = anon.get("/api/v1/accounts/search", {"q": "bo"})
    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}


def test_v1_accounts_lookup(anon, bob):
    for acct in ("bob", "@bob", "BOB", "bob@social.example"):
        response = anon.get("/api/v1/accounts/lookup", {"acct": acct})
        assert response.status_code == 200, acct
        assert response.json()["id"] == str(bob.pk)
    for acct in ("nobody", "bob@elsewhere.example", ""):
        response = anon.get("/api/v1/accounts/lookup", {"acct": acct})
        assert response.status_code == 404
        assert response.json() == {"error": "Record not found"}


# --- hostile queries ------------------------------------------------------------------------------

def _every_category() -> str:
    seen: dict[str, str] = {}
    for code in range(0x20, 0x30000):
        char = chr(code)
        category = unicodedata.category(char)
        if category not in seen and category not in ("Cs",):
            seen[category] = char
    return "".join(seen.values())


HOSTILE = [
    "from: has: is: in: language: before: after: during:",
    "from:me from:me -from:me in:nowhere has:",
    '"unbalanced quote',
    '"""',
    "-", "- - -", "-\"\"", "#", "@", "@@@", "##", "\\", "%", "_", "'; DROP TABLE x; --",
    "a & b | !c <-> d:*",
    "x" * 10_000,
    "word " * 2_000,
    _every_category(),
    "before:9999-99-99 after:0000-00-00 during:2020-02-30",
    "language:" + "x" * 500,
    "https://",
    "http://testserver/@",
    "-___ -_ word -foo_bar -\u01c5 -9", '"___ ___"', '-"a_b c"', "-a:b:c", "word -word",
    "-" + "-word " * 100, "\u200b\u200d\ufeff", "\U0001F600 -\U0001F600",
]


@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.parametrize("kind", [None, "statuses", "accounts", "hashtags"])
def test_hostile_queries_never_fail(alice, alice_client, query, kind):
    post(alice, "a word")
    params = {"q": query, "resolve": "true"}
    if kind:
        params["type"] = kind
    response = alice_client.get("/api/v2/search", params)
    assert response.status_code == 200, (query[:40], response.content[:200])
    assert set(response.json()) == SEARCH_KEYS


@pytest.mark.parametrize("path", ["/api/v2/search", "/api/v1/accounts/search",
                                  "/api/v1/accounts/lookup"])
def test_nul_is_422_as_everywhere(alice_client, path):
    response = alice_client.get(path, {"q": "a\x00b", "acct": "a\x00b"})
    assert response.status_code == 422
    assert "error" in response.json()


# --- query counts ------------------------------------------------------------------------------

# The token, the searcher, the library, accounts, hashtags with their history, the tags the
# searcher follows, the statuses' page.
SEARCH_QUERIES = 11


def test_query_count_is_constant(alice, alice_client, django_assert_num_queries):
    for size in (1, 10):
        Status.objects.all().delete()
        Account.objects.filter(username__startswith="egret").delete()
        for n in range(size):
            other = AccountFactory(username=f"egret{size}x{n}", indexable=True)
            post(other, f"egret #egrets {n}")
            post(alice, f"egret mine {n}")
        with django_assert_num_queries(SEARCH_QUERIES):
            response = alice_client.get("/api/v2/search", {"q": "egret", "limit": "40"})
        body = response.json()
        assert len(body["statuses"]) == size * 2
        assert len(body["hashtags"]) == 1
        assert len(body["accounts"]) == size


def test_public_search_reads_the_newest_window_then_the_rest(alice_client, indexable,
                                                             monkeypatch):
    from statuses.selectors import search

    monkeypatch.setattr(search, "RECENT_WINDOW", 2)
    plovers = [str(post(indexable, f"plover {n}").pk) for n in range(3)]
    post(indexable, "something else")
    # The newest two statuses hold one plover: a page of one is found there alone...
    assert found(alice_client, "plover in:public", limit="1") == plovers[-1:]
    # ...a longer page goes on below the window, newest first, each once.
    assert found(alice_client, "plover in:public") == plovers[::-1]
    assert found(alice_client, "plover", limit="2", offset="1") == plovers[::-1][1:]


def test_a_followed_hashtag_reads_following(alice_client):
    assert alice_client.post("/api/v1/tags/herons/follow").status_code == 200
    alice_client.post("/api/v1/statuses", {"status": "a #herons day"})
    tags = alice_client.get("/api/v2/search", {"q": "#heron", "type": "hashtags"}).json()
    assert [(t["name"], t["following"]) for t in tags["hashtags"]] == [("herons", True)]
    assert alice_client.post("/api/v1/tags/herons/unfollow").status_code == 200
    tags = alice_client.get("/api/v2/search", {"q": "#heron", "type": "hashtags"}).json()
    assert [(t["name"], t["following"]) for t in tags["hashtags"]] == [("herons", False)]

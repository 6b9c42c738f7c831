"""A status that shares another (a SelfCommunity `share`, `quote_of`) seen from Mastodon as a
4.5 quote: `quote` {state, quoted_status} in every rendering, `quotes_count`, the quoted
status's own quote in the shallow form, the viewer's flags on it, and constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Visibility
from statuses import services
from statuses.models import Status
from statuses.services.attachments import status_attach_media, status_share_create
from tests.api.mastodon.expected import STATUS_KEYS
from tests.factories import AccountFactory, BlockFactory, FollowFactory


def post(account, text="hello", **kwargs):
    if "in_reply_to_id" in kwargs:
        kwargs["in_reply_to_given"] = True
    return services.status_create(account=account, text=text, **kwargs)


def quoting(account, shared, text="look at this", **kwargs):
    """A status of `account` that shares `shared`, as SelfCommunity's share media makes it."""
    status = post(account, text, **kwargs)
    share = status_share_create(account=account, status_id=shared.pk)
    status_attach_media(status=status, media=[share])
    return status


def get(client, status):
    response = client.get(f"/api/v1/statuses/{status.pk}")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_status_that_quotes_nothing_has_a_null_quote(anon, alice):
    status = post(alice)
    body = get(anon, status)
    assert body["quote"] is None and body["quotes_count"] == 0
    assert list(body).index("quote") == list(body).index("emojis") + 1
    assert list(body).index("quotes_count") == list(body).index("favourites_count") + 1


def test_an_accepted_quote_nests_the_quoted_status(alice_client, alice, bob):
    shared = post(bob, "the original #topic")
    sharing = quoting(alice, shared)
    body = get(alice_client, sharing)
    assert body["quote"]["state"] == "accepted"
    quoted = body["quote"]["quoted_status"]
    assert set(body["quote"]) == {"state", "quoted_status"}
    # The quoted status is a whole Status as the viewer sees it (not the author: no `pinned`).
    assert list(quoted) == [key for key in STATUS_KEYS if key != "pinned"]
    assert quoted["id"] == str(shared.pk)
    assert quoted["content"] == "<p>the original <a href=\"https://social.example/tags/topic\" " \
                                "class=\"mention hashtag\" rel=\"tag\">#<span>topic</span></a></p>"
    assert quoted["account"]["id"] == str(bob.pk)
    assert quoted["application"] is None and quoted["tags"][0]["name"] == "topic"
    assert quoted["quote"] is None and quoted["quotes_count"] == 1
    assert get(alice_client, shared)["quotes_count"] == 1
    # The share is a quote, never an attachment.
    assert body["media_attachments"] == []


def test_the_quoted_status_quotes_in_the_shallow_form(anon, alice, bob, carol):
    first = post(carol, "first")
    second = quoting(bob, first, "second")
    third = quoting(alice, second, "third")
    quoted = get(anon, third)["quote"]["quoted_status"]
    assert quoted["id"] == str(second.pk)
    assert quoted["quote"] == {"state": "accepted", "quoted_status_id": str(first.pk)}
    Status.objects.filter(pk=first.pk).update(visibility=Visibility.PRIVATE)
    assert get(anon, third)["quote"]["quoted_status"]["quote"] == {
        "state": "unauthorized", "quoted_status_id": None}
    services.status_delete(status=Status.objects.get(pk=first.pk))
    assert get(anon, third)["quote"]["quoted_status"]["quote"] == {
        "state": "deleted", "quoted_status_id": None}


@pytest.mark.parametrize("change,state", [
    ("private", "unauthorized"), ("direct", "unauthorized"), ("collapsed", "unauthorized"),
    ("blocked", "unauthorized"), ("suspended", "unauthorized"), ("deleted", "deleted"),
])
def test_a_quote_the_viewer_may_not_see_is_empty(bob_client, alice, bob, carol, change, state):
    shared = post(carol, "carol's words")
    sharing = quoting(alice, shared)
    row = Status.objects.filter(pk=shared.pk)
    if change in ("private", "direct"):
        row.update(visibility=Visibility[change.upper()])
    elif change == "collapsed":
        row.update(collapsed=True)
    elif change == "blocked":
        BlockFactory(account=carol, target=bob)
    elif change == "suspended":
        from django.utils import timezone

        type(carol).objects.filter(pk=carol.pk).update(suspended_at=timezone.now())
    else:
        services.status_delete(status=row.get())
    response = bob_client.get(f"/api/v1/statuses/{sharing.pk}")
    assert response.json()["quote"] == {"state": state, "quoted_status": None}
    assert b"carol's words" not in response.content
    assert b"carol&#39;s words" not in response.content


def test_the_quote_follows_who_may_see_the_quoted_status(make_token, mastodon, alice, bob,
                                                         carol):
    """Carol's followers-only status (shared while public) is shown to her followers only."""
    shared = post(carol, "followers now")
    sharing = quoting(alice, shared)
    Status.objects.filter(pk=shared.pk).update(visibility=Visibility.PRIVATE)
    FollowFactory(account=bob, target=carol)
    bob_client = mastodon.as_token(make_token(bob))
    assert get(bob_client, sharing)["quote"]["state"] == "accepted"
    alice_client = mastodon.as_token(make_token(alice))
    assert get(alice_client, sharing)["quote"]["state"] == "unauthorized"
    carol_client = mastodon.as_token(make_token(carol))
    assert get(carol_client, sharing)["quote"]["quoted_status"]["pinned"] is False


def test_viewer_flags_on_the_quoted_status(bob_client, alice, bob):
    shared = post(alice, "liked")
    sharing = quoting(alice, shared)
    services.status_favourite(account=bob, status_id=shared.pk)
    services.status_bookmark(account=bob, status_id=shared.pk)
    services.status_reblog(account=bob, status_id=shared.pk)
    single = get(bob_client, sharing)["quote"]["quoted_status"]
    listed = bob_client.get("/api/v1/timelines/public").json()
    from_list = next(s for s in listed if s["id"] == str(sharing.pk))["quote"]["quoted_status"]
    for quoted in (single, from_list):
        assert (quoted["favourited"], quoted["bookmarked"], quoted["reblogged"]) == (
            True, True, True)
        assert quoted["muted"] is False and "pinned" not in quoted
    assert get(bob_client, sharing)["favourited"] is False


def test_reblogs_nest_the_quote_of_their_original(bob_client, alice, bob, carol):
    shared = post(carol, "quoted")
    sharing = quoting(alice, shared)
    wrapper = services.status_reblog(account=bob, status_id=sharing.pk)
    body = get(bob_client, wrapper)
    assert body["quote"] is None and body["quotes_count"] == 0
    assert body["reblog"]["quote"]["quoted_status"]["id"] == str(shared.pk)
    timeline = bob_client.get(f"/api/v1/accounts/{bob.pk}/statuses").json()
    assert timeline[0]["reblog"]["quote"]["state"] == "accepted"


def test_every_rendering_carries_the_quote(alice_client, alice, carol):
    shared = post(carol, "everywhere")
    root = post(alice, "root")
    sharing = quoting(alice, shared, "reply that quotes", in_reply_to_id=root.pk)
    expected_id = str(shared.pk)

    def quoted_id(body):
        return body["quote"]["quoted_status"]["id"]

    assert quoted_id(get(alice_client, sharing)) == expected_id
    assert quoted_id(alice_client.get("/api/v1/statuses", {"id[]": [sharing.pk]}).json()[0]) \
        == expected_id
    context = alice_client.get(f"/api/v1/statuses/{root.pk}/context").json()
    assert quoted_id(context["descendants"][0]) == expected_id
    for path in ("/api/v1/timelines/home", f"/api/v1/accounts/{alice.pk}/statuses"):
        assert quoted_id(alice_client.get(path).json()[0]) == expected_id
    assert quoted_id(alice_client.post(f"/api/v1/statuses/{sharing.pk}/favourite").json()) \
        == expected_id
    edited = alice_client.put(f"/api/v1/statuses/{sharing.pk}", {"status": "edited"})
    assert edited.status_code == 200 and quoted_id(edited.json()) == expected_id
    deleted = alice_client.delete(f"/api/v1/statuses/{sharing.pk}")
    assert deleted.status_code == 200 and quoted_id(deleted.json()) == expected_id
    assert deleted.json()["text"] == "edited"


def test_quotes_count_follows_shares(anon, alice, bob, carol):
    shared = post(carol, "popular")
    first = quoting(alice, shared)
    quoting(bob, shared)
    assert get(anon, shared)["quotes_count"] == 2
    services.status_delete(status=first)
    assert get(anon, shared)["quotes_count"] == 1


# --- constant query counts ------------------------------------------------------------------

def _count(client, path, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params or {})
    assert response.status_code == 200, response.content
    return len(ctx), response.json()


@pytest.mark.parametrize("endpoint", ["public", "home", "account", "ids"])
@pytest.mark.parametrize("client_name", ["anon", "bob_client"])
def test_quotes_on_a_page_cost_fixed_queries(request, client_name, endpoint, alice, bob):
    """The quoted statuses of a page, their authors, applications and media, and the viewer's
    flags on them, whatever the page's size; quoted statuses that quote in turn included."""
    if endpoint == "home" and client_name == "anon":
        pytest.skip("the home timeline needs a token")
    client = request.getfixturevalue(client_name)
    FollowFactory(account=bob, target=alice)
    measured = []
    for size in (1, 30):
        made = []
        for i in range(size):
            author = AccountFactory()
            # Unlisted: shareable, but out of the public timeline, which holds the sharing ones.
            deeper = post(AccountFactory(), f"deeper {i}", visibility="unlisted")
            shared = quoting(author, deeper, f"shared {i} #quoted", visibility="unlisted")
            services.status_favourite(account=bob, status_id=shared.pk)
            made.append(quoting(alice, shared, f"sharing {i}"))
        path, params = {
            "public": ("/api/v1/timelines/public", {"limit": size}),
            "home": ("/api/v1/timelines/home", {"limit": size}),
            "account": (f"/api/v1/accounts/{alice.pk}/statuses", {"limit": size}),
            "ids": ("/api/v1/statuses", {"id[]": [s.pk for s in made[-20:]]}),
        }[endpoint]
        queries, body = _count(client, path, params)
        sharing = [s for s in body if s["content"].startswith("<p>sharing")]
        assert len(sharing) == min(size, 20 if endpoint == "ids" else size)
        assert all(s["quote"]["state"] == "accepted" for s in sharing)
        assert all(s["quote"]["quoted_status"]["quote"]["state"] == "accepted" for s in sharing)
        if client_name == "bob_client":
            assert all(s["quote"]["quoted_status"]["favourited"] for s in sharing)
        measured.append(queries)
    assert measured[0] == measured[1], measured


def test_history_of_a_quoting_status_carries_its_quote_in_every_revision(
        alice_client, bob_client, alice, bob):
    shared = post(bob, "the original")
    sharing = quoting(alice, shared, "first words")
    plain = alice_client.get(f"/api/v1/statuses/{post(alice, 'no quote').pk}/history").json()
    assert "quote" not in plain[0]
    unedited = alice_client.get(f"/api/v1/statuses/{sharing.pk}/history").json()
    assert [e["quote"]["state"] for e in unedited] == ["accepted"]
    response = alice_client.put(f"/api/v1/statuses/{sharing.pk}", {"status": "second words"},
                                format="json")
    assert response.status_code == 200, response.content
    history = alice_client.get(f"/api/v1/statuses/{sharing.pk}/history").json()
    assert len(history) == 2
    for entry in history:
        assert entry["quote"]["state"] == "accepted"
        assert entry["quote"]["quoted_status"]["id"] == str(shared.pk)
        assert entry["quote"]["quoted_status"]["content"] == "<p>the original</p>"
    assert bob_client.post(
        f"/api/v1/statuses/{shared.pk}/quotes/{sharing.pk}/revoke").status_code == 200
    revoked = bob_client.get(f"/api/v1/statuses/{sharing.pk}/history").json()
    assert [e["quote"] for e in revoked] == [{"state": "revoked", "quoted_status": None}] * 2

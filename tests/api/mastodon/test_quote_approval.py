"""`quote_approval` on every Mastodon Status (spec 3.1): {automatic, manual, current_user}
computed on the proper status, per viewer, and without queries of its own per status."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statuses import services
from statuses.models import QuotePolicy, Status
from tests.factories import AccountFactory, FollowFactory


def post(account, text="hello", policy=None, **kwargs):
    return services.status_create(account=account, text=text, quote={"policy": policy},
                                  **kwargs)


def approval(client, status):
    response = client.get(f"/api/v1/statuses/{status.pk}")
    assert response.status_code == 200, response.content
    return response.json()["quote_approval"]


@pytest.fixture
def clients(mastodon, make_token, alice, bob):
    """alice writes; bob follows her; carol does not."""
    from rest_framework.test import APIClient

    carol = AccountFactory(username="carol")
    FollowFactory(account=bob, target=alice)

    def client(account):
        made = APIClient()
        if account is not None:
            made.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(account)}")
        return made

    return {"anonymous": client(None), "author": client(alice), "follower": client(bob),
            "stranger": client(carol)}


AUTO, DENIED = "automatic", "denied"


@pytest.mark.parametrize("visibility,policy,automatic,expected", [
    ("public", "public", ["public"],
     {"anonymous": DENIED, "author": AUTO, "follower": AUTO, "stranger": AUTO}),
    ("unlisted", "public", ["public"],
     {"anonymous": DENIED, "author": AUTO, "follower": AUTO, "stranger": AUTO}),
    ("public", "followers", ["followers"],
     {"anonymous": DENIED, "author": AUTO, "follower": AUTO, "stranger": DENIED}),
    ("public", "nobody", [],
     {"anonymous": DENIED, "author": AUTO, "follower": DENIED, "stranger": DENIED}),
    ("private", "public", [],
     {"author": AUTO, "follower": DENIED}),
    ("direct", "public", [],
     {"author": DENIED}),
])
def test_quote_approval_per_viewer(clients, alice, visibility, policy, automatic, expected):
    status = post(alice, "x", policy=policy, visibility=visibility)
    for viewer, current in expected.items():
        assert approval(clients[viewer], status) == {
            "automatic": automatic, "manual": [], "current_user": current}, viewer


def test_a_status_made_private_later_is_quotable_by_nobody_else(clients, alice):
    status = post(alice, "x")
    Status.objects.filter(pk=status.pk).update(visibility=2)
    assert approval(clients["follower"], status) == {
        "automatic": [], "manual": [], "current_user": DENIED}


def test_a_reblog_shows_its_originals_approval(clients, alice, bob):
    status = post(alice, "x", policy="followers")
    carol_client = clients["stranger"]
    wrapper = services.status_reblog(account=bob, status_id=status.pk)
    body = carol_client.get(f"/api/v1/statuses/{wrapper.pk}").json()
    expected = {"automatic": ["followers"], "manual": [], "current_user": DENIED}
    assert body["quote_approval"] == expected == body["reblog"]["quote_approval"]
    follower = clients["follower"].get(f"/api/v1/statuses/{wrapper.pk}").json()
    assert follower["quote_approval"]["current_user"] == AUTO
    assert follower["reblog"]["quote_approval"]["current_user"] == AUTO


def test_the_quoted_status_carries_its_approval(clients, alice, bob):
    quoted = post(alice, "x", policy="followers")
    quoting = services.status_create(account=bob, text="q", quote={
        "quoted_status_id": quoted.pk, "quoted_given": True})
    body = clients["stranger"].get(f"/api/v1/statuses/{quoting.pk}").json()
    assert body["quote"]["quoted_status"]["quote_approval"] == {
        "automatic": ["followers"], "manual": [], "current_user": DENIED}
    body = clients["follower"].get(f"/api/v1/statuses/{quoting.pk}").json()
    assert body["quote"]["quoted_status"]["quote_approval"]["current_user"] == AUTO


def test_an_app_token_is_denied(mastodon, make_token, alice):
    status = post(alice, "x")
    app_only = mastodon.as_token(make_token(None, scopes="read"))
    assert approval(app_only, status)["current_user"] == DENIED


# --- constant query counts ------------------------------------------------------------------

def _measure(client, path, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params)
    assert response.status_code == 200, response.content
    return len(ctx), response.json()


@pytest.mark.parametrize("endpoint", ["public", "home", "account", "ids", "context"])
def test_quote_approval_costs_fixed_queries(clients, alice, bob, endpoint):
    """Followers-only policies of many authors (reblogs of them included): at most one query
    for the whole page, whatever its size."""
    reader = clients["follower"]
    measured = []
    root = post(bob, "root")
    for size in (1, 20):
        made = []
        for i in range(size):
            author = AccountFactory()
            FollowFactory(account=bob, target=author)
            FollowFactory(account=bob, target=AccountFactory())
            own = post(author, f"s{i}", policy="followers",
                       in_reply_to_id=root.pk if endpoint == "context" else None,
                       in_reply_to_given=endpoint == "context")
            made.append(own)
            if endpoint in ("home", "account"):
                wrapper = services.status_reblog(account=alice, status_id=own.pk)
                made.append(wrapper)
        path, params = {
            "public": ("/api/v1/timelines/public", {"limit": size}),
            "home": ("/api/v1/timelines/home", {"limit": 2 * size}),
            "account": (f"/api/v1/accounts/{alice.pk}/statuses", {"limit": 2 * size}),
            "ids": ("/api/v1/statuses", {"id[]": [s.pk for s in made]}),
            "context": (f"/api/v1/statuses/{root.pk}/context", {}),
        }[endpoint]
        queries, body = _measure(reader, path, params)
        rows = body["descendants"] if endpoint == "context" else body
        assert len(rows) >= size
        for row in rows:
            proper = row["reblog"] or row
            if proper["account"]["id"] != str(bob.pk) and proper["content"] != "<p>root</p>":
                assert row["quote_approval"] == {"automatic": ["followers"], "manual": [],
                                                 "current_user": AUTO}, row["id"]
        measured.append(queries)
        Status.objects.exclude(pk=root.pk).update(quote_policy=QuotePolicy.NOBODY,
                                                  deleted_at="2000-01-01T00:00:00Z")
    assert measured[0] == measured[1], measured


def test_public_policies_cost_no_query(clients, alice):
    """A page of public policies asks nothing more than one without quote_approval would:
    the followers lookup runs only when some status needs it."""
    post(alice, "x")
    plain, _ = _measure(clients["follower"], "/api/v1/timelines/public", {})
    Status.objects.update(quote_policy=QuotePolicy.FOLLOWERS)
    needing, _ = _measure(clients["follower"], "/api/v1/timelines/public", {})
    assert needing == plain + 1

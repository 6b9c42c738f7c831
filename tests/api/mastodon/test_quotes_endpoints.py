"""GET /api/v1/statuses/:id/quotes, POST /api/v1/statuses/:id/quotes/:quoting_status_id/revoke,
PUT /api/v1/statuses/:id/interaction_policy, and `quote_approval_policy` on PUT /statuses/:id:
codes, messages, database rows, paging, constant query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statuses import services
from statuses.models import QuotePolicy, QuoteState, Status, StatusEdit
from tests.api.mastodon.expected import STATUS_KEYS
from tests.factories import AccountFactory, BlockFactory, FollowFactory, MuteFactory


def post(account, text="hello", **kwargs):
    return services.status_create(account=account, text=text, **kwargs)


def quote(account, quoted, text="quoting", policy=None, **kwargs):
    return post(account, text, quote={"quoted_status_id": quoted.pk, "quoted_given": True,
                                      "policy": policy}, **kwargs)


@pytest.fixture
def client_of(mastodon, make_token):
    from rest_framework.test import APIClient

    def make(account, scopes="read write follow push"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(account, scopes=scopes)}")
        return client

    return make


# --- GET /quotes ------------------------------------------------------------------------------

def test_quotes_lists_accepted_quotes_newest_first(bob_client, alice, bob, carol):
    quoted = post(bob, "original")
    first = quote(alice, quoted, "first")
    second = quote(carol, quoted, "second")
    post(carol, "not a quote")
    response = bob_client.get(f"/api/v1/statuses/{quoted.pk}/quotes")
    assert response.status_code == 200
    body = response.json()
    assert [s["id"] for s in body] == [str(second.pk), str(first.pk)]
    assert list(body[0]) == [k for k in STATUS_KEYS if k != "pinned"]
    assert body[0]["quote"]["quoted_status"]["id"] == str(quoted.pk)
    assert "Link" in response and 'rel="prev"' in response["Link"]


def test_quotes_needs_a_token_and_a_visible_status(anon, bob_client, alice, carol):
    quoted = post(alice, "x")
    response = anon.get(f"/api/v1/statuses/{quoted.pk}/quotes")
    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}
    hidden = post(carol, "only followers", visibility="private")
    response = bob_client.get(f"/api/v1/statuses/{hidden.pk}/quotes")
    assert (response.status_code, response.json()) == (404, {"error": "Not Found"})
    response = bob_client.get("/api/v1/statuses/999999/quotes")
    assert (response.status_code, response.json()) == (404, {"error": "Not Found"})


def test_quotes_a_reader_may_not_see_are_not_listed(client_of, alice, bob, carol):
    quoted = post(alice, "x")
    public = quote(bob, quoted, "for everyone")
    private = quote(carol, quoted, "for carol's followers", visibility="private")
    stranger = AccountFactory()
    shown = [s["id"] for s in client_of(stranger).get(
        f"/api/v1/statuses/{quoted.pk}/quotes").json()]
    assert shown == [str(public.pk)]
    # The quoted author reads the private quote (silent mention), Carol's followers too.
    for reader in (alice, FollowFactory(target=carol).account):
        shown = [s["id"] for s in client_of(reader).get(
            f"/api/v1/statuses/{quoted.pk}/quotes").json()]
        assert shown == [str(private.pk), str(public.pk)]


def test_quotes_drop_blocked_and_muted_authors(client_of, alice, bob, carol):
    quoted = post(alice, "x")
    by_bob = quote(bob, quoted)
    by_carol = quote(carol, quoted)
    reader = AccountFactory()
    BlockFactory(account=reader, target=bob)
    MuteFactory(account=reader, target=carol)
    assert client_of(reader).get(f"/api/v1/statuses/{quoted.pk}/quotes").json() == []
    shown = {s["id"] for s in client_of(alice).get(
        f"/api/v1/statuses/{quoted.pk}/quotes").json()}
    assert shown == {str(by_bob.pk), str(by_carol.pk)}


def test_quotes_pages_with_link(bob_client, bob):
    quoted = post(bob, "x")
    made = [quote(AccountFactory(), quoted, f"q{i}") for i in range(5)]
    newest = [str(s.pk) for s in reversed(made)]
    path = f"/api/v1/statuses/{quoted.pk}/quotes"
    response = bob_client.get(path, {"limit": 2})
    assert [s["id"] for s in response.json()] == newest[:2]
    base = f"http://testserver{path}"
    assert response["Link"] == (
        f'<{base}?limit=2&max_id={newest[1]}>; rel="next", '
        f'<{base}?limit=2&since_id={newest[0]}>; rel="prev"')
    following = re.search(r"<([^>]+)>; rel=\"next\"", response["Link"]).group(1)
    second = bob_client.get(following.replace("http://testserver", ""))
    assert [s["id"] for s in second.json()] == newest[2:4]
    last = bob_client.get(path, {"limit": 2, "max_id": newest[3]})
    assert [s["id"] for s in last.json()] == newest[4:]
    assert 'rel="next"' not in last["Link"]
    newer = bob_client.get(path, {"since_id": newest[2]})
    assert [s["id"] for s in newer.json()] == newest[:2]
    assert bob_client.get(path, {"max_id": made[0].pk}).json() == []
    assert "Link" not in bob_client.get(path, {"max_id": made[0].pk})


@pytest.mark.parametrize("policy_viewer", ["author", "stranger"])
def test_quotes_cost_fixed_queries(client_of, bob, policy_viewer):
    quoted = post(bob, "x")
    reader = bob if policy_viewer == "author" else AccountFactory()
    client = client_of(reader)
    measured = []
    for size in (1, 20):
        for i in range(size):
            author = AccountFactory()
            FollowFactory(account=reader, target=author)
            # Followers-only policies make quote_approval ask who the reader follows.
            quote(author, quoted, f"q{i}", policy="followers")
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/api/v1/statuses/{quoted.pk}/quotes", {"limit": size})
        assert response.status_code == 200
        assert len(response.json()) == size
        assert all(s["quote_approval"] == {"automatic": ["followers"], "manual": [],
                                           "current_user": "automatic"}
                   for s in response.json())
        measured.append(len(ctx))
        Status.objects.filter(quote_of=quoted).update(quote_of=None)
    assert measured[0] == measured[1], measured


# --- revoke -----------------------------------------------------------------------------------

def test_the_quoted_author_revokes_a_quote(client_of, alice, bob):
    quoted = post(bob, "original")
    quoting = quote(alice, quoted, "quoting it")
    assert Status.objects.get(pk=quoted.pk).shares_count == 1
    response = client_of(bob).post(f"/api/v1/statuses/{quoted.pk}/quotes/{quoting.pk}/revoke")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == str(quoting.pk)
    assert body["quote"] == {"state": "revoked", "quoted_status": None}
    assert body["content"] != "" and "pinned" not in body
    assert Status.objects.get(pk=quoting.pk).quote_state == QuoteState.REVOKED
    assert Status.objects.get(pk=quoted.pk).shares_count == 0
    # Every reading shows it revoked, the quoted status counts it no more, /quotes drops it.
    alice_client = client_of(alice)
    assert alice_client.get(f"/api/v1/statuses/{quoting.pk}").json()["quote"] == {
        "state": "revoked", "quoted_status": None}
    assert alice_client.get(f"/api/v1/statuses/{quoted.pk}").json()["quotes_count"] == 0
    assert alice_client.get(f"/api/v1/statuses/{quoted.pk}/quotes").json() == []
    # A second revoke changes nothing.
    again = client_of(bob).post(f"/api/v1/statuses/{quoted.pk}/quotes/{quoting.pk}/revoke")
    assert again.status_code == 200 and again.json()["quote"]["state"] == "revoked"
    # An edit of the quoting status keeps it revoked.
    assert alice_client.put(f"/api/v1/statuses/{quoting.pk}", {"status": "edited"}).json()[
        "quote"]["state"] == "revoked"
    assert Status.objects.get(pk=quoted.pk).shares_count == 0


def test_a_revoked_quote_shows_as_revoked_when_quoted_in_turn(anon, alice, bob, carol):
    first = post(carol, "first")
    second = quote(bob, first, "second")
    third = quote(alice, second, "third")
    services.quotes.status_quote_revoke(account=carol, status_id=first.pk,
                                        quoting_status_id=second.pk)
    quoted = anon.get(f"/api/v1/statuses/{third.pk}").json()["quote"]["quoted_status"]
    assert quoted["quote"] == {"state": "revoked", "quoted_status_id": None}


def test_only_the_quoted_author_may_revoke(client_of, alice, bob, carol):
    quoted = post(bob, "x")
    quoting = quote(alice, quoted)
    path = f"/api/v1/statuses/{quoted.pk}/quotes/{quoting.pk}/revoke"
    for who in (alice, carol):
        response = client_of(who).post(path)
        assert response.status_code == 403
        assert response.json() == {"error": "This action is not allowed"}
    row = Status.objects.get(pk=quoting.pk)
    assert row.quote_state == QuoteState.ACCEPTED
    assert Status.objects.get(pk=quoted.pk).shares_count == 1


def test_revoke_of_no_such_quote(client_of, alice, bob, carol):
    quoted = post(bob, "x")
    other = post(alice, "not a quote")
    elsewhere = quote(alice, post(carol, "y"))
    bob_client = client_of(bob)
    for quoting_id in (other.pk, elsewhere.pk, 999999, "abc"):
        response = bob_client.post(f"/api/v1/statuses/{quoted.pk}/quotes/{quoting_id}/revoke")
        assert response.status_code == 404
        assert response.json() == {"error": "Record not found"}
    hidden = post(carol, "private", visibility="private")
    response = bob_client.post(f"/api/v1/statuses/{hidden.pk}/quotes/{other.pk}/revoke")
    assert (response.status_code, response.json()) == (404, {"error": "Not Found"})
    assert Status.objects.get(pk=elsewhere.pk).quote_state == QuoteState.ACCEPTED


def test_revoke_needs_write_and_a_user(client_of, make_token, mastodon, alice, bob):
    quoted = post(bob, "x")
    quoting = quote(alice, quoted)
    path = f"/api/v1/statuses/{quoted.pk}/quotes/{quoting.pk}/revoke"
    response = client_of(bob, scopes="read").post(path)
    assert response.status_code == 403
    assert response.json() == {"error": "This action is outside the authorized scopes"}
    app_only = mastodon.as_token(make_token(None, scopes="write"))
    response = app_only.post(path)
    assert response.status_code == 422
    assert response.json() == {"error": "This method requires an authenticated user"}
    assert Status.objects.get(pk=quoting.pk).quote_state == QuoteState.ACCEPTED


def test_revoking_a_quote_the_revoker_may_not_read_shows_nothing_of_it(client_of, alice, bob):
    quoted = post(bob, "x")
    quoting = quote(alice, quoted, "secret words", visibility="private")
    # Without the silent mention (e.g. a SelfCommunity share addressed elsewhere).
    quoting.mention_rows.all().delete()
    response = client_of(bob).post(f"/api/v1/statuses/{quoted.pk}/quotes/{quoting.pk}/revoke")
    assert response.status_code == 200
    assert b"secret words" not in response.content
    assert response.json()["content"] == ""


# --- interaction_policy and PUT ---------------------------------------------------------------

def test_interaction_policy_changes_who_may_quote(client_of, alice, bob):
    status = post(alice, "x")
    alice_client = client_of(alice)
    response = alice_client.put(f"/api/v1/statuses/{status.pk}/interaction_policy",
                                {"quote_approval_policy": "followers"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["quote_approval"] == {"automatic": ["followers"], "manual": [],
                                      "current_user": "automatic"}
    row = Status.objects.get(pk=status.pk)
    assert row.quote_policy == QuotePolicy.FOLLOWERS and row.edited_at is None
    assert not StatusEdit.objects.filter(status=status).exists()
    bob_view = client_of(bob).get(f"/api/v1/statuses/{status.pk}").json()
    assert bob_view["quote_approval"]["current_user"] == "denied"
    form = alice_client.put(f"/api/v1/statuses/{status.pk}/interaction_policy",
                            {"quote_approval_policy": "nobody"})
    assert form.json()["quote_approval"]["automatic"] == []
    # Omitted: nothing changes.
    same = alice_client.put(f"/api/v1/statuses/{status.pk}/interaction_policy", {},
                            format="json")
    assert same.status_code == 200
    assert Status.objects.get(pk=status.pk).quote_policy == QuotePolicy.NOBODY


def test_interaction_policy_is_the_authors(client_of, alice, bob):
    status = post(alice, "x")
    for target in (status.pk, 999999):
        response = client_of(bob).put(f"/api/v1/statuses/{target}/interaction_policy",
                                      {"quote_approval_policy": "nobody"}, format="json")
        assert response.status_code == 404
        assert response.json() == {"error": "Record not found"}
    assert Status.objects.get(pk=status.pk).quote_policy == QuotePolicy.PUBLIC


def test_interaction_policy_refuses_unknown_policies(client_of, alice):
    status = post(alice, "x")
    response = client_of(alice).put(f"/api/v1/statuses/{status.pk}/interaction_policy",
                                    {"quote_approval_policy": "friends"}, format="json")
    assert (response.status_code, response.json()) == (422, {"error": "Record invalid"})
    assert Status.objects.get(pk=status.pk).quote_policy == QuotePolicy.PUBLIC


def test_private_statuses_stay_unquotable(client_of, alice):
    status = post(alice, "x", visibility="private")
    response = client_of(alice).put(f"/api/v1/statuses/{status.pk}/interaction_policy",
                                    {"quote_approval_policy": "public"}, format="json")
    assert response.status_code == 200
    assert response.json()["quote_approval"]["automatic"] == []
    assert Status.objects.get(pk=status.pk).quote_policy == QuotePolicy.NOBODY


def test_an_edit_keeps_the_policy_when_omitted(client_of, alice):
    status = post(alice, "x", quote={"policy": "followers"})
    alice_client = client_of(alice)
    edited = alice_client.put(f"/api/v1/statuses/{status.pk}", {"status": "y"}, format="json")
    assert edited.status_code == 200
    assert edited.json()["quote_approval"]["automatic"] == ["followers"]
    changed = alice_client.put(f"/api/v1/statuses/{status.pk}",
                               {"status": "y", "quote_approval_policy": "nobody"}, format="json")
    assert changed.json()["quote_approval"]["automatic"] == []
    row = Status.objects.get(pk=status.pk)
    assert row.quote_policy == QuotePolicy.NOBODY
    # The policy alone is no revision: the one edit above made two rows, this one none more.
    assert StatusEdit.objects.filter(status=status).count() == 2
    bad = alice_client.put(f"/api/v1/statuses/{status.pk}",
                           {"status": "z", "quote_approval_policy": "all"}, format="json")
    assert (bad.status_code, bad.json()) == (422, {"error": "Record invalid"})
    assert Status.objects.get(pk=status.pk).text == "y"


def test_an_edit_keeps_the_quote_and_its_re_paragraph(client_of, alice, bob):
    quoted = post(bob, "x")
    quoting = quote(alice, quoted, "first words")
    alice_client = client_of(alice)
    body = alice_client.put(f"/api/v1/statuses/{quoting.pk}", {"status": "new words"},
                            format="json").json()
    assert body["quote"]["quoted_status"]["id"] == str(quoted.pk)
    assert body["content"].startswith('<p class="quote-inline">RE: <a href="https://social.'
                                      f'example/@bob/{quoted.pk}"')
    assert body["content"].endswith("<p>new words</p>")
    # With a quote, the text may go.
    blank = alice_client.put(f"/api/v1/statuses/{quoting.pk}", {"status": ""}, format="json")
    assert blank.status_code == 200, blank.content
    assert blank.json()["content"].startswith('<p class="quote-inline">')
    assert Status.objects.get(pk=quoted.pk).shares_count == 1

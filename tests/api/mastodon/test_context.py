"""GET /api/v1/statuses/:id/context: order, limits, filtering, and a constant query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statuses import services
from tests.factories import AccountFactory, MuteFactory


def reply(account, parent, text="r", visibility="public"):
    return services.status_create(
        account=account, text=text, visibility=visibility,
        in_reply_to_id=parent.pk if parent else None, in_reply_to_given=parent is not None,
    )


def ids(items):
    return [int(s["id"]) for s in items]


def test_context_of_root_has_no_ancestors(anon, alice, bob):
    root = reply(alice, None, "root")
    child = reply(bob, root)
    response = anon.get(f"/api/v1/statuses/{root.pk}/context")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"ancestors", "descendants"}
    assert body["ancestors"] == []
    assert ids(body["descendants"]) == [child.pk]


def test_context_order_depth_first_and_self_replies_first(anon, alice, bob, carol):
    root = reply(alice, None, "root")
    b1 = reply(bob, root, "b1")
    b1_child = reply(carol, b1, "b1 child")
    a_self = reply(alice, root, "alice self reply")
    b2 = reply(carol, root, "b2")
    b1_self = reply(bob, b1, "bob self reply")
    body = anon.get(f"/api/v1/statuses/{root.pk}/context").json()
    # Pre-order is b1, b1_child, b1_self, a_self, b2. Self-replies (in_reply_to_account_id equal
    # to the author) move first: a_self only, since bob's reply to his own reply to alice points
    # at alice (item 43).
    assert ids(body["descendants"]) == [a_self.pk, b1.pk, b1_child.pk, b1_self.pk, b2.pk]
    mid = anon.get(f"/api/v1/statuses/{b1_child.pk}/context").json()
    assert ids(mid["ancestors"]) == [root.pk, b1.pk]
    assert mid["descendants"] == []


def test_context_hides_invisible_but_keeps_their_visible_children(anon, bob_client, alice, bob):
    root = reply(alice, None, "root")
    hidden = reply(alice, root, "followers only", visibility="private")
    grandchild = reply(alice, hidden, "public again")
    body = anon.get(f"/api/v1/statuses/{root.pk}/context").json()
    assert ids(body["descendants"]) == [grandchild.pk]
    body = anon.get(f"/api/v1/statuses/{grandchild.pk}/context").json()
    assert ids(body["ancestors"]) == [root.pk]


def test_context_drops_muted_authors_for_viewer(bob_client, alice, bob, carol):
    root = reply(alice, None, "root")
    muted = reply(carol, root, "muted author")
    kept = reply(alice, root, "kept")
    MuteFactory(account=bob, target=carol)
    body = bob_client.get(f"/api/v1/statuses/{root.pk}/context").json()
    assert muted.pk not in ids(body["descendants"])
    assert kept.pk in ids(body["descendants"])


def test_context_deleted_parent_ends_the_chain(anon, alice, bob):
    root = reply(alice, None, "root")
    middle = reply(bob, root, "middle")
    leaf = reply(alice, middle, "leaf")
    services.status_delete(status=middle)
    assert anon.get(f"/api/v1/statuses/{leaf.pk}/context").json()["ancestors"] == []
    assert anon.get(f"/api/v1/statuses/{root.pk}/context").json()["descendants"] == []


def test_context_of_invisible_status_is_404(anon, bob_client, alice):
    hidden = reply(alice, None, "secret", visibility="direct")
    response = bob_client.get(f"/api/v1/statuses/{hidden.pk}/context")
    assert response.status_code == 404
    assert response.json() == {"error": "Not Found"}


def test_anonymous_limits_40_ancestors_and_depth_20(anon, alice_client, alice):
    chain = [reply(alice, None, "0")]
    for i in range(45):
        chain.append(reply(alice, chain[-1], str(i + 1)))
    leaf = chain[-1]
    anon_body = anon.get(f"/api/v1/statuses/{leaf.pk}/context").json()
    assert ids(anon_body["ancestors"]) == [s.pk for s in chain[-41:-1]]  # the 40 nearest
    user_body = alice_client.get(f"/api/v1/statuses/{leaf.pk}/context").json()
    assert len(user_body["ancestors"]) == 45
    root_anon = anon.get(f"/api/v1/statuses/{chain[0].pk}/context").json()
    assert ids(root_anon["descendants"]) == [s.pk for s in chain[1:21]]  # depth 20
    root_user = alice_client.get(f"/api/v1/statuses/{chain[0].pk}/context").json()
    assert len(root_user["descendants"]) == 45


def test_anonymous_limit_60_descendants(anon, alice_client, alice):
    root = reply(alice, None, "root")
    children = [reply(alice, root, str(i)) for i in range(65)]
    assert ids(anon.get(f"/api/v1/statuses/{root.pk}/context").json()["descendants"]) == [
        c.pk for c in children[:60]
    ]
    assert len(alice_client.get(f"/api/v1/statuses/{root.pk}/context").json()["descendants"]) == 65


def _quote(status, shared) -> None:
    """Make `status` share (quote) `shared`, as a SelfCommunity share media does."""
    from statuses.services.attachments import status_attach_media, status_share_create

    share = status_share_create(account=status.account, status_id=shared.pk)
    status_attach_media(status=status, media=[share])


def _thread(size, quotes=False):
    """A thread of `size` replies; with `quotes`, each status of it quotes a status of its own
    that quotes another in turn."""
    author = AccountFactory()
    others = [AccountFactory() for _ in range(3)]
    root = reply(author, None, "root")
    parents = [root]
    for i in range(-1, size):
        if i >= 0:
            parents.append(reply(others[i % 3], parents[i // 2],
                                 f"reply {i} @{author.username}"))
        if quotes:
            deeper = reply(AccountFactory(), None, f"deeper {i}")
            shared = reply(AccountFactory(), None, f"shared {i}")
            _quote(shared, deeper)
            _quote(parents[-1], shared)
    return root, parents[-1]


@pytest.mark.parametrize("quotes", [False, True])
@pytest.mark.parametrize("client_name", ["anon", "bob_client"])
def test_context_query_count_is_constant(request, client_name, quotes,
                                         django_assert_num_queries):
    client = request.getfixturevalue(client_name)
    counts = []
    # 80 is past the anonymous cap of 60 and keeps the suite's run time down (200 took 25 s).
    for size in (2, 80):
        root, leaf = _thread(size, quotes)
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(f"/api/v1/statuses/{root.pk}/context").json()
        assert len(body["descendants"]) == (size if client_name == "bob_client" else min(size, 60))
        with CaptureQueriesContext(connection) as leaf_ctx:
            client.get(f"/api/v1/statuses/{leaf.pk}/context")
        counts.append((len(ctx), len(leaf_ctx)))
    assert counts[0] == counts[1], counts
    expected = counts[0][0]
    root, _ = _thread(80, quotes)
    with django_assert_num_queries(expected):
        body = client.get(f"/api/v1/statuses/{root.pk}/context").json()
    if quotes:
        assert all(s["quote"]["quoted_status"]["quote"]["state"] == "accepted"
                   for s in body["descendants"])


@pytest.mark.parametrize("client_name,expected", [("anon", 1), ("bob_client", 1)])
def test_get_status_query_count_is_constant(request, client_name, expected, alice,
                                            django_assert_num_queries, token_trip):
    """One query for the status, with the token when there is one, whatever it holds."""
    client = request.getfixturevalue(client_name)
    small = reply(alice, None, "plain")
    mentions = " ".join(f"@{AccountFactory().username}" for _ in range(10))
    big = reply(alice, None, f"{mentions} #a #b #c https://example.com")
    with django_assert_num_queries(expected + (token_trip if client_name != "anon" else 0)):
        assert client.get(f"/api/v1/statuses/{small.pk}").status_code == 200
    with django_assert_num_queries(expected + (token_trip if client_name != "anon" else 0)):
        body = client.get(f"/api/v1/statuses/{big.pk}").json()
    assert len(body["mentions"]) == 10 and len(body["tags"]) == 3


@pytest.mark.parametrize("client_name,expected", [("anon", 3), ("bob_client", 4)])
def test_get_quoting_status_query_count_is_constant(request, client_name, expected, alice,
                                                    django_assert_num_queries, token_trip):
    """A status that quotes: the status with its flags (and the token, if there is one), the quoted
    status with its author, application and the facts of its own quote, the media of both, and
    (with a token) the viewer's flags on the quoted status; whatever the quoted status holds."""
    client = request.getfixturevalue(client_name)
    small = reply(alice, None, "small")
    _quote(small, reply(AccountFactory(), None, "plain"))
    mentions = " ".join(f"@{AccountFactory().username}" for _ in range(10))
    shared = reply(AccountFactory(), None, f"{mentions} #a #b")
    _quote(shared, reply(AccountFactory(), None, "deeper"))
    big = reply(alice, None, "big")
    _quote(big, shared)
    with django_assert_num_queries(expected + (token_trip if client_name != "anon" else 0)):
        assert client.get(f"/api/v1/statuses/{small.pk}").json()["quote"]["state"] == "accepted"
    with django_assert_num_queries(expected + (token_trip if client_name != "anon" else 0)):
        quoted = client.get(f"/api/v1/statuses/{big.pk}").json()["quote"]["quoted_status"]
    assert len(quoted["mentions"]) == 10 and quoted["quote"]["state"] == "accepted"

"""End to end: Mastodon.py 2.3.3's quote methods against a live server. `status_post` sends
`quoted_status_id` and `quote_approval_policy`, `status_update` `quote_approval_policy`,
`status_update_quote_approval_policy` PUTs /interaction_policy, `status_quotes` pages
/quotes, `status_quote_revoke` revokes; SelfCommunity's share list sees the same quotes."""

import pytest
import requests
from mastodon import MastodonAPIError, MastodonNotFoundError

from statuses.models import QuotePolicy, QuoteState, Status

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def client(mastodon_py):
    """A Mastodon.py client that calls 4.5 methods: the server advertises the version whose
    status API it implements in full, which is older."""

    made = []

    def make(username):
        one = mastodon_py(username)
        one.version_check_mode = "none"
        made.append(one)
        return one

    yield make
    for one in made:
        one.session.close()


def test_mastodon_py_quotes_end_to_end(client, live_server):
    alice, bob, carol = client("alice"), client("bob"), client("carol")
    original = bob.status_post("Quote me if you follow me", quote_approval_policy="followers")
    assert original["quote_approval"] == {"automatic": ["followers"], "manual": [],
                                          "current_user": "automatic"}
    assert Status.objects.get(pk=int(original["id"])).quote_policy == QuotePolicy.FOLLOWERS

    # Not a follower: the quoted status "does not exist".
    with pytest.raises(MastodonNotFoundError) as refused:
        alice.status_post("my take", quoted_status_id=original["id"])
    assert "The post you are trying to quote does not appear to exist." in str(refused.value)
    assert alice.status(original["id"])["quote_approval"]["current_user"] == "denied"

    alice.account_follow(bob.account_verify_credentials()["id"])
    quoting = alice.status_post("my take", quoted_status_id=original["id"])
    assert quoting["quote"]["state"] == "accepted"
    assert quoting["quote"]["quoted_status"]["id"] == original["id"]
    assert quoting["content"].startswith('<p class="quote-inline">RE: <a href="')
    assert quoting["media_attachments"] == []
    assert bob.status(original["id"])["quotes_count"] == 1

    # A quote of carol's followers-only post makes a public post private; carol reads it.
    private = carol.status_post("for my followers", visibility="private")
    own_quote = carol.status_post("quoting myself", quoted_status_id=private["id"])
    assert own_quote["visibility"] == "private"

    with pytest.raises(MastodonAPIError) as direct:
        alice.status_post("psst", visibility="direct", quoted_status_id=original["id"])
    assert "Cannot quote a non-mentioned user in a Private Mention post." in str(direct.value)

    # /quotes, paged by Mastodon.py's own pagination.
    second = client("dave")
    second.account_follow(bob.account_verify_credentials()["id"])
    later = second.status_post("me too", quoted_status_id=original["id"])
    page = bob.status_quotes(original["id"], limit=1)
    assert [s["id"] for s in page] == [later["id"]]
    following = bob.fetch_next(page)
    assert [s["id"] for s in following] == [quoting["id"]]

    # SelfCommunity sees the same quotes as shares.
    token = {"Authorization": f"Bearer {bob.access_token}", "Connection": "close"}
    shares = requests.get(f"{live_server.url}/api/v2/status/{original['id']}/shares/",
                          headers=token, timeout=10).json()
    assert sorted(s["id"] for s in shares["results"]) == sorted(
        [int(quoting["id"]), int(later["id"])])

    # The author revokes one; only the author may.
    with pytest.raises(MastodonAPIError) as forbidden:
        carol.status_quote_revoke(original["id"], quoting["id"])
    assert "This action is not allowed" in str(forbidden.value)
    revoked = bob.status_quote_revoke(original["id"], quoting["id"])
    assert revoked["id"] == quoting["id"]
    assert revoked["quote"] == {"state": "revoked", "quoted_status": None}
    assert Status.objects.get(pk=int(quoting["id"])).quote_state == QuoteState.REVOKED
    assert [s["id"] for s in bob.status_quotes(original["id"])] == [later["id"]]
    assert bob.status(original["id"])["quotes_count"] == 1
    shares = requests.get(f"{live_server.url}/api/v2/status/{original['id']}/shares/",
                          headers=token, timeout=10).json()
    assert [s["id"] for s in shares["results"]] == [int(later["id"])]

    # The policy, through the edit and through interaction_policy.
    edited = bob.status_update(original["id"], "Quote me, anyone", quote_approval_policy="public")
    assert edited["quote_approval"]["automatic"] == ["public"]
    kept = bob.status_update(original["id"], "Still anyone")
    assert kept["quote_approval"]["automatic"] == ["public"]
    closed = bob.status_update_quote_approval_policy(original["id"], "nobody")
    assert closed["quote_approval"] == {"automatic": [], "manual": [],
                                        "current_user": "automatic"}
    with pytest.raises(MastodonNotFoundError):
        carol.status_post("now?", quoted_status_id=original["id"])
    with pytest.raises(MastodonNotFoundError):
        alice.status_update_quote_approval_policy(original["id"], "public")
    assert Status.objects.get(pk=int(original["id"])).quote_policy == QuotePolicy.NOBODY

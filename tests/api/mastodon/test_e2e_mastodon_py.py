"""End to end: Mastodon.py, a real client, against a live server."""


from urllib.parse import urlsplit

import pytest
from mastodon import Mastodon, MastodonAPIError, MastodonNotFoundError

from statuses.models import Status

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]



def test_mastodon_py_posts_reads_threads_and_deletes(mastodon_py):
    alice = mastodon_py("alice")
    bob = mastodon_py("bob")
    assert alice.account_verify_credentials()["username"] == "alice"

    posted = {}
    for visibility in ("public", "unlisted", "private", "direct"):
        status = alice.status_post(f"A {visibility} post for @bob", visibility=visibility,
                                   spoiler_text="careful")
        assert status["visibility"] == visibility
        assert status["spoiler_text"] == "careful"
        assert status["sensitive"] is True
        assert status["mentions"][0]["acct"] == "bob"
        posted[visibility] = status

    fetched = bob.status(posted["public"]["id"])
    assert fetched["id"] == posted["public"]["id"]
    assert "careful" == fetched["spoiler_text"]
    # bob is mentioned, so he may read the private and direct posts too.
    assert bob.status(posted["direct"]["id"])["visibility"] == "direct"

    reply = bob.status_post("A reply", in_reply_to_id=posted["public"]["id"])
    assert reply["in_reply_to_id"] == posted["public"]["id"]
    nested = alice.status_reply(reply, "And back")
    context = alice.status_context(posted["public"]["id"])
    assert [s["id"] for s in context["ancestors"]] == []
    assert [s["id"] for s in context["descendants"]] == [reply["id"], nested["id"]]
    leaf_context = bob.status_context(nested["id"])
    assert [s["id"] for s in leaf_context["ancestors"]] == [posted["public"]["id"], reply["id"]]

    deleted = alice.status_delete(posted["unlisted"]["id"])
    assert deleted["text"].startswith("A unlisted post for @bob")
    with pytest.raises(MastodonNotFoundError):
        alice.status(posted["unlisted"]["id"])

    first = alice.status_post("Exactly once", idempotency_key="mastodon-py-key")
    second = alice.status_post("Exactly once", idempotency_key="mastodon-py-key")
    assert first["id"] == second["id"]
    assert Status.objects.filter(text="Exactly once").count() == 1


def test_mastodon_py_private_status_hidden_from_stranger(mastodon_py, live_server):
    alice = mastodon_py("alice")
    carol = mastodon_py("carol")
    private = alice.status_post("Followers only", visibility="private")
    with pytest.raises(MastodonNotFoundError):
        carol.status(private["id"])
    anonymous = Mastodon(api_base_url=live_server.url)
    public = alice.status_post("Everyone")
    assert anonymous.status(public["id"])["content"] == "<p>Everyone</p>"
    with pytest.raises(MastodonNotFoundError):
        anonymous.status(private["id"])


def test_mastodon_py_app_registration_and_password_login(live_server, mastodon_py, settings):
    # log_in() posts to the token_endpoint of /.well-known/oauth-authorization-server, which
    # names the instance's domain: here, the live server's (plain http, so allow_http).
    settings.INSTANCE_DOMAIN = urlsplit(live_server.url).netloc
    settings.INSTANCE_SCHEME = "http"
    mastodon_py("dave")  # creates the account
    from accounts.models import Account

    dave = Account.objects.get(username="dave")
    dave.set_password("correct horse battery")
    dave.save()
    client_id, client_secret = Mastodon.create_app(
        "E2E app", api_base_url=live_server.url, scopes=["read", "write"],
        website="https://e2e.example",
    )
    api = Mastodon(client_id=client_id, client_secret=client_secret,
                   api_base_url=live_server.url)
    token = api.log_in("dave", "correct horse battery", scopes=["read", "write"],
                       allow_http=True)
    assert token
    status = api.status_post("Logged in with a password")
    assert status["application"] == {"name": "E2E app", "website": "https://e2e.example"}
    read_only = Mastodon(client_id=client_id, client_secret=client_secret,
                         api_base_url=live_server.url)
    read_only.log_in("dave", "correct horse battery", scopes=["read"], allow_http=True)
    with pytest.raises(MastodonAPIError) as excinfo:
        read_only.status_post("not allowed")
    assert excinfo.value.args[1] == 403

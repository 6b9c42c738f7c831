"""A Mastodon quote is a SelfCommunity share and back: one link (a `share` media and
`quote_of`), one count (`quotes_count` is `share_count`), one list (`/quotes` and `shares/`),
one policy (who may quote may share) and one revoke."""

import pytest

from media.models import MediaAttachment
from statuses import services
from statuses.models import QuotePolicy, QuoteState, Status
from tests.factories import AccountFactory

SC_BODY = {"action": None, "categories": []}


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def client(client_for):
    return client_for


def sc_share(client, shared_id, text="<p>shared from SelfCommunity</p>"):
    response = client.post("/api/v2/media/", {"type": "share", "shared_object": shared_id},
                           format="json")
    assert response.status_code == 201, response.content
    created = client.post("/api/v2/status/", {**SC_BODY, "text": text,
                                              "medias": [response.json()["id"]]}, format="json")
    assert created.status_code == 201, created.content
    return created.json()


def test_a_mastodon_quote_is_a_selfcommunity_share(client, alice, bob):
    quoted = services.status_create(account=bob, text="the original")
    posted = client(alice).post("/api/v1/statuses", {"status": "quoting",
                                                     "quoted_status_id": str(quoted.pk)},
                                format="json")
    assert posted.status_code == 200, posted.content
    quoting_id = int(posted.json()["id"])
    reader = client(AccountFactory())
    seen = reader.get(f"/api/v2/status/{quoted.pk}/").json()
    assert seen["share_count"] == 1
    shares = reader.get(f"/api/v2/status/{quoted.pk}/shares/").json()
    assert shares["count"] == 1 and [s["id"] for s in shares["results"]] == [quoting_id]
    users = reader.get(f"/api/v2/status/{quoted.pk}/shares_users/").json()
    assert [u["id"] for u in users["results"]] == [alice.pk]
    quoting = reader.get(f"/api/v2/status/{quoting_id}/").json()
    [media] = quoting["medias"]
    assert media["type"] == "share"
    assert media["embed"]["metadata"] == {"id": quoted.pk, "type": "status"}
    assert media["title"] == "the original"
    # SelfCommunity's HTML has no Mastodon fallback paragraph: the share is its media.
    assert "quote-inline" not in quoting["html"] and "RE:" not in quoting["html"]


def test_a_selfcommunity_share_is_a_mastodon_quote(client, alice, bob):
    quoted = services.status_create(account=bob, text="the original")
    sharing = sc_share(client(alice), quoted.pk)
    reader = client(AccountFactory())
    listed = reader.get(f"/api/v1/statuses/{quoted.pk}/quotes")
    assert listed.status_code == 200
    [only] = listed.json()
    assert only["id"] == str(sharing["id"])
    assert only["quote"]["state"] == "accepted"
    assert only["quote"]["quoted_status"]["id"] == str(quoted.pk)
    assert reader.get(f"/api/v1/statuses/{quoted.pk}").json()["quotes_count"] == 1
    # And the quoted author revokes it from Mastodon: SelfCommunity stops showing it.
    revoked = client(bob).post(f"/api/v1/statuses/{quoted.pk}/quotes/{sharing['id']}/revoke")
    assert revoked.status_code == 200, revoked.content
    assert revoked.json()["quote"] == {"state": "revoked", "quoted_status": None}
    assert Status.objects.get(pk=sharing["id"]).quote_state == QuoteState.REVOKED
    assert reader.get(f"/api/v2/status/{quoted.pk}/").json()["share_count"] == 0
    assert reader.get(f"/api/v2/status/{quoted.pk}/shares/").json()["count"] == 0
    [media] = reader.get(f"/api/v2/status/{sharing['id']}/").json()["medias"]
    assert media["type"] == "share" and media["title"] is None and media["description"] is None
    assert reader.get(f"/api/v1/statuses/{quoted.pk}/quotes").json() == []
    # A SelfCommunity edit that keeps the share keeps the revoke.
    edit = client(alice).put(f"/api/v2/status/{sharing['id']}/", {
        **SC_BODY, "text": "<p>edited</p>", "medias": [media["id"]]}, format="json")
    assert edit.status_code == 200, edit.content
    assert Status.objects.get(pk=sharing["id"]).quote_state == QuoteState.REVOKED
    assert Status.objects.get(pk=quoted.pk).shares_count == 0


@pytest.mark.parametrize("policy", ["nobody", "followers"])
def test_the_quote_policy_applies_to_selfcommunity_shares(client, alice, bob, policy):
    quoted = services.status_create(account=bob, text="mine", quote={"policy": policy})
    response = client(alice).post("/api/v2/media/", {"type": "share",
                                                     "shared_object": quoted.pk}, format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": [{"field": "shared_object", "messages": [
        {"code": "invalid",
         "message": "The author does not allow this status to be shared."}]}]}
    assert not MediaAttachment.objects.exists()
    # The author still shares their own.
    assert client(bob).post("/api/v2/media/", {"type": "share", "shared_object": quoted.pk},
                            format="json").status_code == 201


def test_a_status_written_on_selfcommunity_gets_the_default_policy(client, alice):
    created = client(alice).post("/api/v2/status/", {**SC_BODY, "text": "<p>hi</p>"},
                                 format="json").json()
    assert Status.objects.get(pk=created["id"]).quote_policy == QuotePolicy.PUBLIC
    body = client(AccountFactory()).get(f"/api/v1/statuses/{created['id']}").json()
    assert body["quote_approval"] == {"automatic": ["public"], "manual": [],
                                      "current_user": "automatic"}

"""GET /api/v1/statuses/:id, GET /api/v1/statuses?id[]=, DELETE, and section B visibility."""

import pytest
from django.utils import timezone

from accounts.models import Account
from statuses.models import Status
from tests.factories import BlockFactory, FollowFactory, MuteFactory


def post(client, text="hello", **extra):
    response = client.post("/api/v1/statuses", {"status": text, **extra})
    assert response.status_code == 200, response.content
    return response.json()


def test_get_public_status_anonymously(anon, alice_client):
    created = post(alice_client)
    response = anon.get(f"/api/v1/statuses/{created['id']}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == created["id"]
    for key in ("favourited", "reblogged", "muted", "bookmarked", "filtered", "pinned"):
        assert key not in body
    assert response["Cache-Control"] == (
        "max-age=15, public, stale-while-revalidate=30, stale-if-error=86400"
    )
    assert "Authorization" in response["Vary"]


def test_get_with_token_is_private_cache(alice_client):
    created = post(alice_client)
    response = alice_client.get(f"/api/v1/statuses/{created['id']}")
    assert response["Cache-Control"] == "private, no-store"


def test_get_with_unknown_token_is_served_anonymously(mastodon, alice_client):
    created = post(alice_client)
    response = mastodon.as_token("not-a-token").get(f"/api/v1/statuses/{created['id']}")
    assert response.status_code == 200
    assert "favourited" not in response.json()


def test_get_with_write_only_token_is_403(mastodon, make_token, alice, alice_client):
    created = post(alice_client)
    response = mastodon.as_token(make_token(alice, "write")).get(f"/api/v1/statuses/{created['id']}")
    assert response.status_code == 403
    assert response.json() == {"error": "This action is outside the authorized scopes"}


def test_pinned_only_on_own_statuses(alice_client, bob_client):
    created = post(alice_client)
    assert alice_client.get(f"/api/v1/statuses/{created['id']}").json()["pinned"] is False
    assert "pinned" not in bob_client.get(f"/api/v1/statuses/{created['id']}").json()
    direct = post(alice_client, visibility="direct")
    assert "pinned" not in alice_client.get(f"/api/v1/statuses/{direct['id']}").json()


@pytest.mark.parametrize("path", ["999999999", "abc", "0", "99999999999999999999999"])
def test_get_missing_status_is_404(anon, path):
    response = anon.get(f"/api/v1/statuses/{path}")
    assert response.status_code == 404
    assert response.json() == {"error": "Not Found"}


def test_unrouted_paths_answer_json_404(anon):
    for path in ("/api/v1/nothing", "/api/v1/statuses/1.json", "/api/v9/x", "/oauth/nope"):
        response = anon.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"error": "Not Found"}, path
        assert response["Content-Type"].startswith("application/json")
        assert "Authorization" in response["Vary"]


# --- visibility (section B) ------------------------------------------------------------------

@pytest.mark.parametrize("visibility", ["private", "direct"])
def test_private_and_direct_hidden_from_others(anon, alice_client, bob_client, visibility):
    created = post(alice_client, visibility=visibility)
    assert anon.get(f"/api/v1/statuses/{created['id']}").status_code == 404
    response = bob_client.get(f"/api/v1/statuses/{created['id']}")
    assert response.status_code == 404
    assert response.json() == {"error": "Not Found"}
    assert alice_client.get(f"/api/v1/statuses/{created['id']}").status_code == 200


def test_unlisted_visible_to_anonymous(anon, alice_client):
    created = post(alice_client, visibility="unlisted")
    assert anon.get(f"/api/v1/statuses/{created['id']}").status_code == 200


def test_private_visible_to_accepted_follower_only(alice_client, bob_client, alice, bob):
    created = post(alice_client, visibility="private")
    follow = FollowFactory(account=bob, target=alice, accepted=False)
    assert bob_client.get(f"/api/v1/statuses/{created['id']}").status_code == 404
    follow.accepted = True
    follow.save()
    assert bob_client.get(f"/api/v1/statuses/{created['id']}").status_code == 200


def test_private_and_direct_visible_to_mentioned(alice_client, bob_client, carol):
    for visibility in ("private", "direct"):
        created = post(alice_client, "hi @bob", visibility=visibility)
        assert bob_client.get(f"/api/v1/statuses/{created['id']}").status_code == 200


def test_direct_not_visible_to_followers(alice_client, bob_client, alice, bob):
    FollowFactory(account=bob, target=alice)
    created = post(alice_client, visibility="direct")
    assert bob_client.get(f"/api/v1/statuses/{created['id']}").status_code == 404


def test_public_hidden_from_viewer_the_author_blocks(alice_client, bob_client, alice, bob):
    created = post(alice_client)
    BlockFactory(account=alice, target=bob)
    assert bob_client.get(f"/api/v1/statuses/{created['id']}").status_code == 404


def test_viewer_who_blocks_author_can_still_get_directly(alice_client, bob_client, alice, bob):
    created = post(alice_client)
    BlockFactory(account=bob, target=alice)
    assert bob_client.get(f"/api/v1/statuses/{created['id']}").status_code == 200


def test_suspended_author_hides_statuses_even_from_author(anon, alice_client, alice):
    created = post(alice_client)
    Account.objects.filter(pk=alice.pk).update(suspended_at=timezone.now())
    assert anon.get(f"/api/v1/statuses/{created['id']}").status_code == 404


def test_collapsed_status_visible_to_author_only(anon, alice_client, bob_client):
    created = post(alice_client)
    Status.objects.filter(pk=created["id"]).update(collapsed=True)
    assert anon.get(f"/api/v1/statuses/{created['id']}").status_code == 404
    assert bob_client.get(f"/api/v1/statuses/{created['id']}").status_code == 404
    assert alice_client.get(f"/api/v1/statuses/{created['id']}").status_code == 200


# --- GET /api/v1/statuses?id[] ----------------------------------------------------------------

def test_get_many_orders_newest_first_and_skips_invisible(anon, alice_client, bob_client):
    a = post(alice_client, "a")
    b = post(alice_client, "b")
    hidden = post(alice_client, "c", visibility="private")
    response = bob_client.get(
        "/api/v1/statuses", {"id[]": [a["id"], hidden["id"], b["id"], a["id"], "999999", "x"]}
    )
    assert response.status_code == 200
    assert [s["id"] for s in response.json()] == [b["id"], a["id"]]


def test_get_many_drops_muted_and_blocked_authors(alice_client, bob_client, alice, bob, carol):
    a = post(alice_client, "a")
    MuteFactory(account=bob, target=alice)
    assert bob_client.get("/api/v1/statuses", {"id[]": [a["id"]]}).json() == []
    # ...but a direct GET still works for a muting viewer.
    assert bob_client.get(f"/api/v1/statuses/{a['id']}").status_code == 200


def test_get_many_more_than_20_ids_is_422(anon):
    response = anon.get("/api/v1/statuses", {"id[]": [str(i) for i in range(1, 22)]})
    assert response.status_code == 422
    assert response.json() == {"error": "Mastodon::ValidationError"}


def test_get_many_scalar_id_is_empty(anon, alice_client):
    a = post(alice_client, "a")
    assert anon.get("/api/v1/statuses", {"id": a["id"]}).json() == []
    assert anon.get("/api/v1/statuses").json() == []


# --- DELETE -----------------------------------------------------------------------------------

def test_delete_returns_source_and_hides_status(anon, alice_client, alice):
    created = post(alice_client, "bye @bob #tag", spoiler_text="cw")
    response = alice_client.delete(f"/api/v1/statuses/{created['id']}")
    assert response.status_code == 200
    body = response.json()
    assert "content" not in body
    assert body["text"] == "bye @bob #tag"
    assert body["spoiler_text"] == "cw"
    assert body["id"] == created["id"]
    assert anon.get(f"/api/v1/statuses/{created['id']}").status_code == 404
    assert alice_client.get(f"/api/v1/statuses/{created['id']}").status_code == 404
    status = Status.objects.get(pk=created["id"])
    assert status.deleted_at is not None
    alice.refresh_from_db()
    assert alice.statuses_count == 0


def test_delete_others_status_is_404_and_keeps_it(alice_client, bob_client):
    created = post(alice_client)
    response = bob_client.delete(f"/api/v1/statuses/{created['id']}")
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}
    assert Status.objects.get(pk=created["id"]).deleted_at is None


def test_delete_twice_is_404(alice_client):
    created = post(alice_client)
    assert alice_client.delete(f"/api/v1/statuses/{created['id']}").status_code == 200
    assert alice_client.delete(f"/api/v1/statuses/{created['id']}").status_code == 404


def test_delete_reply_decrements_parent_replies_count(alice_client, bob_client):
    parent = post(bob_client)
    reply = post(alice_client, "r", in_reply_to_id=parent["id"])
    assert bob_client.get(f"/api/v1/statuses/{parent['id']}").json()["replies_count"] == 1
    alice_client.delete(f"/api/v1/statuses/{reply['id']}")
    assert bob_client.get(f"/api/v1/statuses/{parent['id']}").json()["replies_count"] == 0


def test_delete_requires_write_scope(mastodon, make_token, alice, alice_client):
    created = post(alice_client)
    response = mastodon.as_token(make_token(alice, "read")).delete(f"/api/v1/statuses/{created['id']}")
    assert response.status_code == 403
    assert Status.objects.get(pk=created["id"]).deleted_at is None

"""A suspended author's statuses leave both APIs (404, every list, every paged count, every
timeline) and come back on unsuspend; the suspended account's tokens answer 401."""

import pytest
from rest_framework.test import APIClient

from moderation import services
from statuses import services as status_services
from statuses.services.feedback import contribution_vote
from tests.factories import FollowFactory

SC_LISTS = ("/api/v2/status/", "/api/v2/feed/explore/", "/api/v2/status/search/?q=word")


def client_for(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def world(alice, bob, carol, make_token):
    """alice (to be suspended) posts, replies to bob, favourites and reblogs bob's status;
    carol follows both and reads."""
    FollowFactory(account=carol, target=alice)
    FollowFactory(account=carol, target=bob)
    own = status_services.status_create(account=alice, text="alice says word #topic")
    bobs = status_services.status_create(account=bob, text="bob says word")
    reply = status_services.status_create(account=alice, text="alice replies word",
                                          in_reply_to_id=bobs.pk, in_reply_to_given=True)
    status_services.status_favourite(account=alice, status_id=bobs.pk)
    contribution_vote(account=alice, status_id=own.pk, reaction_id=None)
    status_services.status_reblog(account=alice, status_id=bobs.pk)
    return {"own": own, "bobs": bobs, "reply": reply,
            "carol": client_for(make_token(carol)), "alice_token": make_token(alice)}


def ids(response, key="id"):
    assert response.status_code == 200, response.content
    body = response.json()
    items = body["results"] if isinstance(body, dict) else body
    return {int(item[key] if key in item else item["status"][key]) for item in items}


def snapshot(world):
    """What carol (a follower) and an anonymous reader see of alice."""
    carol, anon = world["carol"], APIClient()
    own, bobs, reply = world["own"].pk, world["bobs"].pk, world["reply"].pk
    seen = {
        "m_status": carol.get(f"/api/v1/statuses/{own}").status_code,
        "m_status_anon": anon.get(f"/api/v1/statuses/{own}").status_code,
        "m_reply": carol.get(f"/api/v1/statuses/{reply}").status_code,
        "sc_status": carol.get(f"/api/v2/status/{own}/").status_code,
        "sc_status_anon": anon.get(f"/api/v2/status/{own}/").status_code,
        "m_public": ids(anon.get("/api/v1/timelines/public")),
        "m_home": ids(carol.get("/api/v1/timelines/home")),
        "m_tag": ids(carol.get("/api/v1/timelines/tag/topic")),
        # Mastodon answers an unavailable account's statuses with an empty list.
        "m_account": ids(carol.get(f"/api/v1/accounts/{world['own'].account_id}/statuses")),
        "m_context": ids_of_context(carol.get(f"/api/v1/statuses/{bobs}/context")),
        "m_favourited_by": ids(carol.get(f"/api/v1/statuses/{bobs}/favourited_by")),
        "m_reblogged_by": ids(carol.get(f"/api/v1/statuses/{bobs}/reblogged_by")),
        "sc_comments": ids(carol.get(f"/api/v2/comment/?status={bobs}")),
        "sc_feed": {int(i["status"]["id"]) for i in carol.get("/api/v2/feed/").json()["results"]},
    }
    for path in SC_LISTS:
        response = carol.get(path)
        seen[path] = (ids(response), response.json()["count"])
    return seen


def ids_of_context(response):
    assert response.status_code == 200
    return {int(s["id"]) for s in response.json()["descendants"]}


def test_suspension_hides_everything_and_unsuspend_brings_it_back(world, alice, bob):
    before = snapshot(world)
    own, reply = world["own"].pk, world["reply"].pk
    assert before["m_status"] == before["sc_status"] == 200
    assert own in before["m_public"] and reply in before["m_context"]
    assert alice.pk in before["m_favourited_by"] and alice.pk in before["m_reblogged_by"]
    assert own in before["/api/v2/status/"][0]

    from tests.factories import AccountFactory
    moderator = AccountFactory(username="boss", is_superuser=True, is_staff=True)
    services.account_suspend(moderator=moderator, account=alice, reason="spam")

    during = snapshot(world)
    assert during["m_status"] == during["m_status_anon"] == during["m_reply"] == 404
    assert during["sc_status"] == during["sc_status_anon"] == 404
    for key in ("m_public", "m_home", "m_tag", "m_context", "sc_comments", "sc_feed"):
        assert not ({own, reply} & during[key]), key
    assert during["m_account"] == set()
    assert alice.pk not in during["m_favourited_by"]
    assert alice.pk not in during["m_reblogged_by"]
    for path in SC_LISTS:
        assert own not in during[path][0], path
        assert during[path][1] == before[path][1] - 1, path
    # Their tokens stop working.
    response = client_for(world["alice_token"]).get("/api/v1/timelines/home")
    assert response.status_code == 401
    assert response.json() == {"error": "The access token was revoked"}
    response = client_for(world["alice_token"]).get("/api/v2/feed/")
    assert response.status_code == 401
    assert set(response.json()) == {"errors"}

    services.account_unsuspend(moderator=moderator, account=alice)
    assert snapshot(world) == before


def test_stored_counters_keep_the_suspended_accounts_rows(world, alice):
    """A choice, as Mastodon does until it deletes a suspended account: the stored counters of
    others' statuses (replies, favourites, reblogs) are not recounted on suspension, which is
    reversible; only what is listed or read changes."""
    from tests.factories import AccountFactory

    moderator = AccountFactory(username="boss", is_superuser=True, is_staff=True)
    services.account_suspend(moderator=moderator, account=alice)
    body = world["carol"].get(f"/api/v1/statuses/{world['bobs'].pk}").json()
    assert (body["replies_count"], body["favourites_count"], body["reblogs_count"]) == (1, 1, 1)

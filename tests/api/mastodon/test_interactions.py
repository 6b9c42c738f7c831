"""Favourite, reblog, bookmark, conversation mute and pin (sections I and J)."""

import pytest

from accounts.models import Account
from statuses import services
from statuses.models import Bookmark, ConversationMute, Pin, Status, Vote
from tests.factories import AccountFactory, BlockFactory, FollowFactory


def post(account, text="hello", **kwargs):
    return services.status_create(account=account, text=text, **kwargs)


def url(status, verb):
    return f"/api/v1/statuses/{status.pk}/{verb}"


# --- favourites -----------------------------------------------------------------------------

def test_favourite_sets_flag_and_count_idempotently(bob_client, alice, bob):
    status = post(alice)
    first = bob_client.post(url(status, "favourite"))
    assert first.status_code == 200
    body = first.json()
    assert body["id"] == str(status.pk)
    assert body["favourited"] is True
    assert body["favourites_count"] == 1
    again = bob_client.post(url(status, "favourite")).json()
    assert again["favourites_count"] == 1
    vote = Vote.objects.get(status=status, account=bob)
    assert vote.reaction_id is None  # the default reaction
    assert Status.objects.get(pk=status.pk).likes_count == 1


def test_unfavourite_removes_vote_and_decrements(bob_client, alice, bob):
    status = post(alice)
    bob_client.post(url(status, "favourite"))
    body = bob_client.post(url(status, "unfavourite")).json()
    assert body["favourited"] is False
    assert body["favourites_count"] == 0
    assert not Vote.objects.exists()
    # Not favourited and visible: 200 unchanged.
    assert bob_client.post(url(status, "unfavourite")).json()["favourites_count"] == 0


def test_unfavourite_works_after_author_blocks(bob_client, alice, bob):
    status = post(alice)
    bob_client.post(url(status, "favourite"))
    BlockFactory(account=alice, target=bob)
    response = bob_client.post(url(status, "unfavourite"))
    assert response.status_code == 200
    assert Status.objects.get(pk=status.pk).likes_count == 0


@pytest.mark.parametrize("verb, undo", [("favourite", "unfavourite"),
                                        ("bookmark", "unbookmark"), ("reblog", "unreblog")])
def test_undo_on_a_status_gone_out_of_sight_keeps_its_text_back(bob_client, alice, bob, verb,
                                                                 undo):
    status = post(alice, text="soon collapsed by a moderator")
    assert bob_client.post(url(status, verb)).status_code == 200
    Status.objects.filter(pk=status.pk).update(collapsed=True)
    response = bob_client.post(url(status, undo))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(status.pk)
    assert body["favourited"] is False and body["reblogged"] is False
    assert body["bookmarked"] is False
    assert (body["content"], body["spoiler_text"], body["media_attachments"]) == ("", "", [])
    assert b"collapsed by a moderator" not in response.content
    assert not Vote.objects.filter(account=bob).exists()
    assert not Bookmark.objects.filter(account=bob).exists()


def test_favourite_invisible_is_404_and_blocked_author_is_403(bob_client, alice, bob):
    hidden = post(alice, visibility="private")
    response = bob_client.post(url(hidden, "favourite"))
    assert response.status_code == 404
    assert response.json() == {"error": "Not Found"}
    assert bob_client.post(url(hidden, "unfavourite")).status_code == 404
    public = post(alice)
    BlockFactory(account=bob, target=alice)
    response = bob_client.post(url(public, "favourite"))
    assert response.status_code == 403
    assert response.json() == {"error": "This action is not allowed"}
    assert not Vote.objects.exists()


def test_favourite_of_reblog_favourites_original(bob_client, carol, alice):
    original = post(alice)
    wrapper = services.status_reblog(account=carol, status_id=original.pk)
    body = bob_client.post(url(wrapper, "favourite")).json()
    assert body["id"] == str(original.pk)
    assert Vote.objects.get().status_id == original.pk


def test_favourite_scopes(mastodon, make_token, alice, bob):
    status = post(alice)
    assert mastodon.as_token(make_token(bob, "write:favourites")).post(
        url(status, "favourite")).status_code == 200
    response = mastodon.as_token(make_token(bob, "write:statuses")).post(url(status, "favourite"))
    assert response.status_code == 403
    assert mastodon.as_token(make_token(None, "write")).post(
        url(status, "favourite")).status_code == 422
    mastodon.credentials()
    assert mastodon.post(url(status, "favourite")).status_code == 401


# --- reblogs --------------------------------------------------------------------------------

def test_reblog_returns_wrapper_with_original_nested(bob_client, alice, bob):
    status = post(alice, "boost me #tag")
    response = bob_client.post(url(status, "reblog"))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] != str(status.pk)
    assert body["content"] == "" and body["spoiler_text"] == "" and body["language"] is None
    assert body["media_attachments"] == [] and body["mentions"] == [] and body["tags"] == []
    assert body["account"]["id"] == str(bob.pk)
    assert body["uri"] == f"https://social.example/users/bob/statuses/{body['id']}/activity"
    assert body["url"] == body["uri"]
    assert body["application"] is None
    assert body["visibility"] == "public"
    assert body["reblog"]["id"] == str(status.pk)
    assert body["reblog"]["reblogged"] is True
    # The wrapper reports the booster's relationship to the original, as Mastodon does.
    assert body["reblogged"] is True
    assert body["reblog"]["reblogs_count"] == 1
    assert "pinned" not in body
    bob.refresh_from_db()
    assert bob.statuses_count == 1
    # Idempotent: the same wrapper again, no second row.
    again = bob_client.post(url(status, "reblog")).json()
    assert again["id"] == body["id"]
    assert Status.objects.filter(reblog_of=status).count() == 1


def test_get_wrapper_returns_nested_original(anon, alice, bob):
    status = post(alice)
    wrapper = services.status_reblog(account=bob, status_id=status.pk)
    body = anon.get(f"/api/v1/statuses/{wrapper.pk}").json()
    assert body["reblog"]["id"] == str(status.pk)
    assert body["reblog"]["content"] == "<p>hello</p>"


def test_reblog_of_reblog_targets_original(bob_client, alice, carol):
    status = post(alice)
    wrapper = services.status_reblog(account=carol, status_id=status.pk)
    body = bob_client.post(url(wrapper, "reblog")).json()
    assert body["reblog"]["id"] == str(status.pk)


@pytest.mark.parametrize("visibility,expected", [("unlisted", "unlisted"), ("private", "private")])
def test_reblog_visibility_param(bob_client, alice, visibility, expected):
    status = post(alice)
    body = bob_client.post(url(status, "reblog"), {"visibility": visibility}).json()
    assert body["visibility"] == expected


def test_reblog_visibility_direct_or_unknown_is_422(bob_client, alice):
    status = post(alice)
    response = bob_client.post(url(status, "reblog"), {"visibility": "direct"})
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: Visibility is reserved"}
    response = bob_client.post(url(status, "reblog"), {"visibility": "xxx"})
    assert response.json() == {
        "error": "Validation failed: Visibility is not included in the list"
    }
    assert not Status.objects.filter(reblog_of=status).exists()


def test_reblog_private_rules(alice_client, bob_client, alice, bob):
    FollowFactory(account=bob, target=alice)
    private = post(alice, visibility="private")
    response = bob_client.post(url(private, "reblog"))
    assert response.status_code == 403
    assert response.json() == {"error": "This action is not allowed"}
    own = alice_client.post(url(private, "reblog"))
    assert own.status_code == 200
    assert own.json()["visibility"] == "private"
    direct = post(alice, visibility="direct")
    assert alice_client.post(url(direct, "reblog")).status_code == 403


def test_reblog_invisible_is_404(bob_client, alice):
    hidden = post(alice, visibility="private")
    assert bob_client.post(url(hidden, "reblog")).status_code == 404


def test_unreblog_returns_original_and_removes_wrapper(anon, bob_client, alice, bob):
    status = post(alice)
    wrapper_id = bob_client.post(url(status, "reblog")).json()["id"]
    body = bob_client.post(url(status, "unreblog")).json()
    assert body["id"] == str(status.pk)
    assert body["reblogged"] is False
    assert body["reblogs_count"] == 0
    assert anon.get(f"/api/v1/statuses/{wrapper_id}").status_code == 404
    bob.refresh_from_db()
    assert bob.statuses_count == 0
    # Not reblogged and visible: 200 unchanged.
    assert bob_client.post(url(status, "unreblog")).status_code == 200


def test_deleting_original_hides_its_reblogs(anon, alice_client, alice, bob):
    status = post(alice)
    wrapper = services.status_reblog(account=bob, status_id=status.pk)
    alice_client.delete(f"/api/v1/statuses/{status.pk}")
    assert anon.get(f"/api/v1/statuses/{wrapper.pk}").status_code == 404
    assert Account.objects.get(pk=bob.pk).statuses_count == 0


def test_wrapper_of_invisible_original_is_hidden(bob_client, carol_client_factory, alice, bob,
                                                 carol):
    FollowFactory(account=carol, target=alice)
    private = post(alice, visibility="private")
    wrapper = services.status_reblog(account=alice, status_id=private.pk)
    # bob does not follow alice: neither the wrapper nor the original is his to see.
    assert bob_client.get(f"/api/v1/statuses/{wrapper.pk}").status_code == 404
    assert carol_client_factory().get(f"/api/v1/statuses/{wrapper.pk}").status_code == 200


@pytest.fixture
def carol_client_factory(make_token, carol):
    from rest_framework.test import APIClient

    def make():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(carol)}")
        return client

    return make


# --- bookmarks, mutes -----------------------------------------------------------------------

def test_bookmark_and_unbookmark(bob_client, alice, bob):
    status = post(alice)
    assert bob_client.post(url(status, "bookmark")).json()["bookmarked"] is True
    assert bob_client.post(url(status, "bookmark")).status_code == 200
    assert Bookmark.objects.filter(account=bob).count() == 1
    assert bob_client.post(url(status, "unbookmark")).json()["bookmarked"] is False
    assert not Bookmark.objects.exists()
    hidden = post(alice, visibility="direct")
    assert bob_client.post(url(hidden, "bookmark")).status_code == 404
    assert bob_client.post(url(hidden, "unbookmark")).status_code == 404


def test_mute_mutes_whole_conversation(bob_client, alice, bob, carol):
    root = post(alice)
    reply = post(carol, "r", in_reply_to_id=root.pk, in_reply_to_given=True)
    body = bob_client.post(url(reply, "mute")).json()
    assert body["muted"] is True
    assert ConversationMute.objects.get(account=bob).thread_id == root.pk
    assert bob_client.get(f"/api/v1/statuses/{root.pk}").json()["muted"] is True
    assert bob_client.post(url(root, "unmute")).json()["muted"] is False
    assert bob_client.post(url(root, "unmute")).status_code == 200
    assert bob_client.get(f"/api/v1/statuses/{reply.pk}").json()["muted"] is False


# --- pins -----------------------------------------------------------------------------------

def test_pin_own_status_and_unpin(alice_client, alice):
    status = post(alice)
    body = alice_client.post(url(status, "pin")).json()
    assert body["pinned"] is True
    assert Pin.objects.filter(account=alice, status=status).exists()
    duplicate = alice_client.post(url(status, "pin"))
    assert duplicate.status_code == 422
    assert duplicate.json() == {"error": "Duplicate record"}
    assert alice_client.post(url(status, "unpin")).json()["pinned"] is False
    assert alice_client.post(url(status, "unpin")).status_code == 200


def test_pin_failures(alice_client, bob_client, alice, bob):
    others = post(bob)
    response = alice_client.post(url(others, "pin"))
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: Someone else's post cannot be pinned"}
    direct = post(alice, visibility="direct")
    assert alice_client.post(url(direct, "pin")).json() == {
        "error": "Validation failed: Posts that are only visible to mentioned users cannot be pinned"
    }
    wrapper = services.status_reblog(account=alice, status_id=others.pk)
    assert alice_client.post(url(wrapper, "pin")).json() == {
        "error": "Validation failed: A boost cannot be pinned"
    }
    for i in range(5):
        assert alice_client.post(url(post(alice, str(i)), "pin")).status_code == 200
    sixth = alice_client.post(url(post(alice, "6"), "pin"))
    assert sixth.status_code == 422
    assert sixth.json() == {
        "error": "Validation failed: You have already pinned the maximum number of posts"
    }
    assert Pin.objects.filter(account=alice).count() == 5


def test_pin_requires_write_accounts_scope(mastodon, make_token, alice):
    status = post(alice)
    assert mastodon.as_token(make_token(alice, "write:statuses")).post(
        url(status, "pin")).status_code == 403
    assert mastodon.as_token(make_token(alice, "write:accounts")).post(
        url(status, "pin")).status_code == 200


def test_flags_constant_queries(bob_client, alice, bob, django_assert_num_queries, token_trip):
    status = post(alice)
    bob_client.post(url(status, "favourite"))
    bob_client.post(url(status, "bookmark"))
    # One query: the token, and the status with its visibility and the viewer's flags.
    with django_assert_num_queries(1 + token_trip):
        body = bob_client.get(f"/api/v1/statuses/{status.pk}").json()
    assert body["favourited"] is True and body["bookmarked"] is True
    assert body["reblogged"] is False and body["muted"] is False
    wrapper = services.status_reblog(account=bob, status_id=status.pk)
    with django_assert_num_queries(1 + token_trip):
        body = bob_client.get(f"/api/v1/statuses/{wrapper.pk}").json()
    assert body["reblog"]["favourited"] is True
    assert body["reblog"]["reblogged"] is True and body["reblog"]["bookmarked"] is True
    flags = ("favourited", "reblogged", "muted", "bookmarked")
    assert {k: body[k] for k in flags} == {k: body["reblog"][k] for k in flags}


def test_many_accounts_favourite(alice):
    status = post(alice)
    for _ in range(3):
        services.status_favourite(account=AccountFactory(), status_id=status.pk)
    assert Status.objects.get(pk=status.pk).likes_count == 3 == Vote.objects.count()


def test_wrapper_flags_follow_the_original_in_every_listing(bob_client, alice, bob):
    """Timelines, account statuses and the reblog answer render a wrapper with the viewer's
    flags on the original (favourited, reblogged, muted, bookmarked)."""
    status = post(alice, "boost and keep")
    bob_client.post(url(status, "bookmark"))
    bob_client.post(url(status, "mute"))
    wrapper = bob_client.post(url(status, "reblog")).json()
    expected = {"favourited": False, "reblogged": True, "muted": True, "bookmarked": True}
    assert {k: wrapper[k] for k in expected} == expected
    # (The public timeline holds no reblogs, as Mastodon's.)
    for path in ("/api/v1/timelines/home",
                 f"/api/v1/accounts/{bob.pk}/statuses", f"/api/v1/statuses/{wrapper['id']}"):
        body = bob_client.get(path).json()
        shown = body if isinstance(body, dict) else next(
            s for s in body if s["id"] == wrapper["id"])
        assert {k: shown[k] for k in expected} == expected, path
        assert {k: shown["reblog"][k] for k in expected} == expected, path
        assert "pinned" not in shown


def test_self_boost_wrapper_carries_the_originals_pin(alice_client, alice):
    status = post(alice, "mine, pinned and boosted")
    alice_client.post(url(status, "pin"))
    wrapper = alice_client.post(url(status, "reblog")).json()
    assert wrapper["reblog"]["pinned"] is True and wrapper["pinned"] is True

"""SelfCommunity readers' feedback on a status: vote with reactions, flag, follow, suspend, hide,
views, and the author's restore; with the rows and counters they leave and what Mastodon sees."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import Visibility
from categories.models import Reaction
from statuses import services
from statuses.models import (
    Flag,
    NotificationSuspension,
    Status,
    StatusFollow,
    StatusHide,
    StatusView,
    Vote,
)
from tests.api.selfcommunity.test_statuses import USER_KEYS, post, upload
from tests.factories import AccountFactory, BlockFactory

REACTION_KEYS = {"id", "label", "image", "sentiment", "active"}
VOTE_KEYS = {"user", "reaction", "voted_at"}
FLAG_KEYS = {"user", "added_at", "flag_type", "flag_type_description"}


def errors_of(response) -> list:
    return response.json()["errors"]


@pytest.fixture
def status(alice):
    return services.status_create(account=alice, text="a status to react to")


def base(status) -> str:
    return f"/api/v2/status/{status.pk}/"


def reaction(label: str) -> Reaction:
    return Reaction.objects.get(label=label)


# --- reactions --------------------------------------------------------------------------------


def test_reactions_are_listed_with_the_default_like_first(anon):
    response = anon.get("/api/v2/reaction/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 6
    labels = [r["label"] for r in body["results"]]
    assert labels == ["Like", "Love", "Funny", "Wow", "Sad", "Angry"]
    first = body["results"][0]
    assert set(first) == REACTION_KEYS
    assert first["id"] == Reaction.objects.get(is_default=True).pk
    assert first["image"] == "https://social.example/static/reactions/like.svg"
    one = anon.get(f"/api/v2/reaction/{first['id']}/")
    assert one.status_code == 200 and one.json() == first
    assert anon.get("/api/v2/reaction/999999/").status_code == 404


# --- votes ----------------------------------------------------------------------------------


def test_vote_toggle_follows_the_three_rules(bob_sc, bob, status, alice_client):
    love, like = reaction("Love"), reaction("Like")
    vote = base(status) + "vote/"
    # No vote: a vote with the default reaction.
    response = bob_sc.post(vote)
    assert response.status_code == 204 and response.content == b""
    row = Vote.objects.get(status=status, account=bob)
    assert row.reaction_id is None
    body = bob_sc.get(base(status)).json()
    assert (body["vote_count"], body["voted"], body["reaction"]["id"]) == (1, True, like.pk)
    # Another reaction: switched, the count unchanged.
    assert bob_sc.post(vote + f"?reaction={love.pk}").status_code == 204
    assert Vote.objects.get(status=status, account=bob).reaction_id == love.pk
    body = bob_sc.get(base(status)).json()
    assert (body["vote_count"], body["reaction"]["id"]) == (1, love.pk)
    assert body["reactions_count"] == [{"reaction": bob_sc.get(
        f"/api/v2/reaction/{love.pk}/").json(), "count": 1}]
    # The same reaction again: removed.
    assert bob_sc.post(vote + f"?reaction={love.pk}").status_code == 204
    assert not Vote.objects.filter(status=status).exists()
    body = bob_sc.get(base(status)).json()
    assert (body["vote_count"], body["voted"], body["reaction"]) == (0, False, None)
    assert Status.objects.get(pk=status.pk).likes_count == 0


def test_a_vote_is_a_favourite_and_back(bob_sc, bob, status, alice_client, mastodon,
                                        make_token):
    bob_mastodon = mastodon.as_token(make_token(bob))
    assert bob_sc.post(base(status) + f"vote/?reaction={reaction('Funny').pk}").status_code == 204
    seen = bob_mastodon.get(f"/api/v1/statuses/{status.pk}").json()
    assert (seen["favourited"], seen["favourites_count"]) == (True, 1)
    by = alice_client.get(f"/api/v1/statuses/{status.pk}/favourited_by").json()
    assert [a["id"] for a in by] == [str(bob.pk)]
    # Unfavourite removes the vote whatever its reaction.
    assert bob_mastodon.post(f"/api/v1/statuses/{status.pk}/unfavourite").status_code == 200
    assert bob_sc.get(base(status)).json()["vote_count"] == 0
    # A favourite is a vote with the default reaction; voting it again removes it.
    bob_mastodon.post(f"/api/v1/statuses/{status.pk}/favourite")
    body = bob_sc.get(base(status)).json()
    assert (body["voted"], body["reaction"]["label"]) == (True, "Like")
    assert bob_sc.post(base(status) + "vote/?reaction=" + str(reaction("Like").pk)
                       ).status_code == 204
    assert bob_mastodon.get(f"/api/v1/statuses/{status.pk}").json()["favourited"] is False


@pytest.mark.parametrize("query, code, message", [
    ("?reaction=999", "does_not_exist", 'Invalid pk "999" - object does not exist.'),
    ("?reaction=abc", "invalid", "A valid integer is required."),
    ("?reaction=-1", "invalid", "A valid integer is required."),
])
def test_a_bad_reaction_is_400_and_writes_nothing(bob_sc, status, query, code, message):
    response = bob_sc.post(base(status) + "vote/" + query)
    assert response.status_code == 400
    assert errors_of(response) == [{"field": "reaction",
                                    "messages": [{"code": code, "message": message}]}]
    assert not Vote.objects.exists()


def test_an_inactive_reaction_is_refused(bob_sc, status):
    sad = reaction("Sad")
    Reaction.objects.filter(pk=sad.pk).update(active=False)
    assert bob_sc.post(base(status) + f"vote/?reaction={sad.pk}").status_code == 400
    assert not Vote.objects.exists()


def test_a_vote_on_a_status_the_viewer_may_not_see_is_404(bob_sc, alice):
    private = services.status_create(account=alice, text="followers", visibility="private")
    response = bob_sc.post(base(private) + "vote/")
    assert response.status_code == 404
    assert errors_of(response) == [{"code": "not_found", "message": "Not found."}]
    assert not Vote.objects.exists()


def test_votes_list_pages_filters_and_hides_blocked_voters(bob_sc, sc, status, alice, anon):
    love = reaction("Love")
    voters = [AccountFactory() for _ in range(3)]
    services.status_favourite(account=voters[0], status_id=status.pk)
    for voter in voters[1:]:
        services.status_favourite(account=voter, status_id=status.pk)
        Vote.objects.filter(account=voter).update(reaction=love)
    body = anon.get(base(status) + "vote/?limit=2").json()
    assert body["count"] == 3 and len(body["results"]) == 2
    assert body["next"] == f"http://testserver{base(status)}vote/?limit=2&offset=2"
    first = body["results"][0]
    assert set(first) == VOTE_KEYS and set(first["user"]) == USER_KEYS
    assert first["user"]["id"] == voters[2].pk and first["reaction"]["id"] == love.pk
    liked = anon.get(base(status) + f"vote/?reaction={reaction('Like').pk}").json()
    assert [v["user"]["id"] for v in liked["results"]] == [voters[0].pk]
    assert anon.get(base(status) + "vote/?reaction=999").status_code == 400
    BlockFactory(account=alice, target=voters[1])
    assert sc.get(base(status) + "vote/").json()["count"] == 2


@pytest.mark.parametrize("voters", [1, 20])
def test_votes_list_query_count_is_constant(anon, status, voters, django_assert_num_queries):
    love = reaction("Love")
    for i in range(voters):
        voter = AccountFactory()
        services.status_favourite(account=voter, status_id=status.pk)
        if i % 2:
            Vote.objects.filter(account=voter).update(reaction=love)
    # visibility, reactions, count, page (votes with their accounts)
    with django_assert_num_queries(4):
        body = anon.get(base(status) + "vote/?limit=20").json()
    assert len(body["results"]) == voters


@pytest.mark.parametrize("kinds", [1, 5])
def test_status_with_many_reactions_query_count_is_constant(sc, alice, bob_sc, kinds,
                                                            django_assert_num_queries):
    created = post(sc, text="react", medias=[upload(sc)]).json()
    labels = ["Like", "Love", "Funny", "Wow", "Sad"][:kinds]
    for label in labels:
        for _ in range(2):
            voter = AccountFactory()
            services.status_favourite(account=voter, status_id=created["id"])
            if label != "Like":
                Vote.objects.filter(account=voter).update(reaction=reaction(label))
    path = f"/api/v2/status/{created['id']}/"
    bob_sc.get(path)  # the first view is recorded; repeated views cost the same
    # token, status, categories, tags, the viewer's follows, suspensions and vote (one query),
    # the reactions with their counts (one query), the view; the media come with the rendering
    # the first view cached (statuses/render_cache.py)
    with django_assert_num_queries(7):
        body = bob_sc.get(path).json()
    assert [r["count"] for r in body["reactions_count"]] == [2] * kinds
    assert body["vote_count"] == 2 * kinds


# --- flags ----------------------------------------------------------------------------------


def test_flag_toggles_and_accepts_the_sdks_bare_integer(bob_sc, bob, status):
    flag = base(status) + "flag/"
    assert bob_sc.post(flag, {"flag_type": 2}, format="json").status_code == 204
    assert Flag.objects.get(status=status, account=bob).flag_type == 2
    assert Status.objects.get(pk=status.pk).flags_count == 1
    own = bob_sc.get(flag + "status/")
    assert own.status_code == 200
    assert set(own.json()) == {"added_at", "flag_type", "flag_type_description"}
    assert (own.json()["flag_type"], own.json()["flag_type_description"]) == (2, "vulgar")
    # The SDK's flagFeedObject sends the bare integer as the whole body: another type replaces.
    response = bob_sc.post(flag, data="0", content_type="application/json")
    assert response.status_code == 204
    assert Flag.objects.get(status=status, account=bob).flag_type == 0
    assert bob_sc.get(base(status)).json()["flag_count"] == 1
    # The same type again withdraws it.
    assert bob_sc.post(flag, {"flag_type": 0}, format="json").status_code == 204
    assert not Flag.objects.exists()
    assert Status.objects.get(pk=status.pk).flags_count == 0
    missing = bob_sc.get(flag + "status/")
    assert missing.status_code == 404 and errors_of(missing)[0]["code"] == "not_found"


@pytest.mark.parametrize("body, code", [
    ({"flag_type": 9}, "invalid_choice"),
    ({"flag_type": "spam"}, "invalid"),
    ({"flag_type": [1]}, "invalid"),
    ({"flag_type": True}, "invalid"),
    ({}, "required"),
    ("9", "invalid_choice"),
    ("[]", "required"),
])
def test_bad_flag_types_are_400_and_write_nothing(bob_sc, status, body, code):
    if isinstance(body, str):
        response = bob_sc.post(base(status) + "flag/", data=body, content_type="application/json")
    else:
        response = bob_sc.post(base(status) + "flag/", body, format="json")
    assert response.status_code == 400
    [error] = errors_of(response)
    assert error["field"] == "flag_type" and error["messages"][0]["code"] == code
    assert not Flag.objects.exists()
    assert Status.objects.get(pk=status.pk).flags_count == 0


def test_flag_list_is_for_moderators_only(bob_sc, sc_client, bob, carol, status):
    bob_sc.post(base(status) + "flag/", {"flag_type": 1}, format="json")
    refused = sc_client(carol).get(base(status) + "flag/")
    assert refused.status_code == 403
    assert errors_of(refused)[0]["code"] == "permission_denied"
    moderator = AccountFactory()
    moderator.groups.add(Group.objects.get(name="Moderators"))
    staff = AccountFactory(is_staff=True)
    for who in (moderator, staff):
        body = sc_client(who).get(base(status) + "flag/").json()
        assert body["count"] == 1
        [item] = body["results"]
        assert set(item) == FLAG_KEYS
        assert (item["user"]["id"], item["flag_type"], item["flag_type_description"]) == (
            bob.pk, 1, "aggressive")


def test_flag_of_a_status_the_viewer_may_not_see_is_404(bob_sc, alice):
    direct = services.status_create(account=alice, text="secret", visibility="direct")
    assert bob_sc.post(base(direct) + "flag/", {"flag_type": 0}, format="json"
                       ).status_code == 404
    assert not Flag.objects.exists()


# --- follow, suspend, hide ------------------------------------------------------------------


@pytest.mark.parametrize("action, check, key, model", [
    ("follow/", "following/", "following", StatusFollow),
    ("suspend/", "suspended/", "suspended", NotificationSuspension),
    ("hide/", "hide/status/", "hidden", StatusHide),
])
def test_toggles_set_and_clear_their_row(bob_sc, bob, status, action, check, key, model):
    assert bob_sc.get(base(status) + check).json() == {key: False}
    assert bob_sc.post(base(status) + action).status_code == 204
    assert model.objects.filter(status=status, account=bob).count() == 1
    assert bob_sc.get(base(status) + check).json() == {key: True}
    assert bob_sc.post(base(status) + action).status_code == 204
    assert not model.objects.exists()
    assert bob_sc.get(base(status) + check).json() == {key: False}


def test_follow_and_suspend_show_in_the_status(bob_sc, status, sc):
    bob_sc.post(base(status) + "follow/")
    bob_sc.post(base(status) + "suspend/")
    body = bob_sc.get(base(status)).json()
    assert (body["followed"], body["follower_count"], body["suspended"]) == (True, 1, True)
    other = sc.get(base(status)).json()
    assert (other["followed"], other["follower_count"], other["suspended"]) == (False, 1, False)
    assert Status.objects.get(pk=status.pk).followers_count == 1
    bob_sc.post(base(status) + "follow/")
    assert Status.objects.get(pk=status.pk).followers_count == 0


def test_suspend_is_not_mastodons_conversation_mute(bob_sc, bob, status, mastodon, make_token):
    bob_sc.post(base(status) + "suspend/")
    seen = mastodon.as_token(make_token(bob)).get(f"/api/v1/statuses/{status.pk}").json()
    assert seen["muted"] is False


def test_hidden_status_leaves_the_hiders_lists_only(bob_sc, sc, status):
    assert [s["id"] for s in bob_sc.get("/api/v2/status/").json()["results"]] == [status.pk]
    bob_sc.post(base(status) + "hide/")
    assert bob_sc.get("/api/v2/status/").json() == {"count": 0, "next": None,
                                                    "previous": None, "results": []}
    # Still readable by the hider (to show it again), and listed for its author.
    assert bob_sc.get(base(status)).status_code == 200
    assert [s["id"] for s in sc.get("/api/v2/status/").json()["results"]] == [status.pk]
    # An author hiding their own status keeps it in their list.
    sc.post(base(status) + "hide/")
    assert sc.get("/api/v2/status/").json()["count"] == 1


@pytest.mark.parametrize("action", ["follow/", "suspend/", "hide/", "restore/", "vote/"])
def test_toggles_need_a_user_with_write_scope(anon, sc_client, bob, status, action):
    anonymous = anon.post(base(status) + action)
    assert anonymous.status_code == 401
    assert errors_of(anonymous)[0]["code"] == "not_authenticated"
    reader = sc_client(bob, scopes="read")
    assert reader.post(base(status) + action).status_code == 403
    assert not (StatusFollow.objects.exists() or NotificationSuspension.objects.exists()
                or StatusHide.objects.exists() or Vote.objects.exists())


# --- views ----------------------------------------------------------------------------------


def test_view_count_counts_viewers_not_requests(bob_sc, sc_client, carol, status, anon, sc):
    for _ in range(3):
        bob_sc.get(base(status))
    anon.get(base(status))
    assert Status.objects.get(pk=status.pk).views_count == 1
    assert sc_client(carol).get(base(status)).json()["view_count"] == 2
    assert StatusView.objects.filter(status=status).count() == 2
    assert sc.get("/api/v2/status/").json()["results"][0]["view_count"] == 2


# --- restore --------------------------------------------------------------------------------


def test_restore_undoes_a_mastodon_delete_in_both_dialects(sc, alice, alice_client, bob):
    parent = services.status_create(account=alice, text="parent")
    reply = services.status_create(account=bob, text="reply", in_reply_to_id=parent.pk,
                                   in_reply_to_given=True)
    assert Status.objects.get(pk=parent.pk).replies_count == 1
    services.status_favourite(account=bob, status_id=parent.pk)
    wrapper = services.status_reblog(account=bob, status_id=parent.pk)
    alice_client.delete(f"/api/v1/statuses/{parent.pk}")
    assert alice_client.get(f"/api/v1/statuses/{parent.pk}").status_code == 404
    assert sc.get(base(parent)).json()["deleted"] is True
    before = type(alice).objects.get(pk=alice.pk).statuses_count

    response = sc.post(base(parent) + "restore/")
    assert response.status_code == 204 and response.content == b""
    row = Status.objects.get(pk=parent.pk)
    assert row.deleted_at is None and row.reblogs_count == 1 and row.likes_count == 1
    assert Status.objects.get(pk=wrapper.pk).deleted_at is None
    assert type(alice).objects.get(pk=alice.pk).statuses_count == before + 1
    assert alice_client.get(f"/api/v1/statuses/{parent.pk}").status_code == 200
    context = alice_client.get(f"/api/v1/statuses/{reply.pk}/context").json()
    assert [s["id"] for s in context["ancestors"]] == [str(parent.pk)]
    timeline = alice_client.get("/api/v1/timelines/public").json()
    assert str(parent.pk) in [s["id"] for s in timeline]
    assert sc.get(base(parent)).json()["deleted"] is False


def test_restore_gives_back_the_parents_reply_count_and_the_media(sc, alice, bob, sc_client):
    parent = services.status_create(account=bob, text="parent")
    reply = services.status_create(account=alice, text="reply", in_reply_to_id=parent.pk,
                                   in_reply_to_given=True)
    services.status_delete(status=reply)
    assert Status.objects.get(pk=parent.pk).replies_count == 0
    # A reply is a comment, not a SelfCommunity status, but the restore is the same.
    assert sc.post(f"/api/v2/status/{reply.pk}/restore/").status_code == 204
    assert Status.objects.get(pk=parent.pk).replies_count == 1

    media = upload(sc)
    created = post(sc, text="with a picture", medias=[media]).json()
    sc.delete(f"/api/v2/status/{created['id']}/")
    assert Status.objects.get(pk=created["id"]).released_media == [media]
    assert sc.post(f"/api/v2/status/{created['id']}/restore/").status_code == 204
    body = sc.get(f"/api/v2/status/{created['id']}/").json()
    assert [m["id"] for m in body["medias"]] == [media]
    assert Status.objects.get(pk=created["id"]).media_count == 1


def test_restore_by_another_user_is_403_or_404(sc, sc_client, bob, carol, alice):
    public = services.status_create(account=alice, text="public")
    private = services.status_create(account=alice, text="private", visibility="private")
    services.status_delete(status=public)
    services.status_delete(status=private)
    refused = sc_client(bob).post(base(public) + "restore/")
    assert refused.status_code == 403
    assert errors_of(refused)[0]["code"] == "permission_denied"
    assert sc_client(bob).post(base(private) + "restore/").status_code == 404
    assert sc_client(bob).post("/api/v2/status/999999/restore/").status_code == 404
    assert Status.objects.get(pk=public.pk).deleted_at is not None
    # Restoring a status that is not deleted changes nothing.
    live = services.status_create(account=alice, text="live")
    assert sc.post(base(live) + "restore/").status_code == 204
    assert Status.objects.get(pk=live.pk).visibility == Visibility.PUBLIC


def test_restore_brings_back_a_share(sc, alice, bob):
    from tests.api.selfcommunity.test_statuses import share

    shared = services.status_create(account=bob, text="worth sharing")
    created = post(sc, text="look", medias=[share(sc, shared.pk)]).json()
    assert Status.objects.get(pk=shared.pk).shares_count == 1
    sc.delete(f"/api/v2/status/{created['id']}/")
    assert Status.objects.get(pk=shared.pk).shares_count == 0
    sc.post(f"/api/v2/status/{created['id']}/restore/")
    assert Status.objects.get(pk=shared.pk).shares_count == 1
    assert Status.objects.get(pk=created["id"]).quote_of_id == shared.pk


# --- categories and tags --------------------------------------------------------------------


def test_categories_list_active_ones_only(anon):
    from tests.factories import CategoryFactory

    shown = CategoryFactory(name="Open", order=1)
    CategoryFactory(name="Closed", active=False)
    CategoryFactory(name="Gone", deleted=True)
    body = anon.get("/api/v2/category/").json()
    assert body["count"] == 1 and [c["id"] for c in body["results"]] == [shown.pk]
    one = anon.get(f"/api/v2/category/{shown.pk}/")
    assert one.status_code == 200 and one.json() == body["results"][0]
    assert {"id", "tags", "followed", "order", "name", "slug", "active", "auto_follow",
            "stream_order_by", "followers_counter", "lastmod_datetime", "parents"
            } <= set(one.json())
    child = CategoryFactory(name="Child")
    child.parents.add(shown)
    assert anon.get(f"/api/v2/category/{child.pk}/").json()["parents"] == [shown.pk]
    listed = {c["id"]: c["parents"] for c in anon.get("/api/v2/category/").json()["results"]}
    assert listed == {shown.pk: [], child.pk: [shown.pk]}
    closed = CategoryFactory(name="Closed again", active=False)
    assert anon.get(f"/api/v2/category/{closed.pk}/").status_code == 404


def test_tags_to_address_are_the_usable_user_tags(sc, anon):
    from tests.factories import TagFactory

    usable = TagFactory(name="staff", type="user")
    TagFactory(name="inactive", type="user", active=False)
    TagFactory(name="label", type="contribution")
    response = sc.get("/api/v2/user/tag/tags_to_address_a_contribution/")
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list) and [t["id"] for t in body] == [usable.pk]
    assert set(body[0]) == {"id", "type", "name", "description", "color", "visible",
                            "visibility_boost", "created_at", "active", "deleted"}
    assert anon.get("/api/v2/user/tag/tags_to_address_a_contribution/").status_code == 401


@pytest.mark.parametrize("size", [1, 20])
def test_category_and_tag_lists_query_counts_are_constant(sc, anon, size,
                                                         django_assert_num_queries):
    from tests.factories import CategoryFactory, TagFactory

    for _ in range(size):
        CategoryFactory()
        TagFactory(type="user")
    with django_assert_num_queries(3):  # count, page, parents
        assert len(anon.get("/api/v2/category/?limit=20").json()["results"]) == size
    with django_assert_num_queries(2):  # token, tags
        assert len(sc.get("/api/v2/user/tag/tags_to_address_a_contribution/").json()) == size
    with django_assert_num_queries(2):  # count, page
        assert anon.get("/api/v2/reaction/").json()["count"] == 6


def test_collapsed_statuses_show_to_their_author_and_moderators_only(sc, sc_client, alice,
                                                                     bob, mastodon, make_token):
    status = services.status_create(account=alice, text="collapsed by the moderators")
    Status.objects.filter(pk=status.pk).update(collapsed=True)
    moderator = AccountFactory()
    moderator.groups.add(Group.objects.get(name="Moderators"))
    for who, sees in ((alice, True), (moderator, True), (AccountFactory(is_staff=True), True),
                      (bob, False)):
        client = sc_client(who)
        listed = client.get("/api/v2/status/").json()["results"]
        assert [(s["id"], s["collapsed"]) for s in listed] == ([(status.pk, True)] if sees
                                                               else [])
        assert client.get(base(status)).status_code == (200 if sees else 404)
        seen = mastodon.as_token(make_token(who)).get(f"/api/v1/statuses/{status.pk}")
        assert seen.status_code == (200 if sees else 404)

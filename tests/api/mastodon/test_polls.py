"""Mastodon polls end to end: creating them with a status (every validation message, nothing
written on failure), the Poll entity wherever a status is rendered, GET /api/v1/polls/:id and
POST /api/v1/polls/:id/votes (Mastodon's refusals), edits that reset or keep the votes, history,
hide_totals before and after expiry, visibility, and query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Block, Follow
from statuses import services
from statuses.models import Poll, PollVote, Status, StatusEdit
from statuses.services import polls as poll_services
from tests.factories import AccountFactory

POLL_KEYS = ["id", "expires_at", "expired", "multiple", "votes_count", "voters_count", "voted",
             "own_votes", "options", "emojis"]
ANON_POLL_KEYS = [k for k in POLL_KEYS if k not in ("voted", "own_votes")]


def post_poll(client, options=("yes", "no"), expires_in=3600, fmt="json", text="Vote!",
              **extra):
    if fmt == "json":
        poll = {"options": list(options), "expires_in": expires_in, **extra}
        return client.post("/api/v1/statuses", {"status": text, "poll": poll}, format="json")
    body = {"status": text, "poll[options][]": list(options), "poll[expires_in]": expires_in}
    body.update({f"poll[{k}]": v for k, v in extra.items()})
    return client.post("/api/v1/statuses", body)


def make_poll(account, options=("yes", "no"), expires_in=3600, visibility="public", **extra):
    return services.status_create(
        account=account, text="poll", visibility=visibility,
        poll={"options": list(options), "expires_in": expires_in, **extra})


def vote(client, poll_id, choices, fmt="json"):
    if fmt == "json":
        return client.post(f"/api/v1/polls/{poll_id}/votes", {"choices": choices}, format="json")
    return client.post(f"/api/v1/polls/{poll_id}/votes", {"choices[]": choices})


def expire(poll: Poll) -> None:
    Poll.objects.filter(pk=poll.pk).update(expires_at=timezone.now() - timedelta(seconds=1))


@pytest.fixture
def client_for(mastodon, make_token):
    from rest_framework.test import APIClient

    def make(account, scopes="read write follow push"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(account, scopes=scopes)}")
        return client

    return make


# --- creating -------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["json", "form"])
def test_create_a_poll_renders_the_poll_entity(alice_client, alice, fmt):
    before = timezone.now()
    response = post_poll(alice_client, options=("yes", "no", "maybe"), expires_in=600, fmt=fmt)
    assert response.status_code == 200, response.content
    body = response.json()
    poll = Poll.objects.get(status_id=int(body["id"]))
    assert list(body["poll"]) == POLL_KEYS
    assert body["poll"] == {
        "id": str(poll.pk), "expires_at": body["poll"]["expires_at"], "expired": False,
        "multiple": False, "votes_count": 0, "voters_count": 0, "voted": True, "own_votes": [],
        "options": [{"title": "yes", "votes_count": 0}, {"title": "no", "votes_count": 0},
                    {"title": "maybe", "votes_count": 0}],
        "emojis": [],
    }
    assert body["poll"]["expires_at"].endswith("Z") and len(body["poll"]["expires_at"]) == 24
    assert poll.options == ["yes", "no", "maybe"] and poll.tallies == [0, 0, 0]
    assert not poll.multiple and not poll.hide_totals
    assert before + timedelta(seconds=600) <= poll.expires_at
    assert poll.expires_at <= timezone.now() + timedelta(seconds=600)
    assert Status.objects.get(pk=poll.status_id).has_poll


@pytest.mark.parametrize(("fmt", "flags", "multiple", "hide"), [
    ("json", {"multiple": True, "hide_totals": True}, True, True),
    ("json", {"multiple": "false", "hide_totals": "1"}, False, True),
    ("form", {"multiple": "true", "hide_totals": "0"}, True, False),
    ("form", {"multiple": "", "hide_totals": "off"}, False, False),
])
def test_create_casts_multiple_and_hide_totals(alice_client, fmt, flags, multiple, hide):
    response = post_poll(alice_client, fmt=fmt, **flags)
    assert response.status_code == 200, response.content
    poll = Poll.objects.get()
    assert (poll.multiple, poll.hide_totals) == (multiple, hide)
    assert response.json()["poll"]["multiple"] is multiple


def test_options_are_stripped_and_blank_ones_dropped(alice_client):
    response = post_poll(alice_client, options=("  yes ", "", "   ", "no"))
    assert response.status_code == 200
    assert [o["title"] for o in response.json()["poll"]["options"]] == ["yes", "no"]


def test_deadline_bounds_are_inclusive(alice_client):
    assert post_poll(alice_client, expires_in=300).status_code == 200
    assert post_poll(alice_client, expires_in=2_629_746).status_code == 200
    assert post_poll(alice_client, expires_in="3600").status_code == 200


def test_option_of_fifty_graphemes_is_accepted(alice_client):
    family = "\U0001F468\u200D\U0001F469\u200D\U0001F467"  # one grapheme, five code points
    response = post_poll(alice_client, options=(family * 50, "x" * 50))
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(("poll", "messages"), [
    ({"options": ["only"], "expires_in": 600}, ["Choices must have more than one item"]),
    ({"options": ["a", "b", "c", "d", "e"], "expires_in": 600},
     ["Choices can't contain more than 4 items"]),
    ({"options": ["a" * 51, "b"], "expires_in": 600},
     ["Choices cannot be longer than 50 characters each"]),
    ({"options": ["same", "same"], "expires_in": 600}, ["Choices contain duplicate items"]),
    ({"options": ["a", "b"]}, ["Deadline can't be blank"]),
    ({"options": ["a", "b"], "expires_in": ""}, ["Deadline can't be blank"]),
    ({"options": ["a", "b"], "expires_in": 299}, ["Deadline is too soon"]),
    ({"options": ["a", "b"], "expires_in": -5}, ["Deadline is too soon"]),
    ({"options": ["a", "b"], "expires_in": 2_629_747}, ["Deadline is too far into the future"]),
    ({"options": [], "expires_in": 600},
     ["Choices can't be blank", "Choices must have more than one item"]),
    ({"expires_in": 600}, ["Choices can't be blank", "Choices must have more than one item"]),
    ({"options": ["a", "", " "], "expires_in": 600}, ["Choices must have more than one item"]),
    ({"options": ["x"] * 5, "expires_in": 10},
     ["Choices can't contain more than 4 items", "Choices contain duplicate items",
      "Deadline is too soon"]),
    # Wrong types are 422s, never 500s: a scalar is not a list of options, an array or object
    # is no deadline, a string is read as Ruby's to_i reads it.
    ({"options": "a,b", "expires_in": 600},
     ["Choices can't be blank", "Choices must have more than one item"]),
    ({"options": {"0": "a", "1": "b"}, "expires_in": 600},
     ["Choices can't be blank", "Choices must have more than one item"]),
    ({"options": ["a", "b"], "expires_in": [600]}, ["Deadline can't be blank"]),
    ({"options": ["a", "b"], "expires_in": {"s": 600}}, ["Deadline can't be blank"]),
    ({"options": ["a", "b"], "expires_in": True}, ["Deadline can't be blank"]),
    ({"options": ["a", "b"], "expires_in": "soon"}, ["Deadline is too soon"]),
    ({"options": [None, {"a": 1}, ["b"], "c"], "expires_in": 600},
     ["Choices must have more than one item"]),
])
def test_every_poll_validation_message_and_nothing_is_written(alice_client, alice, poll,
                                                              messages):
    response = alice_client.post("/api/v1/statuses", {"status": "Vote", "poll": poll},
                                 format="json")
    assert response.status_code == 422, response.content
    assert response.json() == {"error": "Validation failed: " + ", ".join(messages)}
    assert not Status.objects.exists() and not Poll.objects.exists()
    alice.refresh_from_db()
    assert alice.statuses_count == 0


def test_form_poll_messages_match_json(alice_client):
    response = alice_client.post("/api/v1/statuses", {
        "status": "x", "poll[options]": "scalar", "poll[expires_in]": "12"})
    assert response.json() == {"error": "Validation failed: Choices can't be blank, Choices "
                                        "must have more than one item, Deadline is too soon"}
    response = alice_client.post("/api/v1/statuses", {
        "status": "x", "poll[options][]": ["a", "b"], "poll[expires_in]": "3600abc"})
    assert response.status_code == 200  # Ruby's "3600abc".to_i is 3600
    assert Poll.objects.count() == 1


def test_poll_with_blank_text_is_text_cant_be_blank(alice_client):
    response = post_poll(alice_client, text="   ")
    assert response.json() == {"error": "Validation failed: Text can't be blank"}
    response = post_poll(alice_client, text="", options=("a",))
    assert response.json() == {"error": "Validation failed: Text can't be blank, "
                                        "Choices must have more than one item"}
    assert not Status.objects.exists() and not Poll.objects.exists()


def test_poll_with_media_is_cannot_attach_more_than_four(alice_client):
    """Mastodon 4.5 counts a poll as a fifth attachment (4.6 allows both)."""
    json_body = {"status": "x", "media_ids": ["1"],
                 "poll": {"options": ["a", "b"], "expires_in": 600}}
    form_body = {"status": "x", "media_ids[]": ["1"], "poll[options][]": ["a", "b"],
                 "poll[expires_in]": "600"}
    for response in (alice_client.post("/api/v1/statuses", json_body, format="json"),
                     alice_client.post("/api/v1/statuses", form_body)):
        assert response.status_code == 422
        assert response.json() == {"error": "Cannot attach more than 4 files"}
    assert not Status.objects.exists()


@pytest.mark.parametrize("poll", [{}, "yes", ["a", "b"], None, 5])
def test_a_json_poll_that_is_no_object_is_no_poll(alice_client, poll):
    response = alice_client.post("/api/v1/statuses", {"status": "x", "poll": poll},
                                 format="json")
    assert response.status_code == 200
    assert response.json()["poll"] is None
    assert not Poll.objects.exists()


def test_the_service_takes_the_raw_poll_as_stored(alice):
    """A scheduled status hands back the raw poll it stored (strings from a form)."""
    status = services.status_create(account=alice, text="later", poll={
        "options": ["a", "b"], "expires_in": "900", "multiple": "true", "hide_totals": "false"})
    poll = Poll.objects.get(status=status)
    assert (poll.options, poll.multiple, poll.hide_totals) == (["a", "b"], True, False)
    spec = poll_services.poll_validate({"options": ["a", "b"], "expires_in": 300})
    assert spec == poll_services.PollSpec(options=["a", "b"], expires_in=300, multiple=False,
                                          hide_totals=False)
    assert poll_services.poll_validate(None) is None
    with pytest.raises(Exception, match="Deadline is too soon"):
        poll_services.poll_validate({"options": ["a", "b"], "expires_in": 1})


# --- GET /api/v1/polls/:id --------------------------------------------------------------------

def test_get_poll_anonymous_and_user(anon, bob_client, alice):
    status = make_poll(alice)
    poll = Poll.objects.get(status=status)
    body = anon.get(f"/api/v1/polls/{poll.pk}").json()
    assert list(body) == ANON_POLL_KEYS
    assert body["id"] == str(poll.pk)
    user = bob_client.get(f"/api/v1/polls/{poll.pk}")
    assert user.status_code == 200
    assert user.json()["voted"] is False and user.json()["own_votes"] == []
    assert user["Cache-Control"] == "private, no-store"


def test_get_poll_of_a_status_you_may_not_see_is_not_found(anon, client_for, alice, bob):
    stranger = AccountFactory()
    status = make_poll(alice, visibility="private")
    poll = Poll.objects.get(status=status)
    for client in (anon, client_for(stranger)):
        response = client.get(f"/api/v1/polls/{poll.pk}")
        assert response.status_code == 404
        assert response.json() == {"error": "Not Found"}
    Follow.objects.create(account=bob, target=alice, accepted=True)
    assert client_for(bob).get(f"/api/v1/polls/{poll.pk}").status_code == 200
    assert client_for(alice).get(f"/api/v1/polls/{poll.pk}").json()["voted"] is True


def test_get_missing_or_deleted_poll(anon, alice, alice_client):
    for path in ("/api/v1/polls/999999", "/api/v1/polls/abc", "/api/v1/polls/0"):
        response = anon.get(path)
        assert response.status_code == 404
        assert response.json() == {"error": "Record not found"}
    status = make_poll(alice)
    poll = Poll.objects.get(status=status)
    assert alice_client.delete(f"/api/v1/statuses/{status.pk}").status_code == 200
    assert anon.get(f"/api/v1/polls/{poll.pk}").json() == {"error": "Not Found"}
    assert vote(alice_client, poll.pk, [0]).status_code == 404


def test_get_poll_scopes(client_for, alice, bob):
    poll = Poll.objects.get(status=make_poll(alice))
    assert client_for(bob, "read:statuses").get(f"/api/v1/polls/{poll.pk}").status_code == 200
    refused = client_for(bob, "write").get(f"/api/v1/polls/{poll.pk}")
    assert refused.status_code == 403
    assert refused.json() == {"error": "This action is outside the authorized scopes"}


# --- voting ---------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["json", "form"])
def test_vote_single_choice(client_for, alice, bob, fmt):
    poll = Poll.objects.get(status=make_poll(alice))
    response = vote(client_for(bob), poll.pk, [1], fmt=fmt)
    assert response.status_code == 200, response.content
    body = response.json()
    assert list(body) == POLL_KEYS
    assert (body["votes_count"], body["voters_count"], body["voted"], body["own_votes"]) == (
        1, 1, True, [1])
    assert body["options"] == [{"title": "yes", "votes_count": 0},
                               {"title": "no", "votes_count": 1}]
    poll.refresh_from_db()
    assert (poll.tallies, poll.votes_count, poll.voters_count) == ([0, 1], 1, 1)
    assert list(PollVote.objects.values_list("account_id", "choice", "single")) == [
        (bob.pk, 1, True)]
    again = vote(client_for(bob), poll.pk, [0], fmt=fmt)
    assert again.status_code == 422
    assert again.json() == {"error": "Validation failed: You have already voted on this poll"}
    poll.refresh_from_db()
    assert (poll.tallies, poll.votes_count, poll.voters_count) == ([0, 1], 1, 1)
    assert PollVote.objects.count() == 1


def test_several_choices_in_a_single_choice_poll_write_nothing(client_for, alice, bob):
    poll = Poll.objects.get(status=make_poll(alice))
    response = vote(client_for(bob), poll.pk, [0, 1])
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: You have already voted on this poll"}
    poll.refresh_from_db()
    assert (poll.tallies, poll.votes_count, poll.voters_count) == ([0, 0], 0, 0)
    assert not PollVote.objects.exists()


def test_vote_multiple_choice(client_for, alice, bob, carol):
    poll = Poll.objects.get(status=make_poll(alice, options=("a", "b", "c"), multiple=True))
    body = vote(client_for(bob), poll.pk, [0, 2]).json()
    assert (body["votes_count"], body["voters_count"], body["own_votes"]) == (2, 1, [0, 2])
    # Mastodon lets a voter add other choices later; the same choice again is refused.
    body = vote(client_for(bob), poll.pk, ["1"]).json()
    assert (body["votes_count"], body["voters_count"], body["own_votes"]) == (3, 1, [0, 2, 1])
    assert vote(client_for(bob), poll.pk, [0]).json() == {
        "error": "Validation failed: You have already voted on this poll"}
    assert vote(client_for(carol), poll.pk, [1, 1]).json() == {
        "error": "Validation failed: You have already voted on this poll"}
    body = vote(client_for(carol), poll.pk, [1]).json()
    assert (body["votes_count"], body["voters_count"]) == (4, 2)
    assert [o["votes_count"] for o in body["options"]] == [1, 2, 1]
    poll.refresh_from_db()
    assert (poll.tallies, poll.votes_count, poll.voters_count) == ([1, 2, 1], 4, 2)
    assert PollVote.objects.filter(single=False).count() == 4


@pytest.mark.parametrize("choices", [[2], [-1], ["abc"], ["1.5"], [0, 7]])
def test_vote_out_of_range_or_malformed_choice(client_for, alice, bob, choices):
    poll = Poll.objects.get(status=make_poll(alice, multiple=True))
    response = vote(client_for(bob), poll.pk, choices)
    assert response.status_code == 422
    assert response.json() == {
        "error": "Validation failed: The chosen vote option does not exist"}
    assert not PollVote.objects.exists()
    poll.refresh_from_db()
    assert (poll.votes_count, poll.voters_count) == (0, 0)


@pytest.mark.parametrize("body", [{}, {"choices": []}, {"choices": "0"}, {"choices": [{}]}])
def test_vote_without_choices_is_a_400(client_for, alice, bob, body):
    poll = Poll.objects.get(status=make_poll(alice))
    response = client_for(bob).post(f"/api/v1/polls/{poll.pk}/votes", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"error": "param is missing or the value is empty: choices"}
    assert not PollVote.objects.exists()


def test_vote_in_an_expired_poll(client_for, alice, bob):
    poll = Poll.objects.get(status=make_poll(alice))
    expire(poll)
    response = vote(client_for(bob), poll.pk, [0])
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: The poll has already ended"}
    assert not PollVote.objects.exists()


def test_voting_in_ones_own_poll_is_refused(client_for, alice):
    """Mastodon's VoteValidator refuses the author (polls.errors.self_vote); `voted` is always
    true for them."""
    poll = Poll.objects.get(status=make_poll(alice))
    response = vote(client_for(alice), poll.pk, [0])
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: You cannot vote in your own polls"}
    expire(poll)
    assert vote(client_for(alice), poll.pk, [5]).json() == {
        "error": "Validation failed: The poll has already ended, The chosen vote option does "
                 "not exist, You cannot vote in your own polls"}
    assert not PollVote.objects.exists()


def test_vote_in_a_poll_you_may_not_see_is_not_found(client_for, alice, bob):
    stranger = AccountFactory()
    poll = Poll.objects.get(status=make_poll(alice, visibility="private"))
    response = vote(client_for(stranger), poll.pk, [0])
    assert response.status_code == 404
    assert response.json() == {"error": "Not Found"}
    assert vote(client_for(stranger), 987654, [0]).json() == {"error": "Record not found"}
    Follow.objects.create(account=bob, target=alice, accepted=True)
    assert vote(client_for(bob), poll.pk, [0]).status_code == 200
    assert list(PollVote.objects.values_list("account_id", flat=True)) == [bob.pk]


def test_vote_across_a_block_is_not_allowed(client_for, alice, bob):
    poll = Poll.objects.get(status=make_poll(alice))
    Block.objects.create(account=bob, target=alice)
    response = vote(client_for(bob), poll.pk, [0])
    assert response.status_code == 403
    assert response.json() == {"error": "This action is not allowed"}
    assert not PollVote.objects.exists()


def test_vote_needs_a_user_with_write(client_for, make_token, anon, alice, bob):
    poll = Poll.objects.get(status=make_poll(alice))
    assert vote(anon, poll.pk, [0]).status_code == 401
    read_only = vote(client_for(bob, "read"), poll.pk, [0])
    assert read_only.status_code == 403
    from rest_framework.test import APIClient

    app_client = APIClient()
    app_client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(None)}")
    app_only = vote(app_client, poll.pk, [0])
    assert app_only.status_code == 422
    assert app_only.json() == {"error": "This method requires an authenticated user"}
    assert vote(client_for(bob, "write:statuses"), poll.pk, [0]).status_code == 200
    assert PollVote.objects.count() == 1


def test_votes_show_in_the_status_for_the_voter_only(client_for, anon, alice, bob, carol):
    status = make_poll(alice)
    poll = Poll.objects.get(status=status)
    vote(client_for(bob), poll.pk, [0])
    mine = client_for(bob).get(f"/api/v1/statuses/{status.pk}").json()["poll"]
    assert (mine["voted"], mine["own_votes"], mine["votes_count"]) == (True, [0], 1)
    theirs = client_for(carol).get(f"/api/v1/statuses/{status.pk}").json()["poll"]
    assert (theirs["voted"], theirs["own_votes"]) == (False, [])
    nobody = anon.get(f"/api/v1/statuses/{status.pk}").json()["poll"]
    assert "voted" not in nobody and "own_votes" not in nobody


# --- hide_totals ------------------------------------------------------------------------------

def test_hide_totals_until_the_poll_ends(client_for, anon, alice, bob):
    status = make_poll(alice, hide_totals=True)
    poll = Poll.objects.get(status=status)
    voted = vote(client_for(bob), poll.pk, [1]).json()
    assert voted["votes_count"] == 1
    assert [o["votes_count"] for o in voted["options"]] == [None, None]
    for client in (anon, client_for(alice)):
        body = client.get(f"/api/v1/polls/{poll.pk}").json()
        assert body["expired"] is False
        assert [o["votes_count"] for o in body["options"]] == [None, None]
        shown = client.get(f"/api/v1/statuses/{status.pk}").json()["poll"]
        assert [o["votes_count"] for o in shown["options"]] == [None, None]
    expire(poll)
    for client in (anon, client_for(alice)):
        body = client.get(f"/api/v1/polls/{poll.pk}").json()
        assert body["expired"] is True
        assert [o["votes_count"] for o in body["options"]] == [0, 1]


# --- rendering everywhere -------------------------------------------------------------------

def test_poll_in_lists_reblogs_context_quotes_and_delete(client_for, anon, alice, bob):
    status = make_poll(alice)
    poll = Poll.objects.get(status=status)
    bob_client = client_for(bob)
    vote(bob_client, poll.pk, [1])
    wrapper = bob_client.post(f"/api/v1/statuses/{status.pk}/reblog").json()
    assert wrapper["poll"] is None
    assert wrapper["reblog"]["poll"]["own_votes"] == [1]
    reply = services.status_create(account=bob, text="re", in_reply_to_id=status.pk,
                                   in_reply_to_given=True)
    context = bob_client.get(f"/api/v1/statuses/{reply.pk}/context").json()
    assert context["ancestors"][0]["poll"]["id"] == str(poll.pk)
    timeline = bob_client.get("/api/v1/timelines/public").json()
    by_id = {s["id"]: s for s in timeline}
    assert by_id[str(status.pk)]["poll"]["own_votes"] == [1]
    boosts = bob_client.get(f"/api/v1/accounts/{bob.pk}/statuses").json()
    assert [s["id"] for s in boosts] == [str(reply.pk), wrapper["id"]]
    assert boosts[1]["reblog"]["poll"]["voted"] is True
    assert boosts[0]["poll"] is None
    many = anon.get(f"/api/v1/statuses?id[]={status.pk}&id[]={reply.pk}").json()
    assert [s["poll"] is not None for s in many] == [False, True]

    from statuses.services.attachments import status_attach_media, status_share_create

    quoting = services.status_create(account=bob, text="look")
    status_attach_media(status=quoting, media=[status_share_create(account=bob,
                                                                   status_id=status.pk)])
    quoted = bob_client.get(f"/api/v1/statuses/{quoting.pk}").json()["quote"]["quoted_status"]
    assert quoted["poll"]["own_votes"] == [1]

    deleted = client_for(alice).delete(f"/api/v1/statuses/{status.pk}").json()
    assert "content" not in deleted and deleted["text"] == "poll"
    assert deleted["poll"]["id"] == str(poll.pk)
    assert deleted["poll"]["votes_count"] == 1 and deleted["poll"]["voted"] is True
    assert [o["title"] for o in deleted["poll"]["options"]] == ["yes", "no"]


def test_a_private_polls_options_never_reach_a_stranger(client_for, alice):
    status = make_poll(alice, options=("zqsecretqz", "b"), visibility="private")
    stranger = client_for(AccountFactory())
    for path in (f"/api/v1/statuses/{status.pk}", "/api/v1/timelines/public",
                 f"/api/v1/statuses?id[]={status.pk}",
                 f"/api/v1/accounts/{alice.pk}/statuses"):
        assert "zqsecretqz" not in stranger.get(path).content.decode()


def test_selfcommunity_still_renders_a_status_with_a_poll(client_for, alice):
    status = make_poll(alice)
    response = client_for(alice).get(f"/api/v2/status/{status.pk}/")
    assert response.status_code == 200
    assert response.json()["id"] == status.pk


# --- editing --------------------------------------------------------------------------------

def edit(client, status, text="Edited", **poll):
    body = {"status": text}
    if poll:
        body["poll"] = poll
    return client.put(f"/api/v1/statuses/{status.pk}", body, format="json")


@pytest.fixture
def voted_poll(client_for, alice, bob, carol):
    status = make_poll(alice, options=("a", "b", "c"), multiple=True)
    poll = Poll.objects.get(status=status)
    vote(client_for(bob), poll.pk, [0, 1])
    vote(client_for(carol), poll.pk, [1])
    return status, Poll.objects.get(pk=poll.pk)


@pytest.mark.parametrize(("change", "reset"), [
    ({"options": ["a", "b", "d"], "multiple": True}, True),
    ({"options": ["a", "b"], "multiple": True}, True),
    ({"options": ["a", "b", "c"], "multiple": False}, True),
    ({"options": ["a", "b", "c"], "multiple": True}, False),
    ({"options": ["a", "b", "c"], "multiple": True, "hide_totals": True}, False),
])
def test_edit_resets_votes_only_when_options_or_multiple_change(client_for, alice, voted_poll,
                                                                change, reset):
    status, poll = voted_poll
    before = poll.expires_at
    response = edit(client_for(alice), status, **change, expires_in=7200)
    assert response.status_code == 200, response.content
    fresh = Poll.objects.get(status=status)
    assert fresh.pk == poll.pk
    assert fresh.expires_at > before
    if reset:
        assert (fresh.tallies, fresh.votes_count, fresh.voters_count) == (
            [0] * len(change["options"]), 0, 0)
        assert not PollVote.objects.exists()
        assert response.json()["poll"]["votes_count"] == 0
    else:
        assert (fresh.tallies, fresh.votes_count, fresh.voters_count) == ([1, 2, 0], 3, 2)
        assert PollVote.objects.count() == 3
    assert fresh.options == change["options"]
    assert fresh.hide_totals is bool(change.get("hide_totals"))


def test_edit_without_a_poll_deletes_it(client_for, alice, voted_poll):
    status, poll = voted_poll
    response = edit(client_for(alice), status, text="no more poll")
    assert response.status_code == 200
    assert response.json()["poll"] is None
    assert not Poll.objects.exists() and not PollVote.objects.exists()
    assert not Status.objects.get(pk=status.pk).has_poll
    history = client_for(alice).get(f"/api/v1/statuses/{status.pk}/history").json()
    assert history[0]["poll"] == {"options": [{"title": "a"}, {"title": "b"}, {"title": "c"}]}
    assert "poll" not in history[1]


def test_edit_adds_a_poll_and_history_shows_each_revision(client_for, alice, bob):
    status = services.status_create(account=alice, text="plain")
    client = client_for(alice)
    assert "poll" not in client.get(f"/api/v1/statuses/{status.pk}/history").json()[0]
    response = edit(client, status, options=["x", "y"], expires_in=600)
    assert response.status_code == 200
    assert [o["title"] for o in response.json()["poll"]["options"]] == ["x", "y"]
    edit(client, status, text="again", options=["x", "z"], expires_in=600)
    history = client.get(f"/api/v1/statuses/{status.pk}/history").json()
    assert ["poll" in h for h in history] == [False, True, True]
    assert [[o["title"] for o in h["poll"]["options"]] for h in history[1:]] == [
        ["x", "y"], ["x", "z"]]
    assert list(StatusEdit.objects.order_by("id").values_list("poll_options", flat=True)) == [
        None, ["x", "y"], ["x", "z"]]


def test_history_of_an_unedited_poll_carries_it(anon, alice):
    status = make_poll(alice)
    history = anon.get(f"/api/v1/statuses/{status.pk}/history").json()
    assert history[0]["poll"] == {"options": [{"title": "yes"}, {"title": "no"}]}


def test_an_invalid_poll_in_an_edit_changes_nothing(client_for, alice, voted_poll):
    status, poll = voted_poll
    response = edit(client_for(alice), status, text="changed", options=["only"], expires_in=5)
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: Choices must have more than one "
                                        "item, Deadline is too soon"}
    response = edit(client_for(alice), status, text="", options=["a", "b"], expires_in=600)
    assert response.json() == {"error": "Validation failed: Text can't be blank"}
    response = client_for(alice).put(f"/api/v1/statuses/{status.pk}", {
        "status": "x", "media_ids": ["1"], "poll": {"options": ["a", "b"], "expires_in": 600}},
        format="json")
    assert response.json() == {"error": "Cannot attach more than 4 files"}
    fresh = Poll.objects.get(pk=poll.pk)
    assert (fresh.options, fresh.tallies, fresh.expires_at) == (
        poll.options, poll.tallies, poll.expires_at)
    assert PollVote.objects.count() == 3
    assert Status.objects.get(pk=status.pk).text == "poll"
    assert not StatusEdit.objects.exists()


def test_resubmitting_the_same_poll_is_an_edit(client_for, alice, voted_poll):
    """Mastodon moves the deadline to now + expires_in on every edit that carries the poll, so
    the edit is significant even with the same text and options; the votes stay."""
    status, _ = voted_poll
    response = edit(client_for(alice), status, text="poll", options=["a", "b", "c"],
                    multiple=True, expires_in=3600)
    assert response.json()["edited_at"] is not None
    assert StatusEdit.objects.filter(status=status).count() == 2
    assert PollVote.objects.count() == 3


# --- query counts ---------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["anon", "bob"])
def test_get_poll_query_count_is_constant(request, client_for, alice, bob, who,
                                          django_assert_num_queries):
    """The token (with one), the poll, its status with the facts of visibility, the viewer's
    votes (with a user): whatever the poll holds."""
    client = request.getfixturevalue("anon") if who == "anon" else client_for(bob)
    small = Poll.objects.get(status=make_poll(alice))
    big = Poll.objects.get(status=make_poll(alice, options=("a", "b", "c", "d"), multiple=True))
    for _ in range(20):
        vote(client_for(AccountFactory()), big.pk, [0, 1, 2, 3])
    vote(client_for(bob), big.pk, [0, 2, 3])
    expected = 2 if who == "anon" else 4
    with django_assert_num_queries(expected):
        assert client.get(f"/api/v1/polls/{small.pk}").status_code == 200
    with django_assert_num_queries(expected):
        body = client.get(f"/api/v1/polls/{big.pk}").json()
    assert body["votes_count"] == 83


@pytest.mark.parametrize("who", ["anon", "bob"])
def test_a_page_of_polls_costs_one_query_more_whatever_its_size(request, client_for, alice,
                                                                bob, who):
    client = request.getfixturevalue("anon") if who == "anon" else client_for(bob)

    def cost(count: int, polls: bool) -> int:
        Status.objects.all().delete()
        for i in range(count):
            if polls:
                poll = Poll.objects.get(status=make_poll(alice, options=(f"a{i}", "b", "c")))
                vote(client_for(bob), poll.pk, [i % 3])
            else:
                services.status_create(account=alice, text=f"plain {i}")
        with CaptureQueriesContext(connection) as ctx:
            body = client.get("/api/v1/timelines/public?limit=40").json()
        assert len(body) == count
        if polls and who == "bob":
            assert all(s["poll"]["voted"] and len(s["poll"]["own_votes"]) == 1 for s in body)
        return len(ctx)

    assert cost(1, True) == cost(20, True) == cost(20, False) + 1


def test_a_reblog_page_reads_the_originals_polls_in_the_same_query(client_for, alice, bob):
    client = client_for(bob)
    for i in range(3):
        status = make_poll(alice, options=(f"x{i}", "y"))
        client.post(f"/api/v1/statuses/{status.pk}/reblog")
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(f"/api/v1/accounts/{bob.pk}/statuses").json()
    assert [s["reblog"]["poll"]["options"][0]["title"] for s in body] == ["x2", "x1", "x0"]
    assert sum("statuses_poll" in q["sql"] for q in ctx.captured_queries) == 1

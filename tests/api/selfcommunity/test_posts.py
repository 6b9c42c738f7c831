"""SelfCommunity posts and discussions (/api/v2/post/, /api/v2/discussion/): the one Status row
with a contribution type, each route family answering only its own type; their polls, which are
Mastodon polls (a vote in one dialect is a vote in the other); how Mastodon shows them; the
feeds' and comments' keys; and the query counts of their lists."""

from datetime import timedelta

import pytest
from django.utils import timezone

from statuses.models import ContributionType, Poll, PollVote, Status
from tests.api.selfcommunity.test_statuses import STATUS_KEYS, field_errors
from tests.factories import CategoryFactory

POLL_KEYS = {"id", "title", "multiple_choices", "added_at", "modified_at", "closed",
             "closed_at", "expiration_at", "hidden", "choices"}
CHOICE_KEYS = {"id", "choice", "order", "added_at", "deleted", "vote_count", "voted"}
PAGE_KEYS = {"count", "next", "previous", "results"}


def later(days=3) -> str:
    return (timezone.now() + timedelta(days=days)).isoformat()


def composer_poll(*choices, title="Which one?", multiple=False, expiration=None) -> dict:
    """A poll as SelfCommunity's Composer sends it."""
    return {"title": title, "multiple_choices": multiple,
            "expiration_at": expiration if expiration is not None else later(),
            "choices": [{"choice": c} for c in (choices or ("red", "blue"))]}


def create(client, kind, **fields):
    """What the Composer posts: `title` always (empty for a post), text, medias, categories."""
    body = {"title": "", "text": "<p>hello</p>", "medias": [], "categories": [], **fields}
    return client.post(f"/api/v2/{kind}/", body, format="json")


def made(client, kind, **fields) -> dict:
    if kind == "discussion":
        fields.setdefault("title", "A discussion")
    response = create(client, kind, **fields)
    assert response.status_code == 201, response.content
    return response.json()


@pytest.fixture
def bob_mastodon(mastodon, make_token, bob):
    return mastodon.as_token(make_token(bob))


# --- create and read ----------------------------------------------------------------------------

def test_a_post_with_a_poll_is_a_status_row_with_a_mastodon_poll(sc, alice):
    body = made(sc, "post", text="<p>Pick a colour</p>",
                poll=composer_poll("red", "blue", multiple=True))
    assert set(body) == STATUS_KEYS | {"poll"}
    assert body["type"] == "post"
    assert "title" not in body  # the UI shows a title whenever the key is there
    poll = body["poll"]
    assert set(poll) == POLL_KEYS
    assert poll["title"] == "Which one?" and poll["multiple_choices"] is True
    assert poll["closed"] is False and poll["closed_at"] is None and poll["hidden"] is False
    assert [set(c) for c in poll["choices"]] == [CHOICE_KEYS, CHOICE_KEYS]
    assert [(c["choice"], c["order"], c["vote_count"], c["voted"], c["deleted"])
            for c in poll["choices"]] == [("red", 0, 0, False, False), ("blue", 1, 0, False, False)]
    row = Status.objects.get(pk=body["id"])
    assert row.contribution_type == ContributionType.POST and row.title == ""
    assert row.has_poll and row.account_id == alice.pk
    stored = Poll.objects.get(status=row)
    assert stored.pk == poll["id"]
    assert stored.options == ["red", "blue"] and stored.tallies == [0, 0]
    assert stored.multiple is True and stored.title == "Which one?"
    assert [c["id"] for c in poll["choices"]] == [stored.pk * 1000, stored.pk * 1000 + 1]


def test_a_post_needs_no_text_when_it_has_a_poll(sc):
    body = made(sc, "post", text="", poll=composer_poll())
    assert body["poll"]["title"] == "Which one?"


def test_a_post_without_a_poll_shows_poll_null_and_reads_back(sc, anon):
    created = made(sc, "post", text="<p>plain post</p>")
    assert created["poll"] is None
    read = anon.get(f"/api/v2/post/{created['id']}/")
    assert read.status_code == 200
    assert read.json()["type"] == "post" and read.json()["poll"] is None
    assert read.json()["html"] == "<p>plain post</p>"


def test_a_discussion_carries_its_title(sc, anon):
    created = made(sc, "discussion", title="Roadmap 2027", text="<p>What next?</p>")
    assert set(created) == STATUS_KEYS | {"title", "poll"}
    assert created["type"] == "discussion" and created["title"] == "Roadmap 2027"
    assert created["slug"] == "roadmap-2027"
    assert Status.objects.get(pk=created["id"]).title == "Roadmap 2027"
    read = anon.get(f"/api/v2/discussion/{created['id']}/").json()
    assert read["title"] == "Roadmap 2027" and read["html"] == "<p>What next?</p>"


@pytest.mark.parametrize(("title", "code"), [
    (None, "required"), ("", "blank"), ("x" * 161, "max_length"), (7, None)])
def test_a_discussion_title_is_required_and_bounded(sc, title, code):
    fields = {} if title is None else {"title": title}
    body = {"text": "<p>t</p>", "categories": [], **fields}
    response = sc.post("/api/v2/discussion/", body, format="json")
    if code is None:  # DRF's CharField takes a number as its text
        assert response.status_code == 201
        return
    assert response.status_code == 400, response.content
    assert field_errors(response) == {"title": [code]}
    assert not Status.objects.exists()


def test_a_discussion_title_of_160_characters_is_kept(sc):
    assert made(sc, "discussion", title="t" * 160)["title"] == "t" * 160


def test_a_status_stays_a_status(sc):
    body = sc.post("/api/v2/status/", {"action": None, "text": "<p>s</p>", "categories": []},
                   format="json").json()
    assert body["type"] == "status" and "poll" not in body and "title" not in body
    assert Status.objects.get(pk=body["id"]).contribution_type == ContributionType.STATUS


@pytest.mark.parametrize(("poll", "field"), [
    (composer_poll("only"), "poll.choices"),
    (composer_poll("a", "b", "c", "d", "e"), "poll.choices"),
    (composer_poll("same", "same"), "poll.choices"),
    (composer_poll("a", "x" * 51), "poll.choices.1.choice"),
    (composer_poll(title=""), "poll.title"),
    (composer_poll(expiration=(timezone.now() - timedelta(days=1)).isoformat()),
     "poll.expiration_at"),
    ({"title": "t", "choices": "red"}, "poll.choices"),
    ("a poll", "poll"),
])
def test_a_bad_poll_is_a_400_and_writes_nothing(sc, poll, field):
    response = create(sc, "post", poll=poll)
    assert response.status_code == 400, response.content
    assert set(field_errors(response)) == {field}
    assert not Status.objects.exists() and not Poll.objects.exists()


def test_a_poll_without_expiration_never_ends(sc, alice_client):
    body = made(sc, "post", poll={"title": "Forever?", "multiple_choices": False,
                                  "expiration_at": None,
                                  "choices": [{"choice": "yes"}, {"choice": "no"}]})
    assert body["poll"]["expiration_at"] is None and body["poll"]["closed"] is False
    assert Poll.objects.get(status_id=body["id"]).expires_at is None
    mastodon_poll = alice_client.get(f"/api/v1/statuses/{body['id']}").json()["poll"]
    assert mastodon_poll["expires_at"] is None and mastodon_poll["expired"] is False


# --- what Mastodon shows ------------------------------------------------------------------------

def test_mastodon_shows_a_post_as_a_plain_status_with_its_poll(sc, bob_mastodon):
    body = made(sc, "post", text="<p>Pick one</p>", poll=composer_poll("red", "blue"))
    status = bob_mastodon.get(f"/api/v1/statuses/{body['id']}")
    assert status.status_code == 200
    data = status.json()
    # The poll's question closes the text: Mastodon polls have no title of their own.
    assert data["content"] == "<p>Pick one</p><p>Which one?</p>"
    assert data["spoiler_text"] == ""
    assert data["poll"]["id"] == str(body["poll"]["id"])
    assert [o["title"] for o in data["poll"]["options"]] == ["red", "blue"]
    assert data["poll"]["multiple"] is False and data["poll"]["voted"] is False


def test_mastodon_shows_a_discussion_title_as_its_first_bold_paragraph(sc, bob_mastodon):
    body = made(sc, "discussion", title="Roadmap <2027> & more", text="<p>What next?</p>")
    data = bob_mastodon.get(f"/api/v1/statuses/{body['id']}").json()
    assert data["content"] == ("<p><strong>Roadmap &lt;2027&gt; &amp; more</strong></p>"
                               "<p>What next?</p>")
    assert data["spoiler_text"] == "" and data["poll"] is None
    # SelfCommunity keeps the text and the title apart.
    assert body["html"] == "<p>What next?</p>"


def test_an_edit_moves_the_title_mastodon_shows(sc, bob_mastodon):
    body = made(sc, "discussion", title="Old", text="<p>t</p>")
    response = sc.put(f"/api/v2/discussion/{body['id']}/",
                      {"title": "New", "text": "<p>t2</p>", "categories": []}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "New"
    content = bob_mastodon.get(f"/api/v1/statuses/{body['id']}").json()["content"]
    assert content == "<p><strong>New</strong></p><p>t2</p>"


# --- each route family answers its own type -----------------------------------------------------

@pytest.mark.parametrize(("kind", "other"), [
    ("post", "discussion"), ("post", "status"), ("discussion", "post"),
    ("discussion", "status"), ("status", "post")])
@pytest.mark.parametrize(("method", "suffix"), [
    ("get", ""), ("put", ""), ("delete", ""), ("post", "restore/"), ("post", "vote/"),
    ("get", "vote/"), ("post", "flag/"), ("get", "flag/status/"), ("post", "follow/"),
    ("get", "following/"), ("post", "suspend/"), ("get", "suspended/"), ("post", "hide/"),
    ("get", "hide/status/"), ("get", "contributors/"), ("get", "shares/"),
    ("get", "shares_users/"), ("get", "related/")])
def test_an_id_of_another_type_is_a_404(sc, bob_sc, kind, other, method, suffix):
    if kind == "status":
        target = bob_sc.post("/api/v2/status/", {"action": None, "text": "<p>s</p>",
                                                 "categories": []}, format="json").json()
    else:
        target = made(bob_sc, kind)
    body = {"text": "<p>x</p>", "categories": [], "title": "x", "action": None,
            "flag_type": 1}
    url = f"/api/v2/{other}/{target['id']}/{suffix}"
    response = sc.get(url) if method == "get" else getattr(sc, method)(url, body, format="json")
    assert response.status_code == 404, response.content
    assert response.json() == {"errors": [{"code": "not_found", "message": "Not found."}]}
    row = Status.objects.get(pk=target["id"])
    assert row.deleted_at is None and row.likes_count == 0 and row.flags_count == 0
    assert row.followers_count == 0


def test_the_poll_of_another_type_is_a_404(sc, bob_sc):
    post_id = made(bob_sc, "post", poll=composer_poll())["id"]
    assert sc.get(f"/api/v2/discussion/{post_id}/poll/vote/").status_code == 404
    assert sc.post(f"/api/v2/discussion/{post_id}/poll/vote/", {"choice": 1},
                   format="json").status_code == 404
    # Statuses have no poll route.
    assert sc.get(f"/api/v2/status/{post_id}/poll/vote/").status_code == 404


def test_each_list_holds_its_own_type_and_the_feed_names_it(sc):
    status_id = sc.post("/api/v2/status/", {"action": None, "text": "<p>s</p>",
                                            "categories": []}, format="json").json()["id"]
    post_id = made(sc, "post")["id"]
    discussion_id = made(sc, "discussion")["id"]
    for kind, wanted in (("status", status_id), ("post", post_id),
                         ("discussion", discussion_id)):
        for path in ("", "search/", "uncommented/"):
            body = sc.get(f"/api/v2/{kind}/{path}").json()
            assert set(body) == PAGE_KEYS
            assert [item["id"] for item in body["results"]] == [wanted], (kind, path)
            assert body["results"][0]["type"] == kind
    feed = sc.get("/api/v2/feed/").json()["results"]
    assert [(item["type"], item[item["type"]]["id"]) for item in feed] == [
        ("discussion", discussion_id), ("post", post_id), ("status", status_id)]
    assert set(feed[1]) == {"type", "post", "seen", "seen_by_id", "has_boost"}
    assert feed[0]["discussion"]["title"] == "A discussion"
    explore = sc.get("/api/v2/feed/explore/").json()["results"]
    assert [item["type"] for item in explore] == ["discussion", "post", "status"]


def test_following_and_suspended_lists_hold_their_own_type(sc, bob_sc):
    post_id = made(bob_sc, "post")["id"]
    discussion_id = made(bob_sc, "discussion")["id"]
    for kind, pk in (("post", post_id), ("discussion", discussion_id)):
        assert sc.post(f"/api/v2/{kind}/{pk}/follow/").status_code == 204
        assert sc.post(f"/api/v2/{kind}/{pk}/suspend/").status_code == 204
        assert sc.get(f"/api/v2/{kind}/{pk}/following/").json() == {"following": True}
        assert sc.get(f"/api/v2/{kind}/{pk}/suspended/").json() == {"suspended": True}
    for kind, pk in (("post", post_id), ("discussion", discussion_id)):
        for path in ("following/", "suspended/"):
            results = sc.get(f"/api/v2/{kind}/{path}").json()["results"]
            assert [item[kind]["id"] for item in results] == [pk]
            assert set(results[0]) == {kind, "added_at"}
    assert sc.get("/api/v2/status/following/").json()["count"] == 0


def test_votes_flags_hide_and_delete_restore_on_a_post(sc, bob_sc, alice, bob):
    post_id = made(bob_sc, "post")["id"]
    assert sc.post(f"/api/v2/post/{post_id}/vote/").status_code == 204
    votes = sc.get(f"/api/v2/post/{post_id}/vote/").json()
    assert votes["count"] == 1 and votes["results"][0]["user"]["id"] == alice.pk
    assert sc.post(f"/api/v2/post/{post_id}/flag/", {"flag_type": 2},
                   format="json").status_code == 204
    assert sc.get(f"/api/v2/post/{post_id}/flag/status/").json()["flag_type"] == 2
    assert sc.post(f"/api/v2/post/{post_id}/hide/").status_code == 204
    assert sc.get(f"/api/v2/post/{post_id}/hide/status/").json() == {"hidden": True}
    assert sc.get("/api/v2/post/").json()["count"] == 0
    row = Status.objects.get(pk=post_id)
    assert (row.likes_count, row.flags_count) == (1, 1)
    assert bob_sc.delete(f"/api/v2/post/{post_id}/").status_code == 204
    assert bob_sc.get(f"/api/v2/post/{post_id}/").json()["deleted"] is True
    assert bob_sc.post(f"/api/v2/discussion/{post_id}/restore/").status_code == 404
    assert bob_sc.post(f"/api/v2/post/{post_id}/restore/").status_code == 204
    assert Status.objects.get(pk=post_id).deleted_at is None


# --- polls: one vote, both dialects -------------------------------------------------------------

def _choices(client, kind, pk) -> list[tuple[int, bool]]:
    poll = client.get(f"/api/v2/{kind}/{pk}/").json()["poll"]
    return [(c["vote_count"], c["voted"]) for c in poll["choices"]]


@pytest.mark.parametrize("kind", ["post", "discussion"])
def test_a_selfcommunity_vote_is_a_mastodon_vote(sc, bob_sc, bob_mastodon, kind):
    body = made(sc, kind, poll=composer_poll("red", "blue"))
    poll_id, first, second = (body["poll"]["id"], *[c["id"] for c in body["poll"]["choices"]])
    response = bob_sc.post(f"/api/v2/{kind}/{body['id']}/poll/vote/", {"choice": second},
                           format="json")
    assert response.status_code == 204, response.content
    assert PollVote.objects.filter(poll_id=poll_id).values_list("choice", flat=True).get() == 1
    mastodon_poll = bob_mastodon.get(f"/api/v1/polls/{poll_id}").json()
    assert mastodon_poll["votes_count"] == 1 and mastodon_poll["voters_count"] == 1
    assert mastodon_poll["own_votes"] == [1] and mastodon_poll["voted"] is True
    assert [o["votes_count"] for o in mastodon_poll["options"]] == [0, 1]
    assert _choices(bob_sc, kind, body["id"]) == [(0, False), (1, True)]
    # Single choice: the other option replaces it...
    assert bob_sc.post(f"/api/v2/{kind}/{body['id']}/poll/vote/", {"choice": first},
                       format="json").status_code == 204
    assert bob_mastodon.get(f"/api/v1/polls/{poll_id}").json()["own_votes"] == [0]
    assert _choices(bob_sc, kind, body["id"]) == [(1, True), (0, False)]
    # ... and the same option again withdraws it, as SelfCommunity's UI expects.
    assert bob_sc.post(f"/api/v2/{kind}/{body['id']}/poll/vote/", {"choice": first},
                       format="json").status_code == 204
    mastodon_poll = bob_mastodon.get(f"/api/v1/polls/{poll_id}").json()
    assert (mastodon_poll["votes_count"], mastodon_poll["voters_count"],
            mastodon_poll["own_votes"]) == (0, 0, [])
    poll = Poll.objects.get(pk=poll_id)
    assert (poll.tallies, poll.votes_count, poll.voters_count) == ([0, 0], 0, 0)


def test_a_mastodon_vote_is_a_selfcommunity_vote(sc, bob_sc, bob_mastodon, carol_sc):
    body = made(sc, "post", poll=composer_poll("red", "blue", "green", multiple=True))
    poll_id = body["poll"]["id"]
    response = bob_mastodon.post(f"/api/v1/polls/{poll_id}/votes", {"choices": [0, 2]},
                                 format="json")
    assert response.status_code == 200, response.content
    assert _choices(bob_sc, "post", body["id"]) == [(1, True), (0, False), (1, True)]
    assert _choices(carol_sc, "post", body["id"]) == [(1, False), (0, False), (1, False)]
    own = bob_sc.get(f"/api/v2/post/{body['id']}/poll/vote/").json()
    assert set(own) == PAGE_KEYS and own["count"] == 2
    assert [(v["choice"], v["user"]["username"]) for v in own["results"]] == [
        (poll_id * 1000, "bob"), (poll_id * 1000 + 2, "bob")]
    assert set(own["results"][0]) == {"id", "choice", "user", "added_at"}
    one = bob_sc.get(f"/api/v2/post/{body['id']}/poll/vote/?choice={poll_id * 1000 + 2}")
    assert one.json()["count"] == 1
    # Multiple choice: a third option is added to the other two.
    assert bob_sc.post(f"/api/v2/post/{body['id']}/poll/vote/",
                       {"choice": poll_id * 1000 + 1}, format="json").status_code == 204
    mastodon_poll = bob_mastodon.get(f"/api/v1/polls/{poll_id}").json()
    assert mastodon_poll["own_votes"] == [0, 2, 1] and mastodon_poll["votes_count"] == 3
    assert mastodon_poll["voters_count"] == 1


def test_poll_vote_refusals(sc, bob_sc):
    body = made(sc, "post", poll=composer_poll())
    pk, poll_id = body["id"], body["poll"]["id"]
    url = f"/api/v2/post/{pk}/poll/vote/"
    own = sc.post(url, {"choice": poll_id * 1000}, format="json")
    assert own.status_code == 400
    assert own.json() == {"errors": [{"field": "choice", "messages": [
        {"code": "invalid", "message": "You cannot vote in your own polls"}]}]}
    for bad, code in ((poll_id * 1000 + 2, "does_not_exist"), ((poll_id + 1) * 1000,
                                                                "does_not_exist"),
                      ("abc", "invalid"), (None, "required"), ([1], "invalid")):
        response = bob_sc.post(url, {"choice": bad}, format="json")
        assert response.status_code == 400, (bad, response.content)
        assert field_errors(response) == {"choice": [code]}, bad
    Poll.objects.filter(pk=poll_id).update(expires_at=timezone.now() - timedelta(minutes=1))
    ended = bob_sc.post(url, {"choice": poll_id * 1000}, format="json")
    assert ended.status_code == 400
    assert field_errors(ended) == {"choice": ["invalid"]}
    assert not PollVote.objects.exists()
    assert sc.get(f"/api/v2/post/{pk}/").json()["poll"]["closed"] is True
    plain = made(sc, "post")["id"]
    assert bob_sc.post(f"/api/v2/post/{plain}/poll/vote/", {"choice": 1},
                       format="json").status_code == 404


def test_an_edit_keeps_the_votes_when_the_choices_stay(sc, bob_sc):
    body = made(sc, "post", poll=composer_poll("red", "blue"))
    poll_id = body["poll"]["id"]
    bob_sc.post(f"/api/v2/post/{body['id']}/poll/vote/", {"choice": poll_id * 1000},
                format="json")
    edit = {"text": "<p>edited</p>", "categories": [],
            "poll": composer_poll("red", "blue", title="Which colour?")}
    response = sc.put(f"/api/v2/post/{body['id']}/", edit, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["poll"]["title"] == "Which colour?"
    assert [c["vote_count"] for c in response.json()["poll"]["choices"]] == [1, 0]
    edit["poll"] = composer_poll("green", "blue")
    assert [c["vote_count"] for c in sc.put(f"/api/v2/post/{body['id']}/", edit,
                                            format="json").json()["poll"]["choices"]] == [0, 0]
    del edit["poll"]
    assert sc.put(f"/api/v2/post/{body['id']}/", edit, format="json").json()["poll"] is None
    assert not Poll.objects.exists() and not Status.objects.get(pk=body["id"]).has_poll


# --- comments -----------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["post", "discussion"])
def test_comments_of_a_post_or_discussion_use_its_key(sc, bob_sc, kind):
    target = made(sc, kind)
    response = bob_sc.post("/api/v2/comment/", {kind: target["id"], "text": "<p>hi</p>"},
                           format="json")
    assert response.status_code == 201, response.content
    comment = response.json()
    assert comment[kind] == {"id": target["id"], "slug": target["slug"]}
    assert "status" not in comment
    listed = sc.get(f"/api/v2/comment/?{kind}={target['id']}").json()
    assert [c["id"] for c in listed["results"]] == [comment["id"]]
    assert listed["results"][0][kind]["id"] == target["id"]
    assert sc.get(f"/api/v2/{kind}/{target['id']}/").json()["comment_count"] == 1
    other = "discussion" if kind == "post" else "post"
    for wrong in (other, "status"):
        response = sc.get(f"/api/v2/comment/?{wrong}={target['id']}")
        assert response.status_code == 400
        assert field_errors(response) == {wrong: ["does_not_exist"]}
        response = bob_sc.post("/api/v2/comment/", {wrong: target["id"], "text": "<p>x</p>"},
                               format="json")
        assert response.status_code == 400
        assert field_errors(response) == {wrong: ["does_not_exist"]}


def test_a_comment_names_exactly_one_contribution(sc):
    target = made(sc, "post")
    for body in ({"text": "<p>x</p>"},
                 {"post": target["id"], "status": target["id"], "text": "<p>x</p>"}):
        response = sc.post("/api/v2/comment/", body, format="json")
        assert response.status_code == 400
        assert field_errors(response) == {"status": ["invalid"]}


# --- query counts -------------------------------------------------------------------------------

def _world(sc, bob_sc, size):
    """`size` posts and `size` discussions of bob, each with a poll and a category, followed
    and suspended by alice, who voted in every poll."""
    category = CategoryFactory()
    for i in range(size):
        for kind in ("post", "discussion"):
            body = made(bob_sc, kind, text=f"<p>fox {i}</p>", categories=[category.pk],
                        poll=composer_poll())
            for toggle in ("follow", "suspend"):
                assert sc.post(f"/api/v2/{kind}/{body['id']}/{toggle}/").status_code == 204
            assert sc.post(f"/api/v2/{kind}/{body['id']}/poll/vote/",
                           {"choice": body["poll"]["choices"][1]["id"]},
                           format="json").status_code == 204


# token, count, page ids, statuses, authors, apps, the polls of the page with the viewer's
# choices (one statement), categories, their parents, tags, the viewer's follows, suspensions
# and votes. (No media: these contributions have none, and their renderings say so.)
LIST_QUERIES = 11


@pytest.mark.parametrize("size", [1, 20])
@pytest.mark.parametrize("kind", ["post", "discussion"])
@pytest.mark.parametrize("path", ["", "search/?search=fox", "search/", "uncommented/",
                                  "following/", "suspended/"])
def test_list_query_count_is_constant(sc, bob_sc, size, kind, path,
                                      django_assert_num_queries):
    _world(sc, bob_sc, size)
    url = f"/api/v2/{kind}/{path}" + ("&" if "?" in path else "?") + "limit=30"
    with django_assert_num_queries(LIST_QUERIES):
        response = sc.get(url)
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert len(results) == size
    item = results[0].get(kind, results[0])
    assert item["type"] == kind
    assert [c["voted"] for c in item["poll"]["choices"]] == [False, True]


@pytest.mark.parametrize("size", [1, 20])
def test_feed_with_polls_query_count_is_constant(sc, bob_sc, size, django_assert_num_queries):
    _world(sc, bob_sc, size)
    # The lists' statements and the one the feed adds for what the viewer has seen.
    with django_assert_num_queries(LIST_QUERIES + 1):
        response = sc.get("/api/v2/feed/?limit=40")
    results = response.json()["results"]
    assert len(results) == 2 * size
    assert {item["type"] for item in results} == {"post", "discussion"}


def test_the_contribution_type_index_exists():
    indexes = {index.name: index for index in Status._meta.indexes}
    assert indexes["status_type_top_level"].fields == ["contribution_type", "-created_at", "-id"]


# --- moderation -----------------------------------------------------------------------------

def test_moderators_see_a_flagged_post_and_discussion_as_such(sc, bob_sc, sc_client):
    from django.contrib.auth.models import Group

    from tests.factories import AccountFactory

    moderator = AccountFactory(username="mod", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    mod = sc_client(moderator)
    post_id = made(bob_sc, "post")["id"]
    discussion_id = made(bob_sc, "discussion")["id"]
    for kind, pk in (("post", post_id), ("discussion", discussion_id)):
        assert sc.post(f"/api/v2/{kind}/{pk}/flag/", {"flag_type": 0},
                       format="json").status_code == 204

    def listed(**params):
        response = mod.get("/api/v2/moderation/contribution/", params)
        assert response.status_code == 200, response.content
        return [(item["contribution_type"], item["contribution"]["id"],
                 item["contribution"]["type"]) for item in response.json()["results"]]

    assert sorted(listed()) == sorted([("post", post_id, "post"),
                                       ("discussion", discussion_id, "discussion")])
    assert listed(contribution_type="post") == [("post", post_id, "post")]
    assert listed(contribution_type="discussion") == [("discussion", discussion_id,
                                                       "discussion")]
    assert listed(contribution_type="status") == []


def test_notifications_about_a_post_name_it_post(sc, bob_sc):
    post_id = made(sc, "post")["id"]
    assert bob_sc.post(f"/api/v2/post/{post_id}/vote/").status_code == 204
    response = sc.get("/api/v2/notification/")
    assert response.status_code == 200, response.content
    [aggregate] = response.json()["results"]
    assert set(aggregate) == {"sid", "is_new", "post", "aggregated"}
    assert aggregate["post"]["id"] == post_id and aggregate["post"]["type"] == "post"
    [vote] = aggregate["aggregated"]
    assert vote["type"] == "vote_up" and vote["post"]["id"] == post_id and "status" not in vote


def test_a_mastodon_edit_of_the_poll_keeps_its_title(sc, alice_client):
    body = made(sc, "post", text="<p>Pick</p>", poll=composer_poll("red", "blue"))
    response = alice_client.put(f"/api/v1/statuses/{body['id']}", {
        "status": "Pick again", "poll": {"options": ["red", "blue"], "expires_in": 3600}},
        format="json")
    assert response.status_code == 200, response.content
    poll = sc.get(f"/api/v2/post/{body['id']}/").json()["poll"]
    assert poll["title"] == "Which one?"
    assert [c["choice"] for c in poll["choices"]] == ["red", "blue"]

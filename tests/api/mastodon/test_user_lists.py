"""Mastodon 4.5's lists: /api/v1/lists CRUD with List's validations and words, the accounts of a
list (only followed accounts, or oneself; all or none join), an account's lists, the list
timeline (members' statuses through the one visibility rule, the replies policy), exclusive
lists leaving home, scopes, and constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Follow
from lists.models import ListMember, UserList
from statuses import render_cache, services
from tests.factories import AccountFactory, FollowFactory

NOT_FOUND = {"error": "Record not found"}
LIST_KEYS = ["id", "title", "replies_policy", "exclusive"]


@pytest.fixture(autouse=True)
def _fresh_renderings():
    render_cache.CACHE.clear()
    yield
    render_cache.CACHE.clear()


def post(account, text, **extra):
    return services.status_create(account=account, text=text, **extra)


def make_list(client, title="Friends", **extra):
    response = client.post("/api/v1/lists", {"title": title, **extra}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


# --- /api/v1/lists -----------------------------------------------------------------------------

def test_create_answers_the_list_with_mastodons_defaults(alice, alice_client):
    body = make_list(alice_client)
    assert list(body) == LIST_KEYS
    row = UserList.objects.get()
    assert body == {"id": str(row.pk), "title": "Friends", "replies_policy": "list",
                    "exclusive": False}
    assert row.account_id == alice.pk


def test_create_takes_policy_and_exclusive_as_json_or_form(alice_client):
    body = make_list(alice_client, "Work", replies_policy="followed", exclusive=True)
    assert (body["replies_policy"], body["exclusive"]) == ("followed", True)
    response = alice_client.post("/api/v1/lists", {"title": "Quiet", "replies_policy": "none",
                                                   "exclusive": "1"})
    assert response.status_code == 200
    assert (response.json()["replies_policy"], response.json()["exclusive"]) == ("none", True)


def test_replies_policy_as_the_enums_integer(alice_client):
    body = make_list(alice_client, "Ints", replies_policy=1)
    assert body["replies_policy"] == "followed"
    response = alice_client.post("/api/v1/lists", {"title": "x", "replies_policy": 7},
                                 format="json")
    assert response.json() == {
        "error": "Validation failed: Replies policy is not included in the list"}


@pytest.mark.parametrize(("data", "message"), [
    ({}, "Validation failed: Title can't be blank"),
    ({"title": "   "}, "Validation failed: Title can't be blank"),
    ({"title": ["a"]}, "Validation failed: Title can't be blank"),
    ({"title": "x" * 257}, "Validation failed: Title is too long (maximum is 256 characters)"),
    ({"title": "ok", "replies_policy": "everyone"},
     "Validation failed: Replies policy is not included in the list"),
    ({"replies_policy": "bad"},
     "Validation failed: Replies policy is not included in the list, Title can't be blank"),
])
def test_create_refuses_as_rails_validates(alice_client, data, message):
    response = alice_client.post("/api/v1/lists", data, format="json")
    assert response.status_code == 422
    assert response.json() == {"error": message}
    assert not UserList.objects.exists()


def test_fifty_lists_at_most(alice, alice_client):
    UserList.objects.bulk_create([UserList(account=alice, title=f"l{i}") for i in range(50)])
    response = alice_client.post("/api/v1/lists", {"title": "one more"}, format="json")
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: You have reached the maximum "
                                        "number of lists"}
    assert UserList.objects.count() == 50


def test_index_show_update_delete_are_the_owners_alone(alice, bob, alice_client, bob_client):
    mine = make_list(alice_client, "A")
    second = make_list(alice_client, "B")
    make_list(bob_client, "Bob's")
    assert alice_client.get("/api/v1/lists").json() == [mine, second]
    assert alice_client.get(f"/api/v1/lists/{mine['id']}").json() == mine
    for method in ("get", "put", "delete"):
        response = getattr(bob_client, method)(f"/api/v1/lists/{mine['id']}",
                                               {"title": "stolen"}, format="json")
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
    for bad in ("0", "abc", "99999999999999999999"):
        assert alice_client.get(f"/api/v1/lists/{bad}").status_code == 404
    response = alice_client.put(f"/api/v1/lists/{mine['id']}",
                                {"replies_policy": "none", "exclusive": True}, format="json")
    assert response.json() == {**mine, "replies_policy": "none", "exclusive": True}
    response = alice_client.put(f"/api/v1/lists/{mine['id']}", {"title": ""}, format="json")
    assert (response.status_code, response.json()) == (
        422, {"error": "Validation failed: Title can't be blank"})
    assert UserList.objects.get(pk=mine["id"]).title == "A"
    response = alice_client.delete(f"/api/v1/lists/{mine['id']}")
    assert (response.status_code, response.json()) == (200, {})
    assert not UserList.objects.filter(pk=mine["id"]).exists()


def test_scopes_and_tokens(alice, make_token, mastodon, anon):
    response = anon.get("/api/v1/lists")
    assert response.status_code == 401
    reader = mastodon.as_token(make_token(alice, scopes="read:lists"))
    assert reader.get("/api/v1/lists").status_code == 200
    response = reader.post("/api/v1/lists", {"title": "x"}, format="json")
    assert (response.status_code, response.json()) == (
        403, {"error": "This action is outside the authorized scopes"})
    writer = mastodon.as_token(make_token(alice, scopes="write:lists"))
    assert writer.post("/api/v1/lists", {"title": "x"}, format="json").status_code == 200
    assert writer.get("/api/v1/lists").status_code == 403


# --- /api/v1/lists/:id/accounts ------------------------------------------------------------------

def test_only_followed_accounts_or_oneself_join_and_all_or_none(alice, bob, carol,
                                                                  alice_client):
    lst = make_list(alice_client)
    FollowFactory(account=alice, target=bob)
    url = f"/api/v1/lists/{lst['id']}/accounts"
    response = alice_client.post(url, {"account_ids": [bob.pk, carol.pk]}, format="json")
    assert (response.status_code, response.json()) == (
        422, {"error": "Validation failed: Account must be a followed account"})
    assert not ListMember.objects.exists()
    response = alice_client.post(url, {"account_ids[]": [str(bob.pk), str(alice.pk)]})
    assert (response.status_code, response.json()) == (200, {})
    assert set(ListMember.objects.values_list("account_id", flat=True)) == {bob.pk, alice.pk}
    response = alice_client.post(url, {"account_ids": [bob.pk]}, format="json")
    assert (response.status_code, response.json()) == (
        422, {"error": "Validation failed: Account is already on the list"})
    for ids in ([999999], ["abc"]):
        response = alice_client.post(url, {"account_ids": ids}, format="json")
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
    # A pending follow request counts, as in Mastodon.
    FollowFactory(account=alice, target=carol, accepted=False)
    assert alice_client.post(url, {"account_ids": [carol.pk]}, format="json").status_code == 200


def test_accounts_list_pages_by_account_id_with_link_and_limit_zero(alice, alice_client):
    lst = make_list(alice_client)
    people = [AccountFactory() for _ in range(3)]
    for person in people:
        FollowFactory(account=alice, target=person)
    url = f"/api/v1/lists/{lst['id']}/accounts"
    alice_client.post(url, {"account_ids": [p.pk for p in people]}, format="json")
    response = alice_client.get(url + "?limit=2")
    assert [a["id"] for a in response.json()] == [str(people[2].pk), str(people[1].pk)]
    base = f"http://testserver{url}"
    assert response["Link"] == (f'<{base}?limit=2&max_id={people[1].pk}>; rel="next", '
                                f'<{base}?limit=2&since_id={people[2].pk}>; rel="prev"')
    response = alice_client.get(url + f"?limit=2&max_id={people[1].pk}")
    assert [a["id"] for a in response.json()] == [str(people[0].pk)]
    response = alice_client.get(url + "?limit=0")
    assert [a["id"] for a in response.json()] == [str(p.pk) for p in people]
    assert "Link" not in response
    response = alice_client.delete(url, {"account_ids": [people[0].pk, 424242]}, format="json")
    assert (response.status_code, response.json()) == (200, {})
    assert len(alice_client.get(url).json()) == 2


def test_unfollowing_takes_the_account_off_the_list(alice, bob, alice_client):
    lst = make_list(alice_client)
    FollowFactory(account=alice, target=bob)
    alice_client.post(f"/api/v1/lists/{lst['id']}/accounts", {"account_ids": [bob.pk]},
                      format="json")
    assert alice_client.post(f"/api/v1/accounts/{bob.pk}/unfollow").status_code == 200
    assert not ListMember.objects.exists()


def test_account_lists_are_the_callers_lists_holding_it(alice, bob, alice_client, bob_client):
    FollowFactory(account=alice, target=bob)
    first, second = make_list(alice_client, "1"), make_list(alice_client, "2")
    alice_client.post(f"/api/v1/lists/{second['id']}/accounts", {"account_ids": [bob.pk]},
                      format="json")
    assert alice_client.get(f"/api/v1/accounts/{bob.pk}/lists").json() == [second]
    assert bob_client.get(f"/api/v1/accounts/{bob.pk}/lists").json() == []
    response = alice_client.get("/api/v1/accounts/999999/lists")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert first


# --- /api/v1/timelines/list/:id ------------------------------------------------------------------

def _timeline(client, lst, query=""):
    response = client.get(f"/api/v1/timelines/list/{lst['id']}{query}")
    assert response.status_code == 200, response.content
    return [s["content"] for s in response.json()]


def test_list_timeline_shows_members_statuses_the_owner_may_see(alice, bob, carol,
                                                                alice_client, bob_client):
    FollowFactory(account=alice, target=bob)
    lst = make_list(alice_client)
    alice_client.post(f"/api/v1/lists/{lst['id']}/accounts", {"account_ids": [bob.pk]},
                      format="json")
    post(bob, "bob public")
    post(bob, "bob private", visibility="private")
    post(bob, "bob direct to carol @carol", visibility="direct")
    post(carol, "carol public")
    post(alice, "alice herself")
    assert _timeline(alice_client, lst) == ["<p>bob private</p>", "<p>bob public</p>"]
    response = bob_client.get(f"/api/v1/timelines/list/{lst['id']}")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_replies_policy(alice, bob, carol, alice_client):
    dave = AccountFactory(username="dave")
    for target in (bob, carol, dave):
        FollowFactory(account=alice, target=target)
    lst = make_list(alice_client)
    alice_client.post(f"/api/v1/lists/{lst['id']}/accounts",
                      {"account_ids": [bob.pk, carol.pk]}, format="json")
    stranger = AccountFactory(username="stranger")
    to_carol = post(carol, "carol root")
    to_dave = post(dave, "dave root")
    to_stranger = post(stranger, "stranger root")
    to_alice = post(alice, "alice root")
    for parent, text in ((to_carol, "re carol"), (to_dave, "re dave"),
                         (to_stranger, "re stranger"), (to_alice, "re alice")):
        post(bob, text, in_reply_to_id=parent.pk, in_reply_to_given=True)
    replies = {"list": ["re alice", "re carol"], "followed": ["re alice", "re dave", "re carol"],
               "none": ["re alice"]}
    for policy, shown in replies.items():
        alice_client.put(f"/api/v1/lists/{lst['id']}", {"replies_policy": policy},
                         format="json")
        got = [c for c in _timeline(alice_client, lst) if "re " in c]
        assert got == [f"<p>{text}</p>" for text in shown], policy


def test_exclusive_list_members_leave_home(alice, bob, carol, alice_client):
    FollowFactory(account=alice, target=bob)
    FollowFactory(account=alice, target=carol)
    post(bob, "from bob")
    post(carol, "from carol")
    lst = make_list(alice_client, exclusive=True)
    alice_client.post(f"/api/v1/lists/{lst['id']}/accounts", {"account_ids": [bob.pk]},
                      format="json")
    home = [s["content"] for s in alice_client.get("/api/v1/timelines/home").json()]
    assert home == ["<p>from carol</p>"]
    alice_client.put(f"/api/v1/lists/{lst['id']}", {"exclusive": False}, format="json")
    home = [s["content"] for s in alice_client.get("/api/v1/timelines/home").json()]
    assert home == ["<p>from carol</p>", "<p>from bob</p>"]


def test_list_timeline_pages_like_home(alice, bob, alice_client):
    FollowFactory(account=alice, target=bob)
    lst = make_list(alice_client)
    alice_client.post(f"/api/v1/lists/{lst['id']}/accounts", {"account_ids": [bob.pk]},
                      format="json")
    statuses = [post(bob, f"s{i}") for i in range(3)]
    response = alice_client.get(f"/api/v1/timelines/list/{lst['id']}?limit=2")
    assert [s["id"] for s in response.json()] == [str(statuses[2].pk), str(statuses[1].pk)]
    base = f"http://testserver/api/v1/timelines/list/{lst['id']}"
    assert response["Link"] == (f'<{base}?limit=2&max_id={statuses[1].pk}>; rel="next", '
                                f'<{base}?limit=2&min_id={statuses[2].pk}>; rel="prev"')
    response = alice_client.get(f"/api/v1/timelines/list/{lst['id']}?min_id={statuses[0].pk}"
                                "&limit=1")
    assert [s["id"] for s in response.json()] == [str(statuses[1].pk)]


# --- queries -------------------------------------------------------------------------------------

def _count(client, path) -> tuple[int, list]:
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()


def test_lists_members_and_timeline_read_constant_statements(alice, alice_client,
                                                            django_assert_num_queries):
    counts = {"lists": [], "accounts": [], "timeline": []}
    for size in (1, 15):
        UserList.objects.all().delete()
        Follow.objects.all().delete()
        lists = [make_list(alice_client, f"l{i}") for i in range(size)]
        people = [AccountFactory() for _ in range(size)]
        for person in people:
            FollowFactory(account=alice, target=person)
            post(person, f"hello from {person.username}")
        first = lists[0]["id"]
        alice_client.post(f"/api/v1/lists/{first}/accounts",
                          {"account_ids": [p.pk for p in people]}, format="json")
        for name, path in (("lists", "/api/v1/lists"),
                           ("accounts", f"/api/v1/lists/{first}/accounts"),
                           ("timeline", f"/api/v1/timelines/list/{first}?limit=40")):
            count, body = _count(alice_client, path)
            assert len(body) == size, name
            counts[name].append(count)
    # The token and the lists; the token, the list, its members; the token, the list, the
    # page of ids, the statuses, their authors, the reader's flags on them.
    assert counts == {"lists": [2, 2], "accounts": [3, 3], "timeline": [6, 6]}, counts
    with django_assert_num_queries(6):
        alice_client.get(f"/api/v1/timelines/list/{first}?limit=40")

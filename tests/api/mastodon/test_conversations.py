"""GET /api/v1/conversations, POST /api/v1/conversations/:id/read (and /unread), DELETE
/api/v1/conversations/:id as Mastodon 4.5 answers them: codes, the exact Conversation, the
rows behind it, unread toggling, delete-for-self, the Link header and its cursors (last status
ids), an edit and a delete of the last status, scopes, and constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.mastodon.serializers import serialize_account
from conversations.mastodon.present import render_conversation
from conversations.models import AccountConversation, ConversationStatus
from statuses import render_cache, services
from statuses.models import Status
from tests.api.mastodon.expected import STATUS_KEYS
from tests.factories import AccountFactory, FollowFactory

NOT_FOUND = {"error": "Record not found"}
CONVERSATION_KEYS = ["id", "unread", "accounts", "last_status"]
BASE = "http://testserver/api/v1/conversations"


@pytest.fixture(autouse=True)
def _fresh_renderings():
    render_cache.CACHE.clear()
    yield
    render_cache.CACHE.clear()


def direct(account, text, reply_to=None):
    extra = {"in_reply_to_id": reply_to.pk, "in_reply_to_given": True} if reply_to else {}
    return services.status_create(account=account, text=text, visibility="direct", **extra)


def own(account) -> AccountConversation:
    return AccountConversation.objects.get(account=account)


def account_json(account) -> dict:
    account.refresh_from_db()
    return serialize_account(account)


# --- GET /api/v1/conversations -----------------------------------------------------------------

def test_each_participant_lists_the_conversation_with_the_others_and_the_last_status(
        alice, bob, alice_client, bob_client):
    status = direct(alice, "@bob psst")
    response = bob_client.get("/api/v1/conversations")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    [conversation] = response.json()
    assert list(conversation) == CONVERSATION_KEYS
    assert conversation["id"] == str(own(bob).pk)
    assert conversation["unread"] is True
    assert conversation["accounts"] == [account_json(alice)]
    last = conversation["last_status"]
    assert set(STATUS_KEYS) - {"pinned"} <= set(last)
    assert last["id"] == str(status.pk) and isinstance(last["id"], str)
    assert last["visibility"] == "direct"
    assert last["content"] == status.html
    assert last["account"]["id"] == str(alice.pk)

    [mine] = alice_client.get("/api/v1/conversations").json()
    assert mine["id"] == str(own(alice).pk) != conversation["id"]
    assert mine["unread"] is False
    assert mine["accounts"] == [account_json(bob)]
    assert mine["last_status"]["id"] == str(status.pk)


def test_a_note_to_oneself_lists_oneself(alice, alice_client):
    direct(alice, "note to self")
    [conversation] = alice_client.get("/api/v1/conversations").json()
    assert conversation["accounts"] == [account_json(alice)]


def test_accounts_are_the_other_participants_in_id_order_even_blocked_or_muted(
        alice, bob, carol, bob_client):
    from accounts.services import account_block, account_mute

    direct(alice, "@carol @bob the three of us")
    # Blocked or muted since: Mastodon still shows them as participants.
    account_block(account=bob, target=carol)
    account_mute(account=bob, target=alice, notifications=False)
    [conversation] = bob_client.get("/api/v1/conversations").json()
    assert [a["id"] for a in conversation["accounts"]] == sorted([str(alice.pk), str(carol.pk)],
                                                                 key=int)


def test_direct_statuses_never_reach_anyone_else(alice, bob, carol, client_for):
    FollowFactory(account=carol, target=alice)
    direct(alice, "@bob secret words")
    carol_client = client_for(carol)
    response = carol_client.get("/api/v1/conversations")
    assert response.status_code == 200 and response.json() == []
    assert "Link" not in response
    for conversation in AccountConversation.objects.all():
        assert carol_client.post(f"/api/v1/conversations/{conversation.pk}/read").json() == \
            NOT_FOUND
        deleted = carol_client.delete(f"/api/v1/conversations/{conversation.pk}")
        assert deleted.status_code == 404 and deleted.json() == NOT_FOUND
        assert b"secret words" not in deleted.content
    assert AccountConversation.objects.count() == 2
    assert set(AccountConversation.objects.values_list("unread", flat=True)) == {False, True}


def test_a_last_status_the_reader_may_no_longer_see_is_null(alice, bob, alice_client,
                                                            bob_client):
    status = direct(alice, "@bob hidden soon")
    Status.objects.filter(pk=status.pk).update(collapsed=True)
    [theirs] = bob_client.get("/api/v1/conversations").json()
    assert theirs["last_status"] is None
    assert b"hidden soon" not in bob_client.get("/api/v1/conversations").content
    # Its author still sees it.
    [mine] = alice_client.get("/api/v1/conversations").json()
    assert mine["last_status"]["id"] == str(status.pk)


def test_the_list_is_by_last_status_with_cursors_and_link(alice, alice_client):
    others = [AccountFactory() for _ in range(3)]
    for i in range(45):
        direct(alice, f"@{others[i % 3].username} thread {i}")
    # An old conversation answered last moves to the top.
    oldest = AccountConversation.objects.filter(account=alice).order_by("last_status_id").first()
    answer = direct(alice, f"@{others[0].username} again",
                    reply_to=Status.objects.get(pk=oldest.last_status_id))
    by_last = list(AccountConversation.objects.filter(account=alice)
                   .order_by("-last_status_id").values_list("pk", "last_status_id"))
    assert by_last[0] == (oldest.pk, answer.pk)
    ids = [str(pk) for pk, _ in by_last]
    lasts = [last for _, last in by_last]

    first = alice_client.get("/api/v1/conversations")
    assert [c["id"] for c in first.json()] == ids[:20]
    assert first["Link"] == (f'<{BASE}?max_id={lasts[19]}>; rel="next", '
                             f'<{BASE}?min_id={lasts[0]}>; rel="prev"')
    assert len(alice_client.get("/api/v1/conversations?limit=100").json()) == 40
    page = alice_client.get(f"/api/v1/conversations?limit=5&max_id={lasts[4]}")
    assert [c["id"] for c in page.json()] == ids[5:10]
    assert page["Link"] == (f'<{BASE}?limit=5&max_id={lasts[9]}>; rel="next", '
                            f'<{BASE}?limit=5&min_id={lasts[5]}>; rel="prev"')
    since = alice_client.get(f"/api/v1/conversations?limit=3&since_id={lasts[10]}")
    assert [c["id"] for c in since.json()] == ids[:3]
    # min_id: the ones just above it, still newest first; with max_id too (3.3.0).
    after = alice_client.get(f"/api/v1/conversations?limit=3&min_id={lasts[10]}")
    assert [c["id"] for c in after.json()] == ids[7:10]
    between = alice_client.get(f"/api/v1/conversations?min_id={lasts[10]}&max_id={lasts[8]}")
    assert [c["id"] for c in between.json()] == ids[9:10]
    tail = alice_client.get(f"/api/v1/conversations?max_id={lasts[39]}")
    assert [c["id"] for c in tail.json()] == ids[40:]
    assert tail["Link"] == f'<{BASE}?min_id={lasts[40]}>; rel="prev"'
    # Rails' leniency: a cursor naming nothing is ignored, limit=0 is an empty page.
    assert [c["id"] for c in alice_client.get(
        "/api/v1/conversations?max_id=abc&limit=2").json()] == ids[:2]
    empty = alice_client.get("/api/v1/conversations?limit=0")
    assert empty.json() == [] and "Link" not in empty


@pytest.mark.parametrize("scopes,code", [("read", 200), ("read:statuses", 200),
                                         ("write", 403), ("read:notifications", 403)])
def test_listing_takes_read_statuses(alice, make_token, mastodon, scopes, code):
    direct(alice, "@alice hi")
    response = mastodon.as_token(make_token(alice, scopes=scopes)).get("/api/v1/conversations")
    assert response.status_code == code
    if code == 403:
        assert response.json() == {"error": "This action is outside the authorized scopes"}


def test_anonymous_and_app_tokens_are_refused(mastodon, make_token):
    response = mastodon.get("/api/v1/conversations")
    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}
    app_only = mastodon.as_token(make_token(None, scopes="read write"))
    response = app_only.get("/api/v1/conversations")
    assert response.status_code == 422
    assert response.json() == {"error": "This method requires an authenticated user"}


# --- POST /api/v1/conversations/:id/read ------------------------------------------------------

def test_read_marks_it_read_and_answers_the_conversation(alice, bob, bob_client):
    status = direct(alice, "@bob psst")
    conversation = own(bob)
    response = bob_client.post(f"/api/v1/conversations/{conversation.pk}/read")
    assert response.status_code == 200
    body = response.json()
    assert list(body) == CONVERSATION_KEYS
    assert body["id"] == str(conversation.pk) and body["unread"] is False
    assert body["accounts"] == [account_json(alice)]
    assert body["last_status"]["id"] == str(status.pk)
    conversation.refresh_from_db()
    assert conversation.unread is False
    # Read again: still 200, still read.
    assert bob_client.post(f"/api/v1/conversations/{conversation.pk}/read").json()["unread"] \
        is False


def test_unread_marks_it_unread_again(alice, bob, bob_client):
    direct(alice, "@bob psst")
    conversation = own(bob)
    bob_client.post(f"/api/v1/conversations/{conversation.pk}/read")
    response = bob_client.post(f"/api/v1/conversations/{conversation.pk}/unread")
    assert response.status_code == 200
    body = response.json()
    assert list(body) == CONVERSATION_KEYS and body["unread"] is True
    conversation.refresh_from_db()
    assert conversation.unread is True
    assert [c["unread"] for c in bob_client.get("/api/v1/conversations").json()] == [True]


def test_unread_follows_who_posted_last(alice, bob, alice_client, bob_client):
    first = direct(alice, "@bob one")
    bobs = own(bob)
    bob_client.post(f"/api/v1/conversations/{bobs.pk}/read")
    direct(alice, "@bob two", reply_to=first)
    assert [c["unread"] for c in bob_client.get("/api/v1/conversations").json()] == [True]
    reply = bob_client.post("/api/v1/statuses", {"status": f"@{alice.username} three",
                                                 "visibility": "direct",
                                                 "in_reply_to_id": str(first.pk)})
    assert reply.status_code == 200
    # Posting in it reads it for the poster, and makes it unread for the other.
    assert [c["unread"] for c in bob_client.get("/api/v1/conversations").json()] == [False]
    [alices] = alice_client.get("/api/v1/conversations").json()
    assert alices["unread"] is True and alices["last_status"]["id"] == reply.json()["id"]


@pytest.mark.parametrize("scopes,code", [("write:conversations", 200), ("write", 200),
                                         ("write:statuses", 403), ("read", 403)])
def test_read_and_delete_take_write_conversations(alice, make_token, mastodon, scopes, code):
    direct(alice, "note")
    conversation = own(alice)
    client = mastodon.as_token(make_token(alice, scopes=scopes))
    assert client.post(f"/api/v1/conversations/{conversation.pk}/read").status_code == code
    assert client.post(f"/api/v1/conversations/{conversation.pk}/unread").status_code == code
    assert client.delete(f"/api/v1/conversations/{conversation.pk}").status_code == code
    assert AccountConversation.objects.filter(pk=conversation.pk).exists() == (code != 200)


@pytest.mark.parametrize("path", ["0", "abc", "99999999", "-1"])
def test_unknown_ids_are_record_not_found(alice_client, path):
    for response in (alice_client.post(f"/api/v1/conversations/{path}/read"),
                     alice_client.post(f"/api/v1/conversations/{path}/unread"),
                     alice_client.delete(f"/api/v1/conversations/{path}")):
        assert response.status_code == 404 and response.json() == NOT_FOUND


# --- DELETE /api/v1/conversations/:id ---------------------------------------------------------

def test_delete_removes_it_for_its_owner_only(alice, bob, alice_client, bob_client):
    status = direct(alice, "@bob psst")
    bobs = own(bob)
    response = bob_client.delete(f"/api/v1/conversations/{bobs.pk}")
    assert response.status_code == 200 and response.json() == {}
    assert not AccountConversation.objects.filter(account=bob).exists()
    assert not ConversationStatus.objects.filter(conversation_id=bobs.pk).exists()
    assert bob_client.get("/api/v1/conversations").json() == []
    assert bob_client.delete(f"/api/v1/conversations/{bobs.pk}").json() == NOT_FOUND
    # Alice keeps hers, and the status is untouched.
    [alices] = alice_client.get("/api/v1/conversations").json()
    assert alices["last_status"]["id"] == str(status.pk)
    assert Status.objects.get(pk=status.pk).deleted_at is None


# --- the last status edited and deleted through the API ----------------------------------------

def test_an_edit_of_the_last_status_shows_in_the_conversation(alice, bob, alice_client,
                                                              bob_client):
    status = direct(alice, "@bob first words")
    edited = alice_client.put(f"/api/v1/statuses/{status.pk}",
                              {"status": f"@{bob.username} second words"})
    assert edited.status_code == 200
    [conversation] = bob_client.get("/api/v1/conversations").json()
    assert "second words" in conversation["last_status"]["content"]
    assert conversation["last_status"]["edited_at"] is not None


def test_a_delete_of_the_last_status_falls_back_then_removes(alice, bob, alice_client,
                                                            bob_client):
    first = direct(alice, "@bob first")
    second = direct(alice, "@bob second", reply_to=first)
    assert alice_client.delete(f"/api/v1/statuses/{second.pk}").status_code == 200
    [conversation] = bob_client.get("/api/v1/conversations").json()
    assert conversation["last_status"]["id"] == str(first.pk)
    assert own(bob).last_status_id == first.pk
    assert alice_client.delete(f"/api/v1/statuses/{first.pk}").status_code == 200
    assert bob_client.get("/api/v1/conversations").json() == []
    assert alice_client.get("/api/v1/conversations").json() == []
    assert not AccountConversation.objects.exists()


# --- the streaming payload ---------------------------------------------------------------------

def test_render_conversation_is_the_owners_listed_conversation_or_none(alice, bob, carol,
                                                                       bob_client):
    direct(alice, "@bob psst")
    bobs = own(bob)
    listed = bob_client.get("/api/v1/conversations").json()
    bob.refresh_from_db()
    assert render_conversation(bob, bobs.pk) == listed[0]
    assert render_conversation(carol, bobs.pk) is None
    assert render_conversation(alice, bobs.pk) is None
    assert render_conversation(None, bobs.pk) is None
    assert render_conversation(bob, bobs.pk + 1000) is None


# --- queries -----------------------------------------------------------------------------------

def _queries(client, path) -> tuple[int, list]:
    client.get(path)  # renderings cached, as on a warm server
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()


def test_the_list_reads_a_constant_number_of_statements(alice, alice_client,
                                                        django_assert_num_queries):
    counts = []
    for size in (1, 20):
        AccountConversation.objects.all().delete()
        Status.objects.all().delete()
        for i in range(size):
            other, third = AccountFactory(), AccountFactory()
            first = direct(other, f"@{alice.username} @{third.username} hi {i}")
            direct(alice, f"@{other.username} @{third.username} re {i}", reply_to=first)
        count, body = _queries(alice_client, "/api/v1/conversations?limit=40")
        assert len(body) == size
        assert all(len(c["accounts"]) == 2 and c["last_status"] is not None for c in body)
        counts.append(count)
    # The token, the page of conversations, their participants, which last statuses the reader
    # may see, those statuses, their authors, the reader's flags on them: 7 at 1 and at 20.
    assert counts == [7, 7]
    with django_assert_num_queries(7):
        alice_client.get("/api/v1/conversations?limit=40")

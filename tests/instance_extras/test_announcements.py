"""GET /api/v1/announcements, POST .../:id/dismiss, PUT and DELETE .../:id/reactions/:name, as
Mastodon 4.5 answers them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from instance_extras.models import AnnouncementDismissal, AnnouncementReaction
from instance_extras.services import REACTION_LIMIT
from tests.factories import AccountFactory

KEYS = {"id", "content", "starts_at", "ends_at", "all_day", "published_at", "updated_at", "read",
        "mentions", "statuses", "tags", "emojis", "reactions"}
THUMBS, PARTY = "👍", "🎉"
THUMBS_PATH = "%F0%9F%91%8D"
PARTY_PATH = "%F0%9F%8E%89"
NOT_FOUND = {"error": "Record not found"}


def ago(**delta):
    return timezone.now() - timedelta(**delta)


def ahead(**delta):
    return timezone.now() + timedelta(**delta)


# --- the list ---------------------------------------------------------------------------------

def test_none_is_an_empty_list(alice_client):
    response = alice_client.get("/api/v1/announcements")
    assert response.status_code == 200
    assert response.json() == []
    assert response["Cache-Control"] == "private, no-store"


def test_an_announcement_with_exact_keys_and_types(alice_client, alice, bob, make_emoji,
                                                   make_announcement, client_for):
    make_emoji("blobcat")
    public = alice_client.post("/api/v1/statuses", {"status": "see"}, format="json").json()
    announcement = make_announcement(
        f"Welcome @bob and #NewHere :blobcat: https://social.example/@alice/{public['id']}",
        starts_at=ago(hours=1), ends_at=ahead(days=1), all_day=True)
    client_for(bob).put(f"/api/v1/announcements/{announcement.pk}/reactions/blobcat")
    client_for(bob).put(f"/api/v1/announcements/{announcement.pk}/reactions/{THUMBS_PATH}")
    alice_client.put(f"/api/v1/announcements/{announcement.pk}/reactions/{THUMBS_PATH}")

    body = alice_client.get("/api/v1/announcements").json()
    assert len(body) == 1
    item = body[0]
    assert set(item) == KEYS
    assert item["id"] == str(announcement.pk)
    assert item["all_day"] is True
    assert item["read"] is False
    for key in ("starts_at", "ends_at", "published_at", "updated_at"):
        assert isinstance(item[key], str) and item[key].endswith("Z"), key
    assert item["content"].startswith("<p>Welcome ")
    assert 'href="https://social.example/@bob"' in item["content"]
    assert 'href="https://social.example/tags/NewHere"' in item["content"]
    assert item["mentions"] == [{"id": str(bob.pk), "username": "bob",
                                 "url": "https://social.example/@bob", "acct": "bob"}]
    assert item["statuses"] == [{"id": public["id"], "url": public["url"]}]
    assert item["tags"] == [{"name": "newhere", "url": "https://social.example/tags/newhere"}]
    assert [set(e) for e in item["emojis"]] == [{"shortcode", "url", "static_url",
                                                 "visible_in_picker"}]
    assert item["emojis"][0]["shortcode"] == "blobcat"
    blob, thumbs = item["reactions"]
    assert set(blob) == {"name", "count", "me", "url", "static_url"}
    assert blob["name"] == "blobcat" and blob["count"] == 1 and blob["me"] is False
    assert blob["url"].startswith("https://social.example/media/custom_emojis/")
    assert thumbs == {"name": THUMBS, "count": 2, "me": True}


def test_the_text_is_escaped_as_a_statuss_plain_text(alice_client, make_announcement):
    make_announcement('<script>alert("x")</script> & <b>bold</b>')
    content = alice_client.get("/api/v1/announcements").json()[0]["content"]
    assert "<script>" not in content and "<b>" not in content
    assert "&lt;script&gt;" in content


def test_a_linked_status_the_public_may_not_read_is_left_out(alice_client, make_announcement):
    private = alice_client.post("/api/v1/statuses", {"status": "zqsecretqz",
                                                     "visibility": "private"},
                                format="json").json()
    gone = alice_client.post("/api/v1/statuses", {"status": "bye"}, format="json").json()
    alice_client.delete(f"/api/v1/statuses/{gone['id']}")
    make_announcement(f"https://social.example/@alice/{private['id']} "
                      f"https://social.example/@alice/{gone['id']}")
    body = alice_client.get("/api/v1/announcements").json()
    assert body[0]["statuses"] == []
    assert "zqsecretqz" not in str(body)


def test_a_suspended_account_is_not_listed_among_mentions(alice_client, make_announcement,
                                                          bob):
    make_announcement("Hi @bob")
    bob.suspended_at = timezone.now()
    bob.save(update_fields=["suspended_at"])
    assert alice_client.get("/api/v1/announcements").json()[0]["mentions"] == []


def test_only_published_current_announcements_are_listed(alice_client, make_announcement):
    shown = make_announcement("shown")
    make_announcement("draft", published=False)
    make_announcement("later", scheduled_at=ahead(hours=2))
    make_announcement("over", starts_at=ago(days=3), ends_at=ago(days=1))
    event = make_announcement("soon", starts_at=ahead(days=1), ends_at=ahead(days=2))
    was_scheduled = make_announcement("earlier", scheduled_at=ago(minutes=5))
    ids = [a["id"] for a in alice_client.get("/api/v1/announcements").json()]
    assert sorted(ids) == sorted(str(a.pk) for a in (shown, event, was_scheduled))


def test_chronological_by_start_then_publication(alice_client, make_announcement):
    later_event = make_announcement("b", starts_at=ahead(days=3), ends_at=ahead(days=4))
    first = make_announcement("a")
    early_event = make_announcement("c", starts_at=ago(days=3), ends_at=ahead(days=4))
    ids = [a["id"] for a in alice_client.get("/api/v1/announcements").json()]
    assert ids == [str(early_event.pk), str(first.pk), str(later_event.pk)]


def test_without_a_user_422(anon, mastodon, make_token, make_announcement):
    make_announcement()
    for client in (anon, mastodon.as_token(make_token(None, scopes="read"))):
        response = client.get("/api/v1/announcements")
        assert response.status_code == 422
        assert response.json() == {"error": "This method requires an authenticated user"}


def test_any_scope_lists_them(mastodon, make_token, alice, make_announcement):
    make_announcement()
    response = mastodon.as_token(make_token(alice, scopes="push")).get("/api/v1/announcements")
    assert response.status_code == 200
    assert len(response.json()) == 1


def test_query_count_is_the_same_for_one_and_twenty(alice_client, alice, make_announcement,
                                                    make_emoji, django_assert_num_queries):
    emoji = make_emoji("blobcat")
    public = alice_client.post("/api/v1/statuses", {"status": "see"}, format="json").json()
    people = [AccountFactory(username=f"reader{i}") for i in range(3)]

    def add(n):
        for i in range(n):
            a = make_announcement(f"{i} @reader0 #tag{i} :blobcat: "
                                  f"https://social.example/@alice/{public['id']}")
            for who in people:
                AnnouncementReaction.objects.create(account=who, announcement=a, name=THUMBS)
            AnnouncementReaction.objects.create(account=alice, announcement=a, name="blobcat",
                                                custom_emoji=emoji)
            AnnouncementDismissal.objects.create(account=alice, announcement=a)

    add(1)
    alice_client.get("/api/v1/announcements")
    # The token, the announcements, the read ones, the reactions, the emojis, the mentioned
    # accounts, the linked statuses.
    with django_assert_num_queries(7):
        assert len(alice_client.get("/api/v1/announcements").json()) == 1
    add(19)
    with django_assert_num_queries(7):
        body = alice_client.get("/api/v1/announcements").json()
    assert len(body) == 20
    assert all(a["read"] and len(a["reactions"]) == 2 and a["statuses"] for a in body)


# --- dismiss ----------------------------------------------------------------------------------

def test_dismiss_marks_it_read_once(alice_client, alice, make_announcement):
    announcement = make_announcement()
    for _ in range(2):
        response = alice_client.post(f"/api/v1/announcements/{announcement.pk}/dismiss")
        assert response.status_code == 200
        assert response.json() == {}
    assert AnnouncementDismissal.objects.filter(account=alice,
                                                announcement=announcement).count() == 1
    assert alice_client.get("/api/v1/announcements").json()[0]["read"] is True


def test_dismiss_is_per_account(alice_client, bob_client, make_announcement):
    announcement = make_announcement()
    alice_client.post(f"/api/v1/announcements/{announcement.pk}/dismiss")
    assert bob_client.get("/api/v1/announcements").json()[0]["read"] is False


@pytest.mark.parametrize("which", ["unknown", "text", "draft", "scheduled", "ended"])
def test_dismiss_of_what_is_not_shown_404(alice_client, make_announcement, which):
    ids = {
        "unknown": "999999",
        "text": "abc",
        "draft": make_announcement("d", published=False).pk,
        "scheduled": make_announcement("s", scheduled_at=ahead(hours=1)).pk,
        "ended": make_announcement("e", starts_at=ago(days=2), ends_at=ago(days=1)).pk,
    }
    response = alice_client.post(f"/api/v1/announcements/{ids[which]}/dismiss")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert not AnnouncementDismissal.objects.exists()


def test_dismiss_needs_write_accounts(mastodon, make_token, alice, anon, make_announcement):
    announcement = make_announcement()
    path = f"/api/v1/announcements/{announcement.pk}/dismiss"
    response = mastodon.as_token(make_token(alice, scopes="read write:statuses")).post(path)
    assert response.status_code == 403
    assert response.json() == {"error": "This action is outside the authorized scopes"}
    assert anon.post(path).status_code == 401
    assert mastodon.as_token(make_token(alice, scopes="write:accounts")).post(
        path).status_code == 200
    app_only = mastodon.as_token(make_token(None, scopes="write")).post(path)
    assert app_only.status_code == 422
    assert AnnouncementDismissal.objects.count() == 1


# --- reactions --------------------------------------------------------------------------------

def test_a_unicode_reaction_is_added_and_removed(alice_client, alice, make_announcement):
    announcement = make_announcement()
    path = f"/api/v1/announcements/{announcement.pk}/reactions/{THUMBS_PATH}"
    response = alice_client.put(path)
    assert response.status_code == 200
    assert response.json() == {}
    row = AnnouncementReaction.objects.get()
    assert (row.account_id, row.announcement_id, row.name, row.custom_emoji_id) == (
        alice.pk, announcement.pk, THUMBS, None)
    response = alice_client.delete(path)
    assert response.status_code == 200
    assert response.json() == {}
    assert not AnnouncementReaction.objects.exists()


def test_skin_tones_and_sequences_are_emoji(alice_client, make_announcement):
    announcement = make_announcement()
    for name in ("👍🏽", "❤️", "👩‍💻", "🇫🇷"):
        response = alice_client.put(f"/api/v1/announcements/{announcement.pk}/reactions/{name}")
        assert response.status_code == 200, name
    assert AnnouncementReaction.objects.count() == 4


def test_a_custom_emoji_reaction_links_the_emoji(alice_client, make_announcement, make_emoji):
    emoji = make_emoji("blobcat", visible_in_picker=False)  # reactions take unlisted ones too
    announcement = make_announcement()
    assert alice_client.put(
        f"/api/v1/announcements/{announcement.pk}/reactions/blobcat").status_code == 200
    assert AnnouncementReaction.objects.get().custom_emoji_id == emoji.pk


@pytest.mark.parametrize("name", ["hello", "blobcat", "off", "%20", "a" * 80, "%00", "👍👍",
                                  "BLOBCAT"])
def test_a_name_that_is_no_emoji_422(alice_client, make_announcement, make_emoji, name):
    make_emoji("blobcat")
    make_emoji("off", disabled=True)
    announcement = make_announcement()
    if name == "blobcat":
        name = "blobcat2"
    response = alice_client.put(f"/api/v1/announcements/{announcement.pk}/reactions/{name}")
    assert response.status_code == 422
    expected = "Validation failed: Name can't be blank" if name == "%20" else \
        "Validation failed: Name is not a recognized emoji"
    assert response.json() == {"error": expected}
    assert not AnnouncementReaction.objects.exists()


def test_the_same_reaction_twice_is_a_duplicate_record(alice_client, make_announcement):
    announcement = make_announcement()
    path = f"/api/v1/announcements/{announcement.pk}/reactions/{THUMBS_PATH}"
    assert alice_client.put(path).status_code == 200
    response = alice_client.put(path)
    assert response.status_code == 422
    assert response.json() == {"error": "Duplicate record"}
    assert AnnouncementReaction.objects.count() == 1


def test_eight_different_reactions_at_most(alice_client, bob_client, make_announcement):
    announcement = make_announcement()
    names = ["😀", "😃", "😄", "😁", "😆", "😅", "😂", "🤣"]
    assert len(names) == REACTION_LIMIT
    for name in names:
        assert alice_client.put(
            f"/api/v1/announcements/{announcement.pk}/reactions/{name}").status_code == 200
    refused = bob_client.put(f"/api/v1/announcements/{announcement.pk}/reactions/{PARTY_PATH}")
    assert refused.status_code == 422
    assert refused.json() == {"error": "Validation failed: Limit of different reactions reached"}
    # One more of a name already there is fine.
    assert bob_client.put(
        f"/api/v1/announcements/{announcement.pk}/reactions/{names[0]}").status_code == 200
    assert AnnouncementReaction.objects.count() == REACTION_LIMIT + 1


def test_removing_a_reaction_never_made_404(alice_client, bob_client, make_announcement):
    announcement = make_announcement()
    bob_client.put(f"/api/v1/announcements/{announcement.pk}/reactions/{THUMBS_PATH}")
    response = alice_client.delete(
        f"/api/v1/announcements/{announcement.pk}/reactions/{THUMBS_PATH}")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert AnnouncementReaction.objects.count() == 1


@pytest.mark.parametrize("method", ["put", "delete"])
def test_reactions_on_what_is_not_shown_404(alice_client, make_announcement, method):
    draft = make_announcement("d", published=False)
    for pk in ("999999", "abc", draft.pk):
        response = getattr(alice_client, method)(
            f"/api/v1/announcements/{pk}/reactions/{THUMBS_PATH}")
        assert response.status_code == 404
        assert response.json() == NOT_FOUND
    assert not AnnouncementReaction.objects.exists()


def test_reactions_need_write_favourites(mastodon, make_token, alice, anon, make_announcement):
    announcement = make_announcement()
    path = f"/api/v1/announcements/{announcement.pk}/reactions/{THUMBS_PATH}"
    response = mastodon.as_token(make_token(alice, scopes="read write:accounts")).put(path)
    assert response.status_code == 403
    assert response.json() == {"error": "This action is outside the authorized scopes"}
    assert anon.put(path).status_code == 401
    assert mastodon.as_token(make_token(None, scopes="write")).put(path).status_code == 422
    assert not AnnouncementReaction.objects.exists()
    assert mastodon.as_token(make_token(alice, scopes="write:favourites")).put(
        path).status_code == 200


def test_reactions_are_listed_in_the_order_first_made(alice_client, bob_client,
                                                      make_announcement):
    announcement = make_announcement()
    bob_client.put(f"/api/v1/announcements/{announcement.pk}/reactions/{PARTY_PATH}")
    alice_client.put(f"/api/v1/announcements/{announcement.pk}/reactions/{THUMBS_PATH}")
    bob_client.put(f"/api/v1/announcements/{announcement.pk}/reactions/{THUMBS_PATH}")
    reactions = alice_client.get("/api/v1/announcements").json()[0]["reactions"]
    assert reactions == [{"name": PARTY, "count": 1, "me": False},
                         {"name": THUMBS, "count": 2, "me": True}]

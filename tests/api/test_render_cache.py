"""The cached renderings of statuses (statuses/render_cache.py) are never served stale or to the
wrong reader: each write path, in either dialect, is followed by reads in both dialects, by the
author, another account and an anonymous caller, after those same readers filled the cache."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image
from rest_framework.test import APIClient

from categories.models import TagType
from moderation import services as moderation
from statuses import render_cache
from statuses.models import Status
from tests.factories import TagFactory

M, SC = "/api/v1/statuses/", "/api/v2/status/"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _empty_render_cache():
    render_cache.CACHE.clear()
    yield
    render_cache.CACHE.clear()


@pytest.fixture
def readers(client_for, alice, bob):
    return {"author": client_for(alice), "other": client_for(bob), "anonymous": APIClient()}


def m_get(client, pk):
    return client.get(f"{M}{pk}")


def sc_get(client, pk):
    return client.get(f"{SC}{pk}/")


def prime(readers, pk) -> None:
    """Every reader reads the status in both dialects, twice: the second read is a cache hit."""
    for client in readers.values():
        for _ in range(2):
            assert m_get(client, pk).status_code == 200
            assert sc_get(client, pk).status_code == 200
    row = Status.objects.get(pk=pk)
    # One rendering per dialect, for the row's current version, shared by every reader.
    assert render_cache.cached(render_cache.MASTODON, row) is not None
    assert render_cache.cached(render_cache.SELFCOMMUNITY, row) is not None


def m_post(client, text="original text", **fields):
    response = client.post(M.rstrip("/"), {"status": text, **fields}, format="json")
    assert response.status_code == 200, response.content
    return int(response.json()["id"])


def sc_post(client, text="<p>original text</p>", **fields):
    response = client.post(SC, {"action": None, "text": text, "categories": [], **fields},
                           format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def assert_gone(readers, pk, who=("other", "anonymous")):
    for name in who:
        client = readers[name]
        response = m_get(client, pk)
        assert response.status_code == 404, (name, response.content)
        assert response.json() == {"error": "Not Found"}
        assert sc_get(client, pk).status_code == 404, name


def png() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 90, 160)).save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "picture.png"
    return buffer


# --- the version ----------------------------------------------------------------------------


def test_rendered_columns_give_a_new_version_and_counters_do_not(alice):
    status = Status.objects.create(account=alice, text="x", html="<p>x</p>")
    version = Status.objects.get(pk=status.pk).render_version
    Status.objects.filter(pk=status.pk).update(likes_count=5, replies_count=2)
    assert Status.objects.get(pk=status.pk).render_version == version
    Status.objects.filter(pk=status.pk).update(sensitive=True)
    after_update = Status.objects.get(pk=status.pk).render_version
    assert after_update != version
    status.refresh_from_db()
    status.views_count = 3
    status.save(update_fields=["views_count"])
    assert Status.objects.get(pk=status.pk).render_version == after_update
    status.html = "<p>y</p>"
    status.save(update_fields=["html"])
    stored = Status.objects.get(pk=status.pk).render_version
    assert stored != after_update and stored == status.render_version
    status.spoiler_text = "cw"
    Status.objects.bulk_update([status], ["spoiler_text"])
    assert Status.objects.get(pk=status.pk).render_version not in (stored, after_update)


def test_a_cached_rendering_spares_the_media_query(readers, alice):
    author = readers["author"]
    media = author.post("/api/v2/media", {"file": png(), "description": "a square"},
                        format="multipart")
    assert media.status_code in (200, 202), media.content
    pk = m_post(author, "with a picture", media_ids=[media.json()["id"]])
    render_cache.CACHE.clear()
    with CaptureQueriesContext(connection) as cold:
        first = m_get(readers["other"], pk)
    with CaptureQueriesContext(connection) as warm:
        second = m_get(readers["other"], pk)
    assert first.json() == second.json()
    assert second.json()["media_attachments"][0]["description"] == "a square"
    assert len(warm) == len(cold) - 1
    assert not any("media_mediaattachment" in q["sql"] for q in warm.captured_queries)


# --- edits ----------------------------------------------------------------------------------


def test_mastodon_edit_is_seen_in_both_dialects(readers):
    pk = m_post(readers["author"])
    prime(readers, pk)
    response = readers["author"].put(f"{M}{pk}", {"status": "edited text", "sensitive": True,
                                                  "spoiler_text": "careful"}, format="json")
    assert response.status_code == 200, response.content
    for name, client in readers.items():
        body = m_get(client, pk).json()
        assert "edited text" in body["content"], name
        assert body["sensitive"] is True and body["spoiler_text"] == "careful"
        assert body["edited_at"] is not None
        sc_body = sc_get(client, pk).json()
        assert "edited text" in sc_body["html"] and sc_body["summary"] == "edited text"
        assert sc_body["last_edited_at"] is not None


def test_selfcommunity_edit_is_seen_in_both_dialects(readers):
    pk = sc_post(readers["author"])
    prime(readers, pk)
    response = readers["author"].put(f"{SC}{pk}/", {"action": "edits", "text": "<p>new words</p>",
                                                    "categories": []}, format="json")
    assert response.status_code == 200, response.content
    for name, client in readers.items():
        sc_body = sc_get(client, pk).json()
        assert sc_body["html"] == "<p>new words</p>" and sc_body["action"] == "edits", name
        assert "new words" in m_get(client, pk).json()["content"]


def test_edit_that_addresses_a_tag_hides_the_cached_status_from_non_holders(readers, alice,
                                                                           client_for, carol):
    club = TagFactory(type=TagType.USER, name="club")
    club.holders.add(alice, carol)
    pk = sc_post(readers["author"])
    prime(readers, pk)
    response = readers["author"].put(f"{SC}{pk}/", {"action": None, "text": "<p>members</p>",
                                                    "categories": [], "addressing": [club.pk]},
                                     format="json")
    assert response.status_code == 200, response.content
    assert_gone(readers, pk)
    holder = client_for(carol)
    assert m_get(holder, pk).json()["visibility"] == "private"
    assert sc_get(holder, pk).json()["html"] == "<p>members</p>"


# --- delete and restore ---------------------------------------------------------------------


def test_mastodon_delete_is_404_in_both_dialects(readers):
    pk = m_post(readers["author"])
    prime(readers, pk)
    assert readers["author"].delete(f"{M}{pk}").status_code == 200
    assert_gone(readers, pk)
    assert m_get(readers["author"], pk).status_code == 404
    # SelfCommunity shows its author a deleted status as such, to restore it.
    assert sc_get(readers["author"], pk).json()["deleted"] is True


def test_selfcommunity_delete_and_restore(readers):
    pk = sc_post(readers["author"], "<p>keep me</p>")
    prime(readers, pk)
    assert readers["author"].delete(f"{SC}{pk}/").status_code == 204
    assert_gone(readers, pk)
    # The author still reads it in SelfCommunity, marked deleted, to restore it.
    assert sc_get(readers["author"], pk).json()["deleted"] is True
    assert m_get(readers["author"], pk).status_code == 404
    assert readers["author"].post(f"{SC}{pk}/restore/").status_code == 204
    for client in readers.values():
        assert sc_get(client, pk).json()["deleted"] is False
        assert sc_get(client, pk).json()["html"] == "<p>keep me</p>"
        assert "keep me" in m_get(client, pk).json()["content"]


# --- votes, favourites, reblogs, polls ------------------------------------------------------


def test_selfcommunity_vote_shows_in_counts_and_only_the_voters_flag(readers, client_for, carol):
    pk = m_post(readers["author"])
    prime(readers, pk)
    assert readers["other"].post(f"{SC}{pk}/vote/").status_code == 204
    other, third = m_get(readers["other"], pk).json(), m_get(client_for(carol), pk).json()
    assert other["favourites_count"] == 1 and other["favourited"] is True
    assert third["favourites_count"] == 1 and third["favourited"] is False
    assert "favourited" not in m_get(readers["anonymous"], pk).json()
    assert sc_get(readers["other"], pk).json()["voted"] is True
    assert sc_get(client_for(carol), pk).json()["voted"] is False
    assert sc_get(readers["anonymous"], pk).json()["vote_count"] == 1


def test_mastodon_favourite_shows_in_both_dialects(readers):
    pk = sc_post(readers["author"])
    prime(readers, pk)
    assert readers["other"].post(f"{M}{pk}/favourite").status_code == 200
    sc_body = sc_get(readers["other"], pk).json()
    assert sc_body["vote_count"] == 1 and sc_body["voted"] is True
    assert sc_get(readers["author"], pk).json()["voted"] is False
    assert m_get(readers["anonymous"], pk).json()["favourites_count"] == 1
    assert readers["other"].post(f"{M}{pk}/unfavourite").status_code == 200
    assert sc_get(readers["anonymous"], pk).json()["vote_count"] == 0
    assert m_get(readers["other"], pk).json()["favourited"] is False


def test_reblog_shows_in_counts_and_only_the_booster_flag(readers):
    pk = m_post(readers["author"])
    prime(readers, pk)
    response = readers["other"].post(f"{M}{pk}/reblog")
    assert response.status_code == 200
    assert m_get(readers["other"], pk).json()["reblogged"] is True
    author_view = m_get(readers["author"], pk).json()
    assert author_view["reblogged"] is False and author_view["reblogs_count"] == 1
    wrapper = m_get(readers["anonymous"], response.json()["id"]).json()
    assert wrapper["reblog"]["id"] == str(pk) and wrapper["reblog"]["reblogs_count"] == 1
    assert wrapper["content"] == "" and "original text" in wrapper["reblog"]["content"]


def test_poll_vote_shows_in_the_poll_of_each_reader(readers):
    response = readers["author"].post(M.rstrip("/"), {"status": "which?", "poll": {
        "options": ["left", "right"], "expires_in": 3600}}, format="json")
    pk = int(response.json()["id"])
    poll_id = response.json()["poll"]["id"]
    prime(readers, pk)
    voted = readers["other"].post(f"/api/v1/polls/{poll_id}/votes", {"choices": ["1"]},
                                  format="json")
    assert voted.status_code == 200, voted.content
    other = m_get(readers["other"], pk).json()["poll"]
    assert other["votes_count"] == 1 and other["voted"] is True and other["own_votes"] == [1]
    author = m_get(readers["author"], pk).json()["poll"]
    assert author["voted"] is True and author["own_votes"] == []  # an author counts as voted
    anonymous = m_get(readers["anonymous"], pk).json()["poll"]
    assert anonymous["options"][1]["votes_count"] == 1 and "voted" not in anonymous


# --- moderation -----------------------------------------------------------------------------


def test_collapse_hides_the_cached_status_from_all_but_the_author(readers, moderator,
                                                                   client_for):
    pk = sc_post(readers["author"], "<p>spam</p>")
    prime(readers, pk)
    hide = client_for(moderator).patch(
        f"/api/v2/moderation/contribution/{pk}/",
        {"contribution_type": "status", "action": "hide", "moderation_type": 0, "reason": "spam"},
        format="json")
    assert hide.status_code == 200, hide.content
    assert_gone(readers, pk)
    assert sc_get(readers["author"], pk).json()["collapsed"] is True
    moderation.status_uncollapse(moderator=moderator, status=Status.objects.get(pk=pk))
    assert sc_get(readers["other"], pk).json()["collapsed"] is False
    assert "spam" in m_get(readers["anonymous"], pk).json()["content"]


def test_mark_sensitive_changes_a_cached_field(readers, moderator):
    pk = m_post(readers["author"])
    prime(readers, pk)
    moderation.status_mark_sensitive(moderator=moderator, status=Status.objects.get(pk=pk))
    for client in readers.values():
        assert m_get(client, pk).json()["sensitive"] is True


def test_account_suspension_hides_every_cached_status(readers, alice, moderator):
    first, second = m_post(readers["author"]), sc_post(readers["author"])
    prime(readers, first)
    prime(readers, second)
    moderation.account_suspend(moderator=moderator, account=alice)
    for pk in (first, second):
        assert_gone(readers, pk, who=("other", "anonymous"))
    moderation.account_unsuspend(moderator=moderator, account=alice)
    assert "original text" in m_get(readers["other"], first).json()["content"]

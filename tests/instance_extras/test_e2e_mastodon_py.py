"""End to end: Mastodon.py reads preferences, custom emojis and announcements, dismisses one and
reacts to it, against a live server."""

import pytest
from mastodon import MastodonAPIError, MastodonNotFoundError

from instance_extras import services
from instance_extras.models import Announcement, AnnouncementReaction, CustomEmoji
from tests.instance_extras.conftest import picture

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


def test_mastodon_py_reads_and_reacts(mastodon_py):
    alice = mastodon_py("alice")
    services.custom_emoji_save(emoji=CustomEmoji(shortcode="blobcat"), upload=picture())
    announcement = services.announcement_save(
        announcement=Announcement(text="Hello :blobcat: #welcome"))

    preferences = alice.preferences()
    assert preferences["posting:default:visibility"] == "public"
    assert preferences["reading:expand:media"] == "default"

    assert [e["shortcode"] for e in alice.custom_emojis()] == ["blobcat"]

    listed = alice.announcements()
    assert [str(a["id"]) for a in listed] == [str(announcement.pk)]
    assert listed[0]["read"] is False
    assert listed[0]["emojis"][0]["shortcode"] == "blobcat"

    alice.announcement_reaction_create(announcement.pk, "👍")
    alice.announcement_reaction_create(announcement.pk, "blobcat")
    reactions = alice.announcements()[0]["reactions"]
    assert [(r["name"], r["count"], r["me"]) for r in reactions] == [
        ("👍", 1, True), ("blobcat", 1, True)]
    assert reactions[1]["url"].startswith("https://social.example/media/")

    with pytest.raises(MastodonAPIError) as refused:
        alice.announcement_reaction_create(announcement.pk, "nonsense")
    assert "Name is not a recognized emoji" in str(refused.value)

    alice.announcement_reaction_delete(announcement.pk, "👍")
    assert list(AnnouncementReaction.objects.values_list("name", flat=True)) == ["blobcat"]
    with pytest.raises(MastodonNotFoundError):
        alice.announcement_reaction_delete(announcement.pk, "👍")

    alice.announcement_dismiss(announcement.pk)
    assert alice.announcements()[0]["read"] is True

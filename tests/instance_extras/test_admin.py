"""The admin pages moderators manage custom emojis and announcements with (Django's test client,
no browser): each save goes through instance_extras.services."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from instance_extras.models import Announcement, CustomEmoji, CustomEmojiCategory
from tests.instance_extras.conftest import picture


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


def test_the_moderators_group_manages_emojis_and_announcements(db):
    codenames = set(Group.objects.get(name="Moderators").permissions.filter(
        content_type__app_label="instance_extras").values_list("codename", flat=True))
    assert codenames == {f"{verb}_{model}" for verb in ("add", "change", "delete", "view")
                         for model in ("customemoji", "customemojicategory", "announcement")}


def test_a_moderator_adds_a_custom_emoji(mod_client, anon):
    category = CustomEmojiCategory.objects.create(name="Blobs")
    response = mod_client.post(reverse("admin:instance_extras_customemoji_add"), {
        "shortcode": "blobwave", "category": category.pk, "visible_in_picker": "on",
        "upload": SimpleUploadedFile("wave.gif", picture("GIF", frames=2), "image/gif"),
    })
    assert response.status_code == 302, response.content[:2000]
    emoji = CustomEmoji.objects.get()
    assert emoji.image.name.endswith(".gif") and emoji.static_image.name.endswith(".png")
    listed = anon.get("/api/v1/custom_emojis").json()
    assert [(e["shortcode"], e["category"]) for e in listed] == [("blobwave", "Blobs")]


@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>',
                        "image/svg+xml"), "PNG, GIF or WebP"),
    (None, "needs a picture"),
])
def test_a_bad_or_missing_picture_is_refused(mod_client, upload, message):
    data = {"shortcode": "bad"}
    if upload is not None:
        data["upload"] = upload
    response = mod_client.post(reverse("admin:instance_extras_customemoji_add"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CustomEmoji.objects.exists()


def test_a_bad_shortcode_is_refused(mod_client):
    response = mod_client.post(reverse("admin:instance_extras_customemoji_add"), {
        "shortcode": "no spaces!",
        "upload": SimpleUploadedFile("a.png", picture(), "image/png")})
    assert response.status_code == 200
    assert "Only letters, numbers and underscores" in response.content.decode()
    assert not CustomEmoji.objects.exists()


def test_a_moderator_publishes_an_announcement(mod_client, alice_client):
    response = mod_client.post(reverse("admin:instance_extras_announcement_add"), {
        "text": "Maintenance tonight <b>#ops</b>", "published": "on"})
    assert response.status_code == 302, response.content[:2000]
    announcement = Announcement.objects.get()
    assert announcement.published_at is not None
    assert announcement.tag_names == ["ops"]
    assert "&lt;b&gt;" in announcement.html
    listed = alice_client.get("/api/v1/announcements").json()
    assert [a["content"] for a in listed] == [announcement.html]
    page = mod_client.get(reverse("admin:instance_extras_announcement_change",
                                  args=[announcement.pk]))
    assert page.status_code == 200


def test_an_end_without_a_start_is_refused(mod_client):
    response = mod_client.post(reverse("admin:instance_extras_announcement_add"), {
        "text": "Party", "published": "on", "ends_at_0": "2030-01-01", "ends_at_1": "10:00"})
    assert response.status_code == 200
    assert "Starts at can&#x27;t be blank" in response.content.decode()
    assert not Announcement.objects.exists()


def test_an_edit_renders_the_text_again(mod_client, make_announcement):
    announcement = make_announcement("first #one")
    response = mod_client.post(reverse("admin:instance_extras_announcement_change",
                                       args=[announcement.pk]),
                               {"text": "second #two", "published": "on"})
    assert response.status_code == 302
    announcement.refresh_from_db()
    assert announcement.tag_names == ["two"]
    assert "second" in announcement.html


@pytest.mark.parametrize("model", ["customemoji", "customemojicategory", "announcement"])
def test_list_pages_cost_the_same_for_one_and_twenty_rows(mod_client, make_emoji,
                                                          make_announcement, model,
                                                          django_assert_num_queries):
    def add(start, n):
        for i in range(start, start + n):
            if model == "announcement":
                make_announcement(f"note {i}")
            else:
                make_emoji(f"emoji{i}", category=f"Cat{i}")

    url = reverse(f"admin:instance_extras_{model}_changelist")
    add(0, 1)
    mod_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert mod_client.get(url).status_code == 200
    add(1, 19)
    with django_assert_num_queries(len(one.captured_queries)):
        assert mod_client.get(url).status_code == 200


def test_a_moderator_deletes_an_emoji_with_its_files(mod_client, make_emoji,
                                                     django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    emoji = make_emoji("gone")
    files = [emoji.image.name, emoji.static_image.name]
    with django_capture_on_commit_callbacks(execute=True):
        response = mod_client.post(reverse("admin:instance_extras_customemoji_delete",
                                           args=[emoji.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not CustomEmoji.objects.exists()
    assert not any(default_storage.exists(name) for name in files)

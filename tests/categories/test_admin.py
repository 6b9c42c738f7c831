"""The admin of categories, tags and reactions: its validations and the rules it calls."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from categories.models import Category, Reaction, Tag
from statuses import services
from tests.factories import CategoryFactory, TagFactory

pytestmark = pytest.mark.django_db


def _category_form(category, **changes):
    data = {
        "name": category.name, "slug": category.slug, "order": category.order,
        "active": "on" if category.active else "", "auto_follow": category.auto_follow,
        "stream_order_by": category.stream_order_by,
        "parents": [p.pk for p in category.parents.all()], "tags": [],
        "emotional_image_position": category.emotional_image_position,
        "image_original": category.image_original,
        "emotional_image_original": category.emotional_image_original,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def _png(name="pic.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 10, 10)).save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = name
    return buffer


def test_category_cannot_be_its_own_parent(admin_client):
    category = CategoryFactory(name="Food")
    url = reverse("admin:categories_category_change", args=[category.pk])
    response = admin_client.post(url, _category_form(category, parents=[category.pk]))
    assert response.status_code == 200
    assert b"A category cannot be its own parent." in response.content
    assert list(category.parents.all()) == []


def test_category_cannot_become_its_own_ancestor(admin_client):
    top = CategoryFactory(name="Top")
    middle = CategoryFactory(name="Middle")
    leaf = CategoryFactory(name="Leaf")
    middle.parents.add(top)
    leaf.parents.add(middle)
    url = reverse("admin:categories_category_change", args=[top.pk])
    response = admin_client.post(url, _category_form(top, parents=[leaf.pk]))
    assert response.status_code == 200
    assert (b"A category cannot be its own ancestor: Top is already an ancestor of Leaf."
            in response.content)
    assert list(top.parents.all()) == []


def test_category_parents_that_make_no_cycle_are_saved(admin_client):
    top = CategoryFactory(name="Top")
    other = CategoryFactory(name="Other")
    leaf = CategoryFactory(name="Leaf")
    leaf.parents.add(top)
    url = reverse("admin:categories_category_change", args=[leaf.pk])
    response = admin_client.post(url, _category_form(leaf, parents=[top.pk, other.pk]))
    assert response.status_code == 302
    assert sorted(leaf.parents.values_list("name", flat=True)) == ["Other", "Top"]


def test_category_image_upload_is_stored_and_previewed(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    category = CategoryFactory(name="Pictures")
    url = reverse("admin:categories_category_change", args=[category.pk])
    response = admin_client.post(url, {**_category_form(category), "image_upload": _png()})
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.image_original.startswith("https://social.example/media/categories/")
    assert category.image_original.endswith(".png")
    stored = category.image_original.removeprefix("https://social.example/media/")
    assert (tmp_path / stored).is_file()
    page = admin_client.get(url)
    assert f'<img src="{category.image_original}"'.encode() in page.content


def test_category_image_upload_refuses_what_is_not_an_image(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    category = CategoryFactory(name="Pictures")
    url = reverse("admin:categories_category_change", args=[category.pk])
    svg = io.BytesIO(b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>")
    svg.name = "evil.svg"
    response = admin_client.post(url, {**_category_form(category), "image_upload": svg})
    assert response.status_code == 200
    assert b"Upload a valid image." in response.content
    category.refresh_from_db()
    assert category.image_original == ""
    assert list(tmp_path.rglob("*")) == []


def test_deleting_an_unused_category_takes_the_usual_confirmation(admin_client):
    category = CategoryFactory(name="Unused")
    url = reverse("admin:categories_category_delete", args=[category.pk])
    assert b"Are you sure" in admin_client.get(url).content
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Category.objects.filter(pk=category.pk).exists()


def test_deleting_a_category_in_use_needs_a_category_to_move_its_statuses_to(admin_client,
                                                                             alice):
    doomed = CategoryFactory(name="Doomed")
    parent = CategoryFactory(name="Parent")
    target = CategoryFactory(name="Target")
    target.parents.add(parent)
    first = services.status_create(account=alice, text="one")
    second = services.status_create(account=alice, text="two")
    first.categories.add(doomed)
    second.categories.add(doomed, target)
    url = reverse("admin:categories_category_delete", args=[doomed.pk])

    page = admin_client.get(url)
    assert page.status_code == 200
    assert b"2 statuses carry the category" in page.content

    refused = admin_client.post(url, {"post": "yes"})
    assert refused.status_code == 200
    assert b"move them to another category before deleting it" in refused.content
    assert Category.objects.filter(pk=doomed.pk).exists()
    assert list(first.categories.values_list("name", flat=True)) == ["Doomed"]

    moved = admin_client.post(url, {"post": "yes", "move_to": target.pk}, follow=True)
    assert moved.status_code == 200
    assert b"Moved 2 statuses to Target and deleted Doomed." in moved.content
    assert not Category.objects.filter(pk=doomed.pk).exists()
    assert sorted(first.categories.values_list("name", flat=True)) == ["Parent", "Target"]
    assert sorted(second.categories.values_list("name", flat=True)) == ["Parent", "Target"]


def test_bulk_delete_keeps_categories_in_use(admin_client, alice):
    used = CategoryFactory(name="Used")
    unused = CategoryFactory(name="Unused")
    services.status_create(account=alice, text="x").categories.add(used)
    changelist = reverse("admin:categories_category_changelist")
    assert b"delete_selected" not in admin_client.get(changelist).content
    response = admin_client.post(changelist, {"action": "delete_unused",
                                              "_selected_action": [used.pk, unused.pk]},
                                 follow=True)
    assert response.status_code == 200
    assert b"Deleted 1 categories." in response.content
    assert b"Still in use, not deleted" in response.content
    assert list(Category.objects.values_list("name", flat=True)) == ["Used"]


def test_tag_colour_must_be_a_hex_colour(admin_client):
    url = reverse("admin:categories_tag_add")
    response = admin_client.post(url, {"type": "category", "name": "red", "color": "red",
                                       "created_at_0": "2026-01-01", "created_at_1": "00:00"})
    assert response.status_code == 200
    assert b"A colour is # followed by six hexadecimal digits." in response.content
    assert not Tag.objects.exists()
    ok = admin_client.post(url, {"type": "category", "name": "red", "color": "#ff0000",
                                 "visible": "on", "active": "on"})
    assert ok.status_code == 302
    assert Tag.objects.get().color == "#FF0000"


def test_only_user_tags_have_holders(admin_client, alice):
    tag = TagFactory(type="contribution", name="news")
    url = reverse("admin:categories_tag_change", args=[tag.pk])
    response = admin_client.post(url, {"type": "contribution", "name": "news",
                                       "color": "#3C3C3C", "holders": str(alice.pk),
                                       "active": "on"})
    assert response.status_code == 200
    assert b"Only tags of type user are held by accounts." in response.content
    assert list(tag.holders.all()) == []


def test_default_reaction_stays_active_and_cannot_be_deleted(admin_client):
    default = Reaction.objects.get(is_default=True)
    url = reverse("admin:categories_reaction_change", args=[default.pk])
    response = admin_client.post(url, {"label": default.label, "sentiment": 1,
                                       "is_default": "on", "image": default.image})
    assert response.status_code == 200
    assert b"stays active" in response.content
    assert Reaction.objects.get(pk=default.pk).active is True
    delete = admin_client.post(reverse("admin:categories_reaction_delete", args=[default.pk]),
                               {"post": "yes"})
    assert delete.status_code == 403
    assert Reaction.objects.filter(pk=default.pk).exists()


def test_a_second_default_reaction_is_refused(admin_client):
    response = admin_client.post(reverse("admin:categories_reaction_add"),
                                 {"label": "Other", "sentiment": 1, "is_default": "on",
                                  "active": "on"})
    assert response.status_code == 200
    assert Reaction.objects.filter(is_default=True).count() == 1


def test_reaction_image_upload_previewed(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = admin_client.post(reverse("admin:categories_reaction_add"),
                                 {"label": "Clap", "sentiment": 1, "active": "on",
                                  "image_upload": _png("clap.png")})
    assert response.status_code == 302
    reaction = Reaction.objects.get(label="Clap")
    assert reaction.image.startswith("/media/reactions/")
    changelist = admin_client.get(reverse("admin:categories_reaction_changelist"))
    assert f'<img src="{reaction.image}"'.encode() in changelist.content


@pytest.mark.parametrize("admin_page", ["category", "tag", "reaction"])
def test_changelists_use_constant_queries(admin_client, django_assert_num_queries, alice,
                                          admin_page):
    def make(n):
        for _ in range(n):
            parent = CategoryFactory()
            category = CategoryFactory()
            category.parents.add(parent)
            services.status_create(account=alice, text="x").categories.add(category)
            TagFactory(type="category")
            Reaction.objects.create(label=f"r{Reaction.objects.count()}")

    url = reverse(f"admin:categories_{admin_page}_changelist")
    make(1)
    admin_client.get(url)  # session and content types warm
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert admin_client.get(url).status_code == 200
    make(19)
    with django_assert_num_queries(len(small)):
        response = admin_client.get(url)
    assert response.status_code == 200

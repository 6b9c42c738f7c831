"""The page loader (statuses/selectors/page.py): one StatusPage holds everything both dialects'
serializers read, and the serializers then run without a single query."""

import io

import pytest
from PIL import Image

from config.db import keep_related, kept_related
from media import services as media_services
from statuses import render_cache, services
from statuses.mastodon.serializers import MASTODON, serialize_statuses
from statuses.models import Status
from statuses.selectors.page import status_page_load
from statuses.selectors.rows import statuses_for_page
from statuses.selfcommunity.serializers import SELFCOMMUNITY
from statuses.selfcommunity.serializers import serialize_statuses as sc_serialize
from statuses.services.attachments import status_attach_media, status_share_create
from statuses.services.contributions import Contribution, contribution_create
from tests.factories import CategoryFactory, FollowFactory


@pytest.fixture(autouse=True)
def _fresh_renderings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    render_cache.CACHE.clear()
    yield
    render_cache.CACHE.clear()


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 90, 200)).save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "p.png"
    return buffer


def _upload(account):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = png().read()
    upload = SimpleUploadedFile("p.png", data, content_type="image/png")
    return media_services.media_upload(account=account, upload=upload,
                                       allow=frozenset({"image"}), defer_large=False)


def _rows(*statuses):
    rows = statuses_for_page([s.pk for s in statuses])
    return [rows[s.pk] for s in statuses]


def test_a_page_holds_what_mastodon_shows(alice, bob, carol):
    private = services.status_create(account=carol, text="carol's, followers only soon")
    public = services.status_create(account=carol, text="carol in public")
    media = _upload(alice)
    with_media = services.status_create(account=alice, text="look", media_ids=[str(media.pk)])
    quoting_public = services.status_create(account=alice, text="see this",
                                            quote={"quoted_status_id": public.pk, "quoted_given": True})
    quoting_private = services.status_create(account=alice, text="and that",
                                             quote={"quoted_status_id": private.pk, "quoted_given": True})
    Status.objects.filter(pk=private.pk).update(visibility=2)  # followers only since
    reblog = services.status_reblog(account=bob, status_id=with_media.pk)
    page = status_page_load(_rows(reblog, quoting_public, quoting_private), viewer=bob,
                            dialect=MASTODON)
    # Renderings for each status, the reblog's original and the quoted status bob may see.
    assert set(page.renderings) == {reblog.pk, with_media.pk, quoting_public.pk,
                                    quoting_private.pk, public.pk}
    assert [m.pk for m in page.media_of(Status(pk=with_media.pk))] == [media.pk]
    assert page.quoted[quoting_public.pk].status.pk == public.pk
    assert page.quoted[quoting_public.pk].visible is True
    assert page.quoted[quoting_private.pk].visible is False  # bob does not follow carol
    assert page.flags.reblogged == {with_media.pk}
    FollowFactory(account=bob, target=carol)
    page = status_page_load(_rows(quoting_private), viewer=bob, dialect=MASTODON)
    assert page.quoted[quoting_private.pk].visible is True
    assert private.pk in page.renderings


def test_serializers_run_without_a_query(alice, bob, django_assert_num_queries):
    statuses = [services.status_create(account=alice, text=f"status {i}") for i in range(5)]
    services.status_favourite(account=bob, status_id=statuses[0].pk)
    rows = _rows(*statuses)
    page = status_page_load(rows, viewer=bob, dialect=MASTODON)
    with django_assert_num_queries(0):
        rendered = serialize_statuses(rows, page)
    assert [r["favourited"] for r in rendered] == [True, False, False, False, False]
    sc_page = status_page_load(rows, viewer=bob, dialect=SELFCOMMUNITY)
    with django_assert_num_queries(0):
        shown = sc_serialize(rows, sc_page)
    assert [s["voted"] for s in shown] == [True, False, False, False, False]


def test_cached_renderings_spare_the_media_read(alice, django_assert_num_queries):
    media = _upload(alice)
    status = services.status_create(account=alice, text="a picture",
                                    media_ids=[str(media.pk)])
    [row] = _rows(status)
    with django_assert_num_queries(1):  # the media of the rendering's miss
        first = status_page_load([row], viewer=None, dialect=MASTODON)
    with django_assert_num_queries(0):  # the rendering holds them now
        second = status_page_load([row], viewer=None, dialect=MASTODON)
    assert second.renderings[status.pk] == first.renderings[status.pk]
    assert second.renderings[status.pk]["media_attachments"][0]["id"] == str(media.pk)


def test_a_written_status_is_shown_from_what_its_write_kept(alice, django_assert_num_queries):
    food = CategoryFactory(name="food")
    media = _upload(alice)
    status = contribution_create(account=alice, body=Contribution(
        action=None, text="<p>soup</p>", category_ids=[food.pk], media_ids=[media.pk],
        location=None, addressing_ids=[], tag_ids=[]))
    assert [m.pk for m in kept_related(status, "media")] == [media.pk]
    with django_assert_num_queries(0):
        page = status_page_load([status], viewer=alice, dialect=SELFCOMMUNITY, written=True)
    assert [c.pk for c in page.details.categories[status.pk]] == [food.pk]
    assert page.renderings[status.pk]["medias"][0]["id"] == media.pk


def test_keep_related_is_what_prefetch_related_would_cache(alice, django_assert_num_queries):
    status = services.status_create(account=alice, text="x")
    fresh = Status.objects.get(pk=status.pk)
    assert kept_related(fresh, "media") is None
    media = _upload(alice)
    keep_related(fresh, "media", [media])
    with django_assert_num_queries(0):
        assert list(fresh.media.all()) == [media]
    assert kept_related(fresh, "media") == [media]
    food = CategoryFactory(name="food")
    keep_related(fresh, "categories", [food])
    with django_assert_num_queries(0):
        assert list(fresh.categories.all()) == [food]


def test_shares_are_shown_only_as_far_as_the_reader_may_see(alice, bob, carol):
    shared = services.status_create(account=carol, text="carol's words")
    share = status_share_create(account=alice, status_id=shared.pk)
    sharing = services.status_create(account=alice, text="shared")
    status_attach_media(status=sharing, media=[share])
    Status.objects.filter(pk=shared.pk).update(visibility=2)  # carol's followers only now
    [row] = _rows(Status.objects.get(pk=sharing.pk))
    page = status_page_load([row], viewer=bob, dialect=SELFCOMMUNITY)
    assert page.details.shared == {}
    assert page.renderings[row.pk]["medias"] is None  # a share: never cached with the row
    FollowFactory(account=bob, target=carol)
    page = status_page_load([row], viewer=bob, dialect=SELFCOMMUNITY)
    assert set(page.details.shared) == {shared.pk}

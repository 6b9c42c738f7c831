"""Preview cards: the crawl (statuses/services/cards.py, statuses/tasks.py), `card` in the Status
entity and GET /api/v1/statuses/:id/card (spec items 53, 85 and 3.5).

Every fetch goes to a threaded HTTP server on 127.0.0.1 started here, reached as
http://cards.test/ through the test-only FETCH_TEST_RESOLVE (allowed by FETCH_ALLOW_PRIVATE_HOSTS),
so the URL, the Host header and port 80 are those of a real site. A guard on the fetcher's socket
opener records every connection attempt and refuses any address but loopback.
"""

from __future__ import annotations

import http.server
import io
import json
import socket
import threading
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from PIL import Image

from media import fetch as fetch_mod
from statuses.models import PreviewCard, Status
from statuses.services import cards
from statuses.tasks import crawl_status_card
from tests.factories import AccountFactory

HOST = "cards.test"
MiB = 1024 * 1024


def _png(width: int, height: int, color=(200, 30, 60)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


IMAGE = _png(1200, 630)

OG_PAGE = """<!doctype html><html lang="fr"><head>
<title>Fallback title</title>
<meta property="og:title" content="An &amp; OpenGraph title">
<meta property="og:description" content="What the page is about.">
<meta property="og:image" content="/image.png">
<meta property="og:image:alt" content="A red rectangle">
<meta property="og:site_name" content="Cards Test">
<meta property="og:locale" content="en_GB">
<meta property="article:published_time" content="2024-05-06T07:08:09Z">
<meta name="author" content="Jane Writer">
</head><body><p>body</p></body></html>"""

TWITTER_PAGE = """<html><head>
<meta name="twitter:title" content="Twitter-only title">
<meta name="twitter:description" content="Told in Twitter tags.">
<meta name="twitter:image" content="http://cards.test/image.png">
</head><body></body></html>"""

OEMBED_PAGE = """<html><head><title>Video page</title>
<link rel="alternate" type="application/json+oembed" href="/oembed.json?url=x">
<meta property="og:title" content="Not used: oEmbed comes first">
</head><body></body></html>"""

OEMBED = {
    "version": "1.0", "type": "video", "title": "A video", "author_name": "Video Author",
    "author_url": "/people/author", "provider_name": "Cards Video",
    "provider_url": "http://cards.test/", "width": 480, "height": 270,
    "thumbnail_url": "/image.png",
    "html": '<iframe src="http://cards.test/embed/1" width="480" height="270" '
            'onload="steal()"></iframe><script>alert(1)</script>',
}

HUGE_HEAD = (b'<html><head><meta property="og:title" content="Huge page">'
             b'</head><body>')


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        server = self.server
        server.hits.append({"path": self.path, "host": self.headers.get("Host")})
        route = self.path.split("?", 1)[0]
        if route == "/og":
            self.reply(OG_PAGE.encode())
        elif route == "/twitter":
            self.reply(TWITTER_PAGE.encode())
        elif route == "/video":
            self.reply(OEMBED_PAGE.encode())
        elif route == "/oembed.json":
            self.reply(json.dumps(OEMBED).encode(), "application/json+oembed")
        elif route == "/image.png":
            self.reply(IMAGE, "image/png")
        elif route == "/to-loopback":
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{server.server_address[1]}/og")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif route == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                self.wfile.write(HUGE_HEAD)
                for _ in range(64):  # 64 MiB unless the client stops reading
                    self.wfile.write(b"x" * MiB)
            except OSError:
                pass
        elif route == "/untitled":
            self.reply(b"<html><head></head><body>nothing</body></html>")
        else:
            self.send_error(404)

    def reply(self, body: bytes, content_type="text/html; charset=utf-8"):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.hits = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def connects(monkeypatch):
    """Every connection the fetcher tries; anything but loopback is refused here too."""
    attempts: list[tuple] = []
    real = fetch_mod._open_socket

    def guarded(family, sockaddr, timeout):
        attempts.append(sockaddr)
        if not sockaddr[0].startswith("127."):
            raise OSError("tests never leave loopback")
        return real(family, sockaddr, timeout)

    monkeypatch.setattr(fetch_mod, "_open_socket", guarded)
    return attempts


@pytest.fixture
def site(server, settings, tmp_path, connects, monkeypatch):
    """http://cards.test/ resolves to the local server; nothing else resolves."""
    server.hits.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FETCH_ALLOW_PRIVATE_HOSTS = [HOST]
    settings.FETCH_TEST_RESOLVE = {HOST: f"127.0.0.1:{server.server_address[1]}"}
    settings.FETCH_MAX_BYTES = MiB
    settings.FETCH_TIMEOUT = 5
    real = socket.getaddrinfo

    def numeric_only(host, port, *args, **kwargs):
        # IP literals only: the tests never ask a real resolver.
        return real(host, port, socket.AF_UNSPEC, socket.SOCK_STREAM, 0, socket.AI_NUMERICHOST)

    monkeypatch.setattr(socket, "getaddrinfo", numeric_only)
    return server


def post(client, text, **extra):
    response = client.post("/api/v1/statuses", {"status": text, **extra}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def crawl(status_id) -> dict | None:
    crawl_status_card.call(int(status_id))
    card = Status.objects.get(pk=status_id).card
    return card


CARD_KEYS = {
    "url": str, "title": str, "description": str, "language": (str, type(None)), "type": str,
    "author_name": str, "author_url": str, "provider_name": str, "provider_url": str,
    "html": str, "width": int, "height": int, "image": (str, type(None)),
    "image_description": str, "embed_url": str, "blurhash": (str, type(None)),
    "published_at": (str, type(None)), "authors": list,
}


def assert_card_shape(card: dict) -> None:
    assert list(card) == list(CARD_KEYS)
    for key, kind in CARD_KEYS.items():
        assert isinstance(card[key], kind), (key, card[key])


# --------------------------------------------------------------------------- the crawl


def test_new_status_has_no_card_then_gets_the_opengraph_card(site, alice_client, anon):
    created = post(alice_client, "Read http://cards.test/og now")
    assert created["card"] is None  # filled asynchronously (item 53)
    assert anon.get(f"/api/v1/statuses/{created['id']}/card").json() == {}

    assert crawl(created["id"]) is not None
    card = anon.get(f"/api/v1/statuses/{created['id']}").json()["card"]
    assert_card_shape(card)
    assert card["url"] == "http://cards.test/og"
    assert card["title"] == "An & OpenGraph title"
    assert card["description"] == "What the page is about."
    assert card["type"] == "link"
    assert card["language"] == "en"  # og:locale before <html lang>
    assert card["provider_name"] == "Cards Test"
    assert card["author_name"] == "Jane Writer"
    assert card["authors"] == [{"name": "Jane Writer", "url": "", "account": None}]
    assert card["image_description"] == "A red rectangle"
    assert card["published_at"] == "2024-05-06T07:08:09.000Z"
    assert card["html"] == "" and card["embed_url"] == ""
    # The image is stored like media: resized (Mastodon's card size) with a blurhash.
    assert card["image"].startswith("https://social.example/")
    assert isinstance(card["blurhash"], str) and len(card["blurhash"]) > 6
    assert (card["width"], card["height"]) == (662, 348)
    row = PreviewCard.objects.get()
    with row.image.open("rb") as stored:
        assert Image.open(stored).size == (662, 348)
    assert {h["host"] for h in site.hits} == {HOST}
    assert [h["path"] for h in site.hits] == ["/og", "/image.png"]
    # The same card through GET /card.
    assert anon.get(f"/api/v1/statuses/{created['id']}/card").json() == card


def test_twitter_only_page(site, alice_client):
    created = post(alice_client, "http://cards.test/twitter")
    card = crawl(created["id"])
    assert card is not None
    body = alice_client.get(f"/api/v1/statuses/{created['id']}/card").json()
    assert_card_shape(body)
    assert body["title"] == "Twitter-only title"
    assert body["description"] == "Told in Twitter tags."
    assert body["image"] is not None and body["blurhash"]
    assert body["language"] is None and body["published_at"] is None
    assert body["authors"] == []


def test_oembed_video_is_preferred_and_its_html_sanitised(site, alice_client):
    created = post(alice_client, "watch http://cards.test/video")
    assert crawl(created["id"]) is not None
    body = alice_client.get(f"/api/v1/statuses/{created['id']}/card").json()
    assert_card_shape(body)
    assert body["type"] == "video"
    assert body["title"] == "A video"
    assert body["author_name"] == "Video Author"
    assert body["author_url"] == "http://cards.test/people/author"
    assert body["provider_name"] == "Cards Video"
    assert (body["width"], body["height"]) == (480, 270)
    assert body["html"] == (
        '<iframe src="http://cards.test/embed/1" width="480" height="270"></iframe>'
    )
    assert body["image"] is not None and body["blurhash"]
    assert [h["path"].split("?")[0] for h in site.hits] == ["/video", "/oembed.json", "/image.png"]


def test_one_card_per_url_is_reused(site, alice_client, bob_client):
    first = post(alice_client, "http://cards.test/og")
    second = post(bob_client, "me too: http://cards.test/og")
    crawl(first["id"])
    crawl(second["id"])
    assert PreviewCard.objects.count() == 1
    assert Status.objects.get(pk=first["id"]).card_id == Status.objects.get(pk=second["id"]).card_id
    assert [h["path"] for h in site.hits] == ["/og", "/image.png"]  # fetched once


def test_old_card_is_fetched_again(site, alice_client):
    first = post(alice_client, "http://cards.test/og")
    crawl(first["id"])
    PreviewCard.objects.update(fetched_at=timezone.now() - timedelta(days=15), title="stale")
    second = post(alice_client, "again http://cards.test/og")
    crawl(second["id"])
    assert PreviewCard.objects.get().title == "An & OpenGraph title"
    assert [h["path"] for h in site.hits] == ["/og", "/image.png"] * 2


def crawls(callbacks) -> list:
    """The on-commit callbacks other than the streams' announcements (config/events.py)."""
    return [c for c in callbacks if c.__module__ != "config.events"]


def test_edit_that_changes_the_text_resets_and_recrawls(site, alice_client,
                                                         django_capture_on_commit_callbacks):
    created = post(alice_client, "http://cards.test/og")
    crawl(created["id"])
    assert alice_client.get(f"/api/v1/statuses/{created['id']}").json()["card"]["title"]
    with django_capture_on_commit_callbacks() as callbacks:
        response = alice_client.put(f"/api/v1/statuses/{created['id']}",
                                    {"status": "now http://cards.test/twitter"}, format="json")
    assert response.status_code == 200
    assert response.json()["card"] is None  # reset by the text change (item 85)
    assert Status.objects.get(pk=created["id"]).card_id is None
    assert len(crawls(callbacks)) == 1  # the re-crawl
    crawl(created["id"])
    card = alice_client.get(f"/api/v1/statuses/{created['id']}").json()["card"]
    assert card["title"] == "Twitter-only title"
    assert PreviewCard.objects.count() == 2


def test_edit_without_a_text_change_keeps_the_card(site, alice_client,
                                                   django_capture_on_commit_callbacks):
    created = post(alice_client, "http://cards.test/og")
    crawl(created["id"])
    card_id = Status.objects.get(pk=created["id"]).card_id
    with django_capture_on_commit_callbacks() as callbacks:
        response = alice_client.put(f"/api/v1/statuses/{created['id']}",
                                    {"status": "http://cards.test/og", "spoiler_text": "cw"},
                                    format="json")
    assert response.status_code == 200
    assert response.json()["card"]["url"] == "http://cards.test/og"
    assert Status.objects.get(pk=created["id"]).card_id == card_id
    assert crawls(callbacks) == []


def test_crawl_is_enqueued_on_commit_only_for_a_status_with_a_link(
        site, alice_client, django_capture_on_commit_callbacks):
    # Only this test's tasks: a live-server test run earlier may have left committed ones.
    earlier = list(DBTaskResult.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        plain = post(alice_client, "no link here, #tag and @bob")
    assert crawls(callbacks) == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        linked = post(alice_client, "http://cards.test/og")
    assert len(crawls(callbacks)) == 1
    queued = DBTaskResult.objects.exclude(pk__in=earlier).get()
    assert queued.task_path == "statuses.tasks.crawl_status_card"
    assert queued.args_kwargs["args"] == [int(linked["id"])]
    assert plain["card"] is None and site.hits == []  # nothing fetched during the request


def test_selfcommunity_create_and_edit_schedule_the_crawl(site, alice, make_token,
                                                          django_capture_on_commit_callbacks):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(alice)}")
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post("/api/v2/status/", {
            "action": None, "categories": [],
            "text": '<p>see <a href="http://cards.test/og">this</a></p>'}, format="json")
    assert response.status_code == 201, response.content
    assert len(crawls(callbacks)) == 1
    status_id = response.json()["id"]
    crawl(status_id)
    assert Status.objects.get(pk=status_id).card.title == "An & OpenGraph title"
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.put(f"/api/v2/status/{status_id}/", {
            "action": None, "categories": [],
            "text": '<p>see <a href="http://cards.test/twitter">that</a></p>'}, format="json")
    assert response.status_code == 200, response.content
    assert Status.objects.get(pk=status_id).card_id is None
    assert len(crawls(callbacks)) == 1
    crawl(status_id)
    assert Status.objects.get(pk=status_id).card.title == "Twitter-only title"


def test_mentions_hashtags_and_local_links_are_skipped(site, alice_client, bob):
    created = post(alice_client, f"@{bob.username} #news https://social.example/@bob "
                                 "http://cards.test/twitter http://cards.test/og")
    assert cards.card_url(Status.objects.get(pk=created["id"])) == "http://cards.test/twitter"
    only_local = post(alice_client, f"@{bob.username} #news https://social.example/about")
    assert cards.card_url(Status.objects.get(pk=only_local["id"])) is None
    assert crawl(only_local["id"]) is None
    assert site.hits == []


def test_status_with_media_gets_no_card(site, alice_client):
    upload = io.BytesIO(_png(8, 8))
    upload.name = "a.png"
    media = alice_client.post("/api/v2/media", {"file": upload}, format="multipart")
    assert media.status_code in (200, 202), media.content
    created = post(alice_client, "http://cards.test/og", media_ids=[media.json()["id"]])
    assert crawl(created["id"]) is None
    assert PreviewCard.objects.count() == 0 and site.hits == []


def test_status_with_a_quote_gets_no_card(site, alice_client):
    quoted = post(alice_client, "quoted")
    created = post(alice_client, "http://cards.test/og")
    Status.objects.filter(pk=created["id"]).update(quote_of_id=quoted["id"])
    assert crawl(created["id"]) is None
    assert PreviewCard.objects.count() == 0 and site.hits == []


def test_status_that_gained_media_meanwhile_is_not_given_the_card(site, alice_client,
                                                                   monkeypatch):
    created = post(alice_client, "http://cards.test/og")
    real = cards._discover

    def discover_then_edit(url):
        draft = real(url)
        Status.objects.filter(pk=created["id"]).update(media_count=1)
        return draft

    monkeypatch.setattr(cards, "_discover", discover_then_edit)
    assert crawl(created["id"]) is None
    assert Status.objects.get(pk=created["id"]).card_id is None


@pytest.mark.parametrize("allow", [[], [HOST]])
def test_link_to_a_loopback_address_is_refused(site, settings, alice_client, connects, allow):
    port = site.server_address[1]
    settings.FETCH_ALLOWED_PORTS = {80, 443, port}  # only the address rule stands in the way
    settings.FETCH_ALLOW_PRIVATE_HOSTS = allow
    created = post(alice_client, f"http://127.0.0.1:{port}/og")
    assert crawl(created["id"]) is None
    assert site.hits == [] and connects == []  # no request reached the server
    assert PreviewCard.objects.count() == 0


@pytest.mark.parametrize("url", ["http://10.1.2.3/", "http://192.168.0.1/og",
                                 "http://169.254.169.254/latest/meta-data/", "http://[::1]/"])
def test_link_to_a_private_address_is_refused(site, alice_client, connects, url):
    created = post(alice_client, f"look {url}")
    assert crawl(created["id"]) is None
    assert connects == [] and site.hits == []


def test_test_resolution_needs_the_private_allowance(site, settings, alice_client, connects,
                                                     monkeypatch):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = []

    def no_dns(*args, **kwargs):
        raise socket.gaierror("no such host")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    created = post(alice_client, "http://cards.test/og")
    assert crawl(created["id"]) is None
    assert connects == [] and site.hits == []


def test_redirect_to_a_loopback_address_is_refused(site, settings, alice_client):
    settings.FETCH_ALLOWED_PORTS = {80, 443, site.server_address[1]}
    created = post(alice_client, "http://cards.test/to-loopback")
    assert crawl(created["id"]) is None
    assert [h["path"] for h in site.hits] == ["/to-loopback"]  # the target was never asked
    assert Status.objects.get(pk=created["id"]).card_id is None


def test_huge_page_is_read_up_to_the_cap(site, alice_client):
    created = post(alice_client, "http://cards.test/huge")
    assert crawl(created["id"]) is not None
    assert Status.objects.get(pk=created["id"]).card.title == "Huge page"


def test_page_without_a_title_makes_no_card(site, alice_client):
    created = post(alice_client, "http://cards.test/untitled")
    assert crawl(created["id"]) is None
    assert PreviewCard.objects.count() == 0


def test_unreachable_or_missing_page_leaves_no_card_and_the_task_ends(site, alice_client):
    created = post(alice_client, "http://cards.test/missing")
    assert crawl_status_card.call(int(created["id"])) is False
    assert Status.objects.get(pk=created["id"]).card_id is None


def test_crash_inside_the_crawl_is_contained(site, alice_client, monkeypatch):
    created = post(alice_client, "http://cards.test/og")

    def boom(url):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(cards, "_discover", boom)
    assert crawl_status_card.call(int(created["id"])) is False
    assert crawl_status_card.call(999_999_999) is False  # a status gone meanwhile


# --------------------------------------------------------------------------- GET /card


def test_card_of_a_private_status_is_404_to_a_stranger(site, alice_client, bob_client, anon):
    created = post(alice_client, "http://cards.test/og", visibility="private")
    crawl(created["id"])
    for client in (bob_client, anon):
        response = client.get(f"/api/v1/statuses/{created['id']}/card")
        assert response.status_code == 404
        assert response.json() == {"error": "Not Found"}
    assert alice_client.get(f"/api/v1/statuses/{created['id']}/card").json()["title"]


def test_card_endpoint_errors(alice_client, mastodon, make_token, alice):
    assert alice_client.get("/api/v1/statuses/999999/card").status_code == 404
    assert alice_client.get("/api/v1/statuses/abc/card").status_code == 404
    created = post(alice_client, "no link")
    response = alice_client.get(f"/api/v1/statuses/{created['id']}/card")
    assert response.status_code == 200 and response.json() == {}
    write_only = mastodon.as_token(make_token(alice, "write"))
    response = write_only.get(f"/api/v1/statuses/{created['id']}/card")
    assert response.status_code == 403
    assert response.json() == {"error": "This action is outside the authorized scopes"}
    narrow = mastodon.as_token(make_token(alice, "read:statuses"))
    assert narrow.get(f"/api/v1/statuses/{created['id']}/card").status_code == 200


def test_reblog_shows_the_original_card(site, alice_client, bob_client):
    created = post(alice_client, "http://cards.test/og")
    crawl(created["id"])
    reblog = bob_client.post(f"/api/v1/statuses/{created['id']}/reblog").json()
    assert reblog["card"] is None
    assert reblog["reblog"]["card"]["url"] == "http://cards.test/og"


# --------------------------------------------------------------------------- query counts


def _count(client, path, params, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params)
    assert response.status_code == 200
    with django_assert_num_queries(len(ctx.captured_queries)):
        again = client.get(path, params)
    return len(ctx.captured_queries), again.json()


def test_page_of_statuses_with_cards_reads_them_in_constant_queries(
        alice, bob_client, django_assert_num_queries):
    from statuses import services

    measured = []
    for size in (1, 20):
        Status.objects.all().delete()
        PreviewCard.objects.all().delete()
        for i in range(size):
            author = AccountFactory()
            status = services.status_create(account=author, text=f"post {i} http://cards.test/{i}")
            card = PreviewCard.objects.create(url=f"http://cards.test/{i}", url_hash=str(i),
                                              title=f"card {i}")
            Status.objects.filter(pk=status.pk).update(card=card)
            wrapper = services.status_reblog(account=alice, status_id=status.pk)
            assert wrapper.reblog_of_id == status.pk
            own = services.status_create(account=alice, text=f"mine {i}")
            Status.objects.filter(pk=own.pk).update(card=card)
        # Alice's page: her own statuses with cards, and reblogs whose originals have them.
        queries, page = _count(bob_client, f"/api/v1/accounts/{alice.pk}/statuses",
                               {"limit": size * 2}, django_assert_num_queries)
        assert len(page) == size * 2
        titles = {(s["reblog"] or s)["card"]["title"] for s in page}
        assert titles == {f"card {i}" for i in range(size)}
        measured.append(queries)
    assert measured[0] == measured[1], measured


def test_cards_add_one_query_to_a_page_and_none_without(alice, bob_client):
    """The cards of a page cost one query, and a page without cards none."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from statuses import services

    for i in range(3):
        services.status_create(account=alice, text=f"plain {i}")
    with CaptureQueriesContext(connection) as without:
        bob_client.get("/api/v1/timelines/public")
    card = PreviewCard.objects.create(url="http://cards.test/x", url_hash="x", title="x")
    Status.objects.update(card=card)
    with CaptureQueriesContext(connection) as with_cards:
        page = bob_client.get("/api/v1/timelines/public").json()
    assert [s["card"]["title"] for s in page] == ["x"] * 3
    assert len(with_cards.captured_queries) == len(without.captured_queries) + 1
    assert any("statuses_previewcard" in q["sql"] for q in with_cards.captured_queries)

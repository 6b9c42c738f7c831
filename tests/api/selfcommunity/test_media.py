"""SelfCommunity POST /api/v2/media/: image, doc, url preview and share, with the {"errors": []}
envelope; and the same media seen through the Mastodon face."""

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

from media.models import MediaAttachment
from statuses import services

SC_MEDIA_KEYS = {"id", "added_at", "type", "title", "description", "url", "image", "image_width",
                 "image_height", "image_mimetype", "image_thumbnail", "size", "mimetype", "order",
                 "embed"}


def file(data: bytes, name: str):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def png(size=(60, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_image_upload_is_201_with_selfcommunity_shape(sc):
    response = sc.post("/api/v2/media/", {"type": "image", "image": file(png(), "a.png")},
                       format="multipart")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == SC_MEDIA_KEYS
    assert isinstance(body["id"], int)
    assert body["type"] == "image"
    assert body["image_width"] == 60 and body["image_height"] == 40
    assert body["image"].startswith("https://social.example/media/")
    assert body["image_mimetype"] == "image/png"
    assert body["order"] is None and body["embed"] is None


def test_doc_upload_accepts_pdf_only(sc):
    response = sc.post("/api/v2/media/", {"type": "doc", "doc": file(PDF, "paper.pdf")},
                       format="multipart")
    assert response.status_code == 201
    assert response.json()["type"] == "doc"
    assert response.json()["mimetype"] == "application/pdf"
    refused = sc.post("/api/v2/media/", {"type": "doc", "doc": file(png(), "fake.pdf")},
                      format="multipart")
    assert refused.status_code == 400
    assert refused.json() == {"errors": [{"field": "doc", "messages": [
        {"code": "invalid", "message": "File content type is invalid"}]}]}
    assert MediaAttachment.objects.count() == 1


def test_missing_or_unknown_type_is_400(sc):
    response = sc.post("/api/v2/media/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": [{"field": "type", "messages": [
        {"code": "required", "message": "This field is required."}]}]}
    bad = sc.post("/api/v2/media/", {"type": "hologram"}, format="json")
    assert bad.json()["errors"][0]["messages"][0]["code"] == "invalid_choice"


def test_no_token_is_401_in_selfcommunity_envelope(anon):
    response = anon.post("/api/v2/media/", {"type": "url", "url": "https://example.com"})
    assert response.status_code == 401
    assert response.json() == {"errors": [{"code": "not_authenticated",
                                           "message": "Authentication credentials were not "
                                                      "provided."}]}


class _Page(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        body = (b"<html><head><title>Fallback</title>"
                b'<meta property="og:title" content="A shared page">'
                b'<meta property="og:description" content="What it is about">'
                b'<meta property="og:image" content="/cover.png"></head><body>x</body></html>')
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def page_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def test_url_media_previews_the_page(sc, settings, page_server):
    port = page_server.server_address[1]
    settings.FETCH_ALLOW_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.FETCH_ALLOWED_PORTS = {80, 443, port}
    url = f"http://127.0.0.1:{port}/article"
    response = sc.post("/api/v2/media/", {"type": "url", "url": url}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["type"] == "url"
    assert body["url"] == url
    assert body["title"] == "A shared page"
    assert body["description"] == "What it is about"
    assert body["embed"]["embed_type"] == "sc_link"
    assert body["embed"]["metadata"]["image"] == f"http://127.0.0.1:{port}/cover.png"


def test_url_media_refuses_private_addresses(sc, page_server, settings):
    port = page_server.server_address[1]
    settings.FETCH_ALLOWED_PORTS = {80, 443, port}
    response = sc.post("/api/v2/media/", {"type": "url", "url": f"http://127.0.0.1:{port}/"},
                       format="json")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "url"
    assert error["messages"][0]["message"].startswith("The link could not be previewed")
    assert not MediaAttachment.objects.exists()


def test_share_media_points_at_a_visible_status(sc, bob):
    shared = services.status_create(account=bob, text="worth sharing")
    response = sc.post("/api/v2/media/", {"type": "share", "shared_object": shared.pk},
                       format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["type"] == "share"
    assert body["embed"]["embed_type"] == "sc_shared_object"
    assert body["embed"]["metadata"] == {"id": shared.pk, "type": "status"}
    assert body["title"] == body["description"] == "worth sharing"
    assert MediaAttachment.objects.get(pk=body["id"]).title == ""  # no copy of the text is kept
    hidden = services.status_create(account=bob, text="secret", visibility="direct")
    refused = sc.post("/api/v2/media/", {"type": "share", "shared_object": hidden.pk},
                      format="json")
    assert refused.status_code == 400
    assert refused.json() == {"errors": [{"field": "shared_object", "messages": [
        {"code": "does_not_exist",
         "message": f'Invalid pk "{hidden.pk}" - object does not exist.'}]}]}


PUBLIC_ONLY = {"errors": [{"field": "shared_object", "messages": [
    {"code": "invalid", "message": "Only public statuses can be shared."}]}]}


@pytest.mark.parametrize("visibility", ["public", "unlisted"])
def test_public_and_unlisted_statuses_can_be_shared(sc, bob, visibility):
    shared = services.status_create(account=bob, text="open", visibility=visibility)
    response = sc.post("/api/v2/media/", {"type": "share", "shared_object": shared.pk},
                       format="json")
    assert response.status_code == 201, response.content
    assert MediaAttachment.objects.get().shared_status_id == shared.pk


@pytest.mark.parametrize("visibility", ["private", "direct", "addressed"])
def test_statuses_that_are_not_public_cannot_be_shared(sc, sc_client, alice, bob, visibility):
    """Even by a reader who may see them (a follower, the mentioned account, a holder of the
    tag, the author): a share is shown to whoever reads the sharing status."""
    from tests.factories import FollowFactory, TagFactory

    FollowFactory(account=alice, target=bob)
    if visibility == "addressed":
        tag = TagFactory(type="user")
        tag.holders.add(alice)
        response = sc_client(bob).post("/api/v2/status/", {
            "action": None, "text": "<p>for the tag</p>", "categories": [],
            "addressing": [tag.pk]}, format="json")
        assert response.status_code == 201, response.content
        shared_id = response.json()["id"]
    else:
        shared_id = services.status_create(account=bob, text="only for some @alice",
                                           visibility=visibility).pk
    for client in (sc, sc_client(bob)):
        response = client.post("/api/v2/media/", {"type": "share", "shared_object": shared_id},
                               format="json")
        assert response.status_code == 400, response.content
        assert response.json() == PUBLIC_ONLY
    assert not MediaAttachment.objects.exists()


def test_selfcommunity_upload_attaches_through_mastodon(sc, alice_client, anon):
    media_id = sc.post("/api/v2/media/", {"type": "image", "image": file(png(), "a.png")},
                       format="multipart").json()["id"]
    status = alice_client.post("/api/v1/statuses", {"status": "from SC", "media_ids[]": [media_id]})
    assert status.status_code == 200
    shown = anon.get(f"/api/v1/statuses/{status.json()['id']}").json()
    assert shown["media_attachments"][0]["id"] == str(media_id)
    assert shown["media_attachments"][0]["type"] == "image"
    assert shown["media_attachments"][0]["meta"]["original"]["width"] == 60


def test_mastodon_and_selfcommunity_media_routes_do_not_collide(sc, alice_client):
    mastodon = alice_client.post("/api/v2/media", {"file": file(png(), "a.png")},
                                 format="multipart")
    assert mastodon.status_code == 200
    assert isinstance(mastodon.json()["id"], str)
    selfcommunity = sc.post("/api/v2/media/", {"type": "image", "image": file(png(), "a.png")},
                            format="multipart")
    assert selfcommunity.status_code == 201
    assert isinstance(selfcommunity.json()["id"], int)


@pytest.mark.parametrize("payload", [[1, 2], "text", 7, {"type": ["image"]}, {"type": "url",
                                     "url": ["x"]}, {"type": "share", "shared_object": {"a": 1}},
                                     {"type": "share", "shared_object": "99999999999999999999"},
                                     {"type": "url", "url": "javascript:alert(1)"},
                                     {"type": "url", "url": "http://[::1]/"},
                                     {"type": "image"}, {"type": "doc"}])
def test_bad_input_is_400_in_the_envelope(sc, payload):
    response = sc.post("/api/v2/media/", payload, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert errors and all(("field" in e and "messages" in e) or ("code" in e and "message" in e)
                          for e in errors)
    assert not MediaAttachment.objects.exists()


def test_migration_forgets_the_text_old_shares_copied(alice, bob):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("media.migrations.0002_share_media_without_copied_text")
    shared = services.status_create(account=bob, text="copied once")
    old = MediaAttachment.objects.create(account=alice, kind="share", shared_status=shared,
                                         title="copied once", description="copied once")
    link = MediaAttachment.objects.create(account=alice, kind="url", title="A page",
                                          description="about it")
    migration.forget_copied_text(apps, None)
    old.refresh_from_db()
    link.refresh_from_db()
    assert (old.title, old.description) == ("", "")
    assert (link.title, link.description) == ("A page", "about it")

"""End to end: Mastodon.py posts a link and polls `status_card` until the background worker has
crawled it, as Mastodon.py's own test_status_card does (`status_post("http://example.org/")`).

http://example.org/ reaches a threaded HTTP server on 127.0.0.1 through the test-only
FETCH_TEST_RESOLVE; the task worker (`task_worker`) runs the crawl the commit enqueued.
"""

import http.server
import io
import json
import threading
import time
import urllib.request

import pytest
from PIL import Image

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

PAGES = {
    "/": b"""<html><head><title>Example Domain</title>
<meta property="og:title" content="Example Domain">
<meta property="og:description" content="This domain is for use in examples.">
<meta property="og:image" content="/card.png"></head><body></body></html>""",
    "/other": b"""<html><head><meta name="twitter:title" content="Another page"></head></html>""",
}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 400), (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.hosts.append(self.headers.get("Host"))
        if self.path == "/card.png":
            body, kind = _png(), "image/png"
        elif self.path in PAGES:
            body, kind = PAGES[self.path], "text/html; charset=utf-8"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def example_org(settings, tmp_path, live_server):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.hosts = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    settings.MEDIA_ROOT = tmp_path
    settings.SERVE_MEDIA = True
    settings.INSTANCE_SCHEME = "http"
    settings.INSTANCE_DOMAIN = live_server.url.removeprefix("http://")
    settings.FETCH_ALLOW_PRIVATE_HOSTS = ["example.org"]
    settings.FETCH_TEST_RESOLVE = {"example.org": f"127.0.0.1:{httpd.server_address[1]}"}
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _poll(api, status_id, predicate, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        card = api.status_card(status_id)
        if predicate(card):
            return card
        time.sleep(0.2)
    raise AssertionError("the card never arrived")


@pytest.fixture
def api(mastodon_py, example_org):
    # Made before the worker starts: on in-memory SQLite the test thread shares its connection.
    return mastodon_py("alice")


def test_mastodon_py_status_card(example_org, api, task_worker, live_server):
    status = api.status_post("http://example.org/")
    assert status["card"] is None
    card = _poll(api, status["id"], lambda c: c is not None)
    assert card.url == "http://example.org/"
    assert card.title == "Example Domain"
    assert card.description == "This domain is for use in examples."
    assert card.type == "link"
    assert isinstance(card.blurhash, str) and card.blurhash
    assert set(example_org.hosts) == {"example.org"}  # the real name, not the test address
    with urllib.request.urlopen(card.image) as response:
        assert Image.open(io.BytesIO(response.read())).size[0] > 0
    # The legacy endpoint says the same.
    with urllib.request.urlopen(f"{live_server.url}/api/v1/statuses/{status['id']}/card") as r:
        assert json.loads(r.read())["url"] == "http://example.org/"

    # An edit that changes the text resets the card, and the worker crawls the new link.
    edited = api.status_update(status["id"], "now http://example.org/other")
    assert edited["card"] is None
    card = _poll(api, status["id"], lambda c: c is not None and c.url.endswith("/other"))
    assert card.title == "Another page"

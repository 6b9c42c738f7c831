"""media.fetch: public addresses only, pinned, bounded; link previews from an HTML head.

Every test talks only to servers on 127.0.0.1 started here. Two autouse guards make sure
nothing else is reached: the resolver answers only from a table (unknown names fail, IP
literals resolve locally without a query), and the module's socket opener connects only to
loopback addresses, recording every attempt so refusals can be shown to happen before any
connection. No database is used.
"""

from __future__ import annotations

import datetime
import http.server
import io
import ipaddress
import socket
import ssl
import threading
import time
import tracemalloc
import zlib

import pytest

from media import fetch as fetch_mod
from media.fetch import (
    FetchError,
    FetchFailed,
    FetchRefused,
    FetchResult,
    LinkPreview,
    fetch,
    is_public_address,
    link_preview,
)

ALLOWED = "allowed.test"
PUBLIC_IP = "93.184.215.14"  # a global address: resolved in tests, never connected to
MiB = 1024 * 1024


# --------------------------------------------------------------------------- guards


class FakeDNS:
    """getaddrinfo from a table; IP literals parse locally; anything else is unknown."""

    def __init__(self, real):
        self.real = real
        self.names: dict[str, list[str] | object] = {"localhost": ["127.0.0.1", "::1"]}
        self.calls: list[str] = []

    def __call__(self, host, port, family=0, type=0, proto=0, flags=0):
        self.calls.append(host)
        answer = self.names.get(host)
        if callable(answer):
            answer = answer()
        if answer is None:
            # Only IP literals, answered by the C library without any query.
            return self.real(host, port, family, type, proto, flags | socket.AI_NUMERICHOST)
        out = []
        for ip in answer:
            if ":" in ip:
                out.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (ip, port, 0, 0)))
            else:
                out.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)))
        return out


@pytest.fixture(autouse=True)
def dns(monkeypatch):
    fake = FakeDNS(socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return fake


@pytest.fixture(autouse=True)
def connects(monkeypatch):
    """Every connection attempt of media.fetch; only loopback is ever really dialled."""
    seen: list[tuple] = []
    real = fetch_mod._open_socket

    def guarded(family, sockaddr, timeout):
        seen.append(sockaddr)
        if not ipaddress.ip_address(sockaddr[0]).is_loopback:
            raise ConnectionRefusedError("test guard: no traffic beyond loopback")
        return real(family, sockaddr, timeout)

    monkeypatch.setattr(fetch_mod, "_open_socket", guarded)
    return seen


# --------------------------------------------------------------------------- servers


def _gzip(data: bytes) -> bytes:
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    return comp.compress(data) + comp.flush()


def _gzip_bomb(megabytes: int) -> bytes:
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(MiB)
    return b"".join(comp.compress(zeros) for _ in range(megabytes)) + comp.flush()


def _png(width: int, height: int) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 10, 10)).save(buf, format="PNG")
    return buf.getvalue()


OG_PAGE = """<!doctype html>
<html><head>
<meta charset="utf-8">
<title>Fallback title</title>
<meta property="og:title" content="  The   &lt;b&gt;Real&lt;/b&gt; Title &amp;amp; more ">
<meta property="og:description" content="A <i>short</i> description &eacute;t&eacute;.">
<meta property="og:image" content="/img/card.png">
<meta property="og:image:width" content="1200">
<meta property="og:image:height" content="630">
<meta property="og:url" content="/canonical/page">
<meta property="og:site_name" content="Example News">
<meta property="og:type" content="article">
<meta name="author" content="Ada Lovelace">
<meta property="article:published_time" content="2024-03-05T10:20:30+01:00">
<noscript><img src="https://tracker.example/pixel.gif"></noscript>
<meta name="twitter:title" content="Twitter title">
</head><body><h1>Body</h1><meta property="og:title" content="from the body"></body></html>
"""

PLAIN_PAGE = """<html><head>
<title>
  Just a   <em>title</em> &amp; nothing else
</title>
<meta name="description" content="Plain   description.">
</head><body>Hello</body></html>
"""

LATIN1_PAGE = """<html><head><title>Caf\u00e9 \u00fcber Stra\u00dfe</title>
<meta name="description" content="\u00bfQu\u00e9 tal? \u00a9 2024"></head></html>
""".encode("iso-8859-1")

META_CHARSET_PAGE = (
    b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
    b"<title>Na\xefve r\xe9sum\xe9</title></head></html>"
)

VIDEO_PAGE = """<html><head><meta property="og:type" content="video.movie">
<meta property="og:title" content="A film"><meta property="og:url"
content="https://elsewhere.example/film"><meta property="og:image" content="javascript:alert(1)">
<meta property="article:author" content="https://example.com/people/ada">
</head></html>"""

BODY_ONLY_PAGE = """<html><body><meta property="og:title" content="injected">
<title>not a head title</title></body></html>"""

LONG_PAGE = (
    "<html><head><title>" + "word " * 200 + "</title>"
    '<meta name="description" content="' + "x" * 5000 + '"></head></html>'
)

HUGE_TOTAL = 256 * MiB


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "FetchTest/1"

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        srv = self.server
        srv.hits.append({"path": self.path, "headers": dict(self.headers)})
        route = srv.routes.get(self.path.split("?", 1)[0])
        if route is None and self.path.startswith("/chain/"):
            route = srv.routes["/chain/"]
        if route is None:
            route = srv.routes.get("*")
        if route is None:
            self.send_error(404)
            return
        route(self)

    def reply(self, body: bytes, content_type="text/html; charset=utf-8", status=200, headers=()):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str, status=302):
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


class Server:
    def __init__(self, routes, context: ssl.SSLContext | None = None):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if context is not None:
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.httpd.routes = routes
        self.httpd.hits = []
        self.port = self.httpd.server_address[1]
        self.release = threading.Event()
        self.state: dict[str, object] = {}
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def hits(self):
        return self.httpd.hits

    def stop(self):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def _site_routes(site: Server, other: Server, bomb: bytes) -> dict:
    def chain(h):
        n = int(h.path.rsplit("/", 1)[1])
        if n > 0:
            h.redirect(f"/chain/{n - 1}", status=301 if n % 2 else 307)
        else:
            h.reply(b"<html><head><title>End of chain</title></head></html>")

    def huge(h):
        closed = threading.Event()
        record = {"sent": 0, "closed": closed}
        site.state["huge"] = record
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(HUGE_TOTAL))
        h.end_headers()
        chunk = b"<!-- padding -->" * 4096
        try:
            h.wfile.write(b"<html><head><title>Huge</title></head><body>")
            while record["sent"] < HUGE_TOTAL:
                h.wfile.write(chunk)
                record["sent"] += len(chunk)
        except OSError:
            closed.set()

    def slow(h):
        site.release.wait(30)

    def dribble(h):
        try:
            h.wfile.write(b"HTTP/1.0 200 OK\r\n")
            while not site.release.wait(0.1):
                h.wfile.write(b"X-Slow: a\r\n")
        except OSError:
            pass

    def short_body(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "1000")
        h.end_headers()
        h.wfile.write(b"<html><head><title>cut</title>")

    def echo_host(h):
        title = h.headers.get("Host", "")
        h.reply(f"<html><head><title>{title}</title></head></html>".encode())

    return {
        "/og": lambda h: h.reply(OG_PAGE.encode()),
        "/plain": lambda h: h.reply(PLAIN_PAGE.encode(), content_type="text/html"),
        "/latin1": lambda h: h.reply(LATIN1_PAGE, content_type="text/html; charset=ISO-8859-1"),
        "/meta-charset": lambda h: h.reply(META_CHARSET_PAGE, content_type="text/html"),
        "/video": lambda h: h.reply(VIDEO_PAGE.encode()),
        "/body-only": lambda h: h.reply(BODY_ONLY_PAGE.encode()),
        "/long": lambda h: h.reply(LONG_PAGE.encode()),
        "/chain/": chain,
        "/to-other": lambda h: h.redirect(f"http://127.0.0.1:{other.port}/"),
        "/to-localhost": lambda h: h.redirect(f"http://localhost:{other.port}/"),
        "/to-metadata": lambda h: h.redirect("http://169.254.169.254/latest/meta-data/"),
        "/to-ftp": lambda h: h.redirect("ftp://allowed.test/file"),
        "/no-location": lambda h: h.reply(b"", status=302),
        "/huge": huge,
        "/bomb": lambda h: h.reply(
            bomb, content_type="text/html", headers=[("Content-Encoding", "gzip")]
        ),
        "/gzip-page": lambda h: h.reply(
            _gzip(PLAIN_PAGE.encode()), headers=[("Content-Encoding", "gzip")]
        ),
        "/bad-gzip": lambda h: h.reply(
            b"\x1f\x8b\x08\x00garbage", headers=[("Content-Encoding", "gzip")]
        ),
        "/brotli": lambda h: h.reply(b"\x0b\x02\x80", headers=[("Content-Encoding", "br")]),
        "/missing": lambda h: h.reply(b"not here", status=404),
        "/error": lambda h: h.reply(b"boom", status=500),
        "/slow": slow,
        "/dribble": dribble,
        "/short-body": short_body,
        "/image.png": lambda h: h.reply(_png(3, 2), content_type="image/png"),
        "/data.json": lambda h: h.reply(b"{}", content_type="application/json"),
        "/host": echo_host,
    }


@pytest.fixture(scope="module")
def servers():
    other = Server({"*": lambda h: h.reply(b"<html><head><title>other</title></head></html>")})
    site = Server({})
    site.httpd.routes = _site_routes(site, other, _gzip_bomb(64))
    yield site, other
    site.stop()
    other.stop()


@pytest.fixture
def site(servers, settings, dns):
    """The test site, reachable as http://allowed.test:<port> (the only allowed private host)."""
    site, other = servers
    dns.names[ALLOWED] = ["127.0.0.1"]
    settings.FETCH_ALLOW_PRIVATE_HOSTS = [ALLOWED]
    settings.FETCH_ALLOWED_PORTS = {80, 443, site.port, other.port}
    settings.FETCH_TIMEOUT = 5
    settings.FETCH_MAX_BYTES = MiB
    site.base = f"http://{ALLOWED}:{site.port}"
    return site


@pytest.fixture
def other(servers):
    other = servers[1]
    other.httpd.hits.clear()
    return other


# --------------------------------------------------------------------------- previews


def test_opengraph_page(site):
    preview = link_preview(site.base + "/og")
    assert isinstance(preview, LinkPreview)
    assert preview.title == "The Real Title &amp; more"  # entities decoded once, tags stripped
    assert preview.description == "A short description \u00e9t\u00e9."
    assert preview.image == site.base + "/img/card.png"
    assert preview.url == site.base + "/canonical/page"
    assert preview.site_name == "Example News"
    assert preview.provider_name == "Example News"
    assert preview.author_name == "Ada Lovelace"
    assert preview.type == "link"
    assert preview.html == ""
    assert (preview.width, preview.height) == (1200, 630)
    assert preview.published_at == "2024-03-05T09:20:30Z"
    # the request carried the name, not the address, as Host
    hit = [h for h in site.hits if h["path"] == "/og"][-1]
    assert hit["headers"]["Host"] == f"{ALLOWED}:{site.port}"
    assert hit["headers"]["Accept-Encoding"].startswith("gzip")


def test_title_and_meta_description_only(site):
    preview = link_preview(site.base + "/plain")
    assert preview.title == "Just a title & nothing else"
    assert preview.description == "Plain description."
    assert preview.image is None
    assert preview.url == site.base + "/plain"
    assert preview.site_name == ALLOWED
    assert preview.provider_name == ""
    assert preview.published_at is None
    assert (preview.width, preview.height) == (0, 0)


def test_iso_8859_1_from_response_charset(site):
    result = fetch(site.base + "/latin1")
    assert result.charset == "iso-8859-1"
    assert result.content_type == "text/html"
    preview = link_preview(site.base + "/latin1")
    assert preview.title == "Caf\u00e9 \u00fcber Stra\u00dfe"
    assert preview.description == "\u00bfQu\u00e9 tal? \u00a9 2024"


def test_charset_from_meta_tag(site):
    assert fetch(site.base + "/meta-charset").charset is None
    assert link_preview(site.base + "/meta-charset").title == "Na\u00efve r\u00e9sum\u00e9"


def test_video_type_foreign_og_url_and_unsafe_image(site):
    preview = link_preview(site.base + "/video")
    assert preview.type == "video"
    assert preview.url == site.base + "/video"  # og:url on another host is not trusted
    assert preview.image is None  # javascript: is not an image
    assert preview.author_name == ""  # a profile URL is not a name


def test_only_the_head_is_read(site):
    preview = link_preview(site.base + "/body-only")
    assert preview.title == ""


def test_title_and_description_are_capped(site):
    preview = link_preview(site.base + "/long")
    assert len(preview.title) <= 300
    assert preview.title.startswith("word word")
    assert len(preview.description) <= 1000


def test_image_response_is_a_photo(site):
    preview = link_preview(site.base + "/image.png")
    assert preview.type == "photo"
    assert preview.image == preview.url == site.base + "/image.png"
    assert (preview.width, preview.height) == (3, 2)
    assert preview.html == ""


def test_other_content_types_have_no_preview(site):
    with pytest.raises(FetchFailed):
        link_preview(site.base + "/data.json")


def test_gzip_page_is_decoded(site):
    result = fetch(site.base + "/gzip-page")
    assert result.body == PLAIN_PAGE.encode()
    assert link_preview(site.base + "/gzip-page").title == "Just a title & nothing else"


# --------------------------------------------------------------------------- redirects


def test_redirect_chain_of_two_is_followed(site, dns):
    result = fetch(site.base + "/chain/2")
    assert isinstance(result, FetchResult)
    assert result.url == site.base + "/chain/0"
    assert result.status == 200
    assert dns.calls.count(ALLOWED) == 3  # every hop is resolved and checked again


def test_redirect_chain_of_three_is_the_limit(site):
    assert fetch(site.base + "/chain/3").url == site.base + "/chain/0"


def test_redirect_chain_of_four_is_refused(site):
    with pytest.raises(FetchRefused, match="redirect"):
        fetch(site.base + "/chain/4")
    assert not any(h["path"] == "/chain/0" for h in site.hits[-4:])


@pytest.mark.parametrize("path", ["/to-other", "/to-localhost", "/to-metadata"])
def test_redirect_to_a_host_not_allowed_is_refused(site, other, connects, path):
    with pytest.raises(FetchRefused):
        fetch(site.base + path)
    assert other.hits == []  # the other loopback server was never contacted
    assert all(addr[1] == site.port for addr in connects)


def test_redirect_to_another_scheme_is_refused(site):
    with pytest.raises(FetchRefused):
        fetch(site.base + "/to-ftp")


def test_redirect_without_location_fails(site):
    with pytest.raises(FetchFailed):
        fetch(site.base + "/no-location")


# --------------------------------------------------------------------------- bounds


def test_huge_page_stops_at_the_cap(site, settings):
    settings.FETCH_MAX_BYTES = 64 * 1024
    result = fetch(site.base + "/huge")
    assert len(result.body) == 64 * 1024
    assert result.body.startswith(b"<html><head><title>Huge</title>")
    record = site.state["huge"]
    assert record["closed"].wait(10), "the client should close the connection early"
    assert record["sent"] < HUGE_TOTAL
    assert link_preview(site.base + "/huge").title == "Huge"


def test_huge_page_strict_mode_fails(site):
    with pytest.raises(FetchFailed, match="too big"):
        fetch(site.base + "/huge", truncate=False)


def test_gzip_bomb_stops_at_the_cap(site, settings):
    settings.FETCH_MAX_BYTES = MiB
    started = time.monotonic()
    tracemalloc.start()
    try:
        result = fetch(site.base + "/bomb")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(result.body) == MiB  # 64 MiB compressed to ~64 KiB, cut at 1 MiB
    assert result.body == bytes(MiB)
    assert peak < 8 * MiB  # never inflated far past the cap
    assert time.monotonic() - started < 5


def test_corrupt_gzip_fails(site):
    with pytest.raises(FetchFailed):
        fetch(site.base + "/bad-gzip")


def test_unsupported_content_encoding_is_refused(site):
    with pytest.raises(FetchRefused, match="Content-Encoding"):
        fetch(site.base + "/brotli")


@pytest.mark.parametrize("path", ["/missing", "/error"])
def test_http_errors_fail(site, path):
    with pytest.raises(FetchFailed, match="HTTP"):
        fetch(site.base + path)


def test_body_shorter_than_content_length_fails(site):
    with pytest.raises(FetchFailed):
        fetch(site.base + "/short-body")


@pytest.mark.parametrize("path", ["/slow", "/dribble"])
def test_slow_server_times_out_within_the_deadline(site, settings, path):
    # /slow never answers; /dribble sends a header line every 0.1 s forever, so only a
    # total deadline (not a per-read timeout) can stop it.
    settings.FETCH_TIMEOUT = 1
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="timed out"):
        fetch(site.base + path)
    assert time.monotonic() - started < 1.8


# --------------------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost/",
        "http://[::1]/",
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://017.0.0.1/",
        "http://127.1/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:a9fe:a9fe]/",
        "http://[fd00::1]/",
        "http://[fe80::1]/",
        "http://100.64.0.1/",
        "http://192.168.1.1/",
        "http://172.16.5.4/",
    ],
)
def test_private_and_disguised_addresses_are_refused_before_connecting(url, connects, settings):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = []
    with pytest.raises(FetchRefused):
        fetch(url)
    assert connects == []


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.31.255.255",
        "192.168.0.10",
        "100.100.100.200",
        "169.254.169.254",
        "0.0.0.0",
        "224.0.0.251",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "198.18.0.1",
        "192.0.2.1",
        "::",
        "::1",
        "fc00::1",
        "fd12:3456::1",
        "fe80::1",
        "fec0::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "::127.0.0.1",
        "64:ff9b::a9fe:a9fe",
        "2002:a00:1::1",
        "2001:db8::1",
        "2001::1",
    ],
)
def test_names_resolving_to_non_public_addresses_are_refused(address, dns, connects):
    dns.names["innocent.example"] = [address]
    with pytest.raises(FetchRefused, match="non-public"):
        fetch("http://innocent.example/")
    assert connects == []
    assert not is_public_address(address)


def test_one_private_address_among_public_ones_is_enough_to_refuse(dns, connects):
    dns.names["mixed.example"] = [PUBLIC_IP, "2606:4700::1", "10.0.0.7"]
    with pytest.raises(FetchRefused):
        fetch("http://mixed.example/")
    assert connects == []


@pytest.mark.parametrize(
    "address", [PUBLIC_IP, "8.8.8.8", "2606:4700::1111", "::ffff:93.184.215.14"]
)
def test_public_addresses_are_public(address):
    assert is_public_address(address)


def test_dns_rebinding_connects_only_to_the_checked_address(dns, connects):
    answers = iter([[PUBLIC_IP], ["127.0.0.1"]])
    dns.names["rebind.example"] = lambda: next(answers)
    with pytest.raises(FetchFailed):  # the guard refuses the public address: no traffic
        fetch("http://rebind.example/")
    assert dns.calls.count("rebind.example") == 1
    assert connects == [(PUBLIC_IP, 80)]


def test_dns_rebinding_on_an_allowed_name_still_uses_the_first_answer(site, dns, connects):
    # First answer: the test site. Any later answer points at 127.0.0.2, where nothing
    # listens; the fetch succeeds only if it connected to the first, checked address.
    answers = iter([["127.0.0.1"]])
    dns.names[ALLOWED] = lambda: next(answers, ["127.0.0.2"])
    result = fetch(site.base + "/plain")
    assert b"Just a" in result.body
    assert dns.calls.count(ALLOWED) == 1
    assert connects == [("127.0.0.1", site.port)]


def test_allow_list_is_exact(site, dns, connects):
    dns.names["sub." + ALLOWED] = ["127.0.0.1"]
    with pytest.raises(FetchRefused):
        fetch(f"http://sub.{ALLOWED}:{site.port}/plain")
    assert connects == []


# --------------------------------------------------------------------------- URL rules


@pytest.mark.parametrize(
    "url",
    [
        "",
        "ftp://example.com/file",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "gopher://example.com/",
        "//example.com/",
        "http:///path-only",
        "http://user:pass@example.com/",
        "http://user@example.com/",
        "http://example.com:8080/",
        "http://example.com:22/",
        "http://example.com:99999/",
        "http://exa mple.com/",
        "http://example.com\\@evil.example/",
        "http://example.com/\r\nX-Injected: 1",
        "http://[fe80::1%25eth0]/",
        "http://[::1/",
        "http://ex%61mple.com/",
        "http://" + "a" * 5000 + ".com/",
        None,
        12345,
    ],
)
def test_bad_urls_are_refused_before_resolving(url, dns, connects):
    with pytest.raises(FetchRefused):
        fetch(url)
    assert dns.calls == []
    assert connects == []


def test_allowed_ports_come_from_settings(site, settings, dns, connects):
    settings.FETCH_ALLOWED_PORTS = {80, 443}
    with pytest.raises(FetchRefused, match="port"):
        fetch(site.base + "/plain")
    assert dns.calls == [] and connects == []


def test_unresolvable_name_fails(dns):
    with pytest.raises(FetchFailed):
        fetch("http://no-such-name.example/")


def test_errors_share_a_base_class():
    assert issubclass(FetchRefused, FetchError) and issubclass(FetchFailed, FetchError)
    assert not issubclass(FetchRefused, FetchFailed)


# --------------------------------------------------------------------------- TLS


@pytest.fixture(scope="module")
def tls():
    """A test CA, a certificate for allowed.test, and an HTTPS server presenting it."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)

    def name(cn):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(name("fetch test CA"))
        .issuer_name(name("fetch test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name(ALLOWED))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(ALLOWED)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    ca_pem = ca_cert.public_bytes(pem).decode()
    chain = cert.public_bytes(pem)
    key_pem = key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )

    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "cert.pem").write_bytes(chain)
        Path(tmp, "key.pem").write_bytes(key_pem)
        server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_ctx.load_cert_chain(Path(tmp, "cert.pem"), Path(tmp, "key.pem"))
    sni: list[str | None] = []
    server_ctx.sni_callback = lambda sslsock, server_name, ctx: sni.append(server_name)

    server = Server(
        {"*": lambda h: h.reply(f"<title>{h.headers.get('Host')}</title>".encode())},
        context=server_ctx,
    )
    server.sni = sni
    server.ca_pem = ca_pem
    yield server
    server.stop()


@pytest.fixture
def https_site(tls, settings, dns, monkeypatch):
    dns.names[ALLOWED] = ["127.0.0.1"]
    dns.names["wrong-name.test"] = ["127.0.0.1"]
    settings.FETCH_ALLOW_PRIVATE_HOSTS = [ALLOWED, "wrong-name.test"]
    settings.FETCH_ALLOWED_PORTS = {443, tls.port}
    settings.FETCH_TIMEOUT = 5
    tls.sni.clear()

    def trusting():
        ctx = ssl.create_default_context(cadata=tls.ca_pem)
        return ctx

    tls.trust = lambda: monkeypatch.setattr(fetch_mod, "_ssl_context", trusting)
    return tls


def test_https_to_a_pinned_address_sends_sni_and_verifies(https_site, connects):
    https_site.trust()
    result = fetch(f"https://{ALLOWED}:{https_site.port}/page")
    assert result.body == f"<title>{ALLOWED}:{https_site.port}</title>".encode()
    assert https_site.sni == [ALLOWED]
    assert connects == [("127.0.0.1", https_site.port)]


def test_https_with_an_untrusted_certificate_fails(https_site):
    with pytest.raises(FetchFailed):
        fetch(f"https://{ALLOWED}:{https_site.port}/page")


def test_https_certificate_must_match_the_name(https_site):
    https_site.trust()
    with pytest.raises(FetchFailed):
        fetch(f"https://wrong-name.test:{https_site.port}/page")

"""The one safe way this server fetches a remote page: public addresses only, pinned, bounded.

Every outbound HTTP(S) request this server makes on behalf of a user (link previews for
SelfCommunity ``url`` media today, Mastodon preview cards later) goes through :func:`fetch`.
The rules, checked for the first URL and again for every redirect target:

* only ``http``/``https`` URLs with a host, no credentials, no backslashes, whitespace or
  control characters, no ambiguous numeric hosts (``http://2130706433/``, ``0x7f.1``);
* the port must be in ``FETCH_ALLOWED_PORTS`` (default ``{80, 443}``);
* the host is resolved exactly once with :func:`socket.getaddrinfo`; if *any* resolved
  address is not a public unicast address the fetch is refused (loopback, private,
  link-local incl. cloud metadata, CGNAT, multicast, reserved, unspecified, ULA, IPv4
  embedded in IPv6 ...), unless the host name is listed verbatim in
  ``FETCH_ALLOW_PRIVATE_HOSTS`` (tests only);
* the socket connects to one of those checked addresses, never to the name again, so DNS
  rebinding cannot swap the address; the ``Host`` header and TLS SNI carry the name, and
  certificates are verified against it;
* at most 3 redirects; one deadline of ``FETCH_TIMEOUT`` seconds (default 5) covers
  resolution, connection, TLS, headers and body of every hop, enforced by a watchdog that
  shuts the socket down; the body stops at ``FETCH_MAX_BYTES`` (default 1 MiB), after
  gzip decompression too; other content codings are refused.

Errors: :class:`FetchRefused` for policy refusals, :class:`FetchFailed` for network and
HTTP errors, both :class:`FetchError`; nothing else escapes :func:`fetch` or
:func:`link_preview`.
"""

from __future__ import annotations

import codecs
import functools
import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from io import BytesIO
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from django.conf import settings

__all__ = [
    "FetchError",
    "FetchFailed",
    "FetchRefused",
    "FetchResult",
    "LinkPreview",
    "OEmbed",
    "fetch",
    "fetch_oembed",
    "link_preview",
    "normalise_url",
]

DEFAULT_ALLOWED_PORTS = frozenset({80, 443})
DEFAULT_TIMEOUT = 5.0
DEFAULT_MAX_BYTES = 1024 * 1024
MAX_REDIRECTS = 3
MAX_URL_LENGTH = 4096
MAX_CONNECT_ATTEMPTS = 4
READ_CHUNK = 64 * 1024
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

TITLE_MAX = 300
DESCRIPTION_MAX = 1000
NAME_MAX = 300


# --------------------------------------------------------------------------- errors


class FetchError(Exception):
    """Base class: the remote page could not (or must not) be fetched."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class FetchRefused(FetchError):
    """The URL, its address, a redirect or the response breaks this module's policy."""


class FetchFailed(FetchError):
    """Network or HTTP failure: unresolvable, unreachable, timeout, TLS, status >= 400."""


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class FetchResult:
    url: str  # final URL after redirects
    status: int
    content_type: str  # without parameters, lowercased
    charset: str | None
    body: bytes  # at most FETCH_MAX_BYTES


@dataclass(frozen=True)
class LinkPreview:
    url: str
    title: str
    description: str
    image: str | None
    site_name: str
    type: str  # "link" | "photo" | "video" | "rich"
    author_name: str
    provider_name: str
    html: str
    width: int
    height: int
    published_at: str | None
    # Read for Mastodon's preview cards (the SelfCommunity url preview ignores them).
    image_description: str = ""
    language: str | None = None
    author_url: str = ""
    provider_url: str = ""
    player_url: str | None = None  # twitter:player, the page's embeddable player
    player_width: int = 0
    player_height: int = 0
    embed_url: str = ""  # twitter:player:stream
    oembed_url: str | None = None  # <link rel="alternate" type="application/json+oembed">


@dataclass(frozen=True)
class OEmbed:
    """A provider's oEmbed answer, checked: URLs absolute http(s), sizes bounded, text plain;
    `html` is as the provider sent it (the caller sanitises it before storing)."""

    type: str  # "link" | "photo" | "video" | "rich"
    title: str
    author_name: str
    author_url: str
    provider_name: str
    provider_url: str
    url: str  # the photo, for "photo"
    thumbnail_url: str | None
    html: str
    width: int
    height: int


# --------------------------------------------------------------------------- settings


def _allowed_ports() -> frozenset[int]:
    ports = getattr(settings, "FETCH_ALLOWED_PORTS", None)
    if ports is None:
        return DEFAULT_ALLOWED_PORTS
    return frozenset(int(p) for p in ports)


def _timeout() -> float:
    return float(getattr(settings, "FETCH_TIMEOUT", DEFAULT_TIMEOUT))


def _max_bytes() -> int:
    return int(getattr(settings, "FETCH_MAX_BYTES", DEFAULT_MAX_BYTES))


def _private_hosts_allowed() -> frozenset[str]:
    hosts = getattr(settings, "FETCH_ALLOW_PRIVATE_HOSTS", None) or ()
    return frozenset(_normalise_host_text(str(h)) for h in hosts)


def _test_address(host: str) -> tuple[str, int] | None:
    """The "ip:port" FETCH_TEST_RESOLVE gives a host (tests only), honoured only for hosts also
    in FETCH_ALLOW_PRIVATE_HOSTS; None for every other host, which the resolver answers."""
    table = getattr(settings, "FETCH_TEST_RESOLVE", None) or {}
    if not table or host not in _private_hosts_allowed():
        return None
    for name, address in table.items():
        if _normalise_host_text(str(name)) != host:
            continue
        ip_text, _, port_text = str(address).rpartition(":")
        try:
            ip = ipaddress.ip_address(_normalise_host_text(ip_text))
            port = int(port_text)
        except ValueError:
            return None
        return ip.compressed, port
    return None


def _user_agent() -> str:
    configured = getattr(settings, "FETCH_USER_AGENT", None)
    if configured:
        return str(configured)
    domain = getattr(settings, "INSTANCE_DOMAIN", "") or "localhost"
    scheme = getattr(settings, "INSTANCE_SCHEME", "https") or "https"
    return f"duostatus/0.1 (link preview; +{scheme}://{domain}/)"


@functools.cache
def _default_ssl_context() -> ssl.SSLContext:
    context = ssl.create_default_context()  # CERT_REQUIRED, check_hostname, system CAs
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def _ssl_context() -> ssl.SSLContext:
    """Certificate-verifying client context (tests replace this to trust a test CA)."""
    return _default_ssl_context()


# --------------------------------------------------------------------------- URL rules

_FORBIDDEN_URL_CHARS = re.compile(r"[\x00-\x20\x7f\\]")
_HOST_LABELS = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")
_NUMERIC_LABEL = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)")


@dataclass(frozen=True)
class _Target:
    url: str  # normalised URL, without fragment
    scheme: str
    host: str  # ASCII (IDNA) host, lowercased, IPv6 without brackets
    port: int
    path: str  # request target: path + query


def _normalise_host_text(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host


def _check_url(url: str) -> _Target:
    """Apply every URL rule; return the parsed target or raise FetchRefused."""
    if not isinstance(url, str) or not url:
        raise FetchRefused("empty URL")
    if len(url) > MAX_URL_LENGTH:
        raise FetchRefused("URL too long")
    if _FORBIDDEN_URL_CHARS.search(url):
        raise FetchRefused("URL contains whitespace, control characters or backslashes")
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise FetchRefused(f"invalid URL: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchRefused("only http and https URLs can be fetched")
    if "@" in parts.netloc or parts.username is not None or parts.password is not None:
        raise FetchRefused("URLs with credentials are not fetched")
    raw_host = parts.hostname
    if not raw_host:
        raise FetchRefused("URL has no host")
    try:
        port = parts.port
    except ValueError as exc:
        raise FetchRefused("invalid port") from exc
    if port is None:
        port = 443 if scheme == "https" else 80
    if port not in _allowed_ports():
        raise FetchRefused(f"port {port} is not allowed")

    host = _ascii_host(raw_host)
    bracketed = f"[{host}]" if ":" in host else host
    default_port = 443 if scheme == "https" else 80
    netloc = bracketed if parts.port is None or port == default_port else f"{bracketed}:{port}"
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/?%:@!$&'()*+,;=-._~")
    target = f"{path}?{query}" if query else path
    normalised = urlunsplit((scheme, netloc, path, query, ""))
    return _Target(url=normalised, scheme=scheme, host=host, port=port, path=target)


def _ascii_host(raw_host: str) -> str:
    host = _normalise_host_text(raw_host)
    if "%" in host:  # percent-escapes and IPv6 zone ids have no place in a public host
        raise FetchRefused("invalid host name")
    if ":" in host:  # IPv6 literal (urlsplit validated the brackets)
        try:
            addr = ipaddress.IPv6Address(host)
        except ValueError as exc:  # includes zone ids such as fe80::1%eth0
            raise FetchRefused("invalid IPv6 address") from exc
        return addr.compressed
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise FetchRefused("invalid host name") from exc
    bare = host[:-1] if host.endswith(".") else host
    labels = bare.split(".")
    if not bare or len(bare) > 253 or not all(_HOST_LABELS.fullmatch(label) for label in labels):
        raise FetchRefused("invalid host name")
    if _NUMERIC_LABEL.fullmatch(labels[-1]):
        # The last label is numeric, so resolvers and browsers read the host as an IPv4
        # address. Accept only the canonical dotted quad; refuse 2130706433, 0x7f.1, 017.0.0.1.
        try:
            return str(ipaddress.IPv4Address(bare))
        except ValueError as exc:
            raise FetchRefused("non-canonical numeric host") from exc
    return host


# --------------------------------------------------------------------------- address rules

_V4_NOT_PUBLIC = tuple(
    ipaddress.IPv4Network(n)
    for n in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",
        "240.0.0.0/4",
    )
)
_V6_GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")
_V6_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_V6_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
_V6_V4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_V6_TEREDO = ipaddress.IPv6Network("2001::/32")


def is_public_address(ip: str | ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True only for a public unicast address this server may connect to."""
    if isinstance(ip, str):
        try:
            ip = ipaddress.ip_address(ip.split("%", 1)[0])
        except ValueError:
            return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return is_public_address(ip.ipv4_mapped)
        if ip in _V6_NAT64:
            return is_public_address(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if ip.sixtofour is not None:
            return is_public_address(ip.sixtofour)
        if ip in _V6_V4_COMPATIBLE or ip in _V6_NAT64_LOCAL or ip in _V6_TEREDO:
            return False
        if ip not in _V6_GLOBAL_UNICAST:  # ULA, link/site-local, multicast, reserved, ::1 ...
            return False
    elif any(ip in net for net in _V4_NOT_PUBLIC):
        return False
    return bool(
        ip.is_global
        and not ip.is_private
        and not ip.is_loopback
        and not ip.is_link_local
        and not ip.is_multicast
        and not ip.is_reserved
        and not ip.is_unspecified
    )


def _resolve(target: _Target, deadline: _Deadline) -> list[tuple[int, tuple]]:
    """Resolve once (bounded by the deadline) and check every address."""
    pinned = _test_address(target.host)
    if pinned is not None:
        # A test's stand-in for DNS: the connection goes to this address and port, while the
        # URL, the Host header, SNI and every rule stay those of the real name.
        ip_text, port = pinned
        if ":" in ip_text:
            return [(socket.AF_INET6, (ip_text, port, 0, 0))]
        return [(socket.AF_INET, (ip_text, port))]
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["result"] = socket.getaddrinfo(
                target.host, target.port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
            )
        except BaseException as exc:  # handed back to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=run, name="fetch-resolve", daemon=True)
    worker.start()
    worker.join(deadline.remaining())
    if worker.is_alive():
        raise FetchFailed("timed out resolving the host")
    if "error" in box:
        raise FetchFailed(f"could not resolve {target.host}") from box["error"]  # type: ignore[misc]

    allow_private = target.host in _private_hosts_allowed()
    addresses: list[tuple[int, tuple]] = []
    seen: set[str] = set()
    for family, _type, _proto, _canon, sockaddr in box.get("result") or ():  # type: ignore[union-attr]
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        ip_text = str(sockaddr[0]).split("%", 1)[0]
        try:
            ip = ipaddress.ip_address(ip_text)
        except ValueError as exc:
            raise FetchRefused("resolver returned an unparseable address") from exc
        if not allow_private and not is_public_address(ip):
            raise FetchRefused(f"{target.host} resolves to a non-public address")
        if ip.compressed in seen:
            continue
        seen.add(ip.compressed)
        if family == socket.AF_INET6:
            addresses.append((family, (ip.compressed, target.port, 0, 0)))
        else:
            addresses.append((family, (ip.compressed, target.port)))
    if not addresses:
        raise FetchFailed(f"could not resolve {target.host}")
    return addresses


# --------------------------------------------------------------------------- time bounds


class _Deadline:
    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise FetchFailed("timed out")
        return left


class _Watchdog:
    """Shuts the current socket down when the deadline passes, whatever is blocking on it."""

    def __init__(self, deadline: _Deadline):
        self.fired = False
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._timer = threading.Timer(max(deadline.end - time.monotonic(), 0), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._release()
            self._sock = sock.dup()  # shutdown() on the dup acts on the shared connection
            if self.fired:
                self._shutdown()

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            self._shutdown()

    def _shutdown(self) -> None:
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _release(self) -> None:
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass
            self._sock = None

    def stop(self) -> None:
        self._timer.cancel()
        with self._lock:
            self._release()


# --------------------------------------------------------------------------- connection


def _open_socket(family: int, sockaddr: tuple, timeout: float) -> socket.socket:
    """Connect a TCP socket to exactly this address (tests observe every attempt here)."""
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.settimeout(timeout)
        sock.connect(sockaddr)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except BaseException:
        sock.close()
        raise
    return sock


class _PinnedConnection(http.client.HTTPConnection):
    """HTTP(S) connection to a pre-checked address; Host header and SNI carry the name."""

    def __init__(
        self,
        target: _Target,
        addresses: list[tuple[int, tuple]],
        deadline: _Deadline,
        watchdog: _Watchdog,
    ):
        super().__init__(target.host, target.port, timeout=deadline.remaining())
        self.default_port = 443 if target.scheme == "https" else 80
        self._target = target
        self._addresses = addresses
        self._deadline = deadline
        self._watchdog = watchdog
        self.pinned_sock: socket.socket | None = None

    def connect(self) -> None:
        last_error: OSError | None = None
        sock = None
        for family, sockaddr in self._addresses[:MAX_CONNECT_ATTEMPTS]:
            try:
                sock = _open_socket(family, sockaddr, self._deadline.remaining())
                break
            except OSError as exc:
                last_error = exc
        if sock is None:
            raise FetchFailed(f"could not connect to {self._target.host}") from last_error
        self._watchdog.watch(sock)
        if self._target.scheme == "https":
            try:
                sock.settimeout(self._deadline.remaining())
                sock = _ssl_context().wrap_socket(sock, server_hostname=self._target.host)
            except BaseException:
                sock.close()
                raise
        self.sock = self.pinned_sock = sock

    def set_timeout(self) -> None:
        """Bound the next socket operation by what is left of the deadline."""
        if self.pinned_sock is not None:
            self.pinned_sock.settimeout(self._deadline.remaining())


# --------------------------------------------------------------------------- fetching


def _parse_content_type(value: str | None) -> tuple[str, str | None]:
    if not value:
        return "application/octet-stream", None
    main, _, params = value.partition(";")
    content_type = main.strip().lower() or "application/octet-stream"
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'").lower() or None
    return content_type, charset


class _BodyReader:
    """Reads a response body into at most ``limit`` bytes, decoding gzip with the same cap."""

    def __init__(self, response: http.client.HTTPResponse, encoding: str, limit: int):
        self.response = response
        self.limit = limit
        self.gzip = zlib.decompressobj(16 + zlib.MAX_WBITS) if encoding == "gzip" else None

    def read(self, conn: _PinnedConnection) -> tuple[bytes, bool]:
        """Return (body, truncated)."""
        out = bytearray()
        wire = 0
        while True:
            conn.set_timeout()
            chunk = self.response.read1(READ_CHUNK)
            if not chunk:
                if self.response.length:  # Content-Length promised more
                    raise FetchFailed("connection closed before the end of the body")
                if self.gzip is not None and not self.gzip.eof:
                    raise FetchFailed("truncated gzip body")
                return bytes(out), False
            wire += len(chunk)
            if self.gzip is None:
                out += chunk
            else:
                data = chunk
                while data and len(out) <= self.limit:
                    out += self.gzip.decompress(data, self.limit + 1 - len(out))
                    data = self.gzip.unconsumed_tail
                    if self.gzip.eof:
                        break
                if self.gzip.eof and len(out) <= self.limit:
                    return bytes(out), False
                if wire > self.limit and len(out) <= self.limit:
                    # Compressed data beyond the cap still counts against it.
                    return bytes(out[: self.limit]), True
            if len(out) > self.limit:
                return bytes(out[: self.limit]), True


def _header_text(value: str) -> str:
    """http.client reads header bytes as Latin-1; most servers meant UTF-8."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def fetch(
    url: str,
    *,
    accept: str = "text/html,application/xhtml+xml",
    truncate: bool = True,
    max_bytes: int | None = None,
) -> FetchResult:
    """GET ``url`` under the module's rules and return the (bounded) response.

    A body longer than ``FETCH_MAX_BYTES`` (or ``max_bytes``, when given) is cut at the cap
    (enough for an HTML head); with ``truncate=False`` it is a :class:`FetchFailed` instead.
    """
    try:
        return _fetch(url, accept, truncate, max_bytes)
    except FetchError:
        raise
    except TimeoutError as exc:
        raise FetchFailed("timed out") from exc
    except ssl.SSLError as exc:
        raise FetchFailed(f"TLS error: {exc.reason or exc}") from exc
    except ssl.CertificateError as exc:
        raise FetchFailed(f"TLS certificate error: {exc}") from exc
    except (OSError, http.client.HTTPException, zlib.error) as exc:
        raise FetchFailed(f"network error: {exc.__class__.__name__}") from exc
    except Exception as exc:  # the contract: nothing but FetchError leaves this module
        raise FetchFailed(f"unexpected error: {exc.__class__.__name__}") from exc


def _fetch(url: str, accept: str, truncate: bool, max_bytes: int | None = None) -> FetchResult:
    deadline = _Deadline(_timeout())
    limit = _max_bytes() if max_bytes is None else int(max_bytes)
    watchdog = _Watchdog(deadline)
    try:
        target = _check_url(url)
        redirects = 0
        while True:
            addresses = _resolve(target, deadline)
            conn = _PinnedConnection(target, addresses, deadline, watchdog)
            response: http.client.HTTPResponse | None = None
            try:
                try:
                    conn.putrequest("GET", target.path, skip_accept_encoding=True)
                    conn.putheader("Accept", accept)
                    conn.putheader("Accept-Encoding", "gzip, identity;q=0.5, *;q=0")
                    conn.putheader("User-Agent", _user_agent())
                    conn.putheader("Connection", "close")
                    conn.endheaders()
                    conn.set_timeout()
                    response = conn.getresponse()
                except (OSError, http.client.HTTPException):
                    if watchdog.fired:
                        raise FetchFailed("timed out") from None
                    raise

                status = response.status
                if status in REDIRECT_STATUSES:
                    location = response.getheader("Location")
                    if not location:
                        raise FetchFailed(f"redirect {status} without Location")
                    if redirects >= MAX_REDIRECTS:
                        raise FetchRefused(f"more than {MAX_REDIRECTS} redirects")
                    redirects += 1
                    target = _check_url(urljoin(target.url, _header_text(location).strip()))
                    continue
                if status >= 400:
                    raise FetchFailed(f"HTTP {status}")
                if not 200 <= status < 300:
                    raise FetchFailed(f"unexpected HTTP status {status}")

                encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
                if encoding == "x-gzip":
                    encoding = "gzip"
                if encoding not in ("identity", "gzip"):
                    raise FetchRefused(f"unsupported Content-Encoding {encoding!r}")
                if not truncate and encoding == "identity":
                    length = response.getheader("Content-Length")
                    if length and length.strip().isascii() and length.strip().isdigit() and int(length) > limit:
                        raise FetchFailed("response too big")

                content_type, charset = _parse_content_type(response.getheader("Content-Type"))
                try:
                    body, truncated = _BodyReader(response, encoding, limit).read(conn)
                except (OSError, http.client.HTTPException):
                    if watchdog.fired:
                        raise FetchFailed("timed out") from None
                    raise
                if watchdog.fired:
                    raise FetchFailed("timed out")
                if truncated and not truncate:
                    raise FetchFailed("response too big")
                return FetchResult(
                    url=target.url,
                    status=status,
                    content_type=content_type,
                    charset=charset,
                    body=body,
                )
            finally:
                if response is not None:
                    response.close()
                conn.close()
                if conn.pinned_sock is not None:
                    conn.pinned_sock.close()
    finally:
        watchdog.stop()


# --------------------------------------------------------------------------- HTML head

_CHARSET_META = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE
)
_WS = re.compile(r"\s+")
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]"
)
_LOOKS_LIKE_TAG = re.compile(r"<[a-zA-Z/!?]")

# Elements that cannot be in a head: seeing one means the head is over.
_BODY_ELEMENTS = frozenset(
    "body div p span a img h1 h2 h3 h4 h5 h6 main article section header footer nav aside "
    "table ul ol li form iframe video audio picture figure pre blockquote".split()
)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    # Browsers read Latin-1 and ASCII labels as windows-1252; so do we.
    if codec in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    if codec in ("utf-7",):  # never honour UTF-7 from a page
        return "utf-8"
    return codec


def decode_html(body: bytes, charset: str | None) -> str:
    """Decode with the BOM, the response charset, a <meta charset>, or UTF-8 (replacing)."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if body.startswith(bom):
            return body[len(bom) :].decode(name, errors="replace")
    codec = _codec(charset)
    if codec is None:
        match = _CHARSET_META.search(body[:8192])
        if match:
            codec = _codec(match.group(1).decode("ascii", "replace"))
            if codec in ("utf-16", "utf-16-le", "utf-16-be"):  # a meta tag readable as ASCII
                codec = "utf-8"
    return body.decode(codec or "utf-8", errors="replace")


class _HeadDone(Exception):
    pass


class _HeadParser(HTMLParser):
    """Collects <title>, <meta> and <link rel=canonical>/<base> from the head only."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title_parts: list[str] = []
        self.canonical: str | None = None
        self.base: str | None = None
        self.lang: str | None = None
        self.oembed: str | None = None
        self._in_title = False
        self._title_done = False
        self._noscript = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._in_title:
            return  # a title is text: tags in it are not elements
        if tag == "noscript":
            self._noscript += 1
            return
        if self._noscript:
            return  # browsers read <noscript> in a head as text (tracking pixels live here)
        if tag in _BODY_ELEMENTS:
            raise _HeadDone
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "html" and self.lang is None and values.get("lang"):
            self.lang = values["lang"].strip()
        if tag == "title" and not self._title_done:
            self._in_title = True
        elif tag == "meta":
            key = (values.get("property") or values.get("name") or "").strip().lower()
            if key and "content" in values and key not in self.meta:
                self.meta[key] = values["content"]
        elif tag == "link":
            rels = values.get("rel", "").lower().split()
            if "canonical" in rels and self.canonical is None and values.get("href"):
                self.canonical = values["href"].strip()
            if ("alternate" in rels and self.oembed is None and values.get("href")
                    and values.get("type", "").strip().lower() == "application/json+oembed"):
                self.oembed = values["href"].strip()
        elif tag == "base" and self.base is None and values.get("href"):
            self.base = values["href"].strip()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "title":
            self._in_title = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "noscript" and self._noscript:
            self._noscript -= 1
        elif tag == "head":
            raise _HeadDone
        elif tag == "title" and self._in_title:
            self._in_title = False
            self._title_done = True

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)


class _TextOnly(HTMLParser):
    """Drops tags (and script/style content) from text whose ``&`` were escaped first."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def plain_text(value: str | None, limit: int) -> str:
    """Already-unescaped text -> plain text: tags stripped, whitespace collapsed, capped."""
    if not value:
        return ""
    text = value
    if _LOOKS_LIKE_TAG.search(text):
        stripper = _TextOnly()
        # The text is already unescaped: escape & so no entity is decoded twice.
        stripper.feed(text.replace("&", "&amp;"))
        stripper.close()
        text = "".join(stripper.parts)
    text = _CONTROL.sub("", text)
    text = _WS.sub(" ", text).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "\u2026"
    return text


def _http_url(candidate: str | None, base: str) -> str | None:
    if not candidate:
        return None
    candidate = candidate.strip()
    if not candidate or _FORBIDDEN_URL_CHARS.search(candidate):
        return None
    try:
        absolute = urljoin(base, candidate)
        parts = urlsplit(absolute)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return None
        if parts.username is not None or parts.password is not None:
            return None
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return None
    if len(absolute) > MAX_URL_LENGTH:
        return None
    return absolute


def _int(value: str | None, maximum: int = 100_000) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return 0
    return number if 0 <= number <= maximum else 0


def _iso8601(value: str | None) -> str | None:
    if not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        moment = moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _same_host(a: str, b: str) -> bool:
    try:
        return (urlsplit(a).hostname or "").rstrip(".") == (urlsplit(b).hostname or "").rstrip(".")
    except ValueError:
        return False


def _host_of(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def parse_html_preview(result: FetchResult) -> LinkPreview:
    """Build a preview from an HTML response's head."""
    text = decode_html(result.body, result.charset)
    parser = _HeadParser()
    try:
        parser.feed(text)
        parser.close()
    except _HeadDone:
        pass
    meta = parser.meta
    page_url = result.url
    base = _http_url(parser.base, page_url) or page_url

    def first(*keys: str) -> str | None:
        for key in keys:
            value = meta.get(key)
            if value and value.strip():
                return value
        return None

    title = plain_text(first("og:title", "twitter:title"), TITLE_MAX) or plain_text(
        "".join(parser.title_parts), TITLE_MAX
    )
    description = plain_text(
        first("og:description", "twitter:description", "description"), DESCRIPTION_MAX
    )
    image = _http_url(
        first(
            "og:image:secure_url", "og:image", "og:image:url", "twitter:image", "twitter:image:src"
        ),
        base,
    )

    canonical = page_url
    for candidate in (first("og:url"), parser.canonical):
        absolute = _http_url(candidate, base)
        if absolute and _same_host(absolute, page_url):
            canonical = absolute
            break

    og_type = (first("og:type") or "").strip().lower()
    preview_type = "video" if og_type == "video" or og_type.startswith("video.") else "link"

    site = plain_text(first("og:site_name"), NAME_MAX)
    author = first("author", "article:author")
    if author and author.strip().lower().startswith(("http://", "https://", "//")):
        author = None  # article:author is often a profile URL, not a name

    return LinkPreview(
        url=canonical,
        title=title,
        description=description,
        image=image,
        site_name=site or _host_of(canonical),
        type=preview_type,
        author_name=plain_text(author, NAME_MAX),
        provider_name=site or plain_text(first("application-name"), NAME_MAX),
        html="",
        width=_int(first("og:image:width")) if image else 0,
        height=_int(first("og:image:height")) if image else 0,
        published_at=_iso8601(first("article:published_time", "og:article:published_time")),
        image_description=plain_text(first("og:image:alt", "twitter:image:alt"), DESCRIPTION_MAX)
        if image else "",
        language=plain_text(first("og:locale") or parser.lang, 35) or None,
        # article:author, when it is a profile URL rather than a name.
        author_url=_absolute_url(first("article:author"), base),
        provider_url=_http_url(_site_url(first("og:site")), base) or "",
        player_url=_http_url(first("twitter:player"), base),
        player_width=_int(first("twitter:player:width")),
        player_height=_int(first("twitter:player:height")),
        embed_url=_http_url(first("twitter:player:stream"), base) or "",
        oembed_url=_http_url(parser.oembed, base),
    )


def _absolute_url(value: str | None, base: str) -> str:
    """An http(s) URL written in full (or scheme-relative), else ""."""
    if not value or not value.strip().lower().startswith(("http://", "https://", "//")):
        return ""
    return _http_url(value, base) or ""


def _site_url(value: str | None) -> str | None:
    """og:site is a host or a URL; a bare host is read as http:// (as Mastodon does)."""
    if not value or not value.strip():
        return None
    value = value.strip()
    return value if value.lower().startswith(("http://", "https://")) else "http://" + value


OEMBED_TYPES = frozenset({"link", "photo", "video", "rich"})
OEMBED_HTML_MAX = 64 * 1024


def _json_object(result: FetchResult) -> dict | None:
    import json

    try:
        data = json.loads(decode_html(result.body, result.charset or "utf-8"))
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def fetch_oembed(endpoint: str) -> OEmbed | None:
    """Fetch an oEmbed endpoint (JSON) under the same rules as any page; None when the answer
    is not a usable oEmbed object (a photo needs its url, a video or rich embed its html, and
    every type a known name). Raises FetchError for network and policy failures."""
    result = fetch(endpoint, accept="application/json+oembed, application/json;q=0.9",
                   truncate=False)
    try:
        data = _json_object(result)
        if data is None:
            return None
        kind = str(data.get("type") or "").strip().lower()
        if kind not in OEMBED_TYPES:
            return None

        def text(key: str, limit: int = NAME_MAX) -> str:
            value = data.get(key)
            return plain_text(value, limit) if isinstance(value, str) else ""

        def link(key: str) -> str | None:
            value = data.get(key)
            return _http_url(value, result.url) if isinstance(value, str) else None

        def size(key: str) -> int:
            value = data.get(key)
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                return 0
            return _int(str(int(value)) if isinstance(value, float) else str(value))

        html = data.get("html") if isinstance(data.get("html"), str) else ""
        if len(html) > OEMBED_HTML_MAX:
            html = ""
        photo = link("url") or ""
        if kind == "photo" and not photo:
            return None
        if kind in ("video", "rich") and not html.strip():
            return None
        return OEmbed(
            type=kind,
            title=text("title", TITLE_MAX),
            author_name=text("author_name"),
            author_url=link("author_url") or "",
            provider_name=text("provider_name"),
            provider_url=link("provider_url") or "",
            url=photo,
            thumbnail_url=link("thumbnail_url"),
            html=html,
            width=size("width"),
            height=size("height"),
        )
    except Exception as exc:  # the contract: nothing but FetchError leaves this module
        raise FetchFailed(f"could not read the oEmbed answer: {exc.__class__.__name__}") from exc


def normalise_url(url: str) -> str:
    """The URL as this module would fetch it (scheme and host lowercased, IDNA host, path
    quoted, no fragment); FetchRefused when it could never be fetched."""
    return _check_url(url).url


def _image_size(body: bytes) -> tuple[int, int]:
    """Dimensions from the image header only (never decodes pixels)."""
    try:
        from PIL import Image

        with Image.open(BytesIO(body)) as image:
            width, height = image.size
    except Exception:  # a truncated or exotic image just has unknown dimensions
        return 0, 0
    return (_int(width), _int(height))


_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def link_preview(url: str) -> LinkPreview:
    """Fetch ``url`` and describe it as a link card; raises FetchError."""
    result = fetch(url, accept="text/html,application/xhtml+xml,image/*;q=0.8,*/*;q=0.1")
    try:
        if result.content_type.startswith("image/") and result.content_type != "image/svg+xml":
            width, height = _image_size(result.body)
            return LinkPreview(
                url=result.url,
                title="",
                description="",
                image=result.url,
                site_name=_host_of(result.url),
                type="photo",
                author_name="",
                provider_name="",
                html="",
                width=width,
                height=height,
                published_at=None,
            )
        sniffed_html = result.content_type == "application/octet-stream" and result.body[
            :512
        ].lstrip().lower().startswith((b"<!doctype html", b"<html"))
        if result.content_type in _HTML_TYPES or sniffed_html:
            return parse_html_preview(result)
    except FetchError:
        raise
    except Exception as exc:  # the contract: nothing but FetchError leaves this module
        raise FetchFailed(f"could not read the page: {exc.__class__.__name__}") from exc
    raise FetchFailed(f"no preview for content type {result.content_type}")

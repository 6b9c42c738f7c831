"""Machine translation providers (DeepL, LibreTranslate) over HTTP, chosen by the environment.

The operator configures the provider with Mastodon's variables: ``DEEPL_API_KEY`` (and
``DEEPL_PLAN``, ``free`` or ``pro``) selects DeepL; otherwise ``LIBRE_TRANSLATE_ENDPOINT`` (and
``LIBRE_TRANSLATE_API_KEY``) selects LibreTranslate; with neither, translation is off.
``DEEPL_API_URL`` replaces the plan's host (a proxy, or a local server in tests).

The provider is the operator's own choice, often a LibreTranslate on the local network, so it is
called directly rather than through media/fetch.py (which refuses private addresses on behalf of
users). It is still bounded: one deadline (``TRANSLATION_TIMEOUT`` seconds) covers connecting,
sending and reading, a response stops at ``TRANSLATION_MAX_BYTES``, and redirects are not
followed. Whatever goes wrong surfaces as one of the ``TranslationError`` classes below, never as
another exception.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import socket
import ssl
import threading
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.cache import cache

LANGUAGES_TTL = 7 * 86400
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 1024 * 1024
USER_AGENT = "Duostatus translation client"


class TranslationError(Exception):
    """The provider could not translate (any reason below)."""


class QuotaExceeded(TranslationError):
    """The provider's usage quota is used up (DeepL 456, LibreTranslate 403)."""


class TooManyRequests(TranslationError):
    """The provider asks us to slow down (HTTP 429)."""


class UnexpectedResponse(TranslationError):
    """Any other failure: network, timeout, oversized or malformed answer, other status codes."""


@dataclass(frozen=True)
class Translated:
    """One translated text, with the language the provider detected (lowercase) if it said."""

    text: str
    detected_source_language: str | None
    provider: str


# --- HTTP ---------------------------------------------------------------------------------------

def _timeout() -> float:
    return float(getattr(settings, "TRANSLATION_TIMEOUT", DEFAULT_TIMEOUT))


def _max_bytes() -> int:
    return int(getattr(settings, "TRANSLATION_MAX_BYTES", DEFAULT_MAX_BYTES))


def _request(method: str, url: str, *, headers: dict[str, str] | None = None,
             body: bytes | None = None) -> tuple[int, bytes]:
    """(status code, body) of one request, within one deadline and the size cap."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnexpectedResponse(f"not an http(s) URL: {url!r}")
    timeout = _timeout()
    limit = _max_bytes()
    try:
        port = parts.port
    except ValueError as exc:
        raise UnexpectedResponse(str(exc)) from None
    if parts.scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname, port, timeout=timeout, context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    sent = {"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})}
    # Socket timeouts bound each read; the watchdog bounds the whole exchange, so a server that
    # trickles bytes cannot hold the request past the deadline.
    expired = threading.Event()

    def fire() -> None:
        expired.set()
        sock = conn.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    watchdog = threading.Timer(timeout, fire)
    watchdog.daemon = True
    started = time.monotonic()
    watchdog.start()
    try:
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        length = response.getheader("Content-Length")
        if length is not None and length.isascii() and length.isdigit() and int(length) > limit:
            raise UnexpectedResponse("response too large")
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = response.read(min(65536, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise UnexpectedResponse("response too large")
        if expired.is_set() or time.monotonic() - started > timeout:
            raise UnexpectedResponse("timed out")
        return response.status, b"".join(chunks)
    except TranslationError:
        raise
    except (OSError, http.client.HTTPException, ValueError) as exc:
        reason = "timed out" if expired.is_set() else f"{type(exc).__name__}: {exc}"
        raise UnexpectedResponse(reason) from None
    finally:
        watchdog.cancel()
        conn.close()


def _json(raw: bytes):
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise UnexpectedResponse("the answer is not JSON") from None


def _check_status(status: int, *, quota_codes: frozenset[int]) -> None:
    if status == 429:
        raise TooManyRequests("too many requests")
    if status in quota_codes:
        raise QuotaExceeded(f"quota exceeded ({status})")
    if not 200 <= status < 300:
        raise UnexpectedResponse(f"HTTP {status}")


# --- providers ----------------------------------------------------------------------------------

class Provider(ABC):
    """A translation back-end: which language pairs it knows, and translating a batch."""

    name: str

    @property
    @abstractmethod
    def identity(self) -> str:
        """What distinguishes this configuration from another (kind and address), for caches."""

    @abstractmethod
    def fetch_languages(self) -> dict[str | None, list[str]]:
        """Source language (None: detected) -> the target languages it can go to, from the
        provider itself."""

    @abstractmethod
    def translate(self, texts: list[str], source: str | None, target: str) -> list[Translated]:
        """`texts` (HTML) translated from `source` to `target`, one result per text, in order."""

    @property
    def cache_prefix(self) -> str:
        return hashlib.sha256(self.identity.encode()).hexdigest()[:16]

    def languages(self) -> dict[str | None, list[str]]:
        """fetch_languages, kept in the cache for a week (a failure is not cached)."""
        key = f"translation:languages:{self.cache_prefix}"
        found = cache.get(key)
        if found is None:
            # JSON has no None key: the "detected" source is stored under "".
            fetched = self.fetch_languages()
            found = {("" if k is None else k): v for k, v in fetched.items()}
            cache.set(key, found, LANGUAGES_TTL)
        return {(None if k == "" else k): v for k, v in found.items()}

    def _expect_results(self, texts: list[str], results: list[Translated]) -> list[Translated]:
        if len(results) != len(texts):
            raise UnexpectedResponse("the answer does not have one translation per text")
        return results


class LibreTranslate(Provider):
    """LibreTranslate: POST /translate (JSON: q, source, target, format, api_key), GET /languages.
    403 means a refused key or an exhausted quota, as Mastodon reads it."""

    name = "LibreTranslate"
    QUOTA = frozenset({403})

    def __init__(self, endpoint: str, api_key: str | None):
        self.endpoint = endpoint.rstrip("/")
        self.api_key = api_key or None

    @property
    def identity(self) -> str:
        return f"libretranslate {self.endpoint}"

    def _call(self, method: str, path: str, payload: dict | None = None):
        body = json.dumps(payload).encode() if payload is not None else None
        headers = {"Content-Type": "application/json"} if body is not None else {}
        status, raw = _request(method, self.endpoint + path, headers=headers, body=body)
        _check_status(status, quota_codes=self.QUOTA)
        return _json(raw)

    def fetch_languages(self) -> dict[str | None, list[str]]:
        data = self._call("GET", "/languages")
        if not isinstance(data, list):
            raise UnexpectedResponse("languages: not a list")
        languages: dict[str | None, list[str]] = {}
        for entry in data:
            if not isinstance(entry, dict) or not isinstance(entry.get("code"), str):
                raise UnexpectedResponse("languages: malformed entry")
            targets = entry.get("targets", [])
            if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
                raise UnexpectedResponse("languages: malformed targets")
            languages[entry["code"]] = [t for t in targets if t != entry["code"]]
        languages[None] = sorted({t for targets in languages.values() for t in targets})
        return languages

    def translate(self, texts: list[str], source: str | None, target: str) -> list[Translated]:
        payload = {"q": texts, "source": source or "auto", "target": target, "format": "html",
                   "api_key": self.api_key}
        data = self._call("POST", "/translate", payload)
        if not isinstance(data, dict) or not isinstance(data.get("translatedText"), list):
            raise UnexpectedResponse("translate: no list of translations")
        detected = data.get("detectedLanguage")
        results = []
        for index, text in enumerate(data["translatedText"]):
            if not isinstance(text, str):
                raise UnexpectedResponse("translate: a translation is not text")
            language = source
            if isinstance(detected, list) and index < len(detected):
                entry = detected[index]
                if isinstance(entry, dict) and isinstance(entry.get("language"), str):
                    language = entry["language"]
            results.append(Translated(text=text, detected_source_language=language,
                                      provider=self.name))
        return self._expect_results(texts, results)


def _deepl_language(code: str) -> str:
    """DeepL's `EN-GB` as Mastodon writes languages: `en-GB`."""
    base, _, rest = code.replace("_", "-").partition("-")
    return f"{base.lower()}-{rest.upper()}" if rest else base.lower()


class DeepL(Provider):
    """DeepL: POST /v2/translate (form: text[], source_lang, target_lang, tag_handling=html),
    GET /v2/languages?type=source|target, `Authorization: DeepL-Auth-Key`. 456 is the quota."""

    name = "DeepL.com"
    QUOTA = frozenset({456})
    FREE_URL = "https://api-free.deepl.com"
    PRO_URL = "https://api.deepl.com"

    def __init__(self, plan: str, api_key: str, base_url: str | None = None):
        self.plan = plan or "free"
        self.api_key = api_key
        default = self.FREE_URL if self.plan == "free" else self.PRO_URL
        self.base_url = (base_url or default).rstrip("/")

    @property
    def identity(self) -> str:
        return f"deepl {self.base_url} {self.plan}"

    def _call(self, method: str, path: str, form: list[tuple[str, str]] | None = None):
        headers = {"Authorization": f"DeepL-Auth-Key {self.api_key}"}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        status, raw = _request(method, self.base_url + path, headers=headers, body=body)
        _check_status(status, quota_codes=self.QUOTA)
        return _json(raw)

    def _fetch(self, kind: str) -> list[str]:
        data = self._call("GET", f"/v2/languages?type={kind}")
        if not isinstance(data, list) or not all(
                isinstance(e, dict) and isinstance(e.get("language"), str) for e in data):
            raise UnexpectedResponse("languages: malformed list")
        return [_deepl_language(entry["language"]) for entry in data]

    def fetch_languages(self) -> dict[str | None, list[str]]:
        sources: list[str | None] = [None, *self._fetch("source")]
        # DeepL lists EN and PT as targets only by region (EN-GB, PT-BR...), yet accepts them.
        targets = ["en", "pt", *self._fetch("target")]
        unique = list(dict.fromkeys(targets))
        return {source: [t for t in unique if t != source] for source in sources}

    def translate(self, texts: list[str], source: str | None, target: str) -> list[Translated]:
        form = [("text", text) for text in texts]
        if source:
            form.append(("source_lang", source.upper()))
        form += [("target_lang", target), ("tag_handling", "html")]
        data = self._call("POST", "/v2/translate", form)
        if not isinstance(data, dict) or not isinstance(data.get("translations"), list):
            raise UnexpectedResponse("translate: no list of translations")
        results = []
        for entry in data["translations"]:
            if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
                raise UnexpectedResponse("translate: malformed translation")
            detected = entry.get("detected_source_language")
            results.append(Translated(
                text=entry["text"],
                detected_source_language=detected.lower() if isinstance(detected, str) else None,
                provider=self.name,
            ))
        return self._expect_results(texts, results)


def configured() -> Provider | None:
    """The provider the environment selects (DeepL first, as Mastodon), or None."""
    deepl_key = getattr(settings, "DEEPL_API_KEY", "") or ""
    if deepl_key:
        return DeepL(getattr(settings, "DEEPL_PLAN", "free") or "free", deepl_key,
                     getattr(settings, "DEEPL_API_URL", "") or None)
    endpoint = getattr(settings, "LIBRE_TRANSLATE_ENDPOINT", "") or ""
    if endpoint:
        return LibreTranslate(endpoint, getattr(settings, "LIBRE_TRANSLATE_API_KEY", "") or None)
    return None


def is_configured() -> bool:
    return configured() is not None

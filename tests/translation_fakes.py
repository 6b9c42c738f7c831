"""Local LibreTranslate and DeepL servers for the tests: threaded `http.server`s on 127.0.0.1 that
speak each provider's real protocol (paths, auth, form or JSON fields, answers, error codes).

They translate with a small word list, text between tags only (and not inside an element
marked translate="no", as the real services), so HTML comes back as it went out ("<p>Hola <a href=...>mundo</a></p>" -> "<p>Hello <a href=...>world</a></p>"). Each can be
told to answer an HTTP status, malformed or oversized bodies, or to hang, for its translate or
its languages route; every request is recorded.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

WORDS = {
    "en": {"hola": "hello", "mundo": "world", "gato": "cat", "foto": "photo", "de": "of",
           "un": "a", "cuidado": "careful", "si": "yes", "perro": "dog", "y": "and",
           "hallo": "hello", "welt": "world", "editado": "edited"},
    "de": {"hola": "hallo", "mundo": "Welt", "gato": "Katze", "foto": "Foto", "hello": "hallo",
           "world": "Welt", "perro": "Hund"},
    "pt": {"hola": "olá", "mundo": "mundo", "gato": "gato"},
    "pt-BR": {"hola": "oi", "mundo": "mundo", "gato": "gato"},
}
_WORD = re.compile(r"\w+", re.UNICODE)


def fake_translate(text: str, target: str) -> str:
    """Words of the list replaced in the text between tags; tags and entities untouched."""
    words = WORDS.get(target) or WORDS.get(target.split("-")[0].lower(), {})

    def word(match: re.Match) -> str:
        found = words.get(match.group().lower())
        if found is None:
            return match.group()
        return found.capitalize() if match.group()[0].isupper() else found

    # Like the real services, text inside an element marked translate="no" is left alone.
    out, quiet = [], [False]
    for piece in re.split(r"(<[^>]*>|&\w+;|&#\d+;)", text):
        if piece.startswith("</"):
            if len(quiet) > 1:
                quiet.pop()
            out.append(piece)
        elif piece.startswith("<"):
            name = re.match(r"<\s*(\w*)", piece).group(1).lower()
            if name not in ("br", "img", "hr") and not piece.endswith("/>"):
                quiet.append(quiet[-1] or 'translate="no"' in piece)
            out.append(piece)
        elif piece.startswith("&") or quiet[-1]:
            out.append(piece)
        else:
            out.append(_WORD.sub(word, piece))
    return "".join(out)


@dataclass
class Recorded:
    method: str
    path: str
    query: dict
    headers: dict
    body: object


@dataclass
class FakeProvider:
    """Base of both fakes. `translate_answer` / `languages_answer`: None (a normal answer), an
    int (that HTTP status), "hang", "garbage" (not JSON), "huge" (over any cap), "short" (one
    translation too few), "evil" (HTML a provider must not be trusted with)."""

    api_key: str = "fake-key"
    translate_answer: object = None
    languages_answer: object = None
    requests: list[Recorded] = field(default_factory=list)

    def __post_init__(self):
        self._release = threading.Event()
        self._server: ThreadingHTTPServer | None = None

    # --- life ------------------------------------------------------------------------------
    def start(self) -> FakeProvider:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                fake._handle(self, "GET")

            def do_POST(self):
                fake._handle(self, "POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True,
                         name=f"fake-{type(self).__name__}").start()
        return self

    def stop(self) -> None:
        self._release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def calls(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]

    # --- answering -------------------------------------------------------------------------
    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        content_type = (handler.headers.get("Content-Type") or "").split(";")[0].strip()
        if content_type == "application/json":
            body: object = json.loads(raw or b"null")
        elif content_type == "application/x-www-form-urlencoded":
            body = parse_qs(raw.decode(), keep_blank_values=True)
        else:
            body = raw
        record = Recorded(method, parts.path, parse_qs(parts.query), dict(handler.headers), body)
        self.requests.append(record)
        status, answer = self.answer(record)
        if answer == "hang":
            self._release.wait(30)
            return
        if answer == "garbage":
            self._send(handler, 200, b"<html>not json</html>", "text/html")
            return
        if answer == "huge":
            self._send(handler, 200, b'{"x": "' + b"a" * (3 * 1024 * 1024) + b'"}')
            return
        self._send(handler, status, json.dumps(answer).encode())

    @staticmethod
    def _send(handler, status: int, payload: bytes, content_type="application/json") -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        try:
            handler.wfile.write(payload)
        except OSError:
            pass

    def _override(self, setting, normal):
        """The answer a route was told to give instead of `normal` (status, body)."""
        if setting is None:
            return normal
        if isinstance(setting, int):
            return setting, {"error": f"told to answer {setting}", "message": "fake"}
        return 200, setting

    def answer(self, record: Recorded) -> tuple[int, object]:
        raise NotImplementedError


class FakeLibreTranslate(FakeProvider):
    """POST /translate with a JSON body {q, source, target, format, api_key}; GET /languages."""

    LANGUAGES = [
        {"code": "en", "name": "English", "targets": ["de", "en", "es", "fr", "pt"]},
        {"code": "es", "name": "Spanish", "targets": ["de", "en", "es", "pt"]},
        {"code": "de", "name": "German", "targets": ["de", "en", "es"]},
        {"code": "pt", "name": "Portuguese", "targets": ["en", "es", "pt"]},
    ]

    def answer(self, record):
        if record.method == "GET" and record.path == "/languages":
            return self._override(self.languages_answer, (200, self.LANGUAGES))
        if record.method == "POST" and record.path == "/translate":
            body = record.body
            if not isinstance(body, dict) or not isinstance(body.get("q"), list):
                return 400, {"error": "Invalid request: missing q parameter"}
            if self.api_key and body.get("api_key") != self.api_key:
                return 403, {"error": "Invalid API key"}
            if body.get("format") != "html" or not body.get("target"):
                return 400, {"error": "Invalid request"}
            texts = [fake_translate(q, body["target"]) for q in body["q"]]
            normal = {"translatedText": texts}
            if body.get("source") == "auto":
                normal["detectedLanguage"] = [{"confidence": 90.0, "language": "es"}
                                              for _ in texts]
            if self.translate_answer == "short":
                return 200, {"translatedText": texts[:-1]}
            if self.translate_answer == "evil":
                return 200, {"translatedText": [EVIL for _ in texts]}
            return self._override(self.translate_answer, (200, normal))
        return 404, {"error": "Not Found"}


class FakeDeepL(FakeProvider):
    """POST /v2/translate (form: text (repeated), source_lang, target_lang, tag_handling) and
    GET /v2/languages?type=source|target, all behind `Authorization: DeepL-Auth-Key <key>`."""

    SOURCES = ["DE", "EN", "ES", "FR", "PT"]
    TARGETS = ["DE", "EN-GB", "EN-US", "ES", "FR", "PT-BR", "PT-PT"]

    def answer(self, record):
        if record.headers.get("Authorization") != f"DeepL-Auth-Key {self.api_key}":
            return 403, {"message": "Authorization failure, check auth_key"}
        if record.method == "GET" and record.path == "/v2/languages":
            kind = (record.query.get("type") or ["source"])[0]
            names = self.SOURCES if kind == "source" else self.TARGETS
            normal = [{"language": code, "name": code.title()} for code in names]
            if kind == "target":
                for entry in normal:
                    entry["supports_formality"] = False
            return self._override(self.languages_answer, (200, normal))
        if record.method == "POST" and record.path == "/v2/translate":
            form = record.body if isinstance(record.body, dict) else {}
            texts = form.get("text")
            target = (form.get("target_lang") or [""])[0]
            if not texts or not target:
                return 400, {"message": "Value for 'target_lang' not supported."}
            source = (form.get("source_lang") or ["ES"])[0]
            translations = [{"detected_source_language": source.upper(),
                             "text": fake_translate(t, target)} for t in texts]
            if self.translate_answer == "short":
                return 200, {"translations": translations[:-1]}
            if self.translate_answer == "evil":
                return 200, {"translations": [{"detected_source_language": "ES", "text": EVIL}
                                              for _ in texts]}
            return self._override(self.translate_answer, (200, {"translations": translations}))
        return 404, {"message": "Not found"}


EVIL = ('<p onclick="steal()">Hello <script>alert(1)</script><img src=x onerror=alert(2)>'
        '<a href="javascript:alert(3)">x</a><a href="https://ok.example" class="evil mention">'
        'ok</a><iframe src="https://bad.example"></iframe></p>')

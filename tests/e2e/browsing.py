"""What the browser tests of real web clients share besides fixtures (tests/e2e/conftest.py):
the record of a browser session's requests and sockets, README's "missing" rows, evidence of a
failed step, and waiting for the server's rows."""

from __future__ import annotations

import contextlib
import io
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.core.management import call_command

from tests.config.live import BASE_DIR
from tests.e2e.tls import ONE_AT_A_TIME

README = BASE_DIR / "README.md"
# The streams' channel layer (Redis pub/sub ignores the database number: the prefix, one per
# test, is what keeps other runs' events apart).
STREAMING_REDIS = "redis://127.0.0.1:6379/8"


def allow_list(routes: dict[str, str]) -> Callable[[str], str | None]:
    """A path's README row when `routes` (a path or path prefix -> its README row) lists it."""

    def allowed(path: str) -> str | None:
        for prefix, row in routes.items():
            if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
                return row
        return None

    return allowed


@dataclass
class Session:
    """Every request the browser sent to the server under test: (method, path, status); the
    WebSockets it opened there (or at the streaming server) and their frames; and uncaught
    page errors. `allowed(path)` names the README row of a route that may fail."""

    origin: str
    streaming: str
    allowed: Callable[[str], str | None] = lambda path: None
    seen: list[tuple[str, str, int]] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)
    sockets: list[tuple[str, str]] = field(default_factory=list)
    frames: list[str] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)
    hosts: set[str] = field(default_factory=set)

    def __post_init__(self):
        self.hosts |= {urlsplit(self.origin).netloc, urlsplit(self.streaming).netloc}

    def record(self, response) -> None:
        if response.url.startswith(self.origin):
            request = response.request
            self.seen.append((request.method, urlsplit(response.url).path, response.status))

    def record_socket(self, socket) -> None:
        if urlsplit(socket.url).netloc in self.hosts:
            path = urlsplit(socket.url).path
            self.opened.append(socket.url.split("?")[0])
            socket.on("socketerror", lambda error: self.sockets.append((path, str(error))))
            socket.on("framereceived", lambda frame: self.frames.append(str(frame)))

    def wait_for_event(self, event: str, status_id: str, page, timeout: float = 20) -> dict:
        """The first frame of Mastodon's stream carrying `event` about `status_id` (decoded),
        once it has arrived."""
        deadline = time.monotonic() + timeout
        while True:
            for frame in list(self.frames):
                with contextlib.suppress(ValueError):
                    message = json.loads(frame)
                    if message.get("event") != event:
                        continue
                    # A delete's payload is the id; the other events' a status's JSON.
                    payload = message.get("payload")
                    if payload == status_id or (event != "delete"
                                                and json.loads(payload).get("id") == status_id):
                        return message
            assert time.monotonic() < deadline, f"no {event} of {status_id} reached the stream"
            page.wait_for_timeout(200)

    def failures(self) -> list[tuple[str, str, int]]:
        """The requests that answered 404 or 5xx on a route not allowed to, each once."""
        return sorted({(method, path, status) for method, path, status in self.seen
                       if (status == 404 or status >= 500) and self.allowed(path) is None})

    def socket_failures(self) -> list[tuple[str, str]]:
        return [(path, error) for path, error in self.sockets if self.allowed(path) is None]


def readme_rows() -> dict[str, str]:
    """README's endpoint tables: "`METHOD path`" -> its status cell (done, missing, ...)."""
    rows = {}
    for line in README.read_text().splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) > 3 and cells[1].startswith("`"):
            rows[cells[1]] = cells[2]
    return rows


def evidence(page, directory: Path) -> None:
    """The page as it was when a step failed: `failed.html` and `failed.png`."""
    try:
        (directory / "failed.html").write_text(page.content())
        page.screenshot(path=str(directory / "failed.png"))
    except Exception:  # noqa: BLE001 - the page may be gone; evidence is best effort
        pass


def token_for(username: str, *extra: str) -> str:
    """A working access token of `username` (create_token: a first-party app's)."""
    out = io.StringIO()
    with ONE_AT_A_TIME:
        call_command("create_token", username, *extra, stdout=out)
    return out.getvalue().strip()


def mastodon_py(instance: str, username: str, certificate: Path):
    """A Mastodon.py client of `username` (a token printed by create_token) that trusts the
    test's self-signed certificate (and no CA bundle the environment names)."""
    import requests
    from mastodon import Mastodon

    session = requests.Session()
    session.trust_env = False
    session.verify = str(certificate)
    return Mastodon(api_base_url=instance, access_token=token_for(username), session=session)


def wait_for_row(query, timeout: float = 10.0):
    """The first row of `query` once the server has committed it."""
    deadline = time.monotonic() + timeout
    while True:
        with ONE_AT_A_TIME:
            row = query.first()
        if row is not None or time.monotonic() > deadline:
            return row
        time.sleep(0.1)

"""A live streaming server for end-to-end tests: daphne serving config.asgi (the API and the
streaming routes, as `manage.py runserver` does) in a thread of the test process, so it reads
the test database. Twisted's reactor runs once per process: the server is started once and
kept for the session.

As Django's live server thread does, the server's database work uses the test's own connection:
all of it runs in asgiref's one thread for thread-sensitive code, which is given that connection,
so SQLite's shared in-memory database sees no second connection holding table locks."""

import asyncio
import contextlib
import socket
import threading
import time
from pathlib import Path

_SERVER: dict = {}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _share_connection() -> None:
    from asgiref.sync import sync_to_async
    from django.db import connections
    from twisted.internet import reactor

    connection = connections["default"]
    if _SERVER.get("shared") is not connection:
        connection.inc_thread_sharing()
        _SERVER["shared"] = connection

    def adopt():
        connections["default"] = connection

    asyncio.run_coroutine_threadsafe(sync_to_async(adopt)(),
                                     reactor._asyncioEventloop).result(10)


def streaming_server_url() -> str:
    """The http://127.0.0.1:<port> of the session's daphne, started on first use."""
    if "url" in _SERVER:
        _share_connection()
        return _SERVER["url"]
    from daphne.endpoints import build_endpoint_description_strings
    from daphne.server import Server

    from config.asgi import application

    port = _free_port()
    server = Server(application=application,
                    endpoints=build_endpoint_description_strings(host="127.0.0.1", port=port),
                    signal_handlers=False, verbosity=0)
    thread = threading.Thread(target=server.run, name="daphne", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.1)
    else:
        raise RuntimeError("daphne did not start listening")
    _SERVER["url"] = f"http://127.0.0.1:{port}"
    _SERVER["server"] = server
    _share_connection()
    return _SERVER["url"]


def tls_endpoint_files(cert: Path, key: Path) -> str:
    """The key and certificate options of a Twisted `ssl:` endpoint description (a colon or a
    backslash in a path escaped, as the description's syntax wants)."""
    def escaped(path: Path) -> str:
        return str(path).replace("\\", "\\\\").replace(":", "\\:")

    return f"privateKey={escaped(key)}:certKey={escaped(cert)}"


@contextlib.contextmanager
def streaming_server_tls(cert: Path, key: Path, port: int = 0):
    """The session's daphne (started if need be) also listening over TLS with this certificate
    on `port` (any free one by default) until the block ends; yields that port. (The reactor runs once per
    process, so a test that needs TLS adds a listener to it rather than starting a server.)"""
    from twisted.internet import reactor
    from twisted.internet.endpoints import serverFromString
    from twisted.internet.threads import blockingCallFromThread

    streaming_server_url()
    server = _SERVER["server"]
    description = f"ssl:{port}:interface=127.0.0.1:{tls_endpoint_files(cert, key)}"
    listening = blockingCallFromThread(
        reactor, lambda: serverFromString(reactor, description).listen(server.http_factory))
    try:
        yield listening.getHost().port
    finally:
        blockingCallFromThread(reactor, listening.stopListening)

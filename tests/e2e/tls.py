"""Servers over TLS for the browser tests of real web clients: a self-signed certificate for
127.0.0.1, a static file server for a built client, and the server under test (gunicorn on
PostgreSQL, an in-process WSGI server on SQLite's in-memory test database) with its streaming
API (daphne over TLS in a subprocess; on SQLite, tests/streaming/live.py's in-process daphne)."""

from __future__ import annotations

import contextlib
import datetime
import functools
import ipaddress
import ssl
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.config.live import BASE_DIR, free_port, stop, wait_for_port

# On SQLite's in-memory test database the in-process server and the test share one connection:
# the server answers one request at a time under this lock, and the test reads the database
# under it too, so that no read lands inside a request's transaction.
ONE_AT_A_TIME = threading.Lock()


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """(certificate, key) PEM files for 127.0.0.1 and localhost, valid for a day."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
            critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return cert_path, key_path


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


class _TLSListener:
    """A socketserver whose listening socket speaks TLS. The handshake runs in the request's
    own thread, not in the accept loop: a browser's speculative connection that never says
    hello must not stall every other one."""

    def wrap_listener(self, context: ssl.SSLContext) -> None:
        self.socket = context.wrap_socket(self.socket, server_side=True,
                                          do_handshake_on_connect=False)

    def process_request_thread(self, request, client_address):
        try:
            request.settimeout(15)
            request.do_handshake()
            request.settimeout(None)
        except (OSError, ssl.SSLError):
            self.shutdown_request(request)
            return
        super().process_request_thread(request, client_address)


class _QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class _StaticServer(_TLSListener, ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser drops connections it no longer needs (a reset, a TLS close): not an error.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def static_files(directory: Path, context: ssl.SSLContext):
    """Serve `directory` over https on a free port; yields its origin."""
    server = _StaticServer(("127.0.0.1", 0),
                           functools.partial(_QuietFiles, directory=str(directory)))
    server.wrap_listener(context)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def gunicorn_tls(env: dict[str, str], port: int, cert: Path, key: Path, log):
    """gunicorn serving config.wsgi over TLS on `port` (two workers of four threads: a web
    client sends its requests in parallel)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", "2", "--threads", "4",
         "-b", f"127.0.0.1:{port}", "--certfile", str(cert), "--keyfile", str(key),
         "--log-level", "warning"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=log)
    try:
        wait_for_port(port, process)
        yield f"https://127.0.0.1:{port}"
    finally:
        stop(process)


@contextlib.contextmanager
def daphne_tls(env: dict[str, str], port: int, cert: Path, key: Path, log):
    """daphne serving config.asgi (Mastodon's streaming API) over TLS on `port` with the same
    certificate (Twisted's `ssl:` endpoint: pyOpenSSL and service_identity); yields its wss://
    origin, the instance's `urls.streaming`."""
    from tests.streaming.live import tls_endpoint_files

    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-v", "1", "-e",
         f"ssl:{port}:interface=127.0.0.1:{tls_endpoint_files(cert, key)}",
         "config.asgi:application"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=log)
    try:
        wait_for_port(port, process)
        yield f"wss://127.0.0.1:{port}"
    finally:
        stop(process)


@contextlib.contextmanager
def django_tls(port: int, context: ssl.SSLContext):
    """The project served over TLS from this process, on SQLite's in-memory test database
    (which no other process can open). Requests are served one at a time (ONE_AT_A_TIME): they
    share the test's one connection, and two transactions cannot interleave on it."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.db import connections
    from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler

    class Server(_TLSListener, ThreadedWSGIServer):
        def set_app(self, application):
            def one_at_a_time(environ, start_response):
                with ONE_AT_A_TIME:
                    return application(environ, start_response)

            super().set_app(one_at_a_time)

    class Thread(LiveServerThread):
        def _create_server(self, connections_override=None):
            server = Server((self.host, self.port), QuietWSGIRequestHandler,
                            allow_reuse_address=False, connections_override=connections_override)
            server.wrap_listener(context)
            server.base_environ["HTTPS"] = "on"  # wsgi.url_scheme, as behind gunicorn's TLS
            return server

    shared = {conn.alias: conn for conn in connections.all()
              if conn.vendor == "sqlite" and conn.is_in_memory_db()}
    for conn in shared.values():
        conn.inc_thread_sharing()
    thread = Thread("127.0.0.1", StaticFilesHandler, connections_override=shared, port=port)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield f"https://127.0.0.1:{port}"
    finally:
        thread.terminate()
        for conn in shared.values():
            conn.dec_thread_sharing()


__all__ = ["ONE_AT_A_TIME", "daphne_tls", "django_tls", "free_port", "gunicorn_tls", "self_signed_certificate",
           "server_context", "static_files"]

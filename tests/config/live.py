"""Real servers for the serving tests: a gunicorn (or `config.serve`) subprocess on a free port,
plain HTTP calls to it, and a TCP proxy that can be stopped to cut the database off."""

import contextlib
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def redis_up(host: str = "127.0.0.1", port: int = 6379) -> bool:
    """Whether a Redis listens there (CI starts one; the tests that need it skip otherwise)."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(settings_dict: dict, *, host: str | None = None, port: int | None = None) -> str:
    """A DATABASE_URL for the test database (pytest-django's), optionally through another port."""
    user = settings_dict.get("USER") or ""
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = host or settings_dict.get("HOST") or "127.0.0.1"
    port = port or settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


def server_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", "ACCESS_LOG": "",
                "GUNICORN_LOG_LEVEL": "warning", "LOG_LEVEL": "CRITICAL"})
    env.update(overrides)
    return env


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listened on {port} within {timeout} s")


def stop(process: subprocess.Popen, timeout: float = 20) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int = 1):
    """gunicorn serving config.wsgi with `env`; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", str(workers),
         "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=BASE_DIR, env=env)
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def call(url: str, method: str = "GET", *, token: str | None = None, body=None,
         form: dict | None = None, timeout: float = 20):
    """(status, headers, decoded body) of one request; JSON bodies come back decoded."""
    headers = {}
    data = None
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    elif form is not None:
        from urllib.parse import urlencode

        data = urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, head, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, head, raw = error.code, error.headers, error.read()
    if head.get("Content-Type", "").startswith("application/json"):
        return status, head, json.loads(raw)
    return status, head, raw.decode("utf-8", "replace")


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a target. `stop()` closes the listener and every connection
    through it, as a database going away would; `start()` listens on the same port again.

    `freeze()` is a database whose processes are stopped (SIGSTOP) while its kernel goes on: no
    byte moves either way, every socket stays open (what is sent waits in the kernel's buffers
    and is acknowledged), and new connections are still accepted, their bytes held too.
    `thaw()` lets everything held flow again, as SIGCONT would."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._flow = threading.Condition()
        self._frozen = False
        self._moving = 0  # pumps between their check of `_frozen` and the end of their forwarding

    def freeze(self) -> None:
        """Stop forwarding; returns once no byte is in flight through the proxy."""
        with self._flow:
            self._frozen = True
            while self._moving:
                self._flow.wait()

    def thaw(self) -> None:
        with self._flow:
            self._frozen = False
            self._flow.notify_all()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(0.2)
        self._listener = listener
        self._thread = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        self._thread.start()

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, 5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.update({client, upstream})
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        selector = selectors.DefaultSelector()
        selector.register(a, selectors.EVENT_READ, b)
        selector.register(b, selectors.EVENT_READ, a)
        try:
            while True:
                with self._flow:
                    while self._frozen:
                        self._flow.wait()
                    self._moving += 1
                try:
                    for key, _ in selector.select(timeout=0.1):
                        data = key.fileobj.recv(65536)
                        if not data:
                            return
                        key.data.sendall(data)
                finally:
                    with self._flow:
                        self._moving -= 1
                        self._flow.notify_all()
        except (OSError, ValueError):
            return
        finally:
            selector.close()
            for sock in (a, b):
                self._close(sock)

    def _close(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            sock.close()

    def stop(self) -> None:
        self.thaw()  # frozen pumps wake up, find their sockets closed and end
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        if self._thread is not None:
            self._thread.join(5)
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            self._close(sock)

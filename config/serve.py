"""`python -m config.serve` (`make serve`): gunicorn, the streaming server and the
background-task workers, started together and stopped together.

gunicorn runs with config/gunicorn.conf.py (WORKERS, BIND or HOST/PORT). Beside it run the
streaming server (daphne on config.asgi, Mastodon's streaming API, on HOST:STREAMING_PORT; none
with STREAMING=0) and DB_WORKERS (default 1) `manage.py db_worker` processes. SIGTERM or SIGINT (Ctrl-C) stops them all:
each child gets one SIGTERM (gunicorn finishes its requests, a db_worker its task), and whatever
is still running after GRACE seconds (default 30) is killed. A db_worker that dies (a database
outage makes it exit), or the streaming server, is started again after a pause; when gunicorn itself exits, everything
stops and this process exits with its code.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESTART_PAUSE = 2.0


def _log(message: str) -> None:
    print(f"[serve] {message}", file=sys.stderr, flush=True)


def _die_with_parent() -> None:
    """In the child before exec: its own process group (Ctrl-C reaches only this supervisor,
    which stops each child once), and on Linux a SIGTERM should this supervisor die unannounced
    (SIGKILL), so no worker outlives it."""
    os.setpgrp()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except OSError:
            pass


def _start(argv: list[str]) -> subprocess.Popen:
    return subprocess.Popen(argv, cwd=BASE_DIR, preexec_fn=_die_with_parent)  # noqa: PLW1509


def gunicorn_argv() -> list[str]:
    return [sys.executable, "-m", "gunicorn", "-c", str(BASE_DIR / "config" / "gunicorn.conf.py")]


def streaming_argv() -> list[str]:
    """daphne on config.asgi at HOST:STREAMING_PORT (default 127.0.0.1:4000)."""
    return [sys.executable, "-m", "daphne", "--bind", os.environ.get("HOST", "127.0.0.1"),
            "--port", os.environ.get("STREAMING_PORT", "4000"), "--proxy-headers",
            "config.asgi:application"]


def worker_argv() -> list[str]:
    return [sys.executable, str(BASE_DIR / "manage.py"), "db_worker"]


def main() -> int:
    task_workers = int(os.environ.get("DB_WORKERS", "1"))
    grace = float(os.environ.get("GRACE", "30"))
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    server = _start(gunicorn_argv())
    # The streaming server is kept alive like a db_worker: (argv, process) pairs.
    helpers = [(worker_argv, _start(worker_argv())) for _ in range(task_workers)]
    if os.environ.get("STREAMING", "1") != "0":
        helpers.append((streaming_argv, _start(streaming_argv())))
    workers = [process for _, process in helpers]
    _log(f"gunicorn pid {server.pid}, helper pids {[w.pid for w in workers]} "
         f"({task_workers} db_worker, then the streaming server)")
    restart_at: dict[int, float] = {}
    code = 0
    while not stopping:
        time.sleep(0.2)
        if server.poll() is not None:
            code = server.returncode
            _log(f"gunicorn exited with {code}; stopping the workers")
            break
        now = time.monotonic()
        for index, worker in enumerate(workers):
            if worker.poll() is None:
                continue
            argv = helpers[index][0]
            if index not in restart_at:
                _log(f"{argv.__name__[:-5]} {worker.pid} exited with {worker.returncode}; "
                     f"restarting in {RESTART_PAUSE:.0f} s")
                restart_at[index] = now + RESTART_PAUSE
            elif now >= restart_at[index]:
                del restart_at[index]
                workers[index] = _start(argv())
                _log(f"{argv.__name__[:-5]} restarted as pid {workers[index].pid}")

    children = [server, *workers]
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace
    for child in children:
        try:
            child.wait(timeout=max(deadline - time.monotonic(), 0))
        except subprocess.TimeoutExpired:
            _log(f"pid {child.pid} still running after {grace:.0f} s; killing it")
            child.kill()
            child.wait()
    _log("stopped")
    return code


if __name__ == "__main__":
    sys.exit(main())

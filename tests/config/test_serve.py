"""`python -m config.serve` (`make serve`): gunicorn with WORKERS sync workers, WhiteNoise serving
the collected static files, and a db_worker that runs tasks, restarts when it dies and stops
with the rest; and config/gunicorn.conf.py's worker count."""

import os
import runpy
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.config.live import (
    BASE_DIR,
    call,
    database_url,
    free_port,
    server_env,
    stop,
    wait_for_port,
)

CONF = BASE_DIR / "config" / "gunicorn.conf.py"


def _conf(monkeypatch, **env) -> dict:
    for name in ("WORKERS", "BIND", "HOST", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_workers_default_to_two_per_cpu_plus_one(monkeypatch):
    conf = _conf(monkeypatch)
    assert conf["workers"] == 2 * len(os.sched_getaffinity(0)) + 1
    assert conf["bind"] == "127.0.0.1:8000"
    assert conf["wsgi_app"] == "config.wsgi:application"


def test_workers_and_address_come_from_the_environment(monkeypatch):
    conf = _conf(monkeypatch, WORKERS="3", HOST="0.0.0.0", PORT="9000")
    assert (conf["workers"], conf["bind"]) == (3, "0.0.0.0:9000")
    assert _conf(monkeypatch, BIND="unix:/run/duostatus.sock")["bind"] == "unix:/run/duostatus.sock"


def _children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of the live children of `pid`, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append((int(entry.name), cmdline))
    return found


def _wait(predicate, timeout: float = 20, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(connection.vendor != "postgresql" or not sys.platform.startswith("linux"),
                    reason="the server's processes share the test database (PostgreSQL), "
                           "found through /proc (Linux)")
@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_serve_runs_gunicorn_and_a_db_worker_and_stops_them_together(tmp_path):
    from django_tasks_db.models import DBTaskResult

    from media.tasks import prune_unattached_media

    port, streaming_port = free_port(), free_port()
    env = server_env(DATABASE_URL=database_url(connection.settings_dict), WORKERS="1",
                     DB_WORKERS="1", PORT=str(port), STREAMING_PORT=str(streaming_port),
                     STATIC_MANIFEST="1",
                     STATIC_ROOT=str(tmp_path / "static"), GRACE="15")
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                   cwd=BASE_DIR, env=env, check=True, timeout=120)
    server = subprocess.Popen([sys.executable, "-m", "config.serve"], cwd=BASE_DIR, env=env)
    try:
        wait_for_port(port, server)
        url = f"http://127.0.0.1:{port}"
        status, _, body = call(url + "/health")
        assert (status, body["status"]) == (200, "ok")

        children = _children(server.pid)
        masters = [pid for pid, cmd in children if "gunicorn" in cmd]
        task_workers = [pid for pid, cmd in children if cmd.endswith("manage.py db_worker")]
        assert len(masters) == 1 and len(task_workers) == 1, children
        # The streaming server (daphne on config.asgi) answers beside gunicorn.
        assert [cmd for _, cmd in children if "daphne" in cmd], children
        wait_for_port(streaming_port, server)
        with urllib.request.urlopen(
                f"http://127.0.0.1:{streaming_port}/api/v1/streaming/health", timeout=10) as r:
            assert (r.status, r.read()) == (200, b"OK")
        assert len(_wait(lambda: _children(masters[0]), what="a gunicorn worker")) == 1

        # WhiteNoise serves the compressed, hashed copy that collectstatic made, for a year.
        css = next((tmp_path / "static" / "admin" / "css").glob("base.*.css"))
        status, headers, _ = call(f"{url}/static/admin/css/{css.name}")
        assert status == 200
        assert "immutable" in headers["Cache-Control"]

        # The db_worker runs what the app enqueues...
        result = prune_unattached_media.enqueue()
        _wait(lambda: DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL",
              what="the task to run")

        # ...and is started again when it dies.
        os.kill(task_workers[0], signal.SIGKILL)
        replaced = _wait(lambda: [pid for pid, cmd in _children(server.pid)
                                  if cmd.endswith("manage.py db_worker")
                                  and pid != task_workers[0]], what="a new db_worker")
        assert len(replaced) == 1

        everyone = [masters[0], replaced[0], *[pid for pid, _ in _children(masters[0])]]
        assert stop(server, timeout=30) == 0
        for pid in everyone:
            _wait(lambda pid=pid: not _alive(pid), timeout=5, what=f"pid {pid} to exit")
    finally:
        if server.poll() is None:
            stop(server)

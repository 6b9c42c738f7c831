"""bench/soak.py (`make soak`) in its quick form, so that the tool cannot rot: the production
server on a database of its own, both dialects' reads and writes from many accounts, no 5xx,
every request answered, and check_counters passing afterwards; and its refusal of anything not
on this machine."""

import json
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from django.db import connection

from bench import soak
from tests.config.live import BASE_DIR, database_url, server_env


def test_soak_refuses_a_database_on_another_machine():
    args = soak.parse_args(["--database-url", "postgres://u@db.example.com:5432/duostatus_soak"])
    with pytest.raises(SystemExit, match="loopback"):
        soak.database_url(args)
    args = soak.parse_args(["--database-url", "postgres://u@10.1.2.3/duostatus_soak"])
    with pytest.raises(SystemExit, match="loopback"):
        soak.database_url(args)


def test_soak_only_drops_a_database_named_as_its_own():
    args = soak.parse_args(["--database-url", "postgres://u@127.0.0.1/duostatus"])
    with pytest.raises(SystemExit, match="must start with"):
        soak.database_url(args)
    args = soak.parse_args(["--database-url", "postgres://u@localhost/duostatus_soak_x"])
    assert soak.database_url(args).endswith("/duostatus_soak_x")


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the soak runs on PostgreSQL (DATABASE_URL=postgres://...)")
@pytest.mark.live
@pytest.mark.django_db
def test_soak_quick_run_answers_everything_and_keeps_the_counters(tmp_path):
    base = database_url(connection.settings_dict)
    if not soak.is_loopback(urlsplit(base).hostname):
        pytest.skip("the soak runs against a PostgreSQL on this machine only")
    url = base.rsplit("/", 1)[0] + f"/duostatus_soak_test_{tmp_path.name[-12:].lower()}"
    url = url.replace("-", "_")
    figures_file = tmp_path / "soak.json"
    result = subprocess.run(
        [sys.executable, "bench/soak.py", "--duration", "12", "--threads", "6", "--accounts",
         "30", "--statuses", "300", "--workers", "2", "--database-url", url, "--json",
         str(figures_file)],
        cwd=BASE_DIR, env=server_env(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    figures = json.loads(figures_file.read_text())
    assert figures["check_counters"]["passed"]
    run = figures["figures"]
    assert run["requests"] > 50
    assert (run["server_errors"], run["no_answer"]) == (0, 0)
    kinds = run["kinds"]
    for kind in ("m_status", "m_post", "m_public", "m_favourite", "sc_status", "sc_post",
                 "sc_vote", "sc_list"):
        assert kinds[kind]["requests"] > 0, kind
    assert "check_counters: passed" in result.stdout
    # The database was dropped.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                       [urlsplit(url).path.lstrip("/")])
        assert cursor.fetchone() is None

"""Schemathesis over the served description (`/api/schema/?format=json`): every operation of both
dialects, once with a user's token and once anonymously, against gunicorn with the production
configuration on PostgreSQL, bounded by examples per operation (FUZZ_EXAMPLES) and minutes
(FUZZ_MINUTES). Four checks must hold for every answer:

- not_a_server_error: no 5xx;
- status_code_conformance: the code is one the operation documents;
- content_type_conformance: the Content-Type is the documented one;
- response_schema_conformance: the body validates against the documented schema.

A failure is allowed only when `EXCEPTIONS` lists it, with the reason (behaviour copied from real
Mastodon that its own description does not say). The run is reproducible: FUZZ_SEED fixes
Hypothesis's seed (`make fuzz` draws a new one each time and prints it).
"""

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection

from tests.config.live import BASE_DIR, database_url, free_port, server_env, stop, wait_for_port

pytestmark = [
    pytest.mark.live,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="fuzzes a gunicorn on PostgreSQL (DATABASE_URL=postgres://...)"),
]

CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_schema_conformance")
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
MINUTES = float(os.environ.get("FUZZ_MINUTES", "4"))
SEED = os.environ.get("FUZZ_SEED", "20261207")

# (operation, failure title) -> why it is allowed. Empty: every answer conforms.
EXCEPTIONS: dict[tuple[str, str], str] = {}


def _world() -> tuple[str, list[int]]:
    """The demo world (`manage.py seed`: accounts, statuses of both dialects, categories, a
    poll) and a token of its alice with every scope. The reactions a migration wrote are put
    back first: a transactional test that ran before this one flushed them."""
    from statuses.models import Status
    from tests.api.selfcommunity.test_e2e_sdk import ensure_reactions

    ensure_reactions()
    call_command("seed", stdout=io.StringIO())
    out = io.StringIO()
    call_command("create_token", "alice", "--scopes", "read write follow push", stdout=out)
    ids = sorted(Status.objects.values_list("pk", flat=True))
    return out.getvalue().strip(), ids


def _serve(port: int, log):
    env = server_env(DATABASE_URL=database_url(connection.settings_dict), PORT=str(port),
                     WORKERS="2", RATE_LIMITS_ENABLED="0", ACCESS_LOG="",
                     MEDIA_ROOT=str(BASE_DIR / ".schemathesis" / "media"))
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(BASE_DIR / "config" / "gunicorn.conf.py")],
        cwd=BASE_DIR, env=env, stdout=log, stderr=log)


def _run(base: str, token: str | None, ids: list[int], report) -> dict:
    argv = [sys.executable, "-m", "schemathesis.cli", "run", f"{base}/api/schema/?format=json",
            "--url", base, "--checks", ",".join(CHECKS), "--max-examples", str(EXAMPLES),
            "--phases", "coverage,fuzzing", "--workers", "2", "--seed", SEED,
            "--generation-database", "none",
            "--request-timeout", "30", "--report", "json", "--report-json-path", str(report),
            "--no-color"]
    if token:
        argv += ["--header", f"Authorization: Bearer {token}"]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.api.fuzz_hooks",
           "FUZZ_IDS": ",".join(map(str, ids)), "PYTHONPATH": str(BASE_DIR)}
    # The bound in minutes is a timeout, not schemathesis's --max-time, which keeps fuzzing
    # until the time is spent.
    try:
        finished = subprocess.run(argv, cwd=BASE_DIR, env=env, capture_output=True, text=True,
                                  timeout=MINUTES * 60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the fuzz run took longer than FUZZ_MINUTES={MINUTES}")
    if not report.exists():
        pytest.fail(f"schemathesis wrote no report:\n{finished.stdout[-4000:]}\n"
                    f"{finished.stderr[-4000:]}")
    result = json.loads(report.read_text())
    result["_output"] = finished.stdout
    return result


def _failures(result: dict) -> list[tuple[str, str, str]]:
    found = []
    for failure in result["failures"]:
        operation = failure.get("operation") or failure.get("label") or "?"
        title = failure.get("title") or failure.get("code") or "?"
        found.append((operation, title, json.dumps(failure)[:1500]))
    return found


@pytest.mark.parametrize("caller", ["user", "anonymous"])
def test_every_operation_answers_what_the_schema_says(caller, tmp_path):
    token, ids = _world()
    port = free_port()
    with open(tmp_path / "server.log", "w") as log:
        server = _serve(port, log)
        try:
            wait_for_port(port, server)
            result = _run(f"http://127.0.0.1:{port}", token if caller == "user" else None,
                          ids, tmp_path / "report.json")
        finally:
            stop(server)
    assert result["operations"]["selected"] == result["operations"]["tested"], result["operations"]
    assert result["operations"]["selected"] >= 100
    assert result["errors"] == [], result["errors"]
    unexpected = [f for f in _failures(result) if (f[0], f[1]) not in EXCEPTIONS]
    summary = "\n\n".join(detail for _, _, detail in unexpected)
    server_log = (tmp_path / "server.log").read_text()[-3000:]
    assert not unexpected, (f"{len(unexpected)} failures (seed {result['seed']}):\n{summary}\n"
                            + result["_output"][-6000:] + "\nserver log:\n" + server_log)
    print(f"{caller}: {result['test_cases']['generated']} cases over "
          f"{result['operations']['tested']} operations in {result['running_time']:.0f} s, "
          f"seed {result['seed']}, no failure")

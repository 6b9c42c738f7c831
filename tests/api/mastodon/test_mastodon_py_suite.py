"""Mastodon.py 2.3.3's own tests/test_status.py, run live against this server.

The suite ships only in Mastodon.py's sdist: `make install` downloads and unpacks it into
`.venv/mastodon_py_tests/` (MASTODON_PY_SUITE may point at another unpacked copy). Its test file
and media are copied into a temporary directory beside a conftest.py of ours that defines the
fixtures it uses (api, api2, api3, api_anonymous, status, status2, status3 ...) against the live
server, with tokens of three accounts made by `create_token`. pytest runs it in a subprocess with
pytest-recording's --disable-recording, so no cassette answers: every request reaches us. Each
case must pass, except those in PENDING (features other branches are building); once they are
merged, PENDING is emptied.
"""

import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from tests.api.mastodon.test_e2e_cards import example_org  # noqa: F401, F811 (a fixture)

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

VERSION = "2.3.3"
SUITE = Path(os.environ.get(
    "MASTODON_PY_SUITE",
    Path(django_settings.BASE_DIR) / ".venv" / "mastodon_py_tests" / f"mastodon_py-{VERSION}",
))
MEDIA_FILES = ("image.jpg", "video.mp4", "amewatson.jpg")
# They always replay a recorded cassette (vcr record_mode "none"), whatever the flags.
DESELECTED = ("test_scheduled_status_long_part1", "test_scheduled_status_long_part2")
# Cases that need a feature another branch is building: {test id: reason}. Empty it after the
# merge; an entry whose case passes fails this test, so none can outstay its reason.
PENDING: dict[str, str] = {}

# Cases the suite itself skips or expects to fail (its own marks), whatever the server.
SUITE_OWN = {
    "test_status_card_pre_2_9_2": "@pytest.mark.skip in the suite",
    "test_status_post[None-foobar]": "xfail(strict=True): an invalid visibility must fail",
    "test_status_post[Content warning-foobar]": "xfail(strict=True), likewise",
}

CONFTEST = '''
import os

import pytest

BASE = os.environ["DUOSTATUS_BASE_URL"]
VERSION = os.environ["DUOSTATUS_MASTODON_VERSION"]


def _api(access_token, version=VERSION, version_check_mode="created"):
    import mastodon

    return mastodon.Mastodon(api_base_url=BASE, access_token=access_token,
                             mastodon_version=version, version_check_mode=version_check_mode,
                             user_agent="tests/duostatus")


@pytest.fixture
def api():
    return _api(os.environ["DUOSTATUS_TOKEN_1"])


@pytest.fixture
def api_low_version():
    return _api(os.environ["DUOSTATUS_TOKEN_1"], version="1.2.0", version_check_mode="changed")


@pytest.fixture
def api2():
    return _api(os.environ["DUOSTATUS_TOKEN_2"])


@pytest.fixture
def api3():
    return _api(os.environ["DUOSTATUS_TOKEN_3"])


@pytest.fixture
def api_anonymous():
    return _api(None)


@pytest.fixture
def status(api):
    _status = api.status_post("Toot!")
    yield _status
    api.status_delete(_status["id"])


@pytest.fixture
def status2(api):
    _status = api.status_post("Toot, too!")
    yield _status
    api.status_delete(_status["id"])


@pytest.fixture
def status3(api3):
    _status = api3.status_post("Toot, finally!")
    yield _status
    api3.status_delete(_status["id"])
'''


def _suite_dir() -> Path:
    tests = SUITE / "tests"
    if not (tests / "test_status.py").is_file():
        message = (f"Mastodon.py {VERSION}'s sdist is not unpacked at {SUITE} "
                   "(run `make install`)")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return tests


def _token(username: str) -> str:
    out = io.StringIO()
    call_command("create_token", username, "--create", stdout=out)
    return out.getvalue().strip()


def _advertised_version(base: str) -> str:
    with urllib.request.urlopen(f"{base}/api/v1/instance") as response:
        version = json.load(response)["version"]
    return re.match(r"\d+\.\d+\.\d+", version).group(0)


def test_mastodon_py_status_suite(live_server, example_org, task_worker, settings,  # noqa: F811
                                  tmp_path):
    source = _suite_dir()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SERVE_MEDIA = True
    settings.INSTANCE_SCHEME = "http"
    settings.INSTANCE_DOMAIN = live_server.url.removeprefix("http://")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    run = tmp_path / "run"
    # test_scheduled_status keeps its timestamp in tests/cassettes/ (no cassette is replayed).
    (run / "tests" / "cassettes").mkdir(parents=True)
    shutil.copy(source / "test_status.py", run / "tests" / "test_status.py")
    for name in MEDIA_FILES:
        shutil.copy(source / name, run / "tests" / name)
    (run / "tests" / "conftest.py").write_text(CONFTEST)
    (run / "pytest.ini").write_text("[pytest]\n")
    env = {
        **os.environ,
        "DUOSTATUS_BASE_URL": live_server.url,
        "DUOSTATUS_MASTODON_VERSION": _advertised_version(live_server.url),
        "DUOSTATUS_TOKEN_1": _token("mpy_test"),
        "DUOSTATUS_TOKEN_2": _token("mpy_test_2"),
        "DUOSTATUS_TOKEN_3": _token("mpy_test_3"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    report = tmp_path / "junit.xml"
    command = [sys.executable, "-m", "pytest", "tests/test_status.py", "-q", "-p", "no:django",
               "-p", "no:cacheprovider", "--disable-recording", f"--junitxml={report}",
               *(f"--deselect=tests/test_status.py::{name}" for name in DESELECTED)]
    started = time.monotonic()
    done = subprocess.run(command, cwd=run, env=env, capture_output=True, text=True,
                          timeout=600, check=False)
    elapsed = time.monotonic() - started
    assert report.is_file(), done.stdout + done.stderr
    outcomes = {}
    for case in ET.parse(report).iter("testcase"):
        failed = [c for c in case if c.tag in ("failure", "error", "skipped")]
        outcomes[case.get("name")] = (
            "passed" if not failed else f"{failed[0].tag}: {failed[0].get('message', '')[:300]}"
        )
    print(f"Mastodon.py {VERSION} test_status.py: {len(outcomes)} cases in {elapsed:.1f} s")
    assert len(outcomes) >= 25, done.stdout[-3000:]
    unexpected = {name: result for name, result in outcomes.items()
                  if result != "passed" and name not in PENDING and name not in SUITE_OWN}
    assert not unexpected, f"{json.dumps(unexpected, indent=1)}\n{done.stdout[-6000:]}"
    outstaying = [name for name in PENDING if outcomes.get(name) == "passed"]
    assert not outstaying, f"these now pass: remove them from PENDING: {outstaying}"
    assert all(name in outcomes for name in PENDING), "a PENDING id names no case"

"""compose.yaml (docker cannot run here): it parses, and its services are wired as the README's
deployment says: one migration before the app and the worker, which share the database, Redis,
SECRET_KEY and the media volume, and run commands and settings that exist."""

import re
from pathlib import Path

import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
SHARED = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "MEDIA_ROOT", "ALLOWED_HOSTS",
          "INSTANCE_DOMAIN")


def _read_by_settings() -> set[str]:
    names = set()
    for path in (ROOT / "config" / "settings.py", ROOT / "config" / "gunicorn.conf.py",
                 ROOT / "config" / "serve.py"):
        names |= set(re.findall(r"""(?:environ\.get|env_bool)\(\s*["']([A-Z_]+)["']""",
                                path.read_text()))
    return names


def test_services_are_postgres_redis_a_migration_the_app_and_a_worker():
    assert set(SERVICES) == {"db", "redis", "migrate", "app", "streaming", "worker"}
    assert SERVICES["db"]["image"].startswith("postgres:")
    assert SERVICES["redis"]["image"].startswith("redis:")
    assert SERVICES["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert SERVICES["migrate"]["restart"] == "no"
    assert SERVICES["app"]["command"] == ["python", "-m", "config.serve"]
    assert SERVICES["worker"]["command"] == ["python", "manage.py", "db_worker"]
    assert "db_worker" in get_commands() and "migrate" in get_commands()


def test_app_and_worker_start_after_the_one_migration_on_healthy_services():
    for name in ("app", "worker"):
        assert SERVICES[name]["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }
    assert SERVICES["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert "healthcheck" in SERVICES["db"] and "healthcheck" in SERVICES["redis"]
    assert "/health" in " ".join(SERVICES["app"]["healthcheck"]["test"])


def test_app_worker_and_migration_share_configuration_and_media():
    images = {SERVICES[name]["image"] for name in ("migrate", "app", "worker")}
    assert len(images) == 1
    environments = [SERVICES[name]["environment"] for name in ("migrate", "app", "worker")]
    for key in SHARED:
        assert len({env[key] for env in environments}) == 1, key
    assert environments[0]["REDIS_URL"].startswith("redis://redis:")
    assert "@db:5432/" in environments[0]["DATABASE_URL"]
    assert ":?" in environments[0]["SECRET_KEY"]  # compose refuses to start without one
    for name in ("app", "worker"):
        assert "media:/data/media" in SERVICES[name]["volumes"]
    assert environments[0]["MEDIA_ROOT"] == "/data/media"
    # The worker service runs the tasks; the app's supervisor starts none of its own.
    assert SERVICES["app"]["environment"]["DB_WORKERS"] == "0"


def test_the_streaming_server_runs_beside_the_app_on_the_advertised_port():
    streaming = SERVICES["streaming"]
    assert streaming["command"][:3] == ["python", "-m", "daphne"]
    assert streaming["command"][-1] == "config.asgi:application"
    assert streaming["depends_on"] == SERVICES["worker"]["depends_on"]
    assert streaming["image"] == SERVICES["app"]["image"]
    assert streaming["environment"]["REDIS_URL"] == SERVICES["app"]["environment"]["REDIS_URL"]
    assert streaming["ports"] == ["${STREAMING_PORT:-4000}:4000"]
    assert "/api/v1/streaming/health" in " ".join(streaming["healthcheck"]["test"])
    # The app advertises it and does not start a second one.
    assert SERVICES["app"]["environment"]["STREAMING_URL"] == "${STREAMING_URL:-ws://localhost:4000}"
    assert SERVICES["app"]["environment"]["STREAMING"] == "0"


def test_every_variable_it_sets_is_read_by_the_app():
    read = _read_by_settings()
    for name in ("migrate", "app", "worker"):
        unknown = set(SERVICES[name]["environment"]) - read
        assert not unknown, f"{name} sets variables nothing reads: {sorted(unknown)}"


def test_the_image_serves_with_config_serve():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["python", "-m", "config.serve"]' in dockerfile
    assert "collectstatic" in dockerfile and "STATIC_MANIFEST=1" in dockerfile

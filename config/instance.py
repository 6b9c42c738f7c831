"""Absolute addresses of local objects, built from INSTANCE_DOMAIN (used in `uri`/`url`)."""

from functools import cache

from django.conf import settings


@cache
def base_url() -> str:
    return f"{settings.INSTANCE_SCHEME}://{settings.INSTANCE_DOMAIN}"


def local_domain() -> str:
    return settings.INSTANCE_DOMAIN.lower()


def account_url(username: str) -> str:
    return f"{base_url()}/@{username}"


def account_uri(username: str) -> str:
    return f"{base_url()}/users/{username}"


def status_url(username: str, status_id: int) -> str:
    return f"{base_url()}/@{username}/{status_id}"


def status_uri(username: str, status_id: int) -> str:
    return f"{base_url()}/users/{username}/statuses/{status_id}"


def tags_base_url() -> str:
    return f"{base_url()}/tags/"


def absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return base_url() + (path if path.startswith("/") else "/" + path)


def _clear_cache(*, setting, **kwargs):
    if setting in {"INSTANCE_DOMAIN", "INSTANCE_SCHEME"}:
        base_url.cache_clear()


try:
    from django.test.signals import setting_changed

    setting_changed.connect(_clear_cache)
except ImportError:  # pragma: no cover - django.test is always importable with Django installed
    pass

"""Writes of accounts and OAuth applications."""

import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_access_token_model

from accounts.models import Account, Application
from accounts.oauth import expand_scopes
from config import errors

OOB_URI = "urn:ietf:wg:oauth:2.0:oob"
FORBIDDEN_SCHEMES = {"javascript", "data", "vbscript", "file"}


def _valid_redirect_uri(uri: str) -> bool:
    if uri == OOB_URI:
        return True
    parts = urlsplit(uri)
    if not parts.scheme or parts.scheme.lower() in FORBIDDEN_SCHEMES or parts.fragment:
        return False
    if parts.scheme.lower() in {"http", "https"} and not parts.netloc:
        return False
    return bool(parts.netloc or parts.path)


@transaction.atomic
def application_create(
    *, name: str | None, redirect_uris: list[str], scopes: str | None, website: str | None
) -> tuple[Application, str]:
    """Register a Mastodon app; returns it with its client secret in clear (shown only once)."""
    name = (name or "").strip()
    problems = []
    if not name:
        problems.append("Name can't be blank")
    elif len(name) > 60:
        problems.append("Name is too long (maximum is 60 characters)")
    uris = [u.strip() for u in redirect_uris if u and u.strip()]
    if not uris:
        problems.append("Redirect URI can't be blank")
    elif not all(_valid_redirect_uri(u) for u in uris):
        problems.append("Redirect URI must be an absolute URI.")
    requested = (scopes or "read").split()
    if not requested or not set(requested) <= set(settings.MASTODON_SCOPES):
        problems.append("Scopes doesn't match configured on the server.")
    website = (website or "").strip()
    if website and urlsplit(website).scheme not in {"http", "https"}:
        problems.append("Website is invalid")
    if problems:
        raise errors.Invalid(*problems)
    secret = generate_client_secret()
    app = Application(
        name=name,
        redirect_uris=" ".join(uris),
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        client_secret=secret,
        scopes=" ".join(dict.fromkeys(requested)),
        website=website,
    )
    app.save()
    return app, secret


@transaction.atomic
def token_create(
    *, account: Account, scopes: str = "read write follow push", application_name: str = "Web"
) -> str:
    """Issue an access token for `account` through a first-party application (create_token,
    seeding and tests use this; clients use the OAuth endpoints)."""
    requested = scopes.split()
    unknown = set(requested) - set(settings.MASTODON_SCOPES)
    if unknown or not requested:
        raise errors.Invalid(f"Unknown scopes: {' '.join(sorted(unknown)) or '(none)'}")
    app = Application.objects.filter(name=application_name, user=None).first()
    if app is None:
        app = Application.objects.create(
            name=application_name,
            redirect_uris=OOB_URI,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            scopes=" ".join(settings.MASTODON_SCOPES),
            skip_authorization=False,
        )
    raw = secrets.token_urlsafe(32)
    get_access_token_model().objects.create(
        user=account,
        application=app,
        token=raw,
        expires=timezone.now()
        + timedelta(seconds=settings.OAUTH2_PROVIDER["ACCESS_TOKEN_EXPIRE_SECONDS"]),
        scope=" ".join(dict.fromkeys(requested)),
    )
    return raw


def granted_scopes(application: Application) -> set[str]:
    return expand_scopes(application.scope_list)

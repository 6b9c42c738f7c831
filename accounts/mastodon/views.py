"""Mastodon endpoints clients call first: apps, instance, verify_credentials, accounts/:id."""

from django.conf import settings
from rest_framework.response import Response

from accounts import selectors, services
from accounts.mastodon.serializers import serialize_account, serialize_credential_account
from accounts.models import Account
from config import instance
from config.api.mastodon import MastodonViewSet, param_list, param_str, parse_id
from statuses.models import Status

VERSION = "4.3.0"
SOFTWARE = f"{VERSION} (compatible; Duostatus 0.1.0)"
SUPPORTED_MIME_TYPES: list[str] = []  # media uploads arrive with the media issue


def serialize_application(app, *, secret: str | None = None) -> dict:
    uris = app.redirect_uris.split()
    data = {
        "id": str(app.pk),
        "name": app.name,
        "website": app.website or None,
        "scopes": app.scope_list,
        "redirect_uri": "\n".join(uris),
        "redirect_uris": uris,
        "vapid_key": "",
    }
    if secret is not None:
        data["client_id"] = app.client_id
        data["client_secret"] = secret
        data["client_secret_expires_at"] = 0
    return data


class AppViewSet(MastodonViewSet):
    required_scopes = {"create": (), "verify_credentials": ()}
    token_required_actions = frozenset({"verify_credentials"})

    def create(self, request):
        data = request.data
        uris = param_list(data, "redirect_uris")
        if uris is None:
            single = param_str(data, "redirect_uris") or ""
            uris = single.split()
        app, secret = services.application_create(
            name=param_str(data, "client_name"),
            redirect_uris=uris,
            scopes=param_str(data, "scopes"),
            website=param_str(data, "website"),
        )
        return Response(serialize_application(app, secret=secret))

    def verify_credentials(self, request):
        return Response(serialize_application(request.auth.application))


def configuration() -> dict:
    return {
        "statuses": {
            "max_characters": settings.STATUS_MAX_CHARACTERS,
            "max_media_attachments": settings.STATUS_MAX_MEDIA_ATTACHMENTS,
            "characters_reserved_per_url": 23,
        },
        "media_attachments": {
            "supported_mime_types": SUPPORTED_MIME_TYPES,
            "description_limit": 1500,
            "image_size_limit": 16777216,
            "image_matrix_limit": 33177600,
            "video_size_limit": 103809024,
            "video_frame_rate_limit": 120,
            "video_matrix_limit": 8294400,
        },
        "polls": {
            "max_options": 4,
            "max_characters_per_option": 50,
            "min_expiration": 300,
            "max_expiration": 2629746,
        },
        "accounts": {"max_featured_tags": 10, "max_pinned_statuses": 5},
        "translation": {"enabled": False},
    }


def streaming_url() -> str:
    scheme = "wss" if settings.INSTANCE_SCHEME == "https" else "ws"
    return f"{scheme}://{settings.INSTANCE_DOMAIN}"


class InstanceViewSet(MastodonViewSet):
    required_scopes = {}

    def v1(self, request):
        user_count = Account.objects.filter(is_active=True).count()
        status_count = Status.objects.filter(deleted_at__isnull=True).count()
        return Response(
            {
                "uri": settings.INSTANCE_DOMAIN,
                "title": settings.INSTANCE_TITLE,
                "short_description": "",
                "description": "",
                "email": "",
                "version": SOFTWARE,
                "urls": {"streaming_api": streaming_url()},
                "stats": {"user_count": user_count, "status_count": status_count,
                          "domain_count": 0},
                "thumbnail": None,
                "languages": ["en"],
                "registrations": False,
                "approval_required": False,
                "invites_enabled": False,
                "configuration": configuration(),
                "contact_account": None,
                "rules": [],
            }
        )

    def v2(self, request):
        config = configuration()
        config["urls"] = {"streaming": streaming_url(), "status": None}
        config["vapid"] = {"public_key": ""}
        return Response(
            {
                "domain": settings.INSTANCE_DOMAIN,
                "title": settings.INSTANCE_TITLE,
                "version": SOFTWARE,
                "source_url": instance.absolute("/"),
                "description": "",
                "usage": {"users": {"active_month": 0}},
                "thumbnail": {"url": instance.absolute("/avatars/original/missing.png")},
                "icon": [],
                "languages": ["en"],
                "configuration": config,
                "registrations": {
                    "enabled": False, "approval_required": False, "message": None, "url": None,
                },
                "api_versions": {"mastodon": 2},
                "contact": {"email": "", "account": None},
                "rules": [],
            }
        )


class AccountViewSet(MastodonViewSet):
    required_scopes = {
        "verify_credentials": ("read", "read:accounts", "profile"),
        "retrieve": ("read", "read:accounts"),
    }
    token_required_actions = frozenset({"verify_credentials"})
    user_required_actions = frozenset({"verify_credentials"})

    def verify_credentials(self, request):
        return Response(serialize_credential_account(self.viewer))

    def retrieve(self, request, pk=None):
        account = selectors.account_get(account_id=parse_id(pk))
        return Response(serialize_account(account))

"""Mastodon endpoints clients call first (apps, instance, verify_credentials, accounts/:id) and
the account relationships: follow, block, mute, relationships, follow requests."""

from django.conf import settings
from rest_framework.response import Response

from accounts import selectors, services
from accounts.mastodon import filters
from accounts.mastodon.params import param_fields, param_source
from accounts.mastodon.profile_images import profile_image
from accounts.mastodon.serializers import (
    serialize_account,
    serialize_credential_account,
    serialize_muted_account,
    serialize_relationship,
)
from accounts.models import Account
from config import instance
from config.api.mastodon import MastodonViewSet, param_bool, param_list, param_str, parse_id
from config.api.pagination import link_header, paginate
from config.scopes import (
    FOLLOW_READ_BLOCKS,
    FOLLOW_READ_FOLLOWS,
    FOLLOW_READ_MUTES,
    FOLLOW_WRITE_BLOCKS,
    FOLLOW_WRITE_FOLLOWS,
    FOLLOW_WRITE_MUTES,
    READ_ACCOUNTS,
    READ_FOLLOWS,
    READ_PROFILE,
    WRITE_ACCOUNTS,
)
from instance_extras.mastodon.serializers import serialize_rules
from instance_extras.selectors import instance_rules
from statuses import translation
from statuses.selectors.stats import instance_stats

VERSION = "4.5.0"
# Our own name and version (nodeinfo's `software` says them too: instance_extras).
SERVER_NAME = "Duostatus"
SERVER_VERSION = "0.1.0"
SOFTWARE = f"{VERSION} (compatible; {SERVER_NAME} {SERVER_VERSION})"
# What media/processing.py recognises by content (HEIC/HEIF need a Pillow plugin, so not listed).
SUPPORTED_MIME_TYPES = [
    "image/jpeg", "image/png", "image/gif", "image/webp", "image/avif",
    "video/mp4", "video/quicktime", "video/webm", "video/ogg",
    "audio/mpeg", "audio/mp3", "audio/ogg", "audio/wav", "audio/flac", "audio/mp4",
]


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
        data = self.body
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
            "description_limit": settings.MEDIA_DESCRIPTION_LIMIT,
            "image_size_limit": settings.MEDIA_IMAGE_LIMIT,
            "image_matrix_limit": 33177600,
            "video_size_limit": settings.MEDIA_OTHER_LIMIT,
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
        "translation": {"enabled": translation.is_configured()},
    }


def streaming_url() -> str:
    """Where clients open the stream: STREAMING_URL, else this API's own origin."""
    if settings.STREAMING_URL:
        return settings.STREAMING_URL
    scheme = "wss" if settings.INSTANCE_SCHEME == "https" else "ws"
    return f"{scheme}://{settings.INSTANCE_DOMAIN}"


def rules() -> list[dict]:
    return serialize_rules(instance_rules())


class InstanceViewSet(MastodonViewSet):
    required_scopes = {}

    def v1(self, request):
        return Response(
            {
                "uri": settings.INSTANCE_DOMAIN,
                "title": settings.INSTANCE_TITLE,
                "short_description": "",
                "description": "",
                "email": settings.INSTANCE_CONTACT_EMAIL,
                "version": SOFTWARE,
                "urls": {"streaming_api": streaming_url()},
                "stats": instance_stats(),
                "thumbnail": None,
                "languages": ["en"],
                "registrations": False,
                "approval_required": False,
                "invites_enabled": False,
                "configuration": configuration(),
                "contact_account": None,
                "rules": rules(),
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
                "contact": {"email": settings.INSTANCE_CONTACT_EMAIL, "account": None},
                "rules": rules(),
            }
        )


def _body_or_query(request, reader, key):
    """Rails merges the query string into `params` with the body winning; so do we."""
    data = request.data if hasattr(request.data, "get") else {}
    value = reader(data, key)
    return value if value is not None else reader(request.query_params, key)


def _ruby_int(value) -> int:
    """Ruby's String#to_i: leading whitespace, an optional sign, digits; anything else is 0."""
    if value is None or isinstance(value, bool):
        return 0
    if isinstance(value, (int, float)):
        return int(value)
    text = str(value).lstrip()
    sign = -1 if text[:1] == "-" else 1
    if text[:1] in "+-":
        text = text[1:]
    digits = ""
    for char in text:
        if char not in "0123456789":  # ASCII only: "¹".isdigit() is true, int("¹") fails
            break
        digits += char
    return sign * int(digits) if digits else 0


def account_page(request, params, rows_queryset, render) -> Response:
    """One page of account rows (follows, blocks, mutes) as Mastodon answers these lists: paged
    by the row's id with `max_id`/`since_id`, the Link header keeping only `limit`. A None
    queryset is a hidden list: an empty page."""
    limit = params["limit"]
    rows = [] if rows_queryset is None else paginate(rows_queryset, params, field="pk", limit=limit)
    response = Response([render(row) for row in rows])
    link = link_header(
        request,
        first_cursor=rows[0].pk if rows else None,
        last_cursor=rows[-1].pk if rows else None,
        page_size=len(rows),
        limit=limit,
        prev_param="since_id",
    )
    if link:
        response["Link"] = link
    return response


RELATIONSHIP_ACTIONS = frozenset({"follow", "unfollow", "block", "unblock", "mute", "unmute"})


class AccountViewSet(MastodonViewSet):
    required_scopes = {
        "verify_credentials": READ_PROFILE,
        "retrieve": READ_ACCOUNTS,
        "relationships": READ_FOLLOWS,
        "follow": FOLLOW_WRITE_FOLLOWS,
        "unfollow": FOLLOW_WRITE_FOLLOWS,
        "block": FOLLOW_WRITE_BLOCKS,
        "unblock": FOLLOW_WRITE_BLOCKS,
        "mute": FOLLOW_WRITE_MUTES,
        "unmute": FOLLOW_WRITE_MUTES,
        "followers": READ_ACCOUNTS,
        "following": READ_ACCOUNTS,
        "update_credentials": WRITE_ACCOUNTS,
        "familiar_followers": READ_FOLLOWS,
        "note": WRITE_ACCOUNTS,
        "pin": WRITE_ACCOUNTS,
        "unpin": WRITE_ACCOUNTS,
        "remove_from_followers": FOLLOW_WRITE_FOLLOWS,
        "identity_proofs": READ_ACCOUNTS,
        "endorsements": READ_ACCOUNTS,
    }
    OWN_ACTIONS = frozenset({
        "verify_credentials", "relationships", "update_credentials", "familiar_followers",
        "note", "pin", "unpin", "remove_from_followers", "identity_proofs",
    })
    token_required_actions = OWN_ACTIONS | RELATIONSHIP_ACTIONS
    user_required_actions = OWN_ACTIONS | RELATIONSHIP_ACTIONS
    filtersets = {
        "relationships": filters.RelationshipsFilterSet,
        "followers": filters.AccountCursorPageFilterSet,
        "following": filters.AccountCursorPageFilterSet,
        "familiar_followers": filters.FamiliarFollowersFilterSet,
        "endorsements": filters.AccountPageFilterSet,
    }

    def verify_credentials(self, request):
        return Response(serialize_credential_account(self.viewer))

    def update_credentials(self, request):
        """PATCH (or PUT) /api/v1/accounts/update_credentials: the profile, its images and the
        posting defaults; answers the CredentialAccount."""
        data = request.data if hasattr(request.data, "get") else {}
        files = request.FILES
        images = {kind: profile_image(files[kind], kind=kind)
                  for kind in ("avatar", "header") if files.get(kind)}
        source = param_source(data)
        account = services.account_update_credentials(
            account=self.viewer,
            display_name=param_str(data, "display_name"),
            note=param_str(data, "note"),
            flags={name: param_bool(data, name) for name in (
                "locked", "bot", "discoverable", "hide_collections", "indexable")},
            fields=param_fields(data),
            avatar=images.get("avatar"),
            header=images.get("header"),
            privacy=source["privacy"],
            sensitive=source["sensitive"],
            language=source["language"],
        )
        return Response(serialize_credential_account(account))

    def retrieve(self, request, pk=None):
        account = selectors.account_get(account_id=parse_id(pk))
        return Response(serialize_account(account))

    def followers(self, request, pk=None):
        account = selectors.account_get(account_id=parse_id(pk))
        rows = selectors.followers_of(viewer=self.viewer, account=account)
        return account_page(request, self.list_params(), rows,
                            lambda follow: serialize_account(follow.account))

    def following(self, request, pk=None):
        account = selectors.account_get(account_id=parse_id(pk))
        rows = selectors.following_of(viewer=self.viewer, account=account)
        return account_page(request, self.list_params(), rows,
                            lambda follow: serialize_account(follow.target))

    def familiar_followers(self, request):
        """Per account asked, the accounts the caller follows that follow it."""
        found = selectors.familiar_followers(viewer=self.viewer, ids=self.list_params()["id"])
        return Response([
            {"id": str(pk), "accounts": [serialize_account(a) for a in accounts]}
            for pk, accounts in found
        ])

    def note(self, request, pk=None):
        target = selectors.account_get(account_id=parse_id(pk))
        services.account_note_set(account=self.viewer, target=target,
                                  comment=_body_or_query(request, param_str, "comment"))
        return self._relationship_response(target)

    def pin(self, request, pk=None):
        target = selectors.account_get(account_id=parse_id(pk))
        services.account_endorse(account=self.viewer, target=target)
        return self._relationship_response(target)

    def unpin(self, request, pk=None):
        target = selectors.account_get(account_id=parse_id(pk))
        services.account_unendorse(account=self.viewer, target=target)
        return self._relationship_response(target)

    def remove_from_followers(self, request, pk=None):
        follower = selectors.account_get(account_id=parse_id(pk))
        services.follower_remove(account=self.viewer, follower=follower)
        return self._relationship_response(follower)

    def endorsements(self, request, pk=None):
        """The accounts an account features on its profile, hidden as its follows are."""
        account = selectors.account_get(account_id=parse_id(pk))
        rows = None
        if not selectors.collections_hidden(account=account, viewer=self.viewer):
            rows = selectors.endorsements_of(account=account)
        return account_page(request, self.list_params(), rows, serialize_account)

    def identity_proofs(self, request, pk=None):
        """Identity proofs are gone from Mastodon; it answers an empty list for any account."""
        selectors.account_get(account_id=parse_id(pk))
        return Response([])

    def relationships(self, request):
        params = self.list_params()
        found = selectors.relationships_for(
            viewer=self.viewer,
            ids=params["id"],
            with_suspended=bool(params["with_suspended"]),
        )
        return Response([serialize_relationship(r) for r in found])

    def _relationship_response(self, target: Account) -> Response:
        relationship = selectors.relationship_get(viewer=self.viewer, account=target)
        return Response(serialize_relationship(relationship))

    def follow(self, request, pk=None):
        target = selectors.account_get(account_id=parse_id(pk))
        services.account_follow(
            account=self.viewer,
            target=target,
            reblogs=_body_or_query(request, param_bool, "reblogs"),
            notify=_body_or_query(request, param_bool, "notify"),
            languages=_body_or_query(request, param_list, "languages"),
        )
        return self._relationship_response(target)

    def unfollow(self, request, pk=None):
        target = selectors.account_get(account_id=parse_id(pk))
        services.account_unfollow(account=self.viewer, target=target)
        return self._relationship_response(target)

    def block(self, request, pk=None):
        target = selectors.account_get(account_id=parse_id(pk))
        services.account_block(account=self.viewer, target=target)
        return self._relationship_response(target)

    def unblock(self, request, pk=None):
        target = selectors.account_get(account_id=parse_id(pk))
        services.account_unblock(account=self.viewer, target=target)
        return self._relationship_response(target)

    def mute(self, request, pk=None):
        target = selectors.account_get(account_id=parse_id(pk))
        services.account_mute(
            account=self.viewer,
            target=target,
            notifications=_body_or_query(request, param_bool, "notifications"),
            duration=_ruby_int(_body_or_query(request, param_str, "duration")),
        )
        return self._relationship_response(target)

    def unmute(self, request, pk=None):
        target = selectors.account_get(account_id=parse_id(pk))
        services.account_unmute(account=self.viewer, target=target)
        return self._relationship_response(target)


class FollowRequestViewSet(MastodonViewSet):
    """The caller's pending follow requests, paged by the request's (Follow row's) id."""

    required_scopes = {
        "list": FOLLOW_READ_FOLLOWS,
        "authorize": FOLLOW_WRITE_FOLLOWS,
        "reject": FOLLOW_WRITE_FOLLOWS,
    }
    token_required_actions = frozenset({"list", "authorize", "reject"})
    user_required_actions = frozenset({"list", "authorize", "reject"})
    filtersets = {"list": filters.FollowRequestsFilterSet}

    def list(self, request):
        return account_page(request, self.list_params(),
                            selectors.follow_requests_for(account=self.viewer),
                            lambda row: serialize_account(row.account))

    def _relationship_response(self, requester: Account) -> Response:
        relationship = selectors.relationship_get(viewer=self.viewer, account=requester)
        return Response(serialize_relationship(relationship))

    def authorize(self, request, account_id=None):
        requester = selectors.account_get(account_id=parse_id(account_id))
        services.follow_request_authorize(account=self.viewer, requester=requester)
        return self._relationship_response(requester)

    def reject(self, request, account_id=None):
        requester = selectors.account_get(account_id=parse_id(account_id))
        services.follow_request_reject(account=self.viewer, requester=requester)
        return self._relationship_response(requester)


class BlockMuteListViewSet(MastodonViewSet):
    """GET /api/v1/blocks and /api/v1/mutes: the accounts the caller blocks or mutes (suspended
    ones left out), newest first, paged by the block's or mute's id."""

    required_scopes = {"blocks": FOLLOW_READ_BLOCKS, "mutes": FOLLOW_READ_MUTES}
    token_required_actions = frozenset({"blocks", "mutes"})
    user_required_actions = frozenset({"blocks", "mutes"})
    filtersets = {"blocks": filters.AccountCursorPageFilterSet,
                  "mutes": filters.AccountPageFilterSet}

    def blocks(self, request):
        rows = selectors.blocks_of(account=self.viewer)
        return account_page(request, self.list_params(), rows,
                            lambda block: serialize_account(block.target))

    def mutes(self, request):
        rows = selectors.mutes_of(account=self.viewer)
        return account_page(request, self.list_params(), rows, serialize_muted_account)


class EndorsementViewSet(MastodonViewSet):
    """GET /api/v1/endorsements: the accounts the caller features, paged by account id."""

    required_scopes = {"list": READ_ACCOUNTS}
    token_required_actions = frozenset({"list"})
    user_required_actions = frozenset({"list"})
    filtersets = {"list": filters.AccountPageFilterSet}

    def list(self, request):
        return account_page(request, self.list_params(),
                            selectors.endorsements_of(account=self.viewer), serialize_account)


class RegistrationViewSet(MastodonViewSet):
    """POST /api/v1/accounts: sign-ups are closed on this server (accounts are made by its
    operators), so an app token is answered as Mastodon answers when registrations are off."""

    required_scopes = {"create": WRITE_ACCOUNTS}
    token_required_actions = frozenset({"create"})

    def create(self, request):
        return Response({"error": "This action is not allowed"}, status=403)


class ProfileImageViewSet(MastodonViewSet):
    """DELETE /api/v1/profile/avatar and /header (Mastodon 4.2): back to the default picture;
    answers the CredentialAccount."""

    required_scopes = {"avatar": WRITE_ACCOUNTS, "header": WRITE_ACCOUNTS}
    token_required_actions = frozenset({"avatar", "header"})
    user_required_actions = frozenset({"avatar", "header"})

    def avatar(self, request):
        account = services.account_image_remove(account=self.viewer, kind="avatar")
        return Response(serialize_credential_account(account))

    def header(self, request):
        account = services.account_image_remove(account=self.viewer, kind="header")
        return Response(serialize_credential_account(account))

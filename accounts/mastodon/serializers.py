"""Mastodon Account, Relationship and Application entities, rendered as plain dicts (hot paths)."""

from datetime import UTC as _UTC
from functools import lru_cache
from html import escape

from config import instance

DEFAULT_AVATAR = "/avatars/original/missing.png"
DEFAULT_HEADER = "/headers/original/missing.png"


def datetime_ms(value) -> str | None:
    """RFC 3339 UTC with milliseconds, as Rails renders it: 2019-12-05T11:34:47.196Z."""
    if value is None:
        return None
    return value.astimezone(_UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


@lru_cache(maxsize=4096)
def note_html(note: str) -> str:
    note = note.strip()
    if not note:
        return ""
    paragraphs = [p for p in note.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(
        "<p>" + "<br />".join(escape(line) for line in p.strip("\n").split("\n")) + "</p>"
        for p in paragraphs
    )


def _file_url(field, default: str) -> str:
    if field:
        return instance.absolute(field.url)
    return instance.absolute(default)


def serialize_account(account) -> dict:
    """REST::AccountSerializer for a local account."""
    avatar = _file_url(account.avatar, DEFAULT_AVATAR)
    header = _file_url(account.header, DEFAULT_HEADER)
    suspended = account.suspended_at is not None
    data = {
        "id": str(account.pk),
        "username": account.username,
        "acct": account.username,
        "display_name": "" if suspended else account.display_name,
        "locked": False if suspended else account.locked,
        "bot": False if suspended else account.bot,
        "discoverable": False if suspended else account.discoverable,
        "indexable": False if suspended else account.indexable,
        "group": account.group,
        "created_at": account.date_joined.astimezone(_UTC).strftime("%Y-%m-%dT00:00:00.000Z"),
        "note": "" if suspended else note_html(account.note),
        "url": instance.account_url(account.username),
        "uri": instance.account_uri(account.username),
        "avatar": instance.absolute(DEFAULT_AVATAR) if suspended else avatar,
        "avatar_static": instance.absolute(DEFAULT_AVATAR) if suspended else avatar,
        "header": instance.absolute(DEFAULT_HEADER) if suspended else header,
        "header_static": instance.absolute(DEFAULT_HEADER) if suspended else header,
        "followers_count": account.followers_count,
        "following_count": account.following_count,
        "statuses_count": account.statuses_count,
        "last_status_at": account.last_status_at.isoformat() if account.last_status_at else None,
        "hide_collections": account.hide_collections,
        "noindex": False,
        "emojis": [],
        "roles": [],
        "fields": [] if suspended else [
            {"name": pair["name"], "value": escape(pair["value"]), "verified_at": None}
            for pair in account.fields or ()
        ],
    }
    if suspended:
        data["suspended"] = True
    elif account.silenced_at is not None:
        data["limited"] = True
    return data


def serialize_muted_account(mute) -> dict:
    """REST::MutedAccountSerializer: the muted account and when its mute ends (null: never)."""
    data = serialize_account(mute.target)
    data["mute_expires_at"] = datetime_ms(mute.expires_at)
    return data


def serialize_credential_account(account) -> dict:
    """verify_credentials adds `source` (the raw profile and posting defaults) and `role`."""
    from accounts.models import Visibility

    data = serialize_account(account)
    privacy = account.default_visibility
    if privacy is None:
        privacy = Visibility.PRIVATE if account.locked else Visibility.PUBLIC
    data["source"] = {
        "privacy": Visibility(privacy).label,
        "sensitive": account.default_sensitive,
        "language": account.default_language or None,
        "note": account.note,
        "fields": [{"name": pair["name"], "value": pair["value"], "verified_at": None}
                   for pair in account.fields or ()],
        "follow_requests_count": 0,
        "hide_collections": account.hide_collections,
        "discoverable": account.discoverable,
        "indexable": account.indexable,
    }
    data["role"] = {
        "id": "-99", "name": "", "permissions": "0", "color": "", "highlighted": False,
    }
    return data


def serialize_status_application(application) -> dict | None:
    if application is None:
        return None
    return {"name": application.name, "website": application.website or None}



def serialize_relationship(relationship) -> dict:
    """REST::RelationshipSerializer of Mastodon 4.3 (no `muting_expires_at`, added in 4.6)."""
    return {
        "id": str(relationship.account_id),
        "following": relationship.following,
        "showing_reblogs": relationship.show_reblogs,
        "notifying": relationship.notify,
        "languages": relationship.languages,
        "followed_by": relationship.followed_by,
        "blocking": relationship.blocking,
        "blocked_by": relationship.blocked_by,
        "muting": relationship.muting,
        "muting_notifications": relationship.muting_notifications,
        "requested": relationship.requested,
        "requested_by": relationship.requested_by,
        "domain_blocking": False,
        "endorsed": relationship.endorsed,
        "note": relationship.note,
    }

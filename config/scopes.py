"""Mastodon's OAuth scopes, declared once: the catalogue the OAuth provider offers, the rule that a
parent scope covers its children, and the families of scopes the views of both dialects require.

`config/settings.py` offers the catalogue (`MASTODON_SCOPES`, `OAUTH2_PROVIDER["SCOPES"]`), the
OAuth glue of `accounts/oauth.py` limits apps to it, `config/api/auth.py` checks a token against a
view's `required_scopes` with `scopes_cover`, and every view names one of the families below.
`tests/config/test_scopes.py` checks that no view requires a scope the catalogue lacks (no token
could ever hold it).
"""

from django.conf import settings

# The top-level scopes, as the consent page describes them.
TOP_LEVEL = {
    "read": "read all your account's data",
    "write": "modify all your account's data",
    "follow": "modify account relationships",
    "push": "receive your push notifications",
    "profile": "read only your account's profile",
    "admin:read": "read all data on the server",
    "admin:write": "modify all data on the server",
}
# The granular scopes under `read` and `write` (Mastodon 4.x's list; there is no `read:reports`).
GRANULAR = {
    "read": ("accounts", "blocks", "bookmarks", "favourites", "filters", "follows", "lists",
             "mutes", "notifications", "search", "statuses"),
    "write": ("accounts", "blocks", "bookmarks", "conversations", "favourites", "filters",
              "follows", "lists", "media", "mutes", "notifications", "reports", "statuses"),
}
# Every scope a token may hold, with its description.
MASTODON_SCOPES: dict[str, str] = {
    **TOP_LEVEL,
    **{f"{parent}:{child}": f"{parent} {child}"
       for parent, children in GRANULAR.items() for child in children},
}


def parent_of(scope: str) -> str | None:
    """The scope that covers `scope` (`read` for `read:statuses`); None for a top-level scope and
    for the admin scopes, which neither `read` nor `write` covers."""
    if ":" not in scope or scope.startswith("admin:"):
        return None
    return scope.split(":", 1)[0]


def expand_scopes(scopes: list[str] | set[str]) -> set[str]:
    """The scopes given, and every scope of the catalogue one of them covers."""
    granted = set(scopes)
    granted.update(name for name in settings.MASTODON_SCOPES if parent_of(name) in granted)
    return granted


def scopes_cover(granted: set[str], required: tuple[str, ...]) -> bool:
    """Doorkeeper's any-of check of a family, with a parent covering its children (django-oauth-
    toolkit's own check is an exact subset test)."""
    return any(scope in granted or parent_of(scope) in granted for scope in required)


# --- the families views require: any one scope of a family grants the action ------------------

READ_STATUSES = ("read", "read:statuses")
READ_FILTERS = ("read", "read:filters")
WRITE_FILTERS = ("write", "write:filters")
WRITE_STATUSES = ("write", "write:statuses")
READ_ACCOUNTS = ("read", "read:accounts")
READ_SEARCH = ("read", "read:search")
READ_BOOKMARKS = ("read", "read:bookmarks")
READ_FAVOURITES = ("read", "read:favourites")
READ_FOLLOWS = ("read", "read:follows")
WRITE_ACCOUNTS = ("write", "write:accounts")
WRITE_BOOKMARKS = ("write", "write:bookmarks")
WRITE_FAVOURITES = ("write", "write:favourites")
WRITE_MEDIA = ("write", "write:media")
READ_NOTIFICATIONS = ("read", "read:notifications")
WRITE_NOTIFICATIONS = ("write", "write:notifications")
# A status's conversation; muting an account is FOLLOW_WRITE_MUTES.
WRITE_MUTES = ("write", "write:mutes")
# verify_credentials: `profile` reads only one's own account.
READ_PROFILE = ("read", "read:accounts", "profile")
# Relationships, which the older `follow` scope also grants.
FOLLOW_READ_FOLLOWS = ("follow", "read", "read:follows")
FOLLOW_WRITE_FOLLOWS = ("follow", "write", "write:follows")
FOLLOW_WRITE_BLOCKS = ("follow", "write", "write:blocks")
FOLLOW_WRITE_MUTES = ("follow", "write", "write:mutes")
FOLLOW_READ_BLOCKS = ("follow", "read", "read:blocks")
FOLLOW_READ_MUTES = ("follow", "read", "read:mutes")
# SelfCommunity's vote is a favourite and its flag a report, each also a write of statuses.
VOTE = ("write", "write:favourites", "write:statuses")
FLAG = ("write", "write:reports", "write:statuses")
# Removing or reading one's conversations (Mastodon's ConversationsController).
WRITE_CONVERSATIONS = ("write", "write:conversations")
READ_LISTS = ("read", "read:lists")
WRITE_LISTS = ("write", "write:lists")

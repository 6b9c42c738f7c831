"""The names of the channel layer's groups a stream listens on, shared by the publisher and the
connections. A group carries ids only; each connection reads and renders for its own reader.

Channel layer group names are ASCII letters, digits, `-`, `_` and `.` under 100 characters, so a
hashtag (any Unicode letters) is named by a digest of its normalised name."""

import hashlib

from statuses.rendering import normalize_hashtag

PUBLIC = "timeline.public"


def home(account_id: int) -> str:
    """An account's home (`user`) stream: its own statuses and those of the accounts it
    follows, their edits and deletes, `filters_changed`."""
    return f"timeline.user.{account_id}"


def notifications(account_id: int) -> str:
    return f"timeline.user.{account_id}.notification"


def direct(account_id: int) -> str:
    """An account's conversations (`direct`)."""
    return f"timeline.direct.{account_id}"


LIST_PREFIX = "timeline.list."


def list_group(list_id: int) -> str:
    """A list's stream (`list`): the statuses of its members, heard by its owner only."""
    return f"{LIST_PREFIX}{list_id}"


def token(token_id: int) -> str:
    """The connections opened with one access token, which end when it is revoked (Mastodon's
    `timeline:access_token:<id>` and its `kill`)."""
    return f"timeline.token.{token_id}"


def hashtag(name: str) -> str | None:
    """The group of a hashtag as a client names it (`#Café` and `cafe` are one), or None when
    nothing of it survives normalisation."""
    normalized = normalize_hashtag(name)
    if not normalized:
        return None
    return "timeline.hashtag." + hashlib.sha1(normalized.encode("utf-8")).hexdigest()

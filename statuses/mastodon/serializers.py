"""Mastodon Status entity (section 3.1 of the behaviour spec), rendered as plain dicts.

Statuses sit on every hot path, so they are rendered by hand from stored columns rather than by
nested DRF serializers. Per-viewer flags come from a `ViewerState` built once for a whole page.
"""

from dataclasses import dataclass, field
from urllib.parse import quote

from accounts.mastodon.serializers import (
    datetime_ms,
    serialize_account,
    serialize_status_application,
)
from accounts.models import Visibility
from config import instance

VISIBILITY_NAMES = {
    Visibility.PUBLIC: "public",
    Visibility.UNLISTED: "unlisted",
    Visibility.PRIVATE: "private",
    Visibility.DIRECT: "direct",
    Visibility.LIMITED: "private",
}


@dataclass
class ViewerState:
    """What the viewing account has done to the statuses of one page, as sets of ids."""

    viewer: object | None
    favourited: set[int] = field(default_factory=set)
    reblogged: set[int] = field(default_factory=set)
    bookmarked: set[int] = field(default_factory=set)
    muted: set[int] = field(default_factory=set)
    pinned: set[int] = field(default_factory=set)
    # Rendered accounts by id: authors repeat across a page and are rendered once.
    accounts: dict[int, dict] = field(default_factory=dict)


def viewer_state(viewer, statuses) -> ViewerState:
    """Per-viewer flags for a page of statuses, in a constant number of queries.

    Favourites, reblogs, bookmarks, conversation mutes and pins are added by the interactions
    issue; until then every flag is false and this costs no query.
    """
    return ViewerState(viewer=viewer)


def serialize_status(status, state: ViewerState, *, source_requested: bool = False) -> dict:
    viewer = state.viewer
    account = status.account
    is_author = viewer is not None and viewer.pk == status.account_id
    data = {
        "id": str(status.pk),
        "created_at": datetime_ms(status.created_at),
        "in_reply_to_id": str(status.in_reply_to_id) if status.in_reply_to_id else None,
        "in_reply_to_account_id": (
            str(status.in_reply_to_account_id) if status.in_reply_to_account_id else None
        ),
        "sensitive": status.sensitive,
        "spoiler_text": status.spoiler_text,
        "visibility": VISIBILITY_NAMES[status.visibility],
        "language": status.language,
        "uri": instance.status_uri(account.username, status.pk),
        "url": instance.status_url(account.username, status.pk),
        "replies_count": status.replies_count,
        "reblogs_count": status.reblogs_count,
        "favourites_count": status.likes_count,
        "edited_at": datetime_ms(status.edited_at),
    }
    if viewer is not None:
        data["favourited"] = status.pk in state.favourited
        data["reblogged"] = status.pk in state.reblogged
        data["muted"] = status.pk in state.muted
        data["bookmarked"] = status.pk in state.bookmarked
        if is_author and status.reblog_of_id is None and status.visibility <= Visibility.PRIVATE:
            data["pinned"] = status.pk in state.pinned
    if source_requested:
        data["text"] = status.text
    else:
        data["content"] = status.html
    if viewer is not None:
        data["filtered"] = []
    data["reblog"] = None
    if account.show_application or is_author:
        data["application"] = serialize_status_application(status.application)
    rendered = state.accounts.get(status.account_id)
    if rendered is None:
        rendered = state.accounts[status.account_id] = serialize_account(account)
    data["account"] = rendered
    data["media_attachments"] = []
    data["mentions"] = [
        {
            "id": str(account_id),
            "username": username,
            "url": instance.account_url(username),
            "acct": username,
        }
        for account_id, username in status.mention_data
    ]
    tags_base = instance.tags_base_url()
    data["tags"] = [{"name": name, "url": tags_base + quote(name, safe="")} for name in status.tag_data]
    data["emojis"] = []
    data["card"] = None
    data["poll"] = None
    return data


def serialize_statuses(statuses, viewer) -> list[dict]:
    state = viewer_state(viewer, statuses)
    return [serialize_status(s, state) for s in statuses]

"""What the public page templates show of statuses and accounts, built from rows the page
selectors already loaded (no query here): plain values, so a template cannot reach a relation."""

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import mark_safe

from config import instance
from media.models import MediaKind, MediaState
from statuses.models import QuoteState, Status
from statuses.status_page import StatusPage

MISSING_AVATAR = "/avatars/original/missing.png"


def status_path(username: str, status_id: int) -> str:
    """The path of `instance.status_url`, for links that stay on the host being browsed."""
    return f"/@{username}/{status_id}"


def account_path(username: str) -> str:
    return f"/@{username}"


def avatar(account) -> str:
    return account.avatar.url if account.avatar else MISSING_AVATAR


def present_account(account) -> dict:
    return {
        "username": account.username,
        "acct": f"{account.username}@{settings.INSTANCE_DOMAIN}",
        "display_name": account.display_name or account.username,
        "note": account.note,
        "path": account_path(account.username),
        "url": instance.account_url(account.username),
        "avatar": avatar(account),
        "avatar_url": instance.absolute(avatar(account)),
        "statuses_count": account.statuses_count,
        "followers_count": account.followers_count,
        "following_count": account.following_count,
        "bot": account.bot,
    }


def _media(media) -> dict | None:
    """One attachment as the page shows it; None for a share (shown as the quote instead)."""
    if media.kind == MediaKind.SHARE:
        return None
    ready = media.state == MediaState.READY
    file_url = media.file.url if ready and media.file else None
    if media.thumbnail:
        preview = media.thumbnail.url
    else:
        preview = media.small.url if ready and media.small else None
    if media.kind == MediaKind.URL:
        file_url = media.remote_url or None
    return {
        "kind": media.kind,
        "url": file_url,
        "preview": preview or file_url,
        "preview_url": instance.absolute(preview or file_url) if preview or file_url else None,
        "description": media.description,
        "title": media.title,
        "ready": ready,
    }


def _poll(poll) -> dict | None:
    if poll is None:
        return None
    expired = poll.expires_at is not None and poll.expires_at < timezone.now()
    shown = expired or not poll.hide_totals
    total = poll.votes_count or 0
    options = []
    for i, title in enumerate(poll.options):
        votes = poll.tallies[i] if i < len(poll.tallies) else 0
        options.append({
            "title": title,
            "votes": votes if shown else None,
            "percent": round(100 * votes / total) if shown and total else 0,
        })
    return {"options": options, "expired": expired, "expires_at": poll.expires_at,
            "voters_count": poll.voters_count, "multiple": poll.multiple}


def _quote(status: Status, page: StatusPage) -> dict | None:
    """The quoted status when an anonymous reader may see it (the page's `quoted` says so);
    otherwise a line saying it cannot be shown."""
    if status.quote_of_id is None:
        return None
    facts = page.quoted.get(status.pk)
    quoted = facts.status if facts is not None else None
    if (status.quote_state != QuoteState.ACCEPTED or quoted is None
            or quoted.deleted_at is not None or not facts.visible):
        return {"hidden": True}
    return {
        "hidden": False,
        "author": present_account(quoted.account),
        "path": status_path(quoted.account.username, quoted.pk),
        "html": mark_safe(quoted.html),  # noqa: S308 - stored sanitised at write time
        "spoiler_text": quoted.spoiler_text,
        "media": [m for m in (_media(x) for x in page.media_of(quoted)) if m],
    }


def present_status(status: Status, page: StatusPage) -> dict:
    """A status (for a reblog, its original, with who reblogged it) as a page shows it."""
    reblogged_by = None
    if status.reblog_of_id is not None:
        reblogged_by = present_account(status.account)
        status = status.reblog_of
    account = status.account
    media = [m for m in (_media(x) for x in page.media_of(status)) if m]
    return {
        "id": status.pk,
        "path": status_path(account.username, status.pk),
        "url": instance.status_url(account.username, status.pk),
        "author": present_account(account),
        "reblogged_by": reblogged_by,
        # The stored Mastodon rendering, sanitised when it was written (statuses/rendering.py,
        # statuses/html_text.py): never the raw text.
        "html": mark_safe(status.html),  # noqa: S308
        "summary": status.summary,
        "spoiler_text": status.spoiler_text,
        "sensitive": status.sensitive,
        "language": status.language or "",
        "created_at": status.created_at,
        "edited_at": status.edited_at,
        "is_reply": status.in_reply_to_id is not None,
        "media": media,
        "images": [m for m in media if m["kind"] == MediaKind.IMAGE and m["preview"]],
        "poll": _poll(page.polls.by_status.get(status.pk)) if status.has_poll else None,
        "quote": _quote(status, page),
        "replies_count": status.replies_count,
        "reblogs_count": status.reblogs_count,
        "favourites_count": status.likes_count,
        "quotes_count": status.shares_count,
    }

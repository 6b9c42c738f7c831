"""What Mastodon tests expect, written once: the keys of a Status, the full Relationship entity
and stored counters."""

from accounts.models import Account

# A Status as its author sees it, in the order of Mastodon's REST::StatusSerializer (section 3.1
# of the behaviour spec), 4.5's `quotes_count`, `quote` and `quote_approval` included.
STATUS_KEYS = (
    "id", "created_at", "in_reply_to_id", "in_reply_to_account_id", "sensitive", "spoiler_text",
    "visibility", "language", "uri", "url", "replies_count", "reblogs_count", "favourites_count",
    "quotes_count", "edited_at", "favourited", "reblogged", "muted", "bookmarked", "pinned",
    "content", "filtered", "reblog", "application", "account", "media_attachments", "mentions",
    "tags", "emojis", "quote", "card", "poll", "quote_approval",
)


def relationship(account_id, **flags) -> dict:
    """The full Relationship a test expects: every flag false unless given."""
    body = {
        "id": str(account_id),
        "following": False,
        "showing_reblogs": False,
        "notifying": False,
        "languages": None,
        "followed_by": False,
        "blocking": False,
        "blocked_by": False,
        "muting": False,
        "muting_notifications": False,
        "requested": False,
        "requested_by": False,
        "domain_blocking": False,
        "endorsed": False,
        "note": "",
    }
    assert set(flags) <= set(body)
    body.update(flags)
    return body


def counters(account) -> tuple[int, int]:
    """(followers_count, following_count) as stored."""
    fresh = Account.objects.get(pk=account.pk)
    return fresh.followers_count, fresh.following_count

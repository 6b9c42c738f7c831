"""What Mastodon tests expect, written once: the full Relationship entity and stored counters."""

from accounts.models import Account


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

"""What the writes of a status share, whichever dialect's service makes them: Mastodon's posts and
edits (posting.py), SelfCommunity's contributions (contributions.py) and comments (comments.py).

Each is a step of a write, called inside the caller's transaction; none decides a rule of its
own dialect. Kept apart from posting.py so that no service imports another's private helpers.
"""

from collections.abc import Iterable

from django.db.models.functions import Lower

from accounts.models import Account, Block
from config import instance, ratelimit
from config.languages import DEFAULT_LANGUAGE, normalize_language
from statuses import html_text
from statuses.models import Hashtag, Poll, Status, StatusEdit

# `edit_snapshot`'s default: read the status's poll rather than take the options given.
CURRENT_POLL = object()


def language_for(account: Account, requested: str | None = None) -> str:
    """A new status's language: the one requested if known, else the author's default, else the
    instance's."""
    return (
        normalize_language(requested)
        or normalize_language(account.default_language)
        or DEFAULT_LANGUAGE
    )


def hashtags_upsert(names: list[str]) -> list[Hashtag]:
    """The Hashtag rows of `names` (normalized names, duplicates and blanks skipped), created as
    needed, in one statement."""
    names = [n for n in dict.fromkeys(names) if n]
    if not names:
        return []
    # One upsert that returns the ids, whether the tags are new or not.
    return Hashtag.objects.bulk_create(
        [Hashtag(name=n) for n in names],
        update_conflicts=True, unique_fields=["name"], update_fields=["name"],
    )


def edit_snapshot(status: Status, media: list, *, created_at,
                  poll_options=CURRENT_POLL) -> StatusEdit:
    """A revision of `status` as it is now (unsaved), for Mastodon's history: its text, warning,
    sensitivity, media descriptions, quote and poll options. The poll's options are read unless
    given (None: the revision had no poll)."""
    if poll_options is CURRENT_POLL:
        poll_options = (Poll.objects.filter(status=status).values_list("options", flat=True)
                        .first() if status.has_poll else None)
    return StatusEdit(
        status=status, account_id=status.account_id, text=status.text,
        spoiler_text=status.spoiler_text, html=status.html, sensitive=status.sensitive,
        media=[[m.pk, m.description] for m in media], created_at=created_at,
        poll_options=poll_options, quoted_status_id=status.quote_of_id,
    )


def mention_targets(*, author: Account, usernames: Iterable[str]
                    ) -> dict[str, html_text.MentionTarget]:
    """The accounts an HTML text (SelfCommunity's) may mention, by lowercased username: local,
    active and unsuspended; accounts the author blocks are left as text, as in a Mastodon post."""
    names = set(usernames)
    if not names:
        return {}
    accounts = list(
        Account.objects.annotate(lower_name=Lower("username"))
        .filter(lower_name__in=names, suspended_at__isnull=True, is_active=True)
        .exclude(pk__in=Block.objects.filter(account=author).values("target_id"))
    )
    return {
        a.username.lower(): html_text.MentionTarget(
            id=a.pk, username=a.username, ext_id=a.ext_id, url=instance.account_url(a.username))
        for a in accounts
    }


def posting_limit(account: Account):
    """The posting limiter both dialects share (300 statuses and edits per 3 hours), as a
    context manager: the write inside is refused over the limit and gives its count back when it
    fails."""
    return ratelimit.charged(ratelimit.rule("statuses"), f"a{account.pk}")

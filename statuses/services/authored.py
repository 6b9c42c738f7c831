"""An author's counters of their own statuses: `statuses_count` (Mastodon's, SelfCommunity's
`statuses_counter`) and SelfCommunity's `posts_counter`, `discussions_counter` and
`polls_counter`. Which of them a status counts in is decided here, once, for every service that
writes, deletes, restores or edits a status (statuses/counters.py says the same in SQL, and
checks it): a live status that is not direct counts in `statuses_count`; a post or a discussion
also in its type's counter; one carrying a poll also in `polls_count`. A reblog wrapper or a
comment is of type `status` and carries no poll: it counts in `statuses_count` only."""

from django.db.models import F
from django.db.models.functions import Greatest

from accounts.models import Account, Visibility
from statuses.models import ContributionType, Status

BY_TYPE = {ContributionType.POST: "posts_count", ContributionType.DISCUSSION: "discussions_count"}


def counted_in(status: Status) -> tuple[str, ...]:
    """The author's counters `status` counts in while it is live."""
    if status.visibility == Visibility.DIRECT:
        return ()
    columns = ["statuses_count"]
    if status.contribution_type in BY_TYPE:
        columns.append(BY_TYPE[status.contribution_type])
    if status.has_poll:
        columns.append("polls_count")
    return tuple(columns)


def moved(columns, delta: int) -> dict:
    """The UPDATE arguments moving `columns` by `delta` (never below 0)."""
    if delta > 0:
        return {c: F(c) + delta for c in columns}
    return {c: Greatest(F(c) + delta, 0) for c in columns}


def _in_memory(account: Account | None, columns, delta: int) -> None:
    """The same move on the caller's Account, so what it renders next shows the new counts."""
    if account is not None:
        for column in columns:
            setattr(account, column, max(getattr(account, column) + delta, 0))


def author_counts_add(*, status: Status, account: Account | None = None, **also) -> bool:
    """`status` is live now (posted, restored): its author's counters grow (with `also`, other
    columns of the author's row to set in the same UPDATE). Returns whether it counts at all."""
    columns = counted_in(status)
    if not columns:
        return False
    Account.objects.filter(pk=status.account_id).update(**moved(columns, 1), **also)
    _in_memory(account, columns, 1)
    return True


def author_counts_remove(*, status: Status, account: Account | None = None) -> None:
    """`status` is no longer live (deleted): its author's counters shrink."""
    columns = counted_in(status)
    if columns:
        Account.objects.filter(pk=status.account_id).update(**moved(columns, -1))
        _in_memory(account, columns, -1)


def author_counts_change(*, status: Status, before: tuple[str, ...],
                         account: Account | None = None) -> None:
    """An edit changed what `status` counts in (a poll added or removed, direct no more):
    `before` is `counted_in` of the status before the edit."""
    after = counted_in(status)
    grown = [c for c in after if c not in before]
    shrunk = [c for c in before if c not in after]
    if grown or shrunk:
        Account.objects.filter(pk=status.account_id).update(**moved(grown, 1),
                                                            **moved(shrunk, -1))
        _in_memory(account, grown, 1)
        _in_memory(account, shrunk, -1)

"""What every counter column counts, as SQL: used to prove the counters equal their rows
(`manage.py check_counters`) and to compute the accounts' follow counters after a bulk load of
accounts (statuses/seeding.py counts a statuses load's counters while generating it).

Each definition is the rule the services keep with F() (statuses/services/, accounts/services.py):
e.g. `replies_count` counts live public and unlisted replies plus SelfCommunity comments, and an
account's `statuses_count` its live statuses that are not direct, reblogs included, and of
those `posts_count` and `discussions_count` its posts and discussions, `polls_count` the ones
carrying a poll (statuses/services/authored.py is the services' one copy of that rule). Deleted
statuses are not checked: their counters stay as they were when they were deleted, so that a
restore brings them back as they were.
"""

from dataclasses import dataclass

from django.db import connection

from accounts.models import Account, Follow, Visibility
from media.models import MediaAttachment, MediaKind
from statuses.models import (
    ContributionType,
    Flag,
    Poll,
    PollVote,
    QuoteState,
    Status,
    StatusFollow,
    StatusView,
    Vote,
)


@dataclass(frozen=True)
class Counter:
    table: str  # the table holding the column
    column: str
    rows: str  # SELECT k, n: the row count per key of `table`
    where: str = "1 = 1"  # which rows of `table` are checked
    # How the column reads as a number (has_poll is a boolean that must equal 0 or 1 rows).
    value: str = ""

    @property
    def name(self) -> str:
        return f"{self.table}.{self.column}"

    @property
    def stored(self) -> str:
        return self.value or f't."{self.column}"'


def definitions() -> list[Counter]:
    s, a = Status._meta.db_table, Account._meta.db_table
    vote, media = Vote._meta.db_table, MediaAttachment._meta.db_table
    flag, follow_s = Flag._meta.db_table, StatusFollow._meta.db_table
    view, follow = StatusView._meta.db_table, Follow._meta.db_table
    poll, poll_vote = Poll._meta.db_table, PollVote._meta.db_table
    live = "t.deleted_at IS NULL"
    public_like = f"({Visibility.PUBLIC}, {Visibility.UNLISTED})"
    authored = (f"SELECT account_id AS k, COUNT(*) AS n FROM {s} WHERE deleted_at IS NULL "
                f"AND visibility <> {Visibility.DIRECT}")
    return [
        Counter(s, "replies_count", where=live, rows=(
            f"SELECT in_reply_to_id AS k, COUNT(*) AS n FROM {s} WHERE in_reply_to_id IS NOT NULL "
            f"AND deleted_at IS NULL AND (visibility IN {public_like} OR audience_id IS NOT NULL)"
            " GROUP BY in_reply_to_id")),
        Counter(s, "reblogs_count", where=live, rows=(
            f"SELECT reblog_of_id AS k, COUNT(*) AS n FROM {s} WHERE reblog_of_id IS NOT NULL "
            "AND deleted_at IS NULL GROUP BY reblog_of_id")),
        Counter(s, "likes_count", where=live, rows=(
            f"SELECT status_id AS k, COUNT(*) AS n FROM {vote} GROUP BY status_id")),
        Counter(s, "media_count", where=live, rows=(
            f"SELECT status_id AS k, COUNT(*) AS n FROM {media} WHERE status_id IS NOT NULL "
            f"AND kind <> '{MediaKind.SHARE.value}' GROUP BY status_id")),
        Counter(s, "shares_count", where=live, rows=(
            f"SELECT quote_of_id AS k, COUNT(*) AS n FROM {s} WHERE quote_of_id IS NOT NULL "
            f"AND deleted_at IS NULL AND quote_state = {QuoteState.ACCEPTED.value} "
            "GROUP BY quote_of_id")),
        Counter(s, "flags_count", where=live, rows=(
            f"SELECT status_id AS k, COUNT(*) AS n FROM {flag} GROUP BY status_id")),
        Counter(s, "followers_count", where=live, rows=(
            f"SELECT status_id AS k, COUNT(*) AS n FROM {follow_s} GROUP BY status_id")),
        Counter(s, "views_count", where=live, rows=(
            f"SELECT status_id AS k, COUNT(*) AS n FROM {view} GROUP BY status_id")),
        Counter(s, "has_poll", where=live,
                value="CASE WHEN t.has_poll THEN 1 ELSE 0 END", rows=(
                    f"SELECT status_id AS k, COUNT(*) AS n FROM {poll} GROUP BY status_id")),
        Counter(a, "statuses_count", rows=f"{authored} GROUP BY account_id"),
        Counter(a, "posts_count", rows=(
            f"{authored} AND contribution_type = '{ContributionType.POST.value}' "
            "GROUP BY account_id")),
        Counter(a, "discussions_count", rows=(
            f"{authored} AND contribution_type = '{ContributionType.DISCUSSION.value}' "
            "GROUP BY account_id")),
        Counter(a, "polls_count", rows=f"{authored} AND has_poll GROUP BY account_id"),
        Counter(a, "followers_count", rows=(
            f"SELECT target_id AS k, COUNT(*) AS n FROM {follow} WHERE accepted "
            "GROUP BY target_id")),
        Counter(a, "following_count", rows=(
            f"SELECT account_id AS k, COUNT(*) AS n FROM {follow} WHERE accepted "
            "GROUP BY account_id")),
        Counter(poll, "votes_count", rows=(
            f"SELECT poll_id AS k, COUNT(*) AS n FROM {poll_vote} GROUP BY poll_id")),
        Counter(poll, "voters_count", rows=(
            f"SELECT poll_id AS k, COUNT(DISTINCT account_id) AS n FROM {poll_vote} "
            "GROUP BY poll_id")),
    ]


def mismatches(counter: Counter, *, limit: int = 5) -> tuple[int, list[tuple]]:
    """How many rows of `counter.table` disagree with their rows, and the first few
    (id, stored, counted)."""
    query = (f'FROM "{counter.table}" t LEFT JOIN ({counter.rows}) agg ON agg.k = t.id '
             f"WHERE {counter.where} AND {counter.stored} <> COALESCE(agg.n, 0)")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {query}")
        total = cursor.fetchone()[0]
        examples = []
        if total:
            cursor.execute(f"SELECT t.id, {counter.stored}, COALESCE(agg.n, 0) {query} "
                           f"ORDER BY t.id LIMIT {int(limit)}")
            examples = list(cursor.fetchall())
    return total, examples


def tally_mismatches(*, limit: int = 5) -> tuple[int, list[tuple]]:
    """Polls whose per-option tallies differ from their votes: (poll id, stored, counted)."""
    counted: dict[int, dict[int, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT poll_id, choice, COUNT(*) FROM {PollVote._meta.db_table} "
                       "GROUP BY poll_id, choice")
        for poll_id, choice, n in cursor.fetchall():
            counted.setdefault(poll_id, {})[choice] = n
    bad = []
    for poll_id, options, tallies in Poll.objects.values_list("pk", "options", "tallies").iterator(
            chunk_size=5000):
        expected = [counted.get(poll_id, {}).get(i, 0) for i in range(len(options))]
        if list(tallies) != expected:
            bad.append((poll_id, tallies, expected))
    return len(bad), bad[:limit]


def recompute_accounts() -> None:
    """Every account's counters, from the rows (after a bulk load of accounts). The counts only
    grew, so an account without rows keeps its 0."""
    a = Account._meta.db_table
    with connection.cursor() as cursor:
        for counter in definitions():
            if counter.table == a:
                cursor.execute(
                    f'UPDATE "{a}" SET "{counter.column}" = agg.n FROM ({counter.rows}) agg '
                    f'WHERE "{a}".id = agg.k AND "{a}"."{counter.column}" <> agg.n')

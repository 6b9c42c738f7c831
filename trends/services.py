"""The periodic trends computation: ranks recent public statuses, hashtags and links by recent
interactions and writes the ranking into the trends tables, which requests only read.

The rules (Mastodon's Trends::Statuses / Trends::Tags / Trends::Links, simplified):

- Eligible statuses: kept, public (not unlisted), not a reblog or reply, not sensitive and
  without a content warning, not collapsed, by an account that is discoverable, neither
  suspended nor silenced.
- Statuses: an eligible status written within `TRENDS_STATUS_MAX_AGE` (3 days) scores the
  favourites, reblogs and replies it received from other accounts within `TRENDS_WINDOW` (the
  last day), halved for every `TRENDS_HALF_LIFE` (6 hours) of the status's age:
  `interactions * 0.5 ** (age / half_life)`. At least `TRENDS_MIN_INTERACTIONS` are needed.
- Tags and links: per UTC day, the distinct accounts whose eligible statuses used the hashtag
  (or linked the card's page). `score = recent**2 / baseline`, where `recent` is today's
  accounts plus half of yesterday's (the decay) and `baseline` the mean of the five days
  before, at least 1: what rises above its usual use trends, what is always used does not.
  `history` is Mastodon's: seven days, newest first, `day` (the day's start, Unix seconds),
  `uses` (statuses) and `accounts`, all strings.

At most `TRENDS_KEEP` (200) of each are kept. Each run replaces the tables in one transaction.
"""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import Account, Visibility
from statuses.models import Status, StatusTag, Vote
from trends.models import SuggestionDismissal, TrendingLink, TrendingStatus, TrendingTag

HISTORY_DAYS = 7


def _eligible_q(prefix: str = "") -> Q:
    def q(**lookups) -> Q:
        return Q(**{prefix + key: value for key, value in lookups.items()})

    return q(deleted_at__isnull=True, visibility=Visibility.PUBLIC, reblog_of__isnull=True,
             in_reply_to__isnull=True, sensitive=False, spoiler_text="", collapsed=False,
             account__discoverable=True, account__suspended_at__isnull=True,
             account__silenced_at__isnull=True)


def trends_compute(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Rank statuses, tags and links as of `now` and replace the trends tables; returns how
    many of each were ranked."""
    now = now or timezone.now()
    statuses = _rank_statuses(now)
    tags = _rank_by_day(StatusTag.objects.filter(_eligible_q("status__")), now,
                        key="hashtag_id", created="status__created_at",
                        account="status__account_id", status="status_id")
    links = _rank_by_day(Status.objects.filter(_eligible_q(), card_id__isnull=False), now,
                         key="card_id", created="created_at", account="account_id",
                         status="id")
    with transaction.atomic():
        TrendingStatus.objects.all().delete()
        TrendingTag.objects.all().delete()
        TrendingLink.objects.all().delete()
        TrendingStatus.objects.bulk_create(
            TrendingStatus(status_id=pk, rank=rank, score=score)
            for rank, (pk, score) in enumerate(statuses))
        TrendingTag.objects.bulk_create(
            TrendingTag(hashtag_id=pk, rank=rank, score=score, history=history)
            for rank, (pk, score, history) in enumerate(tags))
        TrendingLink.objects.bulk_create(
            TrendingLink(card_id=pk, rank=rank, score=score, history=history)
            for rank, (pk, score, history) in enumerate(links))
    return {"statuses": len(statuses), "tags": len(tags), "links": len(links)}


def _rank_statuses(now: dt.datetime) -> list[tuple[int, float]]:
    since = now - settings.TRENDS_WINDOW
    candidates = Status.objects.filter(
        _eligible_q(), created_at__gte=now - settings.TRENDS_STATUS_MAX_AGE,
        created_at__lte=now)
    counts: dict[int, int] = defaultdict(int)
    favourites = (Vote.objects.filter(created_at__gte=since, status__in=candidates)
                  .exclude(account_id=F("status__account_id"))
                  .values("status_id").annotate(n=Count("pk")).values_list("status_id", "n"))
    reblogs = (Status.objects.filter(deleted_at__isnull=True, created_at__gte=since,
                                     reblog_of__in=candidates)
               .exclude(account_id=F("reblog_of__account_id"))
               .values("reblog_of_id").annotate(n=Count("pk")).values_list("reblog_of_id", "n"))
    replies = (Status.objects.filter(deleted_at__isnull=True, created_at__gte=since,
                                     in_reply_to__in=candidates)
               .exclude(account_id=F("in_reply_to_account_id"))
               .values("in_reply_to_id").annotate(n=Count("pk"))
               .values_list("in_reply_to_id", "n"))
    for rows in (favourites, reblogs, replies):
        for pk, n in rows:
            counts[pk] += n
    counts = {pk: n for pk, n in counts.items() if n >= settings.TRENDS_MIN_INTERACTIONS}
    if not counts:
        return []
    half_life = settings.TRENDS_HALF_LIFE.total_seconds()
    scored = []
    for pk, created_at in Status.objects.filter(pk__in=counts).values_list("pk", "created_at"):
        age = max((now - created_at).total_seconds(), 0.0)
        scored.append((pk, counts[pk] * 0.5 ** (age / half_life)))
    scored.sort(key=lambda item: (-item[1], -item[0]))
    return scored[:settings.TRENDS_KEEP]


def _rank_by_day(rows, now: dt.datetime, *, key: str, created: str, account: str,
                 status: str) -> list[tuple[int, float, list[dict]]]:
    """Tags or links: one aggregate over the last seven UTC days, per (object, day)."""
    today = now.astimezone(dt.UTC).date()
    first = today - dt.timedelta(days=HISTORY_DAYS - 1)
    start = dt.datetime.combine(first, dt.time.min, tzinfo=dt.UTC)
    days: dict[int, dict[dt.date, tuple[int, int]]] = defaultdict(dict)
    aggregated = (rows.filter(**{f"{created}__gte": start, f"{created}__lte": now})
                  .annotate(day=TruncDate(created, tzinfo=dt.UTC))
                  .values(key, "day")
                  .annotate(uses=Count(status, distinct=True),
                            accounts=Count(account, distinct=True))
                  .values_list(key, "day", "uses", "accounts"))
    for pk, day, uses, accounts in aggregated:
        if isinstance(day, dt.datetime):
            day = day.date()
        days[pk][day] = (uses, accounts)
    ranked = []
    for pk, by_day in days.items():
        accounts_on = [by_day.get(today - dt.timedelta(days=back), (0, 0))[1]
                       for back in range(HISTORY_DAYS)]
        recent = accounts_on[0] + accounts_on[1] / 2
        if recent <= 0:
            continue
        baseline = max(sum(accounts_on[2:]) / (HISTORY_DAYS - 2), 1.0)
        history = []
        for back in range(HISTORY_DAYS):
            day = today - dt.timedelta(days=back)
            uses, accounts = by_day.get(day, (0, 0))
            midnight = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
            history.append({"day": str(int(midnight.timestamp())), "uses": str(uses),
                            "accounts": str(accounts)})
        ranked.append((pk, recent * recent / baseline, history))
    ranked.sort(key=lambda item: (-item[1], -item[0]))
    return ranked[:settings.TRENDS_KEEP]


def suggestion_dismiss(*, account, target_id: int | None) -> None:
    """DELETE /api/v1/suggestions/:account_id: never suggest `target_id` to `account` again. An
    id that names no account is ignored, as Mastodon's FollowRecommendationMute fails its
    validation silently."""
    if target_id is None or target_id == account.pk:
        return
    if not Account.objects.filter(pk=target_id).exists():
        return
    SuggestionDismissal.objects.get_or_create(account_id=account.pk, target_id=target_id)

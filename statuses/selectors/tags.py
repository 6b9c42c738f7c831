"""Reads of hashtags: a tag by name, its week of use, the tags an account follows or features,
and the tags an account used most (Mastodon's Tag, TagFollow and FeaturedTag reads).

The history and the featured tags' counts are read from the statuses themselves, for a whole
page of tags in one grouped query, so a list costs the same number of queries at any size.
"""

import datetime

from django.db.models import Count, Max, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import Visibility
from statuses.models import FeaturedTag, Hashtag, Status, StatusTag, TagFollow
from statuses.rendering import hashtag_name_valid, normalize_hashtag

HISTORY_DAYS = 7
# What Mastodon counts as a use of a tag (Status#distributable?): public and unlisted statuses.
COUNTED = (Visibility.PUBLIC, Visibility.UNLISTED)
# How many of an account's latest statuses its tag suggestions are read from (Tag.recently_used).
RECENT_STATUSES = 1000
SUGGESTIONS = 10


def tag_name(raw: str) -> str | None:
    """The normalised name of `raw`, or None when it is no hashtag name (Tag::HASHTAG_NAME_RE)."""
    if not raw or not hashtag_name_valid(raw):
        return None
    return normalize_hashtag(raw) or None


def tag_find(raw: str) -> Hashtag | None:
    name = tag_name(raw)
    return Hashtag.objects.filter(name=name).first() if name else None


def _counted_uses():
    return StatusTag.objects.filter(status__deleted_at__isnull=True,
                                    status__reblog_of__isnull=True,
                                    status__visibility__in=COUNTED)


def tag_histories(hashtag_ids) -> dict[int, list[dict]]:
    """Per hashtag id: the last seven days (today first) as Mastodon's history entries, `day`
    the UTC midnight as a unix time, `uses` statuses and `accounts` distinct authors, all strings."""
    today = timezone.now().astimezone(datetime.UTC).date()
    days = [today - datetime.timedelta(days=i) for i in range(HISTORY_DAYS)]
    start = datetime.datetime.combine(days[-1], datetime.time(), tzinfo=datetime.UTC)
    counts = {}
    ids = list(hashtag_ids)
    if ids:
        rows = (_counted_uses()
                .filter(hashtag_id__in=ids, status__created_at__gte=start)
                .annotate(day=TruncDate("status__created_at", tzinfo=datetime.UTC))
                .values("hashtag_id", "day")
                .annotate(uses=Count("status_id"),
                          accounts=Count("status__account_id", distinct=True)))
        counts = {(row["hashtag_id"], row["day"]): row for row in rows}
    histories = {}
    for pk in ids:
        entries = []
        for day in days:
            row = counts.get((pk, day), {})
            midnight = datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)
            entries.append({"day": str(int(midnight.timestamp())),
                            "uses": str(row.get("uses", 0)),
                            "accounts": str(row.get("accounts", 0))})
        histories[pk] = entries
    return histories


def tags_followed(*, viewer, hashtag_ids) -> set[int]:
    """Of `hashtag_ids`: those the viewer follows (one statement, none without a viewer or
    ids)."""
    ids = list(hashtag_ids)
    if viewer is None or not ids:
        return set()
    return set(TagFollow.objects.filter(account_id=viewer.pk, hashtag_id__in=ids)
               .values_list("hashtag_id", flat=True))


def tag_relationships(*, viewer, hashtag_ids) -> tuple[set[int], set[int]]:
    """Of `hashtag_ids`: those the viewer follows and those they feature."""
    ids = list(hashtag_ids)
    if viewer is None or not ids:
        return set(), set()
    following = set(TagFollow.objects.filter(account_id=viewer.pk, hashtag_id__in=ids)
                    .values_list("hashtag_id", flat=True))
    featuring = set(FeaturedTag.objects.filter(account_id=viewer.pk, hashtag_id__in=ids)
                    .values_list("hashtag_id", flat=True))
    return following, featuring


def tag_follower_ids(names) -> list[int]:
    """The accounts that follow any of these (normalised) hashtag names."""
    if not names:
        return []
    return list(TagFollow.objects.filter(hashtag__name__in=list(names))
                .values_list("account_id", flat=True).distinct().order_by("account_id"))


def followed_tags(*, account) -> QuerySet:
    """The account's tag follows (newest first when paged by id), with their hashtags."""
    return TagFollow.objects.filter(account_id=account.pk).select_related("hashtag")


def featured_tags(*, account_id: int) -> list[FeaturedTag]:
    """The account's featured tags, most used first, each with `statuses_count` and
    `last_status_at` read from the account's public and unlisted statuses."""
    featured = list(FeaturedTag.objects.filter(account_id=account_id)
                    .select_related("hashtag").order_by("id"))
    stats = {}
    if featured:
        rows = (_counted_uses()
                .filter(status__account_id=account_id,
                        hashtag_id__in=[f.hashtag_id for f in featured])
                .values("hashtag_id")
                .annotate(count=Count("status_id"), last=Max("status__created_at")))
        stats = {row["hashtag_id"]: row for row in rows}
    for tag in featured:
        row = stats.get(tag.hashtag_id, {})
        tag.statuses_count = row.get("count", 0)
        tag.last_status_at = row.get("last")
    featured.sort(key=lambda f: -f.statuses_count)
    return featured


def featured_tag_get(*, account_id: int, featured_tag_id: int) -> FeaturedTag | None:
    return FeaturedTag.objects.filter(account_id=account_id, pk=featured_tag_id).first()


def featured_tag_suggestions(*, account) -> list[Hashtag]:
    """Tag.recently_used: the tags of the account's latest statuses, most used first, less those
    it already features."""
    recent = (Status.objects.filter(account_id=account.pk, deleted_at__isnull=True)
              .order_by("-id").values("pk")[:RECENT_STATUSES])
    featured = FeaturedTag.objects.filter(account_id=account.pk).values("hashtag_id")
    rows = (StatusTag.objects.filter(status_id__in=recent).exclude(hashtag_id__in=featured)
            .values("hashtag_id").annotate(uses=Count("status_id"))
            .order_by("-uses", "hashtag_id")[:SUGGESTIONS])
    ids = [row["hashtag_id"] for row in rows]
    by_id = Hashtag.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]

"""Reads of instance_extras: an account's preferences, the listed custom emojis, the
announcements shown now with everything one page of them renders from (in a fixed number of
queries), and nodeinfo's usage counts."""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from oauth2_provider.models import AccessToken

from accounts.models import Account, Visibility
from config import errors
from config.languages import DEFAULT_LANGUAGE, normalize_language
from instance_extras.models import (
    AccountPreferences,
    Announcement,
    AnnouncementDismissal,
    AnnouncementReaction,
    CustomEmoji,
    InstanceRule,
)
from statuses.models import Status
from statuses.selectors.stats import instance_stats
from statuses.selectors.visibility import visible_q

RECORD_NOT_FOUND = "Record not found"
# A `:shortcode:` in text (Mastodon's CustomEmoji::SCAN_RE, without its lookbehind subtleties).
SHORTCODE_IN_TEXT = re.compile(r"(?<![a-zA-Z0-9_:]):([a-zA-Z0-9_]{2,}):(?![a-zA-Z0-9_:])")
# Posting's own default when none is chosen (statuses.services.quotes.stored_quote_policy).
DEFAULT_QUOTE_POLICY = "public"


# --- preferences ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Preferences:
    visibility: str
    sensitive: bool
    language: str
    quote_policy: str
    expand_media: str
    expand_spoilers: bool
    autoplay_gifs: bool


def preferences_for(*, account: Account) -> Preferences:
    """The account's settings as posting applies them: the default visibility (private for a
    locked account without one, as posting chooses), the default language (the instance's when
    the account has none), and the reading settings (Mastodon's defaults without a row)."""
    privacy = account.default_visibility
    if privacy is None:
        privacy = Visibility.PRIVATE if account.locked else Visibility.PUBLIC
    reading = AccountPreferences.objects.filter(account=account).first() \
        or AccountPreferences(account=account)
    return Preferences(
        visibility=Visibility(privacy).label,
        sensitive=account.default_sensitive,
        language=normalize_language(account.default_language) or DEFAULT_LANGUAGE,
        quote_policy=DEFAULT_QUOTE_POLICY,
        expand_media=reading.expand_media,
        expand_spoilers=reading.expand_spoilers,
        autoplay_gifs=reading.autoplay_gifs,
    )


# --- custom emojis --------------------------------------------------------------------------

def custom_emojis_listed() -> list[CustomEmoji]:
    """Mastodon's `CustomEmoji.listed`: enabled and shown in the picker, with their category."""
    return list(CustomEmoji.objects.filter(disabled=False, visible_in_picker=True)
                .select_related("category").order_by("pk"))


# --- announcements --------------------------------------------------------------------------

def announcements_shown_q() -> Q:
    """Published, past its scheduled time, and not ended."""
    now = timezone.now()
    return (Q(published=True)
            & (Q(scheduled_at__isnull=True) | Q(scheduled_at__lte=now))
            & (Q(ends_at__isnull=True) | Q(ends_at__gt=now)))


def announcement_get_shown(*, announcement_id: int | None, lock: bool = False) -> Announcement:
    """A shown announcement, or NotFound "Record not found" (unknown, unpublished, scheduled
    for later or ended alike)."""
    if announcement_id is None:
        raise errors.NotFound(RECORD_NOT_FOUND)
    rows: QuerySet[Announcement] = Announcement.objects.filter(announcements_shown_q())
    if lock:
        rows = rows.select_for_update()
    found = rows.filter(pk=announcement_id).first()
    if found is None:
        raise errors.NotFound(RECORD_NOT_FOUND)
    return found


@dataclass(frozen=True)
class ReactionCount:
    name: str
    count: int
    me: bool
    emoji: CustomEmoji | None


@dataclass
class AnnouncementPage:
    """The announcements shown now and what rendering them needs, read for the whole page."""

    announcements: list[Announcement]
    viewer_id: int | None
    read: set[int] = field(default_factory=set)
    reactions: dict[int, list[ReactionCount]] = field(default_factory=dict)
    mentions: dict[int, Account] = field(default_factory=dict)
    statuses: dict[int, str] = field(default_factory=dict)        # id -> author's username
    # announcement id -> the enabled custom emojis its text uses, in order of first use
    emojis: dict[int, list[CustomEmoji]] = field(default_factory=dict)


def announcements_page(*, viewer: Account | None) -> AnnouncementPage:
    """Mastodon's `Announcement.published.chronological` (by when it starts, else when it is
    scheduled or published), in at most six queries whatever their number."""
    items = list(Announcement.objects.filter(announcements_shown_q()).annotate(
        shown_at=Coalesce("starts_at", "scheduled_at", "published_at", "created_at"),
    ).order_by("shown_at", "pk"))
    page = AnnouncementPage(announcements=items, viewer_id=viewer.pk if viewer else None)
    if not items:
        return page
    ids = [a.pk for a in items]
    if viewer is not None:
        page.read = set(AnnouncementDismissal.objects.filter(
            account=viewer, announcement_id__in=ids).values_list("announcement_id", flat=True))
    mine = Count("pk", filter=Q(account_id=viewer.pk)) if viewer is not None else None
    grouped = (AnnouncementReaction.objects.filter(announcement_id__in=ids)
               .values("announcement_id", "name", "custom_emoji_id")
               .annotate(count=Count("pk"), first=Min("created_at"),
                         **({"mine": mine} if mine is not None else {}))
               .order_by("announcement_id", "first", "name"))
    grouped = list(grouped)
    emoji_ids = {row["custom_emoji_id"] for row in grouped if row["custom_emoji_id"]}
    used = {a.pk: list(dict.fromkeys(SHORTCODE_IN_TEXT.findall(a.text))) for a in items}
    shortcodes = {code for codes in used.values() for code in codes}
    by_id: dict[int, CustomEmoji] = {}
    if emoji_ids or shortcodes:
        by_id = {e.pk: e for e in CustomEmoji.objects.filter(
            Q(pk__in=emoji_ids) | Q(shortcode__in=shortcodes, disabled=False))}
        enabled = {e.shortcode: e for e in by_id.values() if not e.disabled}
        page.emojis = {pk: [enabled[code] for code in codes if code in enabled]
                       for pk, codes in used.items()}
    for row in grouped:
        page.reactions.setdefault(row["announcement_id"], []).append(ReactionCount(
            name=row["name"], count=row["count"], me=bool(row.get("mine")),
            emoji=by_id.get(row["custom_emoji_id"])))
    mention_ids = {pk for a in items for pk in a.mention_ids}
    if mention_ids:
        page.mentions = {a.pk: a for a in Account.objects.filter(
            pk__in=mention_ids, is_active=True, suspended_at__isnull=True)}
    status_ids = {pk for a in items for pk in a.status_ids}
    if status_ids:
        # Only what anyone may read (Mastodon links public and unlisted statuses): the one
        # visibility rule with no viewer.
        page.statuses = dict(Status.objects.filter(visible_q(None), pk__in=status_ids)
                             .values_list("pk", "account__username"))
    return page


# --- nodeinfo -------------------------------------------------------------------------------

USAGE_CACHE_KEY = "instance_extras:nodeinfo_usage"
USAGE_CACHE_SECONDS = 30 * 60


def _active_since(days: int) -> Q:
    since = timezone.now() - timedelta(days=days)
    token = AccessToken.objects.filter(user_id=OuterRef("pk"), created__gte=since)
    return Q(last_login__gte=since) | Q(last_status_at__gte=since.date()) | Exists(token)


def nodeinfo_usage() -> dict:
    """Nodeinfo's `usage`: the accounts /api/v1/instance counts, those active (logged in,
    posted, or given a token) in the last 30 and 180 days, and the statuses
    /api/v1/instance counts. Kept 30 minutes, as Mastodon keeps its nodeinfo."""
    usage = cache.get(USAGE_CACHE_KEY)
    if usage is None:
        stats = instance_stats()
        active = Account.objects.filter(is_active=True).aggregate(
            month=Count("pk", filter=_active_since(30)),
            halfyear=Count("pk", filter=_active_since(180)))
        usage = {"users": {"total": stats["user_count"], "activeMonth": active["month"],
                           "activeHalfyear": active["halfyear"]},
                 "localPosts": stats["status_count"]}
        cache.set(USAGE_CACHE_KEY, usage, USAGE_CACHE_SECONDS)
    return usage


# --- /api/v1/instance/activity and rules ----------------------------------------------------

ACTIVITY_WEEKS = 12
ACTIVITY_CACHE_KEY = "instance-activity"


def instance_activity() -> list[dict]:
    """Mastodon's weekly activity for the last 12 weeks (this one first): local statuses
    posted, accounts that signed in (their last sign-in, the only one we keep) and
    registrations, each week starting on Monday 00:00 UTC. Kept an hour, as Mastodon keeps it."""
    cached = cache.get(ACTIVITY_CACHE_KEY)
    if cached is not None:
        return cached
    today = timezone.now().astimezone(UTC).date()
    this_week = today - timedelta(days=today.weekday())
    weeks = [this_week - timedelta(weeks=n) for n in range(ACTIVITY_WEEKS)]
    statuses = Status.objects.filter(deleted_at__isnull=True).aggregate(
        **{str(i): Count("pk", filter=Q(created_at__gte=_start(w), created_at__lt=_start(w, 1)))
           for i, w in enumerate(weeks)})
    accounts = Account.objects.filter(is_active=True).aggregate(
        **{f"l{i}": Count("pk", filter=Q(last_login__gte=_start(w), last_login__lt=_start(w, 1)))
           for i, w in enumerate(weeks)},
        **{f"r{i}": Count("pk", filter=Q(date_joined__gte=_start(w),
                                         date_joined__lt=_start(w, 1)))
           for i, w in enumerate(weeks)})
    activity = [
        {"week": str(int(_start(w).timestamp())), "statuses": str(statuses[str(i)]),
         "logins": str(accounts[f"l{i}"]), "registrations": str(accounts[f"r{i}"])}
        for i, w in enumerate(weeks)
    ]
    cache.set(ACTIVITY_CACHE_KEY, activity, 3600)
    return activity


def _start(monday, weeks: int = 0) -> datetime:
    return datetime.combine(monday + timedelta(weeks=weeks), time.min, tzinfo=UTC)


def instance_rules() -> list[InstanceRule]:
    return list(InstanceRule.objects.all())

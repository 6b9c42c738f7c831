"""Mastodon's status search (GET /api/v2/search, type statuses) and its hashtag search, over the
same full-text index as SelfCommunity's status search (statuses/selectors/lists.py,
migration 0009): one search engine for both dialects.

What a searcher may find (Mastodon 4.5's SearchQueryTransformer, with PostgreSQL in the place of
Elasticsearch): `in:library`, the statuses in their library — written by them, or that mention
them, that they favourited, bookmarked, reblogged or voted in; `in:public`, the public statuses
of accounts that opted in to search (`indexable`); `in:all` (the default), either. Every
result passes the one visibility rule and the list filter (blocks, mutes), so a status never
shows to someone who may not see it, whatever its library or the operators say.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import BooleanField, Count, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from accounts.models import Account, Visibility
from statuses.models import (
    Bookmark,
    Hashtag,
    Mention,
    Poll,
    PollVote,
    PreviewCardType,
    Status,
    StatusTag,
    Vote,
)
from statuses.rendering import normalize_hashtag
from statuses.selectors.lists import _TSVECTOR, _text_matches, search_terms
from statuses.selectors.visibility import filter_q, visible_q

# A query is at most this many clauses; the rest is ignored (as search_terms caps its words).
MAX_CLAUSES = 16
# `word`, `"a phrase"` (an unclosed quote runs to the end), or `prefix:value`, each maybe `-`ed.
_CLAUSE = re.compile(r'(?P<neg>[-+]?)(?:"(?P<phrase>[^"]*)"?|(?P<prefix>[a-z]+):(?P<value>"[^"]*"?|\S+)|(?P<word>\S+))')
OPERATORS = frozenset({"from", "has", "is", "in", "language", "before", "after", "during"})
IN_VALUES = frozenset({"library", "public", "all"})


@dataclass
class ParsedQuery:
    words: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    excluded_phrases: list[list[str]] = field(default_factory=list)
    # (negated, prefix, value) of each operator clause but `in:`.
    operators: list[tuple[bool, str, str]] = field(default_factory=list)
    scope: str = "all"

    @property
    def empty(self) -> bool:
        return not (self.words or self.phrases or self.operators)


def parse_query(text: str) -> ParsedQuery:
    """Mastodon's query syntax: words, quoted phrases, `-` negation and the operators of
    OPERATORS. An unknown `prefix:` is read as words (so a pasted URL is searched as its words);
    only letters, digits and underscores of any clause ever reach SQL."""
    parsed = ParsedQuery()
    for match in list(_CLAUSE.finditer(text.replace("\x00", " ")))[:MAX_CLAUSES]:
        negated = match["neg"] == "-"
        prefix = match["prefix"]
        if prefix in OPERATORS:
            value = match["value"].strip('"').lower()
            if prefix == "in":
                if not negated and value in IN_VALUES:
                    parsed.scope = value
                continue
            parsed.operators.append((negated, prefix, value))
            continue
        words = search_terms(match["phrase"] if match["phrase"] is not None else match[0])
        if not words:
            continue
        if match["phrase"] is not None and len(words) > 1:
            (parsed.excluded_phrases if negated else parsed.phrases).append(words)
        else:
            (parsed.excluded if negated else parsed.words).extend(words)
    return parsed


def _phrase_matches(words: list[str]) -> Q | RawSQL:
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Status._meta.db_table)
        return RawSQL(_TSVECTOR.format(table=table)
                      + " @@ phraseto_tsquery('simple'::regconfig, %s)", [" ".join(words)],
                      output_field=BooleanField())
    # SQLite: the words in a row, separated by anything (LIKE's `%`, the words escaped).
    return Q(text__icontains=" ".join(words)) | Q(text__iregex=r"\W+".join(words))


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def _operator_q(prefix: str, value: str, viewer) -> Q | None:
    """The rows one operator keeps; None when its value is one Mastodon would match nothing
    with (an unknown account, property or date)."""
    if prefix == "from":
        if value == "me":
            return Q(account_id=viewer.pk)
        username = value.lstrip("@").split("@")[0]
        account = Account.objects.filter(username__iexact=username).values_list("pk", flat=True)
        return Q(account_id__in=account) if username else None
    if prefix == "has":
        return {
            "media": Q(media_count__gt=0),
            "poll": Q(has_poll=True),
            "link": Q(card__isnull=False) | Q(text__icontains="http://")
            | Q(text__icontains="https://"),
            "embed": Q(card__type__in=[PreviewCardType.VIDEO, PreviewCardType.RICH]),
        }.get(value)
    if prefix == "is":
        return {"reply": Q(in_reply_to__isnull=False), "sensitive": Q(sensitive=True)}.get(value)
    if prefix == "language":
        return Q(language__iexact=value[:10])
    day = _date(value)
    if day is None:
        return None
    if prefix == "before":
        return Q(created_at__lt=_day_start(day))
    if prefix == "after":
        return Q(created_at__gte=_day_start(day + timedelta(days=1)))
    return Q(created_at__gte=_day_start(day), created_at__lt=_day_start(day + timedelta(days=1)))


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def library_ids(viewer) -> RawSQL:
    """Mastodon's `searchable_by` as the ids of one UNION: the statuses the viewer wrote, was
    mentioned in, favourited, bookmarked, reblogged or voted in. A set of its own (rather than a
    test of each row), so that PostgreSQL starts from the viewer's library, not from every
    status holding a common word."""
    status, pk = _table(Status), viewer.pk
    sql = " UNION ".join([
        f"SELECT id FROM {status} WHERE account_id = %s",
        f"SELECT status_id FROM {_table(Mention)} WHERE account_id = %s",
        f"SELECT status_id FROM {_table(Vote)} WHERE account_id = %s",
        f"SELECT status_id FROM {_table(Bookmark)} WHERE account_id = %s",
        f"SELECT reblog_of_id FROM {status} WHERE account_id = %s AND reblog_of_id IS NOT NULL"
        " AND deleted_at IS NULL",
        f"SELECT p.status_id FROM {_table(PollVote)} v JOIN {_table(Poll)} p ON p.id = v.poll_id"
        " WHERE v.account_id = %s",
    ])
    return RawSQL(sql, [pk] * 6)


def public_q() -> Q:
    """Mastodon's PublicStatusesIndex: public statuses of accounts that opted in to search."""
    return Q(visibility=Visibility.PUBLIC, account__indexable=True)


def statuses_search(*, viewer, query: str, account_id: int | None = None,
                    min_id: int | None = None, max_id: int | None = None,
                    limit: int, offset: int) -> list[int]:
    """Ids of the statuses `query` finds for `viewer` (signed in: Mastodon searches statuses for
    accounts only), newest first."""
    parsed = parse_query(query)
    if parsed.empty or limit <= 0:
        return []
    queryset = Status.objects.filter(visible_q(viewer), filter_q(viewer), reblog_of__isnull=True)
    if parsed.words:
        queryset = queryset.filter(_text_matches(parsed.words))
    for words in parsed.phrases:
        queryset = queryset.filter(_phrase_matches(words))
    if parsed.excluded:
        queryset = queryset.exclude(_excluded(parsed.excluded))
    for words in parsed.excluded_phrases:
        queryset = queryset.exclude(_phrase_matches(words))
    for negated, prefix, value in parsed.operators:
        q = _operator_q(prefix, value, viewer)
        if q is None:
            if negated:
                continue
            return []
        queryset = queryset.exclude(q) if negated else queryset.filter(q)
    if account_id is not None:
        queryset = queryset.filter(account_id=account_id)
    if min_id is not None:
        queryset = queryset.filter(pk__gt=min_id)
    if max_id is not None:
        queryset = queryset.filter(pk__lt=max_id)
    # `in:all` is two searches, each with the plan that suits it, merged: a status in both
    # is found once.
    wanted = offset + limit
    found: set[int] = set()
    if parsed.scope in ("library", "all"):
        found.update(queryset.filter(pk__in=library_ids(viewer))
                     .order_by("-id").values_list("pk", flat=True)[:wanted])
    if parsed.scope in ("public", "all"):
        found.update(_public_page(queryset.filter(public_q()), wanted))
    return sorted(found, reverse=True)[offset:wanted]


# The public search looks at the newest this many statuses first: a common word fills a page
# there without PostgreSQL gathering and sorting every status that holds it (tens of
# thousands); a rare one falls through to the whole index, where it is cheap because rare.
RECENT_WINDOW = 5000


def _public_page(queryset, wanted: int) -> list[int]:
    bound = (Status.objects.order_by("-id").values_list("pk", flat=True)
             [RECENT_WINDOW - 1:RECENT_WINDOW].first())
    if bound is None:  # Fewer statuses than the window: the window is everything.
        return list(queryset.order_by("-id").values_list("pk", flat=True)[:wanted])
    recent = list(queryset.filter(pk__gte=bound).order_by("-id")
                  .values_list("pk", flat=True)[:wanted])
    if len(recent) >= wanted:
        return recent
    return recent + list(queryset.filter(pk__lt=bound).order_by("-id")
                         .values_list("pk", flat=True)[:wanted - len(recent)])


def _excluded(words: list[str]) -> Q | RawSQL:
    """Any of `words` (a negated word drops every status holding it)."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Status._meta.db_table)
        return RawSQL(_TSVECTOR.format(table=table)
                      + " @@ to_tsquery('simple'::regconfig, %s)", [" | ".join(words)],
                      output_field=BooleanField())
    q = Q()
    for word in words:
        q |= Q(text__icontains=word)
    return q


HISTORY_DAYS = 7


def hashtags_search(*, query: str, limit: int, offset: int,
                    exclude_unreviewed: bool = False) -> list[Hashtag]:
    """Hashtags whose name starts with the query (a leading `#` ignored), the exact name first,
    then the most used. Every hashtag here is reviewed (no trends review yet), so
    `exclude_unreviewed` changes nothing."""
    name = normalize_hashtag(query.strip().lstrip("#"))[:255]
    if not name or limit <= 0 or not re.fullmatch(r"\w+", name):
        return []
    return list(Hashtag.objects.filter(name__istartswith=name)
                .annotate(uses=Count("status_rows"))
                .order_by("-uses", "name")[offset:offset + limit])


def hashtag_histories(hashtags: list[Hashtag], *, viewer=None) -> dict[int, list[dict]]:
    """Mastodon's Tag#history: per day of the last week (today first) how many public statuses
    used each hashtag (`uses`) and how many accounts wrote them (`accounts`), as strings of
    the day's start (UNIX seconds). One query for the whole page."""
    today = timezone.localdate()
    days = [today - timedelta(days=n) for n in range(HISTORY_DAYS)]
    rows: dict[tuple[int, date], tuple[int, int]] = {}
    if hashtags:
        since = _day_start(days[-1])
        found = (StatusTag.objects.filter(hashtag_id__in=[h.pk for h in hashtags],
                                          status__created_at__gte=since,
                                          status__visibility=Visibility.PUBLIC,
                                          status__deleted_at__isnull=True)
                 .values_list("hashtag_id", "status__created_at", "status__account_id"))
        counts: dict[tuple[int, date], tuple[int, set]] = {}
        for hashtag_id, created_at, account_id in found:
            key = (hashtag_id, timezone.localtime(created_at).date())
            uses, accounts = counts.get(key, (0, set()))
            accounts.add(account_id)
            counts[key] = (uses + 1, accounts)
        rows = {key: (uses, len(accounts)) for key, (uses, accounts) in counts.items()}
    return {
        hashtag.pk: [{"day": str(int(_day_start(day).timestamp())),
                      "accounts": str(rows.get((hashtag.pk, day), (0, 0))[1]),
                      "uses": str(rows.get((hashtag.pk, day), (0, 0))[0])} for day in days]
        for hashtag in hashtags
    }


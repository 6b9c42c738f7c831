"""Reads behind SelfCommunity's status lists (search, uncommented, followed, suspended,
contributors, shares, related, the feeds): each is `contributions_queryset` narrowed down, so
every list keeps the one visibility rule, the viewer's blocks, mutes and hides."""

import re
from datetime import timedelta

from django.db import connection
from django.db.models import BooleanField, Exists, Max, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from accounts.models import Account, Follow, Visibility
from config import errors
from statuses.models import FeedSeen, NotificationSuspension, QuoteState, Status, StatusFollow
from statuses.selectors.contributions import contributions_queryset, count_bound
from statuses.selectors.rows import statuses_for_page
from statuses.selectors.visibility import filter_q, listed_accounts_q, visible_q

NEWEST = ("-created_at", "-id")
# A search is at most this many words of at most this many characters: enough for any real
# query, and a 10,000-character `search=` costs no more than a short one.
MAX_TERMS = 16
MAX_TERM_LENGTH = 64
_WORD = re.compile(r"\w+")


def _page(queryset: QuerySet, limit: int, offset: int,
          ordering: tuple = NEWEST, column: str = "pk") -> tuple[int, list[Status]]:
    """(count, page) of `queryset`: statuses, or rows naming one status each in `column`."""
    count = queryset.order_by()[:count_bound(limit, offset)].count()
    ids = list(queryset.order_by(*ordering).values_list(column, flat=True)[offset:offset + limit])
    rows = statuses_for_page(ids)
    return count, [rows[pk] for pk in ids if pk in rows]


def search_terms(search: str | None) -> list[str]:
    """The words of a search, lower-cased, each once: letters, digits and underscores only, so
    no operator, quote, wildcard or NUL of the user's text ever reaches SQL."""
    words = _WORD.findall((search or "").lower())
    return list(dict.fromkeys(w[:MAX_TERM_LENGTH] for w in words))[:MAX_TERMS]


# The expression of the GIN index of migration 0009 (statuses_status_text_search), written
# exactly as there so that PostgreSQL's planner can use the index. The 'simple' configuration
# (no stemming, no stop words) is language-agnostic and finds exactly the words highlighted.
_TSVECTOR = "to_tsvector('simple'::regconfig, COALESCE({table}.\"text\", ''))"


def _text_matches(terms: list[str]) -> Q | RawSQL:
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Status._meta.db_table)
        # plainto_tsquery ANDs the words and never parses operators of its input.
        return RawSQL(_TSVECTOR.format(table=table)
                      + " @@ plainto_tsquery('simple'::regconfig, %s)", [" ".join(terms)],
                      output_field=BooleanField())
    # Elsewhere (SQLite): every word somewhere in the stored text (LIKE, escaped by Django).
    q = Q()
    for term in terms:
        q &= Q(text__icontains=term)
    return q


def search_page(*, viewer, search: str | None, limit: int, offset: int,
                kind: str | None = None) -> tuple[list[str], int, list[Status]]:
    """(the words searched, count, page) of visible statuses holding every word of `search`,
    newest first; without a search, every status of the list. A search with no word at all
    (only punctuation) finds nothing."""
    queryset = contributions_queryset(viewer, kind)
    terms = search_terms(search)
    if terms:
        queryset = queryset.filter(_text_matches(terms))
    elif (search or "").strip():
        return [], 0, []
    return terms, *_page(queryset, limit, offset)


def uncommented_page(*, viewer, limit: int, offset: int, kind: str | None = None
                     ) -> tuple[int, list[Status]]:
    """Statuses nobody commented on (the stored `replies_count`, SelfCommunity's comment_count,
    is zero), newest first."""
    return _page(contributions_queryset(viewer, kind).filter(replies_count=0), limit, offset)


def _marked_page(model, *, viewer, limit: int, offset: int, kind: str | None = None):
    """(count, [(status, marked at)]) of the viewer's follows or suspensions whose statuses are
    in the list, the newest mark first."""
    marks = model.objects.filter(
        account_id=viewer.pk, status_id__in=contributions_queryset(viewer, kind).values("pk"))
    count = marks.count()
    page = list(marks.order_by("-id").values_list("status_id", "created_at")[offset:offset + limit])
    rows = statuses_for_page([status_id for status_id, _ in page])
    return count, [(rows[status_id], at) for status_id, at in page if status_id in rows]


def followed_page(*, viewer, limit: int, offset: int, kind: str | None = None):
    return _marked_page(StatusFollow, viewer=viewer, limit=limit, offset=offset, kind=kind)


def suspended_page(*, viewer, limit: int, offset: int, kind: str | None = None):
    return _marked_page(NotificationSuspension, viewer=viewer, limit=limit, offset=offset,
                        kind=kind)


def _authors_page(statuses: QuerySet[Status], viewer, limit: int, offset: int
                  ) -> tuple[int, list[Account]]:
    """The distinct authors of `statuses` the viewer may see listed, the one who wrote the most
    recent of them first."""
    authors = (statuses.filter(listed_accounts_q(viewer, "")).order_by()
               .values("account_id"))
    count = authors.distinct().count()
    page = list(authors.annotate(last=Max("id")).order_by("-last", "-account_id")
                .values_list("account_id", flat=True)[offset:offset + limit])
    accounts = Account.objects.in_bulk(page) if page else {}
    return count, [accounts[pk] for pk in page if pk in accounts]


def contributors_page(*, status: Status, viewer, limit: int, offset: int):
    """Who commented on `status`: the authors of the replies in its thread (a comment, or a
    comment on a comment) that the viewer may see, the most recent commenter first, each once."""
    comments = Status.objects.filter(
        visible_q(viewer), filter_q(viewer),
        Q(thread_root_id=status.pk) | Q(in_reply_to_id=status.pk),
        reblog_of__isnull=True,
    )
    return _authors_page(comments, viewer, limit, offset)


def _shares(status: Status, viewer) -> QuerySet[Status]:
    # The accepted quotes only, as Mastodon's /quotes: a revoked share is no longer one.
    return contributions_queryset(viewer).filter(quote_of_id=status.pk,
                                                 quote_state=QuoteState.ACCEPTED)


def shares_page(*, status: Status, viewer, limit: int, offset: int):
    """The statuses of the list sharing `status`, newest first."""
    return _page(_shares(status, viewer), limit, offset)


def share_authors_page(*, status: Status, viewer, limit: int, offset: int):
    """The authors of those statuses, each once, the most recent sharer first."""
    return _authors_page(_shares(status, viewer), viewer, limit, offset)


def related_page(*, status: Status, viewer, limit: int, offset: int):
    """The statuses of the list sharing at least one category with `status` (not itself),
    newest first."""
    links = Status.categories.through.objects
    shared = links.filter(status_id=OuterRef("pk"),
                          category_id__in=links.filter(status_id=status.pk).values("category_id"))
    queryset = contributions_queryset(viewer).filter(Exists(shared)).exclude(pk=status.pk)
    return _page(queryset, limit, offset)


def _home_feed(viewer) -> QuerySet[Status]:
    follows_author = Follow.objects.filter(account_id=viewer.pk, target_id=OuterRef("account_id"),
                                           accepted=True)
    follows_status = StatusFollow.objects.filter(account_id=viewer.pk, status_id=OuterRef("pk"))
    return contributions_queryset(viewer).filter(
        Q(account_id=viewer.pk) | Exists(follows_author) | Exists(follows_status))


def home_feed_page(*, viewer, limit: int, offset: int):
    """The SelfCommunity home feed: the viewer's own statuses, those of the accounts they follow
    and those they follow, newest first."""
    return _page(_home_feed(viewer), limit, offset)


def home_feed_unseen_count(*, viewer) -> int:
    """How many statuses of the viewer's home feed they have not marked seen (FeedSeen), their
    own excepted (one writes what one has seen). Counted up to SC_LIST_COUNT_CAP, as the lists
    count (count_bound): a badge needs no more, and the count costs the same at any size."""
    seen = FeedSeen.objects.filter(account_id=viewer.pk, status_id=OuterRef("pk"))
    unseen = _home_feed(viewer).exclude(account_id=viewer.pk).exclude(Exists(seen))
    return unseen.order_by()[:count_bound(0, 0)].count()


def seen_ids(*, viewer, status_ids: list[int]) -> set[int]:
    """Which of `status_ids` the viewer marked seen in their feed (one statement, none for an
    anonymous viewer or an empty page)."""
    if viewer is None or not status_ids:
        return set()
    return set(FeedSeen.objects.filter(account_id=viewer.pk, status_id__in=status_ids)
               .values_list("status_id", flat=True))


def require_listed(*, viewer, status_ids: list[int]) -> None:
    """NotFound unless every one of `status_ids` is in the viewer's lists
    (contributions_queryset): the statuses a feed may show them, so the only ones they may mark
    seen or ask for more like (one statement)."""
    wanted = set(status_ids)
    found = contributions_queryset(viewer).filter(pk__in=wanted).count()
    if found != len(wanted):
        raise errors.NotFound("Not found.")


def user_feed_page(*, viewer, account: Account, limit: int, offset: int):
    """The statuses `account` wrote that are in the viewer's lists, newest first. An author who
    blocks the viewer shows them nothing (the visibility rule), one the viewer blocks or mutes
    neither (the list filter)."""
    return _page(contributions_queryset(viewer).filter(account_id=account.pk), limit, offset)


# A category's feeds walk the category's links, not its statuses: on PostgreSQL each link holds
# a copy of its status's created_at and last_activity_at (migration 0018, kept by triggers),
# indexed by category in each feed's order, so a page reads the category's links in that order
# and probes each status against the list's rule (contributions_queryset, by primary key) until
# the page is full: the cost of a page, whatever the category's size. Through the statuses
# instead, PostgreSQL either sorted every visible status of the category or walked every
# status newest first probing the links (a small category: the whole table). Elsewhere
# (SQLite) the link has no copies: the same order, read through the status.
_LINKS = Status.categories.through


def _link_column(name: str) -> RawSQL:
    table = connection.ops.quote_name(_LINKS._meta.db_table)
    return RawSQL(f"{table}.{connection.ops.quote_name(name)}", [])


def _category_links(category_id: int, statuses: QuerySet[Status]) -> QuerySet:
    """The category's links to `statuses` (one per status)."""
    return _LINKS.objects.filter(category_id=category_id, status_id__in=statuses.values("pk"))


def _links_order(column: str) -> tuple:
    """The order of a feed by its status's `column` then id, both descending, on the links."""
    if connection.vendor == "postgresql":
        return (_link_column(column).desc(), "-status_id")
    return (f"-status__{column}", "-status_id")


def category_feed_page(*, viewer, category_id: int, limit: int, offset: int):
    """The statuses of the list filed under the category, newest first."""
    return _page(_category_links(category_id, contributions_queryset(viewer)), limit, offset,
                 ordering=_links_order("created_at"), column="status_id")


# Trending: the category's statuses active in this window, the most recently active first.
TRENDING_WINDOW = timedelta(days=30)


def category_trending_page(*, viewer, category_id: int, limit: int, offset: int):
    """The statuses of the list filed under the category whose last activity (`last_activity_at`:
    posted, or the latest comment in their thread) lies within TRENDING_WINDOW, the most
    recently active first: the discussions that are moving now rise above newer silent ones."""
    since = timezone.now() - TRENDING_WINDOW
    links = _category_links(category_id, contributions_queryset(viewer).filter(
        last_activity_at__gte=since))
    if connection.vendor == "postgresql":
        # The window on the link's copy too: the walk of its index starts and ends there.
        column = _link_column("last_activity_at").sql
        links = links.filter(RawSQL(f"{column} >= %s", [since], output_field=BooleanField()))
    return _page(links, limit, offset, ordering=_links_order("last_activity_at"),
                 column="status_id")


def like_these_page(*, viewer, status_ids: list[int], limit: int, offset: int):
    """Statuses like `status_ids` (SelfCommunity's "like this" feed): those of the list sharing
    at least one category with any of them, the given ones excepted, newest first; the rule of
    `related_page` for several statuses."""
    links = Status.categories.through.objects
    shared = links.filter(status_id=OuterRef("pk"),
                          category_id__in=links.filter(status_id__in=status_ids)
                          .values("category_id"))
    queryset = contributions_queryset(viewer).filter(Exists(shared)).exclude(pk__in=status_ids)
    if connection.vendor != "postgresql" or limit <= 0:
        return _page(queryset, limit, offset)
    count = queryset.order_by()[:count_bound(limit, offset)].count()
    ids = _like_these_ids(contributions_queryset(viewer).exclude(pk__in=status_ids),
                          status_ids=status_ids, limit=limit, offset=offset)
    rows = statuses_for_page(ids)
    return count, [rows[pk] for pk in ids if pk in rows]


def _like_these_ids(statuses: QuerySet[Status], *, status_ids: list[int], limit: int,
                    offset: int) -> list[int]:
    """A page of `statuses` filed under a category of `status_ids`, newest first, on
    PostgreSQL: for each such category, its first `offset + limit` of them (the walk of its
    links' newest-first index, as category_feed_page), then those merged, each status once.
    The page is among them (a status of the page is among the first offset + limit of each of
    its categories), and each category costs a page, not its size: the walk of every status
    newest first, probing the links, read the whole table when the categories were small."""
    links = connection.ops.quote_name(_LINKS._meta.db_table)
    listed, listed_params = statuses.values("pk").query.sql_with_params()
    sql = (
        f"SELECT page.status_id FROM (SELECT DISTINCT category_id FROM {links} "
        "WHERE status_id = ANY(%s)) shared CROSS JOIN LATERAL ("
        f"SELECT link.status_id, link.created_at FROM {links} link "
        f"WHERE link.category_id = shared.category_id AND link.status_id IN ({listed}) "
        "ORDER BY link.created_at DESC, link.status_id DESC LIMIT %s) page "
        "GROUP BY page.status_id, page.created_at "
        "ORDER BY page.created_at DESC, page.status_id DESC LIMIT %s OFFSET %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(status_ids), *listed_params, offset + limit, limit, offset])
        return [row[0] for row in cursor.fetchall()]


def explore_feed_page(*, viewer, limit: int, offset: int):
    """Every public status of the list, newest first."""
    return _page(contributions_queryset(viewer).filter(visibility=Visibility.PUBLIC),
                 limit, offset)

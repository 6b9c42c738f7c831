"""The page loader: everything both dialects' serializers need for a page of statuses (one
status, a thread, a timeline page, a SelfCommunity list), read in a fixed number of statements
whatever the page's size, into a `StatusPage` the serializers only read.

`status_page_load(statuses, viewer=..., dialect=...)` takes the rows of a page (statuses.selectors
.rows loads them with their authors, applications and originals) and reads, as the dialect asks:

- the viewer-independent renderings from the render cache (statuses/render_cache.py), and for
  the misses their media, then renders them with the dialect's own pure function and keeps them;
- what the page quotes, as this viewer may see it (Mastodon), the preview cards, the polls with
  the viewer's votes, the viewer's flags and active filters, the authors whose followers-only
  quote policy the viewer meets;
- SelfCommunity's details: categories and their parents, tags, addressing, reactions and their
  counts, the viewer's vote, follow and suspension, and the shared statuses the viewer may see.

A status a request has just written (`written=True`) is loaded from what the write left in the
ORM's relation caches (`config.db.keep_related`): its media, categories, tags and addressing, and
nobody has voted on, followed or flagged it yet.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection
from django.db.models import BooleanField as BooleanFieldType
from django.db.models import Case, Q, Value, When

from categories.selectors import attach_parent_ids
from config.db import PreparedSelect, ids_clause, kept_related
from filters.selectors import active_filters
from statuses import render_cache
from statuses.models import (
    NotificationSuspension,
    PreviewCard,
    QuoteState,
    Status,
    StatusFollow,
    Vote,
)
from statuses.selectors.flags import viewer_flags
from statuses.selectors.polls import polls_for_page
from statuses.selectors.quotes import quote_follows
from statuses.selectors.visibility import ADDRESSING, row_visible_q, visible_q
from statuses.status_page import (
    ContributionDetails,
    Dialect,
    Quoted,
    StatusPage,
    ViewerFlags,
)


def status_page_load(statuses: Iterable[Status], *, viewer, dialect: Dialect,
                     flags: ViewerFlags | None = None, written: bool = False) -> StatusPage:
    """The StatusPage of `statuses` for `viewer` in `dialect` (see the module's docstring).

    Statements, each only when some status needs it: what the page quotes; the media of the
    rendering misses (and, for SelfCommunity, of the statuses whose rendering cannot hold them:
    those with a share); the cards; the viewer's flags (none with `flags`, read with a single
    status, but for what it quotes); the viewer's active filters (one, none for a viewer
    without filters: filters.selectors.active_filters); the polls; the quote-policy follows; SelfCommunity's
    details (see _details)."""
    statuses = list(statuses)
    page = StatusPage(viewer=viewer)
    everything = list(statuses)
    if dialect.quotes:
        page.quoted, shown = _quotes(statuses, viewer)
        everything += shown
    with_originals = _with_originals(everything)
    if dialect.render is not None:
        misses = _renderings(page, with_originals, dialect)
    else:
        misses = with_originals
    page.media = _media(misses, written=written)
    if dialect.render is not None:
        for status in misses:
            if status.pk not in page.renderings:
                rendering = dialect.render(status, page.media.get(status.pk, []))
                render_cache.keep(dialect.key, status, rendering)
                page.renderings[status.pk] = rendering
    if dialect.cards:
        page.cards = _cards(with_originals)
    if dialect.flags:
        if flags is None:
            flags = viewer_flags(viewer, everything)
        elif len(everything) > len(statuses):
            more = viewer_flags(viewer, everything[len(statuses):])
            for name, ids in vars(more).items():
                getattr(flags, name).update(ids)
        page.flags = flags
        if getattr(viewer, "has_filters", False):
            page.filters = active_filters(viewer)
    if dialect.polls:
        page.polls = polls_for_page(everything, viewer)
    if dialect.quote_policies:
        page.quote_follows = quote_follows(viewer, everything)
    if dialect.details:
        page.details = _details(statuses, viewer, page.media, written=written)
    return page


def _with_originals(statuses: list[Status]) -> list[Status]:
    everything = list(statuses)
    for status in statuses:
        if status.reblog_of_id is not None and status.reblog_of is not None:
            everything.append(status.reblog_of)
    return everything


def _renderings(page: StatusPage, statuses: list[Status], dialect: Dialect) -> list[Status]:
    """Fill the page's renderings from the cache; returns the statuses whose media are needed:
    the misses, and the hits whose rendering cannot hold their media."""
    needing = []
    for status in statuses:
        if status.pk in page.renderings:
            continue
        rendering = render_cache.cached(dialect.key, status)
        if rendering is None:
            needing.append(status)
        else:
            page.renderings[status.pk] = rendering
            if not dialect.holds_media(rendering):
                needing.append(status)
    return needing


def media_of_statuses(statuses: Iterable[Status]) -> dict[int, list]:
    """The media of statuses, in order, by status id: one statement, none when no status has
    any (`media_count`, `quote_of_id` for a share, are columns)."""
    from media.models import MediaAttachment

    wanted = {s.pk for s in statuses if s.media_count or s.quote_of_id}
    found: dict[int, list] = defaultdict(list)
    if wanted:
        for media in MediaAttachment.objects.filter(status_id__in=wanted).order_by(
                "status_id", "position"):
            found[media.status_id].append(media)
    return dict(found)


def _media(statuses: list[Status], *, written: bool) -> dict[int, list]:
    found: dict[int, list] = {}
    unread = []
    for status in statuses:
        kept = kept_related(status, "media") if written else None
        if kept is not None:
            found[status.pk] = kept
        else:
            unread.append(status)
    found.update(media_of_statuses(unread))
    return found


def _cards(statuses: list[Status]) -> dict[int, PreviewCard]:
    """The preview cards of a page by card id: one statement, none when no status has one."""
    ids = {s.card_id for s in statuses if s.card_id is not None}
    return PreviewCard.objects.in_bulk(ids) if ids else {}


def _as_flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False),
                output_field=BooleanFieldType())


def _quotes(statuses: list[Status], viewer) -> tuple[dict[int, Quoted], list[Status]]:
    """What a page's statuses (and the originals of its reblogs) quote, by quoting status id, in
    one statement whatever the page's size (none when nothing quotes); and the quoted rows the
    viewer may see, whose renderings, media and flags the page needs too."""
    quoting = [s for s in _with_originals(statuses) if s.quote_of_id is not None]
    if not quoting:
        return {}, []
    rows = (
        Status.objects.filter(pk__in={s.quote_of_id for s in quoting})
        .select_related("account", "application")
        .annotate(
            may_see=_as_flag(visible_q(viewer) & Q(reblog_of__isnull=True)),
            inner_may_see=_as_flag(Q(quote_of__isnull=False)
                                   & row_visible_q(viewer, "quote_of__")),
            inner_gone=_as_flag(Q(quote_of__deleted_at__isnull=False)),
        )
        .in_bulk()
    )
    quoted = {}
    for status in quoting:
        row = rows.get(status.quote_of_id)
        quoted[status.pk] = (Quoted(None) if row is None else Quoted(
            row, visible=row.may_see, inner_visible=row.inner_may_see,
            inner_gone=row.inner_gone))
    return quoted, [row for row in rows.values() if row.may_see]


def shared_statuses_visible(statuses, viewer, media: dict[int, list]) -> dict[int, Status]:
    """The statuses that the `share` media of a page point at and that `viewer` may see now, by
    id, holding what a share shows of them (the summary). One query through `visible_q` for the
    whole page; none when nothing is shared."""
    from media.models import MediaKind

    # A share whose quote the shared status's author revoked shows it no more.
    ids = {m.shared_status_id for status in statuses
           if status.quote_state == QuoteState.ACCEPTED
           for m in media.get(status.pk, ())
           if m.kind == MediaKind.SHARE and m.shared_status_id is not None}
    if not ids:
        return {}
    return Status.objects.filter(visible_q(viewer), pk__in=ids).only("pk", "summary").in_bulk()


def _viewer_marks(details: ContributionDetails, ids: list[int], liked: list[int], viewer
                  ) -> dict[int, int | None]:
    """Which of `ids` the viewer follows or has suspended, and the viewer's reaction on each of
    `liked` (null: the default one), in one query. Returns the reactions by status id."""
    parts, params = [], []
    # PostgreSQL types a bare NULL as text, which a UNION with the bigint column refuses.
    none = "CAST(NULL AS BIGINT)"
    sources = [("f", StatusFollow, none, ids), ("s", NotificationSuspension, none, ids)]
    if liked:
        sources.append(("v", Vote, "reaction_id", liked))
    for tag, model, extra, among in sources:
        clause, clause_params = ids_clause("status_id", among)
        parts.append(f"SELECT '{tag}', status_id, {extra} FROM {model._meta.db_table} "
                     f"WHERE account_id = %s AND {clause}")
        params += [viewer.pk, *clause_params]
    target = {"f": details.followed, "s": details.suspended}
    mine: dict[int, int | None] = {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for tag, status_id, reaction_id in cursor.fetchall():
            if tag == "v":
                mine[status_id] = reaction_id
            else:
                target[tag].add(status_id)
    return mine


def _reactions_with_counts(liked: list[int]):
    """Every reaction, once per status of `liked` that has votes with it (`counted_status_id`,
    `n`), or once with `counted_status_id` None."""
    from categories.models import Reaction

    table = Reaction._meta.db_table
    clause, params = ids_clause("status_id", liked)
    return Reaction.objects.raw(
        f"SELECT r.*, c.status_id AS counted_status_id, c.n AS n FROM {table} r "
        f"LEFT JOIN (SELECT status_id, reaction_id, COUNT(*) AS n FROM {Vote._meta.db_table} "
        f"WHERE {clause} GROUP BY status_id, reaction_id) c "
        "ON c.reaction_id = r.id OR (c.reaction_id IS NULL AND r.is_default) ORDER BY r.id",
        params)


class _LinkedRows:
    """What a page's statuses link to through a many-to-many table (categories, tags,
    addressing), in link order, as (status id, row): one precompiled statement on PostgreSQL
    (building the ORM's select_related cost more than running it), the ORM elsewhere."""

    def __init__(self, through, target: str):
        self.through, self.target = through, target
        self._select = None

    def fetch(self, ids) -> list[tuple[int, object]]:
        if connection.vendor != "postgresql":
            links = (self.through.objects.filter(status_id__in=ids).order_by("id")
                     .select_related(self.target))
            return [(link.status_id, getattr(link, self.target)) for link in links]
        if self._select is None:
            self._select = PreparedSelect(self.through, relations=[self.target],
                                          where="t0.status_id = ANY(%(ids)s)", order_by="t0.id")
        return [(link.status_id, getattr(link, self.target))
                for link, _ in self._select.fetch({"ids": list(ids)})]


_CATEGORY_LINKS = _LinkedRows(Status.categories.through, "category")


_TAG_LINKS = _LinkedRows(Status.tags.through, "tag")


_ADDRESSING_LINKS = _LinkedRows(ADDRESSING, "tag")


def _details(statuses, viewer, media: dict[int, list], *, written: bool
             ) -> ContributionDetails:
    """SelfCommunity's details of a page: the shared statuses the viewer may see (only when
    something is shared), the categories (and their parents), tags and addressing (each one
    statement, addressing only when some status is addressed; none for a status just written,
    whose relation caches hold them), the viewer's follows, suspensions and votes (one, none
    for an anonymous viewer or statuses just written), every reaction with its counts on the
    page (one, only when some status has votes)."""
    details = ContributionDetails()
    ids = [s.pk for s in statuses]
    if not ids:
        return details
    details.shared = shared_statuses_visible(statuses, viewer, media)
    if written:
        for status in statuses:
            details.categories[status.pk] = kept_related(status, "categories") or []
            details.tags[status.pk] = kept_related(status, "tags") or []
            details.addressing[status.pk] = kept_related(status, "addressing") or []
        return details
    for status_id, category in _CATEGORY_LINKS.fetch(ids):
        details.categories[status_id].append(category)
    attach_parent_ids([c for shown in details.categories.values() for c in shown])
    for status_id, tag in _TAG_LINKS.fetch(ids):
        details.tags[status_id].append(tag)
    addressed = [s.pk for s in statuses if s.addressed]
    if addressed:
        for status_id, tag in _ADDRESSING_LINKS.fetch(addressed):
            details.addressing[status_id].append(tag)
    liked = [s.pk for s in statuses if s.likes_count]
    mine = _viewer_marks(details, ids, liked, viewer) if viewer is not None else {}
    if liked:
        # Reactions are a short list edited by moderators: all of them, each with its counts on
        # the page (a vote with no reaction is the default one's), in one query.
        reactions, default = {}, None
        for row in _reactions_with_counts(liked):
            reaction = reactions.setdefault(row.pk, row)
            if reaction.is_default:
                default = reaction
            if row.counted_status_id is not None:
                details.reactions[row.counted_status_id].append((reaction, row.n))
        for status_id in details.reactions:
            merged: dict[int, list] = {}
            for reaction, n in details.reactions[status_id]:
                entry = merged.setdefault(reaction.pk, [reaction, 0])
                entry[1] += n
            details.reactions[status_id] = sorted(
                ((r, n) for r, n in merged.values()), key=lambda pair: (-pair[1], pair[0].pk))
        for status_id, reaction_id in mine.items():
            details.voted[status_id] = (reactions.get(reaction_id) if reaction_id is not None
                                        else default)
    return details

"""What a page of statuses shows beyond its rows: media, quotes and shares, SelfCommunity's details."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField as BooleanFieldType
from django.db.models import Case, Q, Value, When

from categories.selectors import attach_parent_ids
from config.db import PreparedSelect
from statuses.models import (
    NotificationSuspension,
    QuoteState,
    Status,
    StatusFollow,
    Vote,
)
from statuses.selectors.rows import in_clause
from statuses.selectors.visibility import ADDRESSING, row_visible_q, visible_q


def attach_media(statuses) -> None:
    """Load the media of a page of statuses (and of reblogged originals) in one query, only when
    some status has any (`media_count` is a column), and keep them as `status.media_list`."""
    from media.models import MediaAttachment

    everything = []
    for status in statuses:
        everything.append(status)
        if status.reblog_of_id is not None and status.reblog_of is not None:
            everything.append(status.reblog_of)
    pending = [s for s in everything if not hasattr(s, "media_list")]
    with_media = {s.pk for s in pending if s.media_count or s.quote_of_id}
    found: dict[int, list] = defaultdict(list)
    if with_media:
        for media in MediaAttachment.objects.filter(status_id__in=with_media).order_by(
            "status_id", "position"
        ):
            found[media.status_id].append(media)
    for status in pending:
        status.media_list = found.get(status.pk, [])


@dataclass
class ContributionDetails:
    """What SelfCommunity shows of a page of statuses beyond their rows, by status id: loaded
    in a fixed number of queries whatever the page's size."""

    categories: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    tags: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    addressing: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    # [(reaction, count)] per status, most used first; the viewer's reaction per status.
    reactions: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    voted: dict[int, object] = field(default_factory=dict)
    # The statuses the page's `share` media point at that the viewer may see now, by id.
    shared: dict[int, Status] = field(default_factory=dict)
    # The viewer's follows and suspended notifications among the page's statuses.
    followed: set[int] = field(default_factory=set)
    suspended: set[int] = field(default_factory=set)


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
        clause, clause_params = in_clause("status_id", among)
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
    clause, params = in_clause("status_id", liked)
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


def contribution_details(statuses, viewer) -> ContributionDetails:
    details = ContributionDetails()
    ids = [s.pk for s in statuses]
    if not ids:
        return details
    # A status whose cached SelfCommunity rendering holds its medias has none to read
    # (statuses/selfcommunity/serializers.py).
    attach_media([s for s in statuses if not getattr(s, "media_cached", False)])
    details.shared = shared_statuses_visible(statuses, viewer)
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


_QUOTE_FIELD = Status._meta.get_field("quote_of")


def _as_flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False),
                output_field=BooleanFieldType())


def shared_statuses_visible(statuses, viewer) -> dict[int, Status]:
    """The statuses that the `share` media of a page (their `media_list`, see attach_media)
    point at and that `viewer` may see now, by id, holding what a share shows of them (the
    summary). One query through `visible_q` for the whole page; none when nothing is shared."""
    from media.models import MediaKind

    # A share whose quote the shared status's author revoked shows it no more.
    ids = {media.shared_status_id for status in statuses
           if status.quote_state == QuoteState.ACCEPTED
           for media in getattr(status, "media_list", ())
           if media.kind == MediaKind.SHARE and media.shared_status_id is not None}
    if not ids:
        return {}
    return Status.objects.filter(visible_q(viewer), pk__in=ids).only("pk", "summary").in_bulk()


def attach_quotes(statuses, viewer) -> list[Status]:
    """Load what a page's statuses (and the originals of its reblogs) quote, in one query
    whatever the page's size, none when nothing quotes: each quoted row comes with its author
    and application and is cached as the quoting status's `quote_of` (None if the row is gone).

    Each quoted row carries `viewer_may_see` (`visible_q` for this viewer; a deleted row is
    never visible), and, for the status it quotes in turn (which is not loaded),
    `quote_viewer_may_see` and `quote_gone` (deleted). Returns the quoted rows the viewer may
    see, which are the ones whose media and flags the page needs too."""
    quoting = []
    for status in statuses:
        quoting.append(status)
        if status.reblog_of_id is not None and status.reblog_of is not None:
            quoting.append(status.reblog_of)
    quoting = [s for s in quoting if s.quote_of_id is not None]
    if not quoting:
        return []
    rows = (
        Status.objects.filter(pk__in={s.quote_of_id for s in quoting})
        .select_related("account", "application")
        .annotate(
            viewer_may_see=_as_flag(visible_q(viewer) & Q(reblog_of__isnull=True)),
            quote_viewer_may_see=_as_flag(Q(quote_of__isnull=False)
                                          & row_visible_q(viewer, "quote_of__")),
            quote_gone=_as_flag(Q(quote_of__deleted_at__isnull=False)),
        )
        .in_bulk()
    )
    for status in quoting:
        _QUOTE_FIELD.set_cached_value(status, rows.get(status.quote_of_id))
    return [row for row in rows.values() if row.viewer_may_see]

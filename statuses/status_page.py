"""The data a page of statuses is shown from: filled by the page loader
(statuses/selectors/page.py), read by both dialects' serializers, which import this module and
nothing that queries. Data only: no query, no cache."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

# The render cache's key of each dialect (statuses/render_cache.py).
MASTODON, SELFCOMMUNITY = "m", "s"


@dataclass(frozen=True)
class Dialect:
    """What one dialect's serializers read from a page, declared beside them.

    `key` is the dialect's key in the render cache; `render(status, media)` its pure function
    from a row and its media to the viewer-independent rendering (None: nothing cached);
    `holds_media(rendering)` whether a cached rendering already shows the status's media (so
    they are not read). The flags say which of the rest to read."""

    key: str | None
    render: Callable | None = None
    holds_media: Callable[[dict], bool] = lambda rendering: True
    quotes: bool = False
    cards: bool = False
    polls: bool = False
    flags: bool = False
    quote_policies: bool = False
    details: bool = False


@dataclass
class ViewerFlags:
    """What one viewer has done to a page of statuses, as sets of status ids (threads for mutes)."""

    favourited: set[int] = field(default_factory=set)
    reblogged: set[int] = field(default_factory=set)
    bookmarked: set[int] = field(default_factory=set)
    pinned: set[int] = field(default_factory=set)
    muted_threads: set[int] = field(default_factory=set)


@dataclass
class PagePolls:
    """A page's polls by status id, and the viewer's choices by poll id (for a viewer only)."""

    by_status: dict[int, object] = field(default_factory=dict)
    own_votes: dict[int, list[int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Quoted:
    """What a status quotes, as the page's viewer may see it: the quoted row (None when it is
    gone), whether the viewer may see it (never when deleted), and of what it quotes in turn
    (not loaded) whether the viewer may see it and whether it is deleted."""

    status: object | None
    visible: bool = False
    inner_visible: bool = False
    inner_gone: bool = False


@dataclass
class ContributionDetails:
    """What SelfCommunity shows of a page of statuses beyond their rows, by status id."""

    categories: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    tags: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    addressing: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    # [(reaction, count)] per status, most used first; the viewer's reaction per status.
    reactions: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    voted: dict[int, object] = field(default_factory=dict)
    # The statuses the page's `share` media point at that the viewer may see now, by id.
    shared: dict[int, object] = field(default_factory=dict)
    # The viewer's follows and suspended notifications among the page's statuses.
    followed: set[int] = field(default_factory=set)
    suspended: set[int] = field(default_factory=set)


@dataclass
class StatusPage:
    """Everything a page's serializers read besides the rows, by status id (cards by card id,
    quotes by the quoting status's id)."""

    viewer: object | None
    renderings: dict[int, dict] = field(default_factory=dict)
    media: dict[int, list] = field(default_factory=dict)
    cards: dict[int, object] = field(default_factory=dict)
    polls: PagePolls = field(default_factory=PagePolls)
    quoted: dict[int, Quoted] = field(default_factory=dict)
    flags: ViewerFlags = field(default_factory=ViewerFlags)
    quote_follows: set[int] = field(default_factory=set)
    details: ContributionDetails = field(default_factory=ContributionDetails)
    # The viewer's active filters (filters.matching.ActiveFilter), read once per page.
    filters: list = field(default_factory=list)

    def media_of(self, status) -> list:
        return self.media.get(status.pk, [])

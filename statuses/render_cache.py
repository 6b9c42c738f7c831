"""Cached renderings of the viewer-independent part of a status, one per dialect.

A rendering is what a status looks like to everybody: its text, HTML, spoiler, mentions, tags,
language, dates, and its own media. Everything that differs between readers or changes without
the status changing stays out and is added on top for each request: counters, the viewer's
flags, the author (whose counters move with every post), the poll (tallies and the viewer's
votes), the quote (what this reader may see of it), and shared rows that are edited on their own
(preview cards, categories, tags, reactions).

The key is (dialect, id, `render_version`). `Status.render_version` is a new random number
whenever a column a rendering reads is written (models.RENDERED_FIELDS: `save()`,
`QuerySet.update()` and `bulk_update()` see to it). A status's own media only change through it:
attaching or detaching rewrites `media_count` (statuses/services/attachments.py), media can only
be attached once processed, and media already attached are edited only by editing the status
(which writes `edited_at`). Visibility is always
decided on the row first, so a deleted, collapsed or hidden status is refused before its
rendering is looked up. So invalidation holds by construction: a rendering is found only through
the version of the row just read, and a changed row has a version nobody has cached yet.

The store is a per-process LRU dictionary: no round trip, and nothing to keep coherent between
processes, since each looks up the version its own query returned.
"""

import secrets
from collections import OrderedDict

from django.conf import settings

from statuses.status_page import MASTODON, SELFCOMMUNITY  # noqa: E402,F401  (the dialects' keys)


def new_version() -> int:
    """A render_version (fits a PositiveIntegerField)."""
    return secrets.randbits(31)


class RenderCache:
    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key):
        value = self._items.get(key)
        if value is None:
            self.misses += 1
            return None
        self._items.move_to_end(key)
        self.hits += 1
        return value

    def put(self, key, value) -> None:
        if self.size <= 0:
            return
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def clear(self) -> None:
        self._items.clear()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._items)


CACHE = RenderCache(getattr(settings, "STATUS_RENDER_CACHE_SIZE", 20000))


def key_of(dialect: str, status) -> tuple:
    return (dialect, status.pk, status.render_version)


def cached(dialect: str, status):
    """The rendering kept for this row's current version, or None."""
    return CACHE.get(key_of(dialect, status))


def keep(dialect: str, status, rendering: dict) -> None:
    CACHE.put(key_of(dialect, status), rendering)


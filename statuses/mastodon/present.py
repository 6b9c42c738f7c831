"""Showing statuses in Mastodon's shape: the page loader (statuses/selectors/page.py) reads
what a page needs in a fixed number of statements, then the pure serializers render it."""

from statuses.mastodon.serializers import (
    MASTODON,
    hidden_in,
    history_shows_a_quote,
    serialize_history,
    serialize_status,
    serialize_statuses,
)
from statuses.selectors.page import status_page_load


def show_statuses(statuses, viewer, *, context: str | None = None) -> list[dict]:
    """A page of statuses; in a filter `context` (home, public, thread, account,
    notifications), without those a `hide` filter of the viewer's applying there matches."""
    statuses = list(statuses)
    shown = serialize_statuses(statuses, status_page_load(statuses, viewer=viewer,
                                                          dialect=MASTODON))
    if context is not None and viewer is not None:
        shown = [data for data in shown if not hidden_in(data, context)]
    return shown


def show_status(status, viewer, *, flags=None, source_requested: bool = False) -> dict:
    """One status; `flags`, the viewer's flags when already read with it (a single GET), or
    empty ones for a status nobody can have acted on yet (one just posted)."""
    page = status_page_load([status], viewer=viewer, dialect=MASTODON, flags=flags)
    return serialize_status(status, page, source_requested=source_requested)


def show_context(ancestors, descendants, viewer) -> dict:
    """A thread's context, without what the viewer's `hide` filters of `thread` match."""
    page = status_page_load(ancestors + descendants, viewer=viewer, dialect=MASTODON)
    accounts: dict = {}

    def shown(statuses):
        rendered = [serialize_status(s, page, accounts=accounts) for s in statuses]
        return [data for data in rendered if not hidden_in(data, "thread")]

    return {"ancestors": shown(ancestors), "descendants": shown(descendants)}


def show_history(status, revisions, viewer) -> list[dict]:
    page = (status_page_load([status], viewer=viewer, dialect=MASTODON)
            if history_shows_a_quote(revisions) else None)
    return serialize_history(status, revisions, page)

"""Statuses another entity embeds (a conversation's last status): those of them its reader may
see now, through the one visibility rule, loaded for a page."""

from config import querycache
from statuses.models import Status
from statuses.selectors.rows import statuses_for_page
from statuses.selectors.visibility import visible_q

# Ids asked about at once: the longest Mastodon page. The statement is built and compiled once
# (config/querycache.py: the rule's dozen subqueries cost more to build than to run), with this
# many bound ids, the unused ones 0 (no row's).
SLOTS = 40


def _visible_among(*, viewer, **slots):
    return (Status.objects.filter(visible_q(viewer), pk__in=[slots[f"s{i}"] for i in range(SLOTS)])
            .values_list("pk"))


def visible_statuses_for_page(ids, viewer) -> dict[int, Status]:
    """The statuses of `ids` that `viewer` may see now, by id, loaded as `statuses_for_page`
    loads a page: one statement more than it for a page of up to SLOTS ids."""
    ids = sorted(set(ids))
    shown: list[int] = []
    for start in range(0, len(ids), SLOTS):
        chunk = ids[start:start + SLOTS]
        padded = chunk + [0] * (SLOTS - len(chunk))
        rows = querycache.fetch(("embedded", SLOTS), _visible_among, viewer=viewer,
                                **{f"s{i}": pk for i, pk in enumerate(padded)})
        shown += [row[0] for row in rows]
    return statuses_for_page(shown)

"""Statuses another entity embeds (a conversation's last status): those of them its reader may
see now, through the one visibility rule, loaded for a page."""

from statuses.models import Status
from statuses.selectors.rows import statuses_for_page
from statuses.selectors.visibility import visible_q


def visible_statuses_for_page(ids, viewer) -> dict[int, Status]:
    """The statuses of `ids` that `viewer` may see now, by id, loaded as `statuses_for_page`
    loads a page: one statement more than it, whatever the page's size."""
    ids = set(ids)
    if not ids:
        return {}
    shown = list(Status.objects.filter(visible_q(viewer), pk__in=ids)
                 .values_list("pk", flat=True))
    return statuses_for_page(shown)

"""The query parameters of the lists' pages (Rails' leniency: config/api/mastodon_filters.py)."""

from config.api.mastodon_filters import LimitFilter, PageFilterSet


class ListAccountsFilterSet(PageFilterSet):
    """GET /api/v1/lists/:id/accounts: `limit` 40 (at most 80; `limit=0`, all of them),
    `max_id`/`since_id` over account ids (Mastodon's `paginate_by_max_id`), and `min_id`, which
    the community description lists and this server honours too."""

    limit = LimitFilter(default=40, maximum=80)


class ListTimelineFilterSet(PageFilterSet):
    """GET /api/v1/timelines/list/:list_id: as the home timeline."""

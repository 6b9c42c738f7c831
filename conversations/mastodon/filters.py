"""The query parameters of GET /api/v1/conversations (Rails' leniency:
config/api/mastodon_filters.py)."""

from config.api.mastodon_filters import PageFilterSet


class ConversationsFilterSet(PageFilterSet):
    """GET /api/v1/conversations: `limit` 20 (at most 40), cursors over the last statuses'
    ids (`max_id`, `since_id`, `min_id`)."""

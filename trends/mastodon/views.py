"""GET /api/v1/trends/statuses, /tags and /links, GET /api/v2/suggestions, DELETE
/api/v1/suggestions/:account_id and GET /api/v1/directory, as Mastodon 4.5 answers them. The
trends are read from what the periodic task ranked (trends/services.py), never computed per
request."""

from urllib.parse import urlencode

from rest_framework.response import Response

from accounts.mastodon.serializers import serialize_account
from config.api.mastodon import MastodonViewSet
from config.params import parse_id
from config.scopes import READ_ACCOUNTS, WRITE_ACCOUNTS
from statuses.mastodon.present import show_statuses
from trends import selectors, services
from trends.mastodon import filters
from trends.mastodon.serializers import (
    serialize_suggestion,
    serialize_trending_link,
    serialize_trending_tag,
)


def offset_link_header(request, *, offset: int, limit: int, page_size: int) -> str | None:
    """Mastodon's offset paging of the trends: `next` (offset + limit) when the page is full,
    `prev` (offset - limit) when the offset is past the first page; each keeps `limit` when the
    client sent it."""
    base = request.build_absolute_uri(request.path)
    kept = request.query_params.get("limit")

    def url(new_offset: int) -> str:
        query = {"limit": kept} if kept not in (None, "") else {}
        query["offset"] = str(new_offset)
        return f"{base}?{urlencode(sorted(query.items()))}"

    links = []
    if limit > 0 and page_size == limit:
        links.append(f'<{url(offset + limit)}>; rel="next"')
    if offset > limit:
        links.append(f'<{url(offset - limit)}>; rel="prev"')
    return ", ".join(links) or None


def _paged(request, body, *, offset: int, limit: int) -> Response:
    link = offset_link_header(request, offset=offset, limit=limit, page_size=len(body))
    return Response(body, headers={"Link": link} if link else {})


class TrendsViewSet(MastodonViewSet):
    """The trends, public as in Mastodon (no scope checked; a token only names the reader)."""

    public_cache_actions = frozenset({"statuses", "tags", "links"})
    filtersets = {"statuses": filters.TrendingStatusesFilterSet,
                  "tags": filters.TrendingTagsFilterSet,
                  "links": filters.TrendingTagsFilterSet}

    def statuses(self, request):
        params = self.list_params()
        statuses = selectors.trending_statuses(viewer=self.viewer, offset=params["offset"],
                                               limit=params["limit"])
        return _paged(request, show_statuses(statuses, self.viewer), offset=params["offset"],
                      limit=params["limit"])

    def tags(self, request):
        params = self.list_params()
        rows = selectors.trending_tags(offset=params["offset"], limit=params["limit"])
        return _paged(request, [serialize_trending_tag(tag, history) for tag, history in rows],
                      offset=params["offset"], limit=params["limit"])

    def links(self, request):
        params = self.list_params()
        rows = selectors.trending_links(offset=params["offset"], limit=params["limit"])
        return _paged(request,
                      [serialize_trending_link(card, history) for card, history in rows],
                      offset=params["offset"], limit=params["limit"])


class SuggestionViewSet(MastodonViewSet):
    required_scopes = {"list": READ_ACCOUNTS, "list_v1": READ_ACCOUNTS,
                       "destroy": WRITE_ACCOUNTS}
    token_required_actions = frozenset({"list", "list_v1", "destroy"})
    user_required_actions = token_required_actions
    filtersets = {"list": filters.SuggestionsFilterSet, "list_v1": filters.SuggestionsFilterSet}

    def list(self, request):
        params = self.list_params()
        rows = selectors.account_suggestions(viewer=self.viewer, limit=params["limit"])
        return Response([serialize_suggestion(serialize_account(account), friends)
                         for account, friends in rows])

    def list_v1(self, request):
        """The deprecated v1 list: the same accounts, without their sources."""
        params = self.list_params()
        rows = selectors.account_suggestions(viewer=self.viewer, limit=params["limit"])
        return Response([serialize_account(account) for account, _friends in rows])

    def destroy(self, request, account_id=None):
        services.suggestion_dismiss(account=self.viewer, target_id=parse_id(account_id))
        return Response({})


class DirectoryViewSet(MastodonViewSet):
    """The profile directory, public as in Mastodon (no scope checked); no Link header."""

    public_cache_actions = frozenset({"list"})
    filtersets = {"list": filters.DirectoryFilterSet}

    def list(self, request):
        params = self.list_params()
        accounts = selectors.account_directory(
            viewer=self.viewer, order=params["order"] or "active", offset=params["offset"],
            limit=params["limit"])
        return Response([serialize_account(account) for account in accounts])

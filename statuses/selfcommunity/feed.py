"""SelfCommunity's feeds for the SDK's home: `/api/v2/feed/` (the viewer's) and
`/api/v2/feed/explore/` (every public status), items `{type, status, seen_by_id, has_boost}`."""

from config.api.selfcommunity import SelfCommunityViewSet, paginated_response
from config.scopes import READ_STATUSES
from statuses.selectors import lists as list_selectors
from statuses.selfcommunity import filters
from statuses.selfcommunity.present import show_statuses


class FeedViewSet(SelfCommunityViewSet):
    required_scopes = {"home": READ_STATUSES, "explore": READ_STATUSES}
    token_required_actions = frozenset({"home"})
    user_required_actions = frozenset({"home"})
    filtersets = {"home": filters.FeedFilterSet, "explore": filters.FeedFilterSet}

    def _feed(self, request, selector):
        params = self.list_params()
        limit, offset = params["limit"], params["offset"]
        count, statuses = selector(viewer=self.viewer, limit=limit, offset=offset)
        # Nothing records who has seen a status, and there are no boosts in SelfCommunity.
        results = [{"type": "status", "status": item, "seen_by_id": [], "has_boost": False}
                   for item in show_statuses(statuses, self.viewer)]
        return paginated_response(request, count=count, limit=limit, offset=offset,
                                  results=results)

    def home(self, request):
        return self._feed(request, list_selectors.home_feed_page)

    def explore(self, request):
        return self._feed(request, list_selectors.explore_feed_page)

"""SelfCommunity's feeds: `/api/v2/feed/` (the viewer's) and `/api/v2/feed/explore/` (every
public status), an account's (`/api/v2/user/{id}/feed/`) and a category's
(`/api/v2/category/{id}/feed/`, `.../feed/trending/`), the statuses like some others
(`POST /api/v2/feed/likethis/`); what the viewer has seen of their feed (`POST /api/v2/feed/read/`,
`/api/v2/feed/unseen/count/`). Items are `{type, <type>, seen, seen_by_id, has_boost}`, the
type `status`, `post` or `discussion`."""

from rest_framework.response import Response

from accounts.selectors import account_get
from categories.selectors import category_get_active
from config.api.base import parse_id
from config.api.selfcommunity import SelfCommunityViewSet, field_error, paginated_response
from config.scopes import READ_STATUSES, WRITE_STATUSES
from statuses.selectors import lists as list_selectors
from statuses.selfcommunity import filters
from statuses.selfcommunity.present import show_statuses
from statuses.services.feedback import feed_mark_seen

# The most statuses one `read` or `likethis` names: a viewport's worth, many times over.
MAX_OBJECTS = 100
_OWN = frozenset({"home", "unseen_count", "read"})


def feed_items(statuses, viewer) -> list[dict]:
    """Feed units of `statuses`: `seen` and `seen_by_id` (the viewer, once they marked it seen;
    one statement), and no boost (SelfCommunity's paid visibility boost does not exist here)."""
    statuses = list(statuses)
    seen = list_selectors.seen_ids(viewer=viewer, status_ids=[s.pk for s in statuses])
    # An item names its contribution's type and holds it under that key, as SelfCommunity's
    # feed does: {"type": "post", "post": {...}}.
    return [{"type": item["type"], item["type"]: item, "seen": status.pk in seen,
             "seen_by_id": [viewer.pk] if status.pk in seen else [], "has_boost": False}
            for status, item in zip(statuses, show_statuses(statuses, viewer), strict=True)]


class FeedViewSet(SelfCommunityViewSet):
    required_scopes = {"home": READ_STATUSES, "explore": READ_STATUSES,
                       "unseen_count": READ_STATUSES, "read": WRITE_STATUSES,
                       "likethis": READ_STATUSES, "user": READ_STATUSES,
                       "category": READ_STATUSES, "trending": READ_STATUSES}
    token_required_actions = _OWN
    user_required_actions = _OWN
    filtersets = {name: filters.FeedFilterSet
                  for name in ("home", "explore", "likethis", "user", "category", "trending")}

    def _window(self) -> tuple[int, int]:
        params = self.list_params()
        return params["limit"], params["offset"]

    def _feed(self, request, selector, **about):
        limit, offset = self._window()
        count, statuses = selector(viewer=self.viewer, limit=limit, offset=offset, **about)
        return paginated_response(request, count=count, limit=limit, offset=offset,
                                  results=feed_items(statuses, self.viewer))

    def _objects(self) -> list[int]:
        """The body's `object`: a list of 1 to MAX_OBJECTS status ids (400 on `object`)."""
        body = self.body
        raw = body.getlist("object") if hasattr(body, "getlist") else body.get("object")
        if not isinstance(raw, list) or not raw:
            raise field_error("object", "Expected a list of items.", code="not_a_list")
        if len(raw) > MAX_OBJECTS:
            raise field_error("object", f"Ensure this field has no more than {MAX_OBJECTS} "
                              "elements.", code="max_length")
        ids = [parse_id(value) if isinstance(value, (str, int)) and not isinstance(value, bool)
               else None for value in raw]
        if None in ids:
            raise field_error("object", "A valid integer is required.", code="invalid")
        return ids

    def home(self, request):
        return self._feed(request, list_selectors.home_feed_page)

    def explore(self, request):
        return self._feed(request, list_selectors.explore_feed_page)

    def unseen_count(self, request):
        # `count` as the notifications' unseen count; `total` is what the SDK's
        # SCFeedUnseenCountType names (no per-category breakdown here).
        count = list_selectors.home_feed_unseen_count(viewer=self.viewer)
        return Response({"count": count, "total": count})

    def read(self, request):
        feed_mark_seen(account=self.viewer, status_ids=self._objects())
        return Response(status=204)

    def likethis(self, request):
        ids = self._objects()
        # As the per-status lists: asking about a status one may not see is a 404.
        list_selectors.require_listed(viewer=self.viewer, status_ids=ids)
        return self._feed(request, list_selectors.like_these_page, status_ids=ids)

    def user(self, request, pk=None):
        account = account_get(account_id=parse_id(pk))
        return self._feed(request, list_selectors.user_feed_page, account=account)

    def category(self, request, pk=None):
        category = category_get_active(category_id=parse_id(pk))
        return self._feed(request, list_selectors.category_feed_page, category_id=category.pk)

    def trending(self, request, pk=None):
        category = category_get_active(category_id=parse_id(pk))
        return self._feed(request, list_selectors.category_trending_page,
                          category_id=category.pk)


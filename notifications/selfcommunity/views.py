"""SelfCommunity's notification API over the one store: the aggregated list, mark read and the
unseen count (what the SDK's NotificationService calls)."""

from rest_framework.response import Response

from config.api.selfcommunity import SelfCommunityViewSet, field_error, paginated_response
from config.params import parse_id
from config.scopes import READ_NOTIFICATIONS, WRITE_NOTIFICATIONS
from notifications import selectors, services
from notifications.selfcommunity import filters
from notifications.selfcommunity.present import show_aggregates

ALL = frozenset({"list", "read", "unseen_count"})


class NotificationViewSet(SelfCommunityViewSet):
    required_scopes = {"list": READ_NOTIFICATIONS, "unseen_count": READ_NOTIFICATIONS,
                       "read": WRITE_NOTIFICATIONS}
    token_required_actions = ALL
    user_required_actions = ALL
    filtersets = {"list": filters.NotificationsFilterSet}

    def list(self, request):
        params = self.list_params()
        limit, offset = params["limit"], params["offset"]
        count, aggregates, statuses = selectors.sc_aggregates(viewer=self.viewer, limit=limit,
                                                              offset=offset)
        results = show_aggregates(aggregates, statuses, self.viewer)
        return paginated_response(request, count=count, limit=limit, offset=offset,
                                  results=results)

    def read(self, request):
        raw = self.body.get("sids")
        if not isinstance(raw, list) or not raw:
            raise field_error("sids", "Expected a list of items.", code="not_a_list")
        sids = [parse_id(value) for value in raw if isinstance(value, (str, int))
                and not isinstance(value, bool)]
        services.notifications_mark_read(account=self.viewer,
                                         sids=[sid for sid in sids if sid is not None])
        return Response(status=204)

    def unseen_count(self, request):
        return Response({"count": selectors.sc_unseen_count(viewer=self.viewer)})

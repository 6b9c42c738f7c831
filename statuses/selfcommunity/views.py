"""SelfCommunity `/api/v2/status/`: list, create, retrieve, update and delete statuses."""

from rest_framework.response import Response

from config.api.base import parse_id
from config.api.selfcommunity import SelfCommunityViewSet, page_window, paginated_response
from config.scopes import READ_STATUSES, WRITE_STATUSES
from statuses.selectors.contributions import contributions_page
from statuses.selectors.single import contribution_get_readable, contribution_get_visible
from statuses.selfcommunity.serializers import (
    StatusCreateSerializer,
    serialize_created,
    serialize_statuses,
)
from statuses.services.contributions import (
    contribution_create,
    contribution_delete,
    contribution_update,
)
from statuses.services.feedback import contribution_record_view

ORDERINGS = {
    "added_at": ("created_at", "id"),
    "-added_at": ("-created_at", "-id"),
    "last_activity_at": ("last_activity_at", "id"),
    "-last_activity_at": ("-last_activity_at", "-id"),
}


class StatusViewSet(SelfCommunityViewSet):
    required_scopes = {"list": READ_STATUSES, "retrieve": READ_STATUSES,
                       "create": WRITE_STATUSES, "update": WRITE_STATUSES,
                       "destroy": WRITE_STATUSES}
    token_required_actions = frozenset({"create", "update", "destroy"})
    user_required_actions = frozenset({"create", "update", "destroy"})
    # A SelfCommunity delete draws on Mastodon's delete budget (30 per 30 minutes).
    delete_throttled_actions = frozenset({"destroy"})

    def _one(self, status_id) -> dict:
        status = contribution_get_visible(status_id=parse_id(status_id),
                                                    viewer=self.viewer)
        return serialize_statuses([status], self.viewer)[0]

    def _body(self, request) -> StatusCreateSerializer:
        serializer = StatusCreateSerializer(data=self.body)
        serializer.is_valid(raise_exception=True)
        return serializer

    def list(self, request):
        limit, offset = page_window(request)
        ordering = ORDERINGS.get(request.query_params.get("ordering") or "", ORDERINGS["-added_at"])
        count, statuses = contributions_page(viewer=self.viewer, ordering=ordering,
                                                       limit=limit, offset=offset)
        return paginated_response(request, count=count, limit=limit, offset=offset,
                                  results=serialize_statuses(statuses, self.viewer))

    def create(self, request):
        body = self._body(request).contribution()
        status = contribution_create(account=self.viewer, body=body,
                                     application=request.auth.application)
        return Response(serialize_created(status), status=201)

    def retrieve(self, request, pk=None):
        # The author also reads their own deleted status (`deleted: true`), to restore it.
        status = contribution_get_readable(status_id=parse_id(pk), viewer=self.viewer)
        contribution_record_view(account=self.viewer, status=status)
        return Response(serialize_statuses([status], self.viewer)[0])

    def update(self, request, pk=None):
        status = contribution_get_visible(status_id=parse_id(pk), viewer=self.viewer)
        body = self._body(request).contribution()
        contribution_update(account=self.viewer, status_id=status.pk, body=body)
        return Response(self._one(status.pk))

    def destroy(self, request, pk=None):
        status = contribution_get_visible(status_id=parse_id(pk), viewer=self.viewer)
        contribution_delete(account=self.viewer, status=status)
        return Response(status=204)

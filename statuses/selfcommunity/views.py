"""SelfCommunity `/api/v2/status/`, `/api/v2/post/` and `/api/v2/discussion/`: list, create,
retrieve, update and delete contributions, each route family only those of its type."""

from rest_framework.response import Response

from config.api.base import parse_id
from config.api.selfcommunity import SelfCommunityViewSet, paginated_response
from config.scopes import READ_STATUSES, WRITE_STATUSES
from statuses.models import ContributionType
from statuses.selectors.contributions import contributions_page
from statuses.selectors.single import contribution_get_readable, contribution_get_visible
from statuses.selfcommunity import filters
from statuses.selfcommunity.present import show_created, show_status, show_statuses
from statuses.selfcommunity.serializers import CREATE_SERIALIZERS, StatusCreateSerializer
from statuses.services.contributions import (
    contribution_create,
    contribution_delete,
    contribution_update,
)
from statuses.services.feedback import contribution_record_view


class StatusViewSet(SelfCommunityViewSet):
    required_scopes = {"list": READ_STATUSES, "retrieve": READ_STATUSES,
                       "create": WRITE_STATUSES, "update": WRITE_STATUSES,
                       "destroy": WRITE_STATUSES}
    token_required_actions = frozenset({"create", "update", "destroy"})
    user_required_actions = frozenset({"create", "update", "destroy"})
    # A SelfCommunity delete draws on Mastodon's delete budget (30 per 30 minutes).
    delete_throttled_actions = frozenset({"destroy"})
    filtersets = {"list": filters.StatusListFilterSet}
    # Set per route family by the urls (statuses/selfcommunity/urls.py).
    contribution_type = ContributionType.STATUS

    def _visible(self, pk):
        return contribution_get_visible(status_id=parse_id(pk), viewer=self.viewer,
                                        kind=self.contribution_type)

    def _one(self, status_id) -> dict:
        return show_status(self._visible(status_id), self.viewer)

    def _body(self, request) -> StatusCreateSerializer:
        serializer = CREATE_SERIALIZERS[self.contribution_type](data=self.body)
        serializer.is_valid(raise_exception=True)
        return serializer

    def list(self, request):
        params = self.list_params()
        limit, offset, ordering = params["limit"], params["offset"], params["ordering"]
        count, statuses = contributions_page(viewer=self.viewer, ordering=ordering,
                                             limit=limit, offset=offset,
                                             kind=self.contribution_type)
        return paginated_response(request, count=count, limit=limit, offset=offset,
                                  results=show_statuses(statuses, self.viewer))

    def create(self, request):
        body = self._body(request).contribution()
        status = contribution_create(account=self.viewer, body=body,
                                     application=request.auth.application)
        return Response(show_created(status, self.viewer), status=201)

    def retrieve(self, request, pk=None):
        # The author also reads their own deleted status (`deleted: true`), to restore it.
        status = contribution_get_readable(status_id=parse_id(pk), viewer=self.viewer,
                                           kind=self.contribution_type)
        contribution_record_view(account=self.viewer, status=status)
        return Response(show_status(status, self.viewer))

    def update(self, request, pk=None):
        status = self._visible(pk)
        body = self._body(request).contribution()
        contribution_update(account=self.viewer, status_id=status.pk, body=body)
        return Response(self._one(status.pk))

    def destroy(self, request, pk=None):
        status = self._visible(pk)
        contribution_delete(account=self.viewer, status=status)
        return Response(status=204)

"""Mastodon's PreviewCard entity (spec 3.5) and GET /api/v1/statuses/:id/card."""

from rest_framework.response import Response

from config.api.mastodon import MastodonViewSet, parse_id
from config.scopes import READ_STATUSES
from statuses.mastodon.serializers import serialize_card
from statuses.selectors.cards import status_card
from statuses.selectors.single import status_get_visible


class StatusCardViewSet(MastodonViewSet):
    """GET /api/v1/statuses/:id/card: the card of a status the caller may see, or `{}`."""

    required_scopes = {"card": READ_STATUSES}

    def card(self, request, pk=None):
        status = status_get_visible(status_id=parse_id(pk), viewer=self.viewer)
        return Response(serialize_card(status_card(status)) or {})

"""Mastodon v1 scheduled statuses: the ScheduledStatus entity (spec 3.8), the options a POST
keeps for later, and /api/v1/scheduled_statuses (list, show, move, cancel)."""

from rest_framework.response import Response

from accounts.mastodon.serializers import datetime_ms
from config.api.mastodon import MastodonViewSet, param_str, parse_id
from config.api.pagination import link_header, paginate
from config.scopes import READ_STATUSES, WRITE_STATUSES
from media.mastodon.serializers import serialize_media
from statuses.mastodon import filters
from statuses.selectors import scheduled as selectors
from statuses.services import scheduling


def serialize_scheduled_status(scheduled, media: list) -> dict:
    """REST::ScheduledStatusSerializer, with the media it holds (selectors.scheduled_media)."""
    return {
        "id": str(scheduled.pk),
        "scheduled_at": datetime_ms(scheduled.scheduled_at),
        "params": scheduled.params,
        "media_attachments": [serialize_media(m) for m in media],
    }


def show_scheduled(rows) -> list[dict]:
    media = selectors.scheduled_media(rows)
    return [serialize_scheduled_status(row, media.get(row.pk, [])) for row in rows]


class ScheduledStatusViewSet(MastodonViewSet):
    required_scopes = {"list": READ_STATUSES, "retrieve": READ_STATUSES,
                       "update": WRITE_STATUSES, "destroy": WRITE_STATUSES}
    token_required_actions = frozenset({"list", "retrieve", "update", "destroy"})
    user_required_actions = token_required_actions
    filtersets = {"list": filters.ScheduledStatusesFilterSet}

    def list(self, request):
        params = self.list_params()
        limit = params["limit"]
        rows = paginate(selectors.scheduled_statuses_of(account=self.viewer),
                        params, field="id", limit=limit)
        headers = {}
        link = link_header(request, first_cursor=rows[0].pk if rows else None,
                           last_cursor=rows[-1].pk if rows else None, page_size=len(rows),
                           limit=limit, prev_param="min_id")
        if link:
            headers["Link"] = link
        return Response(show_scheduled(rows), headers=headers)

    def retrieve(self, request, pk=None):
        scheduled = selectors.scheduled_status_get_own(account=self.viewer,
                                                       scheduled_status_id=parse_id(pk))
        return Response(show_scheduled([scheduled])[0])

    def update(self, request, pk=None):
        scheduled = scheduling.scheduled_status_update(
            account=self.viewer, scheduled_status_id=parse_id(pk),
            scheduled_at=param_str(self.body, "scheduled_at"))
        return Response(show_scheduled([scheduled])[0])

    def destroy(self, request, pk=None):
        scheduling.scheduled_status_delete(account=self.viewer, scheduled_status_id=parse_id(pk))
        return Response({})

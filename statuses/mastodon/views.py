"""Mastodon v1 statuses endpoints: create, show, show many, delete, context."""

from rest_framework.decorators import action
from rest_framework.response import Response

from config.api.mastodon import (
    MastodonViewSet,
    param_bool,
    param_list,
    param_str,
    parse_id,
)
from statuses import selectors, services
from statuses.mastodon.serializers import serialize_status, serialize_statuses, viewer_state

READ = ("read", "read:statuses")
WRITE = ("write", "write:statuses")


def _has_poll(data) -> bool:
    if isinstance(data.get("poll"), dict):
        return bool(data["poll"])
    return any(str(key).startswith("poll[") for key in data.keys())


class StatusViewSet(MastodonViewSet):
    required_scopes = {
        "list": READ,
        "retrieve": READ,
        "context": READ,
        "create": WRITE,
        "destroy": WRITE,
    }
    token_required_actions = frozenset({"create", "destroy"})
    user_required_actions = frozenset({"create", "destroy"})
    public_cache_actions = frozenset({"retrieve", "context"})

    def list(self, request):
        """GET /api/v1/statuses?id[]=1&id[]=2"""
        raw_ids = param_list(request.query_params, "id") or []
        ids = []
        for raw in raw_ids:
            number = parse_id(raw)
            ids.append(number if number is not None else 0)
        ids = [i for i in ids if i]
        statuses = selectors.statuses_by_ids(ids=ids, viewer=self.viewer)
        return Response(serialize_statuses(statuses, self.viewer))

    def retrieve(self, request, pk=None):
        status = selectors.status_get_visible(status_id=parse_id(pk), viewer=self.viewer)
        return Response(serialize_status(status, viewer_state(self.viewer, [status])))

    def create(self, request):
        data = request.data
        in_reply_to_raw = param_str(data, "in_reply_to_id")
        in_reply_to_given = in_reply_to_raw is not None and in_reply_to_raw.strip() != ""
        status = services.status_create(
            account=self.viewer,
            text=param_str(data, "status"),
            spoiler_text=param_str(data, "spoiler_text"),
            visibility=param_str(data, "visibility"),
            sensitive=param_bool(data, "sensitive"),
            language=param_str(data, "language"),
            in_reply_to_id=parse_id(in_reply_to_raw) if in_reply_to_given else None,
            in_reply_to_given=in_reply_to_given,
            application=request.auth.application,
            idempotency_key=request.headers.get("Idempotency-Key") or None,
            media_ids=param_list(data, "media_ids"),
            allowed_mentions=param_list(data, "allowed_mentions"),
            has_poll=_has_poll(data),
            scheduled_at=param_str(data, "scheduled_at"),
        )
        return Response(serialize_status(status, viewer_state(self.viewer, [status])))

    def destroy(self, request, pk=None):
        status = selectors.status_get_own(status_id=parse_id(pk), viewer=self.viewer)
        status = services.status_delete(status=status)
        return Response(
            serialize_status(status, viewer_state(self.viewer, [status]), source_requested=True)
        )

    @action(detail=True, methods=["get"])
    def context(self, request, pk=None):
        status = selectors.status_get_visible(status_id=parse_id(pk), viewer=self.viewer)
        context = selectors.status_context(status=status, viewer=self.viewer)
        state = viewer_state(self.viewer, context.ancestors + context.descendants)
        return Response(
            {
                "ancestors": [serialize_status(s, state) for s in context.ancestors],
                "descendants": [serialize_status(s, state) for s in context.descendants],
            }
        )

"""SelfCommunity `/api/v2/comment/`: comments on statuses (Mastodon's replies), and on each
comment restore, vote and flag as on statuses."""

from rest_framework.response import Response

from config.api.base import parse_id
from config.api.selfcommunity import field_error, page_window, paginated_response
from config.scopes import READ_STATUSES, WRITE_STATUSES
from statuses.selectors import comments as comment_selectors
from statuses.selfcommunity.comment_serializers import (
    CommentCreateSerializer,
    CommentUpdateSerializer,
    serialize_comments,
)
from statuses.selfcommunity.feedback import StatusFeedbackViewSet
from statuses.services import comments as services

_OTHER_OBJECTS = ("discussion", "post", "user")


class CommentViewSet(StatusFeedbackViewSet):
    comments = True
    required_scopes = {**StatusFeedbackViewSet.required_scopes, "list": READ_STATUSES,
                       "retrieve": READ_STATUSES, "create": WRITE_STATUSES,
                       "update": WRITE_STATUSES, "destroy": WRITE_STATUSES}
    token_required_actions = StatusFeedbackViewSet.token_required_actions | {
        "create", "update", "destroy"}
    user_required_actions = StatusFeedbackViewSet.user_required_actions | {
        "create", "update", "destroy"}
    delete_throttled_actions = frozenset({"destroy"})

    def _one(self, comment) -> dict:
        return serialize_comments([comment], self.viewer)[0]

    def list(self, request):
        params = request.query_params
        for other in _OTHER_OBJECTS:
            if params.get(other):
                raise field_error(other, "Only comments of statuses are served here.")
        raw = params.get("status")
        if raw is None or raw == "":
            raise field_error("status", "This field is required.", code="required")
        status = comment_selectors.commentable_status(status_id=parse_id(raw),
                                                      viewer=self.viewer)
        parent_raw = params.get("parent")
        parent_id = None
        if parent_raw not in (None, ""):
            parent_id = parse_id(parent_raw)
            if parent_id is None:
                raise field_error("parent", "A valid integer is required.")
        limit, offset = page_window(request)
        ordering = comment_selectors.parse_ordering(params.get("ordering"))
        count, comments = comment_selectors.comments_page(
            status=status, viewer=self.viewer, parent_id=parent_id, ordering=ordering,
            limit=limit, offset=offset)
        return paginated_response(request, count=count, limit=limit, offset=offset,
                                  results=serialize_comments(comments, self.viewer))

    def create(self, request):
        body = CommentCreateSerializer(data=self.body)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        comment = services.comment_create(
            account=self.viewer, status_id=data["status"], text=data["text"],
            parent_id=data.get("parent"), in_reply_to_id=data.get("in_reply_to"),
            application=request.auth.application)
        return Response(self._one(comment), status=201)

    def retrieve(self, request, pk=None):
        comment = comment_selectors.comment_get_readable(comment_id=parse_id(pk),
                                                         viewer=self.viewer)
        return Response(self._one(comment))

    def update(self, request, pk=None):
        body = CommentUpdateSerializer(data=self.body)
        body.is_valid(raise_exception=True)
        comment = services.comment_update(account=self.viewer, comment_id=parse_id(pk),
                                          text=body.validated_data["text"])
        return Response(self._one(comment_selectors.comment_get_visible(
            comment_id=comment.pk, viewer=self.viewer)))

    def destroy(self, request, pk=None):
        comment = self._visible(pk)
        services.comment_delete(account=self.viewer, comment=comment)
        return Response(status=204)

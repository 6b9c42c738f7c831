"""SelfCommunity `/api/v2/comment/`: comments on statuses (Mastodon's replies), and on each
comment restore, vote and flag as on statuses."""

from rest_framework.response import Response

from config import errors
from config.api.base import parse_id
from config.api.selfcommunity import paginated_response
from config.scopes import READ_STATUSES, WRITE_STATUSES
from statuses.selectors import comments as comment_selectors
from statuses.selfcommunity import filters
from statuses.selfcommunity.comment_serializers import (
    CONTRIBUTION_KEYS,
    CommentCreateSerializer,
    CommentUpdateSerializer,
)
from statuses.selfcommunity.feedback import StatusFeedbackViewSet
from statuses.selfcommunity.present import show_comments
from statuses.services import comments as services


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
    filtersets = {**StatusFeedbackViewSet.filtersets, "list": filters.CommentsFilterSet}

    def _one(self, comment) -> dict:
        return show_comments([comment], self.viewer)[0]

    def list(self, request):
        params = self.list_params()
        given = [k for k in CONTRIBUTION_KEYS if params.get(k) is not None]
        if len(given) > 1:
            raise errors.Invalid("Give exactly one of status, post and discussion.",
                                 code="invalid", field=given[1])
        kind = given[0] if given else "status"
        status = comment_selectors.commentable_status(status_id=params.get(kind),
                                                      viewer=self.viewer, kind=kind)
        parent_id = params["parent"]
        limit, offset, ordering = params["limit"], params["offset"], params["ordering"]
        count, comments = comment_selectors.comments_page(
            status=status, viewer=self.viewer, parent_id=parent_id, ordering=ordering,
            limit=limit, offset=offset)
        return paginated_response(request, count=count, limit=limit, offset=offset,
                                  results=show_comments(comments, self.viewer))

    def create(self, request):
        body = CommentCreateSerializer(data=self.body)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        comment = services.comment_create(
            account=self.viewer, status_id=data[data["kind"]], kind=data["kind"],
            text=data["text"],
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

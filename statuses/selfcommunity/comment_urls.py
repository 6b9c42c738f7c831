"""Routes of the SelfCommunity comments face (trailing slashes, integer ids)."""

from django.urls import re_path

from statuses.selfcommunity.comments import CommentViewSet

ONE = r"^api/v2/comment/(?P<pk>[0-9]+)/"


def _route(suffix: str, actions: dict, name: str):
    return re_path(ONE + suffix + "$", CommentViewSet.as_view(actions), name=name)


urlpatterns = [
    re_path(r"^api/v2/comment/$", CommentViewSet.as_view({"get": "list", "post": "create"}),
            name="sc-comment-list"),
    _route("", {"get": "retrieve", "put": "update", "delete": "destroy"}, "sc-comment-detail"),
    _route("restore/", {"post": "restore"}, "sc-comment-restore"),
    _route("vote/", {"get": "votes", "post": "vote"}, "sc-comment-vote"),
    _route("flag/", {"get": "flags", "post": "flag"}, "sc-comment-flag"),
    _route("flag/status/", {"get": "flag_status"}, "sc-comment-flag-status"),
]

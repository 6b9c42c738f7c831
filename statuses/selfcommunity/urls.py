"""Routes of the SelfCommunity statuses face (trailing slashes, integer ids)."""

from django.urls import re_path

from statuses.selfcommunity.feedback import StatusFeedbackViewSet
from statuses.selfcommunity.lists import StatusListViewSet
from statuses.selfcommunity.views import StatusViewSet

ONE = r"^api/v2/status/(?P<pk>[0-9]+)/"


def _feedback(suffix: str, actions: dict, name: str):
    return re_path(ONE + suffix + "$", StatusFeedbackViewSet.as_view(actions), name=name)


def _list(pattern: str, action: str):
    name = "sc-status-" + action.replace("_", "-")
    return re_path(pattern + "$", StatusListViewSet.as_view({"get": action}), name=name)


urlpatterns = [
    re_path(r"^api/v2/status/$", StatusViewSet.as_view({"get": "list", "post": "create"}),
            name="sc-status-list"),
    # Not digits, so never taken for an id; `following/` here is the viewer's list, while
    # `{id}/following/` below says whether the viewer follows that status.
    _list(r"^api/v2/status/search/", "search"),
    _list(r"^api/v2/status/uncommented/", "uncommented"),
    _list(r"^api/v2/status/following/", "following"),
    _list(r"^api/v2/status/suspended/", "suspended"),
    re_path(ONE + "$",
            StatusViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"}),
            name="sc-status-detail"),
    _feedback("restore/", {"post": "restore"}, "sc-status-restore"),
    _feedback("vote/", {"get": "votes", "post": "vote"}, "sc-status-vote"),
    _feedback("flag/", {"get": "flags", "post": "flag"}, "sc-status-flag"),
    _feedback("flag/status/", {"get": "flag_status"}, "sc-status-flag-status"),
    _feedback("follow/", {"post": "follow"}, "sc-status-follow"),
    _feedback("following/", {"get": "following"}, "sc-status-following"),
    _feedback("suspend/", {"post": "suspend"}, "sc-status-suspend"),
    _feedback("suspended/", {"get": "suspended"}, "sc-status-suspended"),
    _feedback("hide/", {"post": "hide"}, "sc-status-hide"),
    _feedback("hide/status/", {"get": "hide_status"}, "sc-status-hide-status"),
    _list(ONE + "contributors/", "contributors"),
    _list(ONE + "shares/", "shares"),
    _list(ONE + "shares_users/", "shares_users"),
    _list(ONE + "related/", "related"),
]

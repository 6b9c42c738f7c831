"""Routes of the SelfCommunity contributions face (trailing slashes, integer ids): the same
views under `/api/v2/status/`, `/api/v2/post/` and `/api/v2/discussion/`, each family told its
contribution type (so each answers only contributions of that type); posts and discussions
also have a poll."""

from django.urls import re_path

from statuses.models import ContributionType
from statuses.selfcommunity.feedback import StatusFeedbackViewSet
from statuses.selfcommunity.lists import StatusListViewSet
from statuses.selfcommunity.views import StatusViewSet


def contribution_routes(kind: str) -> list:
    """Every route of one contribution type: `/api/v2/{kind}/...`, named `sc-{kind}-...`."""
    base = rf"^api/v2/{kind}/"
    one = base + r"(?P<pk>[0-9]+)/"

    def view(viewset, actions: dict):
        return viewset.as_view(actions, contribution_type=kind)

    def feedback(suffix: str, actions: dict, name: str):
        return re_path(one + suffix + "$", view(StatusFeedbackViewSet, actions),
                       name=f"sc-{kind}-{name}")

    def listed(pattern: str, action: str):
        return re_path(pattern + "$", view(StatusListViewSet, {"get": action}),
                       name=f"sc-{kind}-" + action.replace("_", "-"))

    routes = [
        re_path(base + "$", view(StatusViewSet, {"get": "list", "post": "create"}),
                name=f"sc-{kind}-list"),
        # Not digits, so never taken for an id; `following/` here is the viewer's list, while
        # `{id}/following/` below says whether the viewer follows that contribution.
        listed(base + "search/", "search"),
        listed(base + "uncommented/", "uncommented"),
        listed(base + "following/", "following"),
        listed(base + "suspended/", "suspended"),
        re_path(one + "$",
                view(StatusViewSet, {"get": "retrieve", "put": "update", "delete": "destroy"}),
                name=f"sc-{kind}-detail"),
        feedback("restore/", {"post": "restore"}, "restore"),
        feedback("vote/", {"get": "votes", "post": "vote"}, "vote"),
        feedback("flag/", {"get": "flags", "post": "flag"}, "flag"),
        feedback("flag/status/", {"get": "flag_status"}, "flag-status"),
        feedback("follow/", {"post": "follow"}, "follow"),
        feedback("following/", {"get": "following"}, "following"),
        feedback("suspend/", {"post": "suspend"}, "suspend"),
        feedback("suspended/", {"get": "suspended"}, "suspended"),
        feedback("hide/", {"post": "hide"}, "hide"),
        feedback("hide/status/", {"get": "hide_status"}, "hide-status"),
        listed(one + "contributors/", "contributors"),
        listed(one + "shares/", "shares"),
        listed(one + "shares_users/", "shares_users"),
        listed(one + "related/", "related"),
    ]
    if kind != ContributionType.STATUS:
        routes.append(feedback("poll/vote/", {"get": "poll_votes", "post": "poll_vote"},
                               "poll-vote"))
    return routes


urlpatterns = [route for kind in ContributionType.values for route in contribution_routes(kind)]

"""Routes of SelfCommunity's feeds (trailing slashes)."""

from django.urls import re_path

from statuses.selfcommunity.feed import FeedViewSet


def _feed(pattern: str, actions: dict, name: str):
    return re_path(pattern, FeedViewSet.as_view(actions), name=name)


urlpatterns = [
    _feed(r"^api/v2/feed/$", {"get": "home"}, "sc-feed"),
    _feed(r"^api/v2/feed/explore/$", {"get": "explore"}, "sc-feed-explore"),
    _feed(r"^api/v2/feed/unseen/count/$", {"get": "unseen_count"}, "sc-feed-unseen-count"),
    _feed(r"^api/v2/feed/read/$", {"post": "read"}, "sc-feed-read"),
    _feed(r"^api/v2/feed/likethis/$", {"post": "likethis"}, "sc-feed-likethis"),
    _feed(r"^api/v2/user/(?P<pk>[0-9]+)/feed/$", {"get": "user"}, "sc-user-feed"),
    _feed(r"^api/v2/category/(?P<pk>[0-9]+)/feed/$", {"get": "category"}, "sc-category-feed"),
    _feed(r"^api/v2/category/(?P<pk>[0-9]+)/feed/trending/$", {"get": "trending"},
          "sc-category-feed-trending"),
]

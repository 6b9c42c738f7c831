"""Routes of SelfCommunity's feeds (trailing slashes)."""

from django.urls import re_path

from statuses.selfcommunity.feed import FeedViewSet

urlpatterns = [
    re_path(r"^api/v2/feed/$", FeedViewSet.as_view({"get": "home"}), name="sc-feed"),
    re_path(r"^api/v2/feed/explore/$", FeedViewSet.as_view({"get": "explore"}),
            name="sc-feed-explore"),
]

"""Routes of the Mastodon media face. `/api/v2/media` has no trailing slash; SelfCommunity's
`/api/v2/media/` (with one) is a different route."""

from django.urls import path, re_path

from media.mastodon.views import MediaViewSet

urlpatterns = [
    path("api/v1/media", MediaViewSet.as_view({"post": "create_v1"}), name="mastodon-media-v1"),
    path("api/v2/media", MediaViewSet.as_view({"post": "create_v2"}), name="mastodon-media-v2"),
    re_path(
        r"^api/v1/media/(?P<pk>[^/.]+)$",
        MediaViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"}),
        name="mastodon-media",
    ),
]

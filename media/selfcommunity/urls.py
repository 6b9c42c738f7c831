"""Routes of the SelfCommunity media face (trailing slash)."""

from django.urls import path

from media.selfcommunity.views import MediaViewSet

urlpatterns = [
    path("api/v2/media/", MediaViewSet.as_view({"post": "create"}), name="sc-media"),
]

"""Routes of the SelfCommunity media face (trailing slash)."""

from django.urls import path

from media.selfcommunity.views import MediaViewSet

urlpatterns = [
    path("api/v2/media/", MediaViewSet.as_view({"post": "create"}), name="sc-media"),
    path("api/v2/media/upload/chunk/", MediaViewSet.as_view({"post": "chunk"}),
         name="sc-media-chunk"),
    path("api/v2/media/upload/complete/", MediaViewSet.as_view({"post": "complete"}),
         name="sc-media-complete"),
    path("api/v2/media/<int:pk>/", MediaViewSet.as_view({"get": "retrieve",
                                                         "delete": "destroy"}),
         name="sc-media-detail"),
    path("api/v2/media/<int:pk>/click/", MediaViewSet.as_view({"post": "click"}),
         name="sc-media-click"),
]

"""Routes of SelfCommunity's notification API (trailing slashes)."""

from django.urls import path

from notifications.selfcommunity.views import NotificationViewSet

urlpatterns = [
    path("api/v2/notification/", NotificationViewSet.as_view({"get": "list"}),
         name="sc-notifications"),
    path("api/v2/notification/read/", NotificationViewSet.as_view({"post": "read"}),
         name="sc-notifications-read"),
    path("api/v2/notification/unseen/count/",
         NotificationViewSet.as_view({"get": "unseen_count"}), name="sc-notifications-unseen"),
]

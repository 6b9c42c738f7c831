"""Routes of Mastodon's notification API and markers (no trailing slashes). Fixed paths come
before the `:id` and `:group_key` patterns, which would otherwise swallow them."""

from django.urls import path

from notifications.mastodon.views import (
    GroupedNotificationViewSet,
    MarkerViewSet,
    NotificationPolicyViewSet,
    NotificationRequestViewSet,
    NotificationViewSet,
)

REQUESTS = NotificationRequestViewSet

urlpatterns = [
    path("api/v1/notifications/requests", REQUESTS.as_view({"get": "list"}),
         name="mastodon-notification-requests"),
    path("api/v1/notifications/requests/merged", REQUESTS.as_view({"get": "merged"}),
         name="mastodon-notification-requests-merged"),
    path("api/v1/notifications/requests/accept", REQUESTS.as_view({"post": "accept_many"}),
         name="mastodon-notification-requests-accept"),
    path("api/v1/notifications/requests/dismiss", REQUESTS.as_view({"post": "dismiss_many"}),
         name="mastodon-notification-requests-dismiss"),
    path("api/v1/notifications/requests/<str:pk>", REQUESTS.as_view({"get": "retrieve"}),
         name="mastodon-notification-request"),
    path("api/v1/notifications/requests/<str:pk>/accept", REQUESTS.as_view({"post": "accept"}),
         name="mastodon-notification-request-accept"),
    path("api/v1/notifications/requests/<str:pk>/dismiss",
         REQUESTS.as_view({"post": "dismiss"}), name="mastodon-notification-request-dismiss"),
    path("api/v2/notifications/policy",
         NotificationPolicyViewSet.as_view({"get": "retrieve", "patch": "update",
                                           "put": "update"}),
         name="mastodon-notification-policy"),
    path("api/v1/notifications", NotificationViewSet.as_view({"get": "list"}),
         name="mastodon-notifications"),
    path("api/v1/notifications/clear", NotificationViewSet.as_view({"post": "clear"}),
         name="mastodon-notifications-clear"),
    path("api/v1/notifications/unread_count",
         NotificationViewSet.as_view({"get": "unread_count"}),
         name="mastodon-notifications-unread-count"),
    path("api/v1/notifications/<str:pk>", NotificationViewSet.as_view({"get": "retrieve"}),
         name="mastodon-notification"),
    path("api/v1/notifications/<str:pk>/dismiss",
         NotificationViewSet.as_view({"post": "dismiss"}), name="mastodon-notification-dismiss"),
    path("api/v2/notifications", GroupedNotificationViewSet.as_view({"get": "list"}),
         name="mastodon-grouped-notifications"),
    path("api/v2/notifications/unread_count",
         GroupedNotificationViewSet.as_view({"get": "unread_count"}),
         name="mastodon-grouped-notifications-unread-count"),
    path("api/v2/notifications/<str:group_key>",
         GroupedNotificationViewSet.as_view({"get": "retrieve"}),
         name="mastodon-notification-group"),
    path("api/v2/notifications/<str:group_key>/accounts",
         GroupedNotificationViewSet.as_view({"get": "accounts"}),
         name="mastodon-notification-group-accounts"),
    path("api/v2/notifications/<str:group_key>/dismiss",
         GroupedNotificationViewSet.as_view({"post": "dismiss"}),
         name="mastodon-notification-group-dismiss"),
    path("api/v1/markers", MarkerViewSet.as_view({"get": "list", "post": "create"}),
         name="mastodon-markers"),
]

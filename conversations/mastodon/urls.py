"""Routes of the Mastodon conversations face (no trailing slashes)."""

from django.urls import path

from conversations.mastodon.views import ConversationViewSet

urlpatterns = [
    path("api/v1/conversations", ConversationViewSet.as_view({"get": "list"}),
         name="conversations"),
    path("api/v1/conversations/<str:pk>", ConversationViewSet.as_view({"delete": "destroy"}),
         name="conversation"),
    path("api/v1/conversations/<str:pk>/read", ConversationViewSet.as_view({"post": "read"}),
         name="conversation-read"),
    path("api/v1/conversations/<str:pk>/unread",
         ConversationViewSet.as_view({"post": "unread"}), name="conversation-unread"),
]

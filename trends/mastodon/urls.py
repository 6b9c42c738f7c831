"""Routes of the Mastodon trends, suggestions and directory face (no trailing slashes)."""

from django.urls import path

from trends.mastodon.views import DirectoryViewSet, SuggestionViewSet, TrendsViewSet

urlpatterns = [
    path("api/v1/trends/statuses", TrendsViewSet.as_view({"get": "statuses"}),
         name="trends-statuses"),
    path("api/v1/trends/tags", TrendsViewSet.as_view({"get": "tags"}), name="trends-tags"),
    path("api/v1/trends/links", TrendsViewSet.as_view({"get": "links"}), name="trends-links"),
    path("api/v2/suggestions", SuggestionViewSet.as_view({"get": "list"}), name="suggestions"),
    path("api/v1/suggestions", SuggestionViewSet.as_view({"get": "list_v1"}),
         name="suggestions-v1"),
    path("api/v1/suggestions/<str:account_id>", SuggestionViewSet.as_view({"delete": "destroy"}),
         name="suggestion"),
    path("api/v1/directory", DirectoryViewSet.as_view({"get": "list"}), name="directory"),
]

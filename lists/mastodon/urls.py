"""Routes of the Mastodon lists face (no trailing slashes)."""

from django.urls import path, re_path

from lists.mastodon.views import (
    AccountListsViewSet,
    ListAccountsViewSet,
    ListTimelineViewSet,
    ListViewSet,
)

urlpatterns = [
    path("api/v1/lists", ListViewSet.as_view({"get": "list", "post": "create"}), name="lists"),
    path("api/v1/lists/<str:pk>",
         ListViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"}),
         name="list"),
    path("api/v1/lists/<str:pk>/accounts",
         ListAccountsViewSet.as_view({"get": "list", "post": "create", "delete": "destroy"}),
         name="list-accounts"),
    re_path(r"^api/v1/accounts/(?P<pk>[^/.]+)/lists$",
            AccountListsViewSet.as_view({"get": "list"}), name="account-lists"),
    path("api/v1/timelines/list/<str:list_id>", ListTimelineViewSet.as_view({"get": "list"}),
         name="timeline-list"),
]

"""Routes of Mastodon's search (included before the accounts face's, whose `accounts/:id`
pattern would otherwise take `accounts/search` and `accounts/lookup`)."""

from django.urls import path

from statuses.mastodon.search import SearchViewSet

urlpatterns = [
    path("api/v2/search", SearchViewSet.as_view({"get": "v2"}), name="mastodon-search"),
    path("api/v1/accounts/search", SearchViewSet.as_view({"get": "accounts"}),
         name="mastodon-accounts-search"),
    path("api/v1/accounts/lookup", SearchViewSet.as_view({"get": "lookup"}),
         name="mastodon-accounts-lookup"),
]

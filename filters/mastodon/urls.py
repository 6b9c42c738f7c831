"""Routes of the Mastodon filters face (no trailing slashes)."""

from django.urls import path

from filters.mastodon.views import (
    FilterKeywordViewSet,
    FilterStatusViewSet,
    FilterViewSet,
    V1FilterViewSet,
)

urlpatterns = [
    path("api/v2/filters", FilterViewSet.as_view({"get": "list", "post": "create"}),
         name="filters"),
    path("api/v2/filters/keywords/<str:pk>", FilterKeywordViewSet.as_view(
        {"get": "keyword", "put": "update", "delete": "destroy"}), name="filter-keyword"),
    path("api/v2/filters/statuses/<str:pk>", FilterStatusViewSet.as_view(
        {"get": "status", "delete": "destroy"}), name="filter-status"),
    path("api/v2/filters/<str:pk>", FilterViewSet.as_view(
        {"get": "retrieve", "put": "update", "delete": "destroy"}), name="filter"),
    path("api/v2/filters/<str:filter_id>/keywords", FilterKeywordViewSet.as_view(
        {"get": "keywords", "post": "create"}), name="filter-keywords"),
    path("api/v2/filters/<str:filter_id>/statuses", FilterStatusViewSet.as_view(
        {"get": "statuses", "post": "create"}), name="filter-statuses"),
    path("api/v1/filters", V1FilterViewSet.as_view({"get": "list", "post": "create"}),
         name="v1-filters"),
    path("api/v1/filters/<str:pk>", V1FilterViewSet.as_view(
        {"get": "retrieve", "put": "update", "delete": "destroy"}), name="v1-filter"),
]

"""Routes of the SelfCommunity statuses face (trailing slashes, integer ids)."""

from django.urls import re_path

from statuses.selfcommunity.views import StatusViewSet

urlpatterns = [
    re_path(r"^api/v2/status/$", StatusViewSet.as_view({"get": "list", "post": "create"}),
            name="sc-status-list"),
    re_path(r"^api/v2/status/(?P<pk>[0-9]+)/$",
            StatusViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"}),
            name="sc-status-detail"),
]

"""Routes of the Mastodon accounts face. Instance answers with and without a trailing slash
because Mastodon.py asks for `/api/v1/instance/`."""

from django.urls import path, re_path

from accounts.mastodon.views import AccountViewSet, AppViewSet, InstanceViewSet

urlpatterns = [
    path("api/v1/apps", AppViewSet.as_view({"post": "create"}), name="mastodon-apps"),
    path(
        "api/v1/apps/verify_credentials",
        AppViewSet.as_view({"get": "verify_credentials"}),
        name="mastodon-apps-verify",
    ),
    re_path(r"^api/v1/instance/?$", InstanceViewSet.as_view({"get": "v1"}), name="instance-v1"),
    re_path(r"^api/v2/instance/?$", InstanceViewSet.as_view({"get": "v2"}), name="instance-v2"),
    path(
        "api/v1/accounts/verify_credentials",
        AccountViewSet.as_view({"get": "verify_credentials"}),
        name="mastodon-verify-credentials",
    ),
    re_path(
        r"^api/v1/accounts/(?P<pk>[^/.]+)$",
        AccountViewSet.as_view({"get": "retrieve"}),
        name="mastodon-account",
    ),
]

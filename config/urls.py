"""Root URLs: both API dialects, OAuth, the admin, JSON 404s for anything else under /api/, and
the public pages."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from accounts import login_throttle, oauth_views
from config import health, views
from config.api.schema.views import SchemaView, SwaggerView

admin.site.login_form = login_throttle.AdminLoginForm

urlpatterns = [
    # The statuses of both dialects first: Django tries the patterns in order, and reaching the
    # hottest routes after every other app's cost more than a bare view's whole request.
    path("api/v1/", include("statuses.mastodon.urls")),
    path("", include("statuses.selfcommunity.urls")),
    re_path(r"^media/(?P<path>.*)$", views.uploaded_file),
    path("", views.home, name="home"),
    path("health", health.health, name="health"),
    # Both login pages refuse a locked IP or name (429) before checking the password.
    path("admin/login/", login_throttle.admin_login),
    path("admin/", admin.site.urls),
    path("auth/login/", login_throttle.LoginView.as_view(), name="login"),
    path("auth/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("oauth/authorize", oauth_views.AuthorizeView.as_view(), name="oauth-authorize"),
    path("oauth/token", oauth_views.TokenView.as_view(), name="oauth-token"),
    path("oauth/revoke", oauth_views.RevokeView.as_view(), name="oauth-revoke"),
    path(".well-known/oauth-authorization-server",
         oauth_views.AuthorizationServerMetadataView.as_view(),
         name="oauth-authorization-server"),
    path("avatars/original/missing.png", views.missing_avatar),
    path("headers/original/missing.png", views.missing_header),
    path("", include("accounts.mastodon.urls")),
    path("", include("media.mastodon.urls")),
    path("", include("media.selfcommunity.urls")),
    path("", include("statuses.selfcommunity.feed_urls")),
    path("", include("statuses.selfcommunity.comment_urls")),
    path("", include("categories.selfcommunity.urls")),
    path("", include("community.selfcommunity.urls")),
    path("", include("moderation.selfcommunity.urls")),
    path("", include("instance_extras.mastodon.urls")),
    path("", include("conversations.mastodon.urls")),
    path("", include("notifications.mastodon.urls")),
    path("", include("notifications.selfcommunity.urls")),
    path("", include("trends.mastodon.urls")),
    # The OpenAPI description of both dialects (YAML, or JSON with ?format=json) and Swagger UI.
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/docs/", SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    re_path(r"^(api|oauth)/", views.api_not_found),
    # The public pages at the `url`s of statuses and accounts (`/@...`, never under /api/).
    path("", include("statuses.pages.urls")),
]

handler400 = "config.views.handler400"
handler403 = "config.views.handler403"
handler404 = "config.views.handler404"
handler500 = "config.views.handler500"

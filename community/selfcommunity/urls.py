"""Routes of the community's SelfCommunity face (trailing slashes, integer ids). Fixed paths
under /api/v2/user/ never match `{id}` (digits only)."""

from django.urls import re_path

from community.selfcommunity.views import (
    CustomMenuViewSet,
    FeatureViewSet,
    PopularCategoryViewSet,
    PreferenceViewSet,
    UserViewSet,
)

USER = r"^api/v2/user/(?P<pk>[0-9]+)/"


def _user(pattern: str, actions: dict, name: str):
    return re_path(pattern, UserViewSet.as_view(actions), name=name)


urlpatterns = [
    re_path(r"^api/v2/dynamic_preference/$", PreferenceViewSet.as_view({"get": "list"}),
            name="sc-preference-list"),
    re_path(r"^api/v2/dynamic_preference/(?P<pk>[0-9]+)/$",
            PreferenceViewSet.as_view({"get": "retrieve"}), name="sc-preference-detail"),
    re_path(r"^api/v2/feature/$", FeatureViewSet.as_view({"get": "list"}),
            name="sc-feature-list"),
    re_path(r"^api/v2/custom_menu/$", CustomMenuViewSet.as_view({"get": "list"}),
            name="sc-custom-menu-list"),
    re_path(r"^api/v2/custom_menu/search/$", CustomMenuViewSet.as_view({"get": "search"}),
            name="sc-custom-menu-search"),
    # An id, or the place the UI names a menu by (SCCustomMenu: base, not_logged, user).
    re_path(r"^api/v2/custom_menu/(?P<pk>[0-9]+|base|not_logged|user)/$",
            CustomMenuViewSet.as_view({"get": "retrieve"}), name="sc-custom-menu-detail"),
    _user(r"^api/v2/user/me/$", {"get": "me"}, "sc-user-me"),
    _user(r"^api/v2/user/me/permission/$", {"get": "permission"}, "sc-user-permission"),
    _user(r"^api/v2/user/hidden_users_id/$", {"get": "hidden_users_id"},
          "sc-user-hidden-ids"),
    _user(r"^api/v2/user/hidden_users/$", {"get": "hidden_users"}, "sc-user-hidden"),
    _user(r"^api/v2/user/search/$", {"get": "search"}, "sc-user-search"),
    _user(r"^api/v2/user/autocomplete/$", {"get": "autocomplete"}, "sc-user-autocomplete"),
    _user(USER + "$", {"get": "retrieve"}, "sc-user-detail"),
    _user(USER + "settings/$", {"get": "user_settings", "patch": "user_settings_update"},
          "sc-user-settings"),
    _user(r"^api/v2/suggestion/user/$", {"get": "suggestion"}, "sc-suggestion-user"),
    re_path(r"^api/v2/category/popular/$", PopularCategoryViewSet.as_view({"get": "list"}),
            name="sc-category-popular"),
]

"""Routes of the SelfCommunity categories face (trailing slashes, integer ids)."""

from django.urls import re_path

from categories.selfcommunity.views import AddressingTagViewSet, CategoryViewSet, ReactionViewSet

urlpatterns = [
    re_path(r"^api/v2/category/$", CategoryViewSet.as_view({"get": "list"}),
            name="sc-category-list"),
    re_path(r"^api/v2/category/(?P<pk>[0-9]+)/$", CategoryViewSet.as_view({"get": "retrieve"}),
            name="sc-category-detail"),
    re_path(r"^api/v2/reaction/$", ReactionViewSet.as_view({"get": "list"}),
            name="sc-reaction-list"),
    re_path(r"^api/v2/reaction/(?P<pk>[0-9]+)/$", ReactionViewSet.as_view({"get": "retrieve"}),
            name="sc-reaction-detail"),
    re_path(r"^api/v2/user/tag/tags_to_address_a_contribution/$",
            AddressingTagViewSet.as_view({"get": "list"}), name="sc-tags-to-address"),
]

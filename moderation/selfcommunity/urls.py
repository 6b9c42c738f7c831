"""Routes of SelfCommunity's moderation API (trailing slashes, integer ids)."""

from django.urls import re_path

from moderation.selfcommunity.views import ModerationViewSet

ONE = r"^api/v2/moderation/contribution/(?P<pk>[0-9]+)/"

urlpatterns = [
    re_path(r"^api/v2/moderation/contribution/$", ModerationViewSet.as_view({"get": "list"}),
            name="sc-moderation-contribution-list"),
    re_path(ONE + "$", ModerationViewSet.as_view({"patch": "moderate"}),
            name="sc-moderation-contribution-detail"),
    re_path(ONE + "flag/$", ModerationViewSet.as_view({"get": "flags"}),
            name="sc-moderation-contribution-flag"),
    re_path(ONE + "status/$", ModerationViewSet.as_view({"get": "moderation_status"}),
            name="sc-moderation-contribution-status"),
]

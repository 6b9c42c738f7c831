"""Routes of the Mastodon face of instance_extras, and nodeinfo's."""

from django.urls import path, re_path

from instance_extras.mastodon import discovery, nodeinfo
from instance_extras.mastodon.views import (
    AnnouncementReactionViewSet,
    AnnouncementViewSet,
    CustomEmojiViewSet,
    InstanceExtrasViewSet,
    PreferencesViewSet,
)

urlpatterns = [
    *[
        path(f"api/v1/instance/{action}", InstanceExtrasViewSet.as_view({"get": action}),
             name=f"instance-{action}")
        for action in ("peers", "activity", "rules", "languages", "extended_description",
                       "privacy_policy")
    ],
    path("api/v1/preferences", PreferencesViewSet.as_view({"get": "retrieve"}),
         name="mastodon-preferences"),
    path("api/v1/custom_emojis", CustomEmojiViewSet.as_view({"get": "list"}),
         name="mastodon-custom-emojis"),
    path("api/v1/announcements", AnnouncementViewSet.as_view({"get": "list"}),
         name="mastodon-announcements"),
    re_path(r"^api/v1/announcements/(?P<pk>[^/.]+)/dismiss$",
            AnnouncementViewSet.as_view({"post": "dismiss"}),
            name="mastodon-announcement-dismiss"),
    re_path(r"^api/v1/announcements/(?P<pk>[^/.]+)/reactions/(?P<name>[^/]+)$",
            AnnouncementReactionViewSet.as_view({"put": "update", "delete": "destroy"}),
            name="mastodon-announcement-reaction"),
    path(".well-known/nodeinfo", nodeinfo.discovery, name="nodeinfo"),
    path(".well-known/host-meta", discovery.host_meta, name="host-meta"),
    path(".well-known/webfinger", discovery.webfinger, name="webfinger"),
    re_path(r"^nodeinfo/(?P<version>2\.[01])$", nodeinfo.schema, name="nodeinfo-schema"),
]

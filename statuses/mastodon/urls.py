"""Routes of the Mastodon statuses face (no trailing slashes)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from statuses.mastodon.cards import StatusCardViewSet
from statuses.mastodon.lists import (
    AccountStatusesViewSet,
    BookmarksViewSet,
    FavouritesViewSet,
    TimelineViewSet,
)
from statuses.mastodon.polls import PollViewSet
from statuses.mastodon.quotes import QuoteViewSet
from statuses.mastodon.scheduled import ScheduledStatusViewSet
from statuses.mastodon.tags import (
    AccountFeaturedTagsViewSet,
    FeaturedTagsViewSet,
    FollowedTagsViewSet,
    TagViewSet,
)
from statuses.mastodon.translations import TranslationLanguagesViewSet
from statuses.mastodon.views import StatusViewSet

router = SimpleRouter(trailing_slash=False)
router.register("statuses", StatusViewSet, basename="mastodon-status")
router.register("scheduled_statuses", ScheduledStatusViewSet,
                basename="mastodon-scheduled-status")

# The router's routes (a status and its actions) first: they are the hottest.
urlpatterns = [
    *router.urls,
    path("instance/translation_languages",
         TranslationLanguagesViewSet.as_view({"get": "languages"}),
         name="instance-translation-languages"),
    path("timelines/public", TimelineViewSet.as_view({"get": "public"}), name="timeline-public"),
    path("timelines/home", TimelineViewSet.as_view({"get": "home"}), name="timeline-home"),
    path("timelines/tag/<str:hashtag>", TimelineViewSet.as_view({"get": "tag"}),
         name="timeline-tag"),
    path("accounts/<str:account_id>/statuses", AccountStatusesViewSet.as_view({"get": "list"}),
         name="account-statuses"),
    path("favourites", FavouritesViewSet.as_view({"get": "list"}), name="favourites"),
    path("bookmarks", BookmarksViewSet.as_view({"get": "list"}), name="bookmarks"),
    path("polls/<str:pk>", PollViewSet.as_view({"get": "retrieve"}), name="poll"),
    path("polls/<str:pk>/votes", PollViewSet.as_view({"post": "votes"}), name="poll-votes"),
    path("statuses/<str:pk>/quotes", QuoteViewSet.as_view({"get": "list"}),
         name="status-quotes"),
    path("statuses/<str:pk>/quotes/<str:quoting_status_id>/revoke",
         QuoteViewSet.as_view({"post": "revoke"}), name="status-quote-revoke"),
    path("statuses/<str:pk>/interaction_policy",
         QuoteViewSet.as_view({"put": "interaction_policy"}), name="status-interaction-policy"),
    path("statuses/<str:pk>/card", StatusCardViewSet.as_view({"get": "card"}),
         name="status-card"),
    path("tags/<str:name>", TagViewSet.as_view({"get": "retrieve"}), name="tag"),
    *[path(f"tags/<str:name>/{action}", TagViewSet.as_view({"post": action}),
           name=f"tag-{action}")
      for action in ("follow", "unfollow", "feature", "unfeature")],
    path("followed_tags", FollowedTagsViewSet.as_view({"get": "list"}), name="followed-tags"),
    path("featured_tags", FeaturedTagsViewSet.as_view({"get": "list", "post": "create"}),
         name="featured-tags"),
    path("featured_tags/suggestions", FeaturedTagsViewSet.as_view({"get": "suggestions"}),
         name="featured-tag-suggestions"),
    path("featured_tags/<str:pk>", FeaturedTagsViewSet.as_view({"delete": "destroy"}),
         name="featured-tag"),
    path("accounts/<str:account_id>/featured_tags",
         AccountFeaturedTagsViewSet.as_view({"get": "list"}), name="account-featured-tags"),
]

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
from statuses.mastodon.views import StatusViewSet

router = SimpleRouter(trailing_slash=False)
router.register("statuses", StatusViewSet, basename="mastodon-status")

urlpatterns = [
    path("timelines/public", TimelineViewSet.as_view({"get": "public"}), name="timeline-public"),
    path("timelines/home", TimelineViewSet.as_view({"get": "home"}), name="timeline-home"),
    path("timelines/tag/<str:hashtag>", TimelineViewSet.as_view({"get": "tag"}),
         name="timeline-tag"),
    path("accounts/<str:account_id>/statuses", AccountStatusesViewSet.as_view({"get": "list"}),
         name="account-statuses"),
    path("favourites", FavouritesViewSet.as_view({"get": "list"}), name="favourites"),
    path("bookmarks", BookmarksViewSet.as_view({"get": "list"}), name="bookmarks"),
    path("statuses/<str:pk>/card", StatusCardViewSet.as_view({"get": "card"}),
         name="status-card"),
    *router.urls,
]

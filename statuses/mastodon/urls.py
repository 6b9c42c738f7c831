"""Routes of the Mastodon statuses face (no trailing slashes)."""

from rest_framework.routers import SimpleRouter

from statuses.mastodon.views import StatusViewSet

router = SimpleRouter(trailing_slash=False)
router.register("statuses", StatusViewSet, basename="mastodon-status")

urlpatterns = router.urls

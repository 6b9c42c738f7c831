"""Mastodon's preferences, custom emojis and announcements (with dismiss and reactions)."""

from rest_framework.response import Response

from config.api.auth import UserRequired
from config.api.mastodon import MastodonViewSet, parse_id
from config.scopes import READ_ACCOUNTS, WRITE_ACCOUNTS, WRITE_FAVOURITES
from instance_extras import selectors, services
from instance_extras.mastodon.serializers import (
    serialize_announcement,
    serialize_custom_emoji,
    serialize_preferences,
)


class PreferencesViewSet(MastodonViewSet):
    required_scopes = {"retrieve": READ_ACCOUNTS}
    token_required_actions = frozenset({"retrieve"})
    user_required_actions = frozenset({"retrieve"})

    def retrieve(self, request):
        return Response(serialize_preferences(selectors.preferences_for(account=self.viewer)))


class CustomEmojiViewSet(MastodonViewSet):
    """The same list for everyone: Mastodon's `expires_in 3.minutes, public: true`, forced back
    to `private, no-store` when the request carries a token (its `Vary: Authorization`)."""

    required_scopes = {"list": ()}

    def list(self, request):
        return Response([serialize_custom_emoji(emoji, with_category=True)
                         for emoji in selectors.custom_emojis_listed()])

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if (response.status_code == 200 and request.method == "GET"
                and "HTTP_AUTHORIZATION" not in request.META):
            response["Cache-Control"] = "max-age=180, public"
        return response


class AnnouncementViewSet(MastodonViewSet):
    """Mastodon checks no scope on the list, only that a user asks (422 otherwise, a caller
    without a token included); dismissing takes `write:accounts`."""

    required_scopes = {"list": (), "dismiss": WRITE_ACCOUNTS}
    token_required_actions = frozenset({"dismiss"})
    user_required_actions = frozenset({"list", "dismiss"})

    def list(self, request):
        if self.viewer is None:
            raise UserRequired()
        page = selectors.announcements_page(viewer=self.viewer)
        return Response([serialize_announcement(a, page) for a in page.announcements])

    def dismiss(self, request, pk=None):
        services.announcement_dismiss(account=self.viewer, announcement_id=parse_id(pk))
        return Response({})


class AnnouncementReactionViewSet(MastodonViewSet):
    required_scopes = {"update": WRITE_FAVOURITES, "destroy": WRITE_FAVOURITES}
    token_required_actions = frozenset({"update", "destroy"})
    user_required_actions = frozenset({"update", "destroy"})

    def update(self, request, pk=None, name=None):
        services.announcement_react(account=self.viewer, announcement_id=parse_id(pk),
                                    name=name)
        return Response({})

    def destroy(self, request, pk=None, name=None):
        services.announcement_unreact(account=self.viewer, announcement_id=parse_id(pk),
                                      name=name)
        return Response({})

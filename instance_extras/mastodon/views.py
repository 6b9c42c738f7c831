"""Mastodon's preferences, custom emojis and announcements (with dismiss and reactions)."""

from django.conf import settings
from rest_framework.response import Response

from config.api.auth import UserRequired
from config.api.mastodon import MastodonViewSet, parse_id
from config.languages import ISO_639_1, ISO_639_3, REGIONAL
from config.scopes import READ_ACCOUNTS, WRITE_ACCOUNTS, WRITE_FAVOURITES
from instance_extras import selectors, services
from instance_extras.mastodon.serializers import (
    serialize_announcement,
    serialize_custom_emoji,
    serialize_preferences,
    serialize_rules,
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


# --- /api/v1/instance/...: peers, activity, rules, languages, descriptions -------------------

# Our own words for the policy shown while the operator has written none (INSTANCE_PRIVACY_POLICY).
DEFAULT_PRIVACY_POLICY = (
    "<p>This server keeps what you give it to run your account: your e-mail address, your "
    "profile, what you post and whom you follow. Public posts can be read by anyone; "
    "followers-only and direct posts only by those they are addressed to, and by moderators "
    "when they are reported.</p><p>You may delete your posts and your account at any time.</p>")
# The texts come from settings, which keep no date: both answer this fixed one (a string, as
# Mastodon's ExtendedDescription and PrivacyPolicy give).
DEFAULT_POLICY_UPDATED_AT = "2026-01-01T00:00:00.000Z"


class InstanceExtrasViewSet(MastodonViewSet):
    """Public facts about the server, the same for every caller (no token needed)."""

    required_scopes = {"peers": (), "activity": (), "rules": (), "languages": (),
                       "extended_description": (), "privacy_policy": ()}
    shared_cache_actions = frozenset(required_scopes)

    def peers(self, request):
        # No federation: there is no other server this one knows.
        return Response([])

    def activity(self, request):
        return Response(selectors.instance_activity())

    def rules(self, request):
        return Response(serialize_rules(selectors.instance_rules()))

    def languages(self, request):
        return Response([{"code": code, "name": code} for code in sorted(
            ISO_639_1 | ISO_639_3 | REGIONAL)])

    def extended_description(self, request):
        text = settings.INSTANCE_EXTENDED_DESCRIPTION
        return Response({"updated_at": DEFAULT_POLICY_UPDATED_AT, "content": text})

    def privacy_policy(self, request):
        text = settings.INSTANCE_PRIVACY_POLICY
        if not text:
            return Response({"updated_at": DEFAULT_POLICY_UPDATED_AT,
                             "content": DEFAULT_PRIVACY_POLICY})
        return Response({"updated_at": DEFAULT_POLICY_UPDATED_AT, "content": text})

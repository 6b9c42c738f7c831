"""Mastodon media endpoints: upload (v1 waits, v2 may answer 202), show, update, delete."""

from django.conf import settings
from rest_framework.response import Response

from config import errors
from config.api.mastodon import MastodonViewSet, param_str, parse_id
from config.scopes import WRITE_MEDIA
from media import services
from media.mastodon.serializers import serialize_media
from media.models import MediaState

ACTIONS = ("create_v1", "create_v2", "retrieve", "update", "destroy")


class MediaViewSet(MastodonViewSet):
    required_scopes = dict.fromkeys(ACTIONS, WRITE_MEDIA)
    token_required_actions = frozenset(ACTIONS)
    user_required_actions = frozenset(ACTIONS)
    media_throttled_actions = frozenset({"create_v1", "create_v2"})

    def _refuse_oversized_body(self, request):
        # Refuse before reading a body no upload could justify.
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MEDIA_OTHER_LIMIT + 1024 * 1024:
            raise errors.Invalid(
                f"File file size must be less than {settings.MEDIA_OTHER_LIMIT // services.MB} MB"
            )

    def _upload(self, request, *, defer_large: bool):
        self._refuse_oversized_body(request)
        media = services.media_upload(
            account=self.viewer,
            upload=request.FILES.get("file"),
            description=param_str(self.body, "description"),
            focus=param_str(self.body, "focus"),
            thumbnail=request.FILES.get("thumbnail"),
            defer_large=defer_large,
        )
        return media

    def create_v1(self, request):
        media = self._upload(request, defer_large=False)
        return Response(serialize_media(media))

    def create_v2(self, request):
        media = self._upload(request, defer_large=True)
        code = 200 if media.state == MediaState.READY else 202
        return Response(serialize_media(media), status=code)

    def retrieve(self, request, pk=None):
        media = services.media_get_own(account=self.viewer, media_id=parse_id(pk),
                                       unattached_only=True)
        code = 200 if media.state == MediaState.READY else 206
        return Response(serialize_media(media), status=code)

    def update(self, request, pk=None):
        media = services.media_update(
            account=self.viewer, media_id=parse_id(pk),
            description=param_str(self.body, "description"),
            focus=param_str(self.body, "focus"),
            thumbnail=request.FILES.get("thumbnail"),
        )
        return Response(serialize_media(media))

    def destroy(self, request, pk=None):
        services.media_delete(account=self.viewer, media_id=parse_id(pk))
        return Response({})

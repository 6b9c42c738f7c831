"""SelfCommunity `POST /api/v2/media/`: image and doc uploads, url previews, shares."""

from rest_framework.response import Response

from config import errors
from config.api.base import parse_id
from config.api.selfcommunity import SelfCommunityViewSet, field_error
from config.scopes import WRITE_MEDIA
from media import services
from media.selfcommunity.serializers import serialize_media
from statuses.services.attachments import status_share_create

TYPES = ("image", "url", "doc", "share")


class MediaViewSet(SelfCommunityViewSet):
    required_scopes = {"create": WRITE_MEDIA}
    token_required_actions = frozenset({"create"})
    user_required_actions = frozenset({"create"})

    def create(self, request):
        data = self.body
        kind = data.get("type")
        if kind is None or kind == "":
            raise field_error("type", "This field is required.", code="required")
        if kind not in TYPES:
            raise field_error("type", f'"{kind}" is not a valid choice.', code="invalid_choice")
        if kind in ("image", "doc"):
            # Uploads draw on the same budget as Mastodon's POST /api/v*/media; shares and
            # link previews upload nothing.
            self.spend_budget("api_media")
            field = "image" if kind == "image" else "doc"
            upload = request.FILES.get(field) or request.FILES.get("file")
            if upload is None:
                raise field_error(field, "No file was submitted.", code="required")
            allow = frozenset({"image", "gifv"}) if kind == "image" else frozenset({"doc"})
            try:
                media = services.media_upload(account=self.viewer, upload=upload, allow=allow,
                                              defer_large=False)
            except errors.DomainError as exc:
                raise field_error(field, exc.message, code=exc.code or "invalid") from None
        elif kind == "url":
            url = data.get("url")
            if not isinstance(url, str) or not url.strip():
                raise field_error("url", "This field is required.", code="required")
            media = services.media_create_link(account=self.viewer, url=url.strip())
        else:
            raw = data.get("shared_object")
            status_id = parse_id(raw) if not isinstance(raw, (dict, list, bool)) else None
            if status_id is None:
                raise field_error("shared_object", "A valid integer is required.",
                                  code="invalid")
            try:
                media = status_share_create(account=self.viewer, status_id=status_id)
            except errors.NotFound:
                raise errors.does_not_exist("shared_object", status_id) from None
            # The caller has just been allowed to see the shared status.
            return Response(serialize_media(media, shared={media.shared_status_id:
                                                           media.shared_status}), status=201)
        return Response(serialize_media(media), status=201)

"""SelfCommunity's media: `POST /api/v2/media/` (image and doc uploads, url previews, shares),
the chunked uploads react-ui makes (`upload/chunk/`, `upload/complete/`), and one media's
`GET`, `DELETE` and click tracker."""

from rest_framework.response import Response

from config import errors
from config.api.base import parse_id
from config.api.selfcommunity import SelfCommunityViewSet, errors_response, field_error
from config.scopes import READ_STATUSES, WRITE_MEDIA
from media import chunked, services
from media.models import MediaKind
from media.selfcommunity.serializers import serialize_media
from statuses.selectors.page import shared_statuses_visible
from statuses.selectors.single import status_get_visible, statuses_by_ids
from statuses.services.attachments import status_share_create

TYPES = ("image", "url", "doc", "share")


class MediaViewSet(SelfCommunityViewSet):
    required_scopes = {"create": WRITE_MEDIA, "chunk": WRITE_MEDIA, "complete": WRITE_MEDIA,
                       "destroy": WRITE_MEDIA, "retrieve": READ_STATUSES,
                       "click": READ_STATUSES}
    token_required_actions = frozenset({"create", "chunk", "complete", "destroy"})
    user_required_actions = frozenset({"create", "chunk", "complete", "destroy"})
    delete_throttled_actions = frozenset({"destroy"})

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

    # --- chunked uploads ----------------------------------------------------------------------

    def chunk(self, request):
        """One piece of a file: a multipart `image` (react-ui's field for every piece),
        `document` or `file` part, `Content-Range: bytes start-end/total`, and from the second
        piece on the `upload_id` the first answered. 201 `{upload_id, offset, expires}`."""
        field = next((name for name in chunked.CHUNK_FIELDS if name in request.FILES), "image")
        upload_id = self.body.get("upload_id")
        if upload_id is not None and not isinstance(upload_id, str):
            raise field_error("upload_id", "Not a valid string.", code="invalid")
        try:
            upload = chunked.chunked_append(
                account=self.viewer, upload_id=upload_id,
                content_range=request.headers.get("Content-Range"),
                chunk=request.FILES.get(field), field=field)
        except chunked.OffsetMismatch as exc:
            return self._offset_refusal(exc)
        except chunked.Expired as exc:
            return errors_response(410, [{"code": "expired", "message": exc.message}])
        return Response(_progress(upload), status=201)

    def complete(self, request):
        """The end of a chunked upload: `upload_id`, `md5` of the whole file, `type` (image,
        doc; react-ui sends its field name, image or document). 201 with the Media."""
        data = self.body
        kind = data.get("type")
        if kind is not None and not isinstance(kind, str):
            raise field_error("type", "Not a valid string.", code="invalid")
        upload_id = data.get("upload_id")
        if upload_id in (None, ""):
            raise field_error("upload_id", "This field is required.", code="required")
        if not isinstance(upload_id, str):
            raise field_error("upload_id", "Not a valid string.", code="invalid")
        # One finished upload is one media upload for the budget (its pieces are not counted,
        # or a 16 MB image in react-ui's 200 KB pieces would spend it all).
        self.spend_budget("api_media")
        try:
            media = chunked.chunked_complete(account=self.viewer, upload_id=upload_id,
                                             md5=data.get("md5"), kind=kind or None)
        except chunked.OffsetMismatch as exc:
            return self._offset_refusal(exc)
        except chunked.Expired as exc:
            return errors_response(410, [{"code": "expired", "message": exc.message}])
        return Response(serialize_media(media), status=201)

    def _offset_refusal(self, exc: chunked.OffsetMismatch) -> Response:
        """400 carrying where the stored bytes end, so the client resumes there."""
        response = errors_response(400, [{"code": exc.code, "message": exc.message}])
        response.data["offset"] = exc.offset
        if exc.upload is not None:
            response.data.update(_progress(exc.upload))
        return response

    # --- one media ---------------------------------------------------------------------------

    def _readable(self, pk):
        """The media `pk` if the caller may see it: their own, or one on a status they may see
        (through the visibility rule). Returns (media, the status holding it or None)."""
        media = services.media_find(media_id=parse_id(pk))
        if media is None:
            raise errors.NotFound("Not found.")
        viewer = self.viewer
        if viewer is not None and media.account_id == viewer.pk:
            holder = None
            if media.status_id is not None:
                try:
                    holder = status_get_visible(status_id=media.status_id, viewer=viewer)
                except errors.NotFound:
                    holder = None
            return media, holder
        if media.status_id is None:
            raise errors.NotFound("Not found.")
        return media, status_get_visible(status_id=media.status_id, viewer=viewer)

    def retrieve(self, request, pk=None):
        media, holder = self._readable(pk)
        shared = {}
        if media.kind == MediaKind.SHARE and media.shared_status_id is not None:
            if holder is not None:
                shared = shared_statuses_visible([holder], self.viewer, {holder.pk: [media]})
            elif media.status_id is None:
                # The owner's share not yet posted: the shared status if they may see it now.
                shared = {s.pk: s for s in statuses_by_ids(ids=[media.shared_status_id],
                                                           viewer=self.viewer)}
        return Response(serialize_media(media, shared=shared))

    def destroy(self, request, pk=None):
        """The owner's media while no status uses it: 204. Others who may see it 403, the rest
        404; one on a status is refused (400)."""
        media_id = parse_id(pk)
        media = services.media_find(media_id=media_id)
        if media is not None and media.account_id != self.viewer.pk:
            self._readable(pk)  # 404 unless the caller may see it
            raise errors.NotAllowed()
        try:
            services.media_delete(account=self.viewer, media_id=media_id)
        except errors.Rejected as exc:
            raise errors.Invalid(exc.message, code="invalid") from None
        return Response(status=204)

    def click(self, request, pk=None):
        """Count a click on a media the caller may see (anonymous readers too): 204. The
        SDK's optional `ip` is not kept."""
        media, _ = self._readable(pk)
        services.media_click(media=media)
        return Response(status=204)


def _progress(upload) -> dict:
    return {"upload_id": upload.upload_id, "offset": upload.offset,
            "expires": upload.expires_at.isoformat()}

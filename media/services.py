"""Writes of media: upload (with processing now or in the background), update, delete, attach to
a status (or hold for a scheduled one), and the cleanup of abandoned uploads."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from config import errors, jobs
from media import processing
from media.models import MediaAttachment, MediaKind, MediaState

MASTODON_KINDS = frozenset({"image", "gifv", "video", "audio"})
MB = 1024 * 1024
NOT_FOUND = "Record not found"


def limit_for(kind: str) -> int:
    """The most an upload of `kind` may weigh (MEDIA_IMAGE_LIMIT, MEDIA_OTHER_LIMIT)."""
    return settings.MEDIA_IMAGE_LIMIT if kind in ("image", "gifv") else settings.MEDIA_OTHER_LIMIT


def parse_focus(raw: str | None) -> tuple[float, float] | None:
    """Mastodon's focus "x,y", each within -1..1; None when absent."""
    if raw is None or str(raw).strip() == "":
        return None
    try:
        x, y = (float(part) for part in str(raw).split(","))
    except ValueError:
        raise errors.Invalid("Focus must be two numbers from -1.0 to 1.0, as \"x,y\"") from None
    if not (-1.0 <= x <= 1.0 and -1.0 <= y <= 1.0):
        raise errors.Invalid("Focus must be two numbers from -1.0 to 1.0, as \"x,y\"")
    return x, y


def check_description(description: str | None) -> str:
    description = (description or "").strip()
    if len(description) > settings.MEDIA_DESCRIPTION_LIMIT:
        raise errors.Invalid(
            f"Description is too long (maximum is {settings.MEDIA_DESCRIPTION_LIMIT} characters)"
        )
    return description


def _name(extension: str) -> str:
    return secrets.token_hex(16) + extension


def _store(media: MediaAttachment, processed: processing.Processed) -> None:
    media.kind = processed.kind
    media.content_type = processed.content_type
    meta = dict(processed.meta)
    if media.thumbnail:
        # A client's thumbnail is the preview: its size and blurhash stay.
        meta["small"] = (media.meta or {}).get("small")
    else:
        media.blurhash = processed.blurhash or ""
    media.meta = {key: value for key, value in meta.items() if value is not None}
    media.file.save(_name(processed.extension), ContentFile(processed.original), save=False)
    media.file_size = len(processed.original)
    if processed.small is not None:
        extension = ".png" if processed.small_content_type == "image/png" else ".jpg"
        media.small.save(_name(extension), ContentFile(processed.small), save=False)
    media.state = MediaState.READY


def _delete_files(media: MediaAttachment) -> None:
    for field in (media.file, media.small, media.thumbnail):
        if field:
            field.storage.delete(field.name)


def media_upload(
    *,
    account,
    upload,
    description: str | None = None,
    focus: str | None = None,
    thumbnail=None,
    allow: frozenset[str] = MASTODON_KINDS,
    defer_large: bool = True,
) -> MediaAttachment:
    """Check an upload by its content and store it. Small images are processed at once; larger
    files are stored as they came and processed by `media.tasks.process_media` (state
    "processing" until then). A rejected upload leaves no row and no file."""
    if upload is None:
        raise errors.BadRequest("param is missing or the value is empty: file")
    description = check_description(description)
    point = parse_focus(focus)
    head = upload.read(64)
    upload.seek(0)
    sniffed = processing.sniff(head)
    if sniffed is None or sniffed.kind not in allow:
        raise errors.Invalid("File content type is invalid")
    limit = limit_for(sniffed.kind)
    if upload.size > limit:
        raise errors.Invalid(f"File file size must be less than {limit // MB} MB")
    preview = media_thumbnail_prepare(thumbnail) if thumbnail is not None else None
    media = MediaAttachment(
        account=account, kind=sniffed.kind, content_type=sniffed.content_type,
        description=description, focus_x=point[0] if point else None,
        focus_y=point[1] if point else None,
    )
    now_or_later = not defer_large or (
        sniffed.kind == "image" and upload.size <= settings.MEDIA_SYNC_IMAGE_BYTES
    )
    try:
        if preview is not None:
            media_thumbnail_apply(media=media, preview=preview)
        if now_or_later:
            _store(media, _process(upload.read(), allow))
            with transaction.atomic():
                media.save()
        else:
            media.state = MediaState.PROCESSING
            media.file_size = upload.size
            media.file.save(_name(sniffed.extension), upload, save=False)
            with transaction.atomic():
                media.save()
                process = jobs.task("media.tasks.process_media")
                transaction.on_commit(lambda: process.enqueue(media.pk))
    except BaseException:
        _delete_files(media)
        raise
    return media


def _process(data: bytes, allow) -> processing.Processed:
    try:
        return processing.process(
            data, image_limit=settings.MEDIA_IMAGE_LIMIT,
            other_limit=settings.MEDIA_OTHER_LIMIT, allow=allow,
        )
    except processing.MediaRejected as exc:
        raise errors.Rejected(str(exc.message), code=exc.code) from None


def media_process_stored(*, media_id: int) -> MediaAttachment | None:
    """Finish a deferred upload (the background task). A file that turns out not to be what it
    claimed is removed, row and files, and None is returned."""
    media = MediaAttachment.objects.filter(pk=media_id, state=MediaState.PROCESSING).first()
    if media is None:
        return None
    with media.file.open("rb") as handle:
        data = handle.read()
    old_name = media.file.name
    try:
        processed = _process(data, MASTODON_KINDS)
    except errors.DomainError:
        _delete_files(media)
        media.delete()
        return None
    try:
        _store(media, processed)
        media.save()
    except BaseException:
        _delete_files(media)
        raise
    media.file.storage.delete(old_name)
    return media


def media_get_own(*, account, media_id: int | None, unattached_only: bool = False
                  ) -> MediaAttachment:
    if media_id is None or account is None:
        raise errors.NotFound(NOT_FOUND)
    queryset = MediaAttachment.objects.filter(pk=media_id, account=account)
    if unattached_only:
        queryset = queryset.filter(status__isnull=True)
    media = queryset.first()
    if media is None:
        raise errors.NotFound(NOT_FOUND)
    return media


def media_thumbnail_prepare(thumbnail) -> processing.Processed:
    """Check and render a preview picture (Mastodon's `thumbnail`): an uploaded file, or a
    `data:<type>;base64,<data>` string (how Mastodon.py sends one inside JSON
    media_attributes). Pure: nothing is written. Refusals are Mastodon's messages."""
    if isinstance(thumbnail, str):
        data = _decode_data_uri(thumbnail)
    else:
        if thumbnail.size > settings.MEDIA_IMAGE_LIMIT:
            raise errors.Invalid(
                f"Thumbnail file size must be less than {settings.MEDIA_IMAGE_LIMIT // MB} MB"
            )
        data = thumbnail.read()
    try:
        return processing.thumbnail(data, limit=settings.MEDIA_IMAGE_LIMIT)
    except processing.MediaRejected as exc:
        raise errors.Rejected(exc.message, code=exc.code) from None


def _decode_data_uri(value: str) -> bytes:
    import base64
    import binascii

    head, comma, payload = value.partition(",")
    if not comma or not head.startswith("data:") or not head.endswith(";base64"):
        raise errors.Rejected(processing.MSG_THUMBNAIL_TYPE, code="unsupported")
    # Refuse by length before decoding: base64 is 4 characters for 3 bytes.
    if len(payload) > (settings.MEDIA_IMAGE_LIMIT // 3 + 1) * 4 + 4:
        raise errors.Invalid(
            f"Thumbnail file size must be less than {settings.MEDIA_IMAGE_LIMIT // MB} MB"
        )
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise errors.Rejected(processing.MSG_THUMBNAIL_TYPE, code="unsupported") from None


def media_thumbnail_apply(*, media: MediaAttachment, preview: processing.Processed) -> list[str]:
    """Store a prepared preview as `media`'s thumbnail (its meta "small" and blurhash follow
    it, as on Mastodon); the old picture goes once the transaction commits. The row is not
    saved: returns the fields to save."""
    old = media.thumbnail.name if media.thumbnail else None
    picture = preview.small if preview.small is not None else preview.original
    kind = preview.small_content_type if preview.small is not None else preview.content_type
    media.thumbnail.save(_name(".png" if kind == "image/png" else ".jpg"),
                         ContentFile(picture), save=False)
    size = preview.meta.get("small") or preview.meta.get("original")
    media.meta = {**(media.meta or {}), "small": size}
    media.blurhash = preview.blurhash or ""
    if old:
        storage = media.thumbnail.storage
        transaction.on_commit(lambda: storage.delete(old))
    return ["thumbnail", "meta", "blurhash"]


def media_update(*, account, media_id: int | None, description: str | None = None,
                 focus: str | None = None, thumbnail=None) -> MediaAttachment:
    """Change the description, focus or preview picture (`thumbnail`, any image; Mastodon uses
    it for audio and video) of one's own media that no status uses yet."""
    preview = media_thumbnail_prepare(thumbnail) if thumbnail is not None else None
    with transaction.atomic():
        media = _media_update(account=account, media_id=media_id, description=description,
                              focus=focus, preview=preview)
    return media


def _media_update(*, account, media_id, description, focus, preview) -> MediaAttachment:
    media = media_get_own(account=account, media_id=media_id, unattached_only=True)
    fields = []
    if description is not None:
        media.description = check_description(description)
        fields.append("description")
    if focus is not None:
        point = parse_focus(focus)
        media.focus_x, media.focus_y = point if point else (None, None)
        fields += ["focus_x", "focus_y"]
    if preview is not None:
        fields += media_thumbnail_apply(media=media, preview=preview)
    if fields:
        media.save(update_fields=fields)
    return media


def media_find(*, media_id: int | None) -> MediaAttachment | None:
    """A media by id, whoever owns it (the caller decides who may see it); None when absent."""
    if media_id is None:
        return None
    return MediaAttachment.objects.filter(pk=media_id).first()


def media_click(*, media: MediaAttachment) -> None:
    """Count a click on `media` (SelfCommunity's click tracker), without reading it again."""
    MediaAttachment.objects.filter(pk=media.pk).update(clicks_count=F("clicks_count") + 1)


def media_delete(*, account, media_id: int | None) -> None:
    """Delete one's own unattached upload, row and files."""
    with transaction.atomic():
        media = media_get_own(account=account, media_id=media_id)
        if media.status_id is not None:
            raise errors.Rejected("Media attachment is currently used by a status")
        media.delete()
    _delete_files(media)


# --- statuses -------------------------------------------------------------------------------

def media_for_status(*, account, media_ids: list[str] | None, current_status=None
                     ) -> list[MediaAttachment]:
    """The caller's media for a new (or edited) status, in the order given (item 49): at most 4,
    each unattached (or already on `current_status`), not mixing audio/video with others, ready."""
    if not media_ids:
        return []
    if len(media_ids) > settings.STATUS_MAX_MEDIA_ATTACHMENTS:
        raise errors.Rejected(
            f"Cannot attach more than {settings.STATUS_MAX_MEDIA_ATTACHMENTS} files"
        )
    wanted = []
    for raw in media_ids:
        try:
            wanted.append(int(raw))
        except (TypeError, ValueError):
            wanted.append(None)
    usable = MediaAttachment.objects.filter(
        account=account, pk__in=[w for w in wanted if w is not None],
        scheduled_status__isnull=True,
    ).select_for_update()
    if current_status is not None:
        usable = usable.filter(status__isnull=True) | usable.filter(status=current_status)
    else:
        usable = usable.filter(status__isnull=True)
    by_id = {m.pk: m for m in usable.exclude(kind__in=[MediaKind.SHARE])}
    missing = [raw for raw, w in zip(media_ids, wanted, strict=True) if w not in by_id]
    if missing:
        raise errors.Rejected(
            f"Media {', '.join(missing)} not found or already attached to another post"
        )
    ordered = [by_id[w] for w in dict.fromkeys(wanted)]
    if len(ordered) > 1 and any(m.kind in (MediaKind.VIDEO, MediaKind.AUDIO) for m in ordered):
        raise errors.Rejected("Cannot attach a video to a post that already contains images")
    if any(m.state != MediaState.READY for m in ordered):
        raise errors.Rejected(
            "Cannot attach files that have not finished processing. Try again in a moment!"
        )
    return ordered


def media_for_contribution(*, account, media_ids: list[int], current_status=None
                           ) -> list[MediaAttachment]:
    """SelfCommunity's `medias` for a new (or edited) status, in the order given: the caller's
    own, unattached (or already on `current_status`), ready, at most one `share`, and at most
    as many files as Mastodon allows (a share is not a file). Errors name the `medias` field."""
    if not media_ids:
        return []
    wanted = list(dict.fromkeys(media_ids))
    usable = MediaAttachment.objects.filter(account=account, pk__in=wanted,
                                            scheduled_status__isnull=True).select_for_update()
    if current_status is not None:
        usable = usable.filter(Q(status__isnull=True) | Q(status=current_status))
    else:
        usable = usable.filter(status__isnull=True)
    by_id = {m.pk: m for m in usable}
    for media_id in wanted:
        if media_id not in by_id:
            raise errors.does_not_exist("medias", media_id)
    ordered = [by_id[w] for w in wanted]
    if sum(1 for m in ordered if m.kind == MediaKind.SHARE) > 1:
        raise errors.Invalid("A status can have at most one media of type share.",
                             code="invalid", field="medias")
    files = [m for m in ordered if m.kind != MediaKind.SHARE]
    if len(files) > settings.STATUS_MAX_MEDIA_ATTACHMENTS:
        raise errors.Invalid(
            f"Cannot attach more than {settings.STATUS_MAX_MEDIA_ATTACHMENTS} files",
            code="max_length", field="medias",
        )
    if any(m.state != MediaState.READY for m in ordered):
        raise errors.Invalid(
            "Cannot attach files that have not finished processing. Try again in a moment!",
            code="invalid", field="medias",
        )
    return ordered


def media_place(*, status, media: list[MediaAttachment]) -> None:
    """Place `media` on `status` in order, detaching whatever it had before. Only the media rows:
    the status's own columns (media count, the quote a share makes) are the status services'
    (statuses/services/attachments.py)."""
    keep = {m.pk for m in media}
    MediaAttachment.objects.filter(status=status).exclude(pk__in=keep).update(status=None)
    for position, item in enumerate(media):
        item.status = status
        item.position = position
    if media:
        MediaAttachment.objects.bulk_update(media, ["status", "position"])


def media_hold(*, media: list[MediaAttachment], scheduled_status) -> None:
    """Keep `media` (checked by media_for_status) for a scheduled status, in order: still
    unattached, but no other post can take them until it is published or cancelled."""
    for position, item in enumerate(media):
        item.scheduled_status = scheduled_status
        item.position = position
    if media:
        MediaAttachment.objects.bulk_update(media, ["scheduled_status", "position"])


def media_unhold(*, scheduled_status) -> None:
    """Free the media a scheduled status held (it is being published or cancelled)."""
    MediaAttachment.objects.filter(scheduled_status=scheduled_status).update(
        scheduled_status=None)


def media_release(*, status, delete_media: bool) -> list[int]:
    """After a status is deleted: keep its media for a redraft (unattached again), or delete
    them with their files. Returns the ids kept, in their order."""
    items = list(MediaAttachment.objects.filter(status=status).order_by("position"))
    if delete_media:
        MediaAttachment.objects.filter(pk__in=[m.pk for m in items]).delete()
        transaction.on_commit(lambda: [_delete_files(m) for m in items])
        return []
    MediaAttachment.objects.filter(pk__in=[m.pk for m in items]).update(status=None)
    return [m.pk for m in items]


def media_reclaimable(*, account_id: int, media_ids: list[int]) -> list[MediaAttachment]:
    """The media a restored status had that are still its author's and still unattached (a
    redraft may have taken some), in their old order."""
    if not media_ids:
        return []
    found = MediaAttachment.objects.filter(pk__in=media_ids, account_id=account_id,
                                           status__isnull=True,
                                           scheduled_status__isnull=True).in_bulk()
    return [found[pk] for pk in media_ids if pk in found]


def media_prune_unattached(*, older_than: timedelta | None = None) -> int:
    """Remove uploads nobody attached within a day (the periodic cleanup)."""
    cutoff = timezone.now() - (
        older_than or timedelta(seconds=settings.MEDIA_UNATTACHED_TTL_SECONDS)
    )
    stale = list(MediaAttachment.objects.filter(status__isnull=True, created_at__lt=cutoff,
                                                shared_status__isnull=True,
                                                scheduled_status__isnull=True))
    # One DELETE for the rows; the files go once it has committed.
    with transaction.atomic():
        MediaAttachment.objects.filter(pk__in=[m.pk for m in stale]).delete()
        transaction.on_commit(lambda: [_delete_files(m) for m in stale])
    return len(stale)


# --- SelfCommunity link previews and shares ----------------------------------------------------

def media_create_link(*, account, url: str) -> MediaAttachment:
    """A `url` media: the page's preview, fetched through the safe fetcher (public addresses
    only). A refused or failed fetch is the client's error, reported on the `url` field."""
    from media import fetch

    try:
        preview = fetch.link_preview(url)
    except fetch.FetchError as exc:
        raise errors.Invalid(f"The link could not be previewed: {exc.reason}",
                             field="url") from None
    metadata = {
        "url": preview.url, "title": preview.title, "description": preview.description,
        "image": preview.image, "site_name": preview.site_name, "type": preview.type,
        "author_name": preview.author_name, "provider_name": preview.provider_name,
        "width": preview.width, "height": preview.height, "published_at": preview.published_at,
    }
    return MediaAttachment.objects.create(
        account=account, kind=MediaKind.URL, remote_url=preview.url or url,
        title=preview.title[:500], description=preview.description,
        embed={"embed_type": "sc_link", "embed_id": preview.url or url, "url": preview.url or url,
               "metadata": metadata},
    )


def media_create_share(*, account, shared) -> MediaAttachment:
    """A `share` media pointing at `shared`, a status the caller has already been allowed to
    share (statuses.services.attachments.status_share_create checks that). Nothing of the shared
    text is copied into the row."""
    return MediaAttachment.objects.create(
        account=account, kind=MediaKind.SHARE, shared_status=shared,
        embed={"embed_type": "sc_shared_object", "embed_id": str(shared.pk),
               "url": f"/status/{shared.pk}/", "metadata": {"id": shared.pk, "type": "status"}},
    )

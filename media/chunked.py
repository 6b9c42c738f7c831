"""SelfCommunity's chunked uploads (POST /api/v2/media/upload/chunk/ and /complete/), as the SDK's
MediaService and react-ui's uploader (@rpldy/chunked-uploady) speak them.

Each piece comes with `Content-Range: bytes start-end/total` (end inclusive). The first one
(without `upload_id`) starts an upload: its first bytes say what the file is, so the limit of a
single upload of that kind applies to the announced total at once. Each further piece must start
where the stored bytes end; one that does not is refused with the current offset, so that the
client resumes from there. The bytes wait on disk under MEDIA_ROOT (one file per upload, a
`ChunkedUpload` row telling how many of them count). Completing checks the MD5 of the whole file
and hands it to `media_upload`, the pipeline of POST /api/v2/media/, so it yields the same Media;
a refused file leaves nothing behind. Uploads nobody completes expire and are pruned.
"""

import hashlib
import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from config import errors
from media import processing, services
from media.models import ChunkedUpload, MediaAttachment

RANGE = re.compile(r"bytes (\d{1,19})-(\d{1,19})/(\d{1,19})")
UPLOAD_ID = re.compile(r"[0-9a-f]{32}")
IMAGE = frozenset({"image", "gifv"})
DOC = frozenset({"doc"})
# SelfCommunity's `type` at complete: react-ui sends the uploader's field name ("image",
# "document"), the documentation names "image", "doc" and "eimage" (an image shown in a text,
# an image here). Without it, the file's content decides.
TYPES = {"image": IMAGE, "eimage": IMAGE, "doc": DOC, "document": DOC}
CHUNK_FIELDS = ("image", "document", "file")


class OffsetMismatch(errors.DomainError):
    """The piece does not start where the stored bytes end (or complete came too early): the
    client resumes from `upload.offset`."""

    status_code = 400

    def __init__(self, message: str, upload: ChunkedUpload | None, offset: int = 0):
        super().__init__(message, code="invalid_offset")
        self.upload = upload
        self.offset = upload.offset if upload is not None else offset


class Expired(errors.DomainError):
    """The upload was not completed in time; it has been removed."""

    status_code = 410


def staging_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / settings.MEDIA_CHUNKED_UPLOAD_DIR


def staging_path(upload_id: str) -> Path:
    return staging_dir() / f"{upload_id}.part"


def _remove_staged(upload_id: str) -> None:
    try:
        staging_path(upload_id).unlink()
    except FileNotFoundError:
        pass


def parse_content_range(raw: str | None) -> tuple[int, int, int]:
    """`bytes start-end/total` (end inclusive, as HTTP's Content-Range) -> (start, end, total)."""
    match = RANGE.fullmatch((raw or "").strip())
    if match is None:
        raise errors.BadRequest("The Content-Range header is missing or not "
                                "\"bytes start-end/total\".", code="invalid")
    start, end, total = (int(part) for part in match.groups())
    if not start <= end < total:
        raise errors.BadRequest("The Content-Range header is not a range of the file.",
                                code="invalid")
    return start, end, total


def _expires() -> timezone.datetime:
    return timezone.now() + timedelta(seconds=settings.MEDIA_CHUNKED_UPLOAD_TTL_SECONDS)


def _own(account, upload_id, *, lock: bool = False) -> ChunkedUpload:
    """The caller's upload `upload_id`; anyone else's, or none, is a NotFound. An expired one is
    removed and reported as Expired."""
    if account is None or not isinstance(upload_id, str) or not UPLOAD_ID.fullmatch(upload_id):
        raise errors.NotFound("Not found.")
    queryset = ChunkedUpload.objects.filter(upload_id=upload_id, account=account)
    if lock:
        queryset = queryset.select_for_update()
    upload = queryset.first()
    if upload is None:
        raise errors.NotFound("Not found.")
    return upload


def _discard(upload: ChunkedUpload) -> None:
    """Remove an upload, row and file. The file goes at once: should the row's deletion roll
    back, a row without its file reads as no upload at all (404 on its next piece)."""
    ChunkedUpload.objects.filter(pk=upload.pk).delete()
    _remove_staged(upload.upload_id)


def _write(path: Path, offset: int, chunk) -> None:
    """Put `chunk` at `offset` and cut whatever lies beyond it (the bytes of a piece whose
    answer never reached the client count for nothing)."""
    with open(path, "r+b") as handle:
        handle.seek(offset)
        for piece in chunk.chunks():
            handle.write(piece)
        handle.truncate()


def chunked_append(*, account, upload_id: str | None, content_range: str | None, chunk,
                   field: str = "image") -> ChunkedUpload:
    """Store one piece of an upload: the first one (no `upload_id`) starts a new upload, the
    others extend the caller's. Returns the upload (its `offset` is the bytes stored)."""
    if chunk is None:
        raise errors.Invalid("No file was submitted.", code="required", field=field)
    start, end, total = parse_content_range(content_range)
    if chunk.size != end - start + 1:
        raise errors.BadRequest("The file's size does not match the Content-Range header.",
                                code="invalid")
    if upload_id in (None, ""):
        return _start(account=account, start=start, total=total, chunk=chunk, field=field)
    upload = _own(account, upload_id)
    if upload.expires_at <= timezone.now():
        _discard(upload)
        raise Expired("The upload has expired.", code="expired")
    with transaction.atomic():
        upload = _own(account, upload_id, lock=True)
        if total != upload.total:
            raise errors.BadRequest("The Content-Range total is not the upload's.",
                                    code="invalid")
        if start != upload.offset:
            raise OffsetMismatch("The range does not start where the upload ends.", upload)
        failure = None
        if end + 1 > upload.limit:  # (the total was checked on the first piece)
            failure = _too_large(upload.limit, field)
        else:
            try:
                _write(staging_path(upload.upload_id), start, chunk)
            except FileNotFoundError:
                failure = errors.NotFound("Not found.")
            else:
                upload.offset = end + 1
                upload.save(update_fields=["offset"])
    if failure is not None:
        _discard(upload)
        raise failure
    return upload


def _too_large(limit: int, field: str) -> errors.Invalid:
    return errors.Invalid(f"File file size must be less than {limit // services.MB} MB",
                          code="max_size", field=field)


def _start(*, account, start: int, total: int, chunk, field: str) -> ChunkedUpload:
    if start != 0:
        raise OffsetMismatch("A new upload starts at byte 0.", None, offset=0)
    head = chunk.read(processing.SNIFF_BYTES)
    chunk.seek(0)
    sniffed = processing.sniff(head)
    if sniffed is not None and sniffed.kind in IMAGE | DOC:
        limit = services.limit_for(sniffed.kind)
    elif sniffed is None and len(head) < processing.SNIFF_BYTES and chunk.size < total:
        # Too few bytes to tell yet: the larger limit now, the content's at complete.
        limit = max(settings.MEDIA_IMAGE_LIMIT, settings.MEDIA_OTHER_LIMIT)
    else:
        raise errors.Invalid("File content type is invalid", code="invalid", field=field)
    if total > limit:
        raise _too_large(limit, field)
    upload = ChunkedUpload(upload_id=secrets.token_hex(16), account=account, total=total,
                           offset=chunk.size, limit=limit, expires_at=_expires(),
                           filename=os.path.basename(getattr(chunk, "name", "") or "")[:255])
    path = staging_path(upload.upload_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "xb") as handle:
            for piece in chunk.chunks():
                handle.write(piece)
        with transaction.atomic():
            upload.save()
    except BaseException:
        _remove_staged(upload.upload_id)
        raise
    return upload


def _md5_of(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def chunked_complete(*, account, upload_id, md5, kind: str | None) -> MediaAttachment:
    """Turn a fully received upload into a Media through `media_upload` (the checks and
    processing of POST /api/v2/media/). A wrong MD5 or a file refused by the pipeline removes
    the upload; an upload still missing bytes stays, for the client to resume."""
    if kind in (None, ""):
        allow = IMAGE | DOC
    elif kind in TYPES:
        allow = TYPES[kind]
    else:
        raise errors.Invalid(f'"{kind}" is not a valid choice.', code="invalid_choice",
                             field="type")
    if not isinstance(md5, str) or not md5.strip():
        raise errors.Invalid("This field is required.", code="required", field="md5")
    if account is None or not isinstance(upload_id, str) or not upload_id:
        raise errors.Invalid("This field is required.", code="required", field="upload_id")
    failure = None
    with transaction.atomic():
        upload = _own(account, upload_id, lock=True)
        if upload.expires_at <= timezone.now():
            failure = Expired("The upload has expired.", code="expired")
        elif upload.offset != upload.total:
            raise OffsetMismatch("The upload is not complete.", upload)
        else:
            path = staging_path(upload.upload_id)
            if not path.exists():
                failure = errors.NotFound("Not found.")
            elif _md5_of(path) != md5.strip().lower():
                failure = errors.Invalid("The md5 checksum does not match the file.",
                                         code="invalid", field="md5")
            else:
                field = "image" if allow == IMAGE else "doc" if allow == DOC else "file"
                try:
                    with open(path, "rb") as handle:
                        media = services.media_upload(
                            account=account, upload=File(handle, name=upload.filename or "upload"),
                            allow=allow, defer_large=False)
                except errors.DomainError as exc:
                    failure = errors.Invalid(exc.message, code=exc.code or "invalid", field=field)
                else:
                    _discard(upload)
    if failure is not None:
        _discard(upload)
        raise failure
    return media


def chunked_prune_expired(*, now=None) -> int:
    """Remove the uploads nobody completed in time, rows and files, and any staged file older
    than that which no row claims (a request that died between writing and recording).
    Returns how many were removed."""
    now = now or timezone.now()
    stale = list(ChunkedUpload.objects.filter(expires_at__lte=now).values_list("upload_id",
                                                                               flat=True))
    ChunkedUpload.objects.filter(upload_id__in=stale).delete()
    for upload_id in stale:
        _remove_staged(upload_id)
    removed = len(stale)
    folder = staging_dir()
    if folder.is_dir():
        cutoff = (now - timedelta(seconds=settings.MEDIA_CHUNKED_UPLOAD_TTL_SECONDS)).timestamp()
        candidates = {entry.stem: entry for entry in folder.iterdir()
                      if entry.suffix == ".part" and entry.stat().st_mtime < cutoff}
        claimed = set(ChunkedUpload.objects.filter(upload_id__in=list(candidates))
                      .values_list("upload_id", flat=True))
        for upload_id, entry in candidates.items():
            if upload_id not in claimed and upload_id not in stale:
                entry.unlink(missing_ok=True)
                removed += 1
    return removed

"""One MediaAttachment model for both dialects: Mastodon's media_attachments and SelfCommunity's
medias (image, url preview, doc, share)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class MediaKind(models.TextChoices):
    IMAGE = "image"
    GIFV = "gifv"
    VIDEO = "video"
    AUDIO = "audio"
    UNKNOWN = "unknown"
    # SelfCommunity-only kinds.
    URL = "url"
    DOC = "doc"
    SHARE = "share"


class MediaState(models.TextChoices):
    PROCESSING = "processing"
    READY = "ready"


def original_path(instance, filename):
    return f"attachments/{instance.account_id}/original/{filename}"


def small_path(instance, filename):
    return f"attachments/{instance.account_id}/small/{filename}"


def thumbnail_path(instance, filename):
    return f"attachments/{instance.account_id}/thumbnail/{filename}"


class MediaAttachment(models.Model):
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="media_attachments"
    )
    # The status it is attached to; null while unattached (and again after a redraft delete).
    status = models.ForeignKey(
        "statuses.Status", on_delete=models.SET_NULL, null=True, blank=True, related_name="media"
    )
    # The scheduled status holding it until it is published: still unattached to any status,
    # but no other post may take it meanwhile.
    scheduled_status = models.ForeignKey(
        "statuses.ScheduledStatus", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="media",
    )
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=MediaKind.choices)
    state = models.CharField(max_length=12, choices=MediaState.choices, default=MediaState.READY)
    file = models.FileField(upload_to=original_path, blank=True, max_length=500)
    small = models.FileField(upload_to=small_path, blank=True, max_length=500)
    # The preview a client gave (Mastodon's `thumbnail`); shown instead of `small` when set.
    thumbnail = models.FileField(upload_to=thumbnail_path, blank=True, max_length=500)
    content_type = models.CharField(max_length=100, blank=True, default="")
    file_size = models.PositiveBigIntegerField(default=0)
    description = models.TextField(blank=True, default="")
    focus_x = models.FloatField(null=True, blank=True)
    focus_y = models.FloatField(null=True, blank=True)
    meta = models.JSONField(default=dict, blank=True)
    blurhash = models.CharField(max_length=100, blank=True, default="")
    # SelfCommunity: the linked page (url), its preview (embed) and the shared status (share).
    title = models.CharField(max_length=500, blank=True, default="")
    remote_url = models.URLField(max_length=2000, blank=True, default="")
    embed = models.JSONField(null=True, blank=True)
    shared_status = models.ForeignKey(
        "statuses.Status", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # SelfCommunity's click tracker (POST /api/v2/media/{id}/click/): how often readers opened it.
    clicks_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["status", "position"], name="media_status_position"),
            models.Index(
                fields=["account", "created_at"], name="media_unattached",
                condition=Q(status__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} of {self.account_id}"

    @property
    def focus(self) -> tuple[float, float] | None:
        if self.focus_x is None or self.focus_y is None:
            return None
        return self.focus_x, self.focus_y


class ChunkedUpload(models.Model):
    """A file arriving in pieces (SelfCommunity's POST /api/v2/media/upload/chunk/). The bytes
    received so far sit on disk under MEDIA_ROOT (`media.chunked.staging_path`), never in the
    database; `offset` says how many of them count. Completing it turns the file into a
    MediaAttachment and removes this row and the staged file; an upload not completed by
    `expires_at` is removed by the periodic cleanup (or when it is next used)."""

    upload_id = models.CharField(max_length=64, unique=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chunked_uploads"
    )
    filename = models.CharField(max_length=255, blank=True, default="")
    # The size the client announced (Content-Range's total) and the bytes stored so far.
    total = models.PositiveBigIntegerField()
    offset = models.PositiveBigIntegerField(default=0)
    # The most the file may weigh, from what its first bytes are (an image's or a document's
    # limit, as single uploads).
    limit = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["expires_at"], name="chunked_upload_expiry")]

    def __str__(self) -> str:
        return f"upload {self.upload_id} of {self.account_id} ({self.offset}/{self.total})"

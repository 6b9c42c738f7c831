"""The daily cleanup of abandoned uploads."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from media.models import MediaAttachment
from media.services import media_upload
from statuses.services import status_create
from statuses.services.attachments import status_attach_media


class Upload(io.BytesIO):
    name = "x.png"

    @property
    def size(self):
        return len(self.getvalue())


def png() -> Upload:
    buffer = Upload()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(buffer, "PNG")
    buffer.seek(0)
    return buffer


def test_prune_removes_old_unattached_uploads_and_files(alice, settings, tmp_path,
                                                        django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    old = media_upload(account=alice, upload=png())
    fresh = media_upload(account=alice, upload=png())
    used = media_upload(account=alice, upload=png())
    status = status_create(account=alice, text="with media")
    status_attach_media(status=status, media=[used])
    day_ago = timezone.now() - timedelta(days=2)
    MediaAttachment.objects.filter(pk__in=[old.pk, used.pk]).update(created_at=day_ago)
    old_path = old.file.path
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # files go after the commit
        call_command("prune_media", stdout=out)
    assert out.getvalue().splitlines() == ["Removed 1 unattached uploads.",
                                           "Removed 0 expired chunked uploads."]
    assert set(MediaAttachment.objects.values_list("pk", flat=True)) == {fresh.pk, used.pk}
    assert not (tmp_path / old_path).exists()

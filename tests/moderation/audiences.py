"""Statuses of each audience for the moderation tests, made through the services: what a moderator
may read of them is the rule under test (moderation.selectors.moderation_visible_q)."""

from accounts.models import Follow
from categories.models import Tag
from statuses import services
from statuses.models import Status
from statuses.services.contributions import Contribution, contribution_create

# Audiences a moderator may not read unless the status is flagged, was acted on, or the normal
# rule lets them (an addressed status is stored as private).
PRIVATE_KINDS = ("private", "direct", "addressed")
PUBLIC_KINDS = ("public", "unlisted")
NOT_FOUND = {"errors": [{"code": "not_found", "message": "Not found."}]}


def contribution(text: str, **fields) -> Contribution:
    """A SelfCommunity create body: the text as HTML, nothing else unless given."""
    body = {"action": None, "text": f"<p>{text}</p>", "category_ids": [], "media_ids": [],
            "location": None, "addressing_ids": [], "tag_ids": []}
    return Contribution(**{**body, **fields})


def make_status(kind: str, *, author, reader, text: str, **extra) -> Status:
    """A status of `kind` by `author` whose audience holds `reader`: the follower of a private
    one, the account a direct one mentions, the holder of an addressed one's user tag."""
    if kind == "addressed":
        tag = Tag.objects.create(type="user", name=f"holders-{Tag.objects.count()}")
        tag.holders.add(reader)
        made = contribution_create(account=author, body=contribution(
            text, addressing_ids=[tag.pk]))
        return Status.objects.get(pk=made.pk)
    if kind == "private":
        Follow.objects.get_or_create(account=reader, target=author, defaults={"accepted": True})
    if kind == "direct":
        text = f"@{reader.username} {text}"
    made = services.status_create(account=author, text=text, visibility=kind, **extra)
    return Status.objects.get(pk=made.pk)


def picture(*, author, description: str):
    """A processed image upload of `author`'s, ready to attach."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from media.services import media_upload

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 90, 160)).save(buffer, "PNG")
    upload = SimpleUploadedFile("picture.png", buffer.getvalue(), content_type="image/png")
    return media_upload(account=author, upload=upload, description=description)


def edited_status(kind: str, *, author, reader, mark: str) -> tuple[Status, object]:
    """A status of `kind` carrying `mark` in every place a moderator could read it: its text,
    content warning, rendered HTML, a revision, and a picture's description; and the picture."""
    media = picture(author=author, description=f"{mark} picture")
    status = make_status(kind, author=author, reader=reader, text=f"{mark} first words",
                         spoiler_text=f"{mark} warning", media_ids=[str(media.pk)])
    prefix = f"@{reader.username} " if kind == "direct" else ""
    services.status_update(account=author, status_id=status.pk,
                           text=f"{prefix}{mark} second words", spoiler_text=f"{mark} warning",
                           media_ids=[str(media.pk)])
    media.refresh_from_db()
    return Status.objects.get(pk=status.pk), media

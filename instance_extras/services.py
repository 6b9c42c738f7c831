"""Writes of instance_extras: announcements (saved from the admin, dismissed and reacted to
through the API) and custom emojis. Each runs in one transaction and writes nothing when it
refuses."""

import io
import re
import uuid

import emoji as unicode_emoji
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from accounts.models import Account
from config import errors, instance
from instance_extras.models import (
    Announcement,
    AnnouncementDismissal,
    AnnouncementReaction,
    CustomEmoji,
)
from instance_extras.selectors import announcement_get_shown
from media.processing import sniff
from statuses import rendering

# Mastodon's ReactionValidator::LIMIT: distinct reactions on one announcement.
REACTION_LIMIT = 8
# Mastodon's CustomEmoji::LIMIT and IMAGE_MIME_TYPES.
EMOJI_SIZE_LIMIT = 256 * 1024
EMOJI_FORMATS = {"PNG": "png", "GIF": "gif", "WEBP": "webp"}
EMOJI_MAX_SIDE = 1024
DUPLICATE_RECORD = "Duplicate record"


# --- announcements --------------------------------------------------------------------------

def _local_status_ids(text: str) -> list[int]:
    """Ids of the local statuses the text links to (`/@user/<id>` or
    `/users/<user>/statuses/<id>` on this instance), in order, once each."""
    base = re.escape(instance.base_url())
    pattern = re.compile(base + r"/(?:@[A-Za-z0-9_.-]+|users/[A-Za-z0-9_.-]+/statuses)/(\d{1,18})"
                         r"(?![\w/])")
    found: list[int] = []
    for match in pattern.finditer(text):
        pk = int(match.group(1))
        if pk not in found:
            found.append(pk)
    return found


def _render(text: str) -> tuple[str, list[int], list[str]]:
    """The announcement's HTML as a status's plain text renders (links, mentions of local
    accounts, hashtags), the ids of the accounts it mentions, and its hashtags."""
    names = {username.lower() for username, domain in rendering.extract_mentions(text)
             if domain is None or domain.lower() == instance.local_domain()}
    accounts = {}
    if names:
        found = Account.objects.annotate(lower=Lower("username")).filter(
            lower__in=names, is_active=True, suspended_at__isnull=True)
        accounts = {a.username.lower(): a for a in found}

    def resolve(username: str, domain: str | None):
        account = accounts.get(username.lower())
        if account is None or (domain is not None and domain.lower() != instance.local_domain()):
            return None
        return rendering.MentionRef(username=account.username,
                                    url=instance.account_url(account.username),
                                    acct=account.acct)

    normalized = rendering.normalize_mentions(text, resolve)
    refs = {}
    mentioned: list[int] = []
    for username, domain in rendering.extract_mentions(normalized):
        ref = resolve(username, domain)
        if ref is None:
            continue
        refs[username.lower() if domain is None else f"{username}@{domain}".lower()] = ref
        pk = accounts[username.lower()].pk
        if pk not in mentioned:
            mentioned.append(pk)
    html = rendering.render_plain(normalized, tags_base_url=instance.tags_base_url(),
                                  mentions=refs)
    tags: list[str] = []
    for name in rendering.extract_hashtags(normalized):
        tag = rendering.normalize_hashtag(name)
        if tag not in tags:
            tags.append(tag)
    return html, mentioned, tags


def announcement_validate(*, text: str, starts_at, ends_at) -> None:
    """Mastodon's Announcement validations, with its messages."""
    messages = []
    if not (text or "").strip():
        messages.append("Text can't be blank")
    if ends_at is not None and starts_at is None:
        messages.append("Starts at can't be blank")
    if starts_at is not None and ends_at is None:
        messages.append("Ends at can't be blank")
    if starts_at is not None and ends_at is not None and ends_at < starts_at:
        messages.append("Ends at must be after the start")
    if messages:
        raise errors.Invalid(*messages)


@transaction.atomic
def announcement_save(*, announcement: Announcement) -> Announcement:
    """Create or update an announcement from its admin form: validated, its text rendered once
    here (the API serves the stored HTML), `published_at` set when it is first published (for
    one scheduled later, the time it will be shown from)."""
    announcement_validate(text=announcement.text, starts_at=announcement.starts_at,
                          ends_at=announcement.ends_at)
    if announcement.starts_at is None:
        announcement.all_day = False
    announcement.html, announcement.mention_ids, announcement.tag_names = _render(
        announcement.text)
    announcement.status_ids = _local_status_ids(announcement.text)
    if announcement.published:
        now = timezone.now()
        if announcement.scheduled_at is not None and announcement.scheduled_at > now:
            announcement.published_at = announcement.scheduled_at
        elif announcement.published_at is None or announcement.published_at > now:
            announcement.published_at = now
    announcement.save()
    return announcement


@transaction.atomic
def announcement_dismiss(*, account, announcement_id: int) -> None:
    """Mark a shown announcement read for the account (again: nothing changes)."""
    announcement = announcement_get_shown(announcement_id=announcement_id)
    AnnouncementDismissal.objects.get_or_create(account=account, announcement=announcement)


SHORTCODE = re.compile(r"[a-zA-Z0-9_]{2,64}")


def _storable(name: str) -> bool:
    """A name the reactions table can hold and be searched for (no NUL, no lone surrogate)."""
    return len(name) <= 64 and "\x00" not in name and not any(
        "\ud800" <= char <= "\udfff" for char in name)


def _reaction_emoji(name: str) -> CustomEmoji | None:
    if not SHORTCODE.fullmatch(name):
        return None
    return CustomEmoji.objects.filter(shortcode=name, disabled=False).first()


@transaction.atomic
def announcement_react(*, account, announcement_id: int, name: str) -> AnnouncementReaction:
    """Add the account's reaction `name` (a unicode emoji or an enabled custom emoji's
    shortcode). The announcement's row is locked so that two new names cannot both pass the
    limit of distinct reactions."""
    announcement = announcement_get_shown(announcement_id=announcement_id, lock=True)
    messages = []
    custom = None
    if not name.strip():
        messages.append("Name can't be blank")
    else:
        custom = _reaction_emoji(name)
        if custom is None and not (_storable(name) and unicode_emoji.is_emoji(name)):
            messages.append("Name is not a recognized emoji")
        names = AnnouncementReaction.objects.filter(announcement=announcement)
        new_name = not _storable(name) or not names.filter(name=name).exists()
        if new_name and names.values("name").distinct().count() >= REACTION_LIMIT:
            messages.append("Limit of different reactions reached")
    if messages:
        raise errors.Invalid(*messages)
    try:
        with transaction.atomic():
            return AnnouncementReaction.objects.create(
                account=account, announcement=announcement, name=name, custom_emoji=custom)
    except IntegrityError:
        raise errors.Rejected(DUPLICATE_RECORD) from None


@transaction.atomic
def announcement_unreact(*, account, announcement_id: int, name: str) -> None:
    """Remove the account's reaction `name`; one it never made is not found."""
    announcement = announcement_get_shown(announcement_id=announcement_id)
    if not _storable(name):
        raise errors.NotFound("Record not found")
    deleted, _ = AnnouncementReaction.objects.filter(
        account=account, announcement=announcement, name=name).delete()
    if not deleted:
        raise errors.NotFound("Record not found")


# --- custom emojis --------------------------------------------------------------------------

def emoji_image_check(data: bytes) -> tuple[str, Image.Image]:
    """(file extension, the decoded image) of an emoji upload: PNG, GIF or WebP by its content,
    256 KB at most, sides of 1024 pixels at most; anything else is an Invalid on `image`."""
    if len(data) > EMOJI_SIZE_LIMIT:
        raise errors.Invalid("Image must be smaller than 256 KB", field="image")
    if sniff(data) is None:
        raise errors.Invalid("Image must be a PNG, GIF or WebP picture", field="image")
    try:
        picture = Image.open(io.BytesIO(data))
        picture.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise errors.Invalid("Image could not be read", field="image") from None
    extension = EMOJI_FORMATS.get(picture.format or "")
    if extension is None:
        raise errors.Invalid("Image must be a PNG, GIF or WebP picture", field="image")
    if max(picture.size) > EMOJI_MAX_SIDE:
        raise errors.Invalid("Image must be at most 1024 pixels wide and high", field="image")
    return extension, picture


def _static_png(picture: Image.Image) -> bytes:
    """The first frame as PNG: the `static_url` picture clients show when animation is off."""
    picture.seek(0)
    frame = picture.convert("RGBA")
    out = io.BytesIO()
    frame.save(out, "PNG", optimize=True)
    return out.getvalue()


@transaction.atomic
def custom_emoji_save(*, emoji: CustomEmoji, upload: bytes | None = None) -> CustomEmoji:
    """Create or update a custom emoji; with `upload`, its picture (checked, and its static
    first frame made). A new emoji needs a picture."""
    if upload is None and not emoji.image:
        raise errors.Invalid("Image can't be blank", field="image")
    replaced = []
    if upload is not None:
        extension, picture = emoji_image_check(upload)
        replaced = [name for name in (emoji.image.name, emoji.static_image.name) if name]
        stem = uuid.uuid4().hex
        emoji.image.save(f"{stem}.{extension}", ContentFile(upload), save=False)
        emoji.static_image.save(f"{stem}.png", ContentFile(_static_png(picture)), save=False)
    emoji.save()
    _remove_files_on_commit(replaced)
    return emoji


@transaction.atomic
def custom_emoji_delete(*, emoji: CustomEmoji) -> None:
    """Delete a custom emoji and, once that is committed, its pictures. Reactions made with it
    keep their name (and lose their picture), as Mastodon's do."""
    names = [name for name in (emoji.image.name, emoji.static_image.name) if name]
    emoji.delete()
    _remove_files_on_commit(names)


def _remove_files_on_commit(names: list[str]) -> None:
    def remove():
        for name in names:
            default_storage.delete(name)

    if names:
        transaction.on_commit(remove)

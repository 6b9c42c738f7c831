"""Per-account reading preferences, custom emojis (with their picker categories) and the
announcements moderators publish, with who dismissed and who reacted to them."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

# Mastodon's CustomEmoji::SHORTCODE_RE_FRAGMENT.
SHORTCODE_RE = r"^[a-zA-Z0-9_]{2,}$"


class ExpandMedia(models.TextChoices):
    """Mastodon's `display_media` setting, shown as `reading:expand:media`."""

    DEFAULT = "default", "Hide media marked as sensitive"
    SHOW_ALL = "show_all", "Always show media"
    HIDE_ALL = "hide_all", "Always hide media"


class AccountPreferences(models.Model):
    """The reading settings Mastodon keeps per user. The posting defaults (visibility,
    sensitive, language) are the Account's own columns, which posting reads; an account without
    a row has Mastodon's defaults."""

    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   primary_key=True, related_name="reading_preferences")
    expand_media = models.CharField(max_length=8, choices=ExpandMedia.choices,
                                    default=ExpandMedia.DEFAULT)
    expand_spoilers = models.BooleanField(default=False, help_text="Expand content warnings")
    autoplay_gifs = models.BooleanField(default=False, help_text="Play animated GIFs")

    class Meta:
        verbose_name_plural = "account preferences"

    def __str__(self) -> str:
        return f"preferences of {self.account_id}"


class CustomEmojiCategory(models.Model):
    name = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name_plural = "custom emoji categories"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CustomEmoji(models.Model):
    """A local custom emoji: `:shortcode:` in text, a reaction name, a picker entry. `image` is
    the upload as checked by its content (PNG, GIF or WebP, 256 KB at most), `static_image` its
    first frame as PNG (instance_extras.services.custom_emoji_save makes both)."""

    shortcode = models.CharField(
        max_length=64, unique=True,
        validators=[RegexValidator(SHORTCODE_RE, "Only letters, numbers and underscores, "
                                                 "at least 2 characters")])
    image = models.FileField(upload_to="custom_emojis/original/", max_length=255)
    static_image = models.FileField(upload_to="custom_emojis/static/", max_length=255)
    visible_in_picker = models.BooleanField(default=True)
    disabled = models.BooleanField(default=False)
    category = models.ForeignKey(CustomEmojiCategory, on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="emojis")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "custom emoji"
        verbose_name_plural = "custom emojis"
        indexes = [
            # The listed emojis (enabled and in the picker), in id order.
            models.Index(fields=["id"], name="emoji_listed",
                         condition=models.Q(disabled=False, visible_in_picker=True)),
        ]

    def __str__(self) -> str:
        return f":{self.shortcode}:"


class Announcement(models.Model):
    """Plain text rendered as a status's text is (links, @mentions, #hashtags), published now or
    from `scheduled_at`, shown until `ends_at` has passed."""

    text = models.TextField(help_text="Plain text: links, @mentions and #hashtags are linked.")
    # Computed from `text` when saved (instance_extras.services.announcement_save).
    html = models.TextField(blank=True, default="", editable=False)
    mention_ids = models.JSONField(default=list, blank=True, editable=False)
    status_ids = models.JSONField(default=list, blank=True, editable=False)
    tag_names = models.JSONField(default=list, blank=True, editable=False)
    published = models.BooleanField(default=True, help_text="Unpublished ones are never shown.")
    scheduled_at = models.DateTimeField(null=True, blank=True,
                                        help_text="Empty: shown as soon as it is published.")
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    starts_at = models.DateTimeField(null=True, blank=True, help_text="The event it announces.")
    ends_at = models.DateTimeField(null=True, blank=True,
                                   help_text="No longer shown once this has passed.")
    all_day = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["published", "ends_at"], name="announcement_shown")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__isnull=True, ends_at__isnull=True)
                | models.Q(starts_at__isnull=False, ends_at__isnull=False),
                name="announcement_range_complete"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class AnnouncementDismissal(models.Model):
    """Mastodon's AnnouncementMute: the account has read (dismissed) the announcement."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="+")
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE,
                                     related_name="dismissals")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "announcement"],
                                               name="announcement_dismissal_unique")]

    def __str__(self) -> str:
        return f"{self.account_id} read {self.announcement_id}"


class AnnouncementReaction(models.Model):
    """An account's emoji on an announcement: a unicode emoji, or a custom emoji's shortcode
    (then `custom_emoji` is set)."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="+")
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE,
                                     related_name="reactions")
    name = models.CharField(max_length=64)
    custom_emoji = models.ForeignKey(CustomEmoji, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "announcement", "name"],
                                               name="announcement_reaction_unique")]
        indexes = [models.Index(fields=["announcement", "name"], name="announcement_reactions")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.name} {self.announcement_id}"


class InstanceRule(models.Model):
    """One of the server's rules (Mastodon's Rule), shown in order of `position`."""

    text = models.CharField(max_length=300)
    hint = models.TextField(blank=True, default="")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text

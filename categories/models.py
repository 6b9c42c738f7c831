"""SelfCommunity's categories, tags and reactions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Reaction(models.Model):
    """A kind of vote. The default reaction is what a Mastodon favourite records."""

    label = models.CharField(max_length=100)
    image = models.CharField(max_length=500, blank=True, default="")
    sentiment = models.SmallIntegerField(default=1)
    active = models.BooleanField(default=True)
    is_default = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_reaction"
            )
        ]

    def __str__(self) -> str:
        return self.label


class TagType(models.TextChoices):
    USER = "user"
    CATEGORY = "category"
    CONTRIBUTION = "contribution"


class Tag(models.Model):
    """A SelfCommunity tag. Tags of type `user` are held by accounts and address statuses to
    their holders; `contribution` tags label statuses."""

    type = models.CharField(max_length=12, choices=TagType.choices)
    name = models.CharField(max_length=64)
    description = models.CharField(max_length=500, blank=True, default="")
    color = models.CharField(max_length=7, default="#3C3C3C")
    visible = models.BooleanField(default=True)
    visibility_boost = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    deleted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    holders = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="sc_tags")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["type", "name"], name="tag_type_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.type})"


class AutoFollow(models.TextChoices):
    NONE = "none"
    DEFAULT = "default"
    FORCED = "forced"


class StreamOrder(models.TextChoices):
    RECENT = "recent"
    LAST_ACTIVITY = "last_activity"
    RELEVANCE = "relevance"


class Category(models.Model):
    """A SelfCommunity category. Statuses carry categories; a category's ancestors (`parents`,
    followed upwards) are added to a status automatically."""

    name = models.CharField(max_length=255, unique=True)
    slug = models.SlugField(max_length=255, unique=True)
    order = models.IntegerField(default=0)
    name_synonyms = models.TextField(blank=True, default="")
    slogan = models.CharField(max_length=255, blank=True, default="")
    html_info = models.TextField(blank=True, default="")
    seo_title = models.CharField(max_length=255, blank=True, default="")
    seo_description = models.TextField(blank=True, default="")
    auto_follow = models.CharField(max_length=8, choices=AutoFollow.choices,
                                   default=AutoFollow.NONE)
    content_only_staff = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    deleted = models.BooleanField(default=False)
    image_original = models.URLField(max_length=1000, blank=True, default="")
    emotional_image_original = models.URLField(max_length=1000, blank=True, default="")
    emotional_image_position = models.IntegerField(default=50)
    stream_order_by = models.CharField(max_length=14, choices=StreamOrder.choices,
                                       default=StreamOrder.RECENT)
    followers_count = models.PositiveIntegerField(default=0)
    lastmod_at = models.DateTimeField(auto_now=True)
    parents = models.ManyToManyField("self", symmetrical=False, blank=True,
                                     related_name="children")
    tags = models.ManyToManyField(Tag, blank=True, related_name="categories",
                                  limit_choices_to={"type": TagType.CATEGORY})

    class Meta:
        verbose_name_plural = "categories"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

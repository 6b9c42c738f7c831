"""Reactions (SelfCommunity's vote kinds). Categories and tags arrive with their issues."""

from django.db import models
from django.db.models import Q


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

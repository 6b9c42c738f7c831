"""What the periodic trends task ranked (trends/services.py), read by the requests; and the
suggestions each account dismissed."""

from django.conf import settings
from django.db import models


class TrendingStatus(models.Model):
    """A status's place in the trends the last run computed (rank 0 first). Deleting the status
    removes its row; a status made private since is left out at request time."""

    status = models.OneToOneField("statuses.Status", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveIntegerField(unique=True)
    score = models.FloatField()

    def __str__(self) -> str:
        return f"#{self.rank} status {self.status_id}"


class TrendingTag(models.Model):
    """A hashtag's place in the trends, with its `history` (Mastodon's last seven days, newest
    first: `[{"day", "uses", "accounts"}]`, strings) as the run counted it."""

    hashtag = models.OneToOneField("statuses.Hashtag", on_delete=models.CASCADE,
                                   related_name="+")
    rank = models.PositiveIntegerField(unique=True)
    score = models.FloatField()
    history = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"#{self.rank} tag {self.hashtag_id}"


class TrendingLink(models.Model):
    """A preview card's place in the trends, with its `history` (as TrendingTag's)."""

    card = models.OneToOneField("statuses.PreviewCard", on_delete=models.CASCADE,
                                related_name="+")
    rank = models.PositiveIntegerField(unique=True)
    score = models.FloatField()
    history = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"#{self.rank} link {self.card_id}"


class SuggestionDismissal(models.Model):
    """DELETE /api/v1/suggestions/:account_id (Mastodon's FollowRecommendationMute): `target` is
    never suggested to `account` again."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="+")
    target = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "target"],
                                               name="suggestion_dismissal_unique")]

    def __str__(self) -> str:
        return f"{self.account_id} dismissed {self.target_id}"

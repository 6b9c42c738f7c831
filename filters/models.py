"""An account's filters (Mastodon's CustomFilter): a title, the contexts it applies in, what it
does (warn, hide, blur), an optional expiry, and its rules: keywords and statuses. Statuses are
named by string, as conversations do: this app sits below statuses, whose page loader reads it."""

from django.conf import settings
from django.db import models

CONTEXTS = ("home", "notifications", "public", "thread", "account")


class FilterAction(models.TextChoices):
    WARN = "warn"
    HIDE = "hide"
    BLUR = "blur"


class Filter(models.Model):
    id = models.BigAutoField(primary_key=True)
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="+")
    title = models.TextField()
    # A list of CONTEXTS, as Mastodon's array column.
    context = models.JSONField(default=list)
    action = models.CharField(max_length=8, choices=FilterAction.choices,
                              default=FilterAction.WARN)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["account", "id"], name="filter_account")]

    def __str__(self) -> str:
        return f"Filter {self.pk} of {self.account_id}: {self.title}"


class FilterKeyword(models.Model):
    id = models.BigAutoField(primary_key=True)
    filter = models.ForeignKey(Filter, on_delete=models.CASCADE, related_name="keywords")
    keyword = models.TextField()
    whole_word = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Keyword {self.keyword!r} of filter {self.filter_id}"


class FilterStatus(models.Model):
    id = models.BigAutoField(primary_key=True)
    filter = models.ForeignKey(Filter, on_delete=models.CASCADE, related_name="statuses")
    status = models.ForeignKey("statuses.Status", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["filter", "status"],
                                               name="filter_status_unique")]

    def __str__(self) -> str:
        return f"Status {self.status_id} in filter {self.filter_id}"

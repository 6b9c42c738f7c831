"""The moderation log: one row per moderator action, written by moderation.services only."""

from django.conf import settings
from django.db import models


class ModerationType(models.IntegerChoices):
    """Why a moderator acted (SelfCommunity's moderation_type, the same 0-4 as flag types)."""

    SPAM = 0, "spam"
    AGGRESSIVE = 1, "aggressive"
    VULGAR = 2, "vulgar"
    POOR = 3, "poor"
    OFFTOPIC = 4, "offtopic"


class ActionType(models.TextChoices):
    COLLAPSE = "collapse", "collapse"
    UNCOLLAPSE = "uncollapse", "uncollapse"
    DELETE = "delete", "delete"
    RESTORE = "restore", "restore"
    MARK_SENSITIVE = "mark_sensitive", "mark sensitive"
    UNMARK_SENSITIVE = "unmark_sensitive", "unmark sensitive"
    DISMISS_FLAGS = "dismiss_flags", "dismiss flags"
    REOPEN_FLAGS = "reopen_flags", "reopen flags"
    SCOLD_AUTHOR = "scold_author", "scold author"
    SCOLD_FLAGGER = "scold_flagger", "scold flagger"
    SUSPEND = "suspend", "suspend"
    UNSUSPEND = "unsuspend", "unsuspend"
    SILENCE = "silence", "silence"
    UNSILENCE = "unsilence", "unsilence"


class ModerationAction(models.Model):
    """Who did what, when, why, on which status or account. Never edited nor deleted: the
    moderator's username is kept so the row still says who acted if that account goes."""

    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="moderation_actions")
    moderator_username = models.CharField(max_length=150, blank=True, default="")
    action = models.CharField(max_length=32, choices=ActionType.choices)
    target_status = models.ForeignKey("statuses.Status", on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="moderation_actions")
    target_account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                       null=True, blank=True, related_name="moderated_by")
    reason = models.TextField(blank=True, default="")
    moderation_type = models.PositiveSmallIntegerField(choices=ModerationType.choices, null=True,
                                                       blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=False)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="modaction_created"),
            models.Index(fields=["target_status", "-id"], name="modaction_status"),
            models.Index(fields=["target_account", "-id"], name="modaction_account"),
        ]

    def __str__(self) -> str:
        target = (f"status {self.target_status_id}" if self.target_status_id is not None
                  else f"account {self.target_account_id}")
        return f"{self.moderator_username or '?'}: {self.action} {target}"

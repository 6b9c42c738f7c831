"""The notification store and the reading positions (markers).

The store sits below accounts and statuses (.importlinter), so their services write to it in the
transaction of the act: it names the models it points at by string, as media does, and imports
no app above it."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class NotificationType(models.TextChoices):
    """Mastodon 4.5's notification types (the store's names; SelfCommunity's are derived)."""

    MENTION = "mention"
    STATUS = "status"
    REBLOG = "reblog"
    FOLLOW = "follow"
    FOLLOW_REQUEST = "follow_request"
    FAVOURITE = "favourite"
    POLL = "poll"
    UPDATE = "update"
    QUOTE = "quote"
    QUOTED_UPDATE = "quoted_update"
    MODERATION_WARNING = "moderation_warning"
    ADMIN_REPORT = "admin.report"
    # Not a Mastodon type: a reply to the recipient's status or comment, which SelfCommunity
    # shows as `comment` / `nested_comment`. Mastodon tells of a reply only when it mentions
    # (a `mention` row is written then), so its face never lists these.
    REPLY = "reply"


class Notification(models.Model):
    """Something `from_account` did that `recipient` is told about. `status` is the status the
    act is about (the original of a reblog, the favourited status, the mention...). Rows are
    kept while their status lives; what the recipient may not see any more (the status deleted
    or hidden, the sender blocked or muted since) is left out when read."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="+")
    from_account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                     related_name="+")
    type = models.CharField(max_length=32, choices=NotificationType.choices)
    status = models.ForeignKey("statuses.Status", on_delete=models.CASCADE, null=True,
                               blank=True, related_name="+")
    # admin.report: the flag a moderator is told about; moderation_warning: the moderator's act.
    flag = models.ForeignKey("statuses.Flag", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+")
    moderation_action = models.ForeignKey("moderation.ModerationAction",
                                          on_delete=models.CASCADE, null=True, blank=True,
                                          related_name="+")
    # Mastodon 4.3+'s grouping: "favourite-<status>-<hour bucket>"; empty for ungrouped types
    # (shown as "ungrouped-<id>").
    group_key = models.CharField(max_length=80, blank=True, default="")
    # Kept out of the lists by the recipient's notification policy until accepted.
    filtered = models.BooleanField(default=False)
    # SelfCommunity's read state (`is_new`, POST /api/v2/notification/read/, unseen count);
    # Mastodon's unread state is its notifications marker instead.
    read = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # Every list and cursor: a recipient's notifications, newest first.
            models.Index(fields=["recipient", "-id"], name="notification_recipient"),
            # A group: its members, newest first; the previous group of a kind (its bucket).
            models.Index(fields=["recipient", "group_key", "-id"], name="notification_group"),
            # `account_id=` and the notifications from an account (requests, blocks).
            models.Index(fields=["recipient", "from_account", "-id"], name="notification_from"),
            # Undo acts remove what they created (unfavourite, unreblog, unfollow).
            models.Index(fields=["from_account", "type", "status"], name="notification_act"),
        ]

    def __str__(self) -> str:
        return f"{self.type} for {self.recipient_id} from {self.from_account_id}"

    @property
    def shown_group_key(self) -> str:
        return self.group_key or f"ungrouped-{self.pk}"


class MarkerTimeline(models.TextChoices):
    HOME = "home"
    NOTIFICATIONS = "notifications"


class Marker(models.Model):
    """Where an account stopped reading a timeline (Mastodon's markers); `version` counts the
    saves, for clients that check they did not overwrite another device's."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="+")
    timeline = models.CharField(max_length=16, choices=MarkerTimeline.choices)
    last_read_id = models.BigIntegerField(default=0)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "timeline"],
                                               name="marker_unique")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.timeline} at {self.last_read_id}"


class PolicyChoice(models.TextChoices):
    ACCEPT = "accept"
    FILTER = "filter"
    DROP = "drop"


class NotificationPolicy(models.Model):
    """Mastodon 4.3+'s notification policy: what becomes of a notification from a sender of each
    kind (accepted, filtered into a request, or dropped). An account without a row has
    Mastodon's defaults."""

    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   related_name="+")
    for_not_following = models.CharField(max_length=6, choices=PolicyChoice.choices,
                                         default=PolicyChoice.ACCEPT)
    for_not_followers = models.CharField(max_length=6, choices=PolicyChoice.choices,
                                         default=PolicyChoice.ACCEPT)
    for_new_accounts = models.CharField(max_length=6, choices=PolicyChoice.choices,
                                        default=PolicyChoice.ACCEPT)
    for_private_mentions = models.CharField(max_length=6, choices=PolicyChoice.choices,
                                            default=PolicyChoice.FILTER)
    for_limited_accounts = models.CharField(max_length=6, choices=PolicyChoice.choices,
                                            default=PolicyChoice.FILTER)

    FIELDS = ("for_not_following", "for_not_followers", "for_new_accounts",
              "for_private_mentions", "for_limited_accounts")

    def __str__(self) -> str:
        return f"policy of {self.account_id}"


class NotificationRequest(models.Model):
    """The filtered notifications one sender sent one account, waiting to be accepted or
    dismissed (Mastodon's notification request)."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="+")
    from_account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                     related_name="+")
    last_status = models.ForeignKey("statuses.Status", on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+")
    notifications_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "from_account"],
                                               name="notification_request_unique")]
        indexes = [models.Index(fields=["account", "-id"], name="notification_request_list")]

    def __str__(self) -> str:
        return f"request of {self.from_account_id} to {self.account_id}"


class NotificationPermission(models.Model):
    """An accepted request: the sender's notifications reach the account whatever its policy."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="+")
    from_account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                     related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "from_account"],
                                               name="notification_permission_unique")]

    def __str__(self) -> str:
        return f"{self.from_account_id} may notify {self.account_id}"

"""Each participant's row for the direct statuses of a thread (Mastodon's AccountConversation),
and the statuses it holds. Statuses are named by string, as media and notifications do: this app
sits below statuses, whose services write it in the transaction that posts a direct status."""

from django.conf import settings
from django.db import models


class AccountConversation(models.Model):
    """One account's conversation: the direct statuses of one thread (`thread`, its root) among
    one set of participants. As in Mastodon, the same thread with other participants is another
    conversation, and each participant has their own row, read (`unread`) and removed alone."""

    id = models.BigAutoField(primary_key=True)
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="+")
    thread = models.ForeignKey("statuses.Status", on_delete=models.CASCADE, related_name="+")
    # The other participants' ids, ascending (empty for a status addressed to nobody else);
    # `participants_key` spells them for the unique constraint.
    participant_ids = models.JSONField(default=list)
    participants_key = models.CharField(max_length=64)
    # The newest live status it holds: the list's order and cursor.
    last_status = models.ForeignKey("statuses.Status", on_delete=models.CASCADE,
                                    related_name="+")
    unread = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "thread", "participants_key"],
                                    name="account_conversation_unique"),
        ]
        indexes = [
            # GET /api/v1/conversations: the owner's rows by last status, newest first; the
            # cursors (max_id, since_id, min_id) are ranges of it.
            models.Index(fields=["account", "-last_status"], name="conversation_account_last"),
        ]

    def __str__(self) -> str:
        return f"Conversation {self.pk} of {self.account_id} in thread {self.thread_id}"


class ConversationStatus(models.Model):
    """A direct status a conversation holds (Mastodon's `status_ids`). Kept when the status is
    deleted, so that a restore finds its place again; the conversation's `last_status` is the
    newest live one."""

    conversation = models.ForeignKey(AccountConversation, on_delete=models.CASCADE,
                                     related_name="links")
    status = models.ForeignKey("statuses.Status", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "status"],
                                    name="conversation_status_unique"),
        ]
        # The edits and deletes of a status find the conversations holding it.
        indexes = [models.Index(fields=["status"], name="conversation_status_status")]

    def __str__(self) -> str:
        return f"Conversation {self.conversation_id} holds status {self.status_id}"

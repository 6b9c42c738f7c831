"""Reads for moderation: who is a moderator, and the log."""

from django.db.models import QuerySet

from moderation.models import ModerationAction


def is_moderator(account) -> bool:
    """Superusers, members of the `Moderators` group, and (as before this app) staff accounts.
    The token lookup reads the group membership with the token, so this costs no query there."""
    return account is not None and account.is_active and account.is_moderator


def moderation_actions_for_status(*, status_id: int) -> QuerySet[ModerationAction]:
    return ModerationAction.objects.filter(target_status_id=status_id).order_by("-id")

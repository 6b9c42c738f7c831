"""Mastodon's Conversation entity (REST::ConversationSerializer), rendered as a plain dict from
what the face loaded: pure, no query."""

from accounts.mastodon.serializers import serialize_account


def serialize_conversation(conversation, accounts, last_status: dict | None) -> dict:
    """`accounts`, the other participants (Account rows); `last_status`, the Status as its
    reader may see it, or None when they may not."""
    return {
        "id": str(conversation.pk),
        "unread": conversation.unread,
        "accounts": [serialize_account(account) for account in accounts],
        "last_status": last_status,
    }

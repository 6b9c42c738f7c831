"""Showing conversations in Mastodon's shape: a page of them loaded in a fixed number of
statements (the rows' participants, their last statuses through the one visibility rule and the
statuses' page loader), then rendered by the pure serializer. `render_conversation` is what the
streaming API sends for a `conversation` event."""

from conversations.mastodon.serializers import serialize_conversation
from conversations.selectors import conversation_get_own_or_none, participants_of
from statuses.mastodon.present import show_statuses
from statuses.selectors.embedded import visible_statuses_for_page


def show_conversations(conversations, viewer) -> list[dict]:
    """Each conversation of `viewer` (their own rows) with its other participants and its last
    status, which shows only when `viewer` may see it now (null otherwise: collapsed by the
    moderators, its author suspended since)."""
    conversations = list(conversations)
    accounts = participants_of(conversations, viewer)
    loaded = visible_statuses_for_page([c.last_status_id for c in conversations], viewer)
    statuses = [loaded[c.last_status_id] for c in conversations if c.last_status_id in loaded]
    shown = {int(data["id"]): data for data in show_statuses(statuses, viewer)}
    return [serialize_conversation(c, accounts[c.pk], shown.get(c.last_status_id))
            for c in conversations]


def show_conversation(conversation, viewer) -> dict:
    return show_conversations([conversation], viewer)[0]


def render_conversation(viewer, conversation_id: int) -> dict | None:
    """The Conversation `viewer` is shown for `conversation_id` (the payload of the streaming
    API's `conversation` event), or None when they have no such conversation (another's, or
    removed since the event was announced)."""
    if viewer is None:
        return None
    conversation = conversation_get_own_or_none(account=viewer, conversation_id=conversation_id)
    if conversation is None:
        return None
    return show_conversation(conversation, viewer)

"""Writes of conversations: a direct status added to a participant's conversation, a status
edited, deleted or restored, a conversation read or removed by its owner. Each announces
`conversation_updated` once its transaction commits (config/events.py).

Who receives a direct status is the statuses services' rule (statuses/services/direct.py); here
is only the store."""

import hashlib

from django.db import IntegrityError, transaction
from django.db.models import Max

from config import errors, events
from conversations.models import AccountConversation, ConversationStatus

RECORD_NOT_FOUND = "Record not found"


def participants_key(participant_ids) -> str:
    """The unique spelling of a set of participants (a digest, so that a status mentioning many
    accounts still fits an index)."""
    spelled = ",".join(str(pk) for pk in sorted(set(participant_ids)))
    return hashlib.sha256(spelled.encode()).hexdigest()


def _announce(conversation: AccountConversation) -> None:
    events.announce(events.conversation_updated, conversation_id=conversation.pk,
                    account_id=conversation.account_id)


def _newest_live_status(conversation_id: int) -> int | None:
    return (ConversationStatus.objects
            .filter(conversation_id=conversation_id, status__deleted_at__isnull=True)
            .aggregate(newest=Max("status_id"))["newest"])


def _locked_or_new(*, account_id: int, thread_id: int, participant_ids: list[int],
                   status_id: int, unread: bool) -> tuple[AccountConversation, bool]:
    """The conversation, locked; made (holding nothing yet) when there is none. Two posts racing
    into a new conversation meet on the unique constraint, and the second locks the first's row."""
    key = participants_key(participant_ids)
    found = (AccountConversation.objects.select_for_update()
             .filter(account_id=account_id, thread_id=thread_id, participants_key=key).first())
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            return AccountConversation.objects.create(
                account_id=account_id, thread_id=thread_id, participants_key=key,
                participant_ids=sorted(set(participant_ids)), last_status_id=status_id,
                unread=unread), True
    except IntegrityError:
        return (AccountConversation.objects.select_for_update()
                .get(account_id=account_id, thread_id=thread_id, participants_key=key), False)


@transaction.atomic
def conversation_add_status(*, account_id: int, thread_id: int, participant_ids: list[int],
                            status_id: int, unread: bool) -> AccountConversation:
    """AccountConversation.add_status: `status_id` joins the account's conversation of
    `thread_id` among `participant_ids` (the others), made if needed. A status new to it and
    newest in it sets `unread` (false when the account wrote it: posting in a conversation reads
    it); an older one, or one it already holds (a restore), changes only the last status."""
    conversation, _ = _locked_or_new(account_id=account_id, thread_id=thread_id,
                                     participant_ids=participant_ids, status_id=status_id,
                                     unread=unread)
    _, added = ConversationStatus.objects.get_or_create(conversation=conversation,
                                                        status_id=status_id)
    newest = _newest_live_status(conversation.pk) or status_id
    changed = []
    # `unread` follows the newest status: one that commits after a newer one (two participants
    # posting at once; a restore) leaves it as the newer one set it.
    if added and status_id == newest and conversation.unread != unread:
        conversation.unread = unread
        changed.append("unread")
    if conversation.last_status_id != newest:
        conversation.last_status_id = newest
        changed.append("last_status")
    if changed:
        conversation.save(update_fields=changed)
    if added or changed:
        _announce(conversation)
    return conversation


@transaction.atomic
def conversation_remove_status(*, status_id: int) -> None:
    """A status of conversations left everyone's sight (deleted, or no longer direct): each
    conversation holding it falls back to its newest live status, or goes when none is left."""
    held = (AccountConversation.objects.select_for_update()
            .filter(links__status_id=status_id).order_by("pk"))
    for conversation in held:
        newest = _newest_live_status(conversation.pk)
        if newest is None:
            _announce(conversation)
            conversation.delete()
        elif newest != conversation.last_status_id:
            conversation.last_status_id = newest
            conversation.save(update_fields=["last_status"])
            _announce(conversation)


def conversation_status_edited(*, status_id: int) -> None:
    """A status was edited: the conversations that show it as their last status show it anew
    (nothing is written; the streams are told)."""
    for conversation in AccountConversation.objects.filter(last_status_id=status_id):
        _announce(conversation)


def _own(*, account, conversation_id: int | None) -> AccountConversation:
    found = (AccountConversation.objects.select_for_update()
             .filter(pk=conversation_id, account=account).first()
             if conversation_id is not None and account is not None else None)
    if found is None:
        raise errors.NotFound(RECORD_NOT_FOUND)
    return found


@transaction.atomic
def _mark(*, account, conversation_id: int | None, unread: bool) -> AccountConversation:
    conversation = _own(account=account, conversation_id=conversation_id)
    if conversation.unread != unread:
        conversation.unread = unread
        conversation.save(update_fields=["unread"])
    _announce(conversation)
    return conversation


def conversation_mark_read(*, account, conversation_id: int | None) -> AccountConversation:
    """POST /api/v1/conversations/:id/read: the owner's conversation is read (someone else's,
    or none, is a 404)."""
    return _mark(account=account, conversation_id=conversation_id, unread=False)


def conversation_mark_unread(*, account, conversation_id: int | None) -> AccountConversation:
    """POST /api/v1/conversations/:id/unread (Mastodon 4.2, mastodon#25509): unread again."""
    return _mark(account=account, conversation_id=conversation_id, unread=True)


@transaction.atomic
def conversation_remove(*, account, conversation_id: int | None) -> None:
    """DELETE /api/v1/conversations/:id: the owner removes the conversation from their own list;
    the other participants keep theirs. A new status in it brings it back."""
    conversation = _own(account=account, conversation_id=conversation_id)
    _announce(conversation)
    conversation.delete()

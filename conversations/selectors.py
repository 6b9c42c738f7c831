"""Reads of conversations: an account's page of them, by last status as Mastodon pages them, one
of them, and their participants. Only their owner ever reads them."""

from accounts.models import Account
from config import errors
from conversations.models import AccountConversation

RECORD_NOT_FOUND = "Record not found"


def conversations_page(*, account, limit: int, max_id: int | None = None,
                       since_id: int | None = None, min_id: int | None = None
                       ) -> list[AccountConversation]:
    """AccountConversation.to_a_paginated_by_id: the account's conversations newest last status
    first, `limit` of them; cursors are last status ids. With `min_id`, the ones just above it
    (and below `max_id`), still newest first; otherwise below `max_id` and above `since_id`.
    One statement, on the (account, last status) index."""
    if limit <= 0 or account is None:
        return []
    rows = AccountConversation.objects.filter(account=account)
    if max_id is not None:
        rows = rows.filter(last_status_id__lt=max_id)
    if min_id is not None:
        page = list(rows.filter(last_status_id__gt=min_id).order_by("last_status_id")[:limit])
        page.reverse()
        return page
    if since_id is not None:
        rows = rows.filter(last_status_id__gt=since_id)
    return list(rows.order_by("-last_status_id")[:limit])


def conversation_get_own(*, account, conversation_id: int | None) -> AccountConversation:
    """One of the account's conversations; anyone else's, or none, is a 404."""
    found = (AccountConversation.objects.filter(pk=conversation_id, account=account).first()
             if conversation_id is not None and account is not None else None)
    if found is None:
        raise errors.NotFound(RECORD_NOT_FOUND)
    return found


def conversation_get_own_or_none(*, account, conversation_id: int) -> AccountConversation | None:
    return AccountConversation.objects.filter(pk=conversation_id, account_id=account.pk).first()


def participants_of(conversations, owner) -> dict[int, list[Account]]:
    """Each conversation's other participants in id order, by conversation id (the owner alone
    for a conversation with nobody else, as Mastodon shows it): one statement for a page. As in
    Mastodon, accounts the owner blocks or mutes are shown, and suspended ones as suspended."""
    wanted = {pk for conversation in conversations for pk in conversation.participant_ids}
    accounts = Account.objects.in_bulk(wanted) if wanted else {}
    found = {}
    for conversation in conversations:
        shown = [accounts[pk] for pk in conversation.participant_ids if pk in accounts]
        found[conversation.pk] = shown or [owner]
    return found

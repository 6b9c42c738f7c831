"""Direct statuses into their participants' conversations (Mastodon's AccountConversation,
stored by conversations.services), in the transaction of the act: a post (published from a
schedule too), a SelfCommunity comment on a direct status, an edit, a delete and a restore.

Who receives a direct status, as Mastodon decides it: its author always
(FanOutOnWriteService#deliver_to_conversation!, read, since one's own post reads the
conversation), and each account it mentions aloud whose mention notification Mastodon would
deliver (NotifyService#push_to_conversation!, unread): not one who blocks the author or mutes
their notifications, has muted the thread, blocks or mutes the notifications of anyone else it
mentions or answers, is suspended or disabled, or does not follow a silenced author. The
participants of each conversation are the author and those it mentions aloud, but the receiver.

A SelfCommunity comment keeps its status's audience (`audience`): a comment on a direct status
is seen by that status's author and the accounts it mentions, so those are its participants
and receivers, whatever the comment itself mentions.
"""

from collections.abc import Iterable

from django.db.models import Q

from accounts.models import Account, Block, Follow, Mute, Visibility
from conversations import services as conversations
from statuses.models import ConversationMute, Mention, Status


def thread_of(status: Status) -> int:
    """A thread's key: its root (a root is its own)."""
    return status.thread_root_id or status.pk


def _aloud(status_id: int) -> set[int]:
    return set(Mention.objects.filter(status_id=status_id, silent=False)
               .values_list("account_id", flat=True))


def _participants(status: Status) -> set[int]:
    """The author and the accounts mentioned aloud; for a comment keeping a status's audience,
    that status's."""
    if status.audience_id is not None:
        author = Status.objects.values_list("account_id", flat=True).get(pk=status.audience_id)
        return {status.account_id, author, *_aloud(status.audience_id)}
    return {status.account_id, *_aloud(status.pk)}


def _not_notified(status: Status, receivers: set[int]) -> set[int]:
    """The receivers whose mention notification Mastodon drops (NotifyService's drop?, its
    blocked_mention? through FeedManager#filter_from_mentions?), in at most five statements."""
    if not receivers:
        return set()
    author = status.account_id
    # Blocking, or muting the notifications of, the author, anyone mentioned or the account
    # answered drops the mention.
    watched = {author, *_aloud(status.pk)}
    if status.in_reply_to_account_id is not None:
        watched.add(status.in_reply_to_account_id)
    dropped = set(Block.objects.filter(account_id__in=receivers, target_id__in=watched)
                  .values_list("account_id", flat=True))
    dropped |= set(Mute.objects.active().filter(account_id__in=receivers, target_id__in=watched,
                                                hide_notifications=True)
                   .values_list("account_id", flat=True))
    dropped |= set(ConversationMute.objects.filter(account_id__in=receivers,
                                                   thread_id=thread_of(status))
                   .values_list("account_id", flat=True))
    dropped |= set(Account.objects.filter(pk__in=receivers)
                   .filter(Q(suspended_at__isnull=False) | Q(is_active=False))
                   .values_list("pk", flat=True))
    if Account.objects.filter(pk=author, silenced_at__isnull=False).exists():
        following = set(Follow.objects.filter(account_id__in=receivers, target_id=author,
                                              accepted=True).values_list("account_id", flat=True))
        dropped |= receivers - following
    return dropped


def _deliver(status: Status, *, to: Iterable[int] | None = None) -> None:
    everyone = _participants(status)
    author = status.account_id
    receivers = (everyone if to is None else set(to) & everyone) - {author}
    receivers -= _not_notified(status, receivers)
    # In account order, whoever wrote it: two participants posting into their conversation at
    # once lock its rows in the same order, so neither waits on the other's second lock.
    accounts = sorted(receivers if to is not None else receivers | {author})
    for account_id in accounts:
        conversations.conversation_add_status(
            account_id=account_id, thread_id=thread_of(status),
            participant_ids=sorted(everyone - {account_id}), status_id=status.pk,
            unread=account_id != author)


def _is_direct(status: Status) -> bool:
    return status.visibility == Visibility.DIRECT and status.reblog_of_id is None


def direct_status_posted(*, status: Status) -> None:
    """A status was posted, published or restored: a direct one joins its author's
    conversation and its receivers'."""
    if _is_direct(status):
        _deliver(status)


def direct_status_edited(*, status: Status, was_direct: bool = True,
                         new_mention_ids: Iterable[int] = ()) -> None:
    """A status was edited: the conversations showing it show it anew; the accounts the edit
    mentions for the first time receive it as a new mention (a comment's receivers are its
    status's, whatever it mentions); a status no longer direct leaves them."""
    if not was_direct:
        return
    if not _is_direct(status):
        conversations.conversation_remove_status(status_id=status.pk)
        return
    conversations.conversation_status_edited(status_id=status.pk)
    new = set(new_mention_ids)
    if new and status.audience_id is None:
        _deliver(status, to=new)


def direct_status_reshown(*, status: Status) -> None:
    """Who may see a status changed (moderators collapsed or uncollapsed it): the conversations
    showing it show it anew (their readers may see it now, or not)."""
    if _is_direct(status):
        conversations.conversation_status_edited(status_id=status.pk)


def direct_status_deleted(*, status: Status) -> None:
    """A status was deleted: each conversation holding it falls back to its newest live status,
    or goes."""
    if _is_direct(status):
        conversations.conversation_remove_status(status_id=status.pk)

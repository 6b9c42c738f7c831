"""What the writes of statuses tell others, through the notification store: a new status's
mentions, quote, reply and followers' bells; an edit's boosters and quoters; the moderators of
a flag. Steps called inside the act's transaction by posting.py, contributions.py,
comments.py, interactions.py and feedback.py."""

from collections.abc import Iterable

from django.db.models import Q

from accounts.models import MODERATORS_GROUP, Account, Follow, Visibility
from notifications import services as notifications
from notifications.models import NotificationType
from statuses.models import QuoteState, Status


def status_announce_new(*, status: Status, mentioned: Iterable[int]) -> None:
    """A status was posted (or published from a schedule): the accounts it mentions
    (`mentioned`, as the write resolved them: `mention`), the author it quotes (`quote`), the
    author it answers (`reply`, which only SelfCommunity shows) and the followers who rang its
    author's bell (`status`). A plain status of an author without followers reads nothing."""
    author = status.account_id
    mentioned = set(mentioned)
    notifications.notify_many(recipient_ids=mentioned, from_account_id=author,
                              type=NotificationType.MENTION, status_id=status.pk)
    if status.quote_of_id is not None and status.quote_state == QuoteState.ACCEPTED:
        quoted_author = (Status.objects.filter(pk=status.quote_of_id)
                         .values_list("account_id", flat=True).first())
        if quoted_author is not None:
            notifications.notify(recipient_id=quoted_author, from_account_id=author,
                                 type=NotificationType.QUOTE, status_id=status.pk)
    if status.in_reply_to_account_id is not None and status.in_reply_to_account_id != author:
        notifications.notify(recipient_id=status.in_reply_to_account_id,
                             from_account_id=author, type=NotificationType.REPLY,
                             status_id=status.pk)
    # Mastodon's FeedInsertWorker: a follower with `notify` hears of what reaches their home
    # timeline: no reblogs, no direct statuses, no replies to others.
    if (status.reblog_of_id is None and status.visibility != Visibility.DIRECT
            and status.in_reply_to_account_id in (None, author)
            and status.account.followers_count > 0):
        ringing = (Follow.objects.filter(target_id=author, accepted=True, notify=True)
                   .exclude(account_id__in=mentioned).values_list("account_id", flat=True))
        if status.addressed:
            ringing = ringing.none()  # an addressed status reaches its tag holders only
        notifications.notify_many(recipient_ids=list(ringing), from_account_id=author,
                                  type=NotificationType.STATUS, status_id=status.pk)


def status_announce_edit(*, status: Status, new_mentions=()) -> None:
    """A status was edited: the accounts it mentions now and did not before (`mention`), those
    who boosted it (`update`) and those whose statuses quote it (`quoted_update`, about their
    quoting status) are told."""
    notifications.notify_many(recipient_ids=set(new_mentions), from_account_id=status.account_id,
                              type=NotificationType.MENTION, status_id=status.pk)
    boosters = set(Status.objects.filter(reblog_of_id=status.pk, deleted_at__isnull=True)
                   .values_list("account_id", flat=True))
    notifications.notify_many(recipient_ids=boosters, from_account_id=status.account_id,
                              type=NotificationType.UPDATE, status_id=status.pk)
    quoting = Status.objects.filter(quote_of_id=status.pk, quote_state=QuoteState.ACCEPTED,
                                    deleted_at__isnull=True).values_list("pk", "account_id")
    for quoting_id, quoting_author in quoting:
        notifications.notify(recipient_id=quoting_author, from_account_id=status.account_id,
                             type=NotificationType.QUOTED_UPDATE, status_id=quoting_id)


def status_announce_favourite(*, status: Status, account: Account, made: bool) -> None:
    """A favourite (a SelfCommunity vote) was made, or taken back."""
    if made:
        notifications.notify(recipient_id=status.account_id, from_account_id=account.pk,
                             type=NotificationType.FAVOURITE, status_id=status.pk)
    else:
        notifications.notifications_withdraw(from_account_id=account.pk, status_id=status.pk,
                                             types=(NotificationType.FAVOURITE,))


def status_announce_reblog(*, original: Status, account: Account, made: bool) -> None:
    if made:
        notifications.notify(recipient_id=original.account_id, from_account_id=account.pk,
                             type=NotificationType.REBLOG, status_id=original.pk)
    else:
        reblog_withdrawn(account_id=account.pk, original_id=original.pk)


def reblog_withdrawn(*, account_id: int, original_id: int) -> None:
    """A reblog went (unreblogged, or its wrapper deleted): so does what it told."""
    notifications.notifications_withdraw(from_account_id=account_id, status_id=original_id,
                                         types=(NotificationType.REBLOG,))


def status_announce_flag(*, status: Status, account: Account, flag_id: int) -> None:
    """A flag now stands: every moderator is told (`admin.report`)."""
    moderators = Account.objects.filter(is_active=True).filter(
        Q(is_staff=True) | Q(is_superuser=True) | Q(groups__name=MODERATORS_GROUP)
    ).values_list("pk", flat=True).distinct()
    notifications.notify_many(recipient_ids=list(moderators), from_account_id=account.pk,
                              type=NotificationType.ADMIN_REPORT, status_id=status.pk,
                              flag_id=flag_id)

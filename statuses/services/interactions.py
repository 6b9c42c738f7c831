"""Interactions with a status: favourite (a vote with the default reaction), reblog, bookmark,
conversation mute and pin (sections I and J of the behaviour spec).

Counters move only when a row is really inserted or deleted, in the same transaction, so they
equal the rows however many requests race: a duplicate insert waits on the unique index and then
fails, a duplicate delete waits on the row and then deletes nothing.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest

from accounts.models import Account, Block, Visibility
from config import errors, events
from statuses.models import Bookmark, ConversationMute, Pin, Status, Vote
from statuses.selectors.single import status_get_any, status_get_visible
from statuses.services import notifying

PIN_LIMIT = 5
NOT_ALLOWED = "This action is not allowed"


def _proper(status: Status) -> Status:
    """Interactions with a reblog act on its original."""
    return status.reblog_of if status.reblog_of_id is not None else status


def _blocks(account: Account, target_id: int) -> bool:
    return Block.objects.filter(account=account, target_id=target_id).exists()


def _refresh_counters(status: Status) -> Status:
    status.replies_count, status.reblogs_count, status.likes_count = Status.objects.filter(
        pk=status.pk
    ).values_list("replies_count", "reblogs_count", "likes_count").get()
    return status


def _insert(model, **fields) -> bool:
    """Insert one row; False when the unique constraint says it is already there."""
    try:
        with transaction.atomic():
            model.objects.create(**fields)
        return True
    except IntegrityError:
        return False


# --- favourites -----------------------------------------------------------------------------

@transaction.atomic
def status_favourite(*, account: Account, status_id: int | None) -> Status:
    status = _proper(status_get_visible(status_id=status_id, viewer=account))
    if status.account_id != account.pk and _blocks(account, status.account_id):
        raise errors.NotAllowed(NOT_ALLOWED)
    if _insert(Vote, status=status, account=account, reaction=None):
        Status.objects.filter(pk=status.pk).update(likes_count=F("likes_count") + 1)
        notifying.status_announce_favourite(status=status, account=account, made=True)
    return _refresh_counters(status)


@transaction.atomic
def status_unfavourite(*, account: Account, status_id: int | None) -> Status:
    """Works on a status the caller can no longer see, as long as the vote exists."""
    status = status_get_any(status_id=status_id)
    status = _proper(status) if status is not None else None
    if status is None or not Vote.objects.filter(status=status, account=account).exists():
        status = _proper(status_get_visible(status_id=status_id, viewer=account))
    deleted, _ = Vote.objects.filter(status=status, account=account).delete()
    if deleted:
        Status.objects.filter(pk=status.pk).update(likes_count=Greatest(F("likes_count") - 1, 0))
        notifying.status_announce_favourite(status=status, account=account, made=False)
    return _refresh_counters(status)


# --- reblogs --------------------------------------------------------------------------------

def _reblog_visibility(*, account: Account, original: Status, requested: str | None) -> int:
    from statuses.services.posting import parse_visibility

    if requested == "direct":
        raise errors.Invalid("Visibility is reserved")
    chosen = parse_visibility(requested)
    if original.visibility == Visibility.PRIVATE:
        return Visibility.PRIVATE
    if chosen is not None:
        return chosen
    if account.default_visibility is not None:
        return account.default_visibility
    return original.visibility


@transaction.atomic
def status_reblog(*, account: Account, status_id: int | None, visibility: str | None = None
                  ) -> Status:
    """Reblog the original of `status_id`; returns the wrapper (the existing one if any)."""
    original = _proper(status_get_visible(status_id=status_id, viewer=account))
    own = original.account_id == account.pk
    if (
        original.visibility >= Visibility.DIRECT
        or (original.visibility == Visibility.PRIVATE and not own)
        or (not own and _blocks(account, original.account_id))
    ):
        raise errors.NotAllowed(NOT_ALLOWED)
    chosen = _reblog_visibility(account=account, original=original, requested=visibility)
    existing = _live_reblog(account, original)
    if existing is not None:
        return existing
    wrapper = Status(
        account=account, reblog_of=original, visibility=chosen, text="", html="", language=None,
    )
    try:
        with transaction.atomic():
            wrapper.save()
    except IntegrityError:
        existing = _live_reblog(account, original)
        if existing is None:
            raise
        return existing
    Status.objects.filter(pk=original.pk).update(reblogs_count=F("reblogs_count") + 1)
    Account.objects.filter(pk=account.pk).update(
        statuses_count=F("statuses_count") + 1, last_status_at=wrapper.created_at.date()
    )
    account.statuses_count += 1
    notifying.status_announce_reblog(original=original, account=account, made=True)
    wrapper.account = account
    wrapper.reblog_of = _refresh_counters(original)
    events.announce(events.status_created, status_id=wrapper.pk)
    return wrapper


def _live_reblog(account: Account, original: Status) -> Status | None:
    wrapper = Status.objects.filter(
        account=account, reblog_of=original, deleted_at__isnull=True
    ).first()
    if wrapper is not None:
        wrapper.account = account
        wrapper.reblog_of = original
    return wrapper


@transaction.atomic
def status_unreblog(*, account: Account, status_id: int | None) -> Status:
    """Undo the caller's reblog of the original `status_id`; returns the original."""
    from statuses.services.posting import status_delete

    wrapper = (
        Status.objects.filter(account=account, reblog_of_id=status_id, deleted_at__isnull=True)
        .first()
        if status_id is not None
        else None
    )
    if wrapper is None:
        return status_get_visible(status_id=status_id, viewer=account)
    status_delete(status=wrapper)
    original = status_get_any(status_id=status_id)
    if original is not None:
        notifying.status_announce_reblog(original=original, account=account, made=False)
    if original is None:
        raise errors.NotFound("Not Found")
    return original


# --- bookmarks ------------------------------------------------------------------------------

@transaction.atomic
def status_bookmark(*, account: Account, status_id: int | None) -> Status:
    status = _proper(status_get_visible(status_id=status_id, viewer=account))
    _insert(Bookmark, status=status, account=account)
    return status


@transaction.atomic
def status_unbookmark(*, account: Account, status_id: int | None) -> Status:
    status = status_get_any(status_id=status_id)
    status = _proper(status) if status is not None else None
    if status is not None and Bookmark.objects.filter(status=status, account=account).delete()[0]:
        return status
    return _proper(status_get_visible(status_id=status_id, viewer=account))


# --- conversation mutes ---------------------------------------------------------------------

def _thread_root_id(status: Status) -> int:
    return status.thread_root_id or status.pk


@transaction.atomic
def status_mute_conversation(*, account: Account, status_id: int | None) -> Status:
    status = _proper(status_get_visible(status_id=status_id, viewer=account))
    _insert(ConversationMute, account=account, thread_id=_thread_root_id(status))
    return status


@transaction.atomic
def status_unmute_conversation(*, account: Account, status_id: int | None) -> Status:
    status = _proper(status_get_visible(status_id=status_id, viewer=account))
    ConversationMute.objects.filter(account=account, thread_id=_thread_root_id(status)).delete()
    return status


# --- pins -----------------------------------------------------------------------------------

@transaction.atomic
def status_pin(*, account: Account, status_id: int | None) -> Status:
    status = status_get_visible(status_id=status_id, viewer=account)
    # Lock the pinner so two concurrent pins cannot both see room for one more.
    Account.objects.select_for_update().filter(pk=account.pk).first()
    problems = []
    if status.reblog_of_id is not None:
        problems.append("A boost cannot be pinned")
    if status.account_id != account.pk:
        problems.append("Someone else's post cannot be pinned")
    if status.visibility >= Visibility.DIRECT:
        problems.append("Posts that are only visible to mentioned users cannot be pinned")
    if Pin.objects.filter(account=account).count() >= PIN_LIMIT:
        problems.append("You have already pinned the maximum number of posts")
    if problems:
        raise errors.Invalid(*problems)
    if not _insert(Pin, account=account, status=status):
        raise errors.Rejected("Duplicate record")
    return status


@transaction.atomic
def status_unpin(*, account: Account, status_id: int | None) -> Status:
    status = status_get_visible(status_id=status_id, viewer=account)
    Pin.objects.filter(account=account, status=status).delete()
    return status

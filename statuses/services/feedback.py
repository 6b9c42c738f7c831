"""SelfCommunity's writes about a status by its readers: vote with a reaction, flag, follow,
suspend notifications, hide for oneself, views; and the author's restore of a deleted status.

The toggles follow the rule of interactions.py: a counter moves only when its row was really
inserted or deleted in the same transaction, so counts equal rows however many requests race.
"""

from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest

from accounts.models import Account, Visibility
from categories.models import Reaction
from config import errors, events
from media import services as media_services
from statuses.models import (
    FeedSeen,
    Flag,
    FlagType,
    NotificationSuspension,
    Status,
    StatusFollow,
    StatusHide,
    StatusView,
    Vote,
)
from statuses.selectors import lists as list_selectors
from statuses.selectors.single import contribution_get_visible
from statuses.selectors.visibility import status_visible_ignoring_deletion
from statuses.services import authored, notifying
from statuses.services.attachments import status_attach_media, status_recount_shares
from statuses.services.direct import direct_status_posted
from statuses.services.interactions import NOT_ALLOWED, _blocks, _insert
from statuses.services.posting import counts_as_reply


def _visible(status_id: int | None, account: Account, comment: bool,
             kind: str | None = None) -> Status:
    """The status (or, with `comment`, the comment) the caller acts on, if they may see it
    (and, with `kind`, if it is a contribution of that type)."""
    if comment:
        from statuses.selectors.comments import comment_get_visible

        return comment_get_visible(comment_id=status_id, viewer=account)
    return contribution_get_visible(status_id=status_id, viewer=account, kind=kind)


def _counter(status_id: int, column: str, delta: int) -> None:
    value = F(column) + delta if delta > 0 else Greatest(F(column) + delta, 0)
    Status.objects.filter(pk=status_id).update(**{column: value})


def _toggle_choice(model, *, status: Status, account: Account, choice: str, value,
                   counter: str) -> bool:
    """The toggle of a row that carries a choice (a vote's reaction, a flag's type): none ->
    made with `value`; the same value again -> removed; another -> switched, count unchanged.
    Returns whether the row stands afterwards."""
    existing = model.objects.select_for_update().filter(status=status, account=account).first()
    if existing is None:
        if _insert(model, status=status, account=account, **{choice: value}):
            _counter(status.pk, counter, 1)
        return True
    if getattr(existing, choice) == value:
        if model.objects.filter(pk=existing.pk).delete()[0]:
            _counter(status.pk, counter, -1)
        return False
    model.objects.filter(pk=existing.pk).update(**{choice: value})
    return True


# --- votes ----------------------------------------------------------------------------------

def _stored_reaction(reaction_id: int | None) -> int | None:
    """What a vote stores for the reaction it asks for: null for the default one (named or
    not), else its id; an unknown or inactive id is an error on the `reaction` field."""
    if reaction_id is None:
        return None
    reaction = Reaction.objects.filter(pk=reaction_id, active=True).first()
    if reaction is None:
        raise errors.does_not_exist("reaction", reaction_id)
    return None if reaction.is_default else reaction.pk


@transaction.atomic
def contribution_vote(*, account: Account, status_id: int | None, reaction_id: int | None,
                      comment: bool = False, kind: str | None = None) -> bool:
    """SelfCommunity's vote toggle (spec 4.6): no vote -> vote with the reaction; the same
    reaction again -> the vote is removed; another reaction -> switched, counts unchanged.
    The default reaction is stored as null, which is what a Mastodon favourite records, so the
    two dialects share the row. Returns whether the account has voted afterwards."""
    status = _visible(status_id, account, comment, kind)
    stored = _stored_reaction(reaction_id)
    if status.account_id != account.pk and _blocks(account, status.account_id):
        raise errors.NotAllowed(NOT_ALLOWED)
    had = Vote.objects.filter(status=status, account=account).exists()
    voted = _toggle_choice(Vote, status=status, account=account, choice="reaction_id",
                           value=stored, counter="likes_count")
    if voted != had:
        # A vote is a favourite: the author is told (Mastodon's favourite, SelfCommunity's
        # vote_up), and taking it back takes the notification back.
        notifying.status_announce_favourite(status=status, account=account, made=voted)
    return voted


# --- flags ----------------------------------------------------------------------------------

def parse_flag_type(raw) -> int:
    """`flag_type` 0-4 as an integer (or its digits); anything else is a field error."""
    if raw is None or raw == "":
        raise errors.Invalid("This field is required.", code="required", field="flag_type")
    return errors.choice_value(raw, field="flag_type", choices=FlagType.values)


@transaction.atomic
def contribution_flag(*, account: Account, status_id: int | None, flag_type: int,
                      comment: bool = False, kind: str | None = None) -> bool:
    """Flag a status for the moderators, as a toggle: the same type again withdraws the flag,
    another type replaces it. Returns whether the account's flag stands afterwards."""
    status = _visible(status_id, account, comment, kind)
    had = Flag.objects.filter(status=status, account=account).exists()
    flagged = _toggle_choice(Flag, status=status, account=account, choice="flag_type",
                             value=flag_type, counter="flags_count")
    if flagged and not had:
        flag_id = Flag.objects.filter(status=status, account=account).values_list(
            "pk", flat=True).first()
        notifying.status_announce_flag(status=status, account=account, flag_id=flag_id)
    return flagged


# --- follow, suspend, hide ------------------------------------------------------------------

def _toggle(model, *, account: Account, status_id: int | None, counter: str | None,
            kind: str | None) -> bool:
    status = contribution_get_visible(status_id=status_id, viewer=account, kind=kind)
    if model.objects.filter(status=status, account=account).delete()[0]:
        if counter:
            _counter(status.pk, counter, -1)
        return False
    if _insert(model, status=status, account=account) and counter:
        _counter(status.pk, counter, 1)
    return True


@transaction.atomic
def contribution_follow(*, account: Account, status_id: int | None,
                        kind: str | None = None) -> bool:
    """Follow a status (or stop following it); `follower_count` is the column it moves."""
    return _toggle(StatusFollow, account=account, status_id=status_id,
                   counter="followers_count", kind=kind)


@transaction.atomic
def contribution_suspend(*, account: Account, status_id: int | None,
                         kind: str | None = None) -> bool:
    """Stop (or resume) notifications about a status."""
    return _toggle(NotificationSuspension, account=account, status_id=status_id, counter=None,
                   kind=kind)


@transaction.atomic
def contribution_hide(*, account: Account, status_id: int | None,
                      kind: str | None = None) -> bool:
    """Hide a status from one's own SelfCommunity lists (or show it again)."""
    return _toggle(StatusHide, account=account, status_id=status_id, counter=None, kind=kind)


# --- views ----------------------------------------------------------------------------------

def contribution_record_view(*, account: Account | None, status: Status) -> None:
    """Count `account` as a viewer of `status` once, whatever the number of requests. On
    PostgreSQL the insert and the counter are one statement, so a GET keeps its query budget.
    An author reading their own deleted status is not a view."""
    if account is None or status.deleted_at is not None:
        return
    views, statuses = StatusView._meta.db_table, Status._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH seen AS (INSERT INTO {views} (status_id, account_id, created_at) "
                "VALUES (%s, %s, NOW()) ON CONFLICT DO NOTHING RETURNING status_id) "
                f"UPDATE {statuses} SET views_count = views_count + 1 "
                "WHERE id IN (SELECT status_id FROM seen)", [status.pk, account.pk])
        else:
            cursor.execute(
                f"INSERT INTO {views} (status_id, account_id, created_at) "
                "VALUES (%s, %s, CURRENT_TIMESTAMP) ON CONFLICT DO NOTHING",
                [status.pk, account.pk])
            if cursor.rowcount:
                cursor.execute(f"UPDATE {statuses} SET views_count = views_count + 1 "
                               "WHERE id = %s", [status.pk])
        if cursor.rowcount:
            status.views_count += 1


# --- restore --------------------------------------------------------------------------------

@transaction.atomic
def status_restore(*, account: Account, status_id: int | None,
                   kind: str | None = None) -> Status:
    """Undo a delete made through either dialect (SelfCommunity's POST restore/): the status,
    the reblogs its delete hid, its media and every counter the delete corrected come back.
    Only the author may restore (403 to others who could see the status, 404 to the rest)."""
    rows = Status.objects.select_for_update().select_related("account").filter(
        pk=status_id, reblog_of__isnull=True)
    if kind is not None:
        rows = rows.filter(contribution_type=kind)
    status = rows.first() if status_id is not None else None
    if status is None:
        raise errors.NotFound("Not found.")
    if status.account_id != account.pk:
        if status_visible_ignoring_deletion(status=status, viewer=account):
            raise errors.NotAllowed()
        raise errors.NotFound("Not found.")
    if status.deleted_at is None:
        return status
    deleted_at = status.deleted_at
    released = list(status.released_media)
    Status.objects.filter(pk=status.pk).update(deleted_at=None, released_media=[])
    status.deleted_at, status.released_media = None, []
    # The reblogs its delete hid went at the same instant; later unreblogs stay undone.
    wrappers = Status.objects.filter(reblog_of_id=status.pk, deleted_at=deleted_at)
    rebloggers = list(wrappers.exclude(visibility=Visibility.DIRECT)
                      .values_list("account_id", flat=True))
    # (The delete left the status's own reblogs_count as it was.)
    wrappers.update(deleted_at=None)
    if rebloggers:
        Account.objects.filter(pk__in=rebloggers).update(statuses_count=F("statuses_count") + 1)
    authored.author_counts_add(status=status, account=status.account)
    if status.in_reply_to_id is not None and counts_as_reply(status):
        _counter(status.in_reply_to_id, "replies_count", 1)
    quoted = status.quote_of_id
    media = media_services.media_reclaimable(account_id=status.account_id, media_ids=released)
    if media or quoted:
        # A share the author has since used elsewhere is gone, and so is the quote with it.
        status_attach_media(status=status, media=media)
    if quoted:
        status_recount_shares(status_ids=[quoted])
    events.announce(events.status_created, status_id=status.pk)
    direct_status_posted(status=status)
    return status


def feed_mark_seen(*, account: Account, status_ids: list[int]) -> None:
    """Mark statuses seen in `account`'s feed (SelfCommunity's `/api/v2/feed/read/`), each once
    however often it is sent. Every one must be a status the reader's lists show them: one
    that is not (unknown, deleted, out of their sight) is a 404 and nothing is written."""
    wanted = list(dict.fromkeys(status_ids))
    list_selectors.require_listed(viewer=account, status_ids=wanted)
    FeedSeen.objects.bulk_create([FeedSeen(account_id=account.pk, status_id=pk) for pk in wanted],
                                 ignore_conflicts=True)

"""Moderators' writes: collapse, delete and restore, mark sensitive, dismiss flags, suspend and
silence. The admin and SelfCommunity's moderation API call these, never the models.

Each service is atomic, checks that the caller is a moderator, locks its target (a status they
may not read is not found: moderation.selectors.moderation_visible_q), refuses an impossible
request with a `config.errors` domain error (nothing is written then), and records exactly one
ModerationAction, which it returns.
"""

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_grant_model, get_refresh_token_model

from accounts.models import Account
from config import errors
from moderation.models import ActionType, ModerationAction, ModerationType
from moderation.selectors import is_moderator, moderation_visible
from notifications import services as notifications
from notifications.models import NotificationType
from statuses.models import Flag, Status
from statuses.services.direct import direct_status_reshown

NOT_A_MODERATOR = "You do not have permission to perform this action."


def _check_moderator(moderator) -> None:
    if not is_moderator(moderator):
        raise errors.NotAllowed(NOT_A_MODERATOR, code="permission_denied")


def parse_moderation_type(raw, *, required: bool = False) -> int | None:
    """`moderation_type` 0-4 (an integer or its digits), or None when absent and optional."""
    if raw is None or raw == "":
        if required:
            raise errors.Invalid("This field is required.", code="required",
                                 field="moderation_type")
        return None
    return errors.choice_value(raw, field="moderation_type", choices=ModerationType.values)


def _record(*, moderator, action: str, status: Status | None = None,
            account: Account | None = None, reason: str = "", moderation_type=None,
            details: dict | None = None) -> ModerationAction:
    return ModerationAction.objects.create(
        moderator=moderator, moderator_username=moderator.get_username(), action=action,
        target_status=status,
        target_account=account if account is not None else (
            status.account if status is not None else None),
        reason=reason or "", moderation_type=moderation_type, details=details or {},
    )


def _warn(action: ModerationAction) -> ModerationAction:
    """The author of the status a moderator acted on is told (Mastodon's moderation_warning;
    SelfCommunity's collapsed_for_*, deleted_for_*, kindly_notice_*). The notification names
    the action, not the status, so it outlives the status it was about."""
    notifications.notify(recipient_id=action.target_account_id,
                         from_account_id=action.moderator_id,
                         type=NotificationType.MODERATION_WARNING,
                         moderation_action_id=action.pk)
    return action


def _lock_status(status: Status, *, moderator, allow_deleted: bool = False) -> Status:
    """The status row, locked, with its author; a reblog is moderated through its original. A
    status the moderator may not read (moderation_visible_q) is not found, as a missing one:
    nobody acts on words they may not read, and every action stays a proof that they could.
    Asked once the row is locked, so another moderator's dismissal of its flags (which locks
    it too) cannot come in between."""
    locked = (Status.objects.select_for_update(of=("self",)).select_related("account")
              .filter(pk=status.pk).first())
    if locked is None or not moderation_visible(moderator=moderator, status_id=locked.pk):
        raise errors.NotFound("Not found.")
    if locked.reblog_of_id is not None:
        raise errors.Rejected("A reblog is moderated through the status it reblogs",
                              code="reblog")
    if locked.deleted_at is not None and not allow_deleted:
        raise errors.Rejected("The status is deleted", code="deleted")
    return locked


# --- statuses -------------------------------------------------------------------------------

@transaction.atomic
def status_collapse(*, moderator, status: Status, moderation_type: int | None = None,
                    reason: str = "") -> ModerationAction:
    """Hide a status from everyone but its author and the moderators (SelfCommunity's
    `collapsed`; Mastodon answers 404 to the others)."""
    _check_moderator(moderator)
    moderation_type = parse_moderation_type(moderation_type)
    status = _lock_status(status, moderator=moderator)
    if status.collapsed:
        raise errors.Rejected("The status is already collapsed", code="collapsed")
    Status.objects.filter(pk=status.pk).update(collapsed=True)
    status.collapsed = True
    direct_status_reshown(status=status)
    return _warn(_record(moderator=moderator, action=ActionType.COLLAPSE, status=status,
                         reason=reason, moderation_type=moderation_type))


@transaction.atomic
def status_uncollapse(*, moderator, status: Status, reason: str = "") -> ModerationAction:
    _check_moderator(moderator)
    status = _lock_status(status, moderator=moderator)
    if not status.collapsed:
        raise errors.Rejected("The status is not collapsed", code="not_collapsed")
    Status.objects.filter(pk=status.pk).update(collapsed=False)
    status.collapsed = False
    direct_status_reshown(status=status)
    return _record(moderator=moderator, action=ActionType.UNCOLLAPSE, status=status,
                   reason=reason)


@transaction.atomic
def status_moderate_delete(*, moderator, status: Status, moderation_type: int | None = None,
                           reason: str = "") -> ModerationAction:
    """The owner's soft delete, done by a moderator: counters, reblogs and pins as there."""
    from statuses.services import status_delete

    _check_moderator(moderator)
    moderation_type = parse_moderation_type(moderation_type)
    status = _lock_status(status, moderator=moderator)
    status_delete(status=status)
    return _warn(_record(moderator=moderator, action=ActionType.DELETE, status=status,
                         reason=reason, moderation_type=moderation_type,
                         details={"deleted_at": status.deleted_at.isoformat()}))


def _deleted_by_moderator(status: Status) -> bool:
    """Whether the status's current deletion is one a moderator made (not its author's)."""
    last = (ModerationAction.objects.filter(target_status_id=status.pk,
                                            action=ActionType.DELETE)
            .order_by("-id").values_list("details", flat=True).first())
    return bool(last) and last.get("deleted_at") == status.deleted_at.isoformat()


@transaction.atomic
def status_moderate_restore(*, moderator, status: Status, reason: str = "") -> ModerationAction:
    """Undo a moderator's delete with the owner's restore (reblogs, media, counters come back).
    A status its author deleted stays deleted: that was the author's choice."""
    from statuses.services.feedback import status_restore

    _check_moderator(moderator)
    status = _lock_status(status, moderator=moderator, allow_deleted=True)
    if status.deleted_at is None:
        raise errors.Rejected("The status is not deleted", code="not_deleted")
    if not _deleted_by_moderator(status):
        raise errors.Rejected("The status was deleted by its author", code="deleted_by_author")
    restored = status_restore(account=status.account, status_id=status.pk)
    return _record(moderator=moderator, action=ActionType.RESTORE, status=restored,
                   reason=reason)


@transaction.atomic
def status_mark_sensitive(*, moderator, status: Status, sensitive: bool = True,
                          reason: str = "") -> ModerationAction:
    """Mark (or unmark) a status's media as sensitive, as Mastodon's moderators do."""
    _check_moderator(moderator)
    status = _lock_status(status, moderator=moderator)
    sensitive = bool(sensitive)
    if status.sensitive == sensitive:
        raise errors.Rejected("The status is already " + ("sensitive" if sensitive else
                                                          "not sensitive"), code="unchanged")
    Status.objects.filter(pk=status.pk).update(sensitive=sensitive)
    status.sensitive = sensitive
    return _record(moderator=moderator, status=status, reason=reason,
                   action=ActionType.MARK_SENSITIVE if sensitive else ActionType.UNMARK_SENSITIVE)


@transaction.atomic
def flags_dismiss(*, moderator, status: Status, reason: str = "") -> ModerationAction:
    """Dismiss (delete) the status's open flags; the log keeps who flagged it and why, so
    `flags_reopen` can bring them back."""
    _check_moderator(moderator)
    status = _lock_status(status, moderator=moderator, allow_deleted=True)
    flags = list(Flag.objects.select_for_update(of=("self",)).filter(status_id=status.pk)
                 .select_related("account").order_by("id"))
    if not flags:
        raise errors.Rejected("The status has no open flags", code="no_flags")
    deleted, _ = Flag.objects.filter(pk__in=[f.pk for f in flags]).delete()
    Status.objects.filter(pk=status.pk).update(
        flags_count=Greatest(F("flags_count") - deleted, 0))
    details = {"flags": [
        {"id": f.pk, "account_id": f.account_id, "username": f.account.username,
         "flag_type": f.flag_type, "created_at": f.created_at.isoformat()} for f in flags]}
    return _record(moderator=moderator, action=ActionType.DISMISS_FLAGS, status=status,
                   reason=reason, details=details)


@transaction.atomic
def flags_reopen(*, moderator, status: Status, reason: str = "") -> ModerationAction:
    """Undo the last dismissal (SelfCommunity's `ignore` is a toggle): its flags come back,
    except those whose flagger is gone or has flagged the status again since."""
    from django.utils.dateparse import parse_datetime

    _check_moderator(moderator)
    status = _lock_status(status, moderator=moderator, allow_deleted=True)
    last = (ModerationAction.objects.filter(target_status_id=status.pk)
            .filter(action__in=[ActionType.DISMISS_FLAGS, ActionType.REOPEN_FLAGS])
            .order_by("-id").first())
    if last is None or last.action != ActionType.DISMISS_FLAGS:
        raise errors.Rejected("The status's flags were not dismissed", code="not_dismissed")
    wanted = {f["account_id"]: f for f in last.details.get("flags", [])}
    present = set(Flag.objects.filter(status_id=status.pk, account_id__in=wanted)
                  .values_list("account_id", flat=True))
    alive = set(Account.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    rows = [Flag(status_id=status.pk, account_id=pk, flag_type=f["flag_type"],
                 created_at=parse_datetime(f["created_at"]))
            for pk, f in wanted.items() if pk in alive and pk not in present]
    Flag.objects.bulk_create(rows)
    if rows:
        Status.objects.filter(pk=status.pk).update(flags_count=F("flags_count") + len(rows))
    return _record(moderator=moderator, action=ActionType.REOPEN_FLAGS, status=status,
                   reason=reason, details={"reopened": [r.account_id for r in rows],
                                           "dismissal": last.pk})


@transaction.atomic
def author_scold(*, moderator, status: Status, moderation_type: int | None = None,
                 reason: str = "") -> ModerationAction:
    """SelfCommunity's scold_author: recorded, and the author is told (moderation_warning)."""
    _check_moderator(moderator)
    moderation_type = parse_moderation_type(moderation_type)
    status = _lock_status(status, moderator=moderator, allow_deleted=True)
    return _warn(_record(moderator=moderator, action=ActionType.SCOLD_AUTHOR, status=status,
                         reason=reason, moderation_type=moderation_type))


@transaction.atomic
def flagger_scold(*, moderator, status: Status, flagger: Account | None = None,
                  reason: str = "") -> ModerationAction:
    """SelfCommunity's scold_flagger: recorded against the flagger (when named)."""
    _check_moderator(moderator)
    status = _lock_status(status, moderator=moderator, allow_deleted=True)
    return _record(moderator=moderator, action=ActionType.SCOLD_FLAGGER, status=status,
                   account=flagger if flagger is not None else status.account, reason=reason,
                   details={"flagger_id": flagger.pk if flagger is not None else None})


# --- accounts -------------------------------------------------------------------------------

def _lock_account(*, moderator, account: Account) -> Account:
    locked = Account.objects.select_for_update().filter(pk=account.pk).first()
    if locked is None:
        raise errors.NotFound("Record not found")
    if locked.pk == moderator.pk:
        raise errors.NotAllowed("Moderators cannot moderate their own account",
                                code="permission_denied")
    if (locked.is_superuser or locked.is_moderator) and not moderator.is_superuser:
        raise errors.NotAllowed("Only a superuser may moderate a moderator",
                                code="permission_denied")
    return locked


def _revoke_tokens(account: Account) -> int:
    """Delete the account's OAuth tokens and grants; each deleted access token is remembered
    (accounts.signals), so its later use answers 401 "The access token was revoked"."""
    get_refresh_token_model().objects.filter(user_id=account.pk).delete()
    get_grant_model().objects.filter(user_id=account.pk).delete()
    deleted, _ = get_access_token_model().objects.filter(user_id=account.pk).delete()
    return deleted


@transaction.atomic
def account_suspend(*, moderator, account: Account, reason: str = "") -> ModerationAction:
    """Suspend an account: its statuses vanish from both APIs (the selectors drop suspended
    authors) and come back on unsuspend; its tokens are revoked, so they answer 401."""
    _check_moderator(moderator)
    account = _lock_account(moderator=moderator, account=account)
    if account.suspended_at is not None:
        raise errors.Rejected("The account is already suspended", code="suspended")
    now = timezone.now()
    Account.objects.filter(pk=account.pk).update(suspended_at=now)
    account.suspended_at = now
    revoked = _revoke_tokens(account)
    return _record(moderator=moderator, action=ActionType.SUSPEND, account=account,
                   reason=reason, details={"revoked_tokens": revoked})


@transaction.atomic
def account_unsuspend(*, moderator, account: Account, reason: str = "") -> ModerationAction:
    _check_moderator(moderator)
    account = _lock_account(moderator=moderator, account=account)
    if account.suspended_at is None:
        raise errors.Rejected("The account is not suspended", code="not_suspended")
    Account.objects.filter(pk=account.pk).update(suspended_at=None)
    account.suspended_at = None
    return _record(moderator=moderator, action=ActionType.UNSUSPEND, account=account,
                   reason=reason)


@transaction.atomic
def account_silence(*, moderator, account: Account, reason: str = "") -> ModerationAction:
    """Silence (Mastodon's limit): the account's statuses leave the lists of those who do not
    follow it (statuses.selectors.filter_q)."""
    _check_moderator(moderator)
    account = _lock_account(moderator=moderator, account=account)
    if account.silenced_at is not None:
        raise errors.Rejected("The account is already silenced", code="silenced")
    now = timezone.now()
    Account.objects.filter(pk=account.pk).update(silenced_at=now)
    account.silenced_at = now
    return _record(moderator=moderator, action=ActionType.SILENCE, account=account,
                   reason=reason)


@transaction.atomic
def account_unsilence(*, moderator, account: Account, reason: str = "") -> ModerationAction:
    _check_moderator(moderator)
    account = _lock_account(moderator=moderator, account=account)
    if account.silenced_at is None:
        raise errors.Rejected("The account is not silenced", code="not_silenced")
    Account.objects.filter(pk=account.pk).update(silenced_at=None)
    account.silenced_at = None
    return _record(moderator=moderator, action=ActionType.UNSILENCE, account=account,
                   reason=reason)


# --- roles ----------------------------------------------------------------------------------

@transaction.atomic
def moderator_grant(*, account: Account) -> Account:
    """Put the account in the Moderators group and make it staff, so it can use the admin
    with the group's permissions (it does not become a superuser)."""
    from moderation.roles import ensure_moderators_group

    account.groups.add(ensure_moderators_group())
    Account.objects.filter(pk=account.pk).update(is_staff=True)
    account.is_staff = True
    account._in_moderators_group = True
    return account


@transaction.atomic
def moderator_revoke(*, account: Account) -> Account:
    """Take the account out of the Moderators group; staff status goes with it unless the
    account is a superuser."""
    from django.contrib.auth.models import Group

    from accounts.models import MODERATORS_GROUP

    account.groups.remove(*Group.objects.filter(name=MODERATORS_GROUP))
    if not account.is_superuser:
        Account.objects.filter(pk=account.pk).update(is_staff=False)
        account.is_staff = False
    account._in_moderators_group = False
    return account

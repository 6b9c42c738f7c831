"""Reads for moderation: who is a moderator, what a moderator may read, and the log."""

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from accounts.models import Account
from config import errors
from moderation.models import ActionType, ModerationAction
from statuses.models import ContributionType, Flag, Status
from statuses.selectors.visibility import PUBLIC_LIKE, visible_ignoring_deletion_q


def is_moderator(account) -> bool:
    """Superusers, members of the `Moderators` group, and (as before this app) staff accounts.
    The token lookup reads the group membership with the token, so this costs no query there."""
    return account is not None and account.is_active and account.is_moderator


# --- what a moderator may read -------------------------------------------------------------


def moderation_visible_q(moderator) -> Q:
    """Which statuses' words (text, content warning, renderings, revisions, media, poll) a
    moderator may read, in the moderation API and the admin alike: Mastodon's
    Admin::StatusPolicy#show?. A status whose audience is public or unlisted (a SelfCommunity
    comment's audience is its status's; an addressed status is stored as private), one flagged
    now, one a moderator acted on (the services act only on what this rule shows, so an action
    proves it was readable then), or one the normal rule shows this moderator (its author, a
    follower of a private one, an account it mentions, a holder of its tag), collapsed or
    deleted ones included. Nobody else reads anything through it."""
    if not is_moderator(moderator):
        return Q(pk__in=[])
    public_like = (Q(audience__isnull=True, visibility__in=PUBLIC_LIKE)
                   | Q(audience__visibility__in=PUBLIC_LIKE))
    acted_on = Exists(ModerationAction.objects.filter(target_status_id=OuterRef("pk")))
    return (public_like | Q(flags_count__gt=0) | acted_on
            | visible_ignoring_deletion_q(moderator))


# The annotation `annotate_moderation_visible` adds.
MODERATION_VISIBLE = "moderation_visible"


def annotate_moderation_visible(queryset: QuerySet[Status], moderator) -> QuerySet[Status]:
    """The statuses, each with `moderation_visible`: whether `moderation_visible_q` shows it to
    `moderator`. Computed in the same query, so a page of them costs no query more."""
    return queryset.annotate(**{MODERATION_VISIBLE: Case(
        When(moderation_visible_q(moderator), then=Value(True)), default=Value(False),
        output_field=BooleanField())})


def moderation_visible(*, moderator, status_id: int) -> bool:
    """`moderation_visible_q` for one status (one query)."""
    return Status.objects.filter(moderation_visible_q(moderator), pk=status_id).exists()


def moderation_actions_for_status(*, status_id: int) -> QuerySet[ModerationAction]:
    return ModerationAction.objects.filter(target_status_id=status_id).order_by("-id")


# --- SelfCommunity's moderation lists -----------------------------------------------------



# The actions that change a contribution's moderation status (scolds and account actions
# do not).
STATE_ACTIONS = (ActionType.COLLAPSE, ActionType.UNCOLLAPSE, ActionType.DELETE,
                 ActionType.RESTORE, ActionType.DISMISS_FLAGS, ActionType.REOPEN_FLAGS)
# Which action put a contribution in each moderation status.
STATE_CAUSE = {"hidden": ActionType.COLLAPSE, "deleted": ActionType.DELETE,
               "ignored": ActionType.DISMISS_FLAGS}
MODERATION_STATUSES = ("open", "ignored", "hidden", "deleted")
CONTRIBUTION_TYPES = ("status", "comment", "post", "discussion")
ORDERINGS = {"last_flagged_at": "last_flagged_at", "flag_count": "flags_count",
             "last_moderated_at": "last_moderated_at"}


def contribution_kind_q(contribution_type: str) -> Q:
    """A SelfCommunity status, post or discussion is a top-level status of that contribution
    type; a comment is a reply. Neither is a reblog."""
    if contribution_type == "comment":
        return Q(reblog_of__isnull=True, in_reply_to__isnull=False)
    if contribution_type in ContributionType.values:
        return Q(reblog_of__isnull=True, in_reply_to__isnull=True,
                 contribution_type=contribution_type)
    return Q(pk__in=[])


def _last_state_action():
    return (ModerationAction.objects.filter(target_status_id=OuterRef("pk"),
                                            action__in=STATE_ACTIONS).order_by("-id"))


def _annotated(queryset):
    return queryset.annotate(
        last_flagged_at=Max("flags__created_at"),
        last_action_id=Subquery(_last_state_action().values("id")[:1]),
        last_action=Subquery(_last_state_action().values("action")[:1]),
        last_moderated_at=Subquery(_last_state_action().values("created_at")[:1]),
    )


def _ignored_q() -> Q:
    return Q(deleted_at__isnull=True, collapsed=False, flags_count=0,
             last_action=ActionType.DISMISS_FLAGS)


def moderation_status_q(status: str) -> Q:
    if status == "deleted":
        return Q(deleted_at__isnull=False)
    if status == "hidden":
        return Q(deleted_at__isnull=True, collapsed=True)
    if status == "ignored":
        return _ignored_q()
    return Q(deleted_at__isnull=True, collapsed=False) & ~_ignored_q()


def moderation_status_of(status: Status) -> str:
    if status.deleted_at is not None:
        return "deleted"
    if status.collapsed:
        return "hidden"
    if status.flags_count == 0 and getattr(status, "last_action", None) == ActionType.DISMISS_FLAGS:
        return "ignored"
    return "open"


def _username_ids(fragment: str):
    return Account.objects.filter(username__icontains=fragment).values("pk")


def flagged_contributions_page(*, moderator, contribution_type: str | None,
                               min_flags: int | None,
                               contribution_id: int | None, author: str | None,
                               flagged_by: str | None, content: str | None,
                               moderation_status: str | None, order_by: str,
                               limit: int, offset: int):
    """(count, statuses with `last_flagged_at`, `last_action_id`, `last_action`,
    `last_moderated_at`) of the contributions moderators look at: those with open flags and
    those a moderator has already acted on, among those `moderator` may read. Two queries,
    whatever the page size."""
    queryset = Status.objects.filter(moderation_visible_q(moderator), reblog_of__isnull=True)
    if contribution_type:
        queryset = queryset.filter(contribution_kind_q(contribution_type))
    acted = ModerationAction.objects.filter(target_status_id=OuterRef("pk"),
                                            action__in=STATE_ACTIONS)
    queryset = queryset.filter(Q(flags_count__gt=0) | Exists(acted))
    if min_flags:
        queryset = queryset.filter(flags_count__gte=min_flags)
    if contribution_id is not None:
        queryset = queryset.filter(pk=contribution_id)
    if author:
        queryset = queryset.filter(account_id__in=_username_ids(author))
    if flagged_by:
        queryset = queryset.filter(Exists(Flag.objects.filter(
            status_id=OuterRef("pk"), account_id__in=_username_ids(flagged_by))))
    if content:
        queryset = queryset.filter(text__icontains=content)
    queryset = _annotated(queryset)
    if moderation_status:
        queryset = queryset.filter(moderation_status_q(moderation_status))
    count = queryset.count()
    descending = order_by.startswith("-")
    column = ORDERINGS[order_by.lstrip("-")]
    key = F(column).desc(nulls_last=True) if descending else F(column).asc(nulls_last=True)
    page = list(queryset.select_related("account").order_by(key, "-id")[offset:offset + limit])
    return count, page


def actions_by_id(ids) -> dict[int, ModerationAction]:
    ids = [i for i in ids if i is not None]
    if not ids:
        return {}
    return ModerationAction.objects.select_related("moderator").in_bulk(ids)


def contribution_for_moderation(*, moderator, contribution_id: int | None,
                                contribution_type: str) -> Status:
    """A contribution of that type that `moderator` may read (`moderation_visible_q`): deleted,
    collapsed or by a suspended author included, as moderators act on what others no longer
    see. Any other is not found, exactly as one that does not exist."""
    if contribution_id is None:
        raise errors.NotFound("Not found.")
    status = _annotated(Status.objects.filter(
        moderation_visible_q(moderator), contribution_kind_q(contribution_type),
        pk=contribution_id)).select_related(
        "account").first()
    if status is None:
        raise errors.NotFound("Not found.")
    return status


def contribution_flags_page(*, status: Status, flag_type: int | None, limit: int,
                            offset: int):
    flags = Flag.objects.filter(status_id=status.pk)
    if flag_type is not None:
        flags = flags.filter(flag_type=flag_type)
    count = flags.count()
    return count, list(flags.select_related("account").order_by("-id")[offset:offset + limit])

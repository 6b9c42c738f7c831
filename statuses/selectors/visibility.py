"""The one visibility rule (spec section B) as SQL and in memory, and the list filter: every read of
a status goes through it, so a hidden status cannot leak."""


from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Now

from accounts.models import Block, Follow, Mute, Visibility
from categories.models import Tag
from statuses.models import (
    Mention,
    Status,
)

ADDRESSING = Status.addressing.through


TAG_HOLDERS = Tag.holders.through


PUBLIC_LIKE = (Visibility.PUBLIC, Visibility.UNLISTED)


def status_base_queryset() -> QuerySet[Status]:
    """Everything a status rendering needs, in one query."""
    return Status.objects.select_related("account", "application")


def _audience_q(viewer, prefix: str) -> Q:
    """A comment that keeps its status's audience (`audience`, set on SelfCommunity comments)
    is seen by whoever may see that status, unless collapsed itself."""
    shared = Status.objects.filter(pk=OuterRef(prefix + "audience_id")).filter(
        row_visible_q(viewer, audience=False))
    # (`own` is the rule of a status that keeps no other's audience.)
    own = Q(**{prefix + "audience__isnull": True})
    through = Q(**{prefix + "audience__isnull": False})
    if viewer is None or not viewer.is_moderator:
        through &= Q(**{prefix + "collapsed": False})
    return own, through & Exists(shared)


def row_visible_q(viewer, prefix: str = "", *, include_deleted: bool = False,
               audience: bool = True) -> Q:
    """StatusPolicy#show? for the status at `prefix` (empty: the row itself); with
    `include_deleted`, whether it would be visible were it not deleted."""

    def q(**lookups) -> Q:
        return Q(**{prefix + key: value for key, value in lookups.items()})

    kept = q(account__suspended_at__isnull=True)
    if not include_deleted:
        kept &= q(deleted_at__isnull=True)
    if viewer is None:
        shown = q(visibility__in=PUBLIC_LIKE, collapsed=False)
        if audience:
            own, through_status = _audience_q(None, prefix)
            shown = (own & shown) | through_status
        return kept & shown
    author = OuterRef(prefix + "account_id")
    blocked_by_author = Block.objects.filter(account_id=author, target_id=viewer.pk)
    follows_author = Follow.objects.filter(account_id=viewer.pk, target_id=author, accepted=True)
    mentioned = Mention.objects.filter(status_id=OuterRef(prefix + "pk"), account_id=viewer.pk)
    addressed_to_viewer = ADDRESSING.objects.filter(
        status_id=OuterRef(prefix + "pk"),
        tag_id__in=TAG_HOLDERS.objects.filter(account_id=viewer.pk).values("tag_id"),
    )
    # Moderators see what moderators collapsed (the rest of the rule still applies to them).
    uncollapsed = Q() if viewer.is_moderator else q(collapsed=False)
    others = uncollapsed & (
        (q(visibility__in=PUBLIC_LIKE) & ~Exists(blocked_by_author))
        | (q(visibility=Visibility.PRIVATE, addressed=False) & Exists(follows_author))
        | (q(visibility=Visibility.PRIVATE, addressed=True) & Exists(addressed_to_viewer)
           & ~Exists(blocked_by_author))
        | (q(visibility__gte=Visibility.PRIVATE) & Exists(mentioned))
    )
    mine = q(account_id=viewer.pk)
    if audience:
        own, through_status = _audience_q(viewer, prefix)
        others = (own & others) | through_status
        # One's own comment goes with the status it answers when that status is deleted.
        mine &= own | q(audience__deleted_at__isnull=True)
    return kept & (mine | others)


def visible_q(viewer) -> Q:
    """Section B of the behaviour spec as one WHERE clause. A reblog is visible when both the
    wrapper and its original are."""
    return row_visible_q(viewer) & (Q(reblog_of__isnull=True) | row_visible_q(viewer, "reblog_of__"))


def row_filter_q(viewer, prefix: str = "") -> Q:
    if viewer is None:
        return Q(**{prefix + "account__silenced_at__isnull": True})
    author = OuterRef(prefix + "account_id")
    blocks = Block.objects.filter(account_id=viewer.pk, target_id=author)
    mutes = Mute.objects.filter(account_id=viewer.pk, target_id=author).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=Now())
    )
    follows = Follow.objects.filter(account_id=viewer.pk, target_id=author, accepted=True)
    return Q(**{prefix + "account_id": viewer.pk}) | (
        ~Exists(blocks)
        & ~Exists(mutes)
        & (Q(**{prefix + "account__silenced_at__isnull": True}) | Exists(follows))
    )


def filter_q(viewer) -> Q:
    """StatusFilter, applied to lists on top of visibility: drops authors the viewer blocks or
    mutes, and silenced authors the viewer does not follow. The viewer's own are never dropped.
    For a reblog, the original's author is checked too."""
    return row_filter_q(viewer) & (Q(reblog_of__isnull=True) | row_filter_q(viewer, "reblog_of__"))


def visible_to(viewer) -> QuerySet[Status]:
    return status_base_queryset().filter(visible_q(viewer))


def can_see(status: Status, viewer, *, blocked_by_author: bool, follows_author: bool,
            mentioned: bool, addressed_to_viewer: bool = False) -> bool:
    """`row_visible_q` for one status already in memory (the single-status fast path). The two are
    checked against each other over every combination in tests/statuses/test_visibility.py."""
    if status.deleted_at is not None or status.account.suspended_at is not None:
        return False
    if viewer is None:
        return status.visibility in PUBLIC_LIKE and not status.collapsed
    if status.account_id == viewer.pk:
        return True
    if status.collapsed and not viewer.is_moderator:
        return False
    if status.visibility in PUBLIC_LIKE:
        return not blocked_by_author
    if status.visibility == Visibility.PRIVATE and not status.addressed and follows_author:
        return True
    if (status.visibility == Visibility.PRIVATE and status.addressed and addressed_to_viewer
            and not blocked_by_author):
        return True
    return status.visibility >= Visibility.PRIVATE and mentioned


def listed_accounts_q(viewer, prefix: str) -> Q:
    """Accounts a list of people shows: not suspended; for a viewer, none they block, that block
    them, or that they mute (spec item 127)."""
    q = Q(**{prefix + "account__suspended_at__isnull": True})
    if viewer is None:
        return q
    author = OuterRef(prefix + "account_id")
    return (
        q
        & ~Exists(Block.objects.filter(account_id=viewer.pk, target_id=author))
        & ~Exists(Block.objects.filter(account_id=author, target_id=viewer.pk))
        & ~Exists(Mute.objects.filter(account_id=viewer.pk, target_id=author))
    )


def visible_ignoring_deletion_q(viewer) -> Q:
    """`visible_q` of a status itself (not a reblog's original), as if it were not deleted."""
    return row_visible_q(viewer, include_deleted=True)


def status_visible_ignoring_deletion(*, status: Status, viewer) -> bool:
    """Whether `viewer` could see `status` were it not deleted (to tell "not yours" from "not
    there" when someone else asks to restore it)."""
    return Status.objects.filter(visible_ignoring_deletion_q(viewer), pk=status.pk).exists()

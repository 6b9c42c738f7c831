"""Reads of status lists: timelines, an account's statuses, favourites and bookmarks.

Each returns a queryset of ids (or of rows carrying the cursor and the status id) that the view
pages with Mastodon's cursors; the page's statuses are then loaded by `statuses_for_page`. Every
list is filtered through `visible_q`, so nothing here can show what a single GET would hide.
"""

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from accounts.models import Account, Block, Follow, Visibility
from statuses.models import Bookmark, Pin, Status, StatusTag, TagFollow, Vote
from statuses.rendering import normalize_hashtag
from statuses.selectors.visibility import filter_q, visible_q


def _no_replies_q() -> Q:
    """Replies are left out, except an author's replies to themself."""
    return Q(in_reply_to_id__isnull=True) | Q(in_reply_to_account_id=F("account_id"))


def _kept() -> QuerySet[Status]:
    return Status.objects.filter(deleted_at__isnull=True)


def public_timeline(*, viewer, local: bool, remote: bool, only_media: bool) -> QuerySet:
    """Public, original, non-reply statuses (all statuses here are local)."""
    if remote and not local:
        return Status.objects.none().values_list("pk", flat=True)
    queryset = _kept().filter(
        visible_q(viewer), filter_q(viewer), _no_replies_q(),
        visibility=Visibility.PUBLIC, reblog_of__isnull=True,
    )
    if only_media:
        queryset = queryset.filter(media_count__gt=0)
    return queryset.values_list("pk", flat=True)


def _tagged(names) -> Exists:
    normalized = sorted({normalize_hashtag(n) for n in names if n})
    return Exists(
        StatusTag.objects.filter(status_id=OuterRef("pk"), hashtag__name__in=normalized)
    )


def tag_timeline(*, viewer, name: str, any_tags=(), all_tags=(), none_tags=(), local=False,
                 remote=False, only_media=False) -> QuerySet:
    """Public statuses carrying #name or any of `any[]`, all of `all[]` and none of `none[]`."""
    if remote and not local:
        return Status.objects.none().values_list("pk", flat=True)
    queryset = _kept().filter(
        _tagged([name, *any_tags]), visible_q(viewer), filter_q(viewer),
        visibility=Visibility.PUBLIC, reblog_of__isnull=True,
    )
    for tag in all_tags:
        queryset = queryset.filter(_tagged([tag]))
    if none_tags:
        queryset = queryset.exclude(_tagged(none_tags))
    if only_media:
        queryset = queryset.filter(media_count__gt=0)
    return queryset.values_list("pk", flat=True)


def home_timeline(*, viewer) -> QuerySet:
    """The viewer's own statuses and those of the accounts they follow, with reblogs unless the
    follow hides them; replies only to people the viewer follows (or to themself). Public
    original statuses carrying a hashtag the viewer follows join them, replies or not (as
    Mastodon's fan-out to hashtag followers), through the same visibility and filter rules."""
    follows = Follow.objects.filter(account_id=viewer.pk, accepted=True)
    followed = follows.values("target_id")
    hiding_reblogs = follows.filter(show_reblogs=False).values("target_id")
    by_follow = (
        (Q(account_id=viewer.pk) | Q(account_id__in=followed))
        & (Q(in_reply_to_account_id__isnull=True)
           | Q(in_reply_to_account_id=F("account_id"))
           | Q(in_reply_to_account_id=viewer.pk)
           | Q(in_reply_to_account_id__in=followed))
        & ~(Q(reblog_of__isnull=False) & Q(account_id__in=hiding_reblogs))
    )
    by_tag = Q(visibility=Visibility.PUBLIC, reblog_of__isnull=True) & Exists(
        StatusTag.objects.filter(
            status_id=OuterRef("pk"),
            hashtag_id__in=TagFollow.objects.filter(account_id=viewer.pk).values("hashtag_id"),
        )
    )
    queryset = _kept().filter(by_follow | by_tag, visible_q(viewer), filter_q(viewer))
    return queryset.values_list("pk", flat=True)


def account_blocks_viewer(*, viewer, account: Account) -> bool:
    """Whether `account` blocks the viewer (who then sees none of its statuses)."""
    return viewer is not None and viewer.pk != account.pk and Block.objects.filter(
        account=account, target_id=viewer.pk).exists()


def account_statuses(*, viewer, account: Account, pinned: bool, exclude_replies: bool,
                     exclude_reblogs: bool, only_media: bool, tagged: str | None) -> QuerySet:
    """What the viewer may see of one account's statuses (Mastodon's AccountStatusesFilter)."""
    if account_blocks_viewer(viewer=viewer, account=account):
        return Status.objects.none().values_list("pk", flat=True)
    return account_statuses_unblocked(
        viewer=viewer, account_id=account.pk, pinned=pinned, exclude_replies=exclude_replies,
        exclude_reblogs=exclude_reblogs, only_media=only_media, tagged=tagged)


def account_statuses_unblocked(*, viewer, account_id: int, pinned: bool, exclude_replies: bool,
                               exclude_reblogs: bool, only_media: bool,
                               tagged: str | None = None) -> QuerySet:
    """account_statuses once the block check is done: a queryset of the viewer, the account's
    id and the options only (config/querycache.py can keep it compiled when not `tagged`)."""
    queryset = _kept().filter(visible_q(viewer), account_id=account_id)
    if pinned:
        queryset = queryset.filter(
            Exists(Pin.objects.filter(account_id=account_id, status_id=OuterRef("pk")))
        )
    if exclude_replies:
        queryset = queryset.filter(_no_replies_q())
    if exclude_reblogs:
        queryset = queryset.filter(reblog_of__isnull=True)
    if only_media:
        queryset = queryset.filter(media_count__gt=0)
    if tagged:
        queryset = queryset.filter(
            Exists(StatusTag.objects.filter(status_id=OuterRef("pk"),
                                            hashtag__name=normalize_hashtag(tagged)))
        )
    return queryset.values_list("pk", flat=True)


def favourites(*, viewer) -> QuerySet:
    """(vote id, status id) of the viewer's favourites that they can still see."""
    return Vote.objects.filter(
        account_id=viewer.pk,
        status__in=Status.objects.filter(visible_q(viewer)).values("pk"),
    ).values_list("pk", "status_id")


def bookmarks(*, viewer) -> QuerySet:
    """(bookmark id, status id) of the viewer's bookmarks that they can still see."""
    return Bookmark.objects.filter(
        account_id=viewer.pk,
        status__in=Status.objects.filter(visible_q(viewer)).values("pk"),
    ).values_list("pk", "status_id")

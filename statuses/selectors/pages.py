"""Reads behind the public HTML pages (a status's `url` and an account's `url`): always as an
anonymous reader, through the one visibility rule, in a fixed number of queries."""

from dataclasses import dataclass, field

from accounts.models import Account
from accounts.selectors import account_get_public
from config import errors
from statuses.models import Status
from statuses.selectors.context import status_context
from statuses.selectors.page import status_page_load
from statuses.selectors.rows import statuses_for_page as _statuses_for_page
from statuses.selectors.single import status_get_visible
from statuses.selectors.timelines import account_statuses
from statuses.status_page import Dialect, StatusPage

PAGE_SIZE = 20
# Mastodon allows five pins; the page shows at most this many whatever the table holds.
MAX_PINNED = 5
TABS = ("posts", "with_replies", "media")
# What a public page shows besides the rows: what each status quotes, the media (its own and
# the quoted status's), the polls; no cached rendering (the page reads the stored HTML).
PUBLIC_PAGE = Dialect(key=None, quotes=True, polls=True)


@dataclass
class PublicStatus:
    """One public status with the public part of its thread, or where a reblog's page sends."""

    status: Status | None = None
    ancestors: list[Status] = field(default_factory=list)
    descendants: list[Status] = field(default_factory=list)
    shown: StatusPage | None = None
    # A reblog has no page of its own: Mastodon redirects to its original's.
    original: Status | None = None


@dataclass
class AccountPage:
    account: Account
    tab: str
    pinned: list[Status] = field(default_factory=list)
    statuses: list[Status] = field(default_factory=list)
    shown: StatusPage | None = None
    # Cursors for the "newer" and "older" links (None: no such page).
    newer_min_id: int | None = None
    older_max_id: int | None = None


def _decorate(statuses: list[Status]) -> StatusPage:
    """Quotes, media and polls of every status shown, one query each and none when no status
    has any (the counters and flags are columns)."""
    return status_page_load(statuses, viewer=None, dialect=PUBLIC_PAGE)


def status_page(*, username: str, status_id: int) -> PublicStatus:
    """The status at `/@username/<id>` as an anonymous reader may see it: public or unlisted,
    neither deleted nor collapsed, by an unsuspended author, whose username is the one in the
    path (any case); NotFound otherwise, whichever rule refused it."""
    status = status_get_visible(status_id=status_id, viewer=None)
    if status.account.username.lower() != username.lower():
        raise errors.NotFound("Not Found")
    if status.reblog_of_id is not None:
        return PublicStatus(original=status.reblog_of)
    context = status_context(status=status, viewer=None)
    shown = [*context.ancestors, status, *context.descendants]
    return PublicStatus(status=status, ancestors=context.ancestors,
                        descendants=context.descendants, shown=_decorate(shown))


def account_page(*, username: str, tab: str = "posts", max_id: int | None = None,
                 min_id: int | None = None) -> AccountPage:
    """A page of what an anonymous reader may see of an account's statuses, newest first, as on
    Mastodon's profile: "posts" (with reblogs, without replies but to oneself), "with_replies",
    "media" (statuses with media, no reblogs). `max_id` pages to older statuses, `min_id` to
    newer ones; pinned statuses head the first page of "posts"."""
    if tab not in TABS:
        raise errors.NotFound("Not Found")
    account = account_get_public(username=username)
    ids = account_statuses(viewer=None, account=account, pinned=False,
                           exclude_replies=tab == "posts", exclude_reblogs=tab == "media",
                           only_media=tab == "media", tagged=None)
    if min_id is not None:
        chosen = list(ids.filter(pk__gt=min_id).order_by("pk")[:PAGE_SIZE + 1])
        more_newer = len(chosen) > PAGE_SIZE
        chosen = chosen[:PAGE_SIZE][::-1]
        more_older = True
    else:
        query = ids.filter(pk__lt=max_id) if max_id is not None else ids
        chosen = list(query.order_by("-pk")[:PAGE_SIZE + 1])
        more_older = len(chosen) > PAGE_SIZE
        chosen = chosen[:PAGE_SIZE]
        more_newer = max_id is not None
    pinned_ids: list[int] = []
    if tab == "posts" and max_id is None and min_id is None:
        pinned_ids = list(
            account_statuses(viewer=None, account=account, pinned=True, exclude_replies=False,
                             exclude_reblogs=True, only_media=False, tagged=None)
            .order_by("-pk")[:MAX_PINNED])
    rows = _statuses_for_page(list({*chosen, *pinned_ids}))
    statuses = [rows[pk] for pk in chosen if pk in rows]
    pinned = [rows[pk] for pk in pinned_ids if pk in rows]
    shown = list({s.pk: s for s in statuses + pinned}.values())
    page = AccountPage(account=account, tab=tab, pinned=pinned, statuses=statuses,
                       shown=_decorate(shown))
    if statuses:
        page.newer_min_id = statuses[0].pk if more_newer else None
        page.older_max_id = statuses[-1].pk if more_older else None
    elif min_id is not None:
        # Past the newest: the way back is the older side of where the reader was.
        page.older_max_id = min_id + 1
    return page

"""Mastodon lists of statuses: timelines (public, home, tag), an account's statuses, favourites
and bookmarks. Limit 20 (max 40), max_id/since_id/min_id cursors, Link headers."""

from functools import partial

from rest_framework.response import Response

from accounts import selectors as account_selectors
from config.api.mastodon import MastodonViewSet, parse_id
from config.api.pagination import link_header, paginate, paginate_cached
from config.scopes import READ_BOOKMARKS, READ_FAVOURITES, READ_STATUSES
from statuses.mastodon import filters
from statuses.mastodon.present import show_statuses
from statuses.selectors import timelines as timelines
from statuses.selectors.rows import statuses_for_page


class StatusListViewSet(MastodonViewSet):
    """Pages a list whose rows are status ids, or (cursor id, status id) pairs."""

    # Parameters that a Link header carries over, per action.
    link_keeps: dict[str, tuple[str, ...]] = {}

    # The filter context of each action (Mastodon's home, public, account), whose `hide`
    # filters take statuses out of the page.
    filter_contexts: dict[str, str] = {}

    def page(self, rows_queryset=None, *, pairs: bool = False, key=None, build=None,
             values: dict | None = None):
        """A page of `rows_queryset`, or of `build(viewer=...)` through the compiled-statement
        cache under `key` (which names every option `build` was made with)."""
        params = self.list_params()
        limit = params["limit"]
        if build is not None:
            rows = paginate_cached(key, build, params, viewer=self.viewer, field="id",
                                   limit=limit, values=values)
        else:
            rows = paginate(rows_queryset, params, field="id", limit=limit)
        if pairs:
            cursors = [cursor for cursor, _ in rows]
            status_ids = [status_id for _, status_id in rows]
        else:
            cursors = status_ids = list(rows)
        loaded = statuses_for_page(status_ids)
        statuses = [loaded[pk] for pk in status_ids if pk in loaded]
        headers = {}
        link = link_header(
            self.request,
            first_cursor=cursors[0] if cursors else None,
            last_cursor=cursors[-1] if cursors else None,
            page_size=len(cursors), limit=limit,
            keep=self.link_keeps.get(self.action, ()),
        )
        if link:
            headers["Link"] = link
        return Response(show_statuses(statuses, self.viewer,
                                      context=self.filter_contexts.get(self.action)),
                        headers=headers)


class TimelineViewSet(StatusListViewSet):
    required_scopes = {"public": READ_STATUSES, "tag": READ_STATUSES, "home": READ_STATUSES}
    token_required_actions = frozenset({"home"})
    user_required_actions = frozenset({"home"})
    filtersets = {"public": filters.PublicTimelineFilterSet, "tag": filters.TagTimelineFilterSet,
                  "home": filters.HomeTimelineFilterSet}
    link_keeps = {
        "public": ("local", "remote", "only_media"),
        "tag": ("local", "remote", "only_media"),
    }
    filter_contexts = {"public": "public", "tag": "public", "home": "home"}

    def public(self, request):
        params = self.list_params()
        options = {name: bool(params[name])
                   for name in ("local", "remote", "only_media")}
        return self.page(key=("public", *sorted(options.items())),
                         build=partial(timelines.public_timeline, **options))

    def tag(self, request, hashtag=None):
        params = self.list_params()
        return self.page(timelines.tag_timeline(
            viewer=self.viewer, name=hashtag,
            any_tags=params["any"],
            all_tags=params["all"],
            none_tags=params["none"],
            local=bool(params["local"]),
            remote=bool(params["remote"]),
            only_media=bool(params["only_media"]),
        ))

    def home(self, request):
        return self.page(key="home", build=timelines.home_timeline)


class AccountStatusesViewSet(StatusListViewSet):
    required_scopes = {"list": READ_STATUSES}
    filtersets = {"list": filters.AccountStatusesFilterSet}
    link_keeps = {
        "list": ("pinned", "exclude_replies", "exclude_reblogs", "only_media", "tagged"),
    }
    filter_contexts = {"list": "account"}

    def list(self, request, account_id=None):
        account = account_selectors.account_get(account_id=parse_id(account_id))
        params = self.list_params()
        options = {name: bool(params[name])
                   for name in ("pinned", "exclude_replies", "exclude_reblogs", "only_media")}
        tagged = params["tagged"]
        if tagged is None and not timelines.account_blocks_viewer(viewer=self.viewer,
                                                                  account=account):
            return self.page(key=("account", *sorted(options.items())),
                             build=partial(timelines.account_statuses_unblocked, **options),
                             values={"account_id": account.pk})
        return self.page(timelines.account_statuses(
            viewer=self.viewer, account=account, tagged=tagged, **options))


class FavouritesViewSet(StatusListViewSet):
    required_scopes = {"list": READ_FAVOURITES}
    token_required_actions = frozenset({"list"})
    user_required_actions = frozenset({"list"})
    filtersets = {"list": filters.FavouritesFilterSet}

    def list(self, request):
        return self.page(key="favourites", build=timelines.favourites, pairs=True)


class BookmarksViewSet(StatusListViewSet):
    required_scopes = {"list": READ_BOOKMARKS}
    token_required_actions = frozenset({"list"})
    user_required_actions = frozenset({"list"})
    filtersets = {"list": filters.BookmarksFilterSet}

    def list(self, request):
        return self.page(key="bookmarks", build=timelines.bookmarks, pairs=True)

"""SelfCommunity's status lists: `/api/v2/status/search/`, `uncommented/`, `following/`,
`suspended/`, and for one status `contributors/`, `shares/`, `shares_users/`, `related/`; the
same under `/api/v2/post/` and `/api/v2/discussion/`. The viewer's lists hold contributions of
the route's type; the lists about one contribution (its shares, related contributions) hold
any type, each item saying its own."""

import html
import re

from django.utils.html import strip_tags

from accounts.selfcommunity.serializers import iso, serialize_user
from config.api.base import parse_id
from config.api.selfcommunity import SelfCommunityViewSet, paginated_response
from config.scopes import READ_STATUSES
from statuses.models import ContributionType
from statuses.selectors import lists as list_selectors
from statuses.selectors.single import contribution_get_visible
from statuses.selfcommunity import filters
from statuses.selfcommunity.present import show_statuses

_OWN_LISTS = frozenset({"uncommented", "following", "suspended"})


def highlight(text_html: str, terms: list[str]) -> str:
    """The plain text of a status, escaped, with every word that is one of `terms` (compared
    without case, as the search compares them) wrapped in `<b>`."""
    plain = html.unescape(strip_tags(text_html or ""))
    wanted = set(terms)
    parts = []
    last = 0
    for word in re.finditer(r"\w+", plain):
        if word.group().lower()[:list_selectors.MAX_TERM_LENGTH] in wanted:
            parts.append(html.escape(plain[last:word.start()], quote=False))
            parts.append("<b>" + html.escape(word.group(), quote=False) + "</b>")
            last = word.end()
    parts.append(html.escape(plain[last:], quote=False))
    return "".join(parts)


def serialize_search_results(statuses, viewer, terms: list[str]) -> list[dict]:
    """SearchStatus (spec 2.2): the Status and `matches`, one SearchMatch for the status's own
    text with the searched words in `<b>` (none without a search)."""
    results = show_statuses(statuses, viewer)
    for status, item in zip(statuses, results, strict=True):
        item["matches"] = [{
            "object": {"id": status.pk, "type": item["type"], "added_at": item["added_at"],
                       "html": highlight(status.sc_html, terms)},
            "author": item["author"],
        }] if terms else []
    return results


class StatusListViewSet(SelfCommunityViewSet):
    required_scopes = {name: READ_STATUSES for name in (
        "search", "uncommented", "following", "suspended", "contributors", "shares",
        "shares_users", "related")}
    token_required_actions = _OWN_LISTS
    user_required_actions = _OWN_LISTS
    # Set per route family by the urls: the viewer's lists hold contributions of this type.
    contribution_type = ContributionType.STATUS
    filtersets = {
        "search": filters.SearchFilterSet, "uncommented": filters.UncommentedFilterSet,
        "following": filters.FollowingFilterSet, "suspended": filters.SuspendedFilterSet,
        "contributors": filters.ContributorsFilterSet, "shares": filters.SharesFilterSet,
        "shares_users": filters.SharesUsersFilterSet, "related": filters.RelatedFilterSet,
    }

    def _window(self) -> tuple[int, int]:
        params = self.list_params()
        return params["limit"], params["offset"]

    def _status(self, pk):
        """The status a per-status list is about: a 404 unless the viewer may see it."""
        return contribution_get_visible(status_id=parse_id(pk), viewer=self.viewer,
                                        kind=self.contribution_type)

    def _statuses(self, request, page, limit, offset):
        count, statuses = page
        return paginated_response(request, count=count, limit=limit, offset=offset,
                                  results=show_statuses(statuses, self.viewer))

    def _users(self, request, page, limit, offset):
        count, accounts = page
        return paginated_response(request, count=count, limit=limit, offset=offset,
                                  results=[serialize_user(a) for a in accounts])

    def _marked(self, request, selector):
        limit, offset = self._window()
        count, marks = selector(viewer=self.viewer, limit=limit, offset=offset,
                                kind=self.contribution_type)
        shown = show_statuses([status for status, _ in marks], self.viewer)
        # Under the key of the route's type, as SelfCommunity's post and discussion lists
        # wrap them: {"post": {...}, "added_at": ...}.
        results = [{self.contribution_type: item, "added_at": iso(at)}
                   for item, (_, at) in zip(shown, marks, strict=True)]
        return paginated_response(request, count=count, limit=limit, offset=offset,
                                  results=results)

    def search(self, request):
        limit, offset = self._window()
        terms, count, statuses = list_selectors.search_page(
            viewer=self.viewer, search=self.list_params()["search"], limit=limit,
            offset=offset, kind=self.contribution_type)
        return paginated_response(request, count=count, limit=limit, offset=offset,
                                  results=serialize_search_results(statuses, self.viewer, terms))

    def uncommented(self, request):
        limit, offset = self._window()
        page = list_selectors.uncommented_page(viewer=self.viewer, limit=limit, offset=offset,
                                               kind=self.contribution_type)
        return self._statuses(request, page, limit, offset)

    def following(self, request):
        return self._marked(request, list_selectors.followed_page)

    def suspended(self, request):
        return self._marked(request, list_selectors.suspended_page)

    def _about(self, request, pk, selector, render):
        """A per-status list: the status (404 unless visible), then one page of `selector`."""
        status = self._status(pk)
        limit, offset = self._window()
        page = selector(status=status, viewer=self.viewer, limit=limit, offset=offset)
        return render(request, page, limit, offset)

    def contributors(self, request, pk=None):
        return self._about(request, pk, list_selectors.contributors_page, self._users)

    def shares(self, request, pk=None):
        return self._about(request, pk, list_selectors.shares_page, self._statuses)

    def shares_users(self, request, pk=None):
        return self._about(request, pk, list_selectors.share_authors_page, self._users)

    def related(self, request, pk=None):
        return self._about(request, pk, list_selectors.related_page, self._statuses)

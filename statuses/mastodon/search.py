"""Mastodon's search: GET /api/v2/search (accounts, statuses, hashtags), GET
/api/v1/accounts/search and GET /api/v1/accounts/lookup. Statuses through
statuses/selectors/search.py (the full-text index SelfCommunity's search uses), accounts through
SelfCommunity's people search (community.selectors.accounts_search)."""

import re

from django.db.models import Exists, OuterRef, QuerySet
from rest_framework.response import Response

from accounts.mastodon.serializers import serialize_account
from accounts.models import Account, Follow
from community.selectors import accounts_search
from config import instance
from config.api.mastodon import MastodonError, MastodonViewSet, not_found
from config.api.pagination import limit_param
from config.params import param_bool, param_str, parse_id
from config.scopes import READ_ACCOUNTS, READ_SEARCH
from statuses.mastodon.filters import AccountSearchFilterSet, LookupFilterSet, SearchFilterSet
from statuses.mastodon.present import show_statuses
from statuses.models import Status
from statuses.selectors import search, tags
from statuses.selectors.rows import statuses_for_page
from statuses.selectors.visibility import visible_q

RESULTS_LIMIT = 20
ACCOUNTS_LIMIT = 40
PAGINATION_INVALID = "Pagination values for `offset` and `limit` must be positive"


def _to_i(value: str | None) -> int:
    """Ruby's String#to_i (leading blanks, a sign, ASCII digits; anything else 0)."""
    text = (value or "").lstrip()
    match = re.match(r"[+-]?[0-9]+", text)
    return int(match[0]) if match else 0


def serialize_tag(hashtag, history: list[dict], following: bool | None) -> dict:
    """REST::TagSerializer (`following` only for a signed-in caller)."""
    data = {"id": str(hashtag.pk), "name": hashtag.name,
            "url": instance.tags_base_url() + hashtag.name, "history": history}
    if following is not None:
        data["following"] = following
    return data


def _accounts(viewer, text: str, *, limit: int, offset: int, following: bool) -> list[Account]:
    """Mastodon's AccountSearchService over SelfCommunity's people search: `@name` and
    `name@our.domain` are the local `name`; another domain finds nobody (no remote lookup)."""
    text = text.strip().lstrip("@")
    if "@" in text:
        text, domain = text.split("@", 1)
        if domain.lower() != instance.local_domain():
            return []
    if not text or limit <= 0:
        return []
    accounts: QuerySet[Account] = accounts_search(viewer=viewer, text=text)
    if following and viewer is not None:
        accounts = accounts.filter(Exists(Follow.objects.filter(
            account_id=viewer.pk, target_id=OuterRef("pk"), accepted=True)))
    return list(accounts[offset:offset + limit])


_OWN_STATUS = re.compile(r"^/(?:@[^/]+|users/[^/]+/statuses)/(\d+)$")
_OWN_ACCOUNT = re.compile(r"^/(?:@|users/)([^/@]+)$")


def _resolve_url(query: str, viewer) -> tuple[str, object] | None:
    """("statuses"|"accounts", row) for a URL of one of our own statuses or accounts that the
    viewer may see; None for any other address (nothing is fetched from elsewhere)."""
    base = instance.base_url()
    if not query.startswith(base + "/"):
        return None
    path = query[len(base):].split("?", 1)[0].rstrip("/")
    status = _OWN_STATUS.match(path)
    if status:
        pk = parse_id(status[1])
        found = Status.objects.filter(visible_q(viewer), pk=pk).values_list("pk", flat=True)
        rows = statuses_for_page(list(found))
        return ("statuses", rows[pk]) if pk in rows else None
    account = _OWN_ACCOUNT.match(path)
    if account:
        row = Account.objects.filter(username__iexact=account[1], is_active=True,
                                     suspended_at__isnull=True).first()
        return ("accounts", row) if row else None
    return None


class SearchViewSet(MastodonViewSet):
    required_scopes = {"v2": READ_SEARCH, "accounts": READ_ACCOUNTS, "lookup": READ_ACCOUNTS}
    token_required_actions = frozenset({"accounts"})
    user_required_actions = frozenset({"accounts"})
    # Every parameter the description lists, cleaned (NUL and lone surrogates refused) before
    # the actions read them as Rails does.
    filtersets = {"v2": SearchFilterSet, "accounts": AccountSearchFilterSet,
                  "lookup": LookupFilterSet}

    def _pagination(self, default_limit: int) -> tuple[int, int]:
        params = self.request.query_params
        raw_limit, raw_offset = param_str(params, "limit"), param_str(params, "offset")
        if _to_i(raw_limit) < 0 or _to_i(raw_offset) < 0:
            raise MastodonError(400, PAGINATION_INVALID)
        return limit_param({"limit": raw_limit}, default_limit), _to_i(raw_offset)

    def v2(self, request):
        self.list_params()
        params = request.query_params
        query = param_str(params, "q")
        if query is None or not query.strip():
            raise MastodonError(400, "param is missing or the value is empty: q")
        viewer = self.viewer
        resolve = bool(param_bool(params, "resolve"))
        if viewer is None:
            if (param_str(params, "offset") or "").strip():
                raise MastodonError(
                    401, "Search queries pagination is not supported without authentication")
            if resolve:
                raise MastodonError(401, "Search queries that resolve remote resources are not "
                                         "supported without authentication")
        limit, offset = self._pagination(RESULTS_LIMIT)
        kind = param_str(params, "type")
        # Mastodon pages one type at a time: without `type`, `offset` is ignored.
        if not kind:
            offset = 0
        query = query.strip()
        results = {"accounts": [], "statuses": [], "hashtags": []}
        if limit <= 0:
            return Response(results)
        if resolve and re.match(r"^https?://", query):
            found = _resolve_url(query, viewer)
            if found and offset == 0 and (not kind or kind == found[0]):
                results[found[0]] = [found[1]]
            return Response(self._render(results, viewer))
        single = query.startswith("#") or "@" in query
        if kind in (None, "", "accounts") and not (
                query.startswith("#") or ("@" in query and " " in query)):
            results["accounts"] = _accounts(viewer, query, limit=limit, offset=offset,
                                            following=bool(param_bool(params, "following")))
        if (kind in (None, "", "statuses") and viewer is not None
                and not (single and " " not in query)):
            ids = search.statuses_search(
                viewer=viewer, query=query, limit=limit, offset=offset,
                account_id=parse_id(param_str(params, "account_id") or ""),
                min_id=parse_id(param_str(params, "min_id") or ""),
                max_id=parse_id(param_str(params, "max_id") or ""))
            rows = statuses_for_page(ids)
            results["statuses"] = [rows[pk] for pk in ids if pk in rows]
        if kind in (None, "", "hashtags") and "@" not in query:
            results["hashtags"] = search.hashtags_search(
                query=query, limit=limit, offset=offset,
                exclude_unreviewed=bool(param_bool(params, "exclude_unreviewed")))
        return Response(self._render(results, viewer))

    def _render(self, results: dict, viewer) -> dict:
        hashtags = results["hashtags"]
        histories = search.hashtag_histories(hashtags)
        followed = tags.tags_followed(viewer=viewer, hashtag_ids=[h.pk for h in hashtags])
        return {
            "accounts": [serialize_account(a) for a in results["accounts"]],
            "statuses": show_statuses(results["statuses"], viewer),
            "hashtags": [serialize_tag(h, histories[h.pk],
                                       None if viewer is None else h.pk in followed)
                         for h in hashtags],
        }

    def accounts(self, request):
        self.list_params()
        params = request.query_params
        query = param_str(params, "q") or ""
        limit, offset = self._pagination(ACCOUNTS_LIMIT)
        found = _accounts(self.viewer, query, limit=limit, offset=offset,
                          following=bool(param_bool(params, "following")))
        return Response([serialize_account(a) for a in found])

    def lookup(self, request):
        self.list_params()
        acct = (param_str(request.query_params, "acct") or "").strip().lstrip("@")
        username, _, domain = acct.partition("@")
        if not username or (domain and domain.lower() != instance.local_domain()):
            raise not_found("Record not found")
        account = Account.objects.filter(username__iexact=username, is_active=True).first()
        if account is None:
            raise not_found("Record not found")
        return Response(serialize_account(account))

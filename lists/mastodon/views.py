"""/api/v1/lists, /api/v1/lists/:id/accounts, /api/v1/accounts/:id/lists and
/api/v1/timelines/list/:list_id, as Mastodon 4.5's ListsController, Lists::AccountsController,
Accounts::ListsController and Timelines::ListController answer them. Every list is its owner's
alone: anyone else's is a 404 "Record not found"."""

from rest_framework.response import Response

from accounts import selectors as account_selectors
from accounts.mastodon.serializers import serialize_account
from config.api.mastodon import MastodonViewSet, parse_id
from config.api.pagination import link_header, paginate
from config.params import param_bool, param_list, param_str
from config.scopes import READ_LISTS, WRITE_LISTS
from lists import selectors, services
from lists.mastodon import filters
from lists.mastodon.serializers import serialize_list
from statuses.mastodon.lists import StatusListViewSet
from statuses.selectors import timelines


class _OwnedViewSet(MastodonViewSet):
    def _list_params(self) -> dict:
        body = self.body
        policy = body.get("replies_policy") if hasattr(body, "get") else None
        if isinstance(policy, int) and not isinstance(policy, bool):
            # A JSON integer names the enum's value, as Rails' enum casts it.
            policy = services.POLICY_NAMES.get(policy, str(policy))
        else:
            policy = param_str(body, "replies_policy")
        return {
            "replies_policy": policy,
            "exclusive": param_bool(body, "exclusive"),
        }


class ListViewSet(_OwnedViewSet):
    required_scopes = {"list": READ_LISTS, "retrieve": READ_LISTS, "create": WRITE_LISTS,
                       "update": WRITE_LISTS, "destroy": WRITE_LISTS}
    token_required_actions = frozenset(required_scopes)
    user_required_actions = token_required_actions

    def list(self, request):
        return Response([serialize_list(lst) for lst in selectors.lists_of(account=self.viewer)])

    def retrieve(self, request, pk=None):
        return Response(serialize_list(
            selectors.list_get_own(account=self.viewer, list_id=parse_id(pk))))

    def create(self, request):
        lst = services.list_create(account=self.viewer, title=param_str(self.body, "title"),
                                   **self._list_params())
        return Response(serialize_list(lst))

    def update(self, request, pk=None):
        body = self.body
        lst = services.list_update(account=self.viewer, list_id=parse_id(pk),
                                   title=param_str(body, "title"), title_given="title" in body,
                                   **self._list_params())
        return Response(serialize_list(lst))

    def destroy(self, request, pk=None):
        services.list_delete(account=self.viewer, list_id=parse_id(pk))
        return Response({})


def _account_ids(data) -> list:
    """`account_ids[]` as given: ids, or None for a value that names no row."""
    return [parse_id(raw) for raw in param_list(data, "account_ids") or []]


class ListAccountsViewSet(MastodonViewSet):
    required_scopes = {"list": READ_LISTS, "create": WRITE_LISTS, "destroy": WRITE_LISTS}
    token_required_actions = frozenset(required_scopes)
    user_required_actions = token_required_actions
    filtersets = {"list": filters.ListAccountsFilterSet}

    def list(self, request, pk=None):
        lst = selectors.list_get_own(account=self.viewer, list_id=parse_id(pk))
        members = selectors.list_members(lst=lst)
        if request.query_params.get("limit") == "0":
            # Mastodon's `unlimited?`: every member, no Link.
            return Response([serialize_account(a) for a in members.order_by("pk")])
        params = self.list_params()
        limit = params["limit"]
        rows = paginate(members, params, field="pk", limit=limit)
        headers = {}
        link = link_header(request, first_cursor=rows[0].pk if rows else None,
                           last_cursor=rows[-1].pk if rows else None, page_size=len(rows),
                           limit=limit, prev_param="since_id")
        if link:
            headers["Link"] = link
        return Response([serialize_account(a) for a in rows], headers=headers)

    def create(self, request, pk=None):
        ids = _account_ids(self.body)
        if None in ids:
            # Account.find of an id that names nothing.
            selectors.list_get_own(account=self.viewer, list_id=parse_id(pk))
            account_selectors.account_get(account_id=None)
        services.list_add_accounts(account=self.viewer, list_id=parse_id(pk), account_ids=ids)
        return Response({})

    def destroy(self, request, pk=None):
        data = self.body if "account_ids" in self.body or "account_ids[]" in self.body \
            else request.query_params
        ids = [pk_ for pk_ in _account_ids(data) if pk_ is not None]
        services.list_remove_accounts(account=self.viewer, list_id=parse_id(pk),
                                      account_ids=ids)
        return Response({})


class AccountListsViewSet(MastodonViewSet):
    required_scopes = {"list": READ_LISTS}
    token_required_actions = frozenset({"list"})
    user_required_actions = token_required_actions

    def list(self, request, pk=None):
        member = account_selectors.account_get(account_id=parse_id(pk))
        return Response([serialize_list(lst) for lst in
                         selectors.lists_holding(account=self.viewer, member=member)])


class ListTimelineViewSet(StatusListViewSet):
    required_scopes = {"list": READ_LISTS}
    token_required_actions = frozenset({"list"})
    user_required_actions = token_required_actions
    filtersets = {"list": filters.ListTimelineFilterSet}

    def list(self, request, list_id=None):
        lst = selectors.list_get_own(account=self.viewer, list_id=parse_id(list_id))
        policy = lst.replies_policy
        return self.page(
            key=("list", policy),
            build=lambda *, viewer, list_id: timelines.list_timeline(
                viewer=viewer, list_id=list_id, replies_policy=policy),
            values={"list_id": lst.pk})

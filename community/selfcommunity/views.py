"""SelfCommunity's bootstrap endpoints, what its React UI reads before and while it renders:
`/api/v2/dynamic_preference/`, `/api/v2/feature/`, `/api/v2/custom_menu/`, the signed-in user
(`/api/v2/user/me/`), users and their settings, hidden users, user search, suggested users and
popular categories."""

from rest_framework.response import Response

from accounts.selectors import account_get
from accounts.selfcommunity.serializers import serialize_user
from categories.selectors import attach_parent_ids
from categories.selfcommunity.serializers import serialize_category
from community import selectors, services
from community.selfcommunity import filters
from community.selfcommunity.serializers import (
    permissions_of,
    serialize_autocomplete,
    serialize_feature,
    serialize_me,
    serialize_menu,
    serialize_preference,
    serialize_settings,
)
from config import errors
from config.api.selfcommunity import SelfCommunityViewSet, field_error, paginated_response
from config.params import parse_id
from config.scopes import READ_ACCOUNTS, READ_PROFILE, READ_STATUSES, WRITE_ACCOUNTS
from notifications.selectors import sc_unseen_count

# More than there are preferences: a longer list names keys twice or keys that do not exist.
MAX_KEYS = 200
# Mastodon's GET /api/v1/blocks: `follow`, `read` or `read:blocks`.
FOLLOW_READ_BLOCKS = ("follow", "read", "read:blocks")


def _page(view, queryset, render, prepare=None) -> Response:
    """A `{count, next, previous, results}` page of `queryset` at `limit`/`offset`."""
    params = view.list_params()
    limit, offset = params["limit"], params["offset"]
    count = queryset.count()
    rows = list(queryset[offset:offset + limit]) if offset < count else []
    if prepare is not None:
        prepare(rows)
    return paginated_response(view.request, count=count, limit=limit, offset=offset,
                              results=[render(row) for row in rows])


def _whole(view, queryset, render, prepare=None) -> Response:
    """A page of a short list the UI reads at once: all of it unless `limit` is given (react-core
    reads only the first page of preferences and features), in one query."""
    params = view.list_params()
    limit, offset = params["limit"], params["offset"]
    if limit is None:
        rows = list(queryset)
        count, shown = len(rows), rows[offset:]
        limit = max(count, 1)
    else:
        count = queryset.count()
        shown = list(queryset[offset:offset + limit]) if offset < count else []
    if prepare is not None:
        prepare(shown)
    return paginated_response(view.request, count=count, limit=limit, offset=offset,
                              results=[render(row) for row in shown])


def _ordering(text: str | None) -> list[str]:
    """DRF's OrderingFilter: comma-separated known columns, `-` for descending; unknown ones
    are ignored."""
    wanted = []
    for part in (text or "").split(","):
        part = part.strip()
        column = selectors.PREFERENCE_ORDERING.get(part.lstrip("-"))
        if column and column not in {name.lstrip("-") for name in wanted}:
            wanted.append(("-" if part.startswith("-") else "") + column)
    return wanted


class PreferenceViewSet(SelfCommunityViewSet):
    """Anyone reads the preferences, with or without a token, whatever its scopes: the UI
    renders nothing until it has them."""

    filtersets = {"list": filters.PreferencesFilterSet}

    def list(self, request):
        params = self.list_params()
        keys = None
        if params["keys"]:
            keys = list(dict.fromkeys(key.strip() for key in params["keys"].split(",")
                                      if key.strip()))
            if len(keys) > MAX_KEYS:
                raise field_error("keys", f"Ensure this field has no more than {MAX_KEYS} "
                                          "elements.", code="max_length")
        rows = selectors.preferences_list(section=params["section"], search=params["search"],
                                          keys=keys, ordering=_ordering(params["ordering"]))
        return _whole(self, rows, serialize_preference)

    def retrieve(self, request, pk=None):
        return Response(serialize_preference(
            selectors.preference_get(preference_id=parse_id(pk))))


class FeatureViewSet(SelfCommunityViewSet):
    filtersets = {"list": filters.FeaturesFilterSet}

    def list(self, request):
        return _whole(self, selectors.features_all(), serialize_feature)


class CustomMenuViewSet(SelfCommunityViewSet):
    filtersets = {"list": filters.CustomMenusFilterSet,
                  "search": filters.CustomMenuSearchFilterSet}

    def list(self, request):
        return _whole(self, selectors.custom_menus(), serialize_menu,
                      prepare=selectors.attach_menu_items)

    def search(self, request):
        return _whole(self, selectors.custom_menus(search=self.list_params()["search"]),
                      serialize_menu, prepare=selectors.attach_menu_items)

    def retrieve(self, request, pk=None):
        menu = selectors.custom_menu_get(key=pk)
        selectors.attach_menu_items([menu])
        return Response(serialize_menu(menu))


ME = frozenset({"me", "permission", "user_settings", "user_settings_update",
                "hidden_users_id", "hidden_users"})


class UserViewSet(SelfCommunityViewSet):
    required_scopes = {
        "me": READ_PROFILE, "permission": READ_PROFILE, "retrieve": READ_ACCOUNTS,
        "user_settings": READ_ACCOUNTS, "user_settings_update": WRITE_ACCOUNTS,
        "hidden_users_id": FOLLOW_READ_BLOCKS, "hidden_users": FOLLOW_READ_BLOCKS,
        "search": READ_ACCOUNTS, "autocomplete": READ_ACCOUNTS, "suggestion": READ_ACCOUNTS,
    }
    token_required_actions = ME
    user_required_actions = ME
    filtersets = {"hidden_users": filters.UsersFilterSet,
                  "search": filters.UserSearchFilterSet,
                  "autocomplete": filters.UserAutocompleteFilterSet,
                  "suggestion": filters.UsersFilterSet}

    def me(self, request):
        viewer = self.viewer
        return Response(serialize_me(viewer, unseen_interactions=sc_unseen_count(viewer=viewer)))

    def permission(self, request):
        return Response(permissions_of(self.viewer))

    def retrieve(self, request, pk=None):
        return Response(serialize_user(account_get(account_id=parse_id(pk))))

    def _own(self, pk) -> None:
        """Settings are their owner's: another account's are refused (403), a missing one is
        not found (404)."""
        account = account_get(account_id=parse_id(pk))
        if account.pk != self.viewer.pk:
            raise errors.NotAllowed("You do not have permission to perform this action.")

    def user_settings(self, request, pk=None):
        self._own(pk)
        return Response(serialize_settings(selectors.user_settings_get(account=self.viewer)))

    def user_settings_update(self, request, pk=None):
        self._own(pk)
        settings = services.user_settings_update(account=self.viewer, changes=self.body)
        return Response(serialize_settings(settings))

    def hidden_users_id(self, request):
        """A plain JSON array, as react-core's blocked users manager reads it."""
        return Response(selectors.hidden_user_ids(viewer=self.viewer))

    def hidden_users(self, request):
        return _page(self, selectors.hidden_users(viewer=self.viewer), serialize_user)

    def search(self, request):
        params = self.list_params()
        text = params["search"] or params["user"]
        return _page(self, selectors.accounts_search(viewer=self.viewer, text=text),
                     serialize_user)

    def autocomplete(self, request):
        params = self.list_params()
        accounts = selectors.accounts_search(viewer=self.viewer, text=params["search"])
        excluded = [pk for pk in (parse_id(part.strip()) for part in
                                  (params["exclude"] or "").split(",")) if pk]
        if excluded:
            accounts = accounts.exclude(pk__in=excluded)
        return _page(self, accounts, serialize_autocomplete)

    def suggestion(self, request):
        return _page(self, selectors.accounts_suggested(viewer=self.viewer), serialize_user)


class PopularCategoryViewSet(SelfCommunityViewSet):
    required_scopes = {"list": READ_STATUSES}
    filtersets = {"list": filters.PopularCategoriesFilterSet}

    def list(self, request):
        return _page(self, selectors.categories_popular(), serialize_category,
                     prepare=attach_parent_ids)

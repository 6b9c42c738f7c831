"""SelfCommunity `/api/v2/category/`, `/api/v2/reaction/` and the tags a composer may address
(`/api/v2/user/tag/tags_to_address_a_contribution/`)."""

from rest_framework.response import Response

from categories import selectors
from categories.selfcommunity import filters
from categories.selfcommunity.serializers import (
    serialize_category,
    serialize_reaction,
    serialize_tag,
)
from config.api.base import parse_id
from config.api.selfcommunity import SelfCommunityViewSet, paginated_response
from config.scopes import READ_STATUSES


def _page(view, queryset, render, prepare=None) -> Response:
    request = view.request
    params = view.list_params()
    limit, offset = params["limit"], params["offset"]
    count = queryset.count()
    rows = list(queryset[offset:offset + limit])
    if prepare is not None:
        prepare(rows)
    return paginated_response(request, count=count, limit=limit, offset=offset,
                              results=[render(row) for row in rows])


class CategoryViewSet(SelfCommunityViewSet):
    required_scopes = {"list": READ_STATUSES, "retrieve": READ_STATUSES}
    filtersets = {"list": filters.CategoriesFilterSet}

    def list(self, request):
        return _page(self, selectors.categories_active(), serialize_category,
                     prepare=selectors.attach_parent_ids)

    def retrieve(self, request, pk=None):
        category = selectors.category_get_active(category_id=parse_id(pk))
        selectors.attach_parent_ids([category])
        return Response(serialize_category(category))


class ReactionViewSet(SelfCommunityViewSet):
    required_scopes = {"list": READ_STATUSES, "retrieve": READ_STATUSES}
    filtersets = {"list": filters.ReactionsFilterSet}

    def list(self, request):
        return _page(self, selectors.reactions_all(), serialize_reaction)

    def retrieve(self, request, pk=None):
        return Response(serialize_reaction(selectors.reaction_get(reaction_id=parse_id(pk))))


class AddressingTagViewSet(SelfCommunityViewSet):
    """A plain JSON array, as the SDK's composer reads it."""

    required_scopes = {"list": READ_STATUSES}
    token_required_actions = frozenset({"list"})
    user_required_actions = frozenset({"list"})

    def list(self, request):
        return Response([serialize_tag(t) for t in selectors.tags_to_address(viewer=self.viewer)])

"""/api/v2/filters (with their keywords and statuses) and the v1 view of them, as Mastodon
4.5's FiltersController, Filters::KeywordsController, Filters::StatusesController and
V1::FiltersController answer. Lists are whole (Mastodon pages none of them); another account's
filter, keyword or status rule is 404 "Record not found"."""

from rest_framework.response import Response

from config.api.mastodon import (
    MastodonViewSet,
    param_bool,
    param_list,
    param_nested_attributes,
    param_str,
    parse_id,
)
from config.scopes import READ_FILTERS, WRITE_FILTERS
from filters import selectors, services
from filters.mastodon.serializers import (
    serialize_filter,
    serialize_filter_status,
    serialize_keyword,
    serialize_v1_filter,
)
from statuses.models import Status
from statuses.selectors.visibility import visible_to

READS = frozenset({"list", "retrieve", "keywords", "keyword", "statuses", "status"})


def _scopes(actions) -> dict:
    return {action: READ_FILTERS if action in READS else WRITE_FILTERS for action in actions}


def _given(data, key: str):
    """The parameter, or UNSET when the request does not name it."""
    if hasattr(data, "getlist"):
        present = key in data or f"{key}[]" in data
    else:
        present = hasattr(data, "get") and (key in data or f"{key}[]" in data)
    return present


def _context(data):
    if not _given(data, "context"):
        return services.UNSET
    values = param_list(data, "context")
    if values is None:
        single = param_str(data, "context")
        values = [single] if single else []
    return values


def _keyword_changes(data) -> list[services.KeywordChange]:
    changes = []
    for entry in param_nested_attributes(data, "keywords_attributes") or []:
        raw_id = param_str(entry, "id")
        changes.append(services.KeywordChange(
            id=(parse_id(raw_id) or -1) if raw_id not in (None, "") else None,
            keyword=param_str(entry, "keyword"),
            whole_word=param_bool(entry, "whole_word"),
            destroy=bool(param_bool(entry, "_destroy")),
        ))
    return changes


def _expires_in(data):
    return param_str(data, "expires_in") if _given(data, "expires_in") else services.UNSET


class FilterViewSet(MastodonViewSet):
    """/api/v2/filters and /api/v2/filters/:id."""

    required_scopes = _scopes({"list", "create", "retrieve", "update", "destroy"})
    token_required_actions = frozenset(required_scopes)
    user_required_actions = token_required_actions

    def _filter(self, pk):
        return selectors.filter_get(account=self.viewer, filter_id=parse_id(pk))

    def list(self, request):
        return Response([serialize_filter(f) for f in selectors.filters_of(self.viewer)])

    def create(self, request):
        data = request.data
        expires_in = _expires_in(data)
        created = services.filter_create(
            account=self.viewer, title=param_str(data, "title"),
            context=_context(data) if _given(data, "context") else [],
            action=param_str(data, "filter_action"),
            expires_in=None if expires_in is services.UNSET else expires_in,
            keywords=_keyword_changes(data))
        return Response(serialize_filter(self._filter(created.pk)))

    def retrieve(self, request, pk=None):
        return Response(serialize_filter(self._filter(pk)))

    def update(self, request, pk=None):
        data = request.data
        filter_ = self._filter(pk)
        services.filter_update(
            filter_=filter_,
            title=param_str(data, "title") if _given(data, "title") else services.UNSET,
            context=_context(data),
            action=(param_str(data, "filter_action") if _given(data, "filter_action")
                    else services.UNSET),
            expires_in=_expires_in(data), keywords=_keyword_changes(data))
        return Response(serialize_filter(self._filter(pk)))

    def destroy(self, request, pk=None):
        services.filter_destroy(filter_=self._filter(pk))
        return Response({})


class FilterKeywordViewSet(MastodonViewSet):
    """/api/v2/filters/:filter_id/keywords and /api/v2/filters/keywords/:id."""

    required_scopes = _scopes({"keywords", "create", "keyword", "update", "destroy"})
    token_required_actions = frozenset(required_scopes)
    user_required_actions = token_required_actions

    def _keyword(self, pk):
        return selectors.keyword_get(account=self.viewer, keyword_id=parse_id(pk))

    def keywords(self, request, filter_id=None):
        filter_ = selectors.filter_get(account=self.viewer, filter_id=parse_id(filter_id))
        return Response([serialize_keyword(k) for k in filter_.keywords.all()])

    def create(self, request, filter_id=None):
        filter_ = selectors.filter_get(account=self.viewer, filter_id=parse_id(filter_id))
        row = services.keyword_add(filter_=filter_, keyword=param_str(request.data, "keyword"),
                                   whole_word=param_bool(request.data, "whole_word"))
        return Response(serialize_keyword(row))

    def keyword(self, request, pk=None):
        return Response(serialize_keyword(self._keyword(pk)))

    def update(self, request, pk=None):
        row = services.keyword_update(keyword=self._keyword(pk),
                                      text=param_str(request.data, "keyword"),
                                      whole_word=param_bool(request.data, "whole_word"))
        return Response(serialize_keyword(row))

    def destroy(self, request, pk=None):
        services.keyword_destroy(keyword=self._keyword(pk))
        return Response({})


class FilterStatusViewSet(MastodonViewSet):
    """/api/v2/filters/:filter_id/statuses and /api/v2/filters/statuses/:id. A status is added
    only when its owner may see it (Mastodon's StatusPolicy#show?)."""

    required_scopes = _scopes({"statuses", "create", "status", "destroy"})
    token_required_actions = frozenset(required_scopes)
    user_required_actions = token_required_actions

    def _rule(self, pk):
        return selectors.status_rule_get(account=self.viewer, rule_id=parse_id(pk))

    def statuses(self, request, filter_id=None):
        filter_ = selectors.filter_get(account=self.viewer, filter_id=parse_id(filter_id))
        return Response([serialize_filter_status(s) for s in filter_.statuses.all()])

    def create(self, request, filter_id=None):
        filter_ = selectors.filter_get(account=self.viewer, filter_id=parse_id(filter_id))
        status_id = parse_id(param_str(request.data, "status_id") or "")
        exists = status_id is not None and Status.objects.filter(
            pk=status_id, deleted_at__isnull=True).exists()
        visible = exists and visible_to(self.viewer).filter(pk=status_id).exists()
        row = services.status_add(filter_=filter_, status_id=status_id, exists=exists,
                                  visible=visible)
        return Response(serialize_filter_status(row))

    def status(self, request, pk=None):
        return Response(serialize_filter_status(self._rule(pk)))

    def destroy(self, request, pk=None):
        services.status_remove(rule=self._rule(pk))
        return Response({})


class V1FilterViewSet(MastodonViewSet):
    """/api/v1/filters: each keyword of the reader's filters shown as one v1 filter."""

    required_scopes = _scopes({"list", "create", "retrieve", "update", "destroy"})
    token_required_actions = frozenset(required_scopes)
    user_required_actions = token_required_actions

    def _keyword(self, pk):
        return selectors.keyword_get(account=self.viewer, keyword_id=parse_id(pk))

    def list(self, request):
        return Response([serialize_v1_filter(k) for k in selectors.keywords_of(self.viewer)])

    def create(self, request):
        data = request.data
        expires_in = _expires_in(data)
        row = services.v1_create(
            account=self.viewer, phrase=param_str(data, "phrase"),
            context=_context(data) if _given(data, "context") else [],
            irreversible=bool(param_bool(data, "irreversible")),
            whole_word=param_bool(data, "whole_word"),
            expires_in=None if expires_in is services.UNSET else expires_in)
        return Response(serialize_v1_filter(row))

    def retrieve(self, request, pk=None):
        return Response(serialize_v1_filter(self._keyword(pk)))

    def update(self, request, pk=None):
        data = request.data
        row = services.v1_update(
            keyword=self._keyword(pk), phrase=param_str(data, "phrase"),
            context=_context(data), irreversible=param_bool(data, "irreversible"),
            whole_word=param_bool(data, "whole_word"), expires_in=_expires_in(data))
        return Response(serialize_v1_filter(row))

    def destroy(self, request, pk=None):
        keyword = self._keyword(pk)
        services.keyword_destroy(keyword=keyword)
        return Response({})

"""Every list of both dialects cleans its query parameters with a FilterSet declared on its view
(`filtersets[action]`, config/api/filters.py), and that FilterSet declares exactly the query
parameters the served description lists for the operation: a new list cannot ship with
parameters parsed by hand, or with parameters the description does not tell clients (and the
fuzzer) about.

To add a list: describe its query parameters (config/api/schema/), declare a FilterSet beside
its view (`<app>/<dialect>/filters.py`) and name it in the view's `filtersets`."""

import re

import pytest
from django.urls import get_resolver, resolve
from drf_spectacular.generators import SchemaGenerator

from config.api.filters import ParamsFilterSet

DESCRIPTION = SchemaGenerator().get_schema(request=None, public=True)
SAMPLE_PATH_VALUES = {"id": "1", "account_id": "1", "list_id": "1", "hashtag": "fox",
                      "group_key": "favourite-1-1"}


def _query_parameters(operation: dict) -> set[str]:
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}


def _is_page(operation: dict) -> bool:
    """A SelfCommunity page (`{count, next, previous, results}`) or a Mastodon array."""
    schema = (operation["responses"].get("200", {}).get("content", {})
              .get("application/json", {}).get("schema", {}))
    return schema.get("type") == "array" or "results" in schema.get("properties", {})


GETS = sorted((path, item["get"]) for path, item in DESCRIPTION["paths"].items() if "get" in item)
LISTS = [(path, operation) for path, operation in GETS if _query_parameters(operation)]
# A POST that answers a page (SelfCommunity's `/api/v2/feed/likethis/`: the statuses named in
# the body, paged by `limit`/`offset` in the query) is a list too.
POST_LISTS = sorted((path, item["post"]) for path, item in DESCRIPTION["paths"].items()
                    if "post" in item and "limit" in _query_parameters(item["post"]))


def _view_action(path: str, method: str = "get"):
    """The viewset class and action that serve GET `path` (a described path)."""
    concrete = re.sub(r"\{(\w+)\}", lambda m: SAMPLE_PATH_VALUES[m.group(1)], path)
    match = resolve(concrete)
    return match.func.cls, match.func.actions[method]


def test_the_walk_is_not_vacuous():
    paths = {path for path, _ in LISTS}
    assert {"/api/v1/timelines/public", "/api/v1/accounts/relationships", "/api/v1/statuses",
            "/api/v2/status/", "/api/v2/moderation/contribution/",
            "/api/v2/comment/"} <= paths
    assert len(LISTS) >= 34


@pytest.mark.parametrize(("path", "operation", "method"),
                         [(p, o, "get") for p, o in LISTS] + [(p, o, "post") for p, o in POST_LISTS],
                         ids=[path for path, _ in LISTS] + [f"POST {p}" for p, _ in POST_LISTS])
def test_every_list_declares_a_filterset_of_exactly_its_described_parameters(path, operation,
                                                                             method):
    view, action = _view_action(path, method)
    filterset = view.filtersets.get(action)
    assert filterset is not None, (
        f"{view.__name__}.{action} (GET {path}) reads query parameters without a FilterSet: "
        f"name one in {view.__name__}.filtersets")
    assert issubclass(filterset, ParamsFilterSet)
    declared = set(filterset.base_filters)
    described = _query_parameters(operation)
    assert declared == described, (
        f"{filterset.__name__} declares {sorted(declared - described)} that the description "
        f"does not list, and misses {sorted(described - declared)}")


@pytest.mark.parametrize(("path", "operation"), GETS, ids=[path for path, _ in GETS])
def test_a_paged_list_describes_its_paging(path, operation):
    """A list that pages must say how: `limit` (and SelfCommunity's `offset`). Mastodon's
    arrays that are not paged (relationships, statuses by id, history, tags to address, custom
    emojis, announcements) take no `limit`."""
    if not _is_page(operation):
        return
    parameters = _query_parameters(operation)
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    if "results" in schema.get("properties", {}):
        assert {"limit", "offset"} <= parameters, path
    elif "limit" not in parameters:
        assert path in {"/api/v1/accounts/relationships", "/api/v1/statuses",
                        "/api/v1/statuses/{id}/history",
                        "/api/v2/user/tag/tags_to_address_a_contribution/",
                        # Every blocked id at once, as react-core's blocked users manager
                        # reads it.
                        "/api/v2/user/hidden_users_id/",
                        # Mastodon answers every listed emoji and every shown announcement.
                        "/api/v1/custom_emojis", "/api/v1/announcements",
                        # Every sender of one notification group, as Mastodon answers it.
                        "/api/v2/notifications/{group_key}/accounts",
                        # An account's featured tags (at most 10) and its 10 suggestions,
                        # whole, as Mastodon answers them.
                        "/api/v1/featured_tags", "/api/v1/featured_tags/suggestions",
                        "/api/v1/accounts/{account_id}/featured_tags",
                        # An account's lists (at most 50) and the lists holding an account.
                        "/api/v1/lists", "/api/v1/accounts/{id}/lists",
                        # A user's filters, and one filter's keywords and statuses, whole, as
                        # Mastodon answers them.
                        "/api/v1/filters", "/api/v2/filters",
                        "/api/v2/filters/{filter_id}/keywords",
                        "/api/v2/filters/{filter_id}/statuses",
                        # Whole answers in Mastodon: familiar followers of the ids asked, an
                        # account's identity proofs, the instance's peers, rules, languages and
                        # its 12 weeks of activity.
                        "/api/v1/accounts/familiar_followers",
                        "/api/v1/accounts/{id}/identity_proofs", "/api/v1/instance/activity",
                        "/api/v1/instance/languages", "/api/v1/instance/peers",
                        "/api/v1/instance/rules"}, (
            f"GET {path} answers an array but describes no limit: is it paged?")


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.callback


def test_every_declared_filterset_belongs_to_a_described_list():
    """The other way round: no FilterSet cleans parameters of an action that is not a described
    GET (it would validate what nobody documented)."""
    described = {_view_action(path): path for path, _ in LISTS}
    described.update({_view_action(path, "post"): path for path, _ in POST_LISTS})
    declared = set()
    for _, callback in _routes(get_resolver().url_patterns):
        view = getattr(callback, "cls", None)
        actions = getattr(callback, "actions", None) or {}
        for name in getattr(view, "filtersets", {}):
            if name in actions.values():
                assert actions.get("get") == name or actions.get("post") == name, (
                    view.__name__, name)
                declared.add((view, name))
    assert declared == set(described), sorted(
        f"{view.__name__}.{name}" for view, name in declared ^ set(described))

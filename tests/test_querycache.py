"""The compiled-statement cache (config/querycache.py) gives exactly the statement a freshly
built queryset would, for every viewer shape and value, and never keeps an inlined value."""

from functools import partial

import pytest
from django.db.models import Value

from config import querycache
from config.api.pagination import paginate, paginate_cached
from statuses import services
from statuses.models import Status
from statuses.selectors import timelines as timelines
from statuses.selectors.context import _thread_skeleton
from statuses.selectors.contributions import _contribution_ids
from tests.factories import AccountFactory

VIEWERS = [None, querycache.ViewerShape(pk=5, is_moderator=False),
           querycache.ViewerShape(pk=9, is_moderator=True),
           querycache.ViewerShape(pk=12, is_moderator=False)]

BUILDS = [
    ("public", partial(timelines.public_timeline, local=False, remote=False, only_media=False),
     {}),
    ("public-media", partial(timelines.public_timeline, local=True, remote=False,
                             only_media=True), {}),
    ("contributions", _contribution_ids, {}),
    ("contributions-newest", partial(_contribution_ids,
                                     ordering=("-created_at", "-id")), {}),
    ("context", _thread_skeleton, {"root_id": 41}),
    ("context", _thread_skeleton, {"root_id": 9000}),
    ("account", partial(timelines.account_statuses_unblocked, pinned=False,
                        exclude_replies=False, exclude_reblogs=False, only_media=False),
     {"account_id": 33}),
    ("account", partial(timelines.account_statuses_unblocked, pinned=False,
                        exclude_replies=False, exclude_reblogs=False, only_media=False),
     {"account_id": 5}),
    ("account-all", partial(timelines.account_statuses_unblocked, pinned=True,
                            exclude_replies=True, exclude_reblogs=True, only_media=True),
     {"account_id": 33}),
]
SIGNED_IN_BUILDS = [
    ("home", timelines.home_timeline, {}),
    ("favourites", timelines.favourites, {}),
    ("bookmarks", timelines.bookmarks, {}),
]


def _fresh(build, viewer, values):
    sql, params = build(viewer=viewer, **values).query.sql_with_params()
    return sql, list(params)


@pytest.mark.parametrize("viewer", VIEWERS, ids=lambda v: "anonymous" if v is None else
                         f"{v.pk}{'-moderator' if v.is_moderator else ''}")
def test_cached_statement_equals_fresh_one_for_every_viewer(viewer):
    builds = BUILDS + (SIGNED_IN_BUILDS if viewer is not None else [])
    for key, build, values in builds:
        # Twice: the first call compiles and keeps, the second reuses.
        for _ in range(2):
            sql, params = querycache.compiled(("test", key), build, viewer=viewer, **values)
            assert (sql, list(params)) == _fresh(build, viewer, values), key


def test_inlined_value_is_never_kept():
    # Value() inside an annotation's SELECT is bound, but `Value` of a sentinel spelled in the
    # SQL text (as Django does for LIMIT) must not be reused for another value.
    def build(*, viewer, n):
        return Status.objects.annotate(n=Value(n)).extra(where=[f"id <> {n}"]).values_list("n")

    first = querycache.compiled("inlined", build, viewer=None, n=3)
    second = querycache.compiled("inlined", build, viewer=None, n=4)
    assert "id <> 3" in first[0] and "id <> 4" in second[0]


@pytest.mark.django_db
def test_cached_pages_equal_uncached_pages_with_every_cursor():
    author = AccountFactory()
    ids = [services.status_create(account=author, text=f"s{i}", visibility="public").pk
           for i in range(7)]
    build = partial(timelines.public_timeline, local=False, remote=False, only_media=False)
    for params in ({}, {"max_id": str(ids[5])}, {"since_id": str(ids[1])},
                   {"min_id": str(ids[2])}, {"max_id": str(ids[6]), "since_id": str(ids[0])}):
        for limit in (0, 2, 40):
            cached = paginate_cached("public-test", build, params, viewer=None, field="id",
                                     limit=limit)
            plain = paginate(build(viewer=None), params, field="id", limit=limit)
            assert cached == plain, (params, limit)

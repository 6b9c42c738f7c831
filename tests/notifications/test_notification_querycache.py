"""The notification reads through the compiled-statement cache (config/querycache.py): each
cached statement is exactly the one a freshly built queryset gives, for every viewer shape,
option and value, including text values (types, group keys) bound in place of their sentinels."""

from datetime import datetime
from functools import partial

import pytest

from config import querycache
from notifications import selectors
from notifications.models import Notification
from tests.factories import AccountFactory

VIEWERS = [querycache.ViewerShape(pk=5, is_moderator=False),
           querycache.ViewerShape(pk=9, is_moderator=True)]
SLOTS = {f"n{i}": 1000 + i for i in range(selectors.WALK_BATCH)}
KEYS = {f"k{i}": f"favourite-{i}-group" for i in range(8)}
OTHER_KEYS = {f"k{i}": f"reblog-{i}-other" for i in range(8)}

TYPES = {f"t{i}": name for i, name in enumerate(selectors.MASTODON_TYPES)}
# Distinct values throughout: Django drops repeated values of an IN list, which the cached
# statement binds again (the endpoints' tests cover the padded slots).
OTHER_TYPES = {f"t{i}": f"other-type-{i}" for i in range(len(TYPES))}

BUILDS = [
    ("walk-down", partial(selectors._walk_step, include_filtered=False, upward=False), TYPES),
    ("walk-down", partial(selectors._walk_step, include_filtered=False, upward=False),
     {"max_id": 77, "cursor": 60, **TYPES}),
    ("walk-up", partial(selectors._walk_step, include_filtered=True, upward=True),
     {"min_id": 3, "since_id": 4, "account_id": 12, "cursor": 50, **OTHER_TYPES}),
    # Other types through the statement compiled above: they are bound, not kept.
    ("walk-up", partial(selectors._walk_step, include_filtered=True, upward=True),
     {"min_id": 3, "since_id": 4, "account_id": 12, "cursor": 50, **TYPES}),
    ("kept", partial(selectors._walk_kept, grouped=None), SLOTS),
    ("kept-grouped", partial(selectors._walk_kept, grouped=("favourite", "reblog")), SLOTS),
    ("kept-ungrouped", partial(selectors._walk_kept, grouped=()), SLOTS),
    ("stats", partial(selectors._group_stats, size=8), {"low": 0, **KEYS}),
    ("stats", partial(selectors._group_stats, size=8), {"low": 31, "high": 90, **KEYS}),
    ("samples", partial(selectors._group_samples, size=8), KEYS),
    ("samples", partial(selectors._group_samples, size=8), {"high": 90, **KEYS}),
    # Other keys through the statement compiled above: they are bound, not kept.
    ("stats", partial(selectors._group_stats, size=8), {"low": 31, "high": 90, **OTHER_KEYS}),
    ("samples", partial(selectors._group_samples, size=8), {"high": 90, **OTHER_KEYS}),
]


@pytest.mark.parametrize("viewer", VIEWERS, ids=lambda v: f"{v.pk}-{v.is_moderator}")
def test_cached_statement_equals_fresh_one(viewer):
    for key, build, values in BUILDS:
        for _ in range(2):  # the first call compiles and keeps, the second reuses
            sql, params = querycache.compiled(("notifications-test", key), build,
                                              viewer=viewer, **values)
            fresh_sql, fresh_params = build(viewer=viewer, **values).query.sql_with_params()
            assert (sql, list(params)) == (fresh_sql, list(fresh_params)), key


@pytest.mark.django_db
def test_group_samples_read_created_at_as_the_orm_does():
    reader, sender = AccountFactory(), AccountFactory()
    row = Notification.objects.create(recipient=reader, from_account=sender, type="favourite",
                                      group_key="favourite-1-0")
    [group] = selectors.groups_load(viewer=reader, heads=[row],
                                    grouped_types=selectors.GROUPABLE_TYPES,
                                    page=(row.pk, row.pk))
    assert isinstance(group.latest_page_notification_at, datetime)
    assert group.latest_page_notification_at == Notification.objects.get(pk=row.pk).created_at
    assert (group.count, group.sample_account_ids) == (1, [sender.pk])

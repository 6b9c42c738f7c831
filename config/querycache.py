"""The SQL of the hot list querysets, built and compiled once per shape, run with new values.

Building a status list's queryset (the visibility rule is a dozen `Exists` subqueries, twice
for reblogs) and compiling it cost more than running it: 40 ms of a 66 ms SelfCommunity list of
20. The rule stays written once, as ORM expressions: a `build` function makes the queryset from
a stand-in viewer and stand-in values (sentinels, numbers no real row id or count can be; a
text column's lookup binds them as their text, which marks the value's place as well), the
compiled statement is kept per shape (the key, whether there is a viewer and whether they are a
moderator, which values were given), and each call puts its own values where the sentinels were.
A shape whose SQL text holds a sentinel (a value Django inlined rather than bound) is never
kept: it is built afresh every time, so a value cannot be stuck in a cached statement.
tests/test_querycache.py checks the cached statements against freshly built ones.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

# Far beyond any id, count or offset this server will hold (and within a signed 64-bit integer).
SENTINEL_BASE = 7_345_000_000_000_000_000


@dataclass(frozen=True)
class ViewerShape:
    """What the visibility rules read of a viewer: the id and whether they moderate."""

    pk: int
    is_moderator: bool


@dataclass
class _Entry:
    sql: str
    # Per bound parameter: the name of the value it takes, or None for a constant.
    names: list[str | None]
    constants: list


_CACHE: dict[Hashable, _Entry | None] = {}


def _compile(build: Callable[..., QuerySet], viewer_moderator: bool | None,
             names: list[str]) -> tuple[_Entry | None, dict]:
    sentinels = {name: SENTINEL_BASE + i for i, name in enumerate(["viewer", *names])}
    viewer = (None if viewer_moderator is None
              else ViewerShape(pk=sentinels["viewer"], is_moderator=viewer_moderator))
    queryset = build(viewer=viewer, **{name: sentinels[name] for name in names})
    sql, params = queryset.query.sql_with_params()
    by_value = {value: name for name, value in sentinels.items()}
    # A text column's lookup binds the sentinel as its text: that is the value's place too.
    by_text = {str(value): name for name, value in sentinels.items()}
    entry_names: list[str | None] = []
    for param in params:
        entry_names.append(by_value.get(param) if type(param) is int
                           else by_text.get(param) if type(param) is str else None)
    if any(str(value) in sql for value in sentinels.values()):
        return None, sentinels
    return _Entry(sql=sql, names=entry_names, constants=list(params)), sentinels


def compiled(key: Hashable, build: Callable[..., QuerySet], *, viewer, **values) -> tuple[str, list]:
    """(sql, params) of `build(viewer=viewer, **values)`. `build` must depend on the viewer only
    through `pk` and `is_moderator`, and on each value only by binding it as a parameter
    (no arithmetic on it, no `if` on it: a value that changes the query's shape belongs in
    `key`). Values that are None are left out, and their absence is part of the shape."""
    values = {name: value for name, value in values.items() if value is not None}
    names = sorted(values)
    moderator = None if viewer is None else bool(viewer.is_moderator)
    full_key = (key, connection.vendor, moderator, tuple(names))
    if full_key not in _CACHE:
        _CACHE[full_key], _ = _compile(build, moderator, names)
    entry = _CACHE[full_key]
    if entry is None:
        return build(viewer=viewer, **values).query.sql_with_params()
    actual = dict(values, viewer=viewer.pk if viewer is not None else None)
    params = [actual[name] if name is not None else constant
              for name, constant in zip(entry.names, entry.constants, strict=True)]
    return entry.sql, params


def fetch(key: Hashable, build: Callable[..., QuerySet], *, viewer, limit: int | None = None,
          offset: int | None = None, **values) -> list[tuple]:
    """The rows of `build(...)` (a `values_list` queryset, unsliced), then LIMIT/OFFSET."""
    try:
        sql, params = compiled(key, build, viewer=viewer, **values)
    except EmptyResultSet:  # `.none()`, or a filter that can match nothing
        return []
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
        if offset:
            sql += " OFFSET %s"
            params.append(offset)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def count(key: Hashable, build: Callable[..., QuerySet], *, viewer, bound: int | None = None,
          **values) -> int:
    """How many rows `build(...)` has; with `bound`, counting stops there."""
    try:
        sql, params = compiled(key, build, viewer=viewer, **values)
    except EmptyResultSet:
        return 0
    limit = ""
    if bound is not None:
        limit, params = " LIMIT %s", [*params, bound]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}{limit}) counted", params)
        return cursor.fetchone()[0]

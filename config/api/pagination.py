"""Mastodon paging: `limit`, `max_id`/`since_id`/`min_id` cursors and the Link header (spec 4.3).

Cursors are over whatever column a list is ordered by (status ids for timelines, favourite row
ids for favourited_by...). The Link header's query keeps `limit` only when the client sent it,
plus the list's own filters, with keys sorted as Rails' `to_query` sorts them.
"""

from collections.abc import Sequence
from urllib.parse import urlencode

from django.db.models import QuerySet

from config import querycache
from config.api.mastodon import parse_id


def limit_param(params, default: int, maximum: int | None = None) -> int:
    """Rails' `limit_param`: absent -> default, else min(|to_i|, max); `limit=0` is an empty page."""
    maximum = maximum or default * 2
    raw = params.get("limit")
    if raw is None or raw == "":
        return default
    digits = ""
    text = str(raw).strip()
    sign = 1
    if text[:1] in ("+", "-"):
        sign = -1 if text[0] == "-" else 1
        text = text[1:]
    for char in text:
        if char not in "0123456789":  # ASCII only, as Ruby's to_i
            break
        digits += char
    value = abs(sign * int(digits)) if digits else 0
    return min(value, maximum)


def paginate(queryset: QuerySet, params, *, field: str, limit: int) -> list:
    """One page of `queryset` ordered newest first by `field`, honouring the cursors."""
    max_id = parse_id(params.get("max_id")) if params.get("max_id") else None
    since_id = parse_id(params.get("since_id")) if params.get("since_id") else None
    min_id = parse_id(params.get("min_id")) if params.get("min_id") else None
    if max_id is not None:
        queryset = queryset.filter(**{f"{field}__lt": max_id})
    if since_id is not None:
        queryset = queryset.filter(**{f"{field}__gt": since_id})
    if limit <= 0:
        return []
    if min_id is not None:
        # Oldest first just after min_id, then reversed so the page still reads newest first.
        rows = list(queryset.filter(**{f"{field}__gt": min_id}).order_by(field)[:limit])
        rows.reverse()
        return rows
    return list(queryset.order_by(f"-{field}")[:limit])


def paginate_cached(key, build, params, *, viewer, field: str, limit: int,
                    values: dict | None = None) -> list:
    """`paginate(build(viewer=viewer), ...)` through the compiled-statement cache
    (config/querycache.py): `build` makes the list's queryset for a viewer; `key` names it and
    every option that changes its shape; `values` are bound parameters `build` also takes
    (ids). Rows as `paginate` gives them: ids for a flat `values_list`, tuples otherwise."""
    if limit <= 0:
        return []

    def paged(*, viewer, max_id=None, since_id=None, min_id=None, **values):
        queryset = build(viewer=viewer, **values)
        if max_id is not None:
            queryset = queryset.filter(**{f"{field}__lt": max_id})
        if since_id is not None:
            queryset = queryset.filter(**{f"{field}__gt": since_id})
        if min_id is not None:
            return queryset.filter(**{f"{field}__gt": min_id}).order_by(field)
        return queryset.order_by(f"-{field}")

    min_id = parse_id(params.get("min_id")) if params.get("min_id") else None
    rows = querycache.fetch(
        ("paginate", key, field), paged, viewer=viewer, limit=limit,
        max_id=parse_id(params.get("max_id")) if params.get("max_id") else None,
        since_id=parse_id(params.get("since_id")) if params.get("since_id") else None,
        min_id=min_id, **(values or {}),
    )
    if rows and len(rows[0]) == 1:
        rows = [row[0] for row in rows]
    if min_id is not None:
        # Oldest first just after min_id, then reversed so the page still reads newest first.
        rows.reverse()
    return rows


def link_header(
    request,
    *,
    first_cursor,
    last_cursor,
    page_size: int,
    limit: int,
    prev_param: str = "min_id",
    keep: Sequence[str] = (),
) -> str | None:
    """`next` (max_id of the last item) when the page is full; `prev` whenever it is not empty.
    Each link keeps `limit` and the `keep` parameters, an array one as its `key[]` values (keys
    sorted, as Rails' `to_query` sorts them)."""
    if page_size == 0:
        return None
    base = request.build_absolute_uri(request.path)
    query = request.query_params
    common: list[tuple[str, str]] = []
    for key in dict.fromkeys((*keep, "limit")):
        values = query.getlist(f"{key}[]")
        if values:
            common += [(f"{key}[]", value) for value in values]
        elif query.get(key) not in (None, ""):
            common.append((key, query.get(key)))

    def url(extra: dict) -> str:
        items = [kv for kv in common if kv[0] not in extra] + list(extra.items())
        return f"{base}?{urlencode(sorted(items, key=lambda kv: kv[0]))}"

    links = []
    if page_size >= limit:
        links.append(f'<{url({"max_id": last_cursor})}>; rel="next"')
    links.append(f'<{url({prev_param: first_cursor})}>; rel="prev"')
    return ", ".join(links)

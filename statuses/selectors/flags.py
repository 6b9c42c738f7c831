"""What one viewer has done to a page of statuses (favourited, reblogged, bookmarked, pinned, muted
threads), in one statement."""


from django.db import connection

from config.db import ids_clause
from statuses.models import (
    Bookmark,
    ConversationMute,
    Pin,
    Status,
    Vote,
)
from statuses.status_page import ViewerFlags


def viewer_flags(viewer, statuses) -> ViewerFlags:
    """Per-viewer flags for a page (originals of reblogs included) in one query, whatever the
    page's size; none for anonymous callers."""
    flags = ViewerFlags()
    if viewer is None:
        return flags
    ids: set[int] = set()
    threads: set[int] = set()
    for status in statuses:
        ids.add(status.pk)
        threads.add(status.thread_root_id or status.pk)
        if status.reblog_of_id is not None:
            ids.add(status.reblog_of_id)
            original = status.reblog_of
            if original is not None:
                threads.add(original.thread_root_id or original.pk)
    if not ids:
        return flags
    id_list = sorted(ids)
    parts, params = [], []
    for tag, table, column, extra in (
        ("f", Vote._meta.db_table, "status_id", ""),
        ("r", Status._meta.db_table, "reblog_of_id", " AND deleted_at IS NULL"),
        ("b", Bookmark._meta.db_table, "status_id", ""),
        ("p", Pin._meta.db_table, "status_id", ""),
    ):
        clause, clause_params = ids_clause(column, id_list)
        parts.append(f"SELECT '{tag}', {column} FROM {table} WHERE account_id = %s AND {clause}"
                     + extra)
        params += [viewer.pk, *clause_params]
    clause, clause_params = ids_clause("thread_id", sorted(threads))
    parts.append(f"SELECT 'm', thread_id FROM {ConversationMute._meta.db_table} "
                 f"WHERE account_id = %s AND {clause}")
    params += [viewer.pk, *clause_params]
    target = {"f": flags.favourited, "r": flags.reblogged, "b": flags.bookmarked,
              "p": flags.pinned, "m": flags.muted_threads}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for tag, status_id in cursor.fetchall():
            target[tag].add(status_id)
    return flags

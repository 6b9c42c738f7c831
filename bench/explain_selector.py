"""EXPLAIN ANALYZE the statements of a list selector on PostgreSQL: `python bench/explain_selector.py
category_feed_page --viewer alice --category 11 [--offset 0] [--limit 20] [--full]`. Runs the
selector (statuses.selectors.lists) capturing its statements, then EXPLAIN (ANALYZE, BUFFERS)
each one it ran but the page's row loading, printing each plan's execution time (or the whole
plan with --full). As the requests run them: each statement PREPAREd and EXECUTEd with its
parameters, so under the connection's plan_cache_mode (force_generic_plan, config/settings.py)
the plan shown is the generic plan a request gets (with --custom, the plan for these values).
Uses DATABASE_URL."""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("selector")
    parser.add_argument("--viewer", default="alice")
    parser.add_argument("--category", type=int)
    parser.add_argument("--statuses", default="", help="comma-separated ids (like_these_page)")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--custom", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from psycopg import sql as pgsql

    from accounts.models import Account
    from statuses.selectors import lists

    viewer = Account.objects.get(username=args.viewer) if args.viewer else None
    about = {}
    if args.category is not None:
        about["category_id"] = args.category
    if args.statuses:
        about["status_ids"] = [int(s) for s in args.statuses.split(",")]
    selector = getattr(lists, args.selector)
    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        count, page = selector(viewer=viewer, limit=args.limit, offset=args.offset, **about)
    print(f"count {count}, page {len(page)}: {[s.pk for s in page][:5]}...")
    for n, (sql, params) in enumerate(captured):
        if sql.startswith("SELECT t0.") or "auth_group" in sql:
            continue  # the rows of the page (statuses_for_page), the moderator check
        params = list(params or ())
        parts = sql.split("%s")
        numbered = parts[0] + "".join(f"${i}{part}" for i, part in enumerate(parts[1:], 1))
        literals = ", ".join(pgsql.Literal(p).as_string(connection.connection)
                             for p in params)
        with connection.cursor() as cursor:
            if args.custom:
                cursor.execute("SET plan_cache_mode = force_custom_plan")
            cursor.execute(f"PREPARE explained_{n} AS {numbered}".replace("%%", "%"))
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) EXECUTE explained_{n}"
                           + (f"({literals})" if params else ""))
            plan = [row[0] for row in cursor.fetchall()]
            cursor.execute(f"DEALLOCATE explained_{n}")
        print("--", sql[:160].replace("\n", " "), "...")
        print("\n".join(plan) if args.full else
              "   " + " | ".join(line.strip() for line in plan if "Execution Time" in line))


if __name__ == "__main__":
    main()

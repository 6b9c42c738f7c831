"""In-process profile of one endpoint through Django's WSGI handler (no test client, no
server): `python bench/inprocess.py PATH [--token alice] [--n 500] [--prof out.prof] [--method
POST --body JSON]`. Prints ms per request, SQL statements per request, and with --prof the top
cumulative functions. Uses DATABASE_URL; rate limits off."""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("RATE_LIMITS_ENABLED", "0")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--token", help="username to make a token for")
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--method", default="GET")
    parser.add_argument("--body", default="")
    parser.add_argument("--prof")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()

    import django
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    app = WSGIHandler()
    auth = ""
    if args.token:
        out = io.StringIO()
        call_command("create_token", args.token, stdout=out)
        auth = "Bearer " + out.getvalue().strip()
    body = args.body.encode()
    path, _, query = args.path.partition("?")

    def request():
        environ = {
            "REQUEST_METHOD": args.method, "PATH_INFO": path, "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": "application/json", "HTTP_HOST": "127.0.0.1",
            "wsgi.errors": sys.stderr,
        }
        if auth:
            environ["HTTP_AUTHORIZATION"] = auth
        status = []
        chunks = app(environ, lambda s, h, *a: status.append(s))
        b"".join(chunks)
        return status[0]

    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    for _ in range(20):
        code = request()
    with connection.execute_wrapper(count):
        request()
    print(f"status {code}; {len(statements)} statements per request", file=sys.stderr)
    profiler = cProfile.Profile() if args.prof else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    for _ in range(args.n):
        request()
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - started
    print(f"{1000 * elapsed / args.n:.3f} ms per request over {args.n}", file=sys.stderr)
    if profiler:
        profiler.dump_stats(args.prof)
        pstats.Stats(args.prof).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()

"""gunicorn's settings for production serving (`make serve`, compose.yaml), from the environment.

WORKERS: sync workers, by default 2 per CPU this process may run on, plus one (gunicorn's advice:
a sync worker waits on PostgreSQL about as long as it computes). BIND, or HOST and PORT: where to
listen. ACCESS_LOG: a file, "-" for stdout (the default) or "" for none.
"""

import os


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs a container or taskset leaves us
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_count() -> int:
    raw = os.environ.get("WORKERS", "").strip()
    if raw:
        return max(int(raw), 1)
    return 2 * cpu_count() + 1


wsgi_app = "config.wsgi:application"
bind = os.environ.get("BIND") or (
    f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}")
workers = worker_count()
worker_class = "sync"
# A request that takes longer is a bug or an outage; the database gives up sooner (connecting:
# DB_CONNECT_TIMEOUT; a statement: DB_STATEMENT_TIMEOUT on the server and DB_QUERY_DEADLINE in
# the client, which also ends a wait on a frozen server), so the outage is a 503 rather than a
# killed worker and an empty reply. Keep DB_QUERY_DEADLINE well under this.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
keepalive = 5
# Recycle workers now and then so that a slow leak cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Behind a proxy or load balancer on another machine, list its address (FORWARDED_ALLOW_IPS) so
# gunicorn trusts its X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The requests gunicorn refuses itself (a request line over 4094 bytes, oversized headers, a
# malformed request) answer JSON, not gunicorn's HTML page.
from config import gunicorn_errors  # noqa: E402

gunicorn_errors.install()

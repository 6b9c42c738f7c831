"""gunicorn's own refusals, written as JSON instead of its HTML page.

gunicorn answers some requests before any view runs: a request line longer than
`limit_request_line` (414), headers over `limit_request_field_size` or `limit_request_fields`
(431), a malformed request (400), and a 500 when the application itself cannot be called. It
writes each through `gunicorn.util.write_error` as a small HTML page; `install()` (called from
config/gunicorn.conf.py) puts a JSON writer in its place, so these answer like every other API
error: `{"error": "<reason>"}`, Mastodon's envelope (the request line may not have been read,
so the dialect cannot be told).
"""

import json

from gunicorn import util


def write_json_error(sock, status_int: int, reason: str, mesg: str) -> None:
    body = json.dumps({"error": reason}).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\n"
            "Connection: close\r\n"
            "Content-Type: application/json; charset=utf-8\r\n"
            "Cache-Control: no-store\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1")
    util.write_nonblock(sock, head + body)


def install() -> None:
    util.write_error = write_json_error

"""Firing many real HTTP requests at the live server at once, for the race tests of both
dialects (PostgreSQL only: SQLite serialises writers, so it cannot show a race)."""

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

# PostgreSQL allows 100 connections here; leave room for the test's own.
IN_FLIGHT = 40


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (CI runs these on PostgreSQL)")


def post(url: str, token: str, body: bytes = b"") -> int:
    """POST with a bearer token; the status code. A body that comes back must be JSON."""
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            content = response.read()
            if content:
                json.loads(content)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def fire(calls) -> list[int]:
    """Run every (url, token[, body]) at once, IN_FLIGHT at a time, started together."""
    barrier = threading.Barrier(min(IN_FLIGHT, len(calls)))

    def run(call):
        try:
            barrier.wait(timeout=5)
        except threading.BrokenBarrierError:
            pass
        return post(*call)

    with ThreadPoolExecutor(max_workers=IN_FLIGHT) as pool:
        return list(pool.map(run, calls))

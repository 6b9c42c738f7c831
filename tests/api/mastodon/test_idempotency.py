"""Idempotency-Key on POST /api/v1/statuses (section E)."""

import json
import threading
import urllib.request
from datetime import timedelta

import pytest
from django.db import connection

from statuses.models import IdempotencyKey, Status


def test_same_key_returns_first_status(alice_client):
    first = alice_client.post("/api/v1/statuses", {"status": "once"}, HTTP_IDEMPOTENCY_KEY="k1")
    again = alice_client.post("/api/v1/statuses", {"status": "ignored body"},
                              HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["content"] == "<p>once</p>"
    assert Status.objects.count() == 1


def test_same_key_other_account_is_independent(alice_client, bob_client):
    a = alice_client.post("/api/v1/statuses", {"status": "a"}, HTTP_IDEMPOTENCY_KEY="shared")
    b = bob_client.post("/api/v1/statuses", {"status": "b"}, HTTP_IDEMPOTENCY_KEY="shared")
    assert a.json()["id"] != b.json()["id"]
    assert Status.objects.count() == 2


def test_failed_request_does_not_consume_key(alice_client):
    failed = alice_client.post("/api/v1/statuses", {"status": ""}, HTTP_IDEMPOTENCY_KEY="retry")
    assert failed.status_code == 422
    assert not IdempotencyKey.objects.exists()
    ok = alice_client.post("/api/v1/statuses", {"status": "fixed"}, HTTP_IDEMPOTENCY_KEY="retry")
    assert ok.status_code == 200
    assert Status.objects.count() == 1


def test_key_expires_after_an_hour(alice_client):
    first = alice_client.post("/api/v1/statuses", {"status": "one"}, HTTP_IDEMPOTENCY_KEY="hour")
    IdempotencyKey.objects.update(created_at=IdempotencyKey.objects.get().created_at
                                  - timedelta(seconds=3601))
    second = alice_client.post("/api/v1/statuses", {"status": "two"}, HTTP_IDEMPOTENCY_KEY="hour")
    assert second.json()["id"] != first.json()["id"]
    assert IdempotencyKey.objects.get().status_id == int(second.json()["id"])


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_with_one_key_create_one_status(live_server, make_token, alice):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (CI runs this on PostgreSQL)")
    token = make_token(alice)
    barrier = threading.Barrier(20)
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def post(i):
        request = urllib.request.Request(
            f"{live_server.url}/api/v1/statuses",
            data=json.dumps({"status": f"attempt {i}"}).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                     "Idempotency-Key": "race"},
            method="POST",
        )
        barrier.wait(timeout=30)
        with urllib.request.urlopen(request, timeout=60) as response:
            body = json.loads(response.read())
            with lock:
                results.append((response.status, body["id"]))

    threads = [threading.Thread(target=post, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert len(results) == 20
    assert {code for code, _ in results} == {200}
    assert len({status_id for _, status_id in results}) == 1
    assert Status.objects.filter(account=alice).count() == 1
    assert IdempotencyKey.objects.count() == 1
    alice.refresh_from_db()
    assert alice.statuses_count == 1

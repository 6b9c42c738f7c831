"""One rate limit for both dialects: SelfCommunity's routes draw on the same request, paging,
delete and media budgets as Mastodon's, and every 429 of either dialect says when to come back
(X-RateLimit-*, Retry-After)."""

import hashlib
import io
import re
import time

import pytest
from rest_framework.test import APIClient

from media.models import MediaAttachment
from statuses import services
from statuses.models import Status
from tests.api.selfcommunity.test_statuses import png

RESET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
MASTODON_429 = {"error": "Too many requests"}
SC_429 = {"errors": [{"code": "throttled", "message": "Request was throttled."}]}


def limits(settings, **changes):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, **changes}


def assert_refusal(response, *, limit: int, period: int, body: dict):
    """A 429 in the dialect's envelope with the three X-RateLimit headers and Retry-After."""
    assert response.status_code == 429, response.content
    assert response.json() == body
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["X-RateLimit-Limit"] == str(limit)
    assert response["X-RateLimit-Remaining"] == "0"
    assert RESET.match(response["X-RateLimit-Reset"])
    retry = int(response["Retry-After"])
    assert 1 <= retry <= period
    # Retry-After is the time to the window's end, the same instant X-RateLimit-Reset names.
    window_end = (int(time.time()) // period + 1) * period
    assert abs((time.time() + retry) - window_end) <= 2


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # uploads land in the test's folder


@pytest.fixture
def token_client(make_token, alice):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(alice)}")
    return client


def test_mastodon_spends_the_token_budget_selfcommunity_draws_on(token_client, alice, settings):
    limits(settings, per_token_api=(3, 300))
    status = services.status_create(account=alice, text="x")
    for _ in range(3):
        assert token_client.get(f"/api/v1/statuses/{status.pk}").status_code == 200
    for path in ("/api/v2/status/", f"/api/v2/status/{status.pk}/", "/api/v2/feed/"):
        assert_refusal(token_client.get(path), limit=3, period=300, body=SC_429)
    response = token_client.post("/api/v2/status/", {"action": None, "text": "<p>more</p>",
                                                    "categories": []}, format="json")
    assert_refusal(response, limit=3, period=300, body=SC_429)
    assert Status.objects.filter(account=alice).count() == 1


def test_selfcommunity_spends_the_token_budget_mastodon_draws_on(token_client, alice, settings):
    limits(settings, per_token_api=(2, 300))
    assert token_client.get("/api/v2/status/").status_code == 200
    assert token_client.get("/api/v2/feed/").status_code == 200
    assert_refusal(token_client.get("/api/v1/timelines/home"), limit=2, period=300,
                   body=MASTODON_429)


def test_anonymous_callers_share_one_ip_budget_across_dialects(alice, settings):
    limits(settings, unauthenticated_api=(2, 300))
    status = services.status_create(account=alice, text="x")
    anonymous = APIClient()
    assert anonymous.get(f"/api/v1/statuses/{status.pk}").status_code == 200
    assert anonymous.get(f"/api/v2/status/{status.pk}/").status_code == 200
    assert_refusal(anonymous.get("/api/v2/status/"), limit=2, period=300, body=SC_429)
    assert_refusal(anonymous.get("/api/v1/timelines/public"), limit=2, period=300,
                   body=MASTODON_429)
    # Another address has its own budget.
    assert anonymous.get("/api/v2/status/", REMOTE_ADDR="10.9.8.7").status_code == 200


def test_selfcommunity_offset_draws_on_the_paging_budget(alice, settings):
    limits(settings, unauthenticated_paging=(1, 900))
    anonymous = APIClient()
    assert anonymous.get("/api/v1/timelines/public", {"max_id": "9"}).status_code == 200
    assert_refusal(anonymous.get("/api/v2/status/", {"offset": "20"}), limit=1, period=900,
                   body=SC_429)
    assert anonymous.get("/api/v2/status/").status_code == 200


def test_media_uploads_share_one_budget(token_client, alice, settings):
    limits(settings, api_media=(2, 1800))
    assert token_client.post("/api/v1/media", {"file": png()},
                             format="multipart").status_code == 200
    assert token_client.post("/api/v2/media", {"file": png()},
                             format="multipart").status_code in (200, 202)
    before = MediaAttachment.objects.count()
    response = token_client.post("/api/v2/media/", {"type": "image", "image": png()},
                                 format="multipart")
    assert_refusal(response, limit=2, period=1800, body=SC_429)
    assert MediaAttachment.objects.count() == before


def test_selfcommunity_media_upload_spends_the_mastodon_media_budget(token_client, settings):
    limits(settings, api_media=(1, 1800))
    response = token_client.post("/api/v2/media/", {"type": "image", "image": png()},
                                 format="multipart")
    assert response.status_code == 201, response.content
    assert_refusal(token_client.post("/api/v1/media", {"file": png()}, format="multipart"),
                   limit=1, period=1800, body=MASTODON_429)


def test_deletes_share_one_budget(token_client, alice, settings):
    limits(settings, api_delete=(2, 1800))
    first, second, third, comment_parent = (
        services.status_create(account=alice, text=t) for t in ("a", "b", "c", "d"))
    comment = services.status_create(account=alice, text="a comment",
                                     in_reply_to_id=comment_parent.pk)
    assert token_client.delete(f"/api/v1/statuses/{first.pk}").status_code == 200
    assert token_client.delete(f"/api/v2/status/{second.pk}/").status_code == 204
    assert_refusal(token_client.delete(f"/api/v2/status/{third.pk}/"), limit=2, period=1800,
                   body=SC_429)
    assert_refusal(token_client.delete(f"/api/v2/comment/{comment.pk}/"), limit=2,
                   period=1800, body=SC_429)
    assert Status.objects.get(pk=third.pk).deleted_at is None
    assert Status.objects.get(pk=comment.pk).deleted_at is None


def test_selfcommunity_delete_reports_the_delete_budget(token_client, alice):
    status = services.status_create(account=alice, text="x")
    response = token_client.delete(f"/api/v2/status/{status.pk}/")
    assert response.status_code == 204
    assert response["X-RateLimit-Limit"] == "30"
    assert response["X-RateLimit-Remaining"] == "29"


def test_selfcommunity_answers_report_the_tightest_budget(token_client):
    response = token_client.get("/api/v2/status/")
    assert response.status_code == 200
    assert response["X-RateLimit-Limit"] == "300"
    assert response["X-RateLimit-Remaining"] == "299"
    assert RESET.match(response["X-RateLimit-Reset"])
    assert "Retry-After" not in response


def test_posting_limit_refusals_say_when_to_come_back_in_both_dialects(token_client, alice,
                                                                       settings):
    limits(settings, statuses=(1, 10800), per_token_api=(1000, 300),
           authenticated_api=(1000, 300))
    assert token_client.post("/api/v1/statuses", {"status": "one"}).status_code == 200
    assert_refusal(token_client.post("/api/v1/statuses", {"status": "two"}), limit=1,
                   period=10800, body=MASTODON_429)
    response = token_client.post("/api/v2/status/", {"action": None, "text": "<p>three</p>",
                                                    "categories": []}, format="json")
    assert_refusal(response, limit=1, period=10800, body=SC_429)
    assert Status.objects.filter(account=alice).count() == 1


def test_mastodon_throttle_refusal_carries_retry_after(token_client, settings):
    limits(settings, per_token_api=(1, 300))
    assert token_client.get("/api/v1/timelines/home").status_code == 200
    assert_refusal(token_client.get("/api/v1/timelines/home"), limit=1, period=300,
                   body=MASTODON_429)


def test_behind_a_trusted_proxy_each_client_has_its_own_budget(db, settings):
    """A local proxy (REMOTE_ADDR 127.0.0.1, trusted by default) forwards for many clients:
    each is counted by the address X-Forwarded-For names, not all as the proxy."""
    limits(settings, unauthenticated_api=(1, 300))
    anonymous = APIClient()
    proxied = {"REMOTE_ADDR": "127.0.0.1"}
    assert anonymous.get("/api/v2/status/", HTTP_X_FORWARDED_FOR="203.0.113.5",
                         **proxied).status_code == 200
    assert anonymous.get("/api/v2/status/", HTTP_X_FORWARDED_FOR="203.0.113.6",
                         **proxied).status_code == 200
    assert_refusal(anonymous.get("/api/v1/timelines/public", HTTP_X_FORWARDED_FOR="203.0.113.5",
                                 **proxied), limit=1, period=300, body=MASTODON_429)


def test_a_forwarded_address_from_an_untrusted_caller_is_ignored(db, settings):
    limits(settings, unauthenticated_api=(1, 300))
    anonymous = APIClient()
    caller = {"REMOTE_ADDR": "198.51.100.7"}
    assert anonymous.get("/api/v2/status/", HTTP_X_FORWARDED_FOR="203.0.113.1",
                         **caller).status_code == 200
    # Another X-Forwarded-For does not buy a new budget: the caller is not a proxy.
    assert_refusal(anonymous.get("/api/v2/status/", HTTP_X_FORWARDED_FOR="203.0.113.2",
                                 **caller), limit=1, period=300, body=SC_429)


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings):
    from django.test import RequestFactory

    from config.ratelimit import client_ip

    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.1.1",
                                   HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1, 10.0.0.2")
    # 10.0.0.2 is a proxy; 198.51.100.1 is the nearest client; 6.6.6.6 is what it claimed.
    assert client_ip(request) == "198.51.100.1"
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.1.1",
                                   HTTP_X_FORWARDED_FOR="2001:db8:7:8::42")
    assert client_ip(request) == "2001:db8:7:8::/64"
    settings.TRUSTED_PROXIES = []
    assert client_ip(request) == "10.1.1.1"


def test_a_chunked_upload_spends_the_media_budget_once_at_complete(token_client, settings):
    limits(settings, api_media=(1, 1800))
    data = png().getvalue()
    half = len(data) // 2
    upload_id = None
    for start, end in ((0, half), (half, len(data))):
        piece = io.BytesIO(data[start:end])
        piece.name = "blob"
        body = {"image": piece, **({"upload_id": upload_id} if upload_id else {})}
        answer = token_client.post("/api/v2/media/upload/chunk/", body, format="multipart",
                                   HTTP_CONTENT_RANGE=f"bytes {start}-{end - 1}/{len(data)}")
        assert answer.status_code == 201, answer.content
        upload_id = answer.json()["upload_id"]
    done = token_client.post("/api/v2/media/upload/complete/", {
        "upload_id": upload_id, "md5": hashlib.md5(data).hexdigest()}, format="multipart")
    assert done.status_code == 201, done.content
    assert_refusal(token_client.post("/api/v1/media", {"file": png()}, format="multipart"),
                   limit=1, period=1800, body=MASTODON_429)

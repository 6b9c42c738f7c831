"""Scheduled statuses (spec section F, 3.8, 4.3): POST with a future scheduled_at, the
/api/v1/scheduled_statuses endpoints, and publishing by the task, once."""

import io
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Max
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import Account
from media.models import MediaAttachment, MediaKind, MediaState
from statuses import services
from statuses.models import IdempotencyKey, ScheduledStatus, Status
from statuses.services import scheduling
from statuses.tasks import publish_due_scheduled_statuses, publish_scheduled_status
from tests.concurrency import require_postgresql

ROOT = Path(__file__).resolve().parents[3]
TOO_SOON = {"error": "Validation failed: Scheduled at date must be in the future"}
RECORD_INVALID = {"error": "Record invalid"}
NOT_FOUND = {"error": "Record not found"}
TOTAL = {"error": "Validation failed: You have exceeded the limit of 300 scheduled posts"}
DAILY = {"error": "Validation failed: You have exceeded the limit of 25 scheduled posts for "
                  "today"}


def later(**delta) -> datetime:
    return (timezone.now() + timedelta(**(delta or {"hours": 1}))).replace(microsecond=0)


def iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def rendered(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + \
        f"{when.microsecond // 1000:03d}Z"


def schedule(client, text="later", when=None, fmt=None, **fields):
    headers = {k: fields.pop(k) for k in list(fields) if k.startswith("HTTP_")}
    body = {"status": text, "scheduled_at": iso(when or later()), **fields}
    return client.post("/api/v1/statuses", body, format=fmt, **headers)


def media_of(account, n=1, **fields) -> list[MediaAttachment]:
    return [MediaAttachment.objects.create(account=account, kind=MediaKind.IMAGE,
                                           state=MediaState.READY, description=f"m{i}",
                                           **fields)
            for i in range(n)]


def make_rows(account, count: int, *, start: datetime, per_day: int = 20) -> None:
    """`count` scheduled statuses, `per_day` to a UTC day from `start` (no task: not needed)."""
    ScheduledStatus.objects.bulk_create([
        ScheduledStatus(account=account, scheduled_at=start + timedelta(days=i // per_day,
                                                                        minutes=i % per_day),
                        params={"text": f"row {i}", "media_ids": None})
        for i in range(count)
    ])


def nothing_written(before_tasks: int = 0) -> None:
    assert ScheduledStatus.objects.count() == 0
    assert Status.objects.count() == 0
    assert DBTaskResult.objects.count() == before_tasks


def force_due(scheduled: ScheduledStatus, minutes: int = 2) -> datetime:
    """Move a scheduled status into the past (as time passing would)."""
    past = timezone.now() - timedelta(minutes=minutes)
    ScheduledStatus.objects.filter(pk=scheduled.pk).update(scheduled_at=past)
    return ScheduledStatus.objects.get(pk=scheduled.pk).scheduled_at


# --- POST /api/v1/statuses with scheduled_at -------------------------------------------------

def test_future_post_returns_a_scheduled_status_with_the_submitted_params(alice_client, alice,
                                                                        app):
    when = later(days=2)
    response = schedule(alice_client, "see you later", when, sensitive="true",
                        visibility="unlisted", language="fr", spoiler_text="cw")
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["id", "scheduled_at", "params", "media_attachments"]
    row = ScheduledStatus.objects.get()
    assert body["id"] == str(row.pk)
    assert body["scheduled_at"] == rendered(when)
    assert body["media_attachments"] == []
    assert body["params"] == {
        "text": "see you later", "media_ids": None, "sensitive": "true", "spoiler_text": "cw",
        "visibility": "unlisted", "language": "fr", "scheduled_at": None, "poll": None,
        "allowed_mentions": None, "idempotency": None, "with_rate_limit": False,
        "in_reply_to_id": None, "application_id": app.pk, "quoted_status_id": None,
        "quote_approval_policy": "public",
    }
    assert row.params == body["params"]
    assert row.account == alice and row.application == app and row.scheduled_at == when
    # Nothing is posted and no counter moves (item 72).
    assert not Status.objects.exists()
    alice.refresh_from_db()
    assert alice.statuses_count == 0 and alice.last_status_at is None
    task = DBTaskResult.objects.get()
    assert task.task_path == "statuses.tasks.publish_scheduled_status"
    assert task.run_after == when
    assert task.args_kwargs == {"args": [row.pk, when.isoformat()], "kwargs": {}}


def test_json_params_keep_their_json_types_and_reply_target_is_the_original(
        alice_client, alice, bob, app):
    parent = services.status_create(account=bob, text="parent")
    wrapper = services.status_reblog(account=alice, status_id=parent.pk)
    response = schedule(alice_client, "reply", fmt="json", sensitive=False,
                        in_reply_to_id=str(wrapper.pk), allowed_mentions=[str(bob.pk)],
                        quote_approval_policy="followers")
    assert response.status_code == 200, response.json()
    params = response.json()["params"]
    assert params["sensitive"] is False
    assert params["in_reply_to_id"] == parent.pk
    assert params["allowed_mentions"] == [str(bob.pk)]
    assert params["quote_approval_policy"] == "followers"
    assert Status.objects.get(pk=parent.pk).replies_count == 0


@pytest.mark.parametrize(("sent", "shown"), [
    ("4000-01-01T14:23:14.000Z", "4000-01-01T14:23:14.000Z"),
    ("4000-01-01T14:23:14+00:00", "4000-01-01T14:23:14.000Z"),
    ("2999-06-30T23:30:00.123+02:00", "2999-06-30T21:30:00.123Z"),
    ("2999-06-30T21:30:00", "2999-06-30T21:30:00.000Z"),  # no zone: UTC
])
def test_scheduled_at_round_trips_as_utc_with_milliseconds(alice_client, sent, shown):
    response = alice_client.post("/api/v1/statuses", {"status": "x", "scheduled_at": sent})
    assert response.status_code == 200
    assert response.json()["scheduled_at"] == shown
    pk = response.json()["id"]
    assert alice_client.get(f"/api/v1/scheduled_statuses/{pk}").json()["scheduled_at"] == shown


@pytest.mark.parametrize("value", ["", "   ", "2020-01-01T00:00:00Z"])
def test_empty_or_past_scheduled_at_publishes_now(alice_client, value):
    response = alice_client.post("/api/v1/statuses", {"status": "now", "scheduled_at": value})
    assert response.status_code == 200
    assert response.json()["content"] == "<p>now</p>"
    assert Status.objects.count() == 1
    assert not ScheduledStatus.objects.exists()


def test_four_minutes_ahead_is_too_soon_and_writes_nothing(alice_client):
    response = schedule(alice_client, when=later(minutes=4))
    assert response.status_code == 422
    assert response.json() == TOO_SOON
    nothing_written()
    assert schedule(alice_client, when=later(minutes=6)).status_code == 200


@pytest.mark.parametrize("value", ["soon", "12", "2030-02-30T10:00:00Z", "2030-13-01"])
def test_unparseable_scheduled_at_is_record_invalid(alice_client, value):
    response = alice_client.post("/api/v1/statuses", {"status": "x", "scheduled_at": value})
    assert response.status_code == 422
    assert response.json() == RECORD_INVALID
    nothing_written()


def test_three_hundred_waiting_is_the_limit(alice_client, alice):
    make_rows(alice, 300, start=later(days=3))
    response = schedule(alice_client, when=later(days=40))
    assert response.status_code == 422
    assert response.json() == TOTAL
    assert ScheduledStatus.objects.count() == 300
    assert DBTaskResult.objects.count() == 0


def test_twenty_five_on_one_utc_day_is_the_limit(alice_client, alice, bob_client):
    day = (timezone.now() + timedelta(days=5)).astimezone(UTC).replace(
        hour=0, minute=0, second=0, microsecond=0)
    make_rows(alice, 25, start=day + timedelta(hours=1), per_day=25)
    last_minute = schedule(alice_client, when=day + timedelta(hours=23, minutes=59))
    assert last_minute.status_code == 422
    assert last_minute.json() == DAILY
    assert ScheduledStatus.objects.count() == 25
    # The next UTC day, and someone else on the same day, are fine.
    assert schedule(alice_client, when=day + timedelta(days=1)).status_code == 200
    assert schedule(bob_client, when=day + timedelta(hours=2)).status_code == 200


def test_both_limit_messages_together(alice_client, alice):
    # Noon UTC: the 300 rows, a minute apart, all fall on the day of the new post whatever the
    # clock says (from `now`, late in a UTC day, most of them spilled into the next).
    day = (timezone.now() + timedelta(days=4)).astimezone(UTC).replace(
        hour=12, minute=0, second=0, microsecond=0)
    make_rows(alice, 300, start=day, per_day=300)
    response = schedule(alice_client, when=day)
    assert response.json() == {"error": "Validation failed: You have exceeded the limit of 300 "
                               "scheduled posts, You have exceeded the limit of 25 scheduled "
                               "posts for today"}


@pytest.mark.parametrize("fields", [
    {"status": ""},
    {"status": "   "},
    {"status": "x" * 501},
    {"status": "x", "visibility": "xxx"},
])
def test_an_invalid_scheduled_post_is_record_invalid(alice_client, fields):
    response = alice_client.post("/api/v1/statuses", {**fields, "scheduled_at": iso(later())})
    assert response.status_code == 422
    assert response.json() == RECORD_INVALID
    nothing_written()


def test_the_same_post_now_gives_the_detailed_message(alice_client):
    response = alice_client.post("/api/v1/statuses", {"status": "x", "visibility": "xxx"})
    assert response.json() == {"error": "Validation failed: Visibility is not included in the "
                                        "list"}


def test_reply_target_and_media_are_checked_as_for_an_immediate_post(alice_client, bob):
    hidden = services.status_create(account=bob, text="secret", visibility="direct")
    response = schedule(alice_client, in_reply_to_id=str(hidden.pk))
    assert response.status_code == 404
    assert response.json() == {
        "error": "The post you are trying to reply to does not appear to exist."}
    bobs = media_of(bob)[0]
    response = schedule(alice_client, **{"media_ids[]": [str(bobs.pk)]})
    assert response.status_code == 422
    assert response.json() == {
        "error": f"Media {bobs.pk} not found or already attached to another post"}
    assert ScheduledStatus.objects.count() == 0
    assert Status.objects.count() == 1


def test_a_scheduled_post_charges_no_posting_limit(alice_client, alice):
    from config import ratelimit

    def posted() -> int:
        return ratelimit.peek(ratelimit.rule("statuses"), f"a{alice.pk}").count

    assert schedule(alice_client).status_code == 200
    assert posted() == 0
    assert alice_client.post("/api/v1/statuses", {"status": "now"}).status_code == 200
    assert posted() == 1


def test_idempotency_key_returns_the_same_scheduled_status(alice_client, alice):
    first = schedule(alice_client, "once", HTTP_IDEMPOTENCY_KEY="sched")
    again = schedule(alice_client, "ignored", when=later(days=9), HTTP_IDEMPOTENCY_KEY="sched")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert ScheduledStatus.objects.count() == 1
    assert DBTaskResult.objects.count() == 1
    key = IdempotencyKey.objects.get()
    assert key.scheduled_status_id == int(first.json()["id"]) and key.status_id is None


# --- media -----------------------------------------------------------------------------------

def test_media_are_listed_in_order_held_and_blocked_from_other_posts(alice_client, alice):
    first, second = media_of(alice, 2)
    response = schedule(alice_client, **{"media_ids[]": [str(second.pk), str(first.pk)]})
    assert response.status_code == 200
    body = response.json()
    assert body["params"]["media_ids"] == [str(second.pk), str(first.pk)]
    assert [m["id"] for m in body["media_attachments"]] == [str(second.pk), str(first.pk)]
    assert body["media_attachments"][0]["description"] == "m1"
    row = ScheduledStatus.objects.get()
    assert set(MediaAttachment.objects.values_list("scheduled_status_id", "status_id")) == {
        (row.pk, None)}
    shown = alice_client.get(f"/api/v1/scheduled_statuses/{row.pk}").json()
    assert shown["media_attachments"] == body["media_attachments"]

    refused = {"error": f"Media {first.pk} not found or already attached to another post"}
    now = alice_client.post("/api/v1/statuses", {"status": "x", "media_ids[]": [str(first.pk)]})
    assert (now.status_code, now.json()) == (422, refused)
    other = schedule(alice_client, **{"media_ids[]": [str(first.pk)]})
    assert (other.status_code, other.json()) == (422, refused)
    assert Status.objects.count() == 0 and ScheduledStatus.objects.count() == 1

    # The daily cleanup of abandoned uploads leaves them alone.
    MediaAttachment.objects.update(created_at=timezone.now() - timedelta(days=3))
    from media.services import media_prune_unattached
    assert media_prune_unattached() == 0

    assert alice_client.delete(f"/api/v1/scheduled_statuses/{row.pk}").json() == {}
    assert set(MediaAttachment.objects.values_list("scheduled_status_id", flat=True)) == {None}
    freed = alice_client.post("/api/v1/statuses", {"status": "x", "media_ids[]": [str(first.pk)]})
    assert freed.status_code == 200
    assert [m["id"] for m in freed.json()["media_attachments"]] == [str(first.pk)]


# --- GET /api/v1/scheduled_statuses ----------------------------------------------------------

def test_list_is_own_newest_first_and_empty_has_no_link(alice_client, bob_client):
    empty = alice_client.get("/api/v1/scheduled_statuses")
    assert empty.status_code == 200
    assert empty.json() == []
    assert "Link" not in empty
    mine = [schedule(alice_client, f"mine {i}").json()["id"] for i in range(3)]
    schedule(bob_client, "his")
    body = alice_client.get("/api/v1/scheduled_statuses").json()
    assert [s["id"] for s in body] == mine[::-1]
    assert all(isinstance(s["id"], str) for s in body)


def test_list_pages_with_max_since_and_min_id_and_link(alice_client, alice):
    make_rows(alice, 45, start=later(days=2))
    ids = list(ScheduledStatus.objects.order_by("-id").values_list("pk", flat=True))
    base = "http://testserver/api/v1/scheduled_statuses"

    first = alice_client.get("/api/v1/scheduled_statuses")
    assert [int(s["id"]) for s in first.json()] == ids[:20]
    assert first["Link"] == (f'<{base}?max_id={ids[19]}>; rel="next", '
                             f'<{base}?min_id={ids[0]}>; rel="prev"')
    capped = alice_client.get("/api/v1/scheduled_statuses?limit=100")
    assert len(capped.json()) == 40
    page = alice_client.get(f"/api/v1/scheduled_statuses?limit=5&max_id={ids[4]}")
    assert [int(s["id"]) for s in page.json()] == ids[5:10]
    assert page["Link"] == (f'<{base}?limit=5&max_id={ids[9]}>; rel="next", '
                            f'<{base}?limit=5&min_id={ids[5]}>; rel="prev"')
    since = alice_client.get(f"/api/v1/scheduled_statuses?limit=3&since_id={ids[10]}")
    assert [int(s["id"]) for s in since.json()] == ids[:3]
    # min_id reads the oldest after the cursor, still newest first.
    after = alice_client.get(f"/api/v1/scheduled_statuses?limit=3&min_id={ids[10]}")
    assert [int(s["id"]) for s in after.json()] == ids[7:10]
    # A last, short page has no next link.
    tail = alice_client.get(f"/api/v1/scheduled_statuses?max_id={ids[39]}")
    assert [int(s["id"]) for s in tail.json()] == ids[40:]
    assert tail["Link"] == f'<{base}?min_id={ids[40]}>; rel="prev"'


@pytest.mark.parametrize("with_media", [False, True])
def test_list_query_count_is_constant(alice_client, alice, with_media,
                                      django_assert_num_queries):
    def add(n):
        for i in range(n):
            extra = {}
            if with_media:
                extra = {"media_ids[]": [str(m.pk) for m in media_of(alice, 2)]}
            assert schedule(alice_client, f"q {i}", **extra).status_code == 200

    # The token, the page, and the page's media (only when some row has media).
    expected = 3 if with_media else 2
    add(1)
    with django_assert_num_queries(expected):
        assert len(alice_client.get("/api/v1/scheduled_statuses").json()) == 1
    add(19)
    with django_assert_num_queries(expected):
        body = alice_client.get("/api/v1/scheduled_statuses").json()
    assert len(body) == 20
    assert all(len(s["media_attachments"]) == (2 if with_media else 0) for s in body)


# --- GET / PUT / DELETE /api/v1/scheduled_statuses/:id ---------------------------------------

def test_others_and_missing_are_record_not_found(alice_client, bob_client):
    his = schedule(bob_client, "his").json()
    before = ScheduledStatus.objects.get()
    for pk in (his["id"], "999999", "abc", "0"):
        path = f"/api/v1/scheduled_statuses/{pk}"
        for response in (alice_client.get(path),
                         alice_client.put(path, {"scheduled_at": iso(later(days=3))}),
                         alice_client.delete(path)):
            assert response.status_code == 404, (pk, response.status_code)
            assert response.json() == NOT_FOUND
    after = ScheduledStatus.objects.get()
    assert after.scheduled_at == before.scheduled_at
    assert bob_client.get(f"/api/v1/scheduled_statuses/{his['id']}").json() == his


def test_put_moves_it_and_enqueues_a_new_task(alice_client):
    created = schedule(alice_client, "move me").json()
    when = later(days=3)
    response = alice_client.put(f"/api/v1/scheduled_statuses/{created['id']}",
                                {"scheduled_at": iso(when), "status": "ignored"})
    assert response.status_code == 200
    body = response.json()
    assert body == {**created, "scheduled_at": rendered(when)}
    assert ScheduledStatus.objects.get().scheduled_at == when
    tasks = DBTaskResult.objects.order_by("enqueued_at")
    assert [t.run_after for t in tasks][1] == when
    assert tasks[1].args_kwargs["args"] == [int(created["id"]), when.isoformat()]
    # Without a time (or a blank one) nothing changes.
    same = alice_client.put(f"/api/v1/scheduled_statuses/{created['id']}", {})
    assert same.status_code == 200 and same.json() == body
    assert DBTaskResult.objects.count() == 2


def test_put_follows_the_rules_of_a_new_one(alice_client, alice):
    created = schedule(alice_client).json()
    row = ScheduledStatus.objects.get()
    path = f"/api/v1/scheduled_statuses/{created['id']}"
    for value, error in [(iso(later(minutes=4)), TOO_SOON),
                         (iso(timezone.now() - timedelta(days=1)), TOO_SOON),
                         ("garbage", RECORD_INVALID)]:
        response = alice_client.put(path, {"scheduled_at": value})
        assert (response.status_code, response.json()) == (422, error)
    day = (timezone.now() + timedelta(days=8)).astimezone(UTC).replace(
        hour=0, minute=0, second=0, microsecond=0)
    make_rows(alice, 25, start=day, per_day=25)
    full_day = alice_client.put(path, {"scheduled_at": iso(day + timedelta(hours=5))})
    assert (full_day.status_code, full_day.json()) == (422, DAILY)
    assert ScheduledStatus.objects.get(pk=row.pk).scheduled_at == row.scheduled_at
    assert DBTaskResult.objects.count() == 1
    # Moving within its own day does not count it against that day.
    within = alice_client.put(path, {"scheduled_at": iso(row.scheduled_at + timedelta(minutes=3))})
    assert within.status_code == 200


def test_delete_answers_an_empty_object_and_its_task_then_does_nothing(alice_client):
    created = schedule(alice_client).json()
    task = DBTaskResult.objects.get()
    response = alice_client.delete(f"/api/v1/scheduled_statuses/{created['id']}")
    assert response.status_code == 200
    assert response.json() == {}
    assert not ScheduledStatus.objects.exists()
    assert alice_client.get(f"/api/v1/scheduled_statuses/{created['id']}").status_code == 404
    assert publish_scheduled_status.call(*task.args_kwargs["args"]) is None
    assert not Status.objects.exists()


def test_app_tokens_and_wrong_scopes_are_refused(mastodon, make_token, alice, app):
    created = services.status_create(account=alice, text="x", scheduled_at=iso(later()),
                                     application=app)
    path = f"/api/v1/scheduled_statuses/{created.pk}"
    app_only = mastodon.as_token(make_token(None))
    for response in (app_only.get("/api/v1/scheduled_statuses"), app_only.get(path),
                     app_only.put(path, {}), app_only.delete(path)):
        assert (response.status_code, response.json()) == (
            422, {"error": "This method requires an authenticated user"})
    outside = {"error": "This action is outside the authorized scopes"}
    writer = mastodon.as_token(make_token(alice, scopes="write"))
    assert writer.get("/api/v1/scheduled_statuses").json() == outside
    reader = mastodon.as_token(make_token(alice, scopes="read:statuses"))
    assert reader.get(path).status_code == 200
    assert reader.delete(path).json() == outside
    narrow = mastodon.as_token(make_token(alice, scopes="write:statuses"))
    assert narrow.delete(path).json() == {}


# --- publishing ------------------------------------------------------------------------------

def test_the_task_publishes_it_as_the_author_with_its_params(alice_client, alice, bob, app):
    parent = services.status_create(account=bob, text="parent")
    picture = media_of(alice)[0]
    response = schedule(alice_client, "hello @bob", sensitive="0", visibility="unlisted",
                        spoiler_text="careful", language="de",
                        in_reply_to_id=str(parent.pk), **{"media_ids[]": [str(picture.pk)]},
                        HTTP_IDEMPOTENCY_KEY="pub")
    row = ScheduledStatus.objects.get(pk=response.json()["id"])
    due = force_due(row)
    status_id = publish_scheduled_status.call(row.pk, due.isoformat())
    status = Status.objects.get(account=alice)
    assert status_id == status.pk
    assert (status.account, status.application, status.text, status.spoiler_text) == (
        alice, app, "hello @bob", "careful")
    assert status.visibility == 1 and status.language == "de"
    assert status.sensitive  # a content warning makes it sensitive
    assert status.in_reply_to_id == parent.pk
    assert list(MediaAttachment.objects.values_list("status_id", "scheduled_status_id")) == [
        (status.pk, None)]
    assert status.mention_data == [[bob.pk, "bob"]]
    assert not ScheduledStatus.objects.exists()
    # The counters move now, when it is posted.
    alice.refresh_from_db()
    assert alice.statuses_count == 1
    assert Status.objects.get(pk=parent.pk).replies_count == 1
    # A retry of the POST that scheduled it finds the status.
    key = IdempotencyKey.objects.get()
    assert (key.status_id, key.scheduled_status_id) == (status.pk, None)
    again = schedule(alice_client, "other", HTTP_IDEMPOTENCY_KEY="pub")
    assert again.json()["id"] == str(status.pk) and "content" in again.json()
    # A second run finds nothing.
    assert publish_scheduled_status.call(row.pk, due.isoformat()) is None
    assert Status.objects.count() == 2  # the parent and the published reply


def test_raw_sensitive_values_are_cast_when_published(alice):
    for raw, expected in (("0", False), ("true", True), (True, True), ("false", False),
                          (None, False)):
        row = services.status_create(account=alice, text=f"s {raw}", scheduled_at=iso(later()),
                                     submitted={"text": f"s {raw}", "sensitive": raw})
        force_due(row)
        status = Status.objects.get(pk=publish_scheduled_status.call(row.pk))
        assert status.sensitive is expected, raw


def test_a_task_made_stale_by_put_does_nothing(alice_client):
    created = schedule(alice_client).json()
    old = DBTaskResult.objects.get()
    alice_client.put(f"/api/v1/scheduled_statuses/{created['id']}",
                     {"scheduled_at": iso(later(days=2))})
    ScheduledStatus.objects.update(scheduled_at=timezone.now() - timedelta(minutes=1))
    assert publish_scheduled_status.call(*old.args_kwargs["args"]) is None
    assert ScheduledStatus.objects.count() == 1 and not Status.objects.exists()


def test_a_task_never_publishes_early(alice_client):
    created = schedule(alice_client).json()
    task = DBTaskResult.objects.get()
    assert publish_scheduled_status.call(*task.args_kwargs["args"]) is None
    assert ScheduledStatus.objects.filter(pk=created["id"]).exists()


@pytest.mark.parametrize("spoil", ["suspended", "disabled", "reply gone", "media gone",
                                   "now invalid"])
def test_a_post_that_can_no_longer_be_made_is_dropped_silently(alice_client, alice, bob, spoil):
    parent = services.status_create(account=bob, text="parent")
    picture = media_of(alice)[0]
    schedule(alice_client, "@bob hi", in_reply_to_id=str(parent.pk),
             **{"media_ids[]": [str(picture.pk)]})
    row = ScheduledStatus.objects.get()
    if spoil == "suspended":
        Account.objects.filter(pk=alice.pk).update(suspended_at=timezone.now())
    elif spoil == "disabled":
        Account.objects.filter(pk=alice.pk).update(is_active=False)
    elif spoil == "reply gone":
        services.status_delete(status=parent)
    elif spoil == "media gone":
        picture.delete()
    else:
        # allowed_mentions is only checked when it is posted, as in Mastodon.
        row.params = {**row.params, "allowed_mentions": ["0"]}
        row.save()
    due = force_due(row)
    assert publish_scheduled_status.call(row.pk, due.isoformat()) is None
    assert Status.objects.count() == 1  # the parent only
    assert not ScheduledStatus.objects.exists()
    assert not MediaAttachment.objects.filter(scheduled_status__isnull=False).exists()


def test_the_sweep_publishes_overdue_posts_whose_task_was_lost(alice_client, alice):
    for text in ("lost", "on time", "future"):
        schedule(alice_client, text)
    DBTaskResult.objects.all().delete()
    ScheduledStatus.objects.filter(params__text="lost").update(
        scheduled_at=timezone.now() - timedelta(minutes=10))
    ScheduledStatus.objects.filter(params__text="on time").update(
        scheduled_at=timezone.now() - timedelta(seconds=20))  # its task may still come
    assert publish_due_scheduled_statuses.call() == 1
    assert list(Status.objects.values_list("text", flat=True)) == ["lost"]
    ScheduledStatus.objects.filter(params__text="on time").update(
        scheduled_at=timezone.now() - timedelta(minutes=5))
    out = io.StringIO()
    call_command("publish_scheduled_statuses", stdout=out)
    assert out.getvalue() == "Published 1 overdue scheduled statuses.\n"
    assert sorted(Status.objects.values_list("text", flat=True)) == ["lost", "on time"]
    assert list(ScheduledStatus.objects.values_list("params__text", flat=True)) == ["future"]


def test_scheduling_directly_through_the_service_checks_the_same_rules(alice):
    with pytest.raises(scheduling.ScheduleInvalid):
        services.status_create(account=alice, text="x", scheduled_at=iso(later(minutes=1)))
    assert not ScheduledStatus.objects.exists()


# --- two real workers ------------------------------------------------------------------------

def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_two_db_workers_publish_each_due_post_exactly_once(alice, app):
    """Two `manage.py db_worker` processes against the test database, each due post targeted by
    several tasks at once (its own, duplicates, the sweep): each is published exactly once."""
    require_postgresql()
    posts = 6
    for i in range(posts):
        services.status_create(account=alice, text=f"due {i}", scheduled_at=iso(later()),
                               application=app)
    DBTaskResult.objects.all().delete()
    past = timezone.now() - timedelta(minutes=2)
    ScheduledStatus.objects.update(scheduled_at=past)
    past = ScheduledStatus.objects.aggregate(at=Max("scheduled_at"))["at"]
    for pk in ScheduledStatus.objects.values_list("pk", flat=True):
        for _ in range(5):
            publish_scheduled_status.using(run_after=past).enqueue(pk, past.isoformat())
    for _ in range(2):
        publish_due_scheduled_statuses.enqueue()
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE":
           "config.settings"}
    workers = [subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay",
         "--interval", "0", "--worker-id", f"worker-{n}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for n in range(2)]
    deadline = time.monotonic() + 120
    for worker in workers:
        output, _ = worker.communicate(timeout=max(1, deadline - time.monotonic()))
        assert worker.returncode == 0, output.decode()[-2000:]
    results = list(DBTaskResult.objects.all())
    assert {r.status for r in results} == {"SUCCESSFUL"}, [(r.status, r.exception_class_path)
                                                          for r in results]
    texts = sorted(Status.objects.values_list("text", flat=True))
    assert texts == sorted(f"due {i}" for i in range(posts))
    assert not ScheduledStatus.objects.exists()
    alice.refresh_from_db()
    assert alice.statuses_count == posts
    # Each post was published by exactly one run: one of its tasks, or a sweep.
    by_tasks = [r.return_value for r in results
                if r.task_path.endswith(".publish_scheduled_status") and r.return_value]
    by_sweeps = sum(r.return_value for r in results
                    if r.task_path.endswith(".publish_due_scheduled_statuses"))
    assert len(by_tasks) + by_sweeps == posts
    assert len(set(by_tasks)) == len(by_tasks)
    assert set(by_tasks) <= set(Status.objects.values_list("pk", flat=True))

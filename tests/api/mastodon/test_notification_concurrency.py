"""Notifications and markers stay exact when many requests race (PostgreSQL only: SQLite
serialises writers, so it cannot show a race)."""

import json
import random

import pytest

from notifications.models import Marker, Notification
from statuses import services
from statuses.models import Vote
from tests.concurrency import fire, require_postgresql
from tests.factories import AccountFactory

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    require_postgresql()


def test_forty_favourites_at_once_make_forty_notifications_in_one_group(live_server,
                                                                        make_token, alice):
    status = services.status_create(account=alice, text="popular")
    tokens = [make_token(AccountFactory()) for _ in range(40)]
    codes = fire([(f"{live_server.url}/api/v1/statuses/{status.pk}/favourite", token)
                  for token in tokens])
    assert codes == [200] * 40
    told = Notification.objects.filter(recipient=alice, type="favourite", status=status)
    assert told.count() == 40
    assert told.values("group_key").distinct().count() == 1


def test_racing_favourite_and_unfavourite_leave_a_notification_exactly_with_the_vote(
        live_server, make_token, alice, bob):
    status = services.status_create(account=alice, text="flip flop")
    token = make_token(bob)
    calls = [(f"{live_server.url}/api/v1/statuses/{status.pk}/{verb}", token)
             for verb in ["favourite", "unfavourite"] * 30]
    random.Random(21).shuffle(calls)
    assert set(fire(calls)) == {200}
    votes = Vote.objects.filter(status=status, account=bob).count()
    assert Notification.objects.filter(recipient=alice, from_account=bob,
                                       type="favourite").count() == votes


def test_concurrent_marker_saves_never_lose_an_increment(live_server, make_token, alice):
    token = make_token(alice)
    positions = list(range(1, 41))
    random.Random(3).shuffle(positions)
    calls = [(f"{live_server.url}/api/v1/markers", token,
              json.dumps({"notifications": {"last_read_id": str(p)}}).encode())
             for p in positions]
    assert fire(calls) == [200] * 40
    marker = Marker.objects.get(account=alice, timeline="notifications")
    # Each save moved the position (no two saves carry the same one), so each counted.
    assert marker.version == 40
    assert marker.last_read_id in positions

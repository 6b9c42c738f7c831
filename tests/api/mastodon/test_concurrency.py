"""Counters and limits stay exact when many requests race (PostgreSQL only: SQLite serialises
writers, so it cannot show a race)."""

import random

import pytest

from accounts.models import Account
from statuses import services
from statuses.models import Pin, Status, Vote
from tests.concurrency import fire, require_postgresql
from tests.factories import AccountFactory

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    require_postgresql()


def test_hundred_accounts_favourite_at_once(live_server, make_token, alice):
    status = services.status_create(account=alice, text="popular")
    tokens = [make_token(AccountFactory()) for _ in range(100)]
    url = f"{live_server.url}/api/v1/statuses/{status.pk}/favourite"
    codes = fire([(url, token) for token in tokens])
    assert codes == [200] * 100
    assert Status.objects.get(pk=status.pk).likes_count == 100
    assert Vote.objects.filter(status=status).count() == 100


def test_one_account_racing_favourite_and_unfavourite(live_server, make_token, alice, bob):
    status = services.status_create(account=alice, text="flip flop")
    token = make_token(bob)
    calls = [(f"{live_server.url}/api/v1/statuses/{status.pk}/{verb}", token)
             for verb in ["favourite", "unfavourite"] * 50]
    random.Random(7).shuffle(calls)
    codes = fire(calls)
    assert set(codes) == {200}
    rows = Vote.objects.filter(status=status).count()
    assert rows in (0, 1)
    assert Status.objects.get(pk=status.pk).likes_count == rows


def test_concurrent_pins_cannot_exceed_five(live_server, make_token, alice):
    token = make_token(alice)
    for i in range(4):
        services.status_pin(account=alice, status_id=services.status_create(
            account=alice, text=f"pinned {i}").pk)
    candidates = [services.status_create(account=alice, text=f"candidate {i}") for i in range(10)]
    codes = fire([(f"{live_server.url}/api/v1/statuses/{s.pk}/pin", token)
                   for s in candidates])
    assert sorted(codes) == [200] + [422] * 9
    assert Pin.objects.filter(account=alice).count() == 5


def test_concurrent_reblogs_make_one_wrapper(live_server, make_token, alice, bob):
    status = services.status_create(account=alice, text="boost")
    token = make_token(bob)
    codes = fire([(f"{live_server.url}/api/v1/statuses/{status.pk}/reblog", token)] * 20)
    assert set(codes) == {200}
    assert Status.objects.filter(reblog_of=status, deleted_at__isnull=True).count() == 1
    assert Status.objects.get(pk=status.pk).reblogs_count == 1
    assert Account.objects.get(pk=bob.pk).statuses_count == 1

"""Counters and limits stay exact when many requests race (PostgreSQL only: SQLite serialises
writers, so it cannot show a race)."""

import json
import random

import pytest

from accounts.models import Account
from statuses import services
from statuses.models import Pin, Poll, PollVote, Status, Vote
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


def _poll(alice, *, multiple):
    status = services.status_create(account=alice, text="which?", poll={
        "options": ["red", "green", "blue"], "expires_in": 3600, "multiple": multiple})
    return Poll.objects.get(status=status)


def test_sixty_accounts_vote_at_once_and_the_tallies_are_exact(live_server, make_token, alice):
    poll = _poll(alice, multiple=True)
    rng = random.Random(11)
    calls, expected = [], [0, 0, 0]
    for _ in range(60):
        choices = sorted(rng.sample(range(3), rng.randint(1, 3)))
        for choice in choices:
            expected[choice] += 1
        body = json.dumps({"choices": [str(c) for c in choices]}).encode()
        calls.append((f"{live_server.url}/api/v1/polls/{poll.pk}/votes",
                      make_token(AccountFactory()), body))
    assert fire(calls) == [200] * 60
    poll.refresh_from_db()
    assert poll.tallies == expected
    assert poll.votes_count == sum(expected) == PollVote.objects.filter(poll=poll).count()
    assert poll.voters_count == 60
    assert PollVote.objects.filter(poll=poll).values("account").distinct().count() == 60


def test_one_account_voting_twenty_times_at_once_votes_once(live_server, make_token, alice, bob):
    poll = _poll(alice, multiple=False)
    token = make_token(bob)
    calls = [(f"{live_server.url}/api/v1/polls/{poll.pk}/votes", token,
              json.dumps({"choices": [str(i % 3)]}).encode()) for i in range(20)]
    codes = fire(calls)
    assert sorted(codes) == [200] + [422] * 19
    poll.refresh_from_db()
    rows = list(PollVote.objects.filter(poll=poll).values_list("account_id", "choice"))
    assert len(rows) == 1 and rows[0][0] == bob.pk
    expected = [0, 0, 0]
    expected[rows[0][1]] = 1
    assert (poll.tallies, poll.votes_count, poll.voters_count) == (expected, 1, 1)

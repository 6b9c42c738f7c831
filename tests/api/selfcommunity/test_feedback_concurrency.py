"""SelfCommunity votes and flags stay exact when many requests race (PostgreSQL only: SQLite
serialises writers, so it cannot show a race)."""

import pytest

from categories.models import Reaction
from statuses import services
from statuses.models import Flag, Status, StatusFollow, Vote
from tests.concurrency import fire, require_postgresql
from tests.factories import AccountFactory

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    require_postgresql()


def test_fifty_users_voting_at_once_count_fifty(live_server, make_token, alice):
    status = services.status_create(account=alice, text="popular")
    # A transactional test's flush takes the migrated reactions away: make the one used here.
    love, _ = Reaction.objects.get_or_create(label="Love", defaults={"sentiment": 2})
    tokens = [make_token(AccountFactory()) for _ in range(50)]
    url = f"{live_server.url}/api/v2/status/{status.pk}/vote/"
    codes = fire([(url + (f"?reaction={love.pk}" if i % 2 else ""), token)
                   for i, token in enumerate(tokens)])
    assert codes == [204] * 50
    assert Status.objects.get(pk=status.pk).likes_count == 50
    assert Vote.objects.filter(status=status).count() == 50
    assert Vote.objects.filter(status=status, reaction=love).count() == 25


@pytest.mark.parametrize("path, model, column", [
    ("vote/", Vote, "likes_count"),
    ("follow/", StatusFollow, "followers_count"),
])
def test_one_user_toggling_twenty_times_at_once_keeps_count_equal_to_rows(
        live_server, make_token, alice, bob, path, model, column):
    status = services.status_create(account=alice, text="toggled")
    token = make_token(bob)
    url = f"{live_server.url}/api/v2/status/{status.pk}/{path}"
    codes = fire([(url, token)] * 20)
    assert codes == [204] * 20
    rows = model.objects.filter(status=status).count()
    assert rows in (0, 1)
    assert getattr(Status.objects.get(pk=status.pk), column) == rows


def test_racing_flags_of_one_user_keep_flag_count_equal_to_rows(live_server, make_token, alice,
                                                                bob):
    status = services.status_create(account=alice, text="flagged")
    token = make_token(bob)
    url = f"{live_server.url}/api/v2/status/{status.pk}/flag/"
    codes = fire([(url, token, str(i % 2).encode()) for i in range(20)])
    assert codes == [204] * 20
    rows = Flag.objects.filter(status=status).count()
    assert rows in (0, 1)
    assert Status.objects.get(pk=status.pk).flags_count == rows

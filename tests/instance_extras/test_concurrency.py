"""Reactions and dismissals stay exact when requests race (PostgreSQL only: SQLite serialises
writers, so it cannot show a race)."""

import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from instance_extras import services
from instance_extras.models import Announcement, AnnouncementDismissal, AnnouncementReaction
from tests.concurrency import fire, require_postgresql
from tests.factories import AccountFactory

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

FACES = ["😀", "😃", "😄", "😁", "😆", "😅", "😂", "🤣", "😊", "😇", "🙂", "🙃", "😉", "😌"]


@pytest.fixture(autouse=True)
def _postgres_only():
    require_postgresql()


def put_all(calls) -> list[int]:
    """PUT every (url, token) at once; the status codes (never a 5xx expected)."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        url, token = call
        request = urllib.request.Request(url, data=b"", method="PUT",
                                         headers={"Authorization": f"Bearer {token}"})
        try:
            barrier.wait(timeout=5)
        except threading.BrokenBarrierError:
            pass
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def _url(live_server, announcement, name):
    return (f"{live_server.url}/api/v1/announcements/{announcement.pk}/reactions/"
            f"{urllib.parse.quote(name)}")


def test_new_names_racing_the_limit_let_exactly_one_in(live_server, make_token, alice):
    announcement = services.announcement_save(announcement=Announcement(text="race"))
    for name in FACES[:7]:
        services.announcement_react(account=alice, announcement_id=announcement.pk, name=name)
    tokens = [make_token(AccountFactory()) for _ in FACES[7:]]
    codes = put_all([(_url(live_server, announcement, name), token)
                     for name, token in zip(FACES[7:], tokens, strict=True)])
    assert sorted(codes) == [200] + [422] * (len(FACES) - 8)
    assert AnnouncementReaction.objects.filter(
        announcement=announcement).values("name").distinct().count() == 8


def test_the_same_reaction_racing_itself_is_one_row(live_server, make_token, alice):
    announcement = services.announcement_save(announcement=Announcement(text="race"))
    token = make_token(alice)
    codes = put_all([(_url(live_server, announcement, "👍"), token)] * 10)
    assert sorted(codes) == [200] + [422] * 9
    assert AnnouncementReaction.objects.filter(announcement=announcement).count() == 1


def test_dismissing_at_once_writes_one_row(live_server, make_token, alice):
    announcement = services.announcement_save(announcement=Announcement(text="race"))
    token = make_token(alice)
    url = f"{live_server.url}/api/v1/announcements/{announcement.pk}/dismiss"
    assert fire([(url, token)] * 10) == [200] * 10
    assert AnnouncementDismissal.objects.filter(announcement=announcement).count() == 1

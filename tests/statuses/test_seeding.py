"""The bulk load of `seed --accounts/--statuses` and `check_counters`, with call_command."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from accounts.models import Account, Follow, Visibility
from media.models import MediaAttachment, MediaKind
from statuses import seeding
from statuses.models import (
    Bookmark,
    Mention,
    Poll,
    PollVote,
    Status,
    StatusFollow,
    StatusTag,
    TextFormat,
    Vote,
)

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def loaded(db):
    run("seed", "--accounts", "30", "--statuses", "600", "--seed", "3")


def test_seed_load_is_realistic(loaded):
    load = Status.objects.filter(account__username__startswith="load_")
    assert load.count() == 600
    assert load.filter(reblog_of__isnull=False).count() >= 10
    assert load.filter(in_reply_to__isnull=False, audience__isnull=True).count() >= 50
    assert load.filter(audience__isnull=False).count() >= 5  # SelfCommunity comments
    assert load.filter(thread_root__isnull=False).values("thread_root").distinct().count() >= 10
    assert load.filter(text_format=TextFormat.HTML).count() >= 30
    assert load.filter(addressed=True).count() >= 1
    assert {v for v in load.values_list("visibility", flat=True)} >= {
        Visibility.PUBLIC, Visibility.UNLISTED, Visibility.PRIVATE, Visibility.DIRECT}
    assert Poll.objects.filter(status__in=load).exists() and PollVote.objects.exists()
    assert MediaAttachment.objects.filter(status__in=load, kind=MediaKind.IMAGE).exists()
    assert Vote.objects.filter(reaction__isnull=True).exists()
    assert Vote.objects.filter(reaction__isnull=False).exists()
    assert Bookmark.objects.exists() and StatusFollow.objects.exists()
    assert Mention.objects.exists() and StatusTag.objects.exists()
    assert Status.categories.through.objects.filter(status__in=load).exists()
    assert Follow.objects.filter(account__username__startswith="load_").count() >= 30
    # Renderings are stored for both dialects.
    assert not load.filter(reblog_of__isnull=True, html="").exists()
    assert not load.filter(reblog_of__isnull=True, sc_html="").exists()


def test_category_links_carry_their_statuses_times(loaded):
    """On PostgreSQL the category feeds walk copies of the statuses' times on the links
    (migration 0018): the seed's COPY leaves none missing or stale."""
    if connection.vendor != "postgresql":
        pytest.skip("the copies exist on PostgreSQL only")
    links = Status.categories.through._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COUNT(*), COUNT(*) FILTER (WHERE l.created_at IS DISTINCT FROM '
                       f's.created_at OR l.last_activity_at IS DISTINCT FROM s.last_activity_at) '
                       f'FROM "{links}" l JOIN "{Status._meta.db_table}" s ON s.id = l.status_id')
        total, wrong = cursor.fetchone()
    assert total > 0 and wrong == 0


def test_check_counters_passes_after_seeding(loaded):
    output = run("check_counters")
    assert "statuses_status.replies_count: ok" in output
    assert "statuses_poll.tallies: ok" in output
    for column in ("statuses_count", "posts_count", "discussions_count", "polls_count"):
        assert f"accounts_account.{column}: ok" in output
    assert "Every counter equals its rows." in output


def test_seeding_counts_the_authors_polls(loaded):
    """The COPY path writes statuses of type `status`, some with a poll (some of those direct):
    the authors' polls_count grows by their live polls that are not direct; posts_count and
    discussions_count stay 0."""
    load = Status.objects.filter(account__username__startswith="load_", deleted_at__isnull=True)
    counted = load.filter(has_poll=True).exclude(visibility=Visibility.DIRECT)
    assert counted.exists()
    accounts = Account.objects.filter(username__startswith="load_")
    for account in accounts:
        assert account.polls_count == counted.filter(account=account).count()
    assert {(a.posts_count, a.discussions_count) for a in accounts} == {(0, 0)}


@pytest.mark.parametrize("model, column", [
    (Status, "likes_count"), (Status, "replies_count"), (Account, "followers_count"),
    (Account, "polls_count"), (Account, "posts_count"), (Poll, "voters_count"),
])
def test_check_counters_fails_on_a_wrong_counter(loaded, model, column):
    row = model.objects.order_by("pk").last()
    model.objects.filter(pk=row.pk).update(**{column: getattr(row, column) + 1})
    with pytest.raises(CommandError, match=column):
        run("check_counters")


def test_check_counters_fails_on_a_wrong_tally(loaded):
    poll = Poll.objects.order_by("pk").first()
    Poll.objects.filter(pk=poll.pk).update(tallies=[t + 1 for t in poll.tallies])
    with pytest.raises(CommandError, match="tallies"):
        run("check_counters")


def test_worker_processes_load_the_same_statuses(db, monkeypatch):
    """A large load makes texts and side rows in forked workers: the same load as in line."""
    def load() -> list[tuple]:
        run("seed", "--accounts", "30", "--statuses", "600", "--seed", "3")
        rows = list(Status.objects.filter(account__username__startswith="load_").order_by("pk")
                    .values_list("pk", "account__username", "text", "html", "likes_count",
                                 "media_count", "replies_count", "reblogs_count", "views_count"))
        return [(pk - rows[0][0], *rest) for pk, *rest in rows]  # ids move on in PostgreSQL

    with transaction.atomic():
        in_line = load()
        transaction.set_rollback(True)
    monkeypatch.setattr(seeding, "WORKERS_FROM", 0)
    assert load() == in_line
    assert "Every counter equals its rows." in run("check_counters")


def test_seed_load_twice_does_not_double(loaded):
    counts = Account.objects.count(), Status.objects.count(), Vote.objects.count()
    output = run("seed", "--accounts", "30", "--statuses", "600", "--seed", "3")
    assert "already present" in output
    assert (Account.objects.count(), Status.objects.count(), Vote.objects.count()) == counts


def test_seed_thread_is_kept_when_run_again(db):
    first = run("seed", "--accounts", "3", "--replies", "4")
    count = Status.objects.count()
    second = run("seed", "--accounts", "3", "--replies", "4")
    root = [line for line in first.splitlines() if line.startswith("Thread root: ")]
    assert root and root[0] in second
    assert Status.objects.count() == count


def test_loaded_statuses_read_through_both_dialects(loaded, anon):
    status = (Status.objects.filter(visibility=Visibility.PUBLIC, reblog_of__isnull=True,
                                    media_count__gt=0).order_by("pk").first())
    response = anon.get(f"/api/v1/statuses/{status.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["content"] == status.html
    assert len(body["media_attachments"]) == status.media_count
    assert body["favourites_count"] == Vote.objects.filter(status=status).count()
    polled = Status.objects.filter(visibility=Visibility.PUBLIC, has_poll=True).first()
    poll = anon.get(f"/api/v1/statuses/{polled.pk}").json()["poll"]
    assert poll["votes_count"] == PollVote.objects.filter(poll__status=polled).count()
    contribution = Status.objects.filter(text_format=TextFormat.HTML, addressed=False,
                                         in_reply_to__isnull=True).order_by("pk").first()
    response = anon.get(f"/api/v2/status/{contribution.pk}/")
    assert response.status_code == 200
    assert response.json()["html"] == contribution.sc_html

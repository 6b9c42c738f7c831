"""SelfCommunity's User counters of contributions (`statuses_counter`, `posts_counter`,
`discussions_counter`, `polls_counter`): account columns kept by the services that create,
delete, restore and edit statuses (statuses/services/authored.py), so reading a user costs no
query more. Each is read here as SelfCommunity's UI reads it, in `GET /api/v2/user/{id}/` and
`GET /api/v2/user/me/`, and proved against its rows with `check_counters`."""

import importlib
from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accounts.models import Account
from statuses.models import ScheduledStatus, Status
from statuses.tasks import publish_scheduled_status
from tests.api.selfcommunity import test_posts
from tests.api.selfcommunity.test_posts import composer_poll
from tests.factories import TagFactory

pytestmark = pytest.mark.django_db

COUNTERS = ("statuses_counter", "posts_counter", "discussions_counter", "polls_counter")
MASTODON_POLL = {"options": ["yes", "no"], "expires_in": 3600}


def counts(statuses=0, posts=0, discussions=0, polls=0) -> dict:
    return dict(zip(COUNTERS, (statuses, posts, discussions, polls), strict=True))


def made(client, kind, **fields) -> dict:
    """A contribution as the Composer makes it (a status takes SelfCommunity's `action`)."""
    if kind == "status":
        fields.setdefault("action", None)
    return test_posts.made(client, kind, **fields)


def shown(anon, sc_client, account) -> dict:
    """The four counters as `GET /api/v2/user/{id}/` shows them to anyone, after checking that
    `GET /api/v2/user/me/` shows its owner the same ones, as integers."""
    public = anon.get(f"/api/v2/user/{account.pk}/")
    me = sc_client(account).get("/api/v2/user/me/")
    assert (public.status_code, me.status_code) == (200, 200)
    seen = {k: public.json()[k] for k in COUNTERS}
    assert {k: me.json()[k] for k in COUNTERS} == seen
    assert all(type(v) is int for v in seen.values())
    return seen


def counters_check() -> str:
    out = StringIO()
    call_command("check_counters", stdout=out)
    return out.getvalue()


@pytest.fixture
def see(anon, sc_client, alice):
    return lambda account=alice: shown(anon, sc_client, account)


# --- create, delete, restore of each type ----------------------------------------------------

@pytest.mark.parametrize("kind, poll, expected", [
    ("status", False, counts(statuses=1)),
    ("post", False, counts(statuses=1, posts=1)),
    ("post", True, counts(statuses=1, posts=1, polls=1)),
    ("discussion", False, counts(statuses=1, discussions=1)),
    ("discussion", True, counts(statuses=1, discussions=1, polls=1)),
])
def test_create_delete_restore_move_the_counters(sc, see, kind, poll, expected):
    assert see() == counts()
    fields = {"poll": composer_poll()} if poll else {}
    body = made(sc, kind, **fields)
    # The new contribution's author shows the counters it moved.
    assert {k: body["author"][k] for k in COUNTERS} == expected
    assert see() == expected
    assert sc.delete(f"/api/v2/{kind}/{body['id']}/").status_code == 204
    assert see() == counts()
    assert sc.post(f"/api/v2/{kind}/{body['id']}/restore/").status_code == 204
    assert see() == expected
    # A second restore of a live contribution counts nothing again.
    assert sc.post(f"/api/v2/{kind}/{body['id']}/restore/").status_code == 204
    assert see() == expected
    assert "Every counter equals its rows." in counters_check()


def test_the_counters_add_up_over_types(sc, see):
    for kind in ("post", "post", "discussion", "status"):
        made(sc, kind)
    made(sc, "discussion", poll=composer_poll())
    made(sc, "post", poll=composer_poll())
    assert see() == counts(statuses=6, posts=3, discussions=2, polls=2)


@pytest.mark.parametrize("kind", ["post", "discussion"])
def test_a_poll_added_or_removed_by_an_edit_moves_polls_counter(sc, see, kind):
    body = made(sc, kind)
    edit = {"text": "<p>edited</p>", "categories": []}
    if kind == "discussion":
        edit["title"] = "A discussion"
    one = counts(statuses=1, **{f"{kind}s": 1})
    with_poll = {**one, "polls_counter": 1}
    response = sc.put(f"/api/v2/{kind}/{body['id']}/", {**edit, "poll": composer_poll()},
                      format="json")
    assert response.status_code == 200, response.content
    assert {k: response.json()["author"][k] for k in COUNTERS} == with_poll
    assert see() == with_poll
    # Another poll in its place keeps the count.
    assert sc.put(f"/api/v2/{kind}/{body['id']}/", {**edit, "poll": composer_poll("a", "b")},
                  format="json").status_code == 200
    assert see() == with_poll
    assert sc.put(f"/api/v2/{kind}/{body['id']}/", edit, format="json").status_code == 200
    assert see() == one
    # A deleted contribution's poll goes and comes back with it.
    sc.put(f"/api/v2/{kind}/{body['id']}/", {**edit, "poll": composer_poll()}, format="json")
    sc.delete(f"/api/v2/{kind}/{body['id']}/")
    assert see() == counts()
    sc.post(f"/api/v2/{kind}/{body['id']}/restore/")
    assert see() == with_poll
    assert "Every counter equals its rows." in counters_check()


def test_a_refused_edit_moves_nothing(sc, see):
    body = made(sc, "post")
    bad = {"text": "<p>x</p>", "categories": [], "poll": {**composer_poll(), "choices": []}}
    assert sc.put(f"/api/v2/post/{body['id']}/", bad, format="json").status_code == 400
    assert see() == counts(statuses=1, posts=1)


# --- Mastodon's writes -------------------------------------------------------------------------

def test_a_mastodon_status_with_a_poll_counts_in_polls_counter(alice_client, see):
    response = alice_client.post("/api/v1/statuses", {"status": "Agree?", "poll": MASTODON_POLL},
                                 format="json")
    assert response.status_code == 200, response.content
    status_id = response.json()["id"]
    assert see() == counts(statuses=1, polls=1)
    # Mastodon's edit removes the poll (a PUT without one), and adds one back.
    assert alice_client.put(f"/api/v1/statuses/{status_id}", {"status": "Agree now?"},
                            format="json").status_code == 200
    assert see() == counts(statuses=1)
    assert alice_client.put(f"/api/v1/statuses/{status_id}",
                            {"status": "Agree?", "poll": MASTODON_POLL},
                            format="json").status_code == 200
    assert see() == counts(statuses=1, polls=1)
    assert alice_client.delete(f"/api/v1/statuses/{status_id}").status_code == 200
    assert see() == counts()


def test_a_direct_status_with_a_poll_counts_nowhere(alice_client, see, bob):
    response = alice_client.post("/api/v1/statuses", {
        "status": "@bob agree?", "visibility": "direct", "poll": MASTODON_POLL}, format="json")
    assert response.status_code == 200, response.content
    assert see() == counts()
    alice_client.delete(f"/api/v1/statuses/{response.json()['id']}")
    assert see() == counts()


def test_addressing_a_direct_status_makes_it_counted(sc, alice_client, see, alice, bob):
    """A SelfCommunity edit that addresses a direct Mastodon status makes it private: it
    counts from then on, in statuses_counter (and polls_counter, carrying a poll)."""
    response = alice_client.post("/api/v1/statuses", {
        "status": "@bob agree?", "visibility": "direct", "poll": MASTODON_POLL}, format="json")
    status_id = response.json()["id"]
    members = TagFactory(name="members")
    edit = sc.put(f"/api/v2/status/{status_id}/", {
        "text": "<p>agree?</p>", "action": None, "categories": [], "addressing": [members.pk]},
        format="json")
    assert edit.status_code == 200, edit.content
    assert Status.objects.get(pk=status_id).visibility == 2  # private
    assert see() == counts(statuses=1, polls=1)
    assert "Every counter equals its rows." in counters_check()


def test_a_scheduled_status_with_a_poll_counts_when_published(alice_client, see):
    when = (timezone.now() + timedelta(minutes=10)).isoformat()
    response = alice_client.post("/api/v1/statuses", {
        "status": "later?", "scheduled_at": when, "poll": MASTODON_POLL}, format="json")
    assert response.status_code == 200, response.content
    assert see() == counts()
    row = ScheduledStatus.objects.get()
    ScheduledStatus.objects.filter(pk=row.pk).update(
        scheduled_at=timezone.now() - timedelta(minutes=2))
    due = ScheduledStatus.objects.get(pk=row.pk).scheduled_at
    assert publish_scheduled_status.call(row.pk, due.isoformat()) is not None
    assert see() == counts(statuses=1, polls=1)


def test_comments_and_reblogs_count_as_statuses_only(sc, bob_sc, bob_client, see, bob):
    post = made(sc, "post", poll=composer_poll())
    assert bob_sc.post("/api/v2/comment/", {"post": post["id"], "text": "<p>hi</p>"},
                       format="json").status_code == 201
    assert bob_client.post(f"/api/v1/statuses/{post['id']}/reblog").status_code == 200
    assert see(bob) == counts(statuses=2)
    assert see() == counts(statuses=1, posts=1, polls=1)
    # Deleting the post takes the reblog with it: bob's statuses_counter only.
    sc.delete(f"/api/v2/post/{post['id']}/")
    assert see(bob) == counts(statuses=1)
    assert see() == counts()
    sc.post(f"/api/v2/post/{post['id']}/restore/")
    assert see(bob) == counts(statuses=2)
    assert see() == counts(statuses=1, posts=1, polls=1)


# --- moderation --------------------------------------------------------------------------------

def test_a_moderators_delete_and_restore_move_the_counters(sc, bob_sc, sc_client, moderator,
                                                          see):
    body = made(sc, "discussion", poll=composer_poll())
    assert bob_sc.post(f"/api/v2/discussion/{body['id']}/flag/", {"flag_type": 0},
                       format="json").status_code == 204
    mod = sc_client(moderator)
    url = f"/api/v2/moderation/contribution/{body['id']}/"
    hide = mod.patch(url, {"contribution_type": "discussion", "action": "hide",
                           "moderation_type": 4}, format="json")
    assert hide.status_code == 200, hide.content
    # Hiding (collapsing) leaves statuses_counter as it is, and so the others.
    assert see() == counts(statuses=1, discussions=1, polls=1)
    delete = mod.patch(url, {"contribution_type": "discussion", "action": "delete",
                             "moderation_type": 4}, format="json")
    assert delete.status_code == 200, delete.content
    assert see() == counts()
    assert mod.patch(url, {"contribution_type": "discussion", "action": "delete"},
                     format="json").status_code == 200
    assert see() == counts(statuses=1, discussions=1, polls=1)


# --- the columns: filled for existing rows, no query to read -------------------------------------

def test_the_migration_counts_existing_statuses(sc, alice_client, bob_sc, see, alice, bob):
    made(sc, "post", poll=composer_poll())
    made(sc, "discussion")
    gone = made(sc, "discussion", poll=composer_poll())
    sc.delete(f"/api/v2/discussion/{gone['id']}/")
    alice_client.post("/api/v1/statuses", {"status": "q", "poll": MASTODON_POLL}, format="json")
    alice_client.post("/api/v1/statuses", {"status": "@bob q", "visibility": "direct",
                                           "poll": MASTODON_POLL}, format="json")
    made(bob_sc, "post")
    alice_expected, bob_expected = see(alice), see(bob)
    assert alice_expected == counts(statuses=3, posts=1, discussions=1, polls=2)
    Account.objects.update(posts_count=0, discussions_count=0, polls_count=0)
    migration = importlib.import_module(
        "statuses.migrations.0020_account_contribution_counters")
    # RunPython's call, with the one attribute of the schema editor it reads (SQLite's editor
    # cannot open inside the test's transaction).
    migration.fill(apps, SimpleNamespace(connection=connection))
    assert (see(alice), see(bob)) == (alice_expected, bob_expected)


def test_reading_a_user_reads_only_the_account_row(anon, alice, sc, django_assert_num_queries):
    made(sc, "post", poll=composer_poll())
    with django_assert_num_queries(1):
        body = anon.get(f"/api/v2/user/{alice.pk}/").json()
    assert (body["posts_counter"], body["polls_counter"]) == (1, 1)


def test_a_delete_counts_the_row_as_it_is_not_the_callers_copy(sc, see, alice):
    """DELETE reads the status unlocked; an edit that removes its poll may commit before the
    delete locks the row. The delete counts what the row carries then."""
    from statuses.services import status_delete

    made(sc, "discussion", poll=composer_poll())
    body = made(sc, "post", poll=composer_poll())
    stale = Status.objects.get(pk=body["id"])
    assert sc.put(f"/api/v2/post/{body['id']}/", {"text": "<p>no poll</p>", "categories": []},
                  format="json").status_code == 200
    assert see() == counts(statuses=2, posts=1, discussions=1, polls=1)
    status_delete(status=stale)
    assert see() == counts(statuses=1, discussions=1, polls=1)
    assert "Every counter equals its rows." in counters_check()

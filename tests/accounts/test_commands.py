"""Management commands: create_token and seed."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from oauth2_provider.models import AccessToken

from accounts.models import Account, Application, Follow
from statuses.models import Status


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def row_counts() -> tuple[int, int, int]:
    return Account.objects.count(), Application.objects.count(), AccessToken.objects.count()


# --- create_token --------------------------------------------------------------------------------


def test_create_token_prints_working_token(alice, mastodon):
    token = run("create_token", "alice").strip()
    assert token and "\n" not in token
    row = AccessToken.objects.get()
    assert row.user == alice
    assert row.scope == "read write follow push"
    assert row.application.user is None
    response = mastodon.as_token(token).get("/api/v1/accounts/verify_credentials")
    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_create_token_username_is_case_insensitive(alice):
    run("create_token", "ALICE")
    assert AccessToken.objects.get().user == alice


def test_create_token_with_scopes_has_exactly_those(alice, mastodon):
    token = run("create_token", "alice", "--scopes", "read:accounts write:statuses").strip()
    row = AccessToken.objects.get()
    assert row.scope.split() == ["read:accounts", "write:statuses"]
    client = mastodon.as_token(token)
    assert client.get("/api/v1/accounts/verify_credentials").status_code == 200
    response = client.get("/api/v1/apps/verify_credentials")
    assert response.status_code == 200


def test_create_token_read_only_cannot_post(alice, mastodon):
    token = run("create_token", "alice", "--scopes", "read").strip()
    assert AccessToken.objects.get().scope == "read"
    response = mastodon.as_token(token).post("/api/v1/statuses", {"status": "hi"})
    assert response.status_code == 403
    assert response.json() == {"error": "This action is outside the authorized scopes"}
    assert Status.objects.count() == 0


def test_create_token_reuses_first_party_application(alice, bob):
    run("create_token", "alice")
    run("create_token", "bob")
    assert Application.objects.count() == 1
    assert AccessToken.objects.count() == 2


def test_create_token_create_flag_creates_account(db, mastodon):
    token = run("create_token", "newbie", "--create").strip()
    account = Account.objects.get(username="newbie")
    assert not account.has_usable_password()
    assert AccessToken.objects.get().user == account
    response = mastodon.as_token(token).get("/api/v1/accounts/verify_credentials")
    assert response.status_code == 200
    assert response.json()["username"] == "newbie"


def test_create_token_create_flag_keeps_existing_account(alice):
    run("create_token", "alice", "--create")
    assert Account.objects.count() == 1
    assert AccessToken.objects.get().user == alice


def test_create_token_unknown_user_without_create_fails(db):
    with pytest.raises(CommandError, match="ghost"):
        run("create_token", "ghost")
    assert row_counts() == (0, 0, 0)


def test_create_token_invalid_username_fails(db):
    with pytest.raises(CommandError, match="Invalid username"):
        run("create_token", "bad name!", "--create")
    assert row_counts() == (0, 0, 0)


def test_create_token_unknown_scope_fails(alice):
    with pytest.raises(CommandError, match="bogus"):
        run("create_token", "alice", "--scopes", "read bogus")
    assert row_counts() == (1, 0, 0)


def test_create_token_unknown_scope_with_create_creates_nothing(db):
    with pytest.raises(CommandError, match="bogus"):
        run("create_token", "newbie", "--create", "--scopes", "read bogus")
    assert row_counts() == (0, 0, 0)


# --- seed ----------------------------------------------------------------------------------------


def test_seed_creates_demo_accounts_and_statuses(db):
    run("seed")
    for name in ("alice", "bob", "carol"):
        account = Account.objects.get(username=name)
        assert account.check_password(f"{name}-demo-password")
        assert account.email == f"{name}@example.com"
    assert Account.objects.count() == 3
    assert Status.objects.count() == 7
    assert Follow.objects.filter(account__username="alice", target__username="carol").exists()
    reply = Status.objects.get(account__username="bob", visibility=0, text_format="plain")
    assert reply.in_reply_to.account.username == "alice"
    assert Status.objects.filter(in_reply_to__isnull=False).count() == 1
    alice = Account.objects.get(username="alice")
    assert alice.statuses_count == 2
    # SelfCommunity's demo: categories with their ancestor, and a status addressed to a tag.
    on_air = Status.objects.get(action="is on air")
    assert sorted(on_air.categories.values_list("name", flat=True)) == ["Hobbies", "Radio"]
    assert on_air.mention_data == [[alice.pk, "alice"]]
    club = Status.objects.get(addressed=True)
    assert club.visibility == 2
    assert list(club.addressing.values_list("name", flat=True)) == ["garden-club"]
    # Reactions on it: a default Like (alice's, a Mastodon favourite) and carol's Love.
    assert on_air.likes_count == 2 and on_air.followers_count == 1
    assert sorted((v.account.username, v.reaction.label if v.reaction else None)
                  for v in on_air.votes.select_related("account", "reaction")) == [
        ("alice", None), ("carol", "Love")]


def test_seed_demo_password_logs_in(db):
    from django.test import Client

    run("seed")
    response = Client().post(
        "/auth/login/", {"username": "bob", "password": "bob-demo-password", "next": "/"}
    )
    assert response.status_code == 302


def test_seed_twice_is_idempotent(db):
    run("seed")
    before = (Account.objects.count(), Status.objects.count(), Follow.objects.count())
    counters = dict(Account.objects.values_list("username", "statuses_count"))
    output = run("seed")
    assert (Account.objects.count(), Status.objects.count(), Follow.objects.count()) == before
    assert before == (3, 7, 1)
    assert dict(Account.objects.values_list("username", "statuses_count")) == counters
    assert "already present" in output


def test_seed_keeps_existing_password(alice):
    run("seed")
    alice.refresh_from_db()
    assert alice.check_password("password")  # an existing account is not overwritten
    assert Account.objects.count() == 3


def test_seed_load_adds_exact_numbers(db):
    run("seed")
    accounts, statuses = Account.objects.count(), Status.objects.count()
    output = run("seed", "--accounts", "3", "--statuses", "4", "--replies", "5")
    loaded = Account.objects.filter(username__startswith="load_")
    assert sorted(loaded.values_list("username", flat=True)) == ["load_0", "load_1", "load_2"]
    assert Account.objects.count() == accounts + 3
    # 4 statuses, plus a thread: its root and 5 replies.
    assert Status.objects.count() == statuses + 4 + 1 + 5
    root = Status.objects.get(text="A long thread starts here")
    assert root.in_reply_to_id is None
    assert root.account.username.startswith("load_")
    assert Status.objects.filter(thread_root=root).count() == 5
    direct = Status.objects.filter(in_reply_to=root).count()
    assert direct >= 1 and root.replies_count == direct
    assert f"Thread root: {root.pk}" in output
    for status in Status.objects.filter(account__username__startswith="load_"):
        assert status.text and status.html
    # Loaded statuses are counted on their authors.
    assert sum(loaded.values_list("statuses_count", flat=True)) == 10


def test_seed_load_twice_does_not_double_accounts(db):
    run("seed", "--accounts", "2")
    run("seed", "--accounts", "3")
    assert sorted(
        Account.objects.filter(username__startswith="load_").values_list("username", flat=True)
    ) == ["load_0", "load_1", "load_2"]
    assert Status.objects.count() == 7


def test_seed_negative_count_fails(db):
    with pytest.raises(CommandError):
        run("seed", "--statuses", "-1")
    assert Status.objects.count() == 0


def _loaded_content(seed: int) -> list[tuple[str, str, int | None]]:
    """Run a load inside a savepoint, read what it wrote, then roll it back."""
    with transaction.atomic():
        first = Status.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        run("seed", "--accounts", "3", "--statuses", "6", "--replies", "6", "--seed", str(seed))
        rows = list(
            Status.objects.filter(pk__gt=first)
            .order_by("pk")
            .values_list("account__username", "text", "in_reply_to_id")
        )
        root_pk = Status.objects.get(text="A long thread starts here").pk
        transaction.set_rollback(True)
    # Parent ids differ between runs; keep the shape of the tree instead.
    return [(u, t, None if p is None else p - root_pk) for u, t, p in rows]


def test_seed_load_is_deterministic_for_a_seed(db):
    run("seed")
    first = _loaded_content(7)
    assert Status.objects.filter(account__username__startswith="load_").count() == 0
    second = _loaded_content(7)
    assert len(first) == 6 + 1 + 6
    assert first == second
    assert _loaded_content(8) != first

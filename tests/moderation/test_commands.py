"""grant_moderator, run with call_command."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Account
from moderation.selectors import is_moderator


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_grant_moderator_adds_to_group_and_sets_staff(alice):
    assert run("grant_moderator", "ALICE") == "alice is now a moderator\n"
    account = Account.objects.get(pk=alice.pk)
    assert account.is_staff is True
    assert account.is_superuser is False
    assert list(account.groups.values_list("name", flat=True)) == ["Moderators"]
    assert is_moderator(account)
    # Twice is the same as once.
    run("grant_moderator", "alice")
    assert account.groups.count() == 1


def test_grant_moderator_gives_the_groups_permissions_only(alice):
    run("grant_moderator", "alice")
    account = Account.objects.get(pk=alice.pk)
    assert account.has_perm("statuses.change_status")
    assert account.has_perm("statuses.view_flag")
    assert account.has_perm("categories.delete_category")
    assert account.has_perm("moderation.view_moderationaction")
    assert not account.has_perm("moderation.change_moderationaction")
    assert not account.has_perm("moderation.delete_moderationaction")
    assert not account.has_perm("accounts.view_application")
    assert not account.has_perm("oauth2_provider.view_accesstoken")
    assert not account.has_perm("auth.view_group")
    assert not account.has_perm("auth.change_permission")
    assert not account.has_perm("statuses.delete_status")


def test_grant_moderator_unknown_user_is_a_command_error(db):
    with pytest.raises(CommandError, match="No account named 'nobody'"):
        run("grant_moderator", "nobody")
    assert not Account.objects.filter(is_staff=True).exists()


def test_grant_moderator_revoke(alice):
    run("grant_moderator", "alice")
    assert run("grant_moderator", "alice", "--revoke") == "alice is no longer a moderator\n"
    account = Account.objects.get(pk=alice.pk)
    assert account.is_staff is False
    assert not account.groups.exists()
    assert not is_moderator(account)


def test_the_group_comes_back_with_its_permissions_if_deleted(alice):
    from django.contrib.auth.models import Group

    Group.objects.filter(name="Moderators").delete()
    run("grant_moderator", "alice")
    assert Account.objects.get(pk=alice.pk).has_perm("statuses.change_status")
    # Moderation's 18, and 12 on custom emojis, their categories and announcements.
    assert Group.objects.get(name="Moderators").permissions.count() == 30


@pytest.mark.django_db(transaction=True)
def test_a_flush_puts_the_group_back_with_all_its_permissions():
    """A flush (every live test ends with one) empties groups and permissions; post_migrate
    recreates both, and the group must come back with its permissions, not empty."""
    from django.contrib.auth.models import Group

    from moderation.roles import PERMISSIONS

    call_command("flush", "--noinput", verbosity=0)
    group = Group.objects.get(name="Moderators")
    have = set(group.permissions.values_list("content_type__app_label", "codename"))
    want = {(app, f"{verb}_{model}") for (app, model), verbs in PERMISSIONS.items()
            for verb in verbs}
    assert have == want and len(want) == 30

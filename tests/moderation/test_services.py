"""moderation.services: each records one ModerationAction, refuses what cannot be done (and then
writes nothing), and leaves the rows and counters the statuses services leave."""

import pytest
from oauth2_provider.models import AccessToken

from accounts.models import Account, RevokedToken
from config import errors
from moderation import services
from moderation.models import ActionType, ModerationAction
from statuses import services as status_services
from statuses.models import Flag, Status
from statuses.services.feedback import contribution_flag
from tests.factories import AccountFactory
from tests.moderation.audiences import PRIVATE_KINDS, make_status


@pytest.fixture
def status(alice):
    return status_services.status_create(account=alice, text="something to moderate")


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_collapse_sets_collapsed_and_records_who_what_why(moderator, status, alice):
    action = services.status_collapse(moderator=moderator, status=status, moderation_type=1,
                                      reason="rude")
    assert fresh(status).collapsed is True
    row = ModerationAction.objects.get()
    assert row == action
    assert (row.moderator_id, row.moderator_username, row.action, row.target_status_id,
            row.target_account_id, row.reason, row.moderation_type) == (
        moderator.pk, "mod", ActionType.COLLAPSE, status.pk, alice.pk, "rude", 1)
    assert row.created_at is not None


def test_collapse_twice_or_of_a_deleted_status_is_refused_and_writes_nothing(moderator, status):
    services.status_collapse(moderator=moderator, status=status)
    with pytest.raises(errors.Rejected):
        services.status_collapse(moderator=moderator, status=status)
    other = status_services.status_create(account=status.account, text="gone")
    status_services.status_delete(status=other)
    with pytest.raises(errors.Rejected):
        services.status_collapse(moderator=moderator, status=other)
    assert fresh(other).collapsed is False
    assert ModerationAction.objects.count() == 1


def test_uncollapse_undoes_collapse(moderator, status):
    services.status_collapse(moderator=moderator, status=status)
    services.status_uncollapse(moderator=moderator, status=status, reason="fine")
    assert fresh(status).collapsed is False
    assert list(ModerationAction.objects.order_by("id").values_list("action", flat=True)) == [
        "collapse", "uncollapse"]
    with pytest.raises(errors.Rejected):
        services.status_uncollapse(moderator=moderator, status=status)


def test_invalid_moderation_type_is_a_field_error(moderator, status):
    with pytest.raises(errors.Invalid) as caught:
        services.status_collapse(moderator=moderator, status=status, moderation_type=9)
    assert caught.value.field == "moderation_type"
    assert not ModerationAction.objects.exists()


def test_non_moderator_is_refused(bob, status):
    with pytest.raises(errors.NotAllowed):
        services.status_collapse(moderator=bob, status=status)
    assert fresh(status).collapsed is False
    assert not ModerationAction.objects.exists()


def test_moderate_delete_and_restore_fix_counters(moderator, status, alice, bob):
    reply = status_services.status_create(account=bob, text="reply",
                                          in_reply_to_id=status.pk, in_reply_to_given=True)
    assert fresh(status).replies_count == 1
    services.status_moderate_delete(moderator=moderator, status=reply, moderation_type=0)
    assert fresh(reply).deleted_at is not None
    assert fresh(status).replies_count == 0
    assert fresh(bob).statuses_count == 0
    services.status_moderate_restore(moderator=moderator, status=reply)
    assert fresh(reply).deleted_at is None
    assert fresh(status).replies_count == 1
    assert fresh(bob).statuses_count == 1
    assert list(ModerationAction.objects.order_by("id").values_list("action", flat=True)) == [
        "delete", "restore"]


def test_moderator_cannot_restore_what_the_author_deleted(moderator, status):
    status_services.status_delete(status=status)
    with pytest.raises(errors.Rejected):
        services.status_moderate_restore(moderator=moderator, status=status)
    assert fresh(status).deleted_at is not None
    with pytest.raises(errors.Rejected):
        services.status_moderate_delete(moderator=moderator, status=status)
    assert not ModerationAction.objects.exists()


def test_mark_sensitive(moderator, status):
    services.status_mark_sensitive(moderator=moderator, status=status)
    assert fresh(status).sensitive is True
    with pytest.raises(errors.Rejected):
        services.status_mark_sensitive(moderator=moderator, status=status)
    services.status_mark_sensitive(moderator=moderator, status=status, sensitive=False)
    assert fresh(status).sensitive is False
    assert list(ModerationAction.objects.order_by("id").values_list("action", flat=True)) == [
        "mark_sensitive", "unmark_sensitive"]


def test_flags_dismiss_deletes_flags_logs_them_and_reopen_brings_them_back(moderator, status,
                                                                         bob, carol):
    contribution_flag(account=bob, status_id=status.pk, flag_type=0)
    contribution_flag(account=carol, status_id=status.pk, flag_type=2)
    assert fresh(status).flags_count == 2
    action = services.flags_dismiss(moderator=moderator, status=status, reason="fine")
    assert not Flag.objects.exists()
    assert fresh(status).flags_count == 0
    assert [(f["username"], f["flag_type"]) for f in action.details["flags"]] == [
        ("bob", 0), ("carol", 2)]
    with pytest.raises(errors.Rejected):
        services.flags_dismiss(moderator=moderator, status=status)
    services.flags_reopen(moderator=moderator, status=status)
    assert sorted(Flag.objects.values_list("account__username", "flag_type")) == [
        ("bob", 0), ("carol", 2)]
    assert fresh(status).flags_count == 2
    with pytest.raises(errors.Rejected):
        services.flags_reopen(moderator=moderator, status=status)


def test_suspend_revokes_tokens_and_unsuspend_lifts(moderator, alice, make_token):
    make_token(alice)
    make_token(alice)
    action = services.account_suspend(moderator=moderator, account=alice, reason="spam")
    assert fresh(alice).suspended_at is not None
    assert not AccessToken.objects.filter(user=alice).exists()
    assert RevokedToken.objects.count() == 2
    assert action.details == {"revoked_tokens": 2}
    assert (action.target_account_id, action.target_status_id) == (alice.pk, None)
    with pytest.raises(errors.Rejected):
        services.account_suspend(moderator=moderator, account=alice)
    services.account_unsuspend(moderator=moderator, account=alice)
    assert fresh(alice).suspended_at is None


def test_silence_and_unsilence(moderator, alice):
    services.account_silence(moderator=moderator, account=alice)
    assert fresh(alice).silenced_at is not None
    services.account_unsilence(moderator=moderator, account=alice)
    assert fresh(alice).silenced_at is None
    with pytest.raises(errors.Rejected):
        services.account_unsilence(moderator=moderator, account=alice)
    assert ModerationAction.objects.count() == 2


def test_moderators_cannot_suspend_themselves_or_each_other(moderator):
    with pytest.raises(errors.NotAllowed):
        services.account_suspend(moderator=moderator, account=moderator)
    other = AccountFactory(username="othermod", is_staff=True)
    with pytest.raises(errors.NotAllowed):
        services.account_suspend(moderator=moderator, account=other)
    boss = AccountFactory(username="boss", is_superuser=True, is_staff=True)
    services.account_suspend(moderator=boss, account=other)
    assert Account.objects.get(pk=other.pk).suspended_at is not None


def test_log_survives_the_moderator_and_keeps_the_name(moderator, status):
    services.status_collapse(moderator=moderator, status=status)
    moderator.delete()
    row = ModerationAction.objects.get()
    assert row.moderator_id is None and row.moderator_username == "mod"


def test_moderating_a_reblog_is_refused(moderator, status, bob):
    status_services.status_reblog(account=bob, status_id=status.pk)
    wrapper = Status.objects.get(reblog_of=status)
    with pytest.raises(errors.Rejected):
        services.status_collapse(moderator=moderator, status=wrapper)
    assert not ModerationAction.objects.exists()


# --- what a moderator may act on: what they may read (moderation_visible_q) ----------------

# Every service that acts on a status, with what it needs besides the status.
STATUS_SERVICES = {
    "status_collapse": {"moderation_type": 1},
    "status_moderate_delete": {"moderation_type": 1},
    "status_mark_sensitive": {},
    "flags_dismiss": {},
    "author_scold": {"moderation_type": 1},
    "flagger_scold": {},
}


def _columns(status):
    return Status.objects.filter(pk=status.pk).values(
        "collapsed", "deleted_at", "sensitive", "flags_count", "render_version").get()


@pytest.mark.parametrize("name", STATUS_SERVICES)
@pytest.mark.parametrize("kind", PRIVATE_KINDS)
def test_a_status_the_moderator_may_not_read_is_not_found_and_nothing_is_written(
        moderator, alice, bob, kind, name):
    status = make_status(kind, author=alice, reader=bob, text="between us")
    before = _columns(status)
    with pytest.raises(errors.NotFound):
        getattr(services, name)(moderator=moderator, status=status, **STATUS_SERVICES[name])
    assert _columns(status) == before
    assert not ModerationAction.objects.exists()


def test_uncollapse_of_a_status_the_moderator_may_not_read_is_not_found(moderator, alice, bob):
    status = make_status("direct", author=alice, reader=bob, text="between us")
    Status.objects.filter(pk=status.pk).update(collapsed=True)  # as a row from before the rule
    with pytest.raises(errors.NotFound):
        services.status_uncollapse(moderator=moderator, status=status)
    assert Status.objects.get(pk=status.pk).collapsed is True
    assert not ModerationAction.objects.exists()


@pytest.mark.parametrize("kind", PRIVATE_KINDS)
def test_a_flagged_private_status_is_acted_on_and_stays_so_once_dismissed(moderator, alice,
                                                                          bob, kind):
    status = make_status(kind, author=alice, reader=bob, text="between us")
    contribution_flag(account=bob, status_id=status.pk, flag_type=1)
    services.status_collapse(moderator=moderator, status=status, moderation_type=1)
    services.flags_dismiss(moderator=moderator, status=status)
    assert fresh(status).flags_count == 0
    # The log names it now: moderators may still act on it.
    services.status_uncollapse(moderator=moderator, status=status)
    assert fresh(status).collapsed is False
    assert ModerationAction.objects.count() == 3


def test_a_moderator_who_follows_the_author_acts_on_a_private_status(moderator, alice):
    status = make_status("private", author=alice, reader=moderator, text="for followers")
    services.status_collapse(moderator=moderator, status=status, moderation_type=0)
    assert fresh(status).collapsed is True

"""The notification store is written by the services, in the transaction of the act, and the
undo acts take back what they wrote (notifications/services.py and its callers)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services as account_services
from config import errors
from moderation import services as moderation_services
from notifications.models import Notification
from notifications.services import MAXIMUM_GROUP_SPAN_HOURS, _hour_bucket
from statuses.models import Poll, PollVote, Status
from statuses.services import (
    status_create,
    status_favourite,
    status_reblog,
    status_unfavourite,
    status_unreblog,
    status_update,
)
from statuses.services.feedback import contribution_flag, contribution_vote
from statuses.services.polls import poll_announce_ended
from tests.factories import AccountFactory, BlockFactory, MuteFactory

pytestmark = pytest.mark.django_db


def rows(**filters):
    return list(Notification.objects.filter(**filters).order_by("pk").values_list(
        "recipient_id", "from_account_id", "type", "status_id"))


def test_mention_notifies_the_mentioned_account_once(alice, bob, carol):
    status = status_create(account=alice, text="hi @bob and @carol and @alice")
    assert rows() == [(bob.pk, alice.pk, "mention", status.pk),
                      (carol.pk, alice.pk, "mention", status.pk)]


def test_no_notification_for_a_blocked_or_blocking_or_muting_recipient(alice, bob, carol):
    dave = AccountFactory(username="dave")
    BlockFactory(account=bob, target=alice)      # bob blocks the actor
    BlockFactory(account=alice, target=carol)    # the actor blocks carol
    MuteFactory(account=dave, target=alice, hide_notifications=True)
    status_create(account=alice, text="@bob @carol @dave")
    assert rows() == []


def test_a_mute_without_notifications_or_expired_still_notifies(alice, bob, carol):
    MuteFactory(account=bob, target=alice, hide_notifications=False)
    MuteFactory(account=carol, target=alice, hide_notifications=True,
                expires_at=timezone.now() - timedelta(minutes=1))
    status = status_create(account=alice, text="@bob @carol")
    assert rows() == [(bob.pk, alice.pk, "mention", status.pk),
                      (carol.pk, alice.pk, "mention", status.pk)]


def test_favourite_notifies_and_unfavourite_takes_it_back(alice, bob):
    status = status_create(account=alice, text="mine")
    status_favourite(account=bob, status_id=status.pk)
    status_favourite(account=alice, status_id=status.pk)  # one's own: nobody is told
    assert rows() == [(alice.pk, bob.pk, "favourite", status.pk)]
    key = Notification.objects.get().group_key
    assert key == f"favourite-{status.pk}-{_hour_bucket(timezone.now())}"
    status_unfavourite(account=bob, status_id=status.pk)
    assert rows() == []


def test_a_selfcommunity_vote_is_a_favourite_both_ways(alice, bob):
    status = status_create(account=alice, text="mine")
    assert contribution_vote(account=bob, status_id=status.pk, reaction_id=None) is True
    assert rows() == [(alice.pk, bob.pk, "favourite", status.pk)]
    assert contribution_vote(account=bob, status_id=status.pk, reaction_id=None) is False
    assert rows() == []


def test_favourites_of_one_status_share_a_group_within_twelve_hours(alice, bob, carol):
    status = status_create(account=alice, text="mine")
    status_favourite(account=bob, status_id=status.pk)
    first = Notification.objects.get()
    # The earlier group's bucket is kept while the group spans less than 12 hours.
    old_bucket = _hour_bucket(timezone.now()) - (MAXIMUM_GROUP_SPAN_HOURS - 1)
    Notification.objects.filter(pk=first.pk).update(
        group_key=f"favourite-{status.pk}-{old_bucket}")
    status_favourite(account=carol, status_id=status.pk)
    assert Notification.objects.latest("pk").group_key == f"favourite-{status.pk}-{old_bucket}"


def test_a_group_older_than_twelve_hours_starts_a_new_one(alice, bob, carol):
    status = status_create(account=alice, text="mine")
    status_favourite(account=bob, status_id=status.pk)
    old_bucket = _hour_bucket(timezone.now()) - MAXIMUM_GROUP_SPAN_HOURS
    Notification.objects.update(group_key=f"favourite-{status.pk}-{old_bucket}")
    status_favourite(account=carol, status_id=status.pk)
    assert Notification.objects.latest("pk").group_key == \
        f"favourite-{status.pk}-{_hour_bucket(timezone.now())}"


def test_mentions_are_not_grouped(alice, bob):
    status_create(account=alice, text="@bob one")
    status_create(account=alice, text="@bob two")
    assert list(Notification.objects.values_list("group_key", flat=True)) == ["", ""]


def test_reblog_notifies_the_original_author_and_unreblog_takes_it_back(alice, bob):
    status = status_create(account=alice, text="mine")
    status_reblog(account=bob, status_id=status.pk)
    assert rows() == [(alice.pk, bob.pk, "reblog", status.pk)]
    status_unreblog(account=bob, status_id=status.pk)
    assert rows() == []


def test_deleting_the_reblog_itself_takes_its_notification_back(alice, bob):
    from statuses.services import status_delete

    status = status_create(account=alice, text="mine")
    wrapper = status_reblog(account=bob, status_id=status.pk)
    assert rows() == [(alice.pk, bob.pk, "reblog", status.pk)]
    status_delete(status=Status.objects.get(pk=wrapper.pk))
    assert rows() == []


def test_follow_and_follow_request_notify_and_their_undo_takes_them_back(alice, bob, carol):
    account_services.account_follow(account=bob, target=alice)
    assert rows() == [(alice.pk, bob.pk, "follow", None)]
    account_services.account_unfollow(account=bob, target=alice)
    assert rows() == []
    carol.locked = True
    carol.save()
    account_services.account_follow(account=bob, target=carol)
    assert rows() == [(carol.pk, bob.pk, "follow_request", None)]
    account_services.follow_request_authorize(account=carol, requester=bob)
    assert rows() == []


def test_a_rejected_follow_request_takes_its_notification_back(alice, bob):
    alice.locked = True
    alice.save()
    account_services.account_follow(account=bob, target=alice)
    account_services.follow_request_reject(account=alice, requester=bob)
    assert rows() == []


def test_a_block_removes_the_follow_notification(alice, bob):
    account_services.account_follow(account=bob, target=alice)
    account_services.account_block(account=alice, target=bob)
    assert rows() == []


def test_followers_who_rang_the_bell_hear_of_new_statuses_but_not_replies(alice, bob, carol):
    account_services.account_follow(account=bob, target=alice, notify=True)
    account_services.account_follow(account=carol, target=alice, notify=False)
    alice.refresh_from_db()  # (a request reads the author's counters afresh)
    status = status_create(account=alice, text="news")
    assert rows(type="status") == [(bob.pk, alice.pk, "status", status.pk)]
    other = status_create(account=carol, text="carol's")
    Notification.objects.all().delete()
    status_create(account=alice, text="a reply", in_reply_to_id=other.pk,
                  in_reply_to_given=True)
    assert [r[2] for r in rows(recipient_id=bob.pk)] == []
    status_create(account=alice, text="secret @carol", visibility="direct")
    assert [r[2] for r in rows(recipient_id=bob.pk)] == []


def test_a_reply_is_stored_for_selfcommunity_and_a_mention_only_when_it_mentions(alice, bob):
    status = status_create(account=alice, text="mine")
    reply = status_create(account=bob, text="nice", in_reply_to_id=status.pk,
                          in_reply_to_given=True)
    assert rows() == [(alice.pk, bob.pk, "reply", reply.pk)]
    mentioning = status_create(account=bob, text="@alice nice", in_reply_to_id=status.pk,
                               in_reply_to_given=True)
    assert rows(status_id=mentioning.pk) == [(alice.pk, bob.pk, "mention", mentioning.pk),
                                             (alice.pk, bob.pk, "reply", mentioning.pk)]


def test_an_edit_tells_the_boosters_and_the_new_mentions(alice, bob, carol):
    status = status_create(account=alice, text="first")
    status_reblog(account=bob, status_id=status.pk)
    Notification.objects.all().delete()
    status_update(account=alice, status_id=status.pk, text="second @carol")
    assert rows() == [(carol.pk, alice.pk, "mention", status.pk),
                      (bob.pk, alice.pk, "update", status.pk)]


def test_a_quote_tells_the_quoted_author_and_an_edit_tells_the_quoters(alice, bob):
    quoted = status_create(account=alice, text="quote me")
    quoting = status_create(account=bob, text="look", quote={"quoted_status_id": quoted.pk,
                                                             "quoted_given": True})
    assert rows() == [(alice.pk, bob.pk, "quote", quoting.pk)]
    Notification.objects.all().delete()
    status_update(account=alice, status_id=quoted.pk, text="quote me, edited")
    assert rows() == [(bob.pk, alice.pk, "quoted_update", quoting.pk)]


def test_a_failed_act_writes_no_notification(alice, bob):
    status = status_create(account=alice, text="mine")
    BlockFactory(account=alice, target=bob)
    with pytest.raises(errors.NotFound):
        status_favourite(account=bob, status_id=status.pk)
    assert rows() == []


def test_a_moderators_scold_collapse_and_delete_warn_the_author(alice, moderator):
    status = status_create(account=alice, text="bad")
    scold = moderation_services.author_scold(moderator=moderator, status=status)
    collapse = moderation_services.status_collapse(moderator=moderator, status=status)
    assert list(Notification.objects.order_by("pk").values_list(
        "recipient_id", "from_account_id", "type", "moderation_action_id")) == [
        (alice.pk, moderator.pk, "moderation_warning", scold.pk),
        (alice.pk, moderator.pk, "moderation_warning", collapse.pk)]


def test_a_flag_tells_every_moderator_and_withdrawing_it_takes_that_back(alice, bob, moderator):
    status = status_create(account=alice, text="flag me")
    assert contribution_flag(account=bob, status_id=status.pk, flag_type=0) is True
    told = Notification.objects.get()
    assert (told.recipient_id, told.from_account_id, told.type, told.status_id) == (
        moderator.pk, bob.pk, "admin.report", status.pk)
    assert told.flag_id is not None
    assert contribution_flag(account=bob, status_id=status.pk, flag_type=0) is False
    assert rows() == []


def test_a_poll_that_ended_tells_its_author_and_voters_once(alice, bob, carol):
    status = status_create(account=alice, text="vote", poll={
        "options": ["a", "b"], "expires_in": 300})
    poll = Poll.objects.get(status=status)
    PollVote.objects.create(poll=poll, account=bob, choice=0, single=True)
    assert poll_announce_ended(poll_id=poll.pk) == 0  # not ended yet
    ended = timezone.now() - timedelta(seconds=1)
    Poll.objects.filter(pk=poll.pk).update(expires_at=ended)
    assert poll_announce_ended(poll_id=poll.pk, expected_at=ended + timedelta(hours=1)) == 0
    assert poll_announce_ended(poll_id=poll.pk, expected_at=ended) == 2
    assert poll_announce_ended(poll_id=poll.pk) == 0
    assert rows() == [(alice.pk, alice.pk, "poll", status.pk),
                      (bob.pk, alice.pk, "poll", status.pk)]


def test_a_poll_enqueues_the_task_of_its_end(alice):
    from django_tasks_db.models import DBTaskResult

    status = status_create(account=alice, text="vote", poll={
        "options": ["a", "b"], "expires_in": 300})
    poll = Poll.objects.get(status=status)
    task = DBTaskResult.objects.get(task_path="statuses.tasks.announce_poll_ended")
    assert task.args_kwargs["args"] == [poll.pk, poll.expires_at.isoformat()]
    assert task.run_after == poll.expires_at


def test_a_deleted_status_keeps_its_rows_but_they_are_no_longer_shown(alice, bob):
    from notifications import selectors
    from statuses.services import status_delete

    status = status_create(account=alice, text="@bob hi")
    assert selectors.shown(bob).count() == 1
    status_delete(status=Status.objects.get(pk=status.pk))
    assert selectors.shown(bob).count() == 0


def test_each_notification_is_announced_once_the_act_commits(alice, bob,
                                                             django_capture_on_commit_callbacks):
    from config import events

    heard = []

    def listener(sender, **ids):
        heard.append(ids)

    events.notification_created.connect(listener)
    try:
        status = status_create(account=alice, text="mine")
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            status_favourite(account=bob, status_id=status.pk)
        assert heard == []  # nothing before the commit
        for callback in callbacks:
            callback()
    finally:
        events.notification_created.disconnect(listener)
    told = Notification.objects.get()
    assert heard == [{"notification_id": told.pk, "account_id": alice.pk, "signal":
                      events.notification_created}]

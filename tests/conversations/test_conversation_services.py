"""The conversation store, written by the statuses services in the transaction that posts,
edits, deletes or restores a direct status (statuses/services/direct.py over
conversations/services.py): the rows each participant gets, `unread`, the fall-back of the last
status, and the `conversation_updated` announcements once the act commits."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Account
from accounts.services import account_block, account_mute
from config import events
from conversations import services as conversation_services
from conversations.models import AccountConversation, ConversationStatus
from statuses import services
from statuses.models import Status
from statuses.services.comments import comment_create, comment_update
from statuses.services.feedback import status_restore
from statuses.services.publishing import scheduled_status_publish
from tests.factories import AccountFactory, FollowFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dana(db):
    return AccountFactory(username="dana")


def rows():
    """Every conversation as (owner username, participant usernames, last status id, unread)."""
    names = dict(Account.objects.values_list("pk", "username"))
    return sorted((names[c.account_id], tuple(names[p] for p in c.participant_ids),
                   c.last_status_id, c.unread)
                  for c in AccountConversation.objects.all())


def direct(account, text, **fields):
    return services.status_create(account=account, text=text, visibility="direct", **fields)


@pytest.fixture
def announced():
    """The conversation_updated announcements made, as (conversation id, account id)."""
    heard = []

    def listener(sender, conversation_id, account_id, **kwargs):
        heard.append((conversation_id, account_id))

    events.conversation_updated.connect(listener)
    yield heard
    events.conversation_updated.disconnect(listener)


def test_a_direct_status_is_a_conversation_of_its_author_read_and_of_each_mentioned_unread(
        alice, bob, carol):
    status = direct(alice, "@bob @carol psst")
    assert rows() == [
        ("alice", ("bob", "carol"), status.pk, False),
        ("bob", ("alice", "carol"), status.pk, True),
        ("carol", ("alice", "bob"), status.pk, True),
    ]
    assert all(c.thread_id == status.pk for c in AccountConversation.objects.all())
    assert set(ConversationStatus.objects.values_list("status_id", flat=True)) == {status.pk}


@pytest.mark.parametrize("visibility", ["public", "unlisted", "private"])
def test_other_visibilities_make_no_conversation(alice, bob, visibility):
    services.status_create(account=alice, text="@bob hello", visibility=visibility)
    assert not AccountConversation.objects.exists()


def test_a_note_to_oneself_is_a_conversation_with_nobody_else(alice):
    status = direct(alice, "remember the milk")
    assert rows() == [("alice", (), status.pk, False)]


def test_a_reply_moves_the_last_status_and_reads_it_for_the_replier(alice, bob):
    first = direct(alice, "@bob psst")
    reply = direct(bob, "@alice yes?", in_reply_to_id=first.pk, in_reply_to_given=True)
    assert rows() == [("alice", ("bob",), reply.pk, True), ("bob", ("alice",), reply.pk, False)]
    # One conversation each: the thread and its participants are the same.
    assert AccountConversation.objects.count() == 2
    assert ConversationStatus.objects.count() == 4


def test_the_same_thread_with_other_participants_is_another_conversation(alice, bob, carol):
    first = direct(alice, "@bob @carol all of us")
    aside = direct(alice, "@bob just you", in_reply_to_id=first.pk, in_reply_to_given=True)
    mine = AccountConversation.objects.filter(account=alice).order_by("pk")
    assert [(c.participant_ids, c.last_status_id) for c in mine] == [
        ([bob.pk, carol.pk], first.pk), ([bob.pk], aside.pk)]
    assert {c.thread_id for c in mine} == {first.pk}


@pytest.mark.parametrize("why", ["blocks the author", "mutes the author", "mutes the thread",
                                 "blocks another mentioned", "suspended"])
def test_a_dropped_mention_makes_no_conversation(alice, bob, carol, why):
    thread = None
    if why == "blocks the author":
        account_block(account=bob, target=alice)
    elif why == "mutes the author":
        account_mute(account=bob, target=alice)
    elif why == "mutes the thread":
        thread = direct(alice, "@bob first")
        services.status_mute_conversation(account=bob, status_id=thread.pk)
    elif why == "blocks another mentioned":
        account_block(account=bob, target=carol)
    elif why == "suspended":
        type(bob).objects.filter(pk=bob.pk).update(suspended_at=timezone.now())
        bob.refresh_from_db()
    AccountConversation.objects.all().delete()
    extra = {"in_reply_to_id": thread.pk, "in_reply_to_given": True} if thread else {}
    status = direct(alice, "@bob @carol psst", **extra)
    owners = set(AccountConversation.objects.filter(last_status=status)
                 .values_list("account__username", flat=True))
    if why == "suspended":
        # A suspended account is not even mentioned (spec item 55).
        assert owners == {"alice", "carol"}
        return
    assert owners == {"alice", "carol"}
    # Bob is still a participant of the others' conversations.
    alices = AccountConversation.objects.get(account=alice, last_status=status)
    assert bob.pk in alices.participant_ids


def test_muting_without_notifications_or_an_expired_mute_still_delivers(alice, bob):
    account_mute(account=bob, target=alice, notifications=False)
    direct(alice, "@bob one")
    assert AccountConversation.objects.filter(account=bob).count() == 1
    AccountConversation.objects.all().delete()
    account_mute(account=bob, target=alice, duration=-10)
    direct(alice, "@bob two")
    assert AccountConversation.objects.filter(account=bob).count() == 1


def test_a_silenced_author_reaches_only_followers(alice, bob, carol):
    type(alice).objects.filter(pk=alice.pk).update(silenced_at=timezone.now())
    alice.refresh_from_db()
    FollowFactory(account=carol, target=alice)
    direct(alice, "@bob @carol from the corner")
    assert set(AccountConversation.objects.values_list("account__username", flat=True)) == {
        "alice", "carol"}


def test_deleting_the_last_status_falls_back_to_the_previous_live_one(alice, bob, announced,
                                                                      django_capture_on_commit_callbacks):
    first = direct(alice, "@bob one")
    second = direct(bob, "@alice two", in_reply_to_id=first.pk, in_reply_to_given=True)
    third = direct(alice, "@bob three", in_reply_to_id=second.pk, in_reply_to_given=True)
    services.status_delete(status=second)
    assert {c.last_status_id for c in AccountConversation.objects.all()} == {third.pk}
    with django_capture_on_commit_callbacks(execute=True):
        services.status_delete(status=third)
    assert rows() == [("alice", ("bob",), first.pk, False), ("bob", ("alice",), first.pk, True)]
    conversations = {c.account_id: c.pk for c in AccountConversation.objects.all()}
    assert sorted(announced) == sorted((pk, owner) for owner, pk in conversations.items())


def test_deleting_the_only_status_removes_the_conversations_and_restore_brings_them_back(
        alice, bob, announced, django_capture_on_commit_callbacks):
    status = direct(alice, "@bob only")
    gone = list(AccountConversation.objects.order_by("pk").values_list("pk", "account_id"))
    with django_capture_on_commit_callbacks(execute=True):
        services.status_delete(status=status)
    assert not AccountConversation.objects.exists()
    assert not ConversationStatus.objects.exists()
    assert sorted(announced) == sorted(gone)
    status_restore(account=alice, status_id=status.pk)
    assert rows() == [("alice", ("bob",), status.pk, False), ("bob", ("alice",), status.pk, True)]


def test_restoring_an_older_status_keeps_the_newer_last_and_unread(alice, bob):
    first = direct(alice, "@bob one")
    second = direct(alice, "@bob two", in_reply_to_id=first.pk, in_reply_to_given=True)
    services.status_delete(status=first)
    assert {c.last_status_id for c in AccountConversation.objects.all()} == {second.pk}
    conversation_services.conversation_mark_read(
        account=bob, conversation_id=AccountConversation.objects.get(account=bob).pk)
    status_restore(account=alice, status_id=first.pk)
    assert rows() == [("alice", ("bob",), second.pk, False), ("bob", ("alice",), second.pk, False)]


def test_an_edit_announces_the_conversations_showing_it_and_writes_nothing_else(
        alice, bob, announced, django_capture_on_commit_callbacks):
    status = direct(alice, "@bob draft")
    before = rows()
    with django_capture_on_commit_callbacks(execute=True):
        services.status_update(account=alice, status_id=status.pk, text="@bob final")
    assert rows() == before
    assert sorted(announced) == sorted(AccountConversation.objects.values_list("pk",
                                                                                "account_id"))


def test_an_edit_mentioning_someone_new_brings_them_in(alice, bob, carol):
    status = direct(alice, "@bob draft")
    services.status_update(account=alice, status_id=status.pk, text="@bob @carol final")
    carols = AccountConversation.objects.get(account=carol)
    assert (carols.participant_ids, carols.last_status_id, carols.unread) == (
        sorted([alice.pk, bob.pk]), status.pk, True)
    # The others keep the conversation they had (its participants as when they received it).
    assert AccountConversation.objects.count() == 3


def test_a_scheduled_direct_status_is_delivered_when_published(alice, bob):
    scheduled = services.status_create(
        account=alice, text="@bob later", visibility="direct",
        scheduled_at=(timezone.now() + timedelta(hours=1)).isoformat())
    assert not AccountConversation.objects.exists()
    type(scheduled).objects.filter(pk=scheduled.pk).update(scheduled_at=timezone.now())
    status = scheduled_status_publish(scheduled_status_id=scheduled.pk)
    assert rows() == [("alice", ("bob",), status.pk, False), ("bob", ("alice",), status.pk, True)]


def test_a_selfcommunity_comment_on_a_direct_status_joins_its_conversation(alice, bob, carol):
    status = direct(alice, "@bob psst")
    comment = comment_create(account=bob, status_id=status.pk, text="<p>and @carol?</p>")
    assert comment.visibility == status.visibility
    # Its receivers are the status's audience: Carol, whom it mentions, cannot see it.
    assert rows() == [("alice", ("bob",), comment.pk, True), ("bob", ("alice",), comment.pk, False)]
    comment_update(account=bob, comment_id=comment.pk, text="<p>edited @carol</p>")
    assert not AccountConversation.objects.filter(account=carol).exists()


def test_a_failed_post_writes_no_conversation(alice, bob):
    from config import errors

    with pytest.raises(errors.DomainError):
        services.status_create(account=alice, text="@bob " + "x" * 600, visibility="direct")
    assert not AccountConversation.objects.exists()
    assert not Status.objects.exists()


def test_read_and_remove_are_the_owners_alone(alice, bob, announced,
                                             django_capture_on_commit_callbacks):
    from config import errors

    direct(alice, "@bob psst")
    bobs = AccountConversation.objects.get(account=bob)
    with pytest.raises(errors.NotFound):
        conversation_services.conversation_mark_read(account=alice, conversation_id=bobs.pk)
    with pytest.raises(errors.NotFound):
        conversation_services.conversation_remove(account=alice, conversation_id=bobs.pk)
    with django_capture_on_commit_callbacks(execute=True):
        read = conversation_services.conversation_mark_read(account=bob, conversation_id=bobs.pk)
    assert read.unread is False and announced == [(bobs.pk, bob.pk)]
    conversation_services.conversation_remove(account=bob, conversation_id=bobs.pk)
    assert list(AccountConversation.objects.values_list("account__username", flat=True)) == [
        "alice"]
    # A new status in the thread brings it back, unread, holding only what came since.
    again = direct(alice, "@bob still there?", in_reply_to_id=bobs.thread_id,
                   in_reply_to_given=True)
    back = AccountConversation.objects.get(account=bob)
    assert (back.last_status_id, back.unread) == (again.pk, True)
    assert list(ConversationStatus.objects.filter(conversation=back)
                .values_list("status_id", flat=True)) == [again.pk]


def test_nothing_is_announced_before_the_post_commits(alice, bob, announced,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        direct(alice, "@bob psst")
    assert announced == []
    for callback in callbacks:
        callback()
    assert sorted(announced) == sorted(AccountConversation.objects.values_list("pk",
                                                                                "account_id"))


def test_moderators_collapsing_a_direct_status_announce_its_conversations(
        alice, bob, moderator, announced, django_capture_on_commit_callbacks):
    from moderation.services import status_collapse, status_uncollapse
    from statuses.services.feedback import contribution_flag

    status = direct(alice, "@bob psst")
    # Moderators read a direct status only once someone flags it.
    contribution_flag(account=bob, status_id=status.pk, flag_type=0)
    before = rows()
    expected = sorted(AccountConversation.objects.values_list("pk", "account_id"))
    with django_capture_on_commit_callbacks(execute=True):
        status_collapse(moderator=moderator, status=status)
    assert sorted(announced) == expected
    with django_capture_on_commit_callbacks(execute=True):
        status_uncollapse(moderator=moderator, status=status)
    assert sorted(announced) == sorted(expected * 2)
    assert rows() == before

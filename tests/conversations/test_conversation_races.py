"""Conversations stay one row per participant, holding every status, when both participants post
into them at once (PostgreSQL only: SQLite serialises writers, so it cannot show a race)."""

import json

import pytest

from conversations.models import AccountConversation, ConversationStatus
from statuses import services
from statuses.models import Status
from tests.concurrency import fire, require_postgresql

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


def test_both_participants_replying_at_once_share_one_conversation_each(live_server, make_token,
                                                                        alice, bob):
    require_postgresql()
    root = services.status_create(account=alice, text="@bob shall we?", visibility="direct")
    # Both removed theirs: the racing replies must also make the rows anew, once.
    AccountConversation.objects.all().delete()
    tokens = {alice.username: make_token(alice), bob.username: make_token(bob)}
    calls = []
    for i in range(20):
        for writer, other in (("alice", "bob"), ("bob", "alice")):
            body = {"status": f"@{other} {i}", "visibility": "direct",
                    "in_reply_to_id": str(root.pk)}
            calls.append((f"{live_server.url}/api/v1/statuses", tokens[writer],
                          json.dumps(body).encode()))
    codes = fire(calls)
    assert codes == [200] * 40
    replies = list(Status.objects.filter(in_reply_to=root).order_by("pk"))
    assert len(replies) == 40
    for owner, other in ((alice, bob), (bob, alice)):
        [conversation] = AccountConversation.objects.filter(account=owner)
        assert conversation.participant_ids == [other.pk]
        assert conversation.last_status_id == replies[-1].pk
        assert conversation.unread == (replies[-1].account_id != owner.pk)
        assert sorted(ConversationStatus.objects.filter(conversation=conversation)
                      .values_list("status_id", flat=True)) == [r.pk for r in replies]

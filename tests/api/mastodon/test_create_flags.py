"""POST /api/v1/statuses answers a new top-level status without reading the caller's flags
(there can be none), and still reads them where there can be: a reply in a muted thread, a
status an Idempotency-Key returns again."""

from statuses import services


def test_new_status_reports_no_flags_without_reading_them(alice_client, django_assert_num_queries):
    alice_client.post("/api/v1/statuses", {"status": "warm-up"})
    # token, insert, the author's counters, and the transaction's savepoint and release (in a
    # test); no hashtags, mentions, media or flags to read
    with django_assert_num_queries(5):
        body = alice_client.post("/api/v1/statuses", {"status": "plain"}).json()
    assert (body["favourited"], body["reblogged"], body["muted"], body["bookmarked"],
            body["pinned"]) == (False, False, False, False, False)


def test_reply_in_a_muted_thread_is_muted(alice_client, alice):
    root = services.status_create(account=alice, text="root", visibility="public")
    services.status_mute_conversation(account=alice, status_id=root.pk)
    body = alice_client.post("/api/v1/statuses", {"status": "reply",
                                                  "in_reply_to_id": str(root.pk)}).json()
    assert body["in_reply_to_id"] == str(root.pk)
    assert body["muted"] is True


def test_idempotent_replay_reports_the_flags_of_the_earlier_status(alice_client, alice):
    headers = {"HTTP_IDEMPOTENCY_KEY": "flags-key"}
    first = alice_client.post("/api/v1/statuses", {"status": "once"}, **headers).json()
    services.status_favourite(account=alice, status_id=int(first["id"]))
    services.status_bookmark(account=alice, status_id=int(first["id"]))
    again = alice_client.post("/api/v1/statuses", {"status": "once"}, **headers).json()
    assert again["id"] == first["id"]
    assert (again["favourited"], again["bookmarked"]) == (True, True)

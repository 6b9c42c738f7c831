"""The admin deletes through the same service as the API (moderation.services wraps it)."""

from accounts.models import Account
from statuses import services
from statuses.models import Status


def test_admin_delete_action_soft_deletes_and_fixes_counters(admin_client, alice):
    status = services.status_create(account=alice, text="moderate me")
    response = admin_client.post(
        "/admin/statuses/status/",
        {"action": "moderate_delete", "_selected_action": [status.pk], "apply": "yes",
         "reason": "test"},
        follow=True,
    )
    assert response.status_code == 200
    status.refresh_from_db()
    assert status.deleted_at is not None
    assert Account.objects.get(pk=alice.pk).statuses_count == 0
    assert Status.objects.filter(pk=status.pk).exists()  # soft: the row stays


def test_admin_has_no_hard_bulk_delete(admin_client, alice):
    services.status_create(account=alice, text="x")
    response = admin_client.get("/admin/statuses/status/")
    assert response.status_code == 200
    assert b"delete_selected" not in response.content
    assert b'value="moderate_delete"' in response.content


def test_admin_change_page_renders(admin_client, alice):
    status = services.status_create(account=alice, text="hello #admin")
    response = admin_client.get(f"/admin/statuses/status/{status.pk}/change/")
    assert response.status_code == 200
    assert b"hello #admin" in response.content


def test_admin_lists_flags_with_their_type(admin_client, alice, bob):
    from statuses.services.feedback import contribution_flag

    status = services.status_create(account=alice, text="flag me")
    contribution_flag(account=bob, status_id=status.pk, flag_type=4)
    response = admin_client.get("/admin/statuses/flag/")
    assert response.status_code == 200
    assert b"offtopic" in response.content
    change = admin_client.get(f"/admin/statuses/status/{status.pk}/change/")
    assert b"Flags count" in change.content


def test_superusers_follow_the_moderators_rule(admin_client, alice, bob):
    """Mastodon's admins read what its moderators read: not an unflagged direct message."""
    from statuses.services.feedback import contribution_flag

    status = services.status_create(account=alice, text="@bob zqsecretqz", visibility="direct")
    url = f"/admin/statuses/status/{status.pk}/change/"
    for page in (admin_client.get(url), admin_client.get("/admin/statuses/status/")):
        assert page.status_code == 200
        assert b"zqsecretqz" not in page.content
        assert b"Hidden: a direct status nobody flagged" in page.content
    found = admin_client.get("/admin/statuses/status/", {"q": "zqsecretqz"})
    assert f'name="_selected_action" value="{status.pk}"'.encode() not in found.content
    contribution_flag(account=bob, status_id=status.pk, flag_type=0)
    assert b"zqsecretqz" in admin_client.get(url).content

"""Login throttling at the two login pages: the consent flow's `/auth/login/` and `/admin/login/`
answer a locked IP or name with the same form, an error saying until when, 429 and Retry-After."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from tests.accounts.login import admin_login, assert_page_429, login_page, set_limits
from tests.factories import AccountFactory

ATTACKER = "203.0.113.7"


@pytest.fixture
def root(db):
    return AccountFactory(username="root", is_staff=True, is_superuser=True)


def test_login_page_refuses_the_attempt_after_the_ip_limit(settings, alice):
    set_limits(settings, ip=(3, 300))
    browser = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(3):
        response = login_page("alice", "wrong", client=browser)
        assert response.status_code == 200
        assert "Invalid username or password." in response.content.decode()
    page = assert_page_429(login_page("alice", "wrong", client=browser), period=300)
    assert "Invalid username or password." not in page
    assert 'role="alert"' in page
    # The right password is refused too, and no session is opened.
    assert_page_429(login_page("alice", "password", client=browser), period=300)
    assert SESSION_KEY not in browser.session
    # The page itself still shows; only password attempts are refused.
    assert browser.get("/auth/login/").status_code == 200


def test_login_page_lets_another_ip_log_in_another_account(settings, alice, bob):
    set_limits(settings, ip=(3, 300))
    for _ in range(3):
        login_page("alice", "wrong", ATTACKER)
    assert login_page("bob", "password", ATTACKER).status_code == 429
    response = login_page("bob", "password", "198.51.100.9")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_login_page_refuses_a_name_after_its_limit_from_any_ip(settings, alice, bob):
    set_limits(settings, ip=(100, 300), name=(3, 3600))
    for i, typed in enumerate(["alice", "ALICE", "  alice"]):
        assert login_page(typed, "wrong", f"192.0.2.{i + 1}").status_code == 200
    assert_page_429(login_page("alice", "password", "192.0.2.50"), period=3600)
    assert login_page("bob", "password", "192.0.2.50").status_code == 302


def test_admin_login_refuses_the_attempt_after_the_ip_limit(settings, root):
    set_limits(settings, ip=(3, 300))
    browser = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(3):
        response = admin_login("root", "wrong", client=browser)
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    page = assert_page_429(admin_login("root", "wrong", client=browser), period=300)
    assert '<p class="errornote">' in page
    assert 'id="login-form"' in page
    assert_page_429(admin_login("root", "password", client=browser), period=300)
    assert SESSION_KEY not in browser.session
    assert browser.get("/admin/").status_code == 302  # still not logged in


def test_admin_login_lets_another_ip_in(settings, root):
    set_limits(settings, ip=(3, 300))
    for _ in range(3):
        admin_login("root", "wrong", ATTACKER)
    assert admin_login("root", "password", ATTACKER).status_code == 429
    browser = Client(REMOTE_ADDR="198.51.100.9")
    response = admin_login("root", "password", client=browser)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert browser.get("/admin/").status_code == 200


def test_admin_login_counts_a_right_password_of_a_non_staff_account(settings, alice):
    """The admin refuses it as it refuses a wrong password; it counts as one, so the admin
    cannot serve as an uncounted password oracle."""
    set_limits(settings, ip=(100, 300), name=(2, 3600))
    for ip in ("192.0.2.1", "192.0.2.2"):
        response = admin_login("alice", "password", ip)
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    assert admin_login("alice", "password", "192.0.2.3").status_code == 429

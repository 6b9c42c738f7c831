"""A moderator (not a superuser) works through the admin in a real browser (Playwright driving
Debian's chromium): the flag queue, a collapse, a suspension, the log; both APIs are then asked
over real HTTP what the author and a stranger see."""

import io
import json
import urllib.error
import urllib.request

from django.core.management import call_command

from accounts.models import Account
from moderation.models import ModerationAction
from statuses import services
from statuses.services.feedback import contribution_flag
from tests.factories import AccountFactory
from tests.pages.browser import BROWSER_MARKS

pytestmark = BROWSER_MARKS




def _get(url, token=None):
    """(status code, JSON body) of a real HTTP GET."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _run_action(page, checkbox_values, action, reason, moderation_type=None):
    for value in checkbox_values:
        page.check(f"input[name=_selected_action][value='{value}']")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")
    page.wait_for_selector("#reason-form")
    page.fill("textarea[name=reason]", reason)
    if moderation_type is not None:
        page.select_option("select[name=moderation_type]", str(moderation_type))
    page.click("#reason-form input[type=submit]")
    page.wait_for_selector(".messagelist")


def test_moderator_collapses_suspends_and_reads_the_log(live_server, page, make_token,
                                                        tmp_path):
    base = live_server.url
    author = AccountFactory(username="alice")
    stranger = AccountFactory(username="stan")
    flaggers = [AccountFactory(username=name) for name in ("bob", "carol")]
    AccountFactory(username="mia", password="mia-moderates")
    out = io.StringIO()
    call_command("grant_moderator", "mia", stdout=out)
    mia = Account.objects.get(username="mia")
    assert (mia.is_superuser, mia.is_staff) == (False, True)

    rude = services.status_create(account=author, text="a rude public post")
    other = services.status_create(account=author, text="an ordinary public post")
    for flagger, flag_type in zip(flaggers, (1, 2), strict=True):
        contribution_flag(account=flagger, status_id=rude.pk, flag_type=flag_type)
    author_token, stranger_token = make_token(author), make_token(stranger)

    # Log in to the admin as the moderator; OAuth applications stay closed to her.
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", "mia")
    page.fill("#id_password", "mia-moderates")
    page.click("input[type=submit]")
    page.wait_for_selector("#moderation-shortcuts")
    page.screenshot(path=str(tmp_path / "index.png"), full_page=True)
    assert page.goto(f"{base}/admin/accounts/application/").status == 403
    assert page.goto(f"{base}/admin/auth/group/").status == 403

    # The flag queue lists the flagged status with its flag types and flaggers.
    page.goto(f"{base}/admin/")
    page.click("text=Flag review queue")
    page.wait_for_selector("#result_list")
    row = page.locator("#result_list tbody tr")
    assert row.count() == 1
    text = row.inner_text()
    assert "a rude public post" in text and "aggressive ×1, vulgar ×1" in text
    assert "bob" in text and "carol" in text
    page.screenshot(path=str(tmp_path / "flag-queue.png"), full_page=True)

    _run_action(page, [rude.pk], "collapse", "insults in the first line", moderation_type=1)
    assert "done for 1" in page.locator(".messagelist").inner_text()
    page.screenshot(path=str(tmp_path / "collapsed.png"), full_page=True)

    # The author sees collapsed: true through SelfCommunity; a stranger gets 404 from Mastodon.
    code, body = _get(f"{base}/api/v2/status/{rude.pk}/", author_token)
    assert (code, body["collapsed"]) == (200, True)
    code, body = _get(f"{base}/api/v1/statuses/{rude.pk}", stranger_token)
    assert (code, list(body)) == (404, ["error"])
    assert _get(f"{base}/api/v1/statuses/{other.pk}", stranger_token)[0] == 200

    # The public pages show the ordinary post, on its own page and the author's, and not the
    # collapsed one.
    assert page.goto(f"{base}/@alice/{other.pk}").status == 200
    assert "an ordinary public post" in page.locator("main").inner_text()
    page.screenshot(path=str(tmp_path / "public-status.png"), full_page=True)
    assert page.goto(f"{base}/@alice/{rude.pk}").status == 404
    assert page.goto(f"{base}/@alice").status == 200
    profile = page.locator("main").inner_text()
    assert "an ordinary public post" in profile and "a rude public post" not in profile
    page.screenshot(path=str(tmp_path / "public-account.png"), full_page=True)

    # Suspend the author from the accounts list.
    page.goto(f"{base}/admin/accounts/account/?q=alice")
    _run_action(page, [author.pk], "suspend", "repeated insults")
    assert "done for 1" in page.locator(".messagelist").inner_text()
    page.screenshot(path=str(tmp_path / "suspended.png"), full_page=True)

    # Her statuses vanish from both APIs, lists included; her token answers 401.
    assert _get(f"{base}/api/v1/statuses/{other.pk}", stranger_token)[0] == 404
    assert _get(f"{base}/api/v2/status/{other.pk}/", stranger_token)[0] == 404
    code, timeline = _get(f"{base}/api/v1/timelines/public", stranger_token)
    assert code == 200 and str(other.pk) not in [s["id"] for s in timeline]
    code, listing = _get(f"{base}/api/v2/status/", stranger_token)
    assert code == 200 and other.pk not in [s["id"] for s in listing["results"]]
    assert _get(f"{base}/api/v1/accounts/verify_credentials", author_token)[0] == 401
    assert page.goto(f"{base}/@alice/{other.pk}").status == 404
    assert page.goto(f"{base}/@alice").status == 404

    # Both actions are in the log, with who, what, why and on what.
    page.goto(f"{base}/admin/")
    page.click("#moderation-shortcuts >> text=Moderation log")
    page.wait_for_selector("#result_list")
    log = page.locator("#result_list tbody").inner_text()
    assert "collapse" in log and "insults in the first line" in log
    assert "suspend" in log and "repeated insults" in log
    assert log.count("mia") == 2
    page.screenshot(path=str(tmp_path / "log.png"), full_page=True)
    assert list(ModerationAction.objects.order_by("id").values_list(
        "action", "moderator_username", "target_status_id", "target_account_id")) == [
        ("collapse", "mia", rude.pk, author.pk), ("suspend", "mia", None, author.pk)]

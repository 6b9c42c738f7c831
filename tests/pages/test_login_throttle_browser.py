"""The login page's 429 in a real browser (Playwright driving Debian's chromium): the form comes
back with the lock's message, and the right password does not get through until it ends."""

import re

from tests.accounts.login import set_limits
from tests.factories import AccountFactory
from tests.pages.browser import BROWSER_MARKS

pytestmark = BROWSER_MARKS


def _submit(page, username, password):
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_response(lambda r: r.request.method == "POST"
                              and r.url.endswith("/auth/login/")) as answer:
        page.click("button[type=submit]")
    page.wait_for_load_state()
    return answer.value


def test_login_page_lock_in_browser(live_server, page, settings):
    set_limits(settings, ip=(2, 300))
    AccountFactory(username="gale", password="gale-browser-pass")
    page.goto(f"{live_server.url}/auth/login/?next=/")
    for _ in range(2):
        assert _submit(page, "gale", "wrong").status == 200
        assert page.locator("[role=alert]").inner_text() == "Invalid username or password."
    answer = _submit(page, "gale", "gale-browser-pass")
    assert answer.status == 429
    assert 1 <= int(answer.headers["retry-after"]) <= 300
    alert = page.locator("[role=alert]").inner_text()
    assert re.fullmatch(r"Too many failed login attempts\. Try again in [1-5] minutes?\.", alert)
    # The same form, ready for another try once the lock ends; no session was opened.
    assert page.locator("#id_password").is_visible()
    assert "/auth/login/" in page.url
    assert not [c for c in page.context.cookies() if c["name"] == "sessionid"]

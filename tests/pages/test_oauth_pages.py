"""The OAuth login and consent pages in a real browser (Playwright driving Debian's chromium)."""

import json
import urllib.parse
import urllib.request

from tests.factories import AccountFactory, ApplicationFactory
from tests.pages.browser import BROWSER_MARKS

pytestmark = BROWSER_MARKS




def _authorize_url(base, app, scope="read write"):
    query = urllib.parse.urlencode({
        "response_type": "code", "client_id": app.client_id,
        "redirect_uri": "urn:ietf:wg:oauth:2.0:oob", "scope": scope,
    })
    return f"{base}/oauth/authorize?{query}"


def test_login_consent_and_code_exchange_in_browser(live_server, page, tmp_path):
    AccountFactory(username="erin", password="erin-browser-pass")
    app = ApplicationFactory(name="Browser App", client_secret="browser-secret",
                             scopes="read write")
    page.goto(_authorize_url(live_server.url, app))
    assert "/auth/login/" in page.url
    page.fill("#id_username", "erin")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    assert page.locator("[role=alert]").inner_text() == "Invalid username or password."
    page.fill("#id_username", "erin")
    page.fill("#id_password", "erin-browser-pass")
    page.click("button[type=submit]")

    assert page.locator("h1").inner_text() == "Authorize Browser App?"
    scopes = page.locator("ul li").all_inner_texts()
    assert scopes == ["read all your account's data", "modify all your account's data"]
    page.screenshot(path=str(tmp_path / "consent.png"))
    page.click("button[name=allow]")

    code = page.locator("#authorization-code").inner_text().strip()
    assert len(code) >= 20
    body = urllib.parse.urlencode({
        "grant_type": "authorization_code", "code": code, "client_id": app.client_id,
        "client_secret": "browser-secret", "redirect_uri": "urn:ietf:wg:oauth:2.0:oob",
    }).encode()
    with urllib.request.urlopen(f"{live_server.url}/oauth/token", data=body) as response:
        token = json.loads(response.read())
    assert token["scope"] == "read write"
    request = urllib.request.Request(
        f"{live_server.url}/api/v1/accounts/verify_credentials",
        headers={"Authorization": f"Bearer {token['access_token']}"},
    )
    with urllib.request.urlopen(request) as response:
        assert json.loads(response.read())["username"] == "erin"


def test_deny_in_browser_shows_refusal(live_server, page):
    AccountFactory(username="fay", password="fay-browser-pass")
    app = ApplicationFactory(name="Denied App", scopes="read")
    page.goto(_authorize_url(live_server.url, app, scope="read"))
    page.fill("#id_username", "fay@example.com")  # e-mail logins work too
    page.fill("#id_password", "fay-browser-pass")
    page.click("button[type=submit]")
    page.click("text=Deny")
    assert page.locator("h1").inner_text() == "Authorization refused"
    assert "access_denied" in page.content()

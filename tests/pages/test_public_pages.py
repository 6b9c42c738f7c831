"""The public status and account pages in a real browser (Playwright driving Debian's chromium)
against a live server, with JavaScript switched off: plain HTML is enough to read them."""

import io
import urllib.error
import urllib.request

import pytest
from PIL import Image

from media.services import media_upload
from statuses import services
from statuses.selectors.pages import PAGE_SIZE
from tests.factories import AccountFactory
from tests.pages.browser import BROWSER_MARKS

pytestmark = BROWSER_MARKS
PHONE = {"width": 390, "height": 844}




@pytest.fixture
def live(settings, tmp_path, live_server):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SERVE_MEDIA = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return live_server


class _Upload(io.BytesIO):
    def __init__(self, colour):
        buffer = io.BytesIO()
        Image.new("RGB", (320, 200), colour).save(buffer, "PNG")
        super().__init__(buffer.getvalue())
        self.name = "picture.png"
        self.size = len(buffer.getvalue())


def test_status_and_account_pages_in_a_browser(live, chromium_browser, tmp_path):
    alice = AccountFactory(username="alice", display_name="Alice Liddell",
                           note="Curiouser and curiouser")
    bob = AccountFactory(username="bob", display_name="Bob")
    for n in range(PAGE_SIZE):
        services.status_create(account=alice, text=f"older post {n}")
    media = media_upload(account=alice, upload=_Upload((30, 110, 200)),
                         description="A blue rectangle on a page")
    status = services.status_create(account=alice, text="Down the rabbit hole #wonder",
                                    media_ids=[str(media.pk)])
    services.status_create(account=bob, text="A public reply from Bob",
                           in_reply_to_id=status.pk, in_reply_to_given=True)
    services.status_create(account=bob, text="zqprivateqz", in_reply_to_id=status.pk,
                           in_reply_to_given=True, visibility="private")
    hidden = services.status_create(account=alice, text="followers only", visibility="private")
    services.status_favourite(account=bob, status_id=status.pk)

    context = chromium_browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()

    # The status page.
    response = page.goto(f"{live.url}/@alice/{status.pk}")
    assert response.status == 200
    focus = page.locator("article.status.focus")
    assert "Down the rabbit hole" in focus.locator(".content").inner_text()
    image = focus.locator(".media img")
    assert image.get_attribute("alt") == "A blue rectangle on a page"
    image.wait_for()
    assert image.bounding_box()["width"] > 100  # the upload was served and laid out
    assert focus.locator("b.favourites").inner_text() == "1"
    assert focus.locator("b.replies").inner_text() == "1"
    replies = page.locator("section.replies article").all_inner_texts()
    assert len(replies) == 1 and "A public reply from Bob" in replies[0]
    assert "zqprivateqz" not in page.content()
    og_title = page.locator('meta[property="og:title"]').get_attribute("content")
    assert og_title == "Alice Liddell (@alice@social.example)"
    assert page.locator('link[type="application/activity+json"]').count() == 0
    assert page.locator("script").count() == 0
    # Nothing wider than a phone's screen.
    box = page.locator("main").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.screenshot(path=str(tmp_path / "status-page.png"), full_page=True)

    # Its author's name leads to the account page.
    focus.locator("a.name").click()
    page.wait_for_url(f"{live.url}/@alice")
    assert page.locator(".profile h1").inner_text() == "Alice Liddell"
    assert "Curiouser and curiouser" in page.locator(".profile .note").inner_text()
    posts = page.locator("section.timeline article")
    assert posts.count() == PAGE_SIZE
    assert "Down the rabbit hole" in posts.first.inner_text()
    assert "followers only" not in page.content()
    page.screenshot(path=str(tmp_path / "account-page.png"), full_page=True)

    # Older statuses are a link away.
    page.locator('nav.pager a[rel="next"]').click()
    page.wait_for_url(f"{live.url}/@alice?max_id=*")
    texts = page.locator("section.timeline article .content").all_inner_texts()
    assert texts == ["older post 0"]
    assert page.locator('nav.pager a[rel="prev"]').count() == 1
    page.screenshot(path=str(tmp_path / "account-page-2.png"), full_page=True)

    # What an anonymous reader may not see is a plain HTML 404.
    response = page.goto(f"{live.url}/@alice/{hidden.pk}")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Not found"
    assert "followers only" not in page.content()
    page.screenshot(path=str(tmp_path / "not-found.png"))
    context.close()

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{live.url}/api/v1/statuses/{hidden.pk}")
    assert refused.value.code == 404
    assert refused.value.headers["Content-Type"].startswith("application/json")
    for name in ("status-page.png", "account-page.png", "account-page-2.png", "not-found.png"):
        assert (tmp_path / name).stat().st_size > 1000

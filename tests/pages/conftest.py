"""Browser fixtures for the page tests (Playwright for Python driving Debian's chromium)."""

import pytest

from tests.pages.browser import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture
def chromium_browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between browser steps are still plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser):
    """A page of a fresh browser context with a desktop-sized window."""
    context = chromium_browser.new_context(viewport={"width": 1400, "height": 900})
    yield context.new_page()
    context.close()

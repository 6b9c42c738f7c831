"""A real Mastodon web client, Phanpy (built, in `../shared/clients/phanpy`), in Debian's
chromium against the server over TLS, used as a person would: log in through the popup, read
home, open a thread, post, reply, favourite, boost, bookmark, vote in a poll, upload an image
with a description, open a profile. Each act is checked on the page and in the database, and
no request of the session may answer 404 or 5xx unless README lists its route as missing
(`NOT_SERVED_YET`), and no WebSocket may fail.

The server is gunicorn with a self-signed certificate on PostgreSQL (DATABASE_URL), or this
process's own WSGI server over TLS on SQLite's in-memory test database. Mastodon's streaming API
is served over TLS with the same certificate on a port of its own, the instance's
`urls.streaming` (STREAMING_URL): daphne on config.asgi in a subprocess on PostgreSQL, this
process's daphne on SQLite (which no other process can open). Both read the channel layer of
the API server: Redis pub/sub under a prefix of the test's own (the live steps skip, saying so,
where Redis does not answer). Phanpy's static files are served over https from a third port: it
builds `https://<instance>` for every call.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.config.live import BASE_DIR
from tests.e2e.browsing import (
    STREAMING_REDIS,
    Session,
    allow_list,
    evidence,
    mastodon_py,
    readme_rows,
    wait_for_row,
)
from tests.e2e.tls import ONE_AT_A_TIME, server_context, static_files

PHANPY_DIR = Path(os.environ.get("PHANPY_DIR")
                  or BASE_DIR.parent / "shared" / "clients" / "phanpy")
PASSWORD = "alice-phanpy-pass"

pytestmark = [
    pytest.mark.live,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (PHANPY_DIR / "index.html").is_file() and not os.environ.get("REQUIRE_PHANPY"),
        reason=f"the built Phanpy is not at {PHANPY_DIR} (see ../shared/clients/README.md)"),
]

# Routes Phanpy asks for that the server does not serve yet, each a "missing" row of README's
# endpoint tables (test_not_served_yet_is_what_readme_lists_as_missing holds them to that).
# Delete an entry when its route lands: the session must then answer it.
NOT_SERVED_YET: dict[str, str] = {
}

TIMEOUT = 20_000  # ms: Phanpy on a shared 2-CPU machine
not_served_yet = allow_list(NOT_SERVED_YET)


def needs_live_events(channel_layer) -> None:
    if channel_layer is None:
        pytest.skip(f"Redis does not answer at {STREAMING_REDIS}: the API server's events "
                    "cannot reach the streaming server, so the live steps cannot run")


@pytest.fixture
def phanpy(certificate):
    """Phanpy's built files over https; yields their origin."""
    assert (PHANPY_DIR / "index.html").is_file(), (
        f"REQUIRE_PHANPY is set and the built Phanpy is not at {PHANPY_DIR}")
    with static_files(PHANPY_DIR, server_context(*certificate)) as origin:
        yield origin


@pytest.fixture
def world(settings):
    """alice (who logs in through Phanpy) follows bob; bob's statuses: a thread carol replied
    to, and a poll. The server may hash with Django's default hashers (gunicorn), so alice's
    password is hashed with PBKDF2, not the suite's MD5."""
    from accounts.services import account_follow
    from statuses.services import status_create
    from tests.api.selfcommunity.test_e2e_sdk import ensure_reactions
    from tests.factories import AccountFactory

    ensure_reactions()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher",
                                 "django.contrib.auth.hashers.MD5PasswordHasher"]
    alice = AccountFactory(username="alice", display_name="Alice Phanpy", password=PASSWORD)
    bob = AccountFactory(username="bob", display_name="Bob Builder")
    carol = AccountFactory(username="carol", display_name="Carol Replies")
    bob.note = "Bob's profile note"
    bob.save(update_fields=["note"])
    account_follow(account=alice, target=bob)
    thread = status_create(account=bob, text="Bob starts a thread about gardens")
    status_create(account=carol, text="Carol answers in the thread", in_reply_to_id=thread.pk,
                  in_reply_to_given=True)
    poll = status_create(account=bob, text="Bob asks: which colour?",
                         poll={"options": ["Red", "Blue"], "expires_in": 86400})
    return {"alice": alice, "bob": bob, "carol": carol, "thread": thread, "poll": poll}


def open_phanpy(browser, instance: str, streaming: str):
    """A fresh context (Phanpy keeps state in local storage and its service worker), every
    response and WebSocket of it recorded, and any confirm() accepted."""
    context = browser.new_context(ignore_https_errors=True, service_workers="block",
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT)
    session = Session(instance, streaming, not_served_yet)
    context.on("response", session.record)
    context.on("page", lambda page: page.on("websocket", session.record_socket))
    # An exception no code of the app caught: a shape the client did not expect, say.
    context.on("page", lambda page: page.on(
        "pageerror", lambda error: session.crashes.append(f"{page.url}: {error}")))
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    return context, page, session


def log_in(page, phanpy: str, instance: str, username: str, password: str):
    """Type the instance, log in and consent in the popup; returns the popup once it closed."""
    page.goto(f"{phanpy}/#/login")
    page.fill("#instanceURL", urlsplit(instance).netloc)
    with page.context.expect_page() as opened:
        page.press("#instanceURL", "Enter")
    popup = opened.value
    popup.wait_for_load_state()
    assert popup.url.startswith(f"{instance}/auth/login/"), popup.url
    popup.fill("#id_username", username)
    popup.fill("#id_password", password)
    with popup.expect_navigation():
        popup.click("button[type=submit]")
    assert popup.url.startswith(f"{instance}/oauth/authorize?"), popup.url
    assert "code_challenge_method=S256" in popup.url
    with popup.expect_event("close"):
        popup.click("button[name=allow]")
    return popup


def test_phanpy_logs_in_through_the_popup_and_does_what_a_user_does(
        world, instance, streaming, phanpy, browser, tmp_path):
    from oauth2_provider.models import AccessToken
    from PIL import Image
    from playwright.sync_api import expect

    from media.models import MediaAttachment
    from statuses.models import Bookmark, PollVote, Status, Vote

    started = time.monotonic()
    alice = world["alice"]
    context, page, session = open_phanpy(browser, instance, streaming)

    try:
        # --- log in through the popup; the tab the user started from ends logged in ---------
        log_in(page, phanpy, instance, "alice", PASSWORD)
        token = wait_for_row(AccessToken.objects.filter(user=alice, application__name="Phanpy"))
        assert token is not None and set(token.scope.split()) == {"read", "write", "follow", "push"}
        # --- home: bob's statuses, followed --------------------------------------------------
        thread, poll_status = world["thread"], world["poll"]
        page.get_by_text("Bob starts a thread about gardens").first.wait_for()
        assert page.url.startswith(phanpy) and "code=" not in page.url
        host = urlsplit(instance).netloc
        timeline = page.locator("article.status")
        assert timeline.filter(has_text="Bob asks: which colour?").count() == 1
        page.screenshot(path=str(tmp_path / "home.png"))

        # --- a poll in the timeline: vote ---------------------------------------------------
        poll = timeline.filter(has_text="Bob asks: which colour?").locator("form").first
        poll.get_by_text("Blue").click()
        poll.locator("button.poll-vote-button").click()
        vote = wait_for_row(PollVote.objects.filter(poll__status=poll_status, account=alice))
        assert vote is not None and vote.choice == 1
        page.locator(".poll").filter(has_text="Blue").get_by_text("1 vote").first.wait_for()

        # --- open the thread: carol's reply shows -------------------------------------------
        timeline.get_by_text("Bob starts a thread about gardens").click()
        page.wait_for_url(re.compile(rf"#/{re.escape(host)}/s/{thread.pk}$"))
        page.get_by_text("Carol answers in the thread").first.wait_for()
        main = page.locator("article.status.large").first
        main.get_by_text("Bob starts a thread about gardens").wait_for()
        page.screenshot(path=str(tmp_path / "thread.png"))

        # --- favourite, boost, bookmark the thread's status ---------------------------------
        main.locator("button.favourite-button").click()
        assert wait_for_row(Vote.objects.filter(status=thread, account=alice)) is not None
        main.locator("button.reblog-button").click()
        page.locator(".szh-menu .menu-reblog, .szh-menu [role=menuitem]").filter(
            has_text="Boost").first.click()
        boost = wait_for_row(Status.objects.filter(reblog_of=thread, account=alice))
        assert boost is not None
        main.locator("button.bookmark-button").click()
        assert wait_for_row(Bookmark.objects.filter(status=thread, account=alice)) is not None
        for button in ("favourite-button", "reblog-button", "bookmark-button"):
            expect(main.locator(f"button.{button}")).to_have_class(re.compile(r"\bchecked\b"))
        with ONE_AT_A_TIME:
            thread.refresh_from_db()
        assert (thread.likes_count, thread.reblogs_count) == (1, 1)

        # --- reply ------------------------------------------------------------------------
        main.locator("button.reply-button").click()
        composer = page.locator("#compose-container")
        composer.locator("textarea").first.fill("Alice replies from Phanpy")
        composer.get_by_role("button", name="Reply", exact=True).click()
        reply = wait_for_row(Status.objects.filter(account=alice, text__contains="Alice replies"))
        assert reply is not None and reply.in_reply_to_id == thread.pk
        page.get_by_text("Alice replies from Phanpy").first.wait_for()

        # --- post, then post an image with its description ----------------------------------
        page.goto(f"{phanpy}/#/")
        page.locator("#compose-button").click()
        composer.locator("textarea").first.fill("Alice posts from Phanpy")
        composer.get_by_role("button", name="Post", exact=True).click()
        posted = wait_for_row(Status.objects.filter(account=alice, text="Alice posts from Phanpy"))
        assert posted is not None and posted.in_reply_to_id is None
        # Home read again shows it (what the stream brings is the other test's business).
        page.reload()
        timeline.filter(has_text="Alice posts from Phanpy").first.wait_for()

        image = tmp_path / "garden.png"
        Image.new("RGB", (64, 48), (40, 160, 60)).save(image)
        page.locator("#compose-button").click()
        composer.locator("textarea").first.fill("Alice shows her garden")
        composer.locator("input[type=file]").first.set_input_files(str(image))
        composer.locator(".media-attachment textarea").fill("A green rectangle of a garden")
        # Phanpy keeps a description 250 ms after the last keystroke (a debounce).
        page.wait_for_timeout(600)
        composer.get_by_role("button", name="Post", exact=True).click()
        shown = wait_for_row(Status.objects.filter(account=alice, text="Alice shows her garden"))
        assert shown is not None
        attachment = wait_for_row(MediaAttachment.objects.filter(status=shown))
        assert attachment is not None and attachment.description == "A green rectangle of a garden"
        page.reload()
        figure = timeline.filter(has_text="Alice shows her garden").locator("figure").first
        expect(figure.locator("figcaption")).to_have_text("A green rectangle of a garden")
        # The picture itself came from the server's /media/ and loaded.
        expect(figure.locator("img")).to_have_attribute("data-loaded", "true")
        assert figure.locator("img").get_attribute("src").startswith(f"{instance}/media/")

        # --- a profile ----------------------------------------------------------------------
        timeline.filter(has_text="Bob asks: which colour?").locator("a.name-text").click()
        profile = page.locator("#account-container, .account-container").first
        profile.get_by_text("Bob's profile note").wait_for()
        profile.get_by_text("Bob Builder").first.wait_for()
        page.screenshot(path=str(tmp_path / "profile.png"))

    except BaseException:
        evidence(page, tmp_path)
        raise
    context.close()
    assert session.failures() == [], session.failures()
    assert session.socket_failures() == [], session.socket_failures()
    # Phanpy opened its stream where the instance says (urls.streaming), and it held.
    assert f"{streaming}/api/v1/streaming" in session.opened, session.opened
    # Phanpy leaves the 404 of an unserved route (NOT_SERVED_YET) uncaught as "Not Found";
    # every other 404 already failed above.
    crashes = [crash for crash in session.crashes if not crash.endswith(": Not Found")]
    assert crashes == [], crashes
    print(f"phanpy session: {len(session.seen)} requests in {time.monotonic() - started:.1f} s")


def test_phanpy_shows_notifications_and_live_updates(world, instance, streaming, channel_layer,
                                                     phanpy, browser, certificate, tmp_path):
    """What a second account (Mastodon.py, as bob) just did to alice shows in Phanpy's
    Notifications, and a new status of bob's arrives in her home timeline over the streaming
    API, without a reload."""
    from playwright.sync_api import expect

    from notifications.models import Notification
    from statuses.services import status_create

    alice = world["alice"]
    with ONE_AT_A_TIME:
        mine = status_create(account=alice, text="Alice posts something to react to")
    context, page, session = open_phanpy(browser, instance, streaming)
    try:
        log_in(page, phanpy, instance, "alice", PASSWORD)
        page.get_by_text("Alice posts something to react to").first.wait_for()

        bob = mastodon_py(instance, "bob", certificate[0])
        bob.status_favourite(mine.pk)
        bob.status_reblog(mine.pk)
        # As a client replies: status_reply mentions the author (Mastodon tells of a reply
        # only through its mention).
        bob.status_reply(bob.status(mine.pk), "Bob replies to Alice")
        bob.status_post("@alice Bob mentions Alice")
        told = wait_for_row(Notification.objects.filter(
            recipient=alice, type="mention", status__text__contains="Bob mentions"))
        assert told is not None
        with ONE_AT_A_TIME:
            rows = dict(Notification.objects.filter(recipient=alice).values_list("type", "pk"))
            kinds = sorted(Notification.objects.filter(recipient=alice).values_list(
                "type", flat=True))
            reply_mention = Notification.objects.get(
                recipient=alice, type="mention", status__text__contains="Bob replies")
        # (`reply` is the store's row for SelfCommunity's comment; Mastodon lists the mention.)
        assert kinds == ["favourite", "mention", "mention", "reblog", "reply"], kinds

        # --- Notifications: the two mentions, and the favourite and boost (Phanpy merges one
        # account's favourite and boost of a status into one entry) ---------------------------
        page.goto(f"{phanpy}/#/notifications")
        notifications = page.locator("#notifications-page")
        mentions = notifications.locator(".notification.notification-mention")
        expect(mentions.filter(has_text="Bob mentions Alice")).to_have_attribute(
            "data-notification-id", str(told.pk))
        expect(mentions.filter(has_text="Bob replies to Alice")).to_have_attribute(
            "data-notification-id", str(reply_mention.pk))
        reacted = notifications.locator('.notification[class~="notification-favourite+reblog"]')
        expect(reacted).to_have_count(1)
        expect(reacted).to_contain_text("Bob Builder")
        expect(reacted).to_contain_text("boosted & liked your post.")
        expect(reacted).to_contain_text("Alice posts something to react to")
        assert reacted.get_attribute("data-notification-id") in {
            str(rows["favourite"]), str(rows["reblog"])}
        page.screenshot(path=str(tmp_path / "notifications.png"))

        # --- live: what bob does reaches alice's open home through the stream --------------
        needs_live_events(channel_layer)
        page.goto(f"{phanpy}/#/")
        page.get_by_text("Alice posts something to react to").first.wait_for()
        live = bob.status_post("Bob posts while Alice watches")
        update = session.wait_for_event("update", str(live["id"]), page)
        assert update["stream"] == ["user"], update
        payload = json.loads(update["payload"])
        assert (payload["account"]["acct"], payload["content"]) == (
            "bob", "<p>Bob posts while Alice watches</p>"), payload

        # An edit of a status on alice's screen: Phanpy applies the stream's status.update to
        # the timeline it shows, with no request of its own.
        thread = world["thread"]
        before = len(session.seen)
        bob.status_update(thread.pk, status="Bob starts a thread about roses")
        session.wait_for_event("status.update", str(thread.pk), page)
        page.locator("article.status").filter(
            has_text="Bob starts a thread about roses").first.wait_for()
        asked = [path for _, path, _ in session.seen[before:] if str(thread.pk) in path]
        assert asked == [], asked

        # A new status: this Phanpy build polls home with since_id (every 15 to 30 s while the
        # page is shown) and offers what arrived behind a "New posts" button; its stream
        # handler for home takes status.update and delete only.
        fresh = page.locator("article.status").filter(has_text="Bob posts while Alice watches")
        if not fresh.count():
            page.get_by_role("button", name=re.compile("new posts", re.I)).first.click(
                timeout=45_000)
        fresh.first.wait_for()
        page.screenshot(path=str(tmp_path / "live.png"))
    except BaseException:
        evidence(page, tmp_path)
        raise

    context.close()
    assert session.failures() == [], session.failures()
    assert session.socket_failures() == [], session.socket_failures()
    crashes = [crash for crash in session.crashes if not crash.endswith(": Not Found")]
    assert crashes == [], crashes


def test_not_served_yet_is_what_readme_lists_as_missing():
    """Each route the session may find unserved is a row of README's endpoint tables whose
    status is "missing"; once its row says otherwise, the entry must leave NOT_SERVED_YET."""
    rows = readme_rows()
    for path, row in NOT_SERVED_YET.items():
        assert path in row, (path, row)
        assert rows.get(f"`{row}`") == "missing", f"README has no missing row `{row}` for {path}"

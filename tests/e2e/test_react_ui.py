"""SelfCommunity's own React UI (`@selfcommunity/react-ui` and react-templates' pages, unchanged,
bundled by tests/e2e/react_ui/), in Debian's chromium against the server over TLS. The page is
given only the server's URL and a user's OAuth token (and the token's client id, which
react-core's validator requires of an OAuth session); everything else it reads from the server.

What a user does, as the issue's "Done when" lists it: the home and explore feeds show the seeded
statuses; a status opens with its comments; the Composer publishes a post with an image and a
poll, which shows in the feed and, through Mastodon.py, as a status with its poll and media; a
reaction, and a comment with an image; mention autocomplete suggests an account; a moderator
hides a status from the UI. Each act is checked on the page and in the database, and no request
of the session may answer 404 or 5xx unless its route is in NOT_SERVED (a README row that says
it is not served).

The realtime socket: react-core opens `wss://<portal hostname>/ws/notify?subscribe-user`, the
portal's host *without its port* (useSCWebSocket builds it from `new URL(portal).hostname`; only
the scheme and the path prefix are configurable, through `notifications.webSocket`). So the
browser is told to reach 127.0.0.1:443 at the streaming server's port instead
(`--host-resolver-rules=MAP 127.0.0.1:443 127.0.0.1:<port>`): no root, no port 443, and the
page's configuration stays the portal and the token.

Servers: tests/e2e/conftest.py (gunicorn and daphne over TLS on PostgreSQL, in-process on
SQLite). The bundle: `make reactui` (npm ci --ignore-scripts, then esbuild); the test skips
without it only where REQUIRE_REACTUI is unset (.ci/run sets it: CI never skips).
"""

from __future__ import annotations

import io
import json
import os
import re
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from tests.e2e.browsing import (
    README,
    Session,
    evidence,
    mastodon_py,
    readme_rows,
    token_for,
    wait_for_row,
)
from tests.e2e.tls import ONE_AT_A_TIME, server_context, static_files

REACT_UI_DIR = Path(__file__).parent / "react_ui" / "dist"

pytestmark = [
    pytest.mark.live,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (REACT_UI_DIR / "index.html").is_file() and not os.environ.get("REQUIRE_REACTUI"),
        reason=f"the React UI page is not built at {REACT_UI_DIR} (`make reactui`)"),
]

# Routes the UI asks for that the server does not serve, each a README row whose status says so
# (test_not_served_is_what_readme_lists holds them to that). Delete an entry when its route
# lands: the session must then answer it.
NOT_SERVED: dict[str, str] = {}
# Routes that answer 404 by design, as their README row says; the UI takes the 404 as "none"
# (ContributionActionsMenu catches it and logs it). Delete an entry if the route changes.
DOCUMENTED_404: dict[str, str] = {
    # The viewer's flag of a status: 404 when they have none. The moderation menu asks for it
    # each time it opens (the UI would read a 200 without `flag_type` the same way).
    "/api/v2/status/{id}/flag/status/": "GET /api/v2/status/{id}/flag/status/",
}


def not_served(path: str) -> str | None:
    """The README row that lets `path` fail: a route not served, or a documented 404."""
    for pattern, row in (*NOT_SERVED.items(), *DOCUMENTED_404.items()):
        if re.fullmatch(re.sub(r"\\{[a-z_]+\\}", r"\\d+", re.escape(pattern)), path):
            return row
    return None

TIMEOUT = 30_000  # ms: a 6 MB bundle and a dozen bootstrap requests on a shared 2-CPU machine


@pytest.fixture
def chromium_args(streaming) -> list[str]:
    """The UI's socket goes to port 443 of the portal's host: send it to the streaming
    server."""
    return [f"--host-resolver-rules=MAP 127.0.0.1:443 127.0.0.1:{urlsplit(streaming).port}"]


@pytest.fixture
def react_ui(certificate):
    """The built page over https; yields its origin."""
    assert (REACT_UI_DIR / "index.html").is_file(), (
        f"REQUIRE_REACTUI is set and the React UI page is not built at {REACT_UI_DIR} "
        "(`make reactui`)")
    with static_files(REACT_UI_DIR, server_context(*certificate)) as origin:
        yield origin


@pytest.fixture
def world(settings):
    """alice follows bob; bob's thread carol commented on, bob's poll; carol's own status
    (explore, not alice's home); mia moderates."""
    from django.core.management import call_command

    from accounts.services import account_follow
    from statuses.services import status_create
    from tests.api.selfcommunity.test_e2e_sdk import ensure_reactions
    from tests.factories import AccountFactory

    ensure_reactions()
    alice = AccountFactory(username="alice", display_name="Alice Reacts")
    bob = AccountFactory(username="bob", display_name="Bob Builder")
    carol = AccountFactory(username="carol", display_name="Carol Comments")
    mia = AccountFactory(username="mia", display_name="Mia Moderates")
    call_command("grant_moderator", "mia", stdout=io.StringIO())
    account_follow(account=alice, target=bob)
    thread = status_create(account=bob, text="Bob starts a thread about gardens")
    comment = status_create(account=carol, text="Carol answers in the thread",
                            in_reply_to_id=thread.pk, in_reply_to_given=True)
    poll = status_create(account=bob, text="Bob asks: which colour?",
                         poll={"options": ["Red", "Blue"], "expires_in": 86400})
    elsewhere = status_create(account=carol, text="Carol posts for everyone to explore")
    rude = status_create(account=bob, text="Bob posts something a moderator will hide")
    return {"alice": alice, "bob": bob, "carol": carol, "mia": mia, "thread": thread,
            "comment": comment, "poll": poll, "elsewhere": elsewhere, "rude": rude}


class Recorder(Session):
    """A Session that also keeps each response to the server, to write the exchanges down
    (`requests.json` beside the test's other evidence)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.responses = []
        self.step = "start"
        # Requests to the server that got no response at all (a CORS refusal, a reset), and
        # what the page logged as errors: evidence, and the first are failures.
        self.unanswered: list[tuple[str, str, str, str]] = []
        self.console: list[str] = []

    def record_failed(self, request) -> None:
        if request.url.startswith(self.origin):
            self.unanswered.append((self.step, request.method, urlsplit(request.url).path,
                                    request.failure or ""))

    def record_console(self, message) -> None:
        if message.type == "error":
            self.console.append(f"{self.step}: {message.text[:400]}")

    def record(self, response) -> None:
        super().record(response)
        if response.url.startswith(self.origin):
            self.responses.append((self.step, response))

    def dump(self, path: Path) -> None:
        rows = []
        for step, response in self.responses:
            request = response.request
            try:
                body = response.text()[:600]
            except Exception:  # noqa: BLE001 - a redirect or a body already gone
                body = None
            rows.append({"step": step, "method": request.method, "url": response.url,
                         "status": response.status,
                         "sent": (request.post_data or "")[:400] if request.method != "GET"
                         and "multipart" not in (request.headers.get("content-type") or "")
                         else None,
                         "body": body})
        path.write_text(json.dumps({"responses": rows, "unanswered": self.unanswered,
                                    "console": self.console, "sockets": self.opened,
                                    "socket_errors": self.sockets}, indent=1))


def open_ui(browser, react_ui: str, instance: str, streaming: str, token: str):
    """A fresh context on the page for `token`; every response and WebSocket recorded."""
    from oauth2_provider.models import AccessToken

    with ONE_AT_A_TIME:
        client_id = AccessToken.objects.select_related("application").get(
            token=token).application.client_id
    context = browser.new_context(ignore_https_errors=True,
                                  viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(TIMEOUT)
    session = Recorder(instance, streaming, not_served)
    # The socket's origin as the page names it (port 443, mapped to the streaming server).
    session.hosts.add("127.0.0.1")
    context.on("response", session.record)
    context.on("requestfailed", session.record_failed)
    context.on("page", lambda page: page.on("websocket", session.record_socket))
    context.on("page", lambda page: page.on("console", session.record_console))
    context.on("page", lambda page: page.on(
        "pageerror", lambda error: session.crashes.append(f"{page.url}: {error}")))
    page = context.new_page()
    query = urlencode({"portal": instance, "token": token, "client_id": client_id})
    page.goto(f"{react_ui}/index.html?{query}#/")
    return context, page, session


def feed_object(page, text: str):
    """The FeedObject (a card of a feed or a detail page) showing `text`."""
    return page.locator(".SCFeedObject-root").filter(has_text=text).first


def test_react_ui_feeds_detail_composer_reactions_comments_mentions_moderation(
        world, instance, streaming, react_ui, browser, certificate, tmp_path):
    """Each step names the routes it reads (served since bootstrap, feeds, chunked, the
    socket and posts merged)."""
    from PIL import Image
    from playwright.sync_api import expect

    from media.models import MediaAttachment
    from statuses.models import Status, Vote

    started = time.monotonic()
    alice, thread, rude = world["alice"], world["thread"], world["rude"]
    image = tmp_path / "garden.png"
    Image.new("RGB", (64, 48), (40, 160, 60)).save(image)
    context, page, session = open_ui(browser, react_ui, instance, streaming, token_for("alice"))
    origin = page.url.split("#")[0]
    try:
        # --- home: alice's feed, bob's statuses. Reads /api/v2/dynamic_preference/,
        # /api/v2/feature/, /api/v2/user/me/ (react-core renders nothing before them),
        # /api/v2/user/{id}/settings/, /api/v2/user/hidden_users_id/, /api/v2/custom_menu/base/
        # (the Footer crashes the page on a 404), /api/v2/suggestion/user/, /api/v2/feed/ -----
        session.step = "home"
        feed_object(page, "Bob starts a thread about gardens").wait_for()
        feed_object(page, "Bob asks: which colour?").wait_for()
        # Home is alice's and whom she follows: carol's status is explore's only.
        expect(page.locator(".SCFeedObject-root").filter(
            has_text="Carol posts for everyone to explore")).to_have_count(0)
        page.screenshot(path=str(tmp_path / "home.png"))

        # --- explore: carol's status too (/api/v2/feed/explore/, /api/v2/category/popular/) -
        session.step = "explore"
        page.click("#nav-explore")
        feed_object(page, "Carol posts for everyone to explore").wait_for()
        page.screenshot(path=str(tmp_path / "explore.png"))

        # --- a status opens with its comments (main serves these) --------------------------
        session.step = "detail"
        page.goto(f"{origin}#/status/{thread.pk}/")
        detail = page.locator("#feed_object_page")
        detail.locator(".SCCommentObject-root").filter(
            has_text="Carol answers in the thread").wait_for()
        expect(detail.locator(".SCFeedObject-root").first).to_contain_text(
            "Bob starts a thread about gardens")
        page.screenshot(path=str(tmp_path / "detail.png"))

        # --- a reaction: the vote button gives the default reaction (Like) -----------------
        session.step = "reaction"
        detail.locator(".SCFeedObject-root .SCVoteButton-root").first.click()
        vote = wait_for_row(Vote.objects.filter(status=thread, account=alice))
        # (The default reaction is stored as null: what a Mastodon favourite records.)
        assert vote is not None and vote.reaction_id in (None, 1), vote
        # The votes line now names the voter: "Only you".
        expect(detail.locator(".SCFeedObject-root").first).to_contain_text("Only you")

        # --- mention autocomplete (GET /api/v2/user/search/), then a comment with an image
        # (POST /api/v2/media/upload/chunk/ and .../complete/, the editor's; POST
        # /api/v2/comment/) ----------------------------------------------------------------
        session.step = "mention"
        reply = detail.locator(".SCCommentObjectReply-root").last
        editor = reply.locator("[contenteditable=true]")
        editor.click()
        page.keyboard.type("Alice answers @bo", delay=40)
        # The typeahead lists bob (lexical's menu: attached to the body beside the editor, and
        # without react-ui's theme styles Playwright finds it zero-sized; the keyboard picks it).
        suggestion = page.locator("#typeahead-menu [role=option]").filter(has_text="bob")
        suggestion.first.wait_for(state="attached")
        expect(suggestion.first.locator("img")).to_have_attribute("alt", "bob")
        page.keyboard.press("Enter")
        expect(editor).to_contain_text("@bob")
        page.keyboard.type(" with a picture", delay=20)

        session.step = "comment"
        with page.expect_file_chooser() as chooser:
            reply.locator("button").filter(has_text="image").first.click()
        chooser.value.set_files(str(image))
        editor.locator("img").first.wait_for()
        reply.locator(".SCCommentObjectReply-icon-reply, .SCCommentObjectReply-button-reply"
                      ).first.click()
        comment = wait_for_row(Status.objects.filter(
            account=alice, in_reply_to=thread, text__contains="Alice answers"))
        assert comment is not None
        with ONE_AT_A_TIME:
            assert comment.mention_rows.filter(account=world["bob"]).exists()
        shown = detail.locator(".SCCommentObject-root").filter(has_text="Alice answers")
        shown.first.wait_for()
        expect(shown.first.locator("img").first).to_have_attribute(
            "src", re.compile(rf"^{re.escape(instance)}/"))
        page.screenshot(path=str(tmp_path / "comment.png"))

        # --- the Composer: a post with a poll and an image (the File button's chunked
        # upload; POST /api/v2/post/ with `poll` and `medias`). The Poll switch shows only
        # while the catalogue's addons.polls_enabled is true (or to staff) -------------------
        session.step = "composer"
        page.click("#nav-home")
        page.locator(".SCInlineComposerWidget-input button").first.click()
        composer = page.locator(".SCComposer-root")
        composer.locator(".SCComposer-types button[value=poll]").click()
        composer.locator(".SCComposer-content-poll-title input").fill("Alice asks: which fruit?")
        choices = composer.locator(".SCComposer-content-poll-choices input")
        choices.nth(0).fill("Apple")
        choices.nth(1).fill("Pear")
        # The File button opens a menu: Gallery (images) or Documents.
        composer.locator(".SCComposer-actions button").filter(has_text="photo_file").click()
        with page.expect_file_chooser() as chooser:
            page.locator("[role=menuitem]").filter(has_text="Gallery").click()
        chooser.value.set_files(str(image))
        # The uploaded picture's preview carries its media id.
        preview = composer.locator(".SCComposer-medias .SCMediaFile-media[data-id]").first
        preview.wait_for()
        media_id = int(preview.get_attribute("data-id"))
        composer.locator("button[type=submit]").click()
        posted = wait_for_row(Status.objects.filter(account=alice, poll__isnull=False))
        assert posted is not None
        expect(composer).to_have_count(0)
        feed_object(page, "Alice asks: which fruit?").wait_for()
        with ONE_AT_A_TIME:
            assert list(posted.poll.options) == ["Apple", "Pear"], posted.poll.options
            assert list(MediaAttachment.objects.filter(status=posted).values_list(
                "pk", flat=True)) == [media_id]
        # The feed read again has it too: the poll's choices and the picture from the server.
        page.reload()
        card = feed_object(page, "Alice asks: which fruit?")
        card.wait_for()
        expect(card).to_contain_text("Apple")
        expect(card).to_contain_text("Pear")
        # (react-ui's gallery shows a picture as the background of its tile.)
        expect(card.locator(".SCMediaFile-background").first).to_have_attribute(
            "style", re.compile(rf'url\("{re.escape(instance)}/media/'))
        page.screenshot(path=str(tmp_path / "posted.png"))

        # --- the same post through Mastodon.py: a status with its poll and its media --------
        status = mastodon_py(instance, "bob", certificate[0]).status(posted.pk)
        assert [option["title"] for option in status["poll"]["options"]] == ["Apple", "Pear"]
        assert [media["type"] for media in status["media_attachments"]] == ["image"]
        assert status["media_attachments"][0]["url"].startswith(f"{instance}/media/")
    except BaseException:
        evidence(page, tmp_path)
        raise
    finally:
        session.dump(tmp_path / "requests.json")
    context.close()

    # --- a moderator hides a status from the UI (PATCH /api/v2/moderation/contribution/{id}/,
    # on main; the menu also reads GET .../{id}/status/) --------------------------------------
    context, page, moderator = open_ui(browser, react_ui, instance, streaming, token_for("mia"))
    try:
        moderator.step = "moderation"
        page.goto(page.url.split("#")[0] + f"#/status/{rude.pk}/")
        post = page.locator("#feed_object_page .SCFeedObject-root").first
        post.get_by_text("Bob posts something a moderator will hide").wait_for()
        post.locator(".SCContributionActionsMenu-root button").first.click()
        menu = page.locator(".SCContributionActionsMenu-popper-root, [role=menu]").last
        menu.locator("li").filter(has_text="hide_image").first.click()
        menu.locator("li").filter(has_text=re.compile("spam", re.I)).first.click()
        page.locator("[role=dialog]").get_by_role("button", name="Yes").click()
        collapsed = wait_for_row(Status.objects.filter(pk=rude.pk, collapsed=True))
        assert collapsed is not None
        # The menu now offers to restore it, naming why it was hidden.
        post.locator(".SCContributionActionsMenu-root button").first.click()
        menu.locator("li").filter(has_text="restore").filter(
            has_text=re.compile("spam", re.I)).first.wait_for()
        page.screenshot(path=str(tmp_path / "moderated.png"))
    except BaseException:
        evidence(page, tmp_path)
        raise
    finally:
        moderator.dump(tmp_path / "moderation-requests.json")
    context.close()

    for record in (session, moderator):
        assert record.failures() == [], record.failures()
        assert record.socket_failures() == [], record.socket_failures()
        assert record.crashes == [], record.crashes
        # (A request the page itself dropped, leaving a page, is no failure of the server's.)
        unanswered = [row for row in record.unanswered if row[3] != "net::ERR_ABORTED"]
        assert unanswered == [], unanswered
    # The UI's realtime socket reached the streaming server (port 443 mapped) and held.
    assert "wss://127.0.0.1/ws/notify" in session.opened, session.opened
    print(f"react-ui session: {len(session.seen) + len(moderator.seen)} requests in "
          f"{time.monotonic() - started:.1f} s")


def test_allowed_failures_are_what_readme_says():
    """Each route the session may find unserved is a README row that says it is not served
    (once its row says "done", the entry must leave NOT_SERVED); each documented 404 is a done
    row whose text says when it answers 404."""
    rows = readme_rows()
    for path, row in NOT_SERVED.items():
        assert path in row, (path, row)
        assert rows.get(f"`{row}`") not in {None, "done"}, (
            f"README has no not-served row `{row}` for {path}")
    for path, row in DOCUMENTED_404.items():
        assert path in row, (path, row)
        line = next((line for line in README.read_text().splitlines()
                     if line.startswith(f"| `{row}`")), "")
        assert "404 when none" in line, f"README's row `{row}` no longer says it answers 404"
    assert not_served("/api/v2/status/12/flag/status/") is not None
    assert not_served("/api/v2/status/12/flag/") is None


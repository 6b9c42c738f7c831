"""The public HTML pages at the `url`s of statuses (/@username/<id>) and accounts (/@username):
what they show, what is a 404, paging, OpenGraph, no script, and constant query counts."""

import io
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from accounts.models import Account, Visibility
from media.services import media_upload
from statuses import services
from statuses.models import Pin, Status
from statuses.selectors.pages import PAGE_SIZE
from tests.factories import AccountFactory

HTML = "text/html; charset=utf-8"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def web(db):
    """A browser without cookies: the pages are the same for everyone."""
    return Client()


def post(account, text, **options) -> Status:
    if "in_reply_to_id" in options:
        options["in_reply_to_given"] = True
    return services.status_create(account=account, text=text, **options)


def png(name="picture.png") -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = name
    return buffer


def upload(account, description="") -> str:
    return str(media_upload(account=account, upload=_File(png()), description=description).pk)


class _File(io.BytesIO):
    """What Django hands a view for an upload: bytes with a name and a size."""

    def __init__(self, buffer):
        super().__init__(buffer.getvalue())
        self.name = buffer.name
        self.size = len(buffer.getvalue())


class _Meta(HTMLParser):
    """The page's <meta>, <link>, <script>, <img> tags and its text, as a browser parses them."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict] = []
        self.images: list[dict] = []
        self.scripts = 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta":
            key = attributes.get("property") or attributes.get("name")
            if key:
                self.meta[key] = attributes.get("content", "")
        elif tag == "link":
            self.links.append(attributes)
        elif tag == "img":
            self.images.append(attributes)
        elif tag == "script":
            self.scripts += 1

    def handle_data(self, data):
        self.text.append(data)


def parse(response) -> _Meta:
    parser = _Meta()
    parser.feed(response.content.decode())
    return parser


def status_ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'id="status-(\d+)"', response.content.decode())]


# --- the status page -------------------------------------------------------------------------

def test_status_page_shows_content_media_counts_and_replies(web, alice, bob, carol):
    status = post(alice, "Hello <world> & everyone", media_ids=[upload(alice, "A blue square")])
    reply = post(bob, "@alice a public reply", in_reply_to_id=status.pk)
    unlisted = post(carol, "an unlisted reply", in_reply_to_id=status.pk, visibility="unlisted")
    private = post(carol, "a private reply zqprivateqz", in_reply_to_id=status.pk,
                   visibility="private")
    services.status_favourite(account=bob, status_id=status.pk)
    services.status_reblog(account=carol, status_id=status.pk)

    response = web.get(f"/@alice/{status.pk}")

    assert response.status_code == 200
    assert response["Content-Type"] == HTML
    body = response.content.decode()
    # The stored rendering, escaped at write time: the text's markup is never live.
    assert "<p>Hello &lt;world&gt; &amp; everyone</p>" in body
    page = parse(response)
    media = [img for img in page.images if img.get("alt") == "A blue square"]
    assert len(media) == 1 and media[0]["src"].startswith("/media/")
    # The stored counter, which counts public and unlisted replies as Mastodon does.
    assert re.search(r'<b class="replies">2</b>', body)
    assert re.search(r'<b class="boosts">1</b>', body)
    assert re.search(r'<b class="favourites">1</b>', body)
    assert status_ids(response) == [status.pk, reply.pk, unlisted.pk]
    assert "zqprivateqz" not in body
    assert private.pk not in status_ids(response)


def test_status_page_has_opengraph_and_no_script_nor_activitypub_link(web, alice, settings):
    settings.INSTANCE_TITLE = "Duo Town"
    status = post(alice, "An OpenGraph description", media_ids=[upload(alice, "Alt text")])

    response = web.get(f"/@alice/{status.pk}")

    page = parse(response)
    url = f"https://social.example/@alice/{status.pk}"
    assert page.meta["og:type"] == "article"
    assert page.meta["og:site_name"] == "Duo Town"
    assert page.meta["og:title"] == "Alice (@alice@social.example)"
    assert page.meta["og:description"] == "An OpenGraph description"
    assert page.meta["description"] == "An OpenGraph description"
    assert page.meta["og:url"] == url
    assert page.meta["og:image"].startswith("https://social.example/media/")
    assert page.meta["og:image:alt"] == "Alt text"
    assert page.meta["twitter:card"] == "summary_large_image"
    assert page.meta["viewport"] == "width=device-width, initial-scale=1"
    assert {"rel": "canonical", "href": url} in page.links
    assert not [link for link in page.links if "activity+json" in link.get("type", "")]
    assert "application/activity+json" not in response.content.decode()
    assert page.scripts == 0
    assert "script-src" not in response["Content-Security-Policy"]
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


def test_content_warning_keeps_the_text_out_of_the_description(web, alice):
    status = post(alice, "the spoiled ending", spoiler_text="film spoilers", sensitive=True,
                  media_ids=[upload(alice, "a still")])

    response = web.get(f"/@alice/{status.pk}")

    page = parse(response)
    assert page.meta["og:description"] == "Content warning: film spoilers"
    # Sensitive media never becomes the preview image; the avatar does.
    assert page.meta["og:image"] == "https://social.example/avatars/original/missing.png"
    assert page.meta["twitter:card"] == "summary"
    body = response.content.decode()
    assert '<details class="cw"><summary>film spoilers</summary>' in body
    assert "the spoiled ending" in body  # behind the summary, readable without script


def test_status_page_username_is_case_insensitive(web, alice):
    status = post(alice, "case")
    assert web.get(f"/@ALICE/{status.pk}").status_code == 200


@pytest.mark.parametrize("kind", [
    "private", "direct", "addressed", "deleted", "collapsed", "suspended", "wrong_user",
    "missing",
])
def test_status_page_is_a_404_for_what_is_not_public(web, alice, bob, kind):
    status = post(alice, "zqhiddenqz", visibility={"private": "private",
                                                  "direct": "direct"}.get(kind, "public"))
    path = f"/@alice/{status.pk}"
    if kind == "addressed":
        Status.objects.filter(pk=status.pk).update(visibility=Visibility.PRIVATE, addressed=True)
    elif kind == "deleted":
        services.status_delete(status=status)
    elif kind == "collapsed":
        Status.objects.filter(pk=status.pk).update(collapsed=True)
    elif kind == "suspended":
        Account.objects.filter(pk=alice.pk).update(suspended_at=timezone.now())
    elif kind == "wrong_user":
        path = f"/@bob/{status.pk}"
    elif kind == "missing":
        path = f"/@alice/{status.pk + 1000}"

    response = web.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == HTML
    assert "zqhiddenqz" not in response.content.decode()
    assert "<h1>Not found</h1>" in response.content.decode()


def test_unlisted_status_has_a_page_as_on_mastodon(web, alice):
    status = post(alice, "quietly", visibility="unlisted")
    response = web.get(f"/@alice/{status.pk}")
    assert response.status_code == 200
    assert "quietly" in response.content.decode()


def test_a_collapsed_or_silenced_reply_is_left_out(web, alice, bob, carol):
    status = post(alice, "thread")
    collapsed = post(bob, "zqcollapsedqz", in_reply_to_id=status.pk)
    Status.objects.filter(pk=collapsed.pk).update(collapsed=True)
    silenced = post(carol, "zqsilencedqz", in_reply_to_id=status.pk)
    Account.objects.filter(pk=carol.pk).update(silenced_at=timezone.now())

    response = web.get(f"/@alice/{status.pk}")

    assert status_ids(response) == [status.pk]
    assert "zqcollapsedqz" not in response.content.decode()
    assert silenced.pk not in status_ids(response)
    assert "No public replies." in response.content.decode()


def test_reply_page_shows_its_public_ancestors(web, alice, bob):
    root = post(alice, "the root")
    hidden = post(alice, "zqprivateqz", in_reply_to_id=root.pk, visibility="private")
    reply = post(bob, "a reply", in_reply_to_id=root.pk)
    deeper = post(alice, "deeper", in_reply_to_id=reply.pk)

    response = web.get(f"/@bob/{reply.pk}")

    assert status_ids(response) == [root.pk, reply.pk, deeper.pk]
    assert hidden.pk not in status_ids(response)


def test_a_reblogs_page_redirects_to_its_original(web, alice, bob):
    status = post(alice, "boost me")
    services.status_reblog(account=bob, status_id=status.pk)
    wrapper = Status.objects.get(reblog_of=status, account=bob)

    response = web.get(f"/@bob/{wrapper.pk}")

    assert response.status_code == 302
    assert response["Location"] == f"/@alice/{status.pk}"


def test_poll_and_quote_are_shown(web, alice, bob):
    quoted = post(bob, "the quoted words")
    status = post(alice, "vote please", poll={"options": ["yes", "no"], "expires_in": 3600},
                  quote={"quoted_status_id": quoted.pk, "quoted_given": True})

    body = web.get(f"/@alice/{status.pk}").content.decode()

    assert '<ul class="poll">' in body
    assert "<span>yes</span>" in body and "<span>no</span>" in body
    assert '<blockquote class="quote">' in body
    assert "the quoted words" in body
    assert f'href="/@bob/{quoted.pk}"' in body


def test_a_quote_the_reader_may_not_see_shows_no_text(web, alice, bob):
    quoted = post(bob, "zqlaterprivateqz")
    status = post(alice, "look", quote={"quoted_status_id": quoted.pk, "quoted_given": True})
    Status.objects.filter(pk=quoted.pk).update(visibility=Visibility.PRIVATE)

    body = web.get(f"/@alice/{status.pk}").content.decode()

    assert "zqlaterprivateqz" not in body
    assert "The quoted post is not available." in body


def test_pages_answer_get_and_head_only(web, alice):
    status = post(alice, "methods")
    assert web.head(f"/@alice/{status.pk}").status_code == 200
    assert Client().put(f"/@alice/{status.pk}").status_code == 405
    assert Client().delete("/@alice").status_code == 405


# --- the account page ------------------------------------------------------------------------

def test_account_page_shows_profile_and_public_statuses(web, alice, bob):
    Account.objects.filter(pk=alice.pk).update(note="Bio line one\nline two")
    public = post(alice, "a public post")
    unlisted = post(alice, "an unlisted post", visibility="unlisted")
    post(alice, "zqprivateqz", visibility="private")
    post(alice, "zqdirectqz", visibility="direct")
    other = post(bob, "bob's post")
    reply_to_other = post(alice, "zqreplyqz", in_reply_to_id=other.pk)
    self_reply = post(alice, "a self-reply", in_reply_to_id=public.pk)
    deleted = post(alice, "zqdeletedqz")
    services.status_delete(status=deleted)
    services.status_reblog(account=alice, status_id=other.pk)
    wrapper = Status.objects.get(reblog_of=other, account=alice)

    response = web.get("/@alice")

    assert response.status_code == 200
    assert response["Content-Type"] == HTML
    body = response.content.decode()
    assert "<h1>Alice</h1>" in body
    assert "@alice@social.example" in body
    assert "Bio line one\nline two" in body
    # Newest first; the reblog shows its original with who boosted it.
    assert status_ids(response) == [other.pk, self_reply.pk, unlisted.pk, public.pk]
    assert "Alice</a> boosted" in body
    for marker in ("zqprivateqz", "zqdirectqz", "zqreplyqz", "zqdeletedqz"):
        assert marker not in body
    page = parse(response)
    assert page.meta["og:type"] == "profile"
    assert page.meta["og:url"] == "https://social.example/@alice"
    assert page.meta["og:description"] == "Bio line one\nline two"
    assert page.scripts == 0
    assert wrapper.pk not in status_ids(response)  # the wrapper has no page of its own

    with_replies = web.get("/@alice/with_replies")
    assert reply_to_other.pk in status_ids(with_replies)


def test_account_media_tab_holds_statuses_with_media_only(web, alice):
    with_media = post(alice, "picture", media_ids=[upload(alice, "described")])
    post(alice, "text only")

    response = web.get("/@alice/media")

    assert status_ids(response) == [with_media.pk]
    assert [i["alt"] for i in parse(response).images if i["src"].startswith("/media/")] == [
        "described"]


def test_pinned_statuses_head_the_first_page(web, alice):
    pinned = post(alice, "pinned one")
    newer = post(alice, "newer")
    Pin.objects.create(account=alice, status=pinned)

    first = web.get("/@alice")
    assert status_ids(first) == [pinned.pk, newer.pk, pinned.pk]
    assert "<h2>Pinned</h2>" in first.content.decode()
    assert "<h2>Pinned</h2>" not in web.get("/@alice/with_replies").content.decode()


def test_account_page_pages_with_max_id_and_min_id(web, alice):
    ids = [post(alice, f"post {n}").pk for n in range(PAGE_SIZE + 5)]
    newest_first = ids[::-1]

    first = web.get("/@alice")
    assert status_ids(first) == newest_first[:PAGE_SIZE]
    body = first.content.decode()
    assert f'href="/@alice?max_id={newest_first[PAGE_SIZE - 1]}"' in body
    assert "min_id" not in body

    second = web.get(f"/@alice?max_id={newest_first[PAGE_SIZE - 1]}")
    assert status_ids(second) == newest_first[PAGE_SIZE:]
    body = second.content.decode()
    assert f'href="/@alice?min_id={newest_first[PAGE_SIZE]}"' in body
    assert "max_id" not in body

    back = web.get(f"/@alice?min_id={newest_first[PAGE_SIZE]}")
    assert status_ids(back) == newest_first[:PAGE_SIZE]
    assert "min_id" not in back.content.decode()  # nothing newer


@pytest.mark.parametrize("path", [
    "/@nobody", "/@alice?max_id=abc", "/@alice?min_id=-1", "/@alice/bogus", "/@alice/",
    "/@alice/1/", f"/@alice/{'9' * 19}",
    # "¹".isdigit() is true but int("¹") fails: it was a 500.
    "/@alice?max_id=%C2%B9", "/@alice?min_id=%D9%A3",
])
def test_account_page_404s(web, alice, path):
    response = web.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == HTML


def test_a_suspended_accounts_page_is_a_404(web, alice):
    post(alice, "zqsuspendedqz")
    Account.objects.filter(pk=alice.pk).update(suspended_at=timezone.now())
    response = web.get("/@alice")
    assert response.status_code == 404
    assert "zqsuspendedqz" not in response.content.decode()


def test_the_urls_the_api_gives_open_these_pages(web, alice, mastodon, make_token):
    status = post(alice, "follow my url")
    data = mastodon.as_token(make_token(alice)).get(f"/api/v1/statuses/{status.pk}").json()
    for key in ("url",):
        path = data[key].removeprefix("https://social.example")
        assert web.get(path).status_code == 200
    account_path = data["account"]["url"].removeprefix("https://social.example")
    assert account_path == "/@alice"
    assert web.get(account_path).status_code == 200


# --- constant queries ------------------------------------------------------------------------

def _thread(alice, replies: int) -> Status:
    repliers = [AccountFactory(username=f"replier{n}") for n in range(min(replies, 5))]
    root = post(alice, "root", media_ids=[upload(alice, "root media")])
    for n in range(replies):
        author = repliers[n % len(repliers)]
        reply = post(author, f"reply {n}", in_reply_to_id=root.pk,
                     media_ids=[upload(author, f"media {n}")])
        if n % 3 == 0:
            # (A poll and media cannot share a status.)
            post(alice, f"answer {n}", in_reply_to_id=reply.pk,
                 poll={"options": ["a", "b"], "expires_in": 3600})
    return root


@pytest.mark.parametrize("replies", [1, 30])
def test_status_page_query_count_is_constant(web, alice, replies, django_assert_num_queries):
    root = _thread(alice, replies)
    # The status (1), the thread's skeleton (1), its rows and their authors (2), media (1),
    # polls (1): the same for a thread of 2 as of 41.
    with django_assert_num_queries(6):
        response = web.get(f"/@alice/{root.pk}")
    assert response.status_code == 200
    assert len(status_ids(response)) == 1 + replies + (replies + 2) // 3


@pytest.mark.parametrize("count", [1, PAGE_SIZE])
def test_account_page_query_count_is_constant(web, alice, bob, count,
                                              django_assert_num_queries):
    original = post(bob, "boosted", media_ids=[upload(bob, "bob media")])
    post(alice, "a poll", poll={"options": ["a", "b"], "expires_in": 3600})
    for n in range(count - 1):
        if n % 2:
            post(alice, f"post {n}", poll={"options": ["a", "b"], "expires_in": 3600})
        else:
            post(alice, f"post {n}", media_ids=[upload(alice, f"media {n}")])
    # The newest, so that every page size shows a reblog.
    services.status_reblog(account=alice, status_id=original.pk)
    Pin.objects.create(account=alice, status=Status.objects.filter(account=alice,
                                                                   reblog_of=None).first())
    # The account (1), the page's ids (1), the pinned ids (1), rows, originals, authors (3),
    # media (1), polls (1).
    with django_assert_num_queries(8):
        response = web.get("/@alice")
    assert response.status_code == 200
    assert len(status_ids(response)) == 1 + min(count + 1, PAGE_SIZE)
    assert 'alt="bob media"' in response.content.decode()

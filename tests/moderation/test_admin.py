"""The admin as a moderator (not a superuser) uses it: the statuses list and flag review queue,
their actions through moderation.services with a reason, accounts, the read-only log, and the
pages a moderator may not open."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Account
from categories.models import Tag
from moderation.models import ModerationAction
from statuses import services
from statuses.models import Flag, Status
from statuses.services.feedback import contribution_flag
from tests.factories import AccountFactory, CategoryFactory
from tests.moderation.audiences import PRIVATE_KINDS, edited_status, make_status

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/statuses/status/"
QUEUE = "/admin/statuses/status/flags/"


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


def _flag(status, *flaggers, flag_type=0):
    for account in flaggers:
        contribution_flag(account=account, status_id=status.pk, flag_type=flag_type)


def _act(client, url, action, ids, **form):
    """Run an admin action the way the browser does: choose it (the reason page), confirm."""
    ask = client.post(url, {"action": action, "_selected_action": ids})
    assert ask.status_code == 200
    assert b'name="reason"' in ask.content
    return client.post(url, {"action": action, "_selected_action": ids, "apply": "yes", **form},
                       follow=True)


# --- the statuses list and the flag queue ---------------------------------------------------

def test_changelist_shows_author_origin_audience_counts_and_flags(mod_client, alice, bob):
    mastodon = services.status_create(account=alice, text="from mastodon")
    tag = Tag.objects.create(type="user", name="insiders")
    addressed = services.status_create(account=alice, text="for insiders", visibility="private")
    addressed.addressing.add(tag)
    Status.objects.filter(pk=addressed.pk).update(addressed=True, text_format="html")
    _flag(mastodon, bob)
    response = mod_client.get(CHANGELIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "from mastodon" in page
    # Nobody flagged the addressed one, and the moderator holds no tag of its: its words stay
    # hidden (tests below).
    assert "for insiders" not in page and "Hidden: an addressed status nobody flagged" in page
    assert "Mastodon" in page and "SelfCommunity" in page
    assert "private → insiders" in page
    assert "0 / 0 / 0 / 0" in page
    assert f'href="/admin/accounts/account/{alice.pk}/change/">alice</a>' in page
    assert "Flag review queue" in page
    for action in ("collapse", "uncollapse", "moderate_delete", "moderate_restore",
                   "mark_sensitive", "dismiss_flags", "suspend_author"):
        assert f'value="{action}"' in page
    assert 'value="delete_selected"' not in page


@pytest.mark.parametrize("query,shown,hidden", [
    ("flagged=yes", ["flagged one"], ["quiet one"]),
    ("flagged=no", ["quiet one"], ["flagged one"]),
    ("collapsed__exact=1", ["flagged one"], ["quiet one"]),
    ("deleted=yes", ["gone one"], ["quiet one"]),
    ("deleted=no", ["quiet one"], ["gone one"]),
    ("q=quiet", ["quiet one"], ["flagged one"]),
    ("q=bob", ["by bob"], ["quiet one"]),
    ("visibility__exact=1", ["by bob"], ["quiet one"]),
    ("kind=comment", [], ["quiet one"]),
])
def test_changelist_filters_and_search(mod_client, moderator, alice, bob, carol, query, shown,
                                       hidden):
    from moderation import services as moderation

    flagged = services.status_create(account=alice, text="flagged one")
    _flag(flagged, carol)
    moderation.status_collapse(moderator=moderator, status=flagged)
    services.status_create(account=alice, text="quiet one")
    services.status_delete(status=services.status_create(account=alice, text="gone one"))
    services.status_create(account=bob, text="by bob", visibility="unlisted")
    page = mod_client.get(f"{CHANGELIST}?{query}").content.decode()
    for text in shown:
        assert text in page
    for text in hidden:
        assert text not in page


def test_changelist_filters_by_category(mod_client, alice):
    food = CategoryFactory(name="Food")
    services.status_create(account=alice, text="about food").categories.add(food)
    services.status_create(account=alice, text="about nothing")
    page = mod_client.get(f"{CHANGELIST}?categories__id__exact={food.pk}").content.decode()
    assert "about food" in page and "about nothing" not in page


def test_flag_queue_lists_flagged_statuses_and_comments_by_open_flags(mod_client, alice, bob,
                                                                      carol):
    one = services.status_create(account=alice, text="one flag")
    two = services.status_create(account=alice, text="two flags")
    reply = services.status_create(account=bob, text="a flagged reply", in_reply_to_id=one.pk)
    services.status_create(account=alice, text="no flags")
    gone = services.status_create(account=alice, text="deleted and flagged")
    _flag(one, bob)
    _flag(two, bob, flag_type=0)
    _flag(two, carol, flag_type=2)
    _flag(reply, carol, flag_type=4)
    _flag(gone, bob)
    services.status_delete(status=gone)

    response = mod_client.get(QUEUE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Flag review queue" in page
    assert "no flags" not in page and "deleted and flagged" not in page
    order = [page.index(text) for text in ("two flags", "a flagged reply", "one flag")]
    assert order == sorted(order)  # most flags first, then newest
    assert "spam ×1, vulgar ×1" in page
    assert "offtopic ×1" in page
    assert ">bob</a>, <a" in page and ">carol</a>" in page
    assert "reply" in page
    for action in ("dismiss_flags", "collapse", "moderate_delete", "suspend_author"):
        assert f'value="{action}"' in page
    assert 'value="uncollapse"' not in page


def _world(n, alice, flaggers):
    tag = Tag.objects.get_or_create(type="user", name="club")[0]
    category = CategoryFactory()
    for i in range(n):
        status = services.status_create(account=AccountFactory(), text=f"status {i}")
        status.categories.add(category)
        status.addressing.add(tag)
        Status.objects.filter(pk=status.pk).update(addressed=True)
        _flag(status, *flaggers)


@pytest.mark.parametrize("url", [CHANGELIST, QUEUE])
def test_status_lists_use_constant_queries(mod_client, django_assert_num_queries, alice, url):
    flaggers = [AccountFactory() for _ in range(3)]
    _world(1, alice, flaggers)
    mod_client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert mod_client.get(url).status_code == 200
    _world(19, alice, flaggers)
    with django_assert_num_queries(len(one)):
        response = mod_client.get(url)
    assert response.content.decode().count('name="_selected_action"') == 20


# --- actions ------------------------------------------------------------------------------

def test_collapse_asks_for_a_reason_and_logs_it(mod_client, moderator, alice, bob):
    status = services.status_create(account=alice, text="rude words")
    _flag(status, bob)
    ask = mod_client.post(QUEUE, {"action": "collapse", "_selected_action": [status.pk]})
    assert ask.status_code == 200
    assert b"rude words" in ask.content and b'name="moderation_type"' in ask.content
    assert Status.objects.get(pk=status.pk).collapsed is False
    assert not ModerationAction.objects.exists()

    done = mod_client.post(QUEUE, {"action": "collapse", "_selected_action": [status.pk],
                                   "apply": "yes", "reason": "insults",
                                   "moderation_type": "1"}, follow=True)
    assert done.status_code == 200
    assert done.redirect_chain[-1][0].endswith(QUEUE)
    assert "done for 1" in done.content.decode()
    assert Status.objects.get(pk=status.pk).collapsed is True
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.moderator_id, entry.moderator_username, entry.reason,
            entry.moderation_type, entry.target_status_id, entry.target_account_id) == (
        "collapse", moderator.pk, "mod", "insults", 1, status.pk, alice.pk)


def test_an_invalid_moderation_type_changes_nothing(mod_client, alice):
    status = services.status_create(account=alice, text="x")
    response = mod_client.post(CHANGELIST, {"action": "collapse", "_selected_action": [status.pk],
                                            "apply": "yes", "moderation_type": "9"})
    assert response.status_code == 200
    assert b"Select a valid choice." in response.content
    assert Status.objects.get(pk=status.pk).collapsed is False
    assert not ModerationAction.objects.exists()


def test_a_refused_action_is_reported_and_writes_nothing(mod_client, alice):
    status = services.status_create(account=alice, text="not collapsed")
    response = mod_client.post(CHANGELIST, {"action": "uncollapse",
                                            "_selected_action": [status.pk], "apply": "yes"},
                               follow=True)
    assert response.status_code == 200
    assert "Not done:" in response.content.decode()
    assert "The status is not collapsed" in response.content.decode()
    assert not ModerationAction.objects.exists()


def test_delete_and_restore_go_through_the_services(mod_client, alice):
    status = services.status_create(account=alice, text="delete me")
    assert Account.objects.get(pk=alice.pk).statuses_count == 1
    _act(mod_client, CHANGELIST, "moderate_delete", [status.pk], reason="spam")
    status.refresh_from_db()
    assert status.deleted_at is not None
    assert Account.objects.get(pk=alice.pk).statuses_count == 0
    _act(mod_client, CHANGELIST, "moderate_restore", [status.pk], reason="mistake")
    status.refresh_from_db()
    assert status.deleted_at is None
    assert Account.objects.get(pk=alice.pk).statuses_count == 1
    assert list(ModerationAction.objects.order_by("id").values_list("action", "reason")) == [
        ("delete", "spam"), ("restore", "mistake")]


def test_mark_and_unmark_sensitive(mod_client, alice):
    status = services.status_create(account=alice, text="nsfw")
    _act(mod_client, CHANGELIST, "mark_sensitive", [status.pk])
    assert Status.objects.get(pk=status.pk).sensitive is True
    _act(mod_client, CHANGELIST, "unmark_sensitive", [status.pk])
    assert Status.objects.get(pk=status.pk).sensitive is False
    assert list(ModerationAction.objects.order_by("id").values_list("action", flat=True)) == [
        "mark_sensitive", "unmark_sensitive"]


def test_dismiss_flags_empties_the_queue_and_logs_the_flaggers(mod_client, alice, bob, carol):
    status = services.status_create(account=alice, text="fine after all")
    _flag(status, bob, carol)
    response = _act(mod_client, QUEUE, "dismiss_flags", [status.pk], reason="no problem")
    assert "fine after all" not in response.content.decode().split("done for 1")[-1]
    assert not Flag.objects.filter(status=status).exists()
    assert Status.objects.get(pk=status.pk).flags_count == 0
    entry = ModerationAction.objects.get()
    assert entry.action == "dismiss_flags"
    assert sorted(f["username"] for f in entry.details["flags"]) == ["bob", "carol"]


def test_suspend_author_from_the_queue_once_per_author(mod_client, alice, bob):
    first = services.status_create(account=alice, text="spam 1")
    second = services.status_create(account=alice, text="spam 2")
    _flag(first, bob)
    _flag(second, bob)
    _act(mod_client, QUEUE, "suspend_author", [first.pk, second.pk], reason="spammer")
    assert Account.objects.get(pk=alice.pk).suspended_at is not None
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.target_account_id, entry.reason) == ("suspend", alice.pk,
                                                                       "spammer")


# --- the status page ----------------------------------------------------------------------

def test_status_page_is_read_only_with_its_inlines(mod_client, moderator, alice, bob):
    from moderation import services as moderation

    status = services.status_create(account=alice, text="first words")
    services.status_update(account=alice, status_id=status.pk, text="second words")
    status.categories.add(CategoryFactory(name="Gardening"))
    _flag(status, bob, flag_type=2)
    moderation.status_mark_sensitive(moderator=moderator, status=status, reason="why not")
    url = reverse("admin:statuses_status_change", args=[status.pk])
    response = mod_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Edit history", "first words", "Open flags", "vulgar", "Media", "Categories",
                 "Gardening", "Moderation log", "why not"):
        assert text in page, text
    assert 'name="_save"' not in page
    refused = mod_client.post(url, {"text": "edited by a moderator"})
    assert refused.status_code == 403
    assert Status.objects.get(pk=status.pk).text == "second words"
    assert mod_client.get("/admin/statuses/status/add/").status_code == 403
    assert mod_client.post(f"/admin/statuses/status/{status.pk}/delete/",
                           {"post": "yes"}).status_code == 403


# --- accounts -----------------------------------------------------------------------------

def test_suspend_unsuspend_silence_with_a_reason(mod_client, alice):
    url = "/admin/accounts/account/"
    _act(mod_client, url, "suspend", [alice.pk], reason="abuse")
    assert Account.objects.get(pk=alice.pk).suspended_at is not None
    _act(mod_client, url, "unsuspend", [alice.pk], reason="appeal")
    assert Account.objects.get(pk=alice.pk).suspended_at is None
    _act(mod_client, url, "silence", [alice.pk], reason="noisy")
    assert Account.objects.get(pk=alice.pk).silenced_at is not None
    _act(mod_client, url, "unsilence", [alice.pk])
    assert Account.objects.get(pk=alice.pk).silenced_at is None
    assert list(ModerationAction.objects.order_by("id").values_list("action", "reason")) == [
        ("suspend", "abuse"), ("unsuspend", "appeal"), ("silence", "noisy"), ("unsilence", "")]


def test_moderator_sees_no_permission_fields_and_sets_no_password(mod_client, alice):
    page = mod_client.get(f"/admin/accounts/account/{alice.pk}/change/").content.decode()
    assert 'name="display_name"' in page
    for field in ("is_superuser", "user_permissions", "groups", "is_staff", "password"):
        assert f'name="{field}"' not in page
    password = mod_client.get(f"/admin/accounts/account/{alice.pk}/password/")
    assert password.status_code == 403


def test_moderator_cannot_edit_a_superuser(mod_client):
    boss = AccountFactory(username="boss", is_superuser=True, is_staff=True)
    url = f"/admin/accounts/account/{boss.pk}/change/"
    assert mod_client.get(url).status_code == 200  # read-only
    assert mod_client.post(url, {"username": "owned", "email": "x@example.com"}
                           ).status_code == 403
    assert Account.objects.get(pk=boss.pk).username == "boss"
    response = mod_client.post("/admin/accounts/account/", {
        "action": "suspend", "_selected_action": [boss.pk], "apply": "yes"}, follow=True)
    assert "Only a superuser may moderate a moderator" in response.content.decode()
    assert Account.objects.get(pk=boss.pk).suspended_at is None


def test_accounts_changelist_uses_constant_queries(mod_client, django_assert_num_queries):
    url = "/admin/accounts/account/"
    mod_client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert mod_client.get(url).status_code == 200
    for _ in range(19):
        AccountFactory()
    with django_assert_num_queries(len(one)):
        assert mod_client.get(url).status_code == 200


# --- the log and the forbidden pages ------------------------------------------------------

def test_log_is_read_only(mod_client, moderator, alice):
    from moderation import services as moderation

    entry = moderation.account_silence(moderator=moderator, account=alice, reason="loud")
    page = mod_client.get("/admin/moderation/moderationaction/").content.decode()
    assert "loud" in page and "silence" in page and "mod" in page
    url = f"/admin/moderation/moderationaction/{entry.pk}/change/"
    assert mod_client.get(url).status_code == 200
    assert mod_client.post(url, {"reason": "edited"}).status_code == 403
    assert mod_client.get("/admin/moderation/moderationaction/add/").status_code == 403
    assert mod_client.post(f"/admin/moderation/moderationaction/{entry.pk}/delete/",
                           {"post": "yes"}).status_code == 403
    assert ModerationAction.objects.get(pk=entry.pk).reason == "loud"


def test_log_uses_constant_queries(mod_client, moderator, django_assert_num_queries):
    from moderation import services as moderation

    def make(n):
        for _ in range(n):
            status = services.status_create(account=AccountFactory(), text="x")
            moderation.status_collapse(moderator=moderator, status=status, reason="r")

    url = "/admin/moderation/moderationaction/"
    make(1)
    mod_client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert mod_client.get(url).status_code == 200
    make(19)
    with django_assert_num_queries(len(one)):
        assert mod_client.get(url).status_code == 200


@pytest.mark.parametrize("url", [
    "/admin/accounts/application/",
    "/admin/accounts/application/add/",
    "/admin/oauth2_provider/accesstoken/",
    "/admin/oauth2_provider/refreshtoken/",
    "/admin/oauth2_provider/grant/",
    "/admin/oauth2_provider/idtoken/",
    "/admin/auth/group/",
    "/admin/auth/group/add/",
])
def test_moderator_gets_403_on_oauth_and_permission_pages(mod_client, url):
    assert mod_client.get(url).status_code == 403


def test_moderator_gets_403_on_an_application_and_a_group(mod_client, app):
    from django.contrib.auth.models import Group

    assert mod_client.get(f"/admin/accounts/application/{app.pk}/change/").status_code == 403
    group = Group.objects.get(name="Moderators")
    assert mod_client.get(f"/admin/auth/group/{group.pk}/change/").status_code == 403
    # Permissions have no admin page at all; the index lists none of these.
    assert mod_client.get("/admin/auth/permission/").status_code == 404
    index = mod_client.get("/admin/").content.decode()
    assert "Flag review queue" in index and "Moderation log" in index
    assert "/admin/auth/group/" not in index and "/admin/accounts/application/" not in index
    assert "/admin/oauth2_provider/" not in index


# --- what a moderator may read: Mastodon's Admin::StatusPolicy#show? -----------------------
# The admin shows that a status exists, never the words of one the moderator may not read
# (moderation.selectors.moderation_visible_q): not public or unlisted, not flagged, never acted
# on, and not visible to them by the normal rule.

MARK = "zqwhisperqz"


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _leaks(page: str, media) -> list[str]:
    found = [MARK] if MARK in page else []
    for name in ("file", "small", "thumbnail"):
        part = getattr(media, name)
        if part and part.url in page:
            found.append(part.url)
    return found


@pytest.mark.parametrize("kind", ["private", "direct"])
def test_status_page_of_an_unflagged_private_status_hides_its_words(_media, mod_client, alice,
                                                                     bob, kind):
    status, media = edited_status(kind, author=alice, reader=bob, mark=MARK)
    assert status.edits.count() == 2 and media.description == f"{MARK} picture"
    response = mod_client.get(reverse("admin:statuses_status_change", args=[status.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert _leaks(page, media) == []
    assert f"Hidden: a {kind} status nobody flagged" in page
    # That it exists, who wrote it, to whom, when, and its counters are shown.
    for shown in (f'href="/admin/accounts/account/{alice.pk}/change/">alice</a>', kind,
                  "Flags count", "Edit history", "Media", "image/png"):
        assert shown in page, shown


@pytest.mark.parametrize("kind", ["private", "direct"])
def test_status_page_of_a_flagged_private_status_shows_its_words(_media, mod_client, alice, bob,
                                                                  kind):
    status, media = edited_status(kind, author=alice, reader=bob, mark=MARK)
    _flag(status, bob)
    page = mod_client.get(reverse("admin:statuses_status_change", args=[status.pk])
                          ).content.decode()
    for shown in (f"{MARK} second words", f"{MARK} first words", f"{MARK} warning",
                  f"{MARK} picture", (media.thumbnail or media.small or media.file).url):
        assert shown in page, shown
    assert "Hidden:" not in page


def test_changelist_hides_the_words_of_unflagged_private_statuses(_media, mod_client, alice,
                                                                  bob):
    hidden = [make_status(kind, author=alice, reader=bob, text=f"{MARK} {kind}")
              for kind in PRIVATE_KINDS]
    flagged = make_status("direct", author=alice, reader=bob, text="zqflaggedqz")
    _flag(flagged, bob)
    make_status("public", author=alice, reader=bob, text="zqpublicqz")
    page = mod_client.get(CHANGELIST).content.decode()
    for status in hidden:
        assert f'name="_selected_action" value="{status.pk}"' in page
    assert MARK not in page
    for placeholder in ("Hidden: a private status nobody flagged",
                        "Hidden: a direct status nobody flagged",
                        "Hidden: an addressed status nobody flagged"):
        assert placeholder in page
    assert "zqflaggedqz" in page and "zqpublicqz" in page


def test_search_does_not_find_a_hidden_status_by_its_words(mod_client, alice, bob):
    hidden = make_status("direct", author=alice, reader=bob, text=f"{MARK} meet at noon")
    shown = make_status("public", author=alice, reader=bob, text=f"{MARK} in public")
    row = 'name="_selected_action" value="{}"'
    page = mod_client.get(CHANGELIST, {"q": MARK}).content.decode()
    assert row.format(shown.pk) in page and row.format(hidden.pk) not in page
    page = mod_client.get(CHANGELIST, {"q": f"{MARK} noon"}).content.decode()
    assert row.format(hidden.pk) not in page
    # Found by its author's name, it shows no words.
    page = mod_client.get(CHANGELIST, {"q": "alice"}).content.decode()
    assert row.format(hidden.pk) in page and "meet at noon" not in page
    # Nor do the changelist's lookups filter by a status's words (Django: 400).
    for lookup in ("text__icontains", "text__contains", "html__icontains",
                   "spoiler_text__icontains", "summary__icontains"):
        response = mod_client.get(CHANGELIST, {lookup: "noon"})
        assert response.status_code == 400, lookup
        assert row.format(hidden.pk) not in response.content.decode(), lookup
    assert mod_client.get(CHANGELIST, {"visibility__exact": 3}).status_code == 200


@pytest.mark.parametrize("url,lookup", [
    ("/admin/statuses/flag/", "status__text__icontains"),
    ("/admin/moderation/moderationaction/", "target_status__text__icontains"),
    ("/admin/accounts/account/", "statuses__text__icontains"),
])
def test_other_admin_lists_do_not_filter_by_a_status_s_words(mod_client, alice, bob, url,
                                                            lookup):
    make_status("direct", author=alice, reader=bob, text=f"{MARK} meet at noon")
    assert mod_client.get(url, {lookup: "noon"}).status_code == 400


def test_an_action_on_a_hidden_status_is_refused_and_writes_nothing(mod_client, alice, bob):
    status = make_status("direct", author=alice, reader=bob, text=f"{MARK} meet at noon")
    ask = mod_client.post(CHANGELIST, {"action": "collapse", "_selected_action": [status.pk]})
    assert ask.status_code == 200
    page = ask.content.decode()
    assert MARK not in page and "Hidden: a direct status nobody flagged" in page
    for action in ("collapse", "moderate_delete", "mark_sensitive", "dismiss_flags"):
        done = mod_client.post(CHANGELIST, {"action": action, "_selected_action": [status.pk],
                                            "apply": "yes", "reason": "curious",
                                            "moderation_type": "1"}, follow=True)
        page = done.content.decode()
        assert f"Not done: Status {status.pk} by {alice.pk}: Not found." in page, action
        assert MARK not in page
    row = Status.objects.get(pk=status.pk)
    assert (row.collapsed, row.deleted_at, row.sensitive) == (False, None, False)
    assert not ModerationAction.objects.exists()


@pytest.mark.parametrize("query,rows,hidden", [("", 100, 60), ("?q=words", 40, 0)])
def test_changelist_with_hidden_statuses_uses_constant_queries(mod_client, alice, bob, query,
                                                               rows, hidden,
                                                               django_assert_num_queries):
    """Per 20: a public, a flagged and three hidden statuses; a search by their words finds
    the public and the flagged ones only."""
    def make(n):
        for i in range(n):
            for kind in ("public", *PRIVATE_KINDS):
                make_status(kind, author=alice, reader=bob, text=f"words {kind} {i}")
            flagged = make_status("direct", author=alice, reader=bob, text=f"words flagged {i}")
            _flag(flagged, bob)

    make(1)
    mod_client.get(CHANGELIST + query)
    with CaptureQueriesContext(connection) as one:
        assert mod_client.get(CHANGELIST + query).status_code == 200
    make(19)
    with django_assert_num_queries(len(one)):
        response = mod_client.get(CHANGELIST + query)
    assert response.content.decode().count('name="_selected_action"') == rows
    assert response.content.decode().count("nobody flagged") == hidden

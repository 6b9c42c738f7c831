"""SelfCommunity's moderation API (spec 1.6): the flagged contributions list and its filters,
a contribution's flags and moderation status, and PATCH hide/delete/ignore (toggles) and the
scolds; moderators only. Every write goes through moderation.services and its log."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import Visibility
from categories.models import Tag
from moderation.models import ModerationAction
from statuses import services
from statuses.models import Flag, Status
from statuses.services.feedback import contribution_flag
from tests.api.selfcommunity.test_statuses import USER_KEYS
from tests.factories import AccountFactory
from tests.moderation.audiences import NOT_FOUND, PRIVATE_KINDS, PUBLIC_KINDS, make_status

BASE = "/api/v2/moderation/contribution/"
ITEM_KEYS = {"contribution_type", "contribution", "last_flagged_at", "moderation_status",
             "moderation_type", "moderation_by", "moderation_at"}
FLAG_KEYS = {"user", "added_at", "flag_type", "flag_type_description"}
# token, count, page; the statuses' categories, tags and viewer flags; the comments' threads,
# slugs, categories, tags and viewer flags; the moderation actions with their moderators.
QUERIES_LIST = 12


@pytest.fixture
def moderator(db):
    account = AccountFactory(username="mod", is_staff=True)
    account.groups.add(Group.objects.get(name="Moderators"))
    return account


@pytest.fixture
def mod(sc_client, moderator):
    return sc_client(moderator)


@pytest.fixture
def flagged(alice, bob, carol):
    status = services.status_create(account=alice, text="buy cheap watches")
    contribution_flag(account=bob, status_id=status.pk, flag_type=0)
    contribution_flag(account=carol, status_id=status.pk, flag_type=1)
    return Status.objects.get(pk=status.pk)


@pytest.fixture
def comment(alice, bob, flagged):
    from statuses.services.comments import comment_create

    made = comment_create(account=bob, status_id=flagged.pk, text="a rude comment")
    contribution_flag(account=alice, status_id=made.pk, flag_type=2, comment=True)
    return Status.objects.get(pk=made.pk)


def errors_of(response) -> list:
    return response.json()["errors"]


def fields_of(response) -> dict:
    return {e["field"]: [m["code"] for m in e["messages"]] for e in errors_of(response)
            if "field" in e}


# --- who may call it ------------------------------------------------------------------------


@pytest.mark.parametrize("method,path", [
    ("get", BASE), ("get", BASE + "1/flag/?contribution_type=status"),
    ("get", BASE + "1/status/?contribution_type=status"), ("patch", BASE + "1/"),
])
def test_moderation_api_is_for_moderators_only(method, path, anon, sc, flagged):
    response = getattr(anon, method)(path, {}, format="json") if method == "patch" else \
        anon.get(path)
    assert response.status_code == 401
    assert errors_of(response) == [{"code": "not_authenticated",
                                    "message": "Authentication credentials were not provided."}]
    response = getattr(sc, method)(path, {"contribution_type": "status", "action": "hide",
                                          "moderation_type": 0}, format="json") \
        if method == "patch" else sc.get(path)
    assert response.status_code == 403
    assert errors_of(response)[0]["code"] == "permission_denied"
    assert Status.objects.get(pk=flagged.pk).collapsed is False
    assert not ModerationAction.objects.exists()


# --- the list -------------------------------------------------------------------------------


def test_list_shows_flagged_contributions_in_the_sc_envelope(mod, flagged, comment):
    response = mod.get(BASE)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2
    # Newest flag first: the comment's.
    first, second = body["results"]
    assert set(first) == ITEM_KEYS and set(second) == ITEM_KEYS
    assert (first["contribution_type"], first["contribution"]["id"]) == ("comment", comment.pk)
    assert (second["contribution_type"], second["contribution"]["id"]) == ("status", flagged.pk)
    assert second["contribution"]["flag_count"] == 2
    assert first["contribution"]["type"] == "comment"
    assert isinstance(second["last_flagged_at"], str)
    assert (second["moderation_status"], second["moderation_type"], second["moderation_by"],
            second["moderation_at"]) == ("open", None, None, None)


def test_list_filters(mod, flagged, comment, alice):
    def ids(**params):
        response = mod.get(BASE, params)
        assert response.status_code == 200, response.content
        return [item["contribution"]["id"] for item in response.json()["results"]]

    assert ids(contribution_type="status") == [flagged.pk]
    assert ids(contribution_type="comment") == [comment.pk]
    assert ids(contribution_type="post") == []
    assert ids(min_flags=2) == [flagged.pk]
    assert ids(contribution_id=comment.pk) == [comment.pk]
    assert ids(author="lic") == [flagged.pk]
    assert ids(flagged_by="car") == [flagged.pk]
    assert ids(flagged_by="alice") == [comment.pk]
    assert ids(content="watches") == [flagged.pk]
    assert ids(order_by="-flag_count") == [flagged.pk, comment.pk]
    assert ids(order_by="last_flagged_at") == [flagged.pk, comment.pk]
    assert ids(moderation_status="open") == [comment.pk, flagged.pk]
    assert ids(moderation_status="hidden") == []


@pytest.mark.parametrize("params,field,code", [
    ({"contribution_type": "video"}, "contribution_type", "invalid_choice"),
    ({"min_flags": "x"}, "min_flags", "invalid"),
    ({"contribution_id": "0"}, "contribution_id", "min_value"),
    ({"moderation_status": "gone"}, "moderation_status", "invalid_choice"),
    ({"order_by": "author"}, "order_by", "invalid_choice"),
    ({"limit": "-1"}, "limit", "min_value"),
])
def test_list_rejects_bad_parameters(mod, flagged, params, field, code):
    response = mod.get(BASE, params)
    assert response.status_code == 400
    assert fields_of(response) == {field: [code]}


def test_list_pages_with_limit_and_offset(mod, alice, bob):
    for n in range(3):
        status = services.status_create(account=alice, text=f"spam {n}")
        contribution_flag(account=bob, status_id=status.pk, flag_type=0)
    body = mod.get(BASE, {"limit": 2}).json()
    assert body["count"] == 3 and len(body["results"]) == 2
    assert body["next"].endswith("limit=2&offset=2") and body["previous"] is None
    body = mod.get(BASE, {"limit": 2, "offset": 2}).json()
    assert len(body["results"]) == 1 and body["next"] is None and body["previous"]


# --- flags and status of one ----------------------------------------------------------------


def test_flags_of_a_contribution(mod, flagged, comment):
    response = mod.get(f"{BASE}{flagged.pk}/flag/?contribution_type=status")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert all(set(f) == FLAG_KEYS for f in body["results"])
    assert set(body["results"][0]["user"]) == USER_KEYS
    assert [(f["user"]["username"], f["flag_type"], f["flag_type_description"])
            for f in body["results"]] == [("carol", 1, "aggressive"), ("bob", 0, "spam")]
    one = mod.get(f"{BASE}{flagged.pk}/flag/?contribution_type=status&flag_type=0").json()
    assert [f["user"]["username"] for f in one["results"]] == ["bob"]
    # The wrong type names nothing.
    assert mod.get(f"{BASE}{flagged.pk}/flag/?contribution_type=comment").status_code == 404
    assert mod.get(f"{BASE}{comment.pk}/flag/?contribution_type=comment").json()["count"] == 1
    response = mod.get(f"{BASE}{flagged.pk}/flag/")
    assert response.status_code == 400
    assert fields_of(response) == {"contribution_type": ["required"]}


def test_moderation_status_of_a_contribution(mod, flagged):
    url = f"{BASE}{flagged.pk}/status/?contribution_type=status"
    assert mod.get(url).json() == {"status": "open", "flag_type": None,
                                   "flag_type_description": None}
    mod.patch(f"{BASE}{flagged.pk}/", {"contribution_type": "status", "action": "hide",
                                       "moderation_type": 1}, format="json")
    assert mod.get(url).json() == {"status": "hidden", "flag_type": 1,
                                   "flag_type_description": "aggressive"}
    assert mod.get(f"{BASE}999999/status/?contribution_type=status").status_code == 404


# --- PATCH ----------------------------------------------------------------------------------


def test_hide_is_a_toggle_and_collapses_for_everyone_but_the_author(mod, flagged, sc_client,
                                                                   alice, bob, moderator):
    url = f"{BASE}{flagged.pk}/"
    response = mod.patch(url, {"contribution_type": "status", "action": "hide",
                               "moderation_type": 0, "reason": "spam"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == ITEM_KEYS
    assert body["moderation_status"] == "hidden"
    assert body["moderation_type"] == 0
    assert body["moderation_by"]["username"] == "mod"
    assert body["contribution"]["collapsed"] is True
    assert Status.objects.get(pk=flagged.pk).collapsed is True
    row = ModerationAction.objects.get()
    assert (row.action, row.moderator_id, row.reason, row.moderation_type) == (
        "collapse", moderator.pk, "spam", 0)
    # The author sees it collapsed; a stranger does not see it at all.
    own = sc_client(alice).get(f"/api/v2/status/{flagged.pk}/")
    assert own.status_code == 200 and own.json()["collapsed"] is True
    assert sc_client(bob).get(f"/api/v2/status/{flagged.pk}/").status_code == 404
    # Again: uncollapsed (no moderation_type needed to restore).
    response = mod.patch(url, {"contribution_type": "status", "action": "hide"}, format="json")
    assert response.status_code == 200
    assert response.json()["moderation_status"] == "open"
    assert Status.objects.get(pk=flagged.pk).collapsed is False
    assert sc_client(bob).get(f"/api/v2/status/{flagged.pk}/").status_code == 200


def test_delete_is_a_toggle(mod, flagged, anon):
    url = f"{BASE}{flagged.pk}/"
    response = mod.patch(url, {"contribution_type": "status", "action": "delete",
                               "moderation_type": 4}, format="json")
    assert response.status_code == 200
    assert response.json()["moderation_status"] == "deleted"
    assert Status.objects.get(pk=flagged.pk).deleted_at is not None
    assert anon.get(f"/api/v1/statuses/{flagged.pk}").status_code == 404
    response = mod.patch(url, {"contribution_type": "status", "action": "delete"},
                         format="json")
    assert response.status_code == 200
    assert response.json()["moderation_status"] == "open"
    assert anon.get(f"/api/v1/statuses/{flagged.pk}").status_code == 200
    assert list(ModerationAction.objects.order_by("id").values_list("action", flat=True)) == [
        "delete", "restore"]


def test_ignore_dismisses_the_flags_and_again_reopens_them(mod, flagged):
    url = f"{BASE}{flagged.pk}/"
    response = mod.patch(url, {"contribution_type": "status", "action": "ignore"},
                         format="json")
    assert response.status_code == 200
    assert response.json()["moderation_status"] == "ignored"
    assert not Flag.objects.filter(status=flagged).exists()
    assert [i["contribution"]["id"] for i in mod.get(
        BASE, {"moderation_status": "ignored"}).json()["results"]] == [flagged.pk]
    response = mod.patch(url, {"contribution_type": "status", "action": "ignore"},
                         format="json")
    assert response.json()["moderation_status"] == "open"
    assert Flag.objects.filter(status=flagged).count() == 2


def test_comment_hide(mod, comment, sc_client, alice):
    response = mod.patch(f"{BASE}{comment.pk}/", {"contribution_type": "comment",
                                                  "action": "hide", "moderation_type": 2},
                         format="json")
    assert response.status_code == 200
    assert response.json()["contribution"]["collapsed"] is True
    assert sc_client(alice).get(f"/api/v2/comment/{comment.pk}/").status_code == 404


def test_scolds_are_logged(mod, flagged, bob):
    url = f"{BASE}{flagged.pk}/"
    assert mod.patch(url, {"contribution_type": "status", "action": "scold_author",
                           "moderation_type": 0}, format="json").status_code == 200
    assert mod.patch(url, {"contribution_type": "status", "action": "scold_flagger",
                           "user": bob.pk}, format="json").status_code == 200
    rows = list(ModerationAction.objects.order_by("id").values_list(
        "action", "target_account_id", "moderation_type"))
    assert rows == [("scold_author", flagged.account_id, 0), ("scold_flagger", bob.pk, None)]
    # Scolds leave the status as it was.
    assert mod.get(f"{url}status/?contribution_type=status").json()["status"] == "open"


@pytest.mark.parametrize("body,field,code", [
    ({"action": "hide", "moderation_type": 0}, "contribution_type", "required"),
    ({"contribution_type": "status"}, "action", "required"),
    ({"contribution_type": "status", "action": "ban"}, "action", "invalid_choice"),
    ({"contribution_type": "status", "action": "hide"}, "moderation_type", "required"),
    ({"contribution_type": "status", "action": "hide", "moderation_type": 7},
     "moderation_type", "invalid_choice"),
    ({"contribution_type": "status", "action": "delete", "moderation_type": "x"},
     "moderation_type", "invalid"),
    ({"contribution_type": "status", "action": "scold_flagger"}, "user", "required"),
    ({"contribution_type": "status", "action": "scold_flagger", "user": 999999}, "user",
     "does_not_exist"),
])
def test_patch_validation_errors_write_nothing(mod, flagged, body, field, code):
    response = mod.patch(f"{BASE}{flagged.pk}/", body, format="json")
    assert response.status_code == 400
    assert fields_of(response) == {field: [code]}
    assert Status.objects.get(pk=flagged.pk).collapsed is False
    assert Status.objects.get(pk=flagged.pk).deleted_at is None
    assert not ModerationAction.objects.exists()


def test_patch_refusals(mod, flagged, alice):
    # Nothing to ignore, a status its author deleted, an unknown id.
    clean = services.status_create(account=alice, text="nothing wrong")
    response = mod.patch(f"{BASE}{clean.pk}/", {"contribution_type": "status",
                                                "action": "ignore"}, format="json")
    assert response.status_code == 400
    assert errors_of(response) == [{"code": "no_flags",
                                    "message": "The status has no open flags"}]
    services.status_delete(status=clean)
    response = mod.patch(f"{BASE}{clean.pk}/", {"contribution_type": "status",
                                                "action": "delete"}, format="json")
    assert response.status_code == 400
    assert errors_of(response)[0]["code"] == "deleted_by_author"
    response = mod.patch(f"{BASE}999999/", {"contribution_type": "status", "action": "hide",
                                            "moderation_type": 0}, format="json")
    assert response.status_code == 404
    assert not ModerationAction.objects.exists()


# --- query counts ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 20])
def test_list_query_count_is_constant(mod, alice, bob, size, django_assert_num_queries):
    moderator = AccountFactory(username="boss", is_superuser=True, is_staff=True)
    from moderation import services as moderation_services

    for n in range(size):
        status = services.status_create(account=alice, text=f"spam {n}")
        contribution_flag(account=bob, status_id=status.pk, flag_type=0)
        reply = services.status_create(account=bob, text=f"reply {n}",
                                       in_reply_to_id=status.pk, in_reply_to_given=True)
        contribution_flag(account=alice, status_id=reply.pk, flag_type=1, comment=True)
        moderation_services.status_collapse(moderator=moderator, status=reply,
                                            moderation_type=1)
    with django_assert_num_queries(QUERIES_LIST):
        body = mod.get(BASE, {"limit": 40}).json()
    assert len(body["results"]) == 2 * size


@pytest.mark.parametrize("size", [1, 20])
def test_flags_query_count_is_constant(mod, alice, size, django_assert_num_queries):
    status = services.status_create(account=alice, text="much flagged")
    for _ in range(size):
        contribution_flag(account=AccountFactory(), status_id=status.pk, flag_type=3)
    with django_assert_num_queries(4):  # token, contribution, count, page
        body = mod.get(f"{BASE}{status.pk}/flag/?contribution_type=status&limit=20").json()
    assert len(body["results"]) == size



# --- what a moderator may read: Mastodon's Admin::StatusPolicy#show? -----------------------
# A status's audience is public or unlisted, or it is flagged, or a moderator acted on it, or
# the normal rule lets this moderator see it (moderation.selectors.moderation_visible_q).

MARK = "zqwhisperqz"
# Each PATCH action with what it needs to be valid.
ACTS = {"scold_author": {"moderation_type": 1}, "hide": {"moderation_type": 1},
        "delete": {"moderation_type": 1}, "ignore": {}}


def _columns(status):
    return Status.objects.filter(pk=status.pk).values(
        "collapsed", "deleted_at", "sensitive", "flags_count", "render_version").get()


def _patch(mod, status, action, contribution_type="status"):
    return mod.patch(f"{BASE}{status.pk}/", {"contribution_type": contribution_type,
                                              "action": action, **ACTS[action]}, format="json")


@pytest.mark.parametrize("action", ACTS)
@pytest.mark.parametrize("kind", PRIVATE_KINDS)
def test_moderating_an_unflagged_private_status_is_not_found_and_writes_nothing(
        mod, alice, bob, kind, action):
    status = make_status(kind, author=alice, reader=bob, text=MARK)
    before = _columns(status)
    response = _patch(mod, status, action)
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert MARK not in response.content.decode()
    assert _columns(status) == before
    assert not ModerationAction.objects.exists()


@pytest.mark.parametrize("kind", PRIVATE_KINDS)
def test_a_flagged_private_status_is_moderated_with_its_text(mod, alice, bob, kind):
    status = make_status(kind, author=alice, reader=bob, text=MARK)
    contribution_flag(account=bob, status_id=status.pk, flag_type=1)
    response = _patch(mod, status, "scold_author")
    assert response.status_code == 200
    assert MARK in response.json()["contribution"]["html"]
    assert ModerationAction.objects.get().target_status_id == status.pk
    listed = mod.get(BASE, {"limit": 100})
    assert [i["contribution"]["id"] for i in listed.json()["results"]] == [status.pk]
    assert MARK in listed.content.decode()
    assert mod.get(f"{BASE}{status.pk}/flag/?contribution_type=status").json()["count"] == 1
    assert mod.get(f"{BASE}{status.pk}/status/?contribution_type=status").status_code == 200


@pytest.mark.parametrize("kind", PRIVATE_KINDS)
def test_a_private_status_stays_readable_once_its_flags_are_dismissed(mod, alice, bob, kind):
    status = make_status(kind, author=alice, reader=bob, text=MARK)
    contribution_flag(account=bob, status_id=status.pk, flag_type=0)
    assert _patch(mod, status, "ignore").json()["moderation_status"] == "ignored"
    assert Status.objects.get(pk=status.pk).flags_count == 0
    # Acted on through its flags: the log names it, so moderators still read it.
    assert mod.get(f"{BASE}{status.pk}/status/?contribution_type=status").json()[
        "status"] == "ignored"
    listed = mod.get(BASE, {"moderation_status": "ignored"})
    assert [i["contribution"]["id"] for i in listed.json()["results"]] == [status.pk]
    response = _patch(mod, status, "hide")
    assert response.status_code == 200
    assert MARK in response.json()["contribution"]["html"]


@pytest.mark.parametrize("kind", PUBLIC_KINDS)
def test_an_unflagged_public_status_is_moderated(mod, alice, bob, kind):
    status = make_status(kind, author=alice, reader=bob, text=MARK)
    response = _patch(mod, status, "scold_author")
    assert response.status_code == 200
    assert MARK in response.json()["contribution"]["html"]


def test_the_list_never_shows_an_unflagged_private_status(mod, alice, bob):
    hidden = [make_status(kind, author=alice, reader=bob, text=f"{MARK} {kind}")
              for kind in PRIVATE_KINDS]
    for status in hidden:
        _patch(mod, status, "hide")  # refused: not found
    shown = make_status("public", author=alice, reader=bob, text="in the open")
    contribution_flag(account=bob, status_id=shown.pk, flag_type=0)
    response = mod.get(BASE, {"limit": 100})
    assert [i["contribution"]["id"] for i in response.json()["results"]] == [shown.pk]
    assert MARK not in response.content.decode()
    # Nor does a search by its words find it.
    assert mod.get(BASE, {"content": MARK}).json()["count"] == 0


@pytest.mark.parametrize("route", ["flag/", "status/"])
@pytest.mark.parametrize("kind", PRIVATE_KINDS)
def test_flags_and_status_of_an_unflagged_private_status_are_not_found(mod, alice, bob, kind,
                                                                      route):
    status = make_status(kind, author=alice, reader=bob, text=MARK)
    response = mod.get(f"{BASE}{status.pk}/{route}?contribution_type=status")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize("kind", PRIVATE_KINDS)
def test_a_moderator_in_the_audience_moderates_by_the_normal_rule(mod, moderator, alice, kind):
    # The follower of a private status, the account a direct one mentions, a tag holder.
    status = make_status(kind, author=alice, reader=moderator, text=MARK)
    response = _patch(mod, status, "scold_author")
    assert response.status_code == 200
    assert MARK in response.json()["contribution"]["html"]


def test_a_comment_keeps_its_status_audience_for_moderators(mod, alice, bob, carol):
    from statuses.services.comments import comment_create
    from statuses.services.contributions import contribution_update
    from tests.moderation.audiences import contribution

    tag = Tag.objects.create(type="user", name="insiders")
    tag.holders.add(carol)
    status = make_status("public", author=alice, reader=bob, text="an open question")
    comment = comment_create(account=bob, status_id=status.pk, text=f"{MARK} an answer")
    # Addressing the status to a tag makes it private; the comment was written public and
    # keeps its status's audience (`audience`), which is private now.
    contribution_update(account=alice, status_id=status.pk,
                        body=contribution("an open question", addressing_ids=[tag.pk]))
    assert Status.objects.get(pk=comment.pk).visibility == Visibility.PUBLIC
    response = _patch(mod, comment, "scold_author", contribution_type="comment")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    contribution_flag(account=carol, status_id=comment.pk, flag_type=2, comment=True)
    response = _patch(mod, comment, "scold_author", contribution_type="comment")
    assert response.status_code == 200
    assert MARK in response.content.decode()

"""What SelfCommunity's React UI reads at start and around the composer: preferences, features,
custom menus, the signed-in user and others, settings, hidden users, user search, suggestions
and popular categories (community/selfcommunity/)."""

import pytest

from accounts.models import Visibility
from community.models import CustomMenu, CustomMenuItem, Feature, Preference, UserSettings
from statuses.models import Status
from tests.api.selfcommunity.test_statuses import USER_KEYS, post
from tests.factories import (
    AccountFactory,
    BlockFactory,
    CategoryFactory,
    FollowFactory,
    MuteFactory,
)

PAGE_KEYS = {"count", "next", "previous", "results"}
PREFERENCE_KEYS = {"id", "section", "name", "value", "type", "help"}
ME_KEYS = USER_KEYS | {"statuses_counter", "email", "email_isvalid", "language", "status",
                       "role", "permission", "unseen_interactions_counter",
                       "unseen_notification_banners_counter", "can_send_pm_to"}
PERMISSION_KEYS = {"create_contribute", "create_poll", "upload_video", "create_group",
                   "create_event", "create_course", "create_live_stream", "locality_filter",
                   "moderate_contributions", "moderate_users", "manage_categories", "admin"}
SETTINGS = {"qa_frequency": -1, "email_notification_not_qa": 1, "mobile_notifications_scmty": 1,
            "show_toast_notifications": 1, "toast_notifications_emit_sound": 1}
NOT_AUTHENTICATED = {"errors": [{"code": "not_authenticated",
                                 "message": "Authentication credentials were not provided."}]}
NOT_FOUND = {"errors": [{"code": "not_found", "message": "Not found."}]}

# Every key react-core 0.7.0-alpha.23 reads (SCPreferences), as the seed migration holds them.
UI_KEYS = {"text.application_name", "colors.colorprimary", "logo.navbar_logo",
           "configurations.post_type_enabled", "configurations.status_type_enabled",
           "configurations.content_availability", "configurations.follow_enabled",
           "configurations.subscription_tier", "addons.polls_enabled",
           "providers.web_push_enabled", "static.env"}


def by_key(page) -> dict:
    return {f"{p['section']}.{p['name']}": p for p in page["results"]}


def usernames(response) -> list[str]:
    return [user["username"] for user in response.json()["results"]]


# --- preferences ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_preferences_are_all_on_one_page_typed_and_anonymous(anon):
    response = anon.get("/api/v2/dynamic_preference/")
    assert response.status_code == 200
    page = response.json()
    assert set(page) == PAGE_KEYS
    assert page["count"] == Preference.objects.count() == len(page["results"]) == 148
    assert (page["next"], page["previous"]) == (None, None)
    prefs = by_key(page)
    assert UI_KEYS <= set(prefs)
    assert all(set(p) == PREFERENCE_KEYS for p in page["results"])
    assert prefs["text.application_name"]["value"] == "Duostatus"
    # Booleans and integers are JSON values: the UI tests them for truth.
    assert prefs["configurations.post_type_enabled"]["value"] is True
    # Posts, discussions and polls are served, so the Composer offers all three.
    assert prefs["configurations.discussion_type_enabled"]["value"] is True
    assert prefs["addons.polls_enabled"]["value"] is True
    assert prefs["configurations.video_play_tracking_delay_seconds"]["value"] == 5
    # A picture stored as a path on this server is served as an absolute URL.
    assert prefs["logo.navbar_logo"]["value"] == \
        "https://social.example/static/community/logo.svg"
    assert prefs["colors.colorprimary"]["value"] == "#1F6F8B"


@pytest.mark.django_db
def test_an_operator_change_is_what_the_ui_reads(anon):
    Preference.objects.filter(section="configurations", name="follow_enabled").update(
        value="False")
    Preference.objects.filter(section="text", name="application_name").update(value="Agora")
    prefs = by_key(anon.get("/api/v2/dynamic_preference/").json())
    assert prefs["configurations.follow_enabled"]["value"] is False
    assert prefs["text.application_name"]["value"] == "Agora"


@pytest.mark.django_db
def test_preferences_search_as_the_sdk_sends_it(anon):
    # PreferenceService.searchPreferences('', '', keys) as react-ui's onboarding calls it:
    # comma-separated keys, spaces after some commas.
    response = anon.get("/api/v2/dynamic_preference/",
                        {"keys": "colors.colorback,colors.colorprimary, logo.navbar_logo"})
    assert response.status_code == 200
    assert sorted(by_key(response.json())) == ["colors.colorback", "colors.colorprimary",
                                               "logo.navbar_logo"]
    section = anon.get("/api/v2/dynamic_preference/", {"section": "colors"}).json()
    assert section["count"] == 6 and {p["section"] for p in section["results"]} == {"colors"}
    found = anon.get("/api/v2/dynamic_preference/", {"search": "slogan"}).json()
    assert sorted(p["name"] for p in found["results"]) == ["application_slogan1",
                                                           "application_slogan2"]
    ordered = anon.get("/api/v2/dynamic_preference/",
                       {"section": "colors", "ordering": "-name,nonsense"}).json()
    names = [p["name"] for p in ordered["results"]]
    assert names == sorted(names, reverse=True)


@pytest.mark.django_db
def test_preferences_page_when_a_limit_is_given(anon):
    first = anon.get("/api/v2/dynamic_preference/", {"limit": 100}).json()
    assert first["count"] == 148 and len(first["results"]) == 100
    assert first["next"].endswith("limit=100&offset=100")
    second = anon.get(first["next"]).json()
    assert len(second["results"]) == 48 and second["next"] is None
    huge = anon.get("/api/v2/dynamic_preference/", {"limit": 10**30, "offset": 10**30})
    assert huge.status_code == 200 and huge.json()["results"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"limit": "x"}, {"offset": "-1"}, {"search": "a\x00"}])
def test_bad_preference_parameters_are_400s_naming_them(anon, params):
    response = anon.get("/api/v2/dynamic_preference/", params)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == next(iter(params))


@pytest.mark.django_db
def test_too_many_keys_are_a_400_and_repeats_count_once(anon):
    keys = ",".join(f"text.n{i}" for i in range(201))
    response = anon.get("/api/v2/dynamic_preference/", {"keys": keys})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "keys"
    repeated = ",".join(["text.application_name"] * 500)
    page = anon.get("/api/v2/dynamic_preference/", {"keys": repeated}).json()
    assert [p["name"] for p in page["results"]] == ["application_name"]


@pytest.mark.django_db
def test_one_preference_by_id_and_a_missing_one(anon):
    preference = Preference.objects.get(section="text", name="application_name")
    response = anon.get(f"/api/v2/dynamic_preference/{preference.pk}/")
    assert response.status_code == 200
    assert response.json() == {"id": preference.pk, "section": "text",
                               "name": "application_name", "value": "Duostatus",
                               "type": "string", "help": ""}
    missing = anon.get("/api/v2/dynamic_preference/999999/")
    assert (missing.status_code, missing.json()) == (404, NOT_FOUND)
    assert anon.get("/api/v2/dynamic_preference/abc/").status_code == 404


@pytest.mark.django_db
def test_any_token_reads_preferences_whatever_its_scopes(sc_client, alice):
    assert sc_client(alice, scopes="push").get("/api/v2/dynamic_preference/").status_code == 200


@pytest.mark.parametrize("size", [1, 20])
def test_preference_list_query_count_is_constant(anon, size, django_assert_num_queries):
    Preference.objects.all().delete()
    Preference.objects.bulk_create([Preference(section="text", name=f"p{i}", value="v")
                                     for i in range(size)])
    with django_assert_num_queries(1):
        response = anon.get("/api/v2/dynamic_preference/")
    assert len(response.json()["results"]) == size


# --- features ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_features_list_every_feature_with_whether_it_is_enabled(anon):
    page = anon.get("/api/v2/feature/").json()
    assert set(page) == PAGE_KEYS and page["count"] == len(page["results"]) == 46
    assert all(set(f) == {"id", "name", "enabled"} for f in page["results"])
    enabled = {f["name"] for f in page["results"] if f["enabled"]}
    assert enabled == {"api_v2", "moderation_contents", "moderation_flags", "reaction",
                       "tagging"}
    Feature.objects.filter(name="tagging").update(enabled=False)
    Feature.objects.filter(name="event").update(enabled=True)
    page = anon.get("/api/v2/feature/").json()
    enabled = {f["name"] for f in page["results"] if f["enabled"]}
    assert "tagging" not in enabled and "event" in enabled


@pytest.mark.parametrize("size", [1, 20])
def test_feature_list_query_count_is_constant(anon, size, django_assert_num_queries):
    Feature.objects.all().delete()
    Feature.objects.bulk_create([Feature(name=f"f{i}", enabled=True) for i in range(size)])
    with django_assert_num_queries(1):
        response = anon.get("/api/v2/feature/")
    assert len(response.json()["results"]) == size


# --- custom menus -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_menus_the_ui_asks_for_by_place_exist(anon):
    for slot in ("base", "not_logged", "user"):
        response = anon.get(f"/api/v2/custom_menu/{slot}/")
        assert response.status_code == 200, slot
        menu = response.json()
        assert set(menu) == {"id", "name", "items", "created_at", "updated_at"}
        assert menu["id"] == CustomMenu.objects.get(slot=slot).pk and menu["items"] == []


@pytest.mark.django_db
def test_a_menu_shows_its_items_in_order_by_id_or_place(anon):
    menu = CustomMenu.objects.get(slot="base")
    second = CustomMenuItem.objects.create(menu=menu, label="Terms", url="/terms", order=2)
    first = CustomMenuItem.objects.create(menu=menu, label="About", url="https://x.example/",
                                          attrs='target="_blank"', order=1)
    by_place = anon.get("/api/v2/custom_menu/base/").json()
    assert by_place == anon.get(f"/api/v2/custom_menu/{menu.pk}/").json()
    assert by_place["items"] == [
        {"id": first.pk, "custom_menu": menu.pk, "label": "About", "url": "https://x.example/",
         "attrs": 'target="_blank"', "order": 1},
        {"id": second.pk, "custom_menu": menu.pk, "label": "Terms", "url": "/terms",
         "attrs": "", "order": 2}]
    page = anon.get("/api/v2/custom_menu/").json()
    assert page["count"] == 3
    assert [m["id"] for m in page["results"]] == sorted(m["id"] for m in page["results"])


@pytest.mark.django_db
def test_menus_are_searched_by_name(anon):
    page = anon.get("/api/v2/custom_menu/search/", {"search": "FOOT"}).json()
    assert set(page) == PAGE_KEYS
    assert [m["name"] for m in page["results"]] == ["Footer", "Footer (anonymous)"]
    assert anon.get("/api/v2/custom_menu/search/").json()["count"] == 3


@pytest.mark.django_db
def test_a_missing_menu_is_a_404(anon):
    CustomMenu.objects.filter(slot="user").delete()
    assert anon.get("/api/v2/custom_menu/user/").json() == NOT_FOUND
    assert anon.get("/api/v2/custom_menu/999999/").status_code == 404
    assert anon.get("/api/v2/custom_menu/footer/").status_code == 404


@pytest.mark.parametrize("size", [1, 20])
def test_menu_list_query_count_is_constant(anon, size, django_assert_num_queries):
    for i in range(size):
        menu = CustomMenu.objects.create(name=f"menu {i}")
        CustomMenuItem.objects.create(menu=menu, label="a", url="/a")
        CustomMenuItem.objects.create(menu=menu, label="b", url="/b")
    with django_assert_num_queries(2):
        response = anon.get("/api/v2/custom_menu/")
    assert len(response.json()["results"]) == size + 3


# --- the signed-in user -----------------------------------------------------------------------


@pytest.mark.django_db
def test_me_is_the_tokens_user_with_role_permissions_and_counters(sc, alice, bob_client):
    alice.email = "alice@example.org"
    alice.save()
    bob_client.post("/api/v1/statuses", {"status": "@alice hello"}, format="json")
    response = sc.get("/api/v2/user/me/")
    assert response.status_code == 200
    me = response.json()
    assert set(me) == ME_KEYS
    assert (me["id"], me["username"], me["email"]) == (alice.pk, "alice", "alice@example.org")
    assert me["role"] is None
    assert set(me["permission"]) == PERMISSION_KEYS
    assert me["permission"]["create_contribute"] is True
    assert me["permission"]["moderate_contributions"] is False
    assert me["unseen_interactions_counter"] == 1
    assert me["status"] == "a"


@pytest.mark.django_db
def test_moderators_have_the_moderator_role_and_permissions(sc_client, moderator):
    from django.contrib.auth.models import Group

    member = AccountFactory()
    member.groups.add(Group.objects.get(name="Moderators"))
    admin = AccountFactory(is_superuser=True, is_staff=True)
    for account, role in ((moderator, "moderator"), (member, "moderator"), (admin, "admin")):
        me = sc_client(account).get("/api/v2/user/me/").json()
        assert me["role"] == role
        assert me["permission"]["moderate_contributions"] is True
        assert me["permission"]["admin"] is (role == "admin")
        assert sc_client(account).get("/api/v2/user/me/permission/").json() == \
            me["permission"]


@pytest.mark.django_db
def test_me_without_a_token_is_a_401_in_the_envelope(anon, make_token):
    response = anon.get("/api/v2/user/me/")
    assert (response.status_code, response.json()) == (401, NOT_AUTHENTICATED)
    assert anon.get("/api/v2/user/me/permission/").status_code == 401
    anon.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(None, scopes='read')}")
    app_only = anon.get("/api/v2/user/me/")
    assert app_only.status_code == 403
    assert app_only.json()["errors"][0]["code"] == "permission_denied"


def test_me_query_count(sc, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert sc.get("/api/v2/user/me/").status_code == 200


@pytest.mark.django_db
def test_a_user_by_id(anon, bob):
    response = anon.get(f"/api/v2/user/{bob.pk}/")
    assert response.status_code == 200
    assert set(response.json()) == USER_KEYS and response.json()["username"] == "bob"
    assert anon.get("/api/v2/user/999999/").json() == NOT_FOUND
    bob.is_active = False
    bob.save()
    assert anon.get(f"/api/v2/user/{bob.pk}/").status_code == 404


# --- settings ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_settings_start_at_the_defaults_without_a_row(sc, alice):
    response = sc.get(f"/api/v2/user/{alice.pk}/settings/")
    assert (response.status_code, response.json()) == (200, SETTINGS)
    assert not UserSettings.objects.exists()


@pytest.mark.django_db
def test_patching_settings_keeps_them(sc, alice):
    response = sc.patch(f"/api/v2/user/{alice.pk}/settings/",
                        {"qa_frequency": 0, "show_toast_notifications": "0", "unknown": 5},
                        format="json")
    assert response.status_code == 200
    assert response.json() == {**SETTINGS, "qa_frequency": 0, "show_toast_notifications": 0}
    row = UserSettings.objects.get(account=alice)
    assert (row.qa_frequency, row.show_toast_notifications, row.toast_notifications_emit_sound) \
        == (0, 0, 1)
    assert sc.get(f"/api/v2/user/{alice.pk}/settings/").json() == response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("body", [{"qa_frequency": 7}, {"show_toast_notifications": True},
                                  {"qa_frequency": 0, "mobile_notifications_scmty": "on"},
                                  {"toast_notifications_emit_sound": None},
                                  {"qa_frequency": "--1"}, {"qa_frequency": "１"},
                                  {"qa_frequency": 10**30}, {"qa_frequency": [1]}])
def test_a_bad_setting_is_a_400_naming_it_and_writes_nothing(sc, alice, body):
    response = sc.patch(f"/api/v2/user/{alice.pk}/settings/", body, format="json")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == list(body)[-1]
    assert error["messages"][0]["code"] == "invalid_choice"
    assert not UserSettings.objects.exists()


@pytest.mark.django_db
def test_malformed_json_settings_is_a_400(sc, alice):
    response = sc.generic("PATCH", f"/api/v2/user/{alice.pk}/settings/", "{nope",
                          content_type="application/json")
    assert response.status_code == 400
    assert not UserSettings.objects.exists()


@pytest.mark.django_db
def test_anothers_settings_are_refused(sc, bob, anon):
    for method in ("get", "patch"):
        response = getattr(sc, method)(f"/api/v2/user/{bob.pk}/settings/",
                                       {"qa_frequency": 0}, format="json")
        assert response.status_code == 403
        assert response.json()["errors"][0]["code"] == "permission_denied"
    assert sc.get("/api/v2/user/999999/settings/").status_code == 404
    assert anon.get(f"/api/v2/user/{bob.pk}/settings/").status_code == 401
    assert not UserSettings.objects.exists()


# --- hidden users -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_hidden_users_are_the_accounts_blocked_through_mastodon(sc, alice_client, alice, bob,
                                                                carol):
    assert sc.get("/api/v2/user/hidden_users_id/").json() == []
    assert alice_client.post(f"/api/v1/accounts/{bob.pk}/block").status_code == 200
    assert alice_client.post(f"/api/v1/accounts/{carol.pk}/block").status_code == 200
    BlockFactory(account=carol, target=alice)  # carol's block of alice is carol's, not hers
    assert sc.get("/api/v2/user/hidden_users_id/").json() == [carol.pk, bob.pk]
    page = sc.get("/api/v2/user/hidden_users/").json()
    assert set(page) == PAGE_KEYS and page["count"] == 2
    assert [u["username"] for u in page["results"]] == ["carol", "bob"]
    assert set(page["results"][0]) == USER_KEYS


@pytest.mark.django_db
def test_hidden_users_need_a_user(anon):
    assert anon.get("/api/v2/user/hidden_users_id/").json() == NOT_AUTHENTICATED
    assert anon.get("/api/v2/user/hidden_users/").status_code == 401


@pytest.mark.parametrize("size", [1, 20])
def test_hidden_users_query_count_is_constant(sc, alice, size, django_assert_num_queries):
    for _ in range(size):
        BlockFactory(account=alice)
    with django_assert_num_queries(3):
        response = sc.get("/api/v2/user/hidden_users/")
    assert len(response.json()["results"]) == size
    with django_assert_num_queries(2):
        assert len(sc.get("/api/v2/user/hidden_users_id/").json()) == size


# --- search -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_search_finds_usernames_by_start_and_names_by_part(anon):
    AccountFactory(username="annabel", display_name="Annabel", followers_count=1)
    AccountFactory(username="ann", display_name="Ann")
    AccountFactory(username="joanna", display_name="Joanna Ann", followers_count=9)
    AccountFactory(username="zed", display_name="Zed")
    response = anon.get("/api/v2/user/search/", {"search": "Ann"})
    assert response.status_code == 200
    assert set(response.json()) == PAGE_KEYS
    # The exact username first, then usernames that start with it, then names.
    assert usernames(response) == ["ann", "annabel", "joanna"]
    # react-ui's mention lookup sends `user` (and a leading @ is no part of a name).
    assert usernames(anon.get("/api/v2/user/search/", {"user": "@ann", "limit": 1})) == ["ann"]


@pytest.mark.django_db
def test_search_leaves_out_suspended_and_hidden_accounts(sc, alice):
    from django.utils import timezone

    AccountFactory(username="sam_gone", suspended_at=timezone.now())
    blocked = AccountFactory(username="sam_blocked")
    blocker = AccountFactory(username="sam_blocker")
    muted = AccountFactory(username="sam_muted")
    AccountFactory(username="sam_shown")
    BlockFactory(account=alice, target=blocked)
    BlockFactory(account=blocker, target=alice)
    MuteFactory(account=alice, target=muted)
    assert usernames(sc.get("/api/v2/user/search/", {"search": "sam"})) == ["sam_shown"]


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["%", "_", "a" * 500, "'); --", "é"])
def test_search_with_odd_text_is_a_clean_answer(anon, text):
    assert anon.get("/api/v2/user/search/", {"search": text}).status_code == 200


@pytest.mark.django_db
def test_search_with_a_nul_is_a_400_naming_the_field(anon):
    response = anon.get("/api/v2/user/search/", {"search": "a\x00"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "search"


@pytest.mark.django_db
def test_autocomplete_has_the_short_user_and_excludes(anon):
    one = AccountFactory(username="kim_one")
    two = AccountFactory(username="kim_two")
    page = anon.get("/api/v2/user/autocomplete/", {"search": "kim", "exclude": f"{one.pk},x"})
    assert page.status_code == 200
    assert page.json()["results"] == [{"id": two.pk, "username": "kim_two",
                                       "real_name": two.display_name,
                                       "avatar": page.json()["results"][0]["avatar"],
                                       "ext_id": None}]


@pytest.mark.parametrize("size", [1, 20])
@pytest.mark.parametrize("route", ["search", "autocomplete"])
def test_search_query_count_is_constant(sc, size, route, django_assert_num_queries):
    for i in range(size):
        AccountFactory(username=f"pat{i}")
    with django_assert_num_queries(3):
        response = sc.get(f"/api/v2/user/{route}/", {"search": "pat", "limit": 50})
    assert len(response.json()["results"]) == size


# --- suggestions ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_suggestions_are_friends_of_friends_then_the_most_followed(sc, alice, bob, carol):
    dave = AccountFactory(username="dave", followers_count=0)
    AccountFactory(username="erin", followers_count=50)
    fay = AccountFactory(username="fay", followers_count=10)
    blocked = AccountFactory(username="gus", followers_count=99)
    requested = AccountFactory(username="hal", followers_count=98)
    FollowFactory(account=alice, target=bob)
    FollowFactory(account=alice, target=carol)
    FollowFactory(account=alice, target=requested, accepted=False)
    FollowFactory(account=bob, target=dave)
    FollowFactory(account=carol, target=dave)
    FollowFactory(account=bob, target=fay)
    BlockFactory(account=alice, target=blocked)
    response = sc.get("/api/v2/suggestion/user/")
    assert response.status_code == 200
    assert set(response.json()) == PAGE_KEYS
    assert usernames(response) == ["dave", "fay", "erin"]
    assert set(response.json()["results"][0]) == USER_KEYS


@pytest.mark.django_db
def test_anonymous_suggestions_are_the_most_followed(anon):
    AccountFactory(username="quiet", followers_count=1)
    AccountFactory(username="loud", followers_count=5)
    assert usernames(anon.get("/api/v2/suggestion/user/")) == ["loud", "quiet"]


@pytest.mark.parametrize("size", [1, 20])
def test_suggestion_query_count_is_constant(sc, alice, size, django_assert_num_queries):
    friend = AccountFactory()
    FollowFactory(account=alice, target=friend)
    for _ in range(size):
        FollowFactory(account=friend, target=AccountFactory())
    with django_assert_num_queries(3):
        response = sc.get("/api/v2/suggestion/user/", {"limit": 50})
    assert len(response.json()["results"]) == size


# --- popular categories -----------------------------------------------------------------------


@pytest.mark.django_db
def test_popular_categories_count_only_what_anyone_may_read(sc, anon):
    quiet, busy, secret = (CategoryFactory(name=n, order=i)
                           for i, n in enumerate(("quiet", "busy", "secret")))
    for _ in range(2):
        assert post(sc, categories=[busy.pk]).status_code == 201
    assert post(sc, categories=[quiet.pk]).status_code == 201
    for _ in range(3):
        made = post(sc, categories=[secret.pk])
        Status.objects.filter(pk=made.json()["id"]).update(visibility=Visibility.PRIVATE)
    response = anon.get("/api/v2/category/popular/")
    assert response.status_code == 200
    page = response.json()
    assert set(page) == PAGE_KEYS and page["count"] == 3
    assert [c["name"] for c in page["results"]] == ["busy", "quiet", "secret"]
    assert page["results"][0]["parents"] == []
    assert sc.get("/api/v2/category/popular/").json() == page


@pytest.mark.parametrize("size", [1, 20])
def test_popular_categories_query_count_is_constant(anon, size, django_assert_num_queries):
    for _ in range(size):
        CategoryFactory()
    with django_assert_num_queries(3):
        response = anon.get("/api/v2/category/popular/", {"limit": 50})
    assert len(response.json()["results"]) == size

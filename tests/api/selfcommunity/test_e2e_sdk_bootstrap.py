"""SelfCommunity's SDK reads what its React UI needs at start (tests/e2e/sdk/bootstrap.js):
every call through the SDK's own service methods (PreferenceService, FeatureService,
CustomMenuService, UserService, SuggestionService, CategoryService), each answer checked for
its shape and against the database."""

import json

from community.models import Preference, UserSettings
from tests.api.selfcommunity.test_bootstrap import (
    ME_KEYS,
    PERMISSION_KEYS,
    PREFERENCE_KEYS,
    SETTINGS,
)
from tests.api.selfcommunity.test_e2e_sdk import (  # noqa: F401  (skip rule and markers)
    CATEGORY_KEYS,
    PAGE_KEYS,
    node,
    ok,
    pytestmark,
    refused,
    token,
)
from tests.api.selfcommunity.test_statuses import USER_KEYS
from tests.factories import AccountFactory, BlockFactory, CategoryFactory, FollowFactory


def test_sdk_reads_what_the_react_ui_reads_at_start(live_server):
    alice = AccountFactory(username="alice")
    bob = AccountFactory(username="bob")
    carol = AccountFactory(username="carol")
    dave = AccountFactory(username="dave")
    FollowFactory(account=alice, target=carol)
    FollowFactory(account=carol, target=dave)
    BlockFactory(account=alice, target=bob)
    CategoryFactory(name="Gardens")
    result = node("bootstrap.js", json.dumps({"base": live_server.url,
                                              "reader": token("alice"), "other": carol.pk}))
    steps = result["steps"]

    preferences = ok(steps["preferences"], "preferences")
    assert set(preferences) == PAGE_KEYS
    assert preferences["count"] == len(preferences["results"]) == Preference.objects.count()
    keyed = {f"{p['section']}.{p['name']}": p for p in preferences["results"]}
    assert keyed["configurations.post_type_enabled"]["value"] is True
    assert set(ok(steps["preference"])) == PREFERENCE_KEYS
    assert ok(steps["preference"]) == preferences["results"][0]
    searched = ok(steps["preferencesSearch"])["results"]
    assert [p["name"] for p in searched] == ["colorprimary", "application_name"]

    features = ok(steps["features"], "features")
    assert "tagging" in {f["name"] for f in features["results"] if f["enabled"]}
    menus = ok(steps["menus"])
    assert menus["count"] == 3
    base = ok(steps["menuBase"])
    assert base["items"] == [] and base["id"] in {m["id"] for m in menus["results"]}
    assert [m["name"] for m in ok(steps["menuSearch"])["results"]] == ["User menu"]

    me = ok(steps["me"], "me")
    assert set(me) == ME_KEYS and (me["id"], me["role"]) == (alice.pk, None)
    assert set(ok(steps["permission"])) == PERMISSION_KEYS
    user = ok(steps["user"])
    assert set(user) == USER_KEYS and user["username"] == "carol"

    assert ok(steps["settings"]) == SETTINGS
    assert ok(steps["settingsPatch"]) == {**SETTINGS, "qa_frequency": 1}
    assert ok(steps["settingsAfter"]) == {**SETTINGS, "qa_frequency": 1}
    assert refused(steps["settingsRefused"], 400)[0]["field"] == "qa_frequency"
    assert UserSettings.objects.get(account=alice).qa_frequency == 1
    assert refused(steps["settingsOther"], 403)[0]["code"] == "permission_denied"

    assert ok(steps["hiddenIds"]) == [bob.pk]
    assert [u["username"] for u in ok(steps["hidden"])["results"]] == ["bob"]
    assert [u["username"] for u in ok(steps["search"])["results"]] == ["dave"]
    assert [u["username"] for u in ok(steps["autocomplete"])["results"]] == ["carol"]
    assert [u["username"] for u in ok(steps["suggestions"])["results"]] == ["dave"]
    popular = ok(steps["popular"])
    assert [c["name"] for c in popular["results"]] == ["Gardens"]
    assert set(popular["results"][0]) == CATEGORY_KEYS

    assert ok(steps["anonymousPreferences"])["count"] == preferences["count"]
    assert refused(steps["anonymousMe"], 401)[0]["code"] == "not_authenticated"

"""The community admin: what an operator sets is what SelfCommunity's UI reads, and a value
that is not of its preference's type is refused."""

import pytest
from django.urls import reverse

from community.models import CustomMenu, CustomMenuItem, Feature, Preference, UserSettings
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["preference", "feature", "custommenu", "usersettings"])
def test_every_list_page_shows(admin_client, model):
    UserSettings.objects.create(account=AccountFactory())
    response = admin_client.get(reverse(f"admin:community_{model}_changelist"))
    assert response.status_code == 200


def test_a_preference_value_is_set_and_served(admin_client, client):
    preference = Preference.objects.get(section="text", name="application_name")
    url = reverse("admin:community_preference_change", args=[preference.pk])
    response = admin_client.post(url, {"value": "Agora", "help": ""})
    assert response.status_code == 302
    served = client.get(f"/api/v2/dynamic_preference/{preference.pk}/").json()
    assert served["value"] == "Agora"


@pytest.mark.parametrize(("name", "value"), [("follow_enabled", "maybe"),
                                             ("video_play_tracking_delay_seconds", "five")])
def test_a_value_of_the_wrong_type_is_refused(admin_client, name, value):
    preference = Preference.objects.get(section="configurations", name=name)
    before = preference.value
    url = reverse("admin:community_preference_change", args=[preference.pk])
    response = admin_client.post(url, {"value": value, "help": ""})
    assert response.status_code == 200
    assert b"errorlist" in response.content
    preference.refresh_from_db()
    assert preference.value == before


def test_preferences_and_features_are_neither_added_nor_deleted(admin_client):
    assert admin_client.get(reverse("admin:community_preference_add")).status_code == 403
    feature = Feature.objects.get(name="tagging")
    assert admin_client.get(reverse("admin:community_feature_delete",
                                    args=[feature.pk])).status_code == 403


def test_a_feature_is_switched_from_the_list(admin_client, client):
    features = list(Feature.objects.order_by("name"))
    data = {"form-TOTAL_FORMS": len(features), "form-INITIAL_FORMS": len(features),
            "_save": "Save"}
    for i, feature in enumerate(features):
        data[f"form-{i}-id"] = feature.pk
        if feature.name == "event" or (feature.enabled and feature.name != "tagging"):
            data[f"form-{i}-enabled"] = "on"
    response = admin_client.post(reverse("admin:community_feature_changelist"), data)
    assert response.status_code == 302
    served = {f["name"] for f in client.get("/api/v2/feature/").json()["results"]
              if f["enabled"]}
    assert "event" in served and "tagging" not in served


def test_a_menu_is_made_with_its_items(admin_client, client):
    response = admin_client.post(reverse("admin:community_custommenu_add"), {
        "name": "Links", "slot": "",
        "items-TOTAL_FORMS": 1, "items-INITIAL_FORMS": 0,
        "items-0-label": "Docs", "items-0-url": "https://docs.example/", "items-0-attrs": "",
        "items-0-order": 1})
    assert response.status_code == 302
    menu = CustomMenu.objects.get(name="Links")
    assert [item.label for item in CustomMenuItem.objects.filter(menu=menu)] == ["Docs"]
    served = client.get(f"/api/v2/custom_menu/{menu.pk}/").json()
    assert [item["url"] for item in served["items"]] == ["https://docs.example/"]


def test_two_menus_cannot_hold_one_place(admin_client):
    response = admin_client.post(reverse("admin:community_custommenu_add"), {
        "name": "Another footer", "slot": "base",
        "items-TOTAL_FORMS": 0, "items-INITIAL_FORMS": 0})
    assert response.status_code == 200
    assert not CustomMenu.objects.filter(name="Another footer").exists()

"""GET /api/v1/instance/peers, activity, rules, languages, extended_description and
privacy_policy."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from instance_extras.models import InstanceRule
from tests.factories import AccountFactory


def test_peers_empty(anon):
    response = anon.get("/api/v1/instance/peers")
    assert response.status_code == 200
    assert response.json() == []


def test_rules_in_order_and_in_instance(anon):
    second = InstanceRule.objects.create(text="Be kind", hint="Always", position=2)
    first = InstanceRule.objects.create(text="No spam", position=1)
    expected = [{"id": str(first.pk), "text": "No spam", "hint": ""},
                {"id": str(second.pk), "text": "Be kind", "hint": "Always"}]
    assert anon.get("/api/v1/instance/rules").json() == expected
    assert anon.get("/api/v2/instance").json()["rules"] == expected
    assert anon.get("/api/v1/instance").json()["rules"] == expected


def test_activity_twelve_weeks(anon, alice_client, alice):
    alice_client.post("/api/v1/statuses", {"status": "this week"}, format="json")
    alice.last_login = timezone.now()
    alice.save()
    AccountFactory(date_joined=timezone.now() - timedelta(weeks=3))
    body = anon.get("/api/v1/instance/activity").json()
    assert len(body) == 12
    assert all(set(week) == {"week", "statuses", "logins", "registrations"} for week in body)
    assert all(isinstance(value, str) for week in body for value in week.values())
    starts = [int(week["week"]) for week in body]
    assert starts == sorted(starts, reverse=True)
    assert all(b - a == 7 * 86400 for a, b in zip(starts[1:], starts, strict=False))
    monday = datetime.fromtimestamp(starts[0], UTC)
    assert monday.weekday() == 0 and (monday.hour, monday.minute) == (0, 0)
    assert body[0]["statuses"] == "1"
    assert body[0]["logins"] == "1"
    assert sum(int(week["registrations"]) for week in body) >= 1


def test_languages(anon):
    body = anon.get("/api/v1/instance/languages").json()
    codes = [entry["code"] for entry in body]
    assert "en" in codes and "pt-BR" in codes
    assert all(set(entry) == {"code", "name"} for entry in body)


def test_extended_description_and_privacy_policy(anon, settings):
    assert anon.get("/api/v1/instance/extended_description").json() == {
        "updated_at": "2026-01-01T00:00:00.000Z", "content": ""}
    policy = anon.get("/api/v1/instance/privacy_policy").json()
    assert set(policy) == {"updated_at", "content"}
    assert policy["content"].startswith("<p>")
    settings.INSTANCE_EXTENDED_DESCRIPTION = "<p>About us</p>"
    assert anon.get("/api/v1/instance/extended_description").json()["content"] == "<p>About us</p>"

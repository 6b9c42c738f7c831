"""Text PostgreSQL cannot hold (a NUL) or UTF-8 cannot encode (a lone surrogate) is refused by
every SelfCommunity route with a 400 naming the field, before it reaches SQL; nothing is written.
(`GET /api/v2/moderation/contribution/?content=%00` was psycopg's DataError, a 500.)"""

import json

import pytest

from statuses import services
from statuses.models import Status
from statuses.services.feedback import contribution_flag

NUL = {"code": "null_characters_not_allowed", "message": "Null characters are not allowed."}


def surrogate(point: str) -> dict:
    return {"code": "surrogate_characters_not_allowed",
            "message": f"Surrogate characters are not allowed: U+{point}."}


def refused(response, field: str, message: dict = NUL):
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"errors": [{"field": field, "messages": [message]}]}


@pytest.fixture
def mod(sc_client, moderator):
    return sc_client(moderator)


@pytest.mark.parametrize("field", ["content", "author", "flagged_by", "order_by",
                                   "contribution_type", "moderation_status"])
def test_moderation_filters_refuse_a_nul(mod, alice, bob, field):
    status = services.status_create(account=alice, text="spam spam")
    contribution_flag(account=bob, status_id=status.pk, flag_type=0)
    refused(mod.get("/api/v2/moderation/contribution/", {field: "spa\x00m"}), field)
    # The same filter without the NUL is answered.
    assert mod.get("/api/v2/moderation/contribution/", {"content": "spam"}).status_code == 200


@pytest.mark.parametrize(("path", "param"), [
    ("/api/v2/status/", "ordering"),
    ("/api/v2/status/search/", "search"),
    ("/api/v2/feed/", "limit"),
    ("/api/v2/comment/", "status"),
    ("/api/v2/user/tag/tags_to_address_a_contribution/", "search"),
    ("/api/v2/category/", "search"),
])
def test_list_parameters_refuse_a_nul(sc, path, param):
    refused(sc.get(path, {param: "a\x00b"}), param)


def test_status_body_with_a_nul_is_refused_and_writes_nothing(sc, alice):
    before = Status.objects.count()
    response = sc.post("/api/v2/status/", {"action": None, "text": "<p>hi\x00there</p>",
                                           "categories": []}, format="json")
    refused(response, "text")
    assert Status.objects.count() == before


def test_status_body_with_a_lone_surrogate_is_refused(sc):
    before = Status.objects.count()
    body = json.dumps({"action": None, "text": "<p>\ud83d broken</p>", "categories": []})
    assert "\\ud83d" in body  # sent escaped, as a browser's JSON.stringify would
    response = sc.generic("POST", "/api/v2/status/", body.encode(),
                          content_type="application/json")
    refused(response, "text", surrogate("D83D"))
    assert Status.objects.count() == before


def test_nested_fields_are_named_by_their_path(sc):
    response = sc.post("/api/v2/status/", {"action": None, "text": "<p>fine</p>",
                                           "categories": [], "location": {"location": "x\x00"}},
                       format="json")
    refused(response, "location.location")
    response = sc.post("/api/v2/status/", {"action": None, "text": "<p>fine</p>",
                                           "categories": ["1", "2\x00"]}, format="json")
    refused(response, "categories.1")


def test_form_bodies_are_checked_too(sc, alice):
    status = services.status_create(account=alice, text="a status")
    before = Status.objects.count()
    response = sc.post("/api/v2/comment/", {"status": str(status.pk), "text": "a\x00b"})
    refused(response, "text")
    assert Status.objects.count() == before


def test_edit_with_a_nul_changes_nothing(sc, alice):
    created = sc.post("/api/v2/status/", {"action": None, "text": "<p>first words</p>",
                                          "categories": []}, format="json").json()
    response = sc.put(f"/api/v2/status/{created['id']}/", {"text": "<p>new\x00words</p>"},
                      format="json")
    refused(response, "text")
    assert Status.objects.get(pk=created["id"]).text == "<p>first words</p>"


def test_ten_kilobyte_filters_are_answered(mod, alice, bob):
    status = services.status_create(account=alice, text="spam")
    contribution_flag(account=bob, status_id=status.pk, flag_type=0)
    for field in ("content", "author", "flagged_by"):
        response = mod.get("/api/v2/moderation/contribution/", {field: "x" * 10_000})
        assert response.status_code == 200, (field, response.content)
        assert response.json()["count"] == 0

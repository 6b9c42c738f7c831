"""Every query parameter of every list, in both dialects, with text the database cannot hold and
text it can hold but was never meant to get: a NUL, the bytes of a lone surrogate, 10 KB, digits
that are not ASCII. The
operations and their parameters come from the served description, so a new list is walked as
soon as it is described (and test_openapi.py fails while it is not).

- A NUL is refused before it reaches SQL, naming the parameter: Mastodon 422 "Validation failed:
  <Name> contains a null byte", SelfCommunity 400 `{"field": name, ...}`.
- The other values get an answer the operation documents, in the dialect's envelope: never a
  5xx (psycopg's DataError was one)."""

import json
from urllib.parse import quote

import pytest
from rest_framework.test import APIClient

from statuses import services
from statuses.services.feedback import contribution_flag

NUL_SC = {"code": "null_characters_not_allowed", "message": "Null characters are not allowed."}
# The UTF-8 encoding of U+D800, which no valid UTF-8 holds: Django decodes it with replacement.
SURROGATE_BYTES = "%ED%A0%80"
# Digits Python's str.isdigit() accepts but int() does not (superscript one) or does (Arabic-Indic
# three): `limit=¹` on /api/v1/follow_requests was a 500, found by tests/api/test_fuzz.py.
UNICODE_DIGITS = quote("¹٣")
VALUES = {"nul": quote("a\x00b"), "surrogate": "a" + SURROGATE_BYTES + "b",
          "ten_kb": "x" * 10_000, "unicode_digits": UNICODE_DIGITS,
          "signed_unicode_digits": "-" + UNICODE_DIGITS}


def _description() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


DESCRIPTION = _description()
LISTS = sorted(
    (path, parameter["name"])
    for path, item in DESCRIPTION["paths"].items()
    for method, operation in item.items() if method == "get"
    for parameter in operation.get("parameters", []) if parameter["in"] == "query"
)


def humanize(name: str) -> str:
    text = name.replace("_", " ")
    return text[:1].upper() + text[1:]


@pytest.fixture
def world(alice, bob, moderator, make_token):
    status = services.status_create(account=alice, text="a fox #fox")
    contribution_flag(account=bob, status_id=status.pk, flag_type=0)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(moderator)}")
    # The moderator's list holding themself, so that the list timeline's parameters are read.
    from lists.models import ListMember, UserList
    own_list = UserList.objects.create(account=moderator, title="walked")
    ListMember.objects.create(list=own_list, account=moderator)
    return {"client": client, "id": status.pk, "account_id": alice.pk, "hashtag": "fox",
            "list_id": own_list.pk}


def _call(world, path: str, name: str, value: str):
    url = path.format(id=world["id"], account_id=world["account_id"], hashtag=world["hashtag"],
                      group_key="favourite-1-1", list_id=world["list_id"])
    params = {"status": str(world["id"]), "contribution_type": "status"}
    params.pop(name, None)
    query = "&".join([f"{k}={v}" for k, v in params.items()] + [f"{name}={value}"])
    return world["client"].get(url, QUERY_STRING=query)


def _documented(path: str) -> set[int]:
    return {int(code) for code in DESCRIPTION["paths"][path]["get"]["responses"]}


def test_every_list_parameter_is_walked():
    """Not vacuous: the description lists the parameters of both dialects' lists."""
    names = {(path.split("/")[2], name) for path, name in LISTS}
    assert ("v1", "max_id") in names and ("v2", "offset") in names
    assert ("/api/v2/moderation/contribution/", "content") in LISTS
    assert len(LISTS) >= 100


@pytest.mark.parametrize(("path", "name"), LISTS)
def test_a_nul_in_a_list_parameter_is_refused_naming_it(world, path, name):
    response = _call(world, path, name, VALUES["nul"])
    assert response["Content-Type"] == "application/json; charset=utf-8"
    if path.endswith("/"):
        assert response.status_code == 400, response.content
        assert response.json() == {"errors": [{"field": name, "messages": [NUL_SC]}]}
    else:
        assert response.status_code == 422, response.content
        assert response.json() == {
            "error": f"Validation failed: {humanize(name)} contains a null byte"}


@pytest.mark.parametrize("value", ["surrogate", "ten_kb", "unicode_digits",
                                   "signed_unicode_digits"])
@pytest.mark.parametrize(("path", "name"), LISTS)
def test_odd_text_in_a_list_parameter_gets_a_documented_answer(world, path, name, value):
    response = _call(world, path, name, VALUES[value])
    assert response.status_code < 500, response.content[:300]
    assert response.status_code in _documented(path), (response.status_code,
                                                       response.content[:300])
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = json.loads(response.content)
    if response.status_code >= 400:
        assert set(body) == ({"errors"} if path.endswith("/") else {"error"}), body

"""The FilterSets of SelfCommunity's moderation lists (moderation/selfcommunity/filters.py): the
queue's eight filters and its paging, a contribution's flags and its moderation status clean
as DRF would, a refused value is named in DRF's words (`"x" is not a valid choice.`), and
through the view it is a 400 in the dialect's envelope naming it."""

from urllib.parse import quote

import pytest

from moderation.selfcommunity import filters
from statuses import services
from statuses.services.feedback import contribution_flag
from tests.api.filtersets import cleaned, refused

QUEUE = filters.ContributionsFilterSet
FLAGS = filters.ContributionFlagsFilterSet
STATUS = filters.ContributionStatusFilterSet
INVALID = ("invalid", "A valid integer is required.")
REQUIRED = ("required", "This field is required.")


def choice(value) -> tuple[str, str]:
    return ("invalid_choice", f'"{value}" is not a valid choice.')


def at_least(limit: int) -> tuple[str, str]:
    return ("min_value", f"Ensure this value is greater than or equal to {limit}.")


# --- the queue --------------------------------------------------------------------------------

def test_the_queue_cleans_nothing_to_nothing():
    assert cleaned(QUEUE) == {
        "limit": 20, "offset": 0, "contribution_type": None, "min_flags": None,
        "contribution_id": None, "author": None, "flagged_by": None, "content": None,
        "moderation_status": None, "order_by": "-last_flagged_at"}


@pytest.mark.parametrize("value", ["status", "comment", "post", "discussion"])
def test_the_queue_contribution_type_is_a_choice(value):
    assert cleaned(QUEUE, f"contribution_type={value}")["contribution_type"] == value


@pytest.mark.parametrize("value", ["video", "Status", "status ", "x" * 300])
def test_the_queue_refuses_other_contribution_types(value):
    assert refused(QUEUE, f"contribution_type={quote(value)}") == {
        "contribution_type": [choice(value)]}


def test_the_queue_min_flags_is_a_non_negative_integer():
    assert cleaned(QUEUE, "min_flags=")["min_flags"] is None
    assert cleaned(QUEUE, "min_flags=0")["min_flags"] == 0
    assert cleaned(QUEUE, "min_flags=%203")["min_flags"] == 3
    assert refused(QUEUE, "min_flags=-1") == {"min_flags": [at_least(0)]}
    assert refused(QUEUE, "min_flags=x") == {"min_flags": [INVALID]}


def test_the_queue_contribution_id_is_at_least_1():
    assert cleaned(QUEUE, "contribution_id=1")["contribution_id"] == 1
    assert refused(QUEUE, "contribution_id=0") == {"contribution_id": [at_least(1)]}
    assert refused(QUEUE, "contribution_id=one") == {"contribution_id": [INVALID]}


@pytest.mark.parametrize("name", ["author", "flagged_by", "content"])
def test_the_queue_text_filters_are_taken_as_given(name):
    assert cleaned(QUEUE, f"{name}=")[name] is None
    assert cleaned(QUEUE, f"{name}=Al%20")[name] == "Al "


def test_the_queue_moderation_status_is_a_choice():
    for value in ("open", "ignored", "hidden", "deleted"):
        assert cleaned(QUEUE, f"moderation_status={value}")["moderation_status"] == value
    assert refused(QUEUE, "moderation_status=gone") == {"moderation_status": [choice("gone")]}


def test_the_queue_order_by_names_an_ordering_either_way():
    for value in ("last_flagged_at", "-last_flagged_at", "flag_count", "-flag_count",
                  "last_moderated_at", "-last_moderated_at"):
        assert cleaned(QUEUE, f"order_by={value}")["order_by"] == value
    assert cleaned(QUEUE, "order_by=")["order_by"] == "-last_flagged_at"
    assert refused(QUEUE, "order_by=author") == {"order_by": [choice("author")]}
    # A `%` in the value is text to show, not a format.
    assert refused(QUEUE, "order_by=50%25s%25(x)d") == {"order_by": [choice("50%s%(x)d")]}


def test_the_queue_names_every_refused_parameter_in_order():
    assert refused(QUEUE, "order_by=x&limit=-1&moderation_status=y&min_flags=z") == {
        "limit": [at_least(0)], "min_flags": [INVALID],
        "moderation_status": [choice("y")], "order_by": [choice("x")]}


# --- a contribution's flags and status --------------------------------------------------------

@pytest.mark.parametrize("filterset", [FLAGS, STATUS], ids=lambda f: f.__name__)
def test_contribution_type_is_required(filterset):
    assert cleaned(filterset, "contribution_type=comment")["contribution_type"] == "comment"
    assert refused(filterset, "") == {"contribution_type": [REQUIRED]}
    assert refused(filterset, "contribution_type=") == {"contribution_type": [REQUIRED]}
    assert refused(filterset, "contribution_type=poll") == {
        "contribution_type": [choice("poll")]}


def test_flags_flag_type_is_one_of_the_flag_types():
    def flag_type(value):
        return cleaned(FLAGS, f"contribution_type=status&flag_type={value}")["flag_type"]

    assert flag_type("") is None
    assert [flag_type(str(n)) for n in range(5)] == [0, 1, 2, 3, 4]
    # Named as the integer it reads as.
    assert refused(FLAGS, "contribution_type=status&flag_type=07") == {
        "flag_type": [choice(7)]}
    assert refused(FLAGS, "contribution_type=status&flag_type=-1") == {
        "flag_type": [choice(-1)]}
    assert refused(FLAGS, "contribution_type=status&flag_type=spam") == {
        "flag_type": [INVALID]}


def test_flags_page_as_every_list():
    params = cleaned(FLAGS, "contribution_type=status&limit=500&offset=3")
    assert (params["limit"], params["offset"]) == (100, 3)
    assert refused(FLAGS, "contribution_type=status&limit=x") == {"limit": [INVALID]}


# --- end to end -------------------------------------------------------------------------------

BASE = "/api/v2/moderation/contribution/"


@pytest.fixture
def mod(sc_client, moderator):
    return sc_client(moderator)


@pytest.fixture
def flagged(alice, bob):
    status = services.status_create(account=alice, text="buy cheap watches")
    contribution_flag(account=bob, status_id=status.pk, flag_type=0)
    return status


@pytest.mark.parametrize(("path", "query", "field", "error"), [
    ("", "contribution_type=video", "contribution_type", choice("video")),
    ("", "min_flags=-2", "min_flags", at_least(0)),
    ("", "contribution_id=abc", "contribution_id", INVALID),
    ("", "moderation_status=closed", "moderation_status", choice("closed")),
    ("", "order_by=-content", "order_by", choice("-content")),
    ("", "offset=x", "offset", INVALID),
    ("{id}/flag/", "", "contribution_type", REQUIRED),
    ("{id}/flag/", "contribution_type=status&flag_type=9", "flag_type", choice(9)),
    ("{id}/flag/", "contribution_type=status&limit=-1", "limit", at_least(0)),
    ("{id}/status/", "contribution_type=status%20", "contribution_type", choice("status ")),
])
def test_a_bad_value_is_a_400_naming_its_parameter(mod, flagged, path, query, field, error):
    response = mod.get(BASE + path.format(id=flagged.pk) + "?" + query)
    assert response.status_code == 400, response.content
    code, message = error
    assert response.json() == {
        "errors": [{"field": field, "messages": [{"code": code, "message": message}]}]}


def test_the_queue_reads_what_its_filterset_cleans(mod, flagged, alice, carol):
    other = services.status_create(account=alice, text="a second one")
    contribution_flag(account=carol, status_id=other.pk, flag_type=1)
    contribution_flag(account=carol, status_id=flagged.pk, flag_type=1)

    def ids(query):
        response = mod.get(f"{BASE}?{query}")
        assert response.status_code == 200, response.content
        return [item["contribution"]["id"] for item in response.json()["results"]]

    assert ids("") == [flagged.pk, other.pk]
    assert ids("order_by=flag_count") == [other.pk, flagged.pk]
    assert ids("min_flags=2") == [flagged.pk]
    assert ids("content=second") == [other.pk]
    assert ids("limit=1&offset=1") == [other.pk]
    flags = mod.get(f"{BASE}{flagged.pk}/flag/?contribution_type=status&flag_type=1").json()
    assert [f["user"]["username"] for f in flags["results"]] == ["carol"]
    status = mod.get(f"{BASE}{flagged.pk}/status/?contribution_type=status").json()
    assert status["status"] == "open"

"""The FilterSets of the SelfCommunity status lists (statuses/selfcommunity/filters.py): every
declared parameter cleans as DRF would (valid, malformed, absent, at the bounds), a refused
value names its parameter in DRF's words, and through the view it is a 400 in the dialect's
envelope naming it."""

from urllib.parse import quote

import pytest

from categories.models import Reaction
from statuses import services
from statuses.selfcommunity import filters
from tests.api.filtersets import cleaned, refused

PAGED = [
    filters.StatusListFilterSet, filters.SearchFilterSet, filters.UncommentedFilterSet,
    filters.FollowingFilterSet, filters.SuspendedFilterSet, filters.ContributorsFilterSet,
    filters.SharesFilterSet, filters.SharesUsersFilterSet, filters.RelatedFilterSet,
    filters.FeedFilterSet, filters.CommentsFilterSet, filters.VotesFilterSet,
    filters.FlagsFilterSet,
]
INVALID = ("invalid", "A valid integer is required.")
AT_LEAST_0 = ("min_value", "Ensure this value is greater than or equal to 0.")
REQUIRED = ("required", "This field is required.")
OTHER = ("invalid", "Only comments of statuses, posts and discussions are served here.")
ONE_OF = ("invalid", "Give exactly one of status, post and discussion.")


def _query(filterset, extra: str = "") -> str:
    """`extra`, plus what the FilterSet requires to be valid (a comment list's status)."""
    needed = "status=7" if filterset is filters.CommentsFilterSet else ""
    return "&".join(part for part in (needed, extra) if part)


def envelope(field: str, code: str, message: str) -> dict:
    return {"errors": [{"field": field, "messages": [{"code": code, "message": message}]}]}


# --- limit and offset -------------------------------------------------------------------------

@pytest.mark.parametrize("filterset", PAGED, ids=lambda f: f.__name__)
def test_limit_is_drf_limit_offset_pagination_refusing_malformed_values(filterset):
    def limit(value=None):
        return cleaned(filterset, _query(filterset, "" if value is None else f"limit={value}"))[
            "limit"]

    assert limit() == 20
    assert limit("") == 20
    assert limit("0") == 20
    assert limit("1") == 1
    assert limit("%207%20") == 7
    assert limit("100") == 100
    assert limit("101") == 100
    assert limit("99999999999999999999") == 100
    assert limit("1&limit=5") == 5  # the last one given
    for bad in ("x", "1.5", "1e3", quote("¹"), "x" * 10_000, "%2B%2B1"):
        assert refused(filterset, _query(filterset, f"limit={bad}")) == {"limit": [INVALID]}
    assert refused(filterset, _query(filterset, "limit=-1")) == {"limit": [AT_LEAST_0]}


@pytest.mark.parametrize("filterset", PAGED, ids=lambda f: f.__name__)
def test_offset_is_drf_limit_offset_pagination_refusing_malformed_values(filterset):
    def offset(value=None):
        return cleaned(filterset, _query(filterset, "" if value is None else f"offset={value}"))[
            "offset"]

    assert offset() == 0
    assert offset("") == 0
    assert offset("0") == 0
    assert offset("40") == 40
    assert offset("9" * 30) == 2**62
    for bad in ("x", "4.0", quote("¹")):
        assert refused(filterset, _query(filterset, f"offset={bad}")) == {"offset": [INVALID]}
    assert refused(filterset, _query(filterset, "offset=-20")) == {"offset": [AT_LEAST_0]}


@pytest.mark.parametrize("filterset", PAGED, ids=lambda f: f.__name__)
def test_every_refused_parameter_is_named_at_once(filterset):
    assert refused(filterset, _query(filterset, "limit=x&offset=-1")) == {
        "limit": [INVALID], "offset": [AT_LEAST_0]}


# --- the status list, search ------------------------------------------------------------------

def test_status_list_ordering_falls_back_to_the_default():
    def ordering(query=""):
        return cleaned(filters.StatusListFilterSet, query)["ordering"]

    assert ordering() == ("-created_at", "-id")
    assert ordering("ordering=") == ("-created_at", "-id")
    assert ordering("ordering=bogus") == ("-created_at", "-id")
    assert ordering("ordering=added_at") == ("created_at", "id")
    assert ordering("ordering=-added_at") == ("-created_at", "-id")
    assert ordering("ordering=last_activity_at") == ("last_activity_at", "id")
    assert ordering("ordering=-last_activity_at") == ("-last_activity_at", "-id")
    assert ordering("ordering=%20-added_at") == ("-created_at", "-id")


def test_search_is_text_as_given():
    assert cleaned(filters.SearchFilterSet)["search"] is None
    assert cleaned(filters.SearchFilterSet, "search=")["search"] is None
    assert cleaned(filters.SearchFilterSet, "search=Fox%20cub")["search"] == "Fox cub"
    assert cleaned(filters.SearchFilterSet, "search=%20%20")["search"] == "  "


# --- comments ---------------------------------------------------------------------------------

def test_comments_status_is_an_id():
    # Which one of status, post and discussion is required is the view's business (one of
    # three; the rows of test_a_bad_value_is_a_400_naming_its_parameter).
    filterset = filters.CommentsFilterSet
    assert cleaned(filterset, "status=12")["status"] == 12
    assert cleaned(filterset, "status=")["status"] is None
    for bad in ("abc", "0", "-3", "1.0", quote("١٢"), "9223372036854775808"):
        assert refused(filterset, f"status={bad}") == {"status": [INVALID]}, bad


def test_comments_parent_is_an_optional_id():
    filterset = filters.CommentsFilterSet
    assert cleaned(filterset, "status=1")["parent"] is None
    assert cleaned(filterset, "status=1&parent=")["parent"] is None
    assert cleaned(filterset, "status=1&parent=9")["parent"] == 9
    for bad in ("abc", "0", "-9"):
        assert refused(filterset, f"status=1&parent={bad}") == {"parent": [INVALID]}


def test_comments_ordering_keeps_the_parts_it_knows():
    def ordering(query=""):
        return cleaned(filters.CommentsFilterSet, f"status=1&{query}")["ordering"]

    assert ordering() == ["added_at"]
    assert ordering("ordering=bogus") == ["added_at"]
    assert ordering("ordering=-added_at") == ["-added_at"]
    assert ordering("ordering=connection,-added_at,bogus") == ["connection", "-added_at"]


def test_comments_of_a_user_are_refused():
    filterset = filters.CommentsFilterSet
    assert cleaned(filterset, "status=1&user=")["user"] is None
    assert refused(filterset, "status=1&user=4") == {"user": [OTHER]}


@pytest.mark.parametrize("name", ["status", "post", "discussion"])
def test_comments_of_a_contribution_of_each_type_are_an_optional_id(name):
    filterset = filters.CommentsFilterSet
    assert cleaned(filterset, f"{name}=4")[name] == 4
    assert cleaned(filterset, "")[name] is None
    assert refused(filterset, f"{name}=x") == {name: [INVALID]}


# --- votes ------------------------------------------------------------------------------------

def test_votes_reaction_is_an_optional_id():
    filterset = filters.VotesFilterSet
    assert cleaned(filterset)["reaction"] is None
    assert cleaned(filterset, "reaction=")["reaction"] is None
    assert cleaned(filterset, "reaction=3")["reaction"] == 3
    for bad in ("abc", "-1", "0", quote("３")):
        assert refused(filterset, f"reaction={bad}") == {"reaction": [INVALID]}


# --- end to end -------------------------------------------------------------------------------

@pytest.fixture
def status(alice):
    return services.status_create(account=alice, text="a fox status")


@pytest.mark.parametrize(("path", "query", "field", "code", "message"), [
    ("/api/v2/status/", "limit=x", "limit", *INVALID),
    ("/api/v2/status/", "offset=-1", "offset", *AT_LEAST_0),
    ("/api/v2/status/search/", "search=fox&limit=1.5", "limit", *INVALID),
    ("/api/v2/status/uncommented/", "offset=a", "offset", *INVALID),
    ("/api/v2/status/following/", "limit=-4", "limit", *AT_LEAST_0),
    ("/api/v2/status/suspended/", "limit=z", "limit", *INVALID),
    ("/api/v2/status/{id}/contributors/", "limit=z", "limit", *INVALID),
    ("/api/v2/status/{id}/shares/", "offset=z", "offset", *INVALID),
    ("/api/v2/status/{id}/shares_users/", "limit=z", "limit", *INVALID),
    ("/api/v2/status/{id}/related/", "offset=-2", "offset", *AT_LEAST_0),
    ("/api/v2/status/{id}/vote/", "reaction=abc", "reaction", *INVALID),
    ("/api/v2/status/{id}/flag/", "limit=z", "limit", *INVALID),
    ("/api/v2/feed/", "limit=z", "limit", *INVALID),
    ("/api/v2/feed/explore/", "offset=z", "offset", *INVALID),
    ("/api/v2/comment/", "status=abc", "status", *INVALID),
    ("/api/v2/comment/", "", "status", *REQUIRED),
    ("/api/v2/comment/", "status=", "status", *REQUIRED),
    ("/api/v2/comment/", "status={id}&parent=x", "parent", *INVALID),
    ("/api/v2/comment/", "status={id}&user=3", "user", *OTHER),
    ("/api/v2/comment/", "status={id}&post=3", "post", *ONE_OF),
    ("/api/v2/comment/", "post=abc", "post", *INVALID),
    ("/api/v2/comment/", "status={id}&limit=x", "limit", *INVALID),
])
def test_a_bad_value_is_a_400_naming_its_parameter(sc, status, path, query, field, code,
                                                   message):
    url = path.format(id=status.pk) + "?" + query.format(id=status.pk)
    response = sc.get(url)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == envelope(field, code, message)


def test_a_comment_vote_list_reads_its_reaction(sc, sc_client, bob, status):
    comment = services.status_create(account=bob, text="a comment", in_reply_to_id=status.pk,
                                     in_reply_to_given=True)
    like, love = (Reaction.objects.get(label=label) for label in ("Like", "Love"))
    services.status_favourite(account=bob, status_id=comment.pk)
    base = f"/api/v2/comment/{comment.pk}/vote/"
    assert sc.get(base).json()["count"] == 1
    assert sc.get(f"{base}?reaction={like.pk}").json()["count"] == 1
    assert sc.get(f"{base}?reaction={love.pk}").json()["count"] == 0
    assert sc.get(f"{base}?reaction=x").json() == envelope("reaction", *INVALID)


def test_the_lists_read_what_their_filtersets_clean(sc, alice):
    made = [services.status_create(account=alice, text=f"fox {n}").pk for n in range(3)]

    def ids(query):
        response = sc.get(f"/api/v2/status/?{query}")
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["results"]]

    assert ids("") == made[::-1]
    assert ids("limit=0") == made[::-1]
    assert ids("limit=1&offset=1") == [made[1]]
    assert ids("ordering=added_at&limit=2") == made[:2]
    assert ids("ordering=nonsense") == made[::-1]
    body = sc.get("/api/v2/status/search/?search=fox&limit=2").json()
    assert body["count"] == 3 and len(body["results"]) == 2

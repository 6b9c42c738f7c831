"""The FilterSets of the Mastodon status lists (statuses/mastodon/filters.py): every declared
parameter cleans as Rails casts it (valid, malformed, absent, at the bounds), nothing is
refused, and the lists answer with what was cleaned, end to end."""

from urllib.parse import quote

import pytest

from config.api.mastodon import MastodonViewSet, mastodon_exception_handler
from config.api.selfcommunity_filters import IntegerFilter
from statuses import services
from statuses.mastodon import filters
from tests.api.filtersets import bound, cleaned

PAGED = {  # FilterSet -> (default limit, maximum, takes min_id)
    filters.HomeTimelineFilterSet: (20, 40, True),
    filters.PublicTimelineFilterSet: (20, 40, True),
    filters.TagTimelineFilterSet: (20, 40, True),
    filters.AccountStatusesFilterSet: (20, 40, True),
    filters.FavouritesFilterSet: (20, 40, True),
    filters.BookmarksFilterSet: (20, 40, True),
    filters.ScheduledStatusesFilterSet: (20, 40, True),
    filters.QuotesFilterSet: (20, 40, False),
    filters.StatusAccountsFilterSet: (40, 80, False),
}
BOOLEANS = {
    filters.PublicTimelineFilterSet: ("local", "remote", "only_media"),
    filters.TagTimelineFilterSet: ("local", "remote", "only_media"),
    filters.AccountStatusesFilterSet: ("pinned", "exclude_replies", "exclude_reblogs",
                                       "only_media"),
}
ALL = [*PAGED, filters.StatusesFilterSet]
GARBAGE = ["abc", "-1", "0", "1e9", "99999999999999999999999", "1;DROP TABLE x", "１２", "¹٣",
           "", " ", "null", "[]", "\u202e", "9" * 400, "x" * 10_000]


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [int(item["id"]) for item in response.json()]


# --- limit ------------------------------------------------------------------------------------

@pytest.mark.parametrize("filterset", PAGED, ids=lambda f: f.__name__)
def test_limit_is_rails_limit_param(filterset):
    default, maximum, _ = PAGED[filterset]
    assert cleaned(filterset)["limit"] == default
    assert cleaned(filterset, "limit=")["limit"] == default
    assert cleaned(filterset, "limit=5")["limit"] == 5
    assert cleaned(filterset, f"limit={maximum}")["limit"] == maximum
    assert cleaned(filterset, f"limit={maximum + 1}")["limit"] == maximum
    assert cleaned(filterset, "limit=100000000000000000000000")["limit"] == maximum
    # Ruby's to_i: leading spaces and a sign, then ASCII digits up to the first other character.
    assert cleaned(filterset, "limit=%20%207x")["limit"] == 7
    assert cleaned(filterset, "limit=-3")["limit"] == 3
    assert cleaned(filterset, "limit=%2B4")["limit"] == 4
    assert cleaned(filterset, "limit=2.9")["limit"] == 2
    # Nothing to read is 0, an empty page; never refused.
    for nothing in ("abc", "0", quote("١٢"), quote("¹"), "null"):
        assert cleaned(filterset, f"limit={nothing}")["limit"] == 0, nothing
    # A repeated scalar: the last one, as Rack keeps it.
    assert cleaned(filterset, "limit=1&limit=3")["limit"] == 3


# --- cursors ----------------------------------------------------------------------------------

@pytest.mark.parametrize("filterset", PAGED, ids=lambda f: f.__name__)
def test_cursors_are_row_ids_or_ignored(filterset):
    names = ["max_id", "since_id"] + (["min_id"] if PAGED[filterset][2] else [])
    assert set(filterset.base_filters) >= set(names)
    for name in names:
        assert cleaned(filterset)[name] is None
        assert cleaned(filterset, f"{name}=")[name] is None
        assert cleaned(filterset, f"{name}=123")[name] == 123
        assert cleaned(filterset, f"{name}=9223372036854775807")[name] == 2**63 - 1
        for ignored in ("abc", "0", "-5", "9223372036854775808", quote("１２"), "1e3"):
            assert cleaned(filterset, f"{name}={ignored}")[name] is None, (name, ignored)


def test_lists_paged_by_max_id_take_no_min_id():
    """Mastodon pages these with paginate_by_max_id: a min_id is not theirs to read."""
    for filterset in (filters.QuotesFilterSet, filters.StatusAccountsFilterSet):
        assert "min_id" not in cleaned(filterset, "min_id=5")


# --- booleans, strings, arrays ----------------------------------------------------------------

@pytest.mark.parametrize("filterset", list(BOOLEANS), ids=lambda f: f.__name__)
def test_booleans_follow_activemodel(filterset):
    for name in BOOLEANS[filterset]:
        assert cleaned(filterset)[name] is None
        assert cleaned(filterset, f"{name}=")[name] is None
        assert cleaned(filterset, f"{name}=%20")[name] is None
        for false in ("0", "f", "false", "FALSE", "off", "no", "%20No%20"):
            assert cleaned(filterset, f"{name}={false}")[name] is False, (name, false)
        for true in ("1", "true", "t", "yes", "on", "anything", "2"):
            assert cleaned(filterset, f"{name}={true}")[name] is True, (name, true)
        assert cleaned(filterset, f"{name}=true&{name}=false")[name] is False


def test_tag_timeline_takes_arrays_of_hashtags():
    filterset = filters.TagTimelineFilterSet
    for name in ("any", "all", "none"):
        assert cleaned(filterset)[name] == []
        assert cleaned(filterset, f"{name}[]=cats&{name}[]=dogs")[name] == ["cats", "dogs"]
        # A scalar is no array (Rails' strong parameters drop it).
        assert cleaned(filterset, f"{name}=cats")[name] == []


def test_account_statuses_tagged_is_a_string():
    filterset = filters.AccountStatusesFilterSet
    assert cleaned(filterset)["tagged"] is None
    assert cleaned(filterset, "tagged=")["tagged"] is None
    assert cleaned(filterset, "tagged=Fox")["tagged"] == "Fox"
    assert cleaned(filterset, "tagged=%20fox%20")["tagged"] == " fox "


def test_statuses_by_id_keeps_the_ids_that_name_rows():
    filterset = filters.StatusesFilterSet
    assert cleaned(filterset)["id"] == []
    assert cleaned(filterset, "id[]=3&id[]=abc&id[]=0&id[]=-1&id[]=1&id[]=3")["id"] == [3, 1, 3]
    assert cleaned(filterset, "id=3")["id"] == []


@pytest.mark.parametrize("filterset", ALL, ids=lambda f: f.__name__)
@pytest.mark.parametrize("garbage", GARBAGE, ids=range(len(GARBAGE)))
def test_nothing_is_refused(filterset, garbage):
    """Rails' leniency: whatever a parameter holds, the list answers."""
    value = quote(garbage)
    query = "&".join(f"{name}={value}&{name}[]={value}" for name in filterset.base_filters)
    assert bound(filterset, query).is_valid()


# --- end to end -------------------------------------------------------------------------------

@pytest.fixture
def three(alice):
    return [services.status_create(account=alice, text=f"#fox {n}").pk for n in range(3)]


def test_public_timeline_reads_what_its_filterset_cleans(anon, three):
    base = "/api/v1/timelines/public"
    assert _ids(anon.get(f"{base}?limit=2")) == three[:0:-1]
    assert _ids(anon.get(f"{base}?limit=abc")) == []
    assert _ids(anon.get(f"{base}?limit=-1")) == [three[2]]
    assert _ids(anon.get(f"{base}?max_id={three[2]}&limit=1")) == [three[1]]
    assert _ids(anon.get(f"{base}?max_id=abc")) == three[::-1]
    assert _ids(anon.get(f"{base}?min_id={three[0]}&limit=1")) == [three[1]]
    assert _ids(anon.get(f"{base}?only_media=true")) == []
    assert _ids(anon.get(f"{base}?only_media=no")) == three[::-1]


def test_tag_timeline_reads_its_arrays(anon, alice, three):
    cat = services.status_create(account=alice, text="#cat only").pk
    base = "/api/v1/timelines/tag/fox"
    assert _ids(anon.get(base)) == three[::-1]
    assert _ids(anon.get(f"{base}?any[]=cat")) == [cat, *three[::-1]]
    assert _ids(anon.get(f"{base}?any=cat")) == three[::-1]
    assert _ids(anon.get(f"{base}?all[]=cat")) == []


def test_account_statuses_read_their_options(anon, alice, bob, three):
    theirs = services.status_create(account=bob, text="hello").pk
    reply = services.status_create(account=alice, text="a reply", in_reply_to_id=theirs,
                                   in_reply_to_given=True).pk
    base = f"/api/v1/accounts/{alice.pk}/statuses"
    assert _ids(anon.get(base)) == [reply, *three[::-1]]
    assert _ids(anon.get(f"{base}?exclude_replies=1")) == three[::-1]
    assert _ids(anon.get(f"{base}?exclude_replies=0")) == [reply, *three[::-1]]
    assert _ids(anon.get(f"{base}?tagged=fox&limit=1")) == [three[2]]


def test_statuses_by_id_drop_ids_that_name_nothing(anon, three):
    response = anon.get(f"/api/v1/statuses?id[]={three[1]}&id[]=abc&id[]={three[0]}")
    assert _ids(response) == [three[1], three[0]]


def test_favourited_by_ignores_min_id(anon, alice, bob, carol, three):
    for fan in (bob, carol):
        services.status_favourite(account=fan, status_id=three[0])
    base = f"/api/v1/statuses/{three[0]}/favourited_by"
    everyone = _ids(anon.get(base))
    assert everyone == [carol.pk, bob.pk]
    assert _ids(anon.get(f"{base}?min_id=1&limit=1")) == [carol.pk]


def test_a_nul_is_refused_naming_the_parameter(anon):
    response = anon.get("/api/v1/timelines/public?only_media=a%00b")
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: Only media contains a null byte"}


class _Strict(filters.PageFilterSet):
    """A FilterSet that refuses something, which none of Mastodon's lists does."""

    count = IntegerFilter(min_value=0)


def test_a_refused_value_would_be_a_422_naming_the_parameter():
    filterset = bound(_Strict, "count=-2")
    assert not filterset.is_valid()
    response = mastodon_exception_handler(MastodonViewSet().filter_error(filterset), {})
    assert response.status_code == 422
    assert response.data == {
        "error": "Validation failed: Count ensure this value is greater than or equal to 0."}

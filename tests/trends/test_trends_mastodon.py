"""GET /api/v1/trends/statuses, /tags and /links, GET /api/v2/suggestions, DELETE
/api/v1/suggestions/:account_id and GET /api/v1/directory: what the periodic task ranks, what
a request shows (re-checked against the visibility rule), limits, offsets and Link headers,
dismissals, and constant queries at two sizes."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Visibility
from statuses import services
from statuses.models import PreviewCard, Status, Vote
from tests.api.mastodon.expected import STATUS_KEYS
from tests.factories import AccountFactory, BlockFactory, FollowFactory, MuteFactory
from trends.models import SuggestionDismissal, TrendingStatus, TrendingTag
from trends.services import trends_compute

TAG_KEYS = ["id", "name", "url", "history"]
HISTORY_KEYS = ["day", "uses", "accounts"]


def person(name, **extra):
    return AccountFactory(username=name, discoverable=True, **extra)


def post(account, text, **extra):
    return services.status_create(account=account, text=text, **extra)


def favourite(account, status):
    services.status_favourite(account=account, status_id=status.pk)


@pytest.fixture
def people(db):
    return [person(f"p{i}") for i in range(6)]


# --- the ranking ------------------------------------------------------------------------------

def test_statuses_rank_by_recent_interactions_with_decay(people, anon, client_for):
    a, b, c, d, e, f = people
    hot = post(a, "hot #fox")
    warm = post(b, "warm #fox")
    for fan in (c, d, e):
        favourite(fan, hot)
    favourite(c, warm)
    services.status_reblog(account=d, status_id=warm.pk)
    post(e, "reply", in_reply_to_id=warm.pk, in_reply_to_given=True)
    cold = post(f, "nobody cares")
    favourite(f, post(f, "self favourite"))  # the author's own favourite does not count
    # An old status with more interactions decays below the fresh ones.
    old = post(c, "old news")
    for fan in (a, b, d, e, f):
        favourite(fan, old)
    Status.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(hours=30))

    assert trends_compute() == {"statuses": 3, "tags": 1, "links": 0}
    ranked = list(TrendingStatus.objects.order_by("rank").values_list("status_id", flat=True))
    assert ranked == [warm.pk, hot.pk, old.pk]  # 3 = 3 (newer first), 5 halved five times
    assert cold.pk not in ranked

    response = anon.get("/api/v1/trends/statuses")
    assert response.status_code == 200
    body = response.json()
    assert [s["id"] for s in body] == [str(warm.pk), str(hot.pk), str(old.pk)]
    assert "Link" not in response
    assert tuple(client_for(b).get("/api/v1/trends/statuses").json()[0]) == STATUS_KEYS


def test_ineligible_statuses_never_rank(people):
    a, b, c, *_ = people
    shy = AccountFactory(username="shy", discoverable=None)
    statuses = [
        post(a, "unlisted", visibility="unlisted"),
        post(a, "private", visibility="private"),
        post(a, "direct @p1", visibility="direct"),
        post(a, "warned", spoiler_text="cw"),
        post(a, "sensitive", sensitive=True),
        post(shy, "not discoverable"),
    ]
    statuses.append(post(a, "a reply", in_reply_to_id=statuses[0].pk, in_reply_to_given=True))
    for status in statuses:
        Vote.objects.create(status=status, account=b)
        Vote.objects.create(status=status, account=c)
    trends_compute()
    assert not TrendingStatus.objects.exists()


def test_a_status_made_private_since_ranking_never_shows(people, anon, client_for):
    a, b, c, *_ = people
    status = post(a, "was public")
    other = post(b, "stays public")
    favourite(c, status)
    favourite(c, other)
    trends_compute()
    assert TrendingStatus.objects.count() == 2
    Status.objects.filter(pk=status.pk).update(visibility=Visibility.PRIVATE)
    FollowFactory(account=c, target=a)
    for client in (anon, client_for(c), client_for(b)):
        body = client.get("/api/v1/trends/statuses").json()
        assert [s["id"] for s in body] == [str(other.pk)]
    # Even its author does not see it in trends.
    assert [s["id"] for s in client_for(a).get("/api/v1/trends/statuses").json()] == [
        str(other.pk)]


def test_blocked_and_muted_authors_are_left_out_for_the_reader(people, client_for):
    a, b, c, d, *_ = people
    first, second = post(a, "one"), post(b, "two")
    favourite(c, first)
    favourite(c, second)
    trends_compute()
    BlockFactory(account=d, target=a)
    MuteFactory(account=c, target=b)
    assert [s["id"] for s in client_for(d).get("/api/v1/trends/statuses").json()] == [
        str(second.pk)]
    assert [s["id"] for s in client_for(c).get("/api/v1/trends/statuses").json()] == [
        str(first.pk)]


def test_deleted_status_leaves_the_ranking(people, anon):
    a, b, *_ = people
    status = post(a, "soon gone")
    favourite(b, status)
    trends_compute()
    services.status_delete(status=status)
    assert anon.get("/api/v1/trends/statuses").json() == []


def test_limit_offset_and_link_headers(people, anon):
    a, b, *_ = people
    for i in range(5):
        favourite(b, post(a, f"status {i}"))
    trends_compute()
    ids = [str(pk) for pk in TrendingStatus.objects.order_by("rank")
           .values_list("status_id", flat=True)]
    response = anon.get("/api/v1/trends/statuses?limit=2")
    assert [s["id"] for s in response.json()] == ids[:2]
    assert response["Link"] == (
        '<http://testserver/api/v1/trends/statuses?limit=2&offset=2>; rel="next"')
    response = anon.get("/api/v1/trends/statuses?limit=2&offset=4")
    assert [s["id"] for s in response.json()] == ids[4:]
    assert response["Link"] == (
        '<http://testserver/api/v1/trends/statuses?limit=2&offset=2>; rel="prev"')
    response = anon.get("/api/v1/trends/statuses?offset=3")
    assert [s["id"] for s in response.json()] == ids[3:]
    assert "Link" not in response
    # Rails' casting: nonsense is 0, a negative offset the first page, the limit capped at 40.
    assert anon.get("/api/v1/trends/statuses?limit=abc").json() == []
    assert [s["id"] for s in anon.get("/api/v1/trends/statuses?offset=-3").json()] == ids
    assert [s["id"] for s in anon.get("/api/v1/trends/statuses?offset=x&limit=999").json()] == ids
    huge = anon.get("/api/v1/trends/statuses?offset=" + "9" * 40)
    assert (huge.status_code, huge.json()) == (200, [])


def test_tags_rank_with_history(people, anon):
    a, b, c, *_ = people
    for account in (a, b, c):
        post(account, "#Fox in the snow")
    post(a, "#owl at night")
    post(a, "#owl again")
    post(a, "#hidden", visibility="private")
    trends_compute()
    response = anon.get("/api/v1/trends/tags")
    assert response.status_code == 200
    body = response.json()
    assert [t["name"] for t in body] == ["fox", "owl"]
    assert list(body[0]) == TAG_KEYS
    assert body[0]["url"] == "https://duo.example/tags/fox" or body[0]["url"].endswith(
        "/tags/fox")
    history = body[0]["history"]
    assert len(history) == 7 and all(list(day) == HISTORY_KEYS for day in history)
    today = dt.datetime.combine(timezone.now().date(), dt.time.min, tzinfo=dt.UTC)
    assert history[0] == {"day": str(int(today.timestamp())), "uses": "3", "accounts": "3"}
    assert body[1]["history"][0] == {"day": str(int(today.timestamp())), "uses": "2",
                                     "accounts": "1"}
    assert all(day["uses"] == "0" for day in history[1:])
    assert TrendingTag.objects.count() == 2
    response = anon.get("/api/v1/trends/tags?limit=1")
    assert [t["name"] for t in response.json()] == ["fox"]
    assert response["Link"] == '<http://testserver/api/v1/trends/tags?limit=1&offset=1>; rel="next"'


def test_links_are_cards_with_history(people, anon):
    a, b, *_ = people
    card = PreviewCard.objects.create(url="https://example.com/a", url_hash="a" * 64,
                                      title="A page")
    for account in (a, b):
        status = post(account, "see https://example.com/a")
        Status.objects.filter(pk=status.pk).update(card=card)
    hidden = PreviewCard.objects.create(url="https://example.com/b", url_hash="b" * 64,
                                        title="Secret")
    status = post(a, "private https://example.com/b", visibility="private")
    Status.objects.filter(pk=status.pk).update(card=hidden)
    trends_compute()
    body = anon.get("/api/v1/trends/links").json()
    assert [link["url"] for link in body] == ["https://example.com/a"]
    assert body[0]["title"] == "A page"
    assert body[0]["history"][0]["uses"] == "2" and body[0]["history"][0]["accounts"] == "2"
    assert "history" in body[0] and "provider_name" in body[0]


def test_the_command_computes_now(people, capsys):
    a, b, *_ = people
    favourite(b, post(a, "#cmd"))
    call_command("compute_trends")
    assert "Trending: 1 statuses, 1 tags, 0 links." in capsys.readouterr().out
    assert TrendingStatus.objects.count() == 1


def test_the_task_computes(people):
    from trends.tasks import compute_trends

    a, b, *_ = people
    favourite(b, post(a, "task"))
    assert compute_trends.call() == {"statuses": 1, "tags": 0, "links": 0}


@pytest.mark.parametrize("size", [3, 12])
def test_trends_queries_are_constant(people, anon, client_for, django_assert_num_queries, size):
    a, b, c, *_ = people
    for i in range(size):
        status = post(people[i % 3], f"#t{i} status {i} https://example.com/{i}")
        favourite(people[3 + i % 3], status)
        card = PreviewCard.objects.create(url=f"https://example.com/{i}", url_hash=f"{i:064d}")
        Status.objects.filter(pk=status.pk).update(card=card)
    trends_compute()
    reader = client_for(c)
    reader.get("/api/v1/trends/statuses")  # warm the token and render caches alike
    with django_assert_num_queries(6):
        assert len(reader.get("/api/v1/trends/statuses").json()) == size
    with django_assert_num_queries(1):
        assert len(anon.get("/api/v1/trends/tags?limit=20").json()) == size
    with django_assert_num_queries(1):
        assert len(anon.get("/api/v1/trends/links?limit=20").json()) == size


# --- suggestions ------------------------------------------------------------------------------

def test_suggestions_friends_of_friends_then_most_followed(people, client_for):
    me, friend, fof, popular, followed, blocked = people
    FollowFactory(account=me, target=friend)
    FollowFactory(account=me, target=followed)
    FollowFactory(account=friend, target=fof)
    for fan in (AccountFactory(username="fan1"), AccountFactory(username="fan2"), blocked):
        FollowFactory(account=fan, target=popular)
    from accounts.models import Account

    Account.objects.filter(pk=popular.pk).update(followers_count=3)
    BlockFactory(account=me, target=blocked)
    AccountFactory(username="hidden_one", discoverable=False)
    client = client_for(me)
    response = client.get("/api/v2/suggestions")
    assert response.status_code == 200
    body = response.json()
    assert [s["account"]["username"] for s in body] == ["p2", "p3"]
    assert body[0] == {"source": "past_interactions", "sources": ["friends_of_friends"],
                       "account": body[0]["account"]}
    assert body[1]["source"] == "global" and body[1]["sources"] == ["most_followed"]
    assert [s["account"]["username"] for s in client.get(
        "/api/v2/suggestions?limit=1").json()] == ["p2"]

    # The deprecated v1 list: the same accounts, as Account entities.
    v1 = client.get("/api/v1/suggestions?limit=1")
    assert v1.status_code == 200
    assert [a["username"] for a in v1.json()] == ["p2"] and "acct" in v1.json()[0]

    response = client.delete(f"/api/v1/suggestions/{popular.pk}")
    assert (response.status_code, response.json()) == (200, {})
    assert SuggestionDismissal.objects.filter(account=me, target=popular).exists()
    assert [s["account"]["username"] for s in client.get("/api/v2/suggestions").json()] == [
        "p2"]
    # Twice, or an id that names nobody: still 200, nothing more written.
    assert client.delete(f"/api/v1/suggestions/{popular.pk}").status_code == 200
    assert client.delete("/api/v1/suggestions/999999999").status_code == 200
    assert client.delete("/api/v1/suggestions/abc").status_code == 200
    assert SuggestionDismissal.objects.count() == 1


def test_suggestions_need_a_user(anon):
    assert anon.get("/api/v2/suggestions").status_code == 401
    assert anon.delete("/api/v1/suggestions/1").status_code == 401
    assert anon.get("/api/v1/suggestions").status_code == 401


@pytest.mark.parametrize("size", [2, 9])
def test_suggestions_queries_are_constant(people, client_for, django_assert_num_queries, size):
    me = people[0]
    for i in range(size):
        person(f"s{i}")
    client = client_for(me)
    client.get("/api/v2/suggestions")
    with django_assert_num_queries(2):
        assert len(client.get("/api/v2/suggestions").json()) == size + 5


# --- the directory ----------------------------------------------------------------------------

def test_directory_lists_discoverable_accounts(people, anon, client_for):
    a, b, c, d, e, f = people
    AccountFactory(username="private_person", discoverable=None)
    AccountFactory(username="silenced", discoverable=True, silenced_at=timezone.now())
    post(c, "c posted")
    from accounts.models import Account

    Account.objects.filter(pk=c.pk).update(last_status_at=timezone.now().date())
    body = anon.get("/api/v1/directory").json()
    assert [x["username"] for x in body] == ["p2", "p5", "p4", "p3", "p1", "p0"]
    new = anon.get("/api/v1/directory?order=new&local=true&limit=2&offset=1").json()
    assert [x["username"] for x in new] == ["p4", "p3"]
    BlockFactory(account=a, target=b)
    MuteFactory(account=a, target=d)
    mine = client_for(a).get("/api/v1/directory?order=new").json()
    assert [x["username"] for x in mine] == ["p5", "p4", "p2"]
    assert "Link" not in anon.get("/api/v1/directory?limit=1")


@pytest.mark.parametrize("size", [2, 9])
def test_directory_queries_are_constant(db, anon, django_assert_num_queries, size):
    for i in range(size):
        person(f"d{i}")
    with django_assert_num_queries(1):
        assert len(anon.get("/api/v1/directory").json()) == size

"""Mastodon 4.5's filters: /api/v2/filters with keywords and statuses, the v1 view, the
`filtered` FilterResults every status shown to the owner carries, `hide` leaving the home and
public timelines, threads and notifications, `filters_changed`, and constant queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config import events
from filters.matching import compile_keywords
from filters.models import Filter, FilterKeyword, FilterStatus
from statuses import render_cache, services
from statuses.services.interactions import status_reblog
from tests.factories import AccountFactory, FollowFactory

NOT_FOUND = {"error": "Record not found"}
FILTER_KEYS = ["id", "title", "context", "expires_at", "filter_action", "keywords", "statuses"]
V1_KEYS = ["id", "phrase", "context", "whole_word", "expires_at", "irreversible"]


@pytest.fixture(autouse=True)
def _fresh_renderings():
    render_cache.CACHE.clear()
    yield
    render_cache.CACHE.clear()


def post(account, text, **extra):
    return services.status_create(account=account, text=text, **extra)


def make_filter(client, **body):
    body = {"title": "Spoilers", "context": ["home", "public"], **body}
    response = client.post("/api/v2/filters", body, format="json")
    assert response.status_code == 200, response.content
    return response.json()


# --- CRUD -------------------------------------------------------------------------------------

def test_create_answers_the_filter_with_its_keywords(alice, alice_client):
    body = make_filter(alice_client, filter_action="hide", expires_in=3600, keywords_attributes=[
        {"keyword": "dune", "whole_word": True}, {"keyword": "arrakis", "whole_word": False}])
    assert list(body) == FILTER_KEYS
    row = Filter.objects.get(account=alice)
    assert body["id"] == str(row.pk)
    assert body["title"] == "Spoilers" and body["context"] == ["home", "public"]
    assert body["filter_action"] == "hide"
    assert body["expires_at"].endswith("Z")
    assert row.expires_at - timezone.now() < timedelta(seconds=3601)
    assert [(k["keyword"], k["whole_word"]) for k in body["keywords"]] == [
        ("dune", True), ("arrakis", False)]
    assert all(isinstance(k["id"], str) for k in body["keywords"])
    assert body["statuses"] == []
    assert FilterKeyword.objects.filter(filter=row).count() == 2


def test_create_takes_form_parameters(alice, alice_client):
    response = alice_client.post("/api/v2/filters", {
        "title": "t", "context[]": ["thread"], "keywords_attributes[][keyword]": ["a", "b"],
        "keywords_attributes[][whole_word]": ["false", "true"]})
    assert response.status_code == 200
    body = response.json()
    assert body["context"] == ["thread"] and body["filter_action"] == "warn"
    assert [(k["keyword"], k["whole_word"]) for k in body["keywords"]] == [
        ("a", False), ("b", True)]


@pytest.mark.parametrize("body, message", [
    ({}, "Validation failed: Title can't be blank, Context can't be blank, "
         "Context None or invalid context supplied"),
    ({"title": "x", "context": ["home", "elsewhere"]},
     "Validation failed: Context None or invalid context supplied"),
    ({"title": "x", "context": ["home"], "filter_action": "explode"},
     "Validation failed: Filter action is not included in the list"),
    ({"title": "x", "context": ["home"], "keywords_attributes": [{"keyword": " ",
                                                                  "whole_word": True}]},
     "Validation failed: Keywords keyword can't be blank"),
])
def test_create_refuses_invalid_filters_and_writes_nothing(alice_client, body, message):
    response = alice_client.post("/api/v2/filters", body, format="json")
    assert response.status_code == 422
    assert response.json() == {"error": message}
    assert not Filter.objects.exists() and not FilterKeyword.objects.exists()


def test_list_show_update_and_destroy(alice, alice_client):
    first = make_filter(alice_client, keywords_attributes=[{"keyword": "one"},
                                                           {"keyword": "two"}])
    second = make_filter(alice_client, title="Other")
    listed = alice_client.get("/api/v2/filters")
    assert listed.status_code == 200
    assert [f["id"] for f in listed.json()] == [first["id"], second["id"]]
    shown = alice_client.get(f"/api/v2/filters/{first['id']}")
    assert shown.status_code == 200 and shown.json() == first

    one, two = first["keywords"]
    updated = alice_client.put(f"/api/v2/filters/{first['id']}", {
        "title": "Renamed", "filter_action": "blur", "context": ["notifications"],
        "keywords_attributes": [{"id": one["id"], "keyword": "uno"},
                                {"id": two["id"], "_destroy": True},
                                {"keyword": "three", "whole_word": False}]}, format="json")
    assert updated.status_code == 200
    body = updated.json()
    assert body["title"] == "Renamed" and body["filter_action"] == "blur"
    assert body["context"] == ["notifications"]
    assert [(k["keyword"], k["whole_word"]) for k in body["keywords"]] == [
        ("uno", True), ("three", False)]
    assert body["keywords"][0]["id"] == one["id"]
    assert not FilterKeyword.objects.filter(pk=two["id"]).exists()

    gone = alice_client.delete(f"/api/v2/filters/{first['id']}")
    assert gone.status_code == 200 and gone.json() == {}
    assert not Filter.objects.filter(pk=first["id"]).exists()
    assert not FilterKeyword.objects.filter(filter_id=first["id"]).exists()


def test_update_with_another_filters_keyword_is_404_and_changes_nothing(alice_client):
    first = make_filter(alice_client, keywords_attributes=[{"keyword": "one"}])
    second = make_filter(alice_client, keywords_attributes=[{"keyword": "two"}])
    response = alice_client.put(f"/api/v2/filters/{first['id']}", {
        "title": "Changed", "keywords_attributes": [
            {"id": second["keywords"][0]["id"], "_destroy": True}]}, format="json")
    assert response.status_code == 404 and response.json() == NOT_FOUND
    assert Filter.objects.get(pk=first["id"]).title == "Spoilers"
    assert FilterKeyword.objects.count() == 2


def test_someone_elses_filter_keyword_and_status_rule_are_404(alice, bob, alice_client,
                                                              bob_client):
    status = post(bob, "mine")
    theirs = make_filter(bob_client, keywords_attributes=[{"keyword": "x"}])
    rule = bob_client.post(f"/api/v2/filters/{theirs['id']}/statuses",
                           {"status_id": str(status.pk)}, format="json").json()
    keyword = theirs["keywords"][0]["id"]
    for method, path in [
        ("get", f"/api/v2/filters/{theirs['id']}"), ("put", f"/api/v2/filters/{theirs['id']}"),
        ("delete", f"/api/v2/filters/{theirs['id']}"),
        ("get", f"/api/v2/filters/{theirs['id']}/keywords"),
        ("post", f"/api/v2/filters/{theirs['id']}/keywords"),
        ("get", f"/api/v2/filters/keywords/{keyword}"),
        ("put", f"/api/v2/filters/keywords/{keyword}"),
        ("delete", f"/api/v2/filters/keywords/{keyword}"),
        ("get", f"/api/v2/filters/{theirs['id']}/statuses"),
        ("post", f"/api/v2/filters/{theirs['id']}/statuses"),
        ("get", f"/api/v2/filters/statuses/{rule['id']}"),
        ("delete", f"/api/v2/filters/statuses/{rule['id']}"),
        ("get", f"/api/v1/filters/{keyword}"), ("put", f"/api/v1/filters/{keyword}"),
        ("delete", f"/api/v1/filters/{keyword}"),
        ("get", "/api/v2/filters/abc"), ("get", "/api/v2/filters/99999999"),
    ]:
        response = getattr(alice_client, method)(path, {"keyword": "y", "title": "z"},
                                                 format="json")
        assert (response.status_code, response.json()) == (404, NOT_FOUND), (method, path)
    assert Filter.objects.get(pk=theirs["id"]).title == "Spoilers"
    assert FilterKeyword.objects.count() == 1 and FilterStatus.objects.count() == 1
    assert alice_client.get("/api/v2/filters").json() == []
    assert alice_client.get("/api/v1/filters").json() == []


def test_scopes_and_tokens(alice, make_token, mastodon):
    assert mastodon.get("/api/v2/filters").status_code == 401
    reader = mastodon.as_token(make_token(alice, scopes="read:filters"))
    assert reader.get("/api/v2/filters").status_code == 200
    refused = reader.post("/api/v2/filters", {"title": "x", "context": ["home"]}, format="json")
    assert refused.status_code == 403
    assert refused.json() == {"error": "This action is outside the authorized scopes"}
    writer = mastodon.as_token(make_token(alice, scopes="write:filters"))
    assert writer.post("/api/v2/filters", {"title": "x", "context": ["home"]},
                       format="json").status_code == 200
    assert writer.get("/api/v2/filters").status_code == 403


# --- keywords and statuses ----------------------------------------------------------------------

def test_keywords_endpoints(alice_client):
    created = make_filter(alice_client)
    base = f"/api/v2/filters/{created['id']}/keywords"
    added = alice_client.post(base, {"keyword": "spice", "whole_word": False}, format="json")
    assert added.status_code == 200
    keyword = added.json()
    assert list(keyword) == ["id", "keyword", "whole_word"]
    assert keyword["keyword"] == "spice" and keyword["whole_word"] is False
    blank = alice_client.post(base, {"keyword": ""}, format="json")
    assert blank.status_code == 422
    assert blank.json() == {"error": "Validation failed: Keyword can't be blank"}
    assert alice_client.get(base).json() == [keyword]
    one = f"/api/v2/filters/keywords/{keyword['id']}"
    assert alice_client.get(one).json() == keyword
    changed = alice_client.put(one, {"keyword": "melange", "whole_word": True}, format="json")
    assert changed.json() == {"id": keyword["id"], "keyword": "melange", "whole_word": True}
    assert alice_client.delete(one).json() == {}
    assert alice_client.get(base).json() == []


def test_statuses_endpoints_and_private_statuses(alice, bob, alice_client):
    created = make_filter(alice_client)
    base = f"/api/v2/filters/{created['id']}/statuses"
    public = post(bob, "a public one")
    private = post(bob, "a private one", visibility="private")
    added = alice_client.post(base, {"status_id": str(public.pk)}, format="json")
    assert added.status_code == 200
    rule = added.json()
    assert rule == {"id": rule["id"], "status_id": str(public.pk)}
    again = alice_client.post(base, {"status_id": str(public.pk)}, format="json")
    assert again.status_code == 422
    assert again.json() == {"error": "Validation failed: Status has already been taken"}
    hidden = alice_client.post(base, {"status_id": str(private.pk)}, format="json")
    assert hidden.status_code == 422
    assert hidden.json() == {"error": "Validation failed: Status is invalid"}
    missing = alice_client.post(base, {"status_id": "987654321"}, format="json")
    assert missing.json() == {"error": "Validation failed: Status must exist"}
    assert alice_client.get(base).json() == [rule]
    assert alice_client.get(f"/api/v2/filters/statuses/{rule['id']}").json() == rule
    assert alice_client.delete(f"/api/v2/filters/statuses/{rule['id']}").json() == {}
    assert not FilterStatus.objects.exists()


# --- v1 -----------------------------------------------------------------------------------------

def test_v1_filters_are_keywords(alice, alice_client):
    created = alice_client.post("/api/v1/filters", {
        "phrase": "Dune", "context": ["home"], "irreversible": True, "whole_word": False},
        format="json")
    assert created.status_code == 200
    body = created.json()
    assert list(body) == V1_KEYS
    assert body["phrase"] == "Dune" and body["context"] == ["home"]
    assert body["irreversible"] is True and body["whole_word"] is False
    assert body["expires_at"] is None
    row = Filter.objects.get(account=alice)
    assert row.title == "Dune" and row.action == "hide"
    assert body["id"] == str(row.keywords.get().pk)
    assert alice_client.get("/api/v1/filters").json() == [body]
    assert alice_client.get(f"/api/v1/filters/{body['id']}").json() == body
    changed = alice_client.put(f"/api/v1/filters/{body['id']}", {
        "phrase": "Arrakis", "context": ["home", "thread"], "irreversible": False},
        format="json").json()
    assert changed["phrase"] == "Arrakis" and changed["context"] == ["home", "thread"]
    assert changed["irreversible"] is False
    assert alice_client.delete(f"/api/v1/filters/{body['id']}").json() == {}
    assert not FilterKeyword.objects.exists()


def test_v1_update_of_a_filter_with_several_keywords_is_refused(alice_client):
    created = make_filter(alice_client, keywords_attributes=[{"keyword": "a"},
                                                             {"keyword": "b"}])
    keyword = created["keywords"][0]["id"]
    response = alice_client.put(f"/api/v1/filters/{keyword}",
                                {"context": ["thread"]}, format="json")
    assert response.status_code == 422
    assert response.json()["error"].startswith("These parameters cannot be changed")
    assert Filter.objects.get().context == ["home", "public"]
    assert len(alice_client.get("/api/v1/filters").json()) == 2


def test_v1_create_validates(alice_client):
    response = alice_client.post("/api/v1/filters", {"phrase": "x"}, format="json")
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: Context can't be blank, "
                                        "Context None or invalid context supplied"}
    assert not Filter.objects.exists()


# --- matching -----------------------------------------------------------------------------------

@pytest.mark.parametrize("keyword, whole_word, text, matched", [
    ("cat", True, "A Cat sat", "Cat"),
    ("cat", True, "concatenate", None),
    ("cat", False, "conCATenate", "CAT"),
    ("#dune", True, "read #Dune now", "#Dune"),
    ("c++", True, "I like C++!", "C++"),
    ("a.b", True, "axb", None),
])
def test_keywords_match_as_mastodon(keyword, whole_word, text, matched):
    pattern = compile_keywords([FilterKeyword(keyword=keyword, whole_word=whole_word)])
    found = pattern.search(text)
    assert (found.group(0) if found else None) == matched


def test_statuses_carry_filtered_for_their_owner_only(alice, bob, alice_client, bob_client):
    created = make_filter(alice_client, keywords_attributes=[{"keyword": "spice"}])
    status = post(bob, "The spice must flow", spoiler_text="cw")
    other = post(bob, "nothing here")
    body = alice_client.get(f"/api/v1/statuses/{status.pk}").json()
    [result] = body["filtered"]
    assert list(result) == ["filter", "keyword_matches", "status_matches"]
    assert result["filter"] == {key: created[key] for key in FILTER_KEYS[:5]}
    assert result["keyword_matches"] == ["spice"] and result["status_matches"] is None
    assert alice_client.get(f"/api/v1/statuses/{other.pk}").json()["filtered"] == []
    # The rendering is cached once for everyone: bob's own view carries no result of alice's.
    assert bob_client.get(f"/api/v1/statuses/{status.pk}").json()["filtered"] == []


def test_status_rules_match_the_status_and_its_reblogs(alice, bob, carol, alice_client):
    status = post(bob, "plain words")
    created = make_filter(alice_client)
    alice_client.post(f"/api/v2/filters/{created['id']}/statuses",
                      {"status_id": str(status.pk)}, format="json")
    FollowFactory(account=alice, target=carol)
    status_reblog(account=carol, status_id=status.pk)
    shown = alice_client.get(f"/api/v1/statuses/{status.pk}").json()
    assert shown["filtered"][0]["status_matches"] == [str(status.pk)]
    assert shown["filtered"][0]["keyword_matches"] is None
    home = alice_client.get("/api/v1/timelines/home").json()
    wrapper = next(s for s in home if s["reblog"])
    assert wrapper["filtered"] == wrapper["reblog"]["filtered"] == shown["filtered"]


def test_poll_options_are_matched(alice, bob, alice_client):
    make_filter(alice_client, keywords_attributes=[{"keyword": "sandworm"}])
    polled = bob_client_post_poll(bob)
    body = alice_client.get(f"/api/v1/statuses/{polled.pk}").json()
    assert body["filtered"][0]["keyword_matches"] == ["sandworm"]


def bob_client_post_poll(bob):
    return services.status_create(account=bob, text="which one?",
                                  poll={"options": ["a sandworm", "a spice harvester"],
                                        "expires_in": 3600, "multiple": False})


def test_expired_filters_do_not_apply(alice, bob, alice_client):
    created = make_filter(alice_client, keywords_attributes=[{"keyword": "spice"}])
    Filter.objects.filter(pk=created["id"]).update(expires_at=timezone.now() - timedelta(1))
    status = post(bob, "spice")
    assert alice_client.get(f"/api/v1/statuses/{status.pk}").json()["filtered"] == []


# --- hide -----------------------------------------------------------------------------------------

def test_hide_filters_leave_the_home_and_public_timelines_in_their_contexts(
        alice, bob, alice_client):
    FollowFactory(account=alice, target=bob)
    make_filter(alice_client, title="h", context=["home"], filter_action="hide",
                keywords_attributes=[{"keyword": "spice"}])
    make_filter(alice_client, title="w", context=["public"], filter_action="warn",
                keywords_attributes=[{"keyword": "worm"}])
    spice = post(bob, "spice and more")
    worm = post(bob, "a worm")
    plain = post(bob, "plain")
    home = [s["id"] for s in alice_client.get("/api/v1/timelines/home").json()]
    assert home == [str(plain.pk), str(worm.pk)]
    public = alice_client.get("/api/v1/timelines/public").json()
    assert [s["id"] for s in public] == [str(plain.pk), str(worm.pk), str(spice.pk)]
    assert public[1]["filtered"][0]["filter"]["filter_action"] == "warn"


def test_hide_filters_leave_threads_and_account_pages(alice, bob, alice_client):
    make_filter(alice_client, context=["thread", "account"], filter_action="hide",
                keywords_attributes=[{"keyword": "spice"}])
    root = post(bob, "root")
    hidden = post(bob, "spice reply", in_reply_to_id=root.pk, in_reply_to_given=True)
    shown = post(bob, "kept reply", in_reply_to_id=root.pk, in_reply_to_given=True)
    context = alice_client.get(f"/api/v1/statuses/{root.pk}/context").json()
    assert [s["id"] for s in context["descendants"]] == [str(shown.pk)]
    page = alice_client.get(f"/api/v1/accounts/{bob.pk}/statuses").json()
    assert str(hidden.pk) not in [s["id"] for s in page]


def test_hide_filters_leave_notifications(alice, bob, alice_client):
    make_filter(alice_client, context=["notifications"], filter_action="hide",
                keywords_attributes=[{"keyword": "spice"}])
    post(bob, "@alice spice")
    kept = post(bob, "@alice hello")
    body = alice_client.get("/api/v1/notifications").json()
    assert [n["status"]["id"] for n in body] == [str(kept.pk)]


# --- filters_changed ------------------------------------------------------------------------------

def test_every_change_announces_filters_changed(alice, bob, alice_client,
                                                django_capture_on_commit_callbacks):
    heard = []

    def listener(sender, account_id, **kwargs):
        heard.append(account_id)

    events.filters_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            created = make_filter(alice_client, keywords_attributes=[{"keyword": "a"}])
            alice_client.put(f"/api/v2/filters/{created['id']}", {"title": "b"}, format="json")
            added = alice_client.post(f"/api/v2/filters/{created['id']}/keywords",
                                      {"keyword": "c"}, format="json").json()
            alice_client.delete(f"/api/v2/filters/keywords/{added['id']}")
            rule = alice_client.post(f"/api/v2/filters/{created['id']}/statuses",
                                     {"status_id": str(post(bob, "x").pk)},
                                     format="json").json()
            alice_client.delete(f"/api/v2/filters/statuses/{rule['id']}")
            alice_client.delete(f"/api/v2/filters/{created['id']}")
            alice_client.post("/api/v2/filters", {}, format="json")  # refused: no event
    finally:
        events.filters_changed.disconnect(listener)
    assert heard == [alice.pk] * 7


# --- queries --------------------------------------------------------------------------------------

def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries), response.json()


def test_home_with_filters_reads_a_constant_number_of_statements(alice, alice_client):
    make_filter(alice_client, filter_action="hide", keywords_attributes=[{"keyword": "spice"}])
    make_filter(alice_client, title="w", keywords_attributes=[{"keyword": "worm"}])
    counts = []
    for size in (2, 20):
        for i in range(size):
            author = AccountFactory()
            FollowFactory(account=alice, target=author)
            post(author, f"worm {i}")
        count, body = _queries(alice_client, "/api/v1/timelines/home?limit=40")
        assert body and all(s["filtered"] for s in body)
        counts.append(count)
    assert counts[0] == counts[1]


def test_the_filters_list_reads_a_constant_number_of_statements(alice, alice_client):
    counts = []
    for size in (1, 10):
        Filter.objects.all().delete()
        for i in range(size):
            make_filter(alice_client, title=f"f{i}", keywords_attributes=[{"keyword": "a"}])
        count, body = _queries(alice_client, "/api/v2/filters")
        assert len(body) == size
        counts.append(count)
        count, body = _queries(alice_client, "/api/v1/filters")
        assert len(body) == size
        counts.append(count)
    assert counts[0] == counts[2] and counts[1] == counts[3]


def test_has_filters_follows_the_owners_filters_and_costs_one_statement(alice, alice_client):
    author = AccountFactory()
    FollowFactory(account=alice, target=author)
    post(author, "some words")
    without, _ = _queries(alice_client, "/api/v1/timelines/home")
    created = make_filter(alice_client, keywords_attributes=[{"keyword": "words"}])
    alice.refresh_from_db()
    assert alice.has_filters is True
    with_filters, body = _queries(alice_client, "/api/v1/timelines/home")
    assert body[0]["filtered"] != []
    # The viewer's active filters: one statement, only for an account that has filters.
    assert with_filters == without + 1
    alice_client.delete(f"/api/v2/filters/{created['id']}")
    alice.refresh_from_db()
    assert alice.has_filters is False


def test_writing_keywords_costs_the_same_for_one_or_many(alice_client):
    """Keywords are written in one statement per kind of change, not one per keyword."""
    counts = []
    for size in (2, 12):
        keywords = [{"keyword": f"word{size}x{n}"} for n in range(size)]
        with CaptureQueriesContext(connection) as created:
            body = make_filter(alice_client, keywords_attributes=keywords)
        assert len(body["keywords"]) == size
        changes = ([{"id": k["id"], "keyword": k["keyword"] + "!"} for k in body["keywords"][1:]]
                   + [{"id": body["keywords"][0]["id"], "_destroy": True},
                      *[{"keyword": f"new{size}x{n}"} for n in range(size)]])
        with CaptureQueriesContext(connection) as updated:
            response = alice_client.put(f"/api/v2/filters/{body['id']}",
                                        {"keywords_attributes": changes}, format="json")
        assert response.status_code == 200, response.content
        words = sorted(k["keyword"] for k in response.json()["keywords"])
        assert words == sorted([k["keyword"] + "!" for k in keywords[1:]]
                               + [f"new{size}x{n}" for n in range(size)])
        counts.append((len(created), len(updated)))
    assert counts[0] == counts[1]
    assert FilterKeyword.objects.count() == (2 * 2 - 1) + (12 * 2 - 1)

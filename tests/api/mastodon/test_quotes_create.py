"""POST /api/v1/statuses with `quoted_status_id` / `quote_approval_policy` (spec items 35, 36, 53,
58, 147): a Mastodon quote makes the same `share` media and `quote_of` link a SelfCommunity
share makes, every refusal has Mastodon's code and message and writes nothing."""

import pytest
from django.utils import timezone

from accounts.models import Visibility
from media.models import MediaAttachment, MediaKind
from statuses import services
from statuses.models import Mention, QuotePolicy, QuoteState, Status
from tests.api.mastodon.expected import STATUS_KEYS
from tests.factories import AccountFactory, BlockFactory, FollowFactory

MISSING = {"error": "The post you are trying to quote does not appear to exist."}


def post(account, text="hello", **kwargs):
    return services.status_create(account=account, text=text, **kwargs)


def quote_post(client, quoted_id, text="look at this", **extra):
    return client.post("/api/v1/statuses", {"status": text, "quoted_status_id": str(quoted_id),
                                            **extra}, format="json")


def re_paragraph(status) -> str:
    url = f"https://social.example/@{status.account.username}/{status.pk}"
    rest = url[len("https://"):]
    shown, hidden = rest[:30], rest[30:]
    if len(hidden) == 1:
        shown, hidden = rest, ""
    return ('<p class="quote-inline">RE: <a href="' + url + '" target="_blank" '
            'rel="nofollow noopener" translate="no"><span class="invisible">https://</span>'
            f'<span class="{"ellipsis" if hidden else ""}">{shown}</span>'
            f'<span class="invisible">{hidden}</span></a></p>')


def snapshot():
    """What a refused post must leave as it was."""
    return (Status.objects.count(), MediaAttachment.objects.count(), Mention.objects.count(),
            sorted(Status.objects.values_list("pk", "shares_count")))


def test_a_quote_links_the_quoted_status_as_a_share(alice_client, alice, bob):
    quoted = post(bob, "the original")
    response = quote_post(alice_client, quoted.pk)
    assert response.status_code == 200, response.content
    body = response.json()
    assert list(body) == list(STATUS_KEYS)
    assert body["quote"]["state"] == "accepted"
    assert body["quote"]["quoted_status"]["id"] == str(quoted.pk)
    assert body["quote"]["quoted_status"]["content"] == "<p>the original</p>"
    assert body["quote"]["quoted_status"]["quotes_count"] == 1
    assert body["media_attachments"] == [] and body["card"] is None
    assert body["content"] == re_paragraph(quoted) + "<p>look at this</p>"
    assert body["quote_approval"] == {"automatic": ["public"], "manual": [],
                                      "current_user": "automatic"}
    # One link, the SelfCommunity share's: a `share` media and `quote_of`.
    status = Status.objects.get(pk=int(body["id"]))
    assert status.quote_of_id == quoted.pk and status.quote_state == QuoteState.ACCEPTED
    assert status.media_count == 0 and status.quote_policy == QuotePolicy.PUBLIC
    share = MediaAttachment.objects.get(status=status)
    assert share.kind == MediaKind.SHARE and share.shared_status_id == quoted.pk
    assert share.account_id == alice.pk
    assert Status.objects.get(pk=quoted.pk).shares_count == 1
    # The SelfCommunity rendering keeps its own HTML (the share is a media there).
    assert "quote-inline" not in status.sc_html


def test_json_and_form_bodies_both_quote(alice_client, bob):
    quoted = post(bob, "x")
    form = alice_client.post("/api/v1/statuses", {"status": "f", "quoted_status_id": quoted.pk})
    assert form.status_code == 200 and form.json()["quote"]["state"] == "accepted"
    assert Status.objects.get(pk=quoted.pk).shares_count == 1


def test_no_re_paragraph_when_the_text_links_the_quoted_status(alice_client, bob):
    quoted = post(bob, "x")
    url = f"https://social.example/@bob/{quoted.pk}"
    body = quote_post(alice_client, quoted.pk, f"see {url}").json()
    assert "quote-inline" not in body["content"]
    assert body["content"].startswith("<p>see <a href=\"" + url + "\"")


def test_a_quote_alone_is_not_blank(alice_client, bob):
    quoted = post(bob, "x")
    response = alice_client.post("/api/v1/statuses", {"quoted_status_id": str(quoted.pk)},
                                 format="json")
    assert response.status_code == 200, response.content
    assert response.json()["content"] == re_paragraph(quoted)
    # With a quote, a lone content warning stays a warning (item 37 does not apply).
    warned = alice_client.post("/api/v1/statuses", {"quoted_status_id": str(quoted.pk),
                                                    "spoiler_text": "cw"}, format="json").json()
    assert warned["spoiler_text"] == "cw" and warned["sensitive"] is True
    assert warned["content"] == re_paragraph(quoted)


def test_quoting_a_reblog_quotes_its_original(alice_client, bob, carol):
    quoted = post(bob, "x")
    wrapper = services.status_reblog(account=carol, status_id=quoted.pk)
    body = quote_post(alice_client, wrapper.pk).json()
    assert body["quote"]["quoted_status"]["id"] == str(quoted.pk)
    assert Status.objects.get(pk=int(body["id"])).quote_of_id == quoted.pk


@pytest.mark.parametrize("case", [
    "missing", "garbage", "private", "direct", "deleted", "blocked", "collapsed",
    "policy_nobody", "policy_followers", "private_policy_public",
])
def test_a_status_one_may_not_quote_is_missing(alice_client, alice, bob, case):
    quoted = post(bob, "@alice hi" if case == "direct" else "x",
                  visibility={"private": "private", "direct": "direct",
                              "private_policy_public": "private"}.get(case, "public"))
    target = quoted.pk
    if case == "missing":
        target = quoted.pk + 1000
    elif case == "garbage":
        target = "abc"
    elif case == "deleted":
        services.status_delete(status=quoted)
    elif case == "blocked":
        BlockFactory(account=bob, target=alice)
    elif case == "collapsed":
        Status.objects.filter(pk=quoted.pk).update(collapsed=True)
    elif case == "policy_nobody":
        Status.objects.filter(pk=quoted.pk).update(quote_policy=QuotePolicy.NOBODY)
    elif case == "policy_followers":
        Status.objects.filter(pk=quoted.pk).update(quote_policy=QuotePolicy.FOLLOWERS)
    elif case == "private_policy_public":
        # Alice follows Bob and may read it, but private statuses are quotable by nobody else,
        # whatever is stored.
        FollowFactory(account=alice, target=bob)
        Status.objects.filter(pk=quoted.pk).update(quote_policy=QuotePolicy.PUBLIC)
    before = snapshot()
    response = quote_post(alice_client, target)
    assert response.status_code == 404, response.content
    assert response.json() == MISSING
    assert snapshot() == before


def test_the_author_may_quote_what_nobody_else_may(alice_client, alice):
    own = post(alice, "mine", visibility="public")
    Status.objects.filter(pk=own.pk).update(quote_policy=QuotePolicy.NOBODY)
    assert quote_post(alice_client, own.pk).status_code == 200
    private = post(alice, "mine too", visibility="private")
    assert quote_post(alice_client, private.pk).status_code == 200


def test_followers_may_quote_a_followers_policy(alice_client, alice, bob):
    quoted = post(bob, "x", quote={"policy": "followers"})
    assert quote_post(alice_client, quoted.pk).status_code == 404
    FollowFactory(account=alice, target=bob)
    assert quote_post(alice_client, quoted.pk).status_code == 200


def test_a_follow_request_is_no_follow(alice_client, alice, bob):
    quoted = post(bob, "x", quote={"policy": "followers"})
    FollowFactory(account=alice, target=bob, accepted=False)
    assert quote_post(alice_client, quoted.pk).status_code == 404


@pytest.mark.parametrize("asked,stored", [
    ("public", "private"), ("unlisted", "private"), ("private", "private"), ("direct", "direct"),
])
def test_quoting_a_private_status_makes_the_post_private(alice_client, alice, asked, stored):
    private = post(alice, "followers only", visibility="private")
    response = quote_post(alice_client, private.pk, visibility=asked)
    assert response.status_code == 200, response.content
    assert response.json()["visibility"] == stored
    row = Status.objects.get(pk=int(response.json()["id"]))
    assert row.visibility == Visibility[stored.upper()]
    assert row.quote_policy == QuotePolicy.NOBODY
    assert response.json()["quote_approval"]["automatic"] == []


def test_a_direct_quote_must_mention_the_quoted_author(alice_client, alice, bob, make_token,
                                                       mastodon):
    quoted = post(bob, "x")
    before = snapshot()
    response = quote_post(alice_client, quoted.pk, visibility="direct")
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: Cannot quote a non-mentioned user "
                                        "in a Private Mention post."}
    assert snapshot() == before
    ok = quote_post(alice_client, quoted.pk, "@bob look", visibility="direct")
    assert ok.status_code == 200, ok.content
    assert ok.json()["visibility"] == "direct"
    # Quoting oneself needs no mention.
    own = post(alice, "mine")
    assert quote_post(alice_client, own.pk, "no one", visibility="direct").status_code == 200


def test_the_quoted_author_may_read_a_private_quote(alice_client, alice, bob, make_token,
                                                    mastodon):
    quoted = post(bob, "x")
    body = quote_post(alice_client, quoted.pk, "just my followers", visibility="private").json()
    # A silent mention: Bob reads it, nobody sees him in `mentions`.
    assert body["mentions"] == []
    assert Mention.objects.get(status_id=int(body["id"]), account=bob).silent is True
    bob_client = mastodon.as_token(make_token(bob))
    assert bob_client.get(f"/api/v1/statuses/{body['id']}").status_code == 200
    stranger = AccountFactory()
    stranger_client = mastodon.as_token(make_token(stranger))
    assert stranger_client.get(f"/api/v1/statuses/{body['id']}").status_code == 404


@pytest.mark.parametrize("policy", ["anyone", "PUBLIC", "0", "followers "])
def test_an_unknown_policy_is_record_invalid(alice_client, bob, policy):
    quoted = post(bob, "x")
    before = snapshot()
    for body in ({"status": "x", "quote_approval_policy": policy},
                 {"status": "x", "quoted_status_id": str(quoted.pk),
                  "quote_approval_policy": policy}):
        response = alice_client.post("/api/v1/statuses", body, format="json")
        assert response.status_code == 422
        assert response.json() == {"error": "Record invalid"}
    assert snapshot() == before


def test_a_missing_quote_answers_before_a_bad_policy(alice_client):
    response = alice_client.post("/api/v1/statuses", {
        "status": "x", "quoted_status_id": "999999", "quote_approval_policy": "bad"},
        format="json")
    assert (response.status_code, response.json()) == (404, MISSING)


def test_a_missing_reply_target_answers_before_the_quote(alice_client):
    response = alice_client.post("/api/v1/statuses", {
        "status": "x", "in_reply_to_id": "999999", "quoted_status_id": "999998"}, format="json")
    assert response.status_code == 404
    assert response.json() == {
        "error": "The post you are trying to reply to does not appear to exist."}


@pytest.mark.parametrize("visibility,policy,stored,automatic", [
    ("public", "followers", QuotePolicy.FOLLOWERS, ["followers"]),
    ("unlisted", "nobody", QuotePolicy.NOBODY, []),
    ("public", None, QuotePolicy.PUBLIC, ["public"]),
    ("private", "public", QuotePolicy.NOBODY, []),
    ("direct", "public", QuotePolicy.NOBODY, []),
])
def test_the_policy_is_stored(alice_client, visibility, policy, stored, automatic):
    body = {"status": "x", "visibility": visibility}
    if policy is not None:
        body["quote_approval_policy"] = policy
    response = alice_client.post("/api/v1/statuses", body, format="json")
    assert response.status_code == 200, response.content
    assert Status.objects.get(pk=int(response.json()["id"])).quote_policy == stored
    approval = response.json()["quote_approval"]
    assert approval["automatic"] == automatic and approval["manual"] == []
    assert approval["current_user"] == ("denied" if visibility == "direct" else "automatic")


def test_a_blank_quoted_status_id_is_no_quote(alice_client):
    response = alice_client.post("/api/v1/statuses", {"status": "x", "quoted_status_id": ""},
                                 format="json")
    assert response.status_code == 200 and response.json()["quote"] is None


def test_deleting_a_quote_gives_the_count_back(alice_client, alice, bob):
    quoted = post(bob, "x")
    body = quote_post(alice_client, quoted.pk).json()
    assert Status.objects.get(pk=quoted.pk).shares_count == 1
    assert alice_client.delete(f"/api/v1/statuses/{body['id']}").status_code == 200
    assert Status.objects.get(pk=quoted.pk).shares_count == 0


def test_idempotent_retries_quote_once(alice_client, bob):
    quoted = post(bob, "x")
    headers = {"HTTP_IDEMPOTENCY_KEY": "k-1"}
    first = alice_client.post("/api/v1/statuses", {"status": "q", "quoted_status_id":
                                                   str(quoted.pk)}, format="json", **headers)
    second = alice_client.post("/api/v1/statuses", {"status": "q", "quoted_status_id":
                                                    str(quoted.pk)}, format="json", **headers)
    assert first.json()["id"] == second.json()["id"]
    assert Status.objects.get(pk=quoted.pk).shares_count == 1
    assert MediaAttachment.objects.filter(kind=MediaKind.SHARE).count() == 1


def test_a_quote_of_a_status_deleted_later_shows_deleted(alice_client, bob):
    quoted = post(bob, "x")
    body = quote_post(alice_client, quoted.pk).json()
    Status.objects.filter(pk=quoted.pk).update(deleted_at=timezone.now())
    again = alice_client.get(f"/api/v1/statuses/{body['id']}").json()
    assert again["quote"] == {"state": "deleted", "quoted_status": None}

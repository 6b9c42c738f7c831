"""SelfCommunity /api/v2/status/: create, read, list, update and delete, and the same rows read
and written through the Mastodon face."""

import io

import pytest
from PIL import Image

from accounts.models import Account
from categories.models import TagType
from media.models import MediaAttachment
from statuses.models import Mention, Status, StatusEdit
from tests.factories import CategoryFactory, FollowFactory, TagFactory

STATUS_KEYS = {
    "id", "type", "action", "last_activity_at", "author", "added_at", "last_edited_at", "html",
    "summary", "deleted", "collapsed", "comment_count", "view_count", "vote_count",
    "reactions_count", "voted", "reaction", "follower_count", "followed", "suspended",
    "flag_count", "share_count", "slug", "categories", "medias", "location", "addressing", "tags",
}
USER_KEYS = {
    "id", "username", "real_name", "avatar", "ext_id", "followings_counter", "followers_counter",
    "posts_counter", "discussions_counter", "statuses_counter", "polls_counter",
    "categories_counter", "connection_status", "date_joined", "bio", "location",
    "location_lat_lng", "position_lat_lng", "date_of_birth", "description", "gender", "website",
    "cover", "tags", "reputation", "community_badge", "reg_approved", "deleted", "company_name",
    "company_role",
}


def png(color=(10, 120, 200), size=(60, 40)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "picture.png"
    return buffer


def upload(client) -> int:
    response = client.post("/api/v2/media/", {"type": "image", "image": png()},
                           format="multipart")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def share(client, status_id: int) -> int:
    response = client.post("/api/v2/media/", {"type": "share", "shared_object": status_id},
                           format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def post(client, **fields):
    body = {"action": None, "text": "hello", "categories": [], **fields}
    return client.post("/api/v2/status/", body, format="json")


def field_errors(response) -> dict:
    return {item["field"]: [m["code"] for m in item["messages"]]
            for item in response.json()["errors"] if "field" in item}


# --- create ---------------------------------------------------------------------------------


def test_create_is_201_with_the_status_shape(sc, alice):
    parent = CategoryFactory(name="Sport")
    child = CategoryFactory(name="Football")
    child.parents.add(parent)
    response = post(sc, action="is feeling happy", text="<p>Hello <b>world</b></p>",
                    categories=[child.pk],
                    location={"location": "Trento", "lat": 46.07, "lng": 11.12})
    assert response.status_code == 201
    body = response.json()
    assert set(body) == STATUS_KEYS
    assert isinstance(body["id"], int)
    assert body["type"] == "status"
    assert body["action"] == "is feeling happy"
    assert body["html"] == "<p>Hello <b>world</b></p>"
    assert body["summary"] == "Hello world"
    assert body["slug"] == "hello-world"
    assert body["deleted"] is False and body["collapsed"] is False
    assert body["last_edited_at"] is None
    assert body["added_at"].endswith("Z") and body["last_activity_at"] == body["added_at"]
    assert (body["vote_count"], body["comment_count"], body["share_count"]) == (0, 0, 0)
    assert body["reactions_count"] == [] and body["voted"] is False and body["reaction"] is None
    # The category and, automatically, its ancestor.
    assert [c["id"] for c in body["categories"]] == [child.pk, parent.pk]
    assert body["categories"][0]["name"] == "Football"
    assert [c["parents"] for c in body["categories"]] == [[parent.pk], []]
    assert sc.get(f"/api/v2/status/{body['id']}/").json()["categories"] == body["categories"]
    assert body["location"] == {"location": "Trento", "lat": 46.07, "lng": 11.12}
    assert body["medias"] == [] and body["addressing"] == [] and body["tags"] == []
    assert set(body["author"]) == USER_KEYS
    assert body["author"]["id"] == alice.pk and body["author"]["username"] == "alice"
    assert body["author"]["statuses_counter"] == 1
    status = Status.objects.get(pk=body["id"])
    assert status.text_format == "html" and status.visibility == 0
    assert set(status.categories.values_list("pk", flat=True)) == {child.pk, parent.pk}
    assert Account.objects.get(pk=alice.pk).statuses_count == 1


def test_plain_text_summary_equals_the_text(sc):
    body = post(sc, text="just words").json()
    assert body["html"] == "just words"
    assert body["summary"] == "just words"


def test_summary_is_cut_at_180_characters_and_escaped(sc):
    text = "it's " + "x" * 300
    body = post(sc, text=text).json()
    assert body["summary"] == "it&#x27;s " + "x" * 175 + " ..."


def test_action_may_be_null_but_must_be_present(sc):
    assert post(sc, action=None).status_code == 201
    response = sc.post("/api/v2/status/", {"text": "hi", "categories": []}, format="json")
    assert response.status_code == 400
    assert field_errors(response) == {"action": ["required"]}


def test_categories_are_required_and_must_exist(sc):
    response = sc.post("/api/v2/status/", {"action": None, "text": "hi"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": [{"field": "categories", "messages": [
        {"code": "required", "message": "This field is required."}]}]}
    missing = post(sc, categories=[987654])
    assert missing.status_code == 400
    assert missing.json() == {"errors": [{"field": "categories", "messages": [
        {"code": "does_not_exist", "message": 'Invalid pk "987654" - object does not exist.'}]}]}
    assert not Status.objects.exists()


def test_staff_only_category_refuses_other_authors(sc):
    staff_only = CategoryFactory(content_only_staff=True)
    response = post(sc, categories=[staff_only.pk])
    assert response.status_code == 400
    assert field_errors(response) == {"categories": ["permission_denied"]}


@pytest.mark.parametrize("body, field", [
    ({"action": 5, "categories": []}, None),  # numbers are accepted as text, as DRF does
    ({"action": None, "categories": "1"}, "categories"),
    ({"action": None, "categories": ["a"]}, "categories.0"),
    ({"action": None, "categories": [True]}, "categories.0"),
    ({"action": None, "categories": [], "text": ["x"]}, "text"),
    ({"action": None, "categories": [], "medias": {"1": 2}}, "medias"),
    ({"action": None, "categories": [], "location": "Trento"}, "location"),
    ({"action": None, "categories": [], "location": {"location": "x"}}, "location.lat"),
    ({"action": None, "categories": [], "location": {"location": "x", "lat": 91, "lng": 0}},
     "location.lat"),
    ({"action": None, "categories": [], "addressing": [0]}, "addressing.0"),
    ({"action": None, "categories": [], "tags": [-1]}, "tags.0"),
    ({"action": "x" * 256, "categories": []}, "action"),
    ({"action": None, "categories": [], "text": "x" * 20001}, "text"),
])
def test_wrong_types_are_400_on_their_field(sc, body, field):
    body.setdefault("text", "hello")
    response = sc.post("/api/v2/status/", body, format="json")
    if field is None:
        assert response.status_code == 201
        return
    assert response.status_code == 400, response.content
    assert field in field_errors(response)
    assert not Status.objects.exists()


@pytest.mark.parametrize("raw", [b"[1, 2]", b'"text"', b"7", b"null", b"{not json"])
def test_bodies_that_are_not_objects_are_400(sc, raw):
    response = sc.generic("POST", "/api/v2/status/", raw, content_type="application/json")
    assert response.status_code == 400
    assert "errors" in response.json()
    assert not Status.objects.exists()


def test_empty_status_is_refused(sc):
    response = post(sc, text="<p> </p>")
    assert response.status_code == 400
    assert field_errors(response) == {"text": ["blank"]}
    assert post(sc, text="", action="is bored").status_code == 201


def test_html_is_sanitised(sc):
    body = post(sc, text='<p onclick="x()">hi <script>alert(1)</script>'
                         '<a href="javascript:alert(1)">a</a> <img src=x onerror=y>'
                         '<a href="https://ok.example/">b</a></p>').json()
    html = body["html"]
    assert "script" not in html and "onclick" not in html and "javascript" not in html
    assert "<img" not in html and "onerror" not in html
    assert '<a href="https://ok.example/" rel="nofollow noopener noreferrer">b</a>' in html


def test_mentions_are_resolved_both_ways(sc, alice, bob, mastodon, make_token):
    bob.ext_id = 301
    bob.save()
    body = post(sc, text='<p>hi @bob and <mention id="1" ext-id="9">@Bob</mention> '
                         "and @nobody</p>").json()
    assert body["html"] == (f'<p>hi <mention extid="301" id="{bob.pk}">@bob</mention> and '
                            f'<mention extid="301" id="{bob.pk}">@bob</mention> and @nobody</p>')
    assert body["summary"] == "hi @bob and @bob and @nobody"
    assert list(Mention.objects.values_list("account_id", flat=True)) == [bob.pk]
    seen = mastodon.as_token(make_token(bob)).get(f"/api/v1/statuses/{body['id']}").json()
    assert seen["mentions"] == [{"id": str(bob.pk), "username": "bob",
                                 "url": "https://social.example/@bob", "acct": "bob"}]
    assert seen["content"].startswith('<p>hi <span class="h-card" translate="no">'
                                      '<a href="https://social.example/@bob" '
                                      'class="u-url mention">@<span>bob</span></a></span>')
    assert seen["visibility"] == "public"


def test_hashtag_elements_add_their_categories(sc):
    category = CategoryFactory(name="Travel")
    body = post(sc, text=f'<p>off we go <hashtag id="{category.pk}">#travel</hashtag></p>',
                categories=[]).json()
    assert [c["id"] for c in body["categories"]] == [category.pk]
    assert f'<hashtag id="{category.pk}">#travel</hashtag>' in body["html"]


def test_mastodon_status_reads_through_selfcommunity(alice_client, sc, bob):
    created = alice_client.post("/api/v1/statuses", {"status": "hello @bob #rust"}).json()
    body = sc.get(f"/api/v2/status/{created['id']}/").json()
    assert body["html"] == (f'<p>hello <mention id="{bob.pk}">@bob</mention> '
                            '<a href="https://social.example/tags/rust" class="mention hashtag" '
                            'rel="tag">#<span>rust</span></a></p>')
    assert body["summary"] == "hello @bob #rust"
    assert body["action"] is None and body["categories"] == []


# --- media ----------------------------------------------------------------------------------


def test_medias_attach_and_show_in_both_dialects(sc, alice_client):
    original = post(sc, text="the original").json()
    image_id = upload(sc)
    share_id = share(sc, original["id"])
    response = post(sc, text="look", medias=[image_id, share_id])
    assert response.status_code == 201
    body = response.json()
    assert [m["id"] for m in body["medias"]] == [image_id, share_id]
    assert [m["type"] for m in body["medias"]] == ["image", "share"]
    assert body["medias"][0]["order"] == 0 and body["medias"][1]["order"] == 1
    assert body["medias"][1]["embed"]["metadata"] == {"id": original["id"], "type": "status"}
    status = Status.objects.get(pk=body["id"])
    assert (status.media_count, status.quote_of_id) == (1, original["id"])
    assert sc.get(f"/api/v2/status/{original['id']}/").json()["share_count"] == 1
    # Mastodon sees the picture, not the share.
    seen = alice_client.get(f"/api/v1/statuses/{body['id']}").json()
    assert [(m["id"], m["type"]) for m in seen["media_attachments"]] == [(str(image_id), "image")]
    assert seen["media_attachments"][0]["meta"]["original"]["width"] == 60


def test_mastodon_media_show_as_selfcommunity_medias(alice_client, sc):
    uploaded = alice_client.post("/api/v2/media", {"file": png()}, format="multipart").json()
    created = alice_client.post("/api/v1/statuses", {"status": "pic",
                                                     "media_ids[]": [uploaded["id"]]}).json()
    body = sc.get(f"/api/v2/status/{created['id']}/").json()
    assert [(m["id"], m["type"], m["image_width"]) for m in body["medias"]] == [
        (int(uploaded["id"]), "image", 60)]
    assert body["medias"][0]["image"] == uploaded["url"]


def test_two_shares_are_refused_and_nothing_is_attached(sc):
    first = post(sc, text="one").json()["id"]
    second = post(sc, text="two").json()["id"]
    shares = [share(sc, first), share(sc, second)]
    response = post(sc, text="both", medias=shares)
    assert response.status_code == 400
    assert response.json() == {"errors": [{"field": "medias", "messages": [
        {"code": "invalid", "message": "A status can have at most one media of type share."}]}]}
    assert Status.objects.count() == 2
    assert not MediaAttachment.objects.filter(status__isnull=False).exists()


def test_media_of_others_or_attached_are_refused(sc, sc_client, bob):
    theirs = upload(sc_client(bob))
    response = post(sc, medias=[theirs])
    assert response.status_code == 400
    assert response.json()["errors"][0]["messages"][0] == {
        "code": "does_not_exist", "message": f'Invalid pk "{theirs}" - object does not exist.'}
    mine = upload(sc)
    assert post(sc, medias=[mine]).status_code == 201
    again = post(sc, medias=[mine])
    assert again.status_code == 400
    assert field_errors(again) == {"medias": ["does_not_exist"]}
    assert Status.objects.count() == 1


def test_a_fifth_file_is_refused(sc):
    ids = [upload(sc) for _ in range(5)]
    response = post(sc, medias=ids)
    assert response.status_code == 400
    assert response.json()["errors"][0]["messages"][0] == {
        "code": "max_length", "message": "Cannot attach more than 4 files"}
    assert not Status.objects.exists()
    assert not MediaAttachment.objects.filter(status__isnull=False).exists()


def test_deleting_the_sharing_status_gives_the_share_count_back(sc):
    original = post(sc, text="original").json()["id"]
    sharing = post(sc, text="sharing", medias=[share(sc, original)]).json()["id"]
    assert Status.objects.get(pk=original).shares_count == 1
    assert sc.delete(f"/api/v2/status/{sharing}/").status_code == 204
    assert Status.objects.get(pk=original).shares_count == 0


def test_mastodon_edit_keeps_the_share(sc, alice_client):
    original = post(sc, text="original").json()["id"]
    sharing = post(sc, text="sharing", medias=[share(sc, original)]).json()["id"]
    edited = alice_client.put(f"/api/v1/statuses/{sharing}", {"status": "edited in Mastodon"})
    assert edited.status_code == 200
    body = sc.get(f"/api/v2/status/{sharing}/").json()
    assert [m["type"] for m in body["medias"]] == ["share"]
    assert body["summary"] == "edited in Mastodon"
    assert Status.objects.get(pk=original).shares_count == 1


# --- visibility -----------------------------------------------------------------------------


def test_private_mastodon_statuses_do_not_leak(alice_client, sc_client, bob, carol, anon):
    created = alice_client.post("/api/v1/statuses", {"status": "followers only",
                                                     "visibility": "private"}).json()
    FollowFactory(account=bob, target=Account.objects.get(username="alice"))
    path = f"/api/v2/status/{created['id']}/"
    assert sc_client(bob).get(path).status_code == 200
    stranger = sc_client(carol).get(path)
    assert stranger.status_code == 404
    assert stranger.json() == {"errors": [{"code": "not_found", "message": "Not found."}]}
    assert anon.get(path).status_code == 404
    assert sc_client(carol).get("/api/v2/status/").json()["count"] == 0
    assert anon.get("/api/v2/status/").json()["count"] == 0
    assert sc_client(bob).get("/api/v2/status/").json()["count"] == 1


def test_direct_messages_and_replies_are_not_selfcommunity_statuses(alice_client, sc_client,
                                                                    bob):
    dm = alice_client.post("/api/v1/statuses", {"status": "@bob psst",
                                                "visibility": "direct"}).json()
    top = alice_client.post("/api/v1/statuses", {"status": "top"}).json()
    reply = alice_client.post("/api/v1/statuses", {"status": "reply",
                                                   "in_reply_to_id": top["id"]}).json()
    client = sc_client(bob)
    assert client.get(f"/api/v2/status/{dm['id']}/").status_code == 200
    assert client.get(f"/api/v2/status/{reply['id']}/").status_code == 404
    listed = client.get("/api/v2/status/").json()
    assert [s["id"] for s in listed["results"]] == [int(top["id"])]
    assert listed["results"][0]["comment_count"] == 1


def test_unlisted_statuses_are_listed_for_their_author_only(alice_client, sc, sc_client, bob,
                                                           anon):
    created = alice_client.post("/api/v1/statuses", {"status": "quiet",
                                                     "visibility": "unlisted"}).json()
    assert [s["id"] for s in sc.get("/api/v2/status/").json()["results"]] == [int(created["id"])]
    assert sc_client(bob).get("/api/v2/status/").json()["count"] == 0
    assert anon.get("/api/v2/status/").json()["count"] == 0
    assert anon.get(f"/api/v2/status/{created['id']}/").status_code == 200


def test_addressed_status_is_seen_by_tag_holders_only(sc, sc_client, mastodon, make_token, alice,
                                                      bob, carol, anon):
    members = TagFactory(type=TagType.USER, name="members")
    members.holders.add(bob)
    FollowFactory(account=carol, target=alice)
    body = post(sc, text="for members", addressing=[members.pk]).json()
    assert [t["name"] for t in body["addressing"]] == ["members"]
    assert body["addressing"][0]["type"] == "user"
    path = f"/api/v2/status/{body['id']}/"
    assert sc_client(bob).get(path).status_code == 200
    assert sc_client(carol).get(path).status_code == 404  # a follower without the tag
    assert anon.get(path).status_code == 404
    as_bob = mastodon.as_token(make_token(bob)).get(f"/api/v1/statuses/{body['id']}")
    assert as_bob.status_code == 200 and as_bob.json()["visibility"] == "private"
    as_carol = mastodon.as_token(make_token(carol))
    assert as_carol.get(f"/api/v1/statuses/{body['id']}").status_code == 404
    assert as_carol.get("/api/v1/timelines/home").json() == []
    assert sc_client(carol).get("/api/v2/status/").json()["count"] == 0
    assert sc_client(bob).get("/api/v2/status/").json()["count"] == 1


def test_addressing_takes_user_tags_only(sc):
    label = TagFactory(type=TagType.CONTRIBUTION, name="label")
    response = post(sc, addressing=[label.pk])
    assert response.status_code == 400
    assert field_errors(response) == {"addressing": ["invalid"]}
    assert post(sc, addressing=[424242]).status_code == 400
    body = post(sc, tags=[label.pk]).json()
    assert body["tags"] == [label.pk]
    assert not Status.objects.filter(addressed=True).exists()


# --- update and delete ----------------------------------------------------------------------


def test_put_replaces_the_status_and_keeps_history(sc, alice_client):
    category = CategoryFactory()
    image_id = upload(sc)
    created = post(sc, text="<p>first</p>", medias=[image_id]).json()
    response = sc.put(f"/api/v2/status/{created['id']}/",
                      {"action": "edited", "text": "<p>second</p>", "categories": [category.pk]},
                      format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["html"] == "<p>second</p>" and body["action"] == "edited"
    assert body["last_edited_at"] is not None
    assert [c["id"] for c in body["categories"]] == [category.pk]
    assert body["medias"] == []
    assert MediaAttachment.objects.get(pk=image_id).status_id is None
    history = alice_client.get(f"/api/v1/statuses/{created['id']}/history").json()
    assert [h["content"] for h in history] == ["<p>first</p>", "<p>second</p>"]
    assert StatusEdit.objects.count() == 2


def test_put_and_delete_of_someone_elses_status_are_403(sc, sc_client, bob):
    created = post(sc_client(bob), text="bob's").json()
    path = f"/api/v2/status/{created['id']}/"
    put = sc.put(path, {"action": None, "text": "mine now", "categories": []}, format="json")
    assert put.status_code == 403
    assert put.json()["errors"][0]["code"] == "permission_denied"
    assert sc.delete(path).status_code == 403
    assert Status.objects.get(pk=created["id"]).summary == "bob&#x27;s"


def test_delete_is_204_and_hides_the_status_in_both_dialects(sc, sc_client, bob, anon,
                                                             alice_client):
    created = post(sc, text="bye").json()
    path = f"/api/v2/status/{created['id']}/"
    response = sc.delete(path)
    assert response.status_code == 204 and response.content == b""
    # The author still reads it through SelfCommunity, marked deleted, to restore it.
    own = sc.get(path)
    assert own.status_code == 200 and own.json()["deleted"] is True
    assert sc_client(bob).get(path).status_code == 404
    assert anon.get(path).status_code == 404
    assert sc.get("/api/v2/status/").json()["count"] == 0
    assert alice_client.get(f"/api/v1/statuses/{created['id']}").status_code == 404
    assert Status.objects.get(pk=created["id"]).deleted_at is not None
    assert sc.delete(path).status_code == 404


def test_unknown_and_malformed_ids_are_404(sc):
    assert sc.get("/api/v2/status/999999/").status_code == 404
    assert sc.get("/api/v2/status/99999999999999999999999/").status_code == 404
    unrouted = sc.get("/api/v2/status/abc/")
    assert unrouted.status_code == 404
    assert unrouted.json() == {"errors": [{"code": "not_found", "message": "Not found."}]}
    assert sc.patch("/api/v2/status/1/", {}, format="json").status_code == 405


def test_writes_need_a_user_token_with_write_scope(sc_client, alice, anon):
    response = anon.post("/api/v2/status/", {"action": None, "categories": []}, format="json")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "not_authenticated"
    read_only = sc_client(alice, scopes="read")
    refused = post(read_only)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["code"] == "permission_denied"
    assert not Status.objects.exists()


def test_posting_limit_is_shared_with_mastodon_and_failures_give_back(sc, alice_client,
                                                                      settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "statuses": (3, 3600)}
    assert alice_client.post("/api/v1/statuses", {"status": "one"}).status_code == 200
    assert post(sc, categories=[424242]).status_code == 400  # refused: not counted
    created = post(sc, text="two")
    assert created.status_code == 201
    edited = sc.put(f"/api/v2/status/{created.json()['id']}/",
                    {"action": None, "text": "three", "categories": []}, format="json")
    assert edited.status_code == 200
    refused = post(sc, text="four")
    assert refused.status_code == 429
    assert refused.json() == {"errors": [{"code": "throttled",
                                          "message": "Request was throttled."}]}
    assert Status.objects.count() == 2


# --- list -----------------------------------------------------------------------------------


def test_list_pages_with_limit_and_offset(sc):
    ids = [post(sc, text=f"status {n}").json()["id"] for n in range(5)]
    page = sc.get("/api/v2/status/?limit=2&offset=2").json()
    assert page["count"] == 5
    assert [s["id"] for s in page["results"]] == [ids[2], ids[1]]
    assert page["next"] == "http://testserver/api/v2/status/?limit=2&offset=4"
    assert page["previous"] == "http://testserver/api/v2/status/?limit=2"
    first = sc.get("/api/v2/status/?limit=2").json()
    assert first["previous"] is None
    last = sc.get("/api/v2/status/?limit=2&offset=4").json()
    assert last["next"] is None and [s["id"] for s in last["results"]] == [ids[0]]


def test_list_orders_by_last_activity(sc, alice_client):
    old = post(sc, text="old").json()["id"]
    new = post(sc, text="new").json()["id"]
    alice_client.post("/api/v1/statuses", {"status": "reply", "in_reply_to_id": str(old)})
    by_activity = sc.get("/api/v2/status/?ordering=-last_activity_at").json()["results"]
    assert [s["id"] for s in by_activity] == [old, new]
    by_date = sc.get("/api/v2/status/?ordering=bogus").json()["results"]
    assert [s["id"] for s in by_date] == [new, old]


@pytest.mark.parametrize("query", ["limit=x", "offset=-1", "limit=-5"])
def test_malformed_paging_is_400(sc, query):
    response = sc.get(f"/api/v2/status/?{query}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] in {"limit", "offset"}


# --- query counts ---------------------------------------------------------------------------


def _rich_statuses(client, n: int, voters) -> list[int]:
    from statuses import services

    category = CategoryFactory()
    ids = []
    for i in range(n):
        status_id = post(client, text=f"rich {i}", categories=[category.pk],
                         medias=[upload(client)]).json()["id"]
        status = Status.objects.get(pk=status_id)
        for voter in voters:
            services.status_favourite(account=voter, status_id=status.pk)
        ids.append(status_id)
    return ids


@pytest.mark.parametrize("size", [1, 20])
def test_list_query_count_is_constant(sc, alice, bob, size, django_assert_num_queries):
    _rich_statuses(sc, size, [alice, bob])
    # token, count, page ids, statuses, authors, apps, categories, their parents, tags, media,
    # the viewer's follows, suspensions and votes (one query), the reactions with their counts
    with django_assert_num_queries(12):
        response = sc.get("/api/v2/status/?limit=20")
    body = response.json()
    assert len(body["results"]) == size
    assert body["results"][0]["vote_count"] == 2 and body["results"][0]["voted"] is True
    assert body["results"][0]["reactions_count"][0]["count"] == 2


@pytest.mark.parametrize("media", [1, 4])
def test_get_query_count_does_not_grow_with_media(sc, anon, media, django_assert_num_queries):
    ids = [upload(sc) for _ in range(media)]
    created = post(sc, medias=ids, categories=[CategoryFactory().pk]).json()
    # status (with visibility), categories, their parents, tags, media
    with django_assert_num_queries(5):
        body = anon.get(f"/api/v2/status/{created['id']}/").json()
    assert len(body["medias"]) == media


def _page_of_shares(sc, sharer_client, size: int) -> list[int]:
    """`size` statuses of the `sc` client, each with a picture and a share of a status of
    `sharer_client`'s account (unlisted, so that the list holds only the sharing statuses)."""
    from accounts.models import Visibility

    ids = []
    for i in range(size):
        shared = post(sharer_client, text=f"<p>shared {i}</p>").json()["id"]
        Status.objects.filter(pk=shared).update(visibility=Visibility.UNLISTED)
        ids.append(post(sc, text=f"sharing {i}", medias=[upload(sc), share(sc, shared)])
                   .json()["id"])
    return ids


@pytest.mark.parametrize("reader", ["sc", "anon"])
@pytest.mark.parametrize("size", [1, 20])
def test_list_with_shares_costs_one_query_more(request, sc, sc_client, bob, reader, size,
                                               django_assert_num_queries, settings):
    """The shared statuses of a whole page are checked against the reader in one query (none
    when the page shares nothing), whatever the page's size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # 40 uploads by one account: more than the media budget's 30 per 30 minutes.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api_media": (1000, 1800)}

    client = request.getfixturevalue(reader)
    for i in range(size):
        post(sc, text=f"plain {i}", medias=[upload(sc)])
    with CaptureQueriesContext(connection) as plain:
        assert len(client.get(f"/api/v2/status/?limit={size}").json()["results"]) == size
    baseline = len(plain)  # now: the next request clears the log it counts in
    _page_of_shares(sc, sc_client(bob), size)
    with django_assert_num_queries(baseline + 1):
        results = client.get(f"/api/v2/status/?limit={size}").json()["results"]
    assert [r["medias"][1]["title"] for r in results] == [
        f"shared {i}" for i in reversed(range(size))]


def test_get_with_a_share_costs_one_query_more(sc, sc_client, anon, bob,
                                               django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plain = post(sc, text="plain", medias=[upload(sc)]).json()["id"]
    with CaptureQueriesContext(connection) as without:
        anon.get(f"/api/v2/status/{plain}/")
    baseline = len(without)  # now: the next request clears the log it counts in
    (sharing,) = _page_of_shares(sc, sc_client(bob), 1)
    with django_assert_num_queries(baseline + 1):
        body = anon.get(f"/api/v2/status/{sharing}/").json()
    assert body["medias"][1]["title"] == "shared 0"

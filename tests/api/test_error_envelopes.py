"""Errors are JSON, always: unrouted paths and wrong methods in both dialects, NUL bytes and
unpaired surrogates in Mastodon text, deep or malformed JSON bodies, and SelfCommunity's nested
field errors, each with its exact status, body and Content-Type, and nothing written."""

import base64
import io
import json

import pytest
from django.test import Client, RequestFactory
from PIL import Image
from rest_framework.exceptions import ErrorDetail
from rest_framework.test import APIClient

from accounts.models import Application
from config.api.parsers import MAX_DEPTH, nesting_depth_exceeds
from config.api.selfcommunity import _field_items
from config.views import csrf_failure
from media.models import MediaAttachment
from statuses import services
from statuses.models import Status, StatusEdit

JSON = "application/json; charset=utf-8"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def sc(make_token, alice):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(alice)}")
    return client


@pytest.fixture
def browser(db):
    """A client as a browser or curl is: CSRF checks on, no CSRF cookie."""
    return Client(enforce_csrf_checks=True)


def assert_error(response, status: int, body: dict | None):
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == JSON
    if body is not None:
        assert json.loads(response.content) == body


def png() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "picture.png"
    return buffer


def sc_error(code: str, message: str) -> dict:
    return {"errors": [{"code": code, "message": message}]}


def sc_field(field: str, code: str, message: str) -> dict:
    return {"field": field, "messages": [{"code": code, "message": message}]}


# --- 1. unrouted paths ------------------------------------------------------------------------

METHODS = ["get", "head", "post", "put", "patch", "delete", "options"]
MASTODON_NOT_FOUND = {"error": "Not Found"}
SC_NOT_FOUND = sc_error("not_found", "Not found.")
UNROUTED = [
    ("/api/v1/nothing", MASTODON_NOT_FOUND),
    ("/api/v1/statuses/1/nothing", MASTODON_NOT_FOUND),
    ("/api/v1/nothing/deeper", MASTODON_NOT_FOUND),
    ("/api/v2/nothing", MASTODON_NOT_FOUND),  # no trailing slash: not a SelfCommunity path
    ("/oauth/nothing", MASTODON_NOT_FOUND),
    ("/api/v2/nothing/", SC_NOT_FOUND),
    ("/api/v2/status/1/nothing/", SC_NOT_FOUND),
    # The public pages' `/@...` paths stay pages; spelled under /api/ or /oauth/ they are API.
    ("/api/v1/@alice", MASTODON_NOT_FOUND),
    ("/api/v1/@alice/1", MASTODON_NOT_FOUND),
    ("/oauth/@alice", MASTODON_NOT_FOUND),
    ("/api/v2/@alice/1/", SC_NOT_FOUND),
]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(("path", "body"), UNROUTED)
def test_unrouted_paths_are_a_json_404_whatever_the_method(browser, method, path, body):
    kwargs = {} if method in ("get", "head", "options") else {
        "data": '{"status": "x"}', "content_type": "application/json"}
    response = getattr(browser, method)(path, **kwargs)
    if method == "head":
        assert_error(response, 404, None)
        assert response.content == b""
    else:
        assert_error(response, 404, body)
    assert not Status.objects.exists()


@pytest.mark.parametrize("path", ["/@alice/1", "/@alice", "/@alice/1/", "/@nobody/nothing"])
def test_public_page_paths_answer_html_not_json(browser, path):
    response = browser.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert b"<h1>Not found</h1>" in response.content


@pytest.mark.parametrize("path", ["/api/v1/nothing", "/oauth/nothing", "/api/v2/nothing/"])
def test_unrouted_form_post_with_a_token_is_a_json_404(browser, make_token, alice, path):
    response = browser.post(path, {"status": "x"}, HTTP_AUTHORIZATION=f"Bearer {make_token(alice)}")
    assert response.status_code == 404
    assert response["Content-Type"] == JSON
    assert not Status.objects.exists()


@pytest.mark.parametrize("path", ["/api/v1/statuses", "/api/v2/status/", "/oauth/token",
                                  "/api/v1/nothing", "/api/v2/nothing/"])
def test_preflights_still_get_cors_headers(browser, path):
    response = browser.options(
        path,
        HTTP_ORIGIN="https://web.client.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "authorization" in response["Access-Control-Allow-Headers"].lower()


def test_csrf_failure_under_oauth_is_json(browser):
    # /oauth/authorize is the one API-side view with CSRF checks (its consent form).
    response = browser.put("/oauth/authorize", "x=1", content_type="application/json")
    assert_error(response, 403, {"error": "This action is not allowed"})


@pytest.mark.parametrize(("path", "body"), [
    ("/api/v1/statuses", {"error": "This action is not allowed"}),
    ("/api/v2/status/", sc_error("permission_denied",
                                 "You do not have permission to perform this action.")),
])
def test_csrf_failure_view_answers_in_the_dialects_envelope(path, body):
    response = csrf_failure(RequestFactory().post(path), reason="CSRF cookie not set.")
    assert_error(response, 403, body)


def test_csrf_failure_of_pages_stays_html(browser, alice):
    for path in ("/oauth/authorize", "/auth/login/"):
        response = browser.post(path, {"allow": "Authorize"})
        assert response.status_code == 403
        assert response["Content-Type"].startswith("text/html")


# --- 2. wrong methods on routed paths ---------------------------------------------------------

MASTODON_405 = {"error": "Method Not Allowed"}


def sc_405(method: str) -> dict:
    return sc_error("method_not_allowed", f'Method "{method.upper()}" not allowed.')


WRONG_METHODS = [
    ("get", "/oauth/token", "POST, OPTIONS", MASTODON_405),
    ("put", "/oauth/token", "POST, OPTIONS", MASTODON_405),
    ("get", "/oauth/revoke", "POST, OPTIONS", MASTODON_405),
    ("delete", "/oauth/revoke", "POST, OPTIONS", MASTODON_405),
    ("get", "/api/v1/apps", "POST, OPTIONS", MASTODON_405),
    ("delete", "/api/v1/apps", "POST, OPTIONS", MASTODON_405),
    ("post", "/api/v1/instance", "GET, HEAD, OPTIONS", MASTODON_405),
    ("delete", "/api/v2/instance", "GET, HEAD, OPTIONS", MASTODON_405),
    ("patch", "/api/v1/statuses/1", "GET, PUT, DELETE, HEAD, OPTIONS", MASTODON_405),
    ("post", "/api/v1/timelines/public", "GET, HEAD, OPTIONS", MASTODON_405),
    ("post", "/api/v1/statuses/1/quotes", "GET, HEAD, OPTIONS", MASTODON_405),
    ("get", "/api/v1/statuses/1/quotes/2/revoke", "POST, OPTIONS", MASTODON_405),
    ("post", "/api/v1/statuses/1/interaction_policy", "PUT, OPTIONS", MASTODON_405),
    ("get", "/api/v1/statuses/1/translate", "POST, OPTIONS", MASTODON_405),
    ("patch", "/api/v2/status/1/", "GET, PUT, DELETE, HEAD, OPTIONS", sc_405("patch")),
    ("delete", "/api/v2/status/", "GET, POST, HEAD, OPTIONS", sc_405("delete")),
    ("get", "/api/v2/media/", "POST, OPTIONS", sc_405("get")),
    ("put", "/api/v2/media/", "POST, OPTIONS", sc_405("put")),
]


@pytest.mark.parametrize(("method", "path", "allow", "body"), WRONG_METHODS)
def test_wrong_method_is_a_405_in_the_dialects_envelope(browser, make_token, alice, method, path,
                                                        allow, body):
    kwargs = {} if method == "get" else {"data": '{"status": "x"}',
                                         "content_type": "application/json"}
    response = getattr(browser, method)(path, HTTP_AUTHORIZATION=f"Bearer {make_token(alice)}",
                                        **kwargs)
    assert_error(response, 405, body)
    assert response["Allow"] == allow
    assert not Status.objects.exists()


def test_oauth_errors_without_a_content_type_are_labelled_json(anon, app):
    response = anon.post("/oauth/token?grant_type=client_credentials",
                         {"client_id": app.client_id, "client_secret": "x"})
    assert_error(response, 400, {"error": "invalid_request",
                                 "error_description": "URL query parameters are not allowed"})


# --- 3. NUL bytes and unpaired surrogates in Mastodon text ------------------------------------


def validation_failed(*messages: str) -> dict:
    return {"error": "Validation failed: " + ", ".join(messages)}


@pytest.mark.parametrize("fmt", ["multipart", "json"])
@pytest.mark.parametrize(("fields", "messages"), [
    ({"status": "a\x00b"}, ["Status contains a null byte"]),
    ({"status": "ok", "spoiler_text": "\x00"}, ["Spoiler text contains a null byte"]),
    ({"status": "\x00", "spoiler_text": "cw\x00"},
     ["Status contains a null byte", "Spoiler text contains a null byte"]),
    ({"status": "ok", "language": "e\x00n"}, ["Language contains a null byte"]),
])
def test_null_bytes_in_a_new_status_are_422(alice_client, fmt, fields, messages):
    response = alice_client.post("/api/v1/statuses", fields, format=fmt)
    assert_error(response, 422, validation_failed(*messages))
    assert not Status.objects.exists()


def test_null_bytes_in_json_arrays_and_objects_are_found(alice_client):
    response = alice_client.post(
        "/api/v1/statuses",
        {"status": "ok", "allowed_mentions": ["1", "2\x00"], "poll": {"options": ["a\x00"]}},
        format="json",
    )
    assert_error(response, 422, validation_failed("Allowed mentions contains a null byte",
                                                  "Options contains a null byte"))
    assert not Status.objects.exists()


def test_unpaired_surrogates_are_422_and_pairs_are_text(alice_client):
    response = alice_client.generic("POST", "/api/v1/statuses", '{"status": "a\\ud800b"}',
                                    content_type="application/json")
    assert_error(response, 422, validation_failed("Status contains an unpaired surrogate"))
    assert not Status.objects.exists()
    paired = alice_client.generic("POST", "/api/v1/statuses", '{"status": "a\\ud83d\\ude00"}',
                                  content_type="application/json")
    assert paired.status_code == 200
    assert paired.json()["content"] == "<p>a\U0001F600</p>"


@pytest.mark.parametrize(("fmt", "body", "messages"), [
    ("multipart", {"status": "edited\x00"}, ["Status contains a null byte"]),
    ("json", {"status": "edited", "spoiler_text": "\x00"}, ["Spoiler text contains a null byte"]),
    ("json", {"status": "edited", "media_attributes": [{"id": "1", "description": "a\x00"}]},
     ["Description contains a null byte"]),
    ("multipart", {"status": "edited", "media_attributes[][description]": "a\x00"},
     ["Description contains a null byte"]),
])
def test_null_bytes_in_an_edit_are_422_and_nothing_changes(alice_client, alice, fmt, body,
                                                           messages):
    status = services.status_create(account=alice, text="original")
    response = alice_client.put(f"/api/v1/statuses/{status.pk}", body, format=fmt)
    assert_error(response, 422, validation_failed(*messages))
    status.refresh_from_db()
    assert status.text == "original"
    assert not StatusEdit.objects.exists()


@pytest.mark.parametrize("path", ["/api/v1/media", "/api/v2/media"])
def test_null_byte_in_a_media_description_is_422(alice_client, path):
    response = alice_client.post(path, {"file": png(), "description": "a\x00b"},
                                 format="multipart")
    assert_error(response, 422, validation_failed("Description contains a null byte"))
    assert not MediaAttachment.objects.exists()


def test_an_oversized_upload_is_still_refused_before_its_body_is_read(alice_client, settings):
    # The body is checked when first parsed, not up front, so the media view's length check
    # still answers first and nothing is read.
    response = alice_client.generic(
        "POST", "/api/v1/media", b"--x\r\n", content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.MEDIA_OTHER_LIMIT + 2 * 1024 * 1024),
    )
    assert_error(response, 422, validation_failed("File file size must be less than 100 MB"))


def test_null_byte_in_a_delete_body_deletes_nothing(alice_client, alice):
    status = services.status_create(account=alice, text="kept")
    response = alice_client.delete(f"/api/v1/statuses/{status.pk}", {"delete_media": "\x00"},
                                   format="json")
    assert_error(response, 422, validation_failed("Delete media contains a null byte"))
    status.refresh_from_db()
    assert status.deleted_at is None


@pytest.mark.parametrize("fmt", ["multipart", "json"])
def test_null_byte_in_a_media_update_is_422(alice_client, fmt):
    uploaded = alice_client.post("/api/v1/media", {"file": png(), "description": "kept"},
                                 format="multipart")
    assert uploaded.status_code == 200
    media_id = uploaded.json()["id"]
    response = alice_client.put(f"/api/v1/media/{media_id}",
                                {"description": "a\x00", "focus": "0.1,0.1"}, format=fmt)
    assert_error(response, 422, validation_failed("Description contains a null byte"))
    media = MediaAttachment.objects.get(pk=media_id)
    assert media.description == "kept"


@pytest.mark.parametrize("fmt", ["multipart", "json"])
def test_null_byte_in_an_app_name_is_422(anon, fmt):
    before = Application.objects.count()
    response = anon.post("/api/v1/apps", {"client_name": "My\x00App",
                                          "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"},
                         format=fmt)
    assert_error(response, 422, validation_failed("Client name contains a null byte"))
    assert Application.objects.count() == before


@pytest.mark.parametrize(("query", "message"), [
    ("max_id=%00", "Max id contains a null byte"),
    ("limit=2%001", "Limit contains a null byte"),
    ("local=true%00", "Local contains a null byte"),
])
def test_null_bytes_in_query_strings_are_422(alice_client, query, message):
    response = alice_client.get(f"/api/v1/timelines/public?{query}")
    assert_error(response, 422, validation_failed(message))


def test_null_bytes_in_list_query_parameters_are_422(alice_client):
    response = alice_client.get("/api/v1/accounts/relationships?id[]=1&id[]=%00")
    assert_error(response, 422, validation_failed("Id contains a null byte"))


@pytest.mark.parametrize("fmt", ["json", "multipart"])
def test_null_byte_in_a_translate_lang_is_422(alice_client, fmt):
    status = alice_client.post("/api/v1/statuses", {"status": "hola"}, format="json").json()
    response = alice_client.post(f"/api/v1/statuses/{status['id']}/translate",
                                 {"lang": "d\x00e"}, format=fmt)
    assert_error(response, 422, validation_failed("Lang contains a null byte"))


def test_authentication_answers_before_the_null_byte_check(anon):
    response = anon.post("/api/v1/statuses", {"status": "a\x00b"})
    assert_error(response, 401, {"error": "The access token is invalid"})


def oauth_invalid(description: str) -> dict:
    return {"error": "invalid_request", "error_description": description}


def test_null_bytes_in_oauth_token_requests_are_invalid_request(anon, app):
    response = anon.post("/oauth/token", {"grant_type": "client_credentials",
                                          "client_id": "a\x00", "client_secret": "b"})
    assert_error(response, 400, oauth_invalid("Client id contains a null byte"))
    response = anon.post("/oauth/token", {"grant_type": "password", "client_id": app.client_id,
                                          "client_secret": "x", "username": "alice\x00",
                                          "password": "p"})
    assert_error(response, 400, oauth_invalid("Username contains a null byte"))


@pytest.mark.parametrize("credentials", [b"a\x00:b", b"a%00:b", b"a:\xed\xa0\x80\x00"])
def test_null_bytes_in_basic_client_credentials_are_invalid_request(anon, credentials):
    response = anon.post("/oauth/token", {"grant_type": "client_credentials"},
                         HTTP_AUTHORIZATION="Basic " + base64.b64encode(credentials).decode())
    assert_error(response, 400, oauth_invalid("Authorization contains a null byte"))


def test_null_bytes_in_revoke_and_authorize_are_invalid_request(anon, alice, app):
    response = anon.post("/oauth/revoke", {"token": "x\x00", "client_id": app.client_id})
    assert_error(response, 400, oauth_invalid("Token contains a null byte"))
    browser = Client()
    browser.force_login(alice)
    response = browser.get("/oauth/authorize?response_type=code&client_id=%00"
                           "&redirect_uri=urn:ietf:wg:oauth:2.0:oob")
    assert_error(response, 400, oauth_invalid("Client id contains a null byte"))


@pytest.mark.parametrize(("raw", "field", "code", "message"), [
    ('"a\\u0000b"', "text", "null_characters_not_allowed", "Null characters are not allowed."),
    ('"a\\ud800b"', "text", "surrogate_characters_not_allowed",
     "Surrogate characters are not allowed: U+D800."),
])
def test_selfcommunity_refuses_null_bytes_and_surrogates_with_400(sc, raw, field, code, message):
    body = '{"action": null, "categories": [], "text": ' + raw + "}"
    response = sc.generic("POST", "/api/v2/status/", body, content_type="application/json")
    assert_error(response, 400, {"errors": [sc_field(field, code, message)]})
    assert not Status.objects.exists()


# --- 4. deep and malformed JSON ---------------------------------------------------------------

PARSE_ERROR = {"error": "Error occurred while parsing request parameters"}
DEEP_ARRAY = "[" * 5000 + "]" * 5000
DEEP_OBJECT = '{"a": ' * 5000 + "1" + "}" * 5000
DEEP_IN_A_FIELD = '{"status": ' + DEEP_ARRAY + "}"
TOO_DEEP = f"nested deeper than {MAX_DEPTH} levels"


@pytest.mark.parametrize("raw", [DEEP_ARRAY, DEEP_OBJECT, DEEP_IN_A_FIELD, '{"status": ', "{]"])
def test_deep_or_malformed_json_is_a_mastodon_parse_error(alice_client, alice, raw):
    status = services.status_create(account=alice, text="original")
    for method, path in [("POST", "/api/v1/statuses"), ("PUT", f"/api/v1/statuses/{status.pk}"),
                         ("POST", "/api/v1/apps")]:
        response = alice_client.generic(method, path, raw, content_type="application/json")
        assert_error(response, 400, PARSE_ERROR)
    assert list(Status.objects.values_list("text", flat=True)) == ["original"]
    assert not StatusEdit.objects.exists()


@pytest.mark.parametrize(("raw", "message"), [
    (DEEP_ARRAY, f"JSON parse error - {TOO_DEEP}"),
    (DEEP_OBJECT, f"JSON parse error - {TOO_DEEP}"),
    ('{"action": null, "categories": ' + DEEP_ARRAY + "}", f"JSON parse error - {TOO_DEEP}"),
    ('{"text": ', "JSON parse error - Expecting value: line 1 column 10 (char 9)"),
    ('{"text": NaN}', "JSON parse error - Out of range float values are not JSON compliant: "
                      "'NaN'"),
])
def test_deep_or_malformed_json_is_a_selfcommunity_parse_error(sc, alice, raw, message):
    status = services.status_create(account=alice, text="original")
    for method, path in [("POST", "/api/v2/status/"), ("PUT", f"/api/v2/status/{status.pk}/")]:
        response = sc.generic(method, path, raw, content_type="application/json")
        assert_error(response, 400, sc_error("parse_error", message))
    assert list(Status.objects.values_list("text", flat=True)) == ["original"]
    assert not StatusEdit.objects.exists()


@pytest.mark.parametrize("raw", [DEEP_OBJECT, '{"quote_approval_policy": ', "{]"])
def test_malformed_interaction_policy_is_a_parse_error(alice_client, alice, raw):
    status = services.status_create(account=alice, text="original")
    response = alice_client.generic("PUT", f"/api/v1/statuses/{status.pk}/interaction_policy",
                                    raw, content_type="application/json")
    assert_error(response, 400, PARSE_ERROR)
    assert Status.objects.get(pk=status.pk).quote_policy == 2


def test_quote_parameters_with_a_nul_byte_write_nothing(alice_client, alice):
    status = services.status_create(account=alice, text="original")
    response = alice_client.post("/api/v1/statuses", {
        "status": "x", "quoted_status_id": f"{status.pk}\x00"}, format="json")
    assert_error(response, 422, validation_failed("Quoted status id contains a null byte"))
    response = alice_client.post("/api/v1/statuses", {
        "status": "x", "quote_approval_policy": "public\x00"}, format="json")
    assert_error(response, 422, validation_failed("Quote approval policy contains a null byte"))
    response = alice_client.put(f"/api/v1/statuses/{status.pk}/interaction_policy",
                                {"quote_approval_policy": "\x00"}, format="json")
    assert_error(response, 422, validation_failed("Quote approval policy contains a null byte"))
    assert Status.objects.count() == 1 and not MediaAttachment.objects.exists()


def test_nesting_up_to_the_limit_is_accepted(alice_client):
    # The body object is level 1; `extra` adds MAX_DEPTH - 1 levels.
    inner = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    response = alice_client.generic("POST", "/api/v1/statuses",
                                    '{"status": "deep enough", "extra": ' + inner + "}",
                                    content_type="application/json")
    assert response.status_code == 200, response.content
    deeper = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    response = alice_client.generic("POST", "/api/v1/statuses",
                                    '{"status": "too deep", "extra": ' + deeper + "}",
                                    content_type="application/json")
    assert_error(response, 400, PARSE_ERROR)
    assert list(Status.objects.values_list("text", flat=True)) == ["deep enough"]


def test_brackets_inside_strings_are_not_nesting(alice_client):
    text = '[{\\"[' * 80
    response = alice_client.generic("POST", "/api/v1/statuses", '{"status": "' + text + '"}',
                                    content_type="application/json")
    assert response.status_code == 200, response.content
    assert Status.objects.get().text == '[{"[' * 80


def test_deep_json_to_the_token_endpoint_is_json(anon):
    # A JSON body is read as the form (as Doorkeeper does); anything but a flat object is an
    # invalid_request, before any decoding could recurse.
    response = anon.generic("POST", "/oauth/token", DEEP_ARRAY, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"] == "invalid_request"


@pytest.mark.parametrize(("text", "deep"), [
    ("[]", False),
    ("[" * 64 + "]" * 64, False),
    ("[" * 65 + "]" * 65, True),
    ('{"a": "' + "[" * 100 + '"}', False),
    ('["\\\\", ' + "[" * 64 + "]" * 64 + "]", True),  # an escaped backslash ends no string
    ('["\\"' + "[" * 100 + '"]', False),  # an escaped quote does not end the string
    ("[" * 100, True),  # malformed and deep: refused before the decoder recurses
])
def test_nesting_depth_is_counted_outside_strings(text, deep):
    assert nesting_depth_exceeds(text) is deep


# --- 5. SelfCommunity nested field errors -----------------------------------------------------


@pytest.mark.parametrize(("fields", "items"), [
    ({"location": {"lat": "north"}}, [
        sc_field("location.location", "required", "This field is required."),
        sc_field("location.lat", "invalid", "A valid number is required."),
        sc_field("location.lng", "required", "This field is required."),
    ]),
    ({"location": {"location": "Trento", "lat": 91, "lng": "x"}}, [
        sc_field("location.lat", "max_value", "Ensure this value is less than or equal to 90."),
        sc_field("location.lng", "invalid", "A valid number is required."),
    ]),
    ({"location": "x"}, [
        sc_field("location", "invalid", "Invalid data. Expected a dictionary, but got str."),
    ]),
    ({"location": ["x"]}, [
        sc_field("location", "invalid", "Invalid data. Expected a dictionary, but got list."),
    ]),
    ({"categories": ["x"]}, [
        sc_field("categories.0", "invalid", "A valid integer is required."),
    ]),
    ({"categories": [1, "x", 0]}, [
        sc_field("categories.1", "invalid", "A valid integer is required."),
        sc_field("categories.2", "min_value", "Ensure this value is greater than or equal to 1."),
    ]),
    ({"categories": "1"}, [
        sc_field("categories", "not_a_list", 'Expected a list of items but got type "str".'),
    ]),
    ({"tags": [-1], "addressing": ["a"]}, [
        sc_field("addressing.0", "invalid", "A valid integer is required."),
        sc_field("tags.0", "min_value", "Ensure this value is greater than or equal to 1."),
    ]),
])
def test_nested_errors_flatten_to_dotted_fields(sc, alice, fields, items):
    body = {"action": None, "text": "hello", "categories": [], **fields}
    response = sc.post("/api/v2/status/", body, format="json")
    assert_error(response, 400, {"errors": items})
    assert not Status.objects.exists()
    status = services.status_create(account=alice, text="original")
    response = sc.put(f"/api/v2/status/{status.pk}/", body, format="json")
    assert_error(response, 400, {"errors": items})
    status.refresh_from_db()
    assert status.text == "original"


def test_selfcommunity_refuses_null_bytes_in_nested_fields(sc):
    response = sc.post("/api/v2/status/", {"action": None, "categories": [], "text": "x",
                                           "location": {"location": "a\x00", "lat": 1, "lng": 2}},
                       format="json")
    assert_error(response, 400, {"errors": [sc_field(
        "location.location", "null_characters_not_allowed", "Null characters are not allowed.")]})
    assert not Status.objects.exists()


def test_missing_fields_stay_top_level(sc):
    response = sc.post("/api/v2/status/", {"text": "hello"}, format="json")
    assert_error(response, 400, {"errors": [
        sc_field("action", "required", "This field is required."),
        sc_field("categories", "required", "This field is required."),
    ]})


def test_field_items_of_list_serializers_and_non_field_errors():
    detail = {
        "medias": [{}, {"id": [ErrorDetail("Not found.", code="does_not_exist")]}],
        "location": {"non_field_errors": [ErrorDetail("Bad place.", code="invalid")]},
        "non_field_errors": [ErrorDetail("Nothing to post.", code="empty")],
    }
    assert _field_items(detail) == [
        sc_field("medias.1.id", "does_not_exist", "Not found."),
        sc_field("location", "invalid", "Bad place."),
        {"code": "empty", "message": "Nothing to post."},
    ]
    assert _field_items([ErrorDetail("Oops.", code="invalid")]) == [
        {"code": "invalid", "message": "Oops."}]

"""Cross-origin access for browser clients, and the JSON envelope of framework-level errors."""


def test_preflight_allows_any_origin_with_authorization_header(anon):
    response = anon.options(
        "/api/v1/statuses",
        HTTP_ORIGIN="https://web.client.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type, idempotency-key",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    allowed = response["Access-Control-Allow-Headers"].lower()
    assert "authorization" in allowed and "idempotency-key" in allowed


def test_preflight_allows_the_content_range_of_chunked_uploads(anon):
    """SelfCommunity's UI sends each piece of a chunked upload with Content-Range (rpldy's
    chunked sender): from another origin, the preflight must allow it."""
    response = anon.options(
        "/api/v2/media/upload/chunk/",
        HTTP_ORIGIN="https://web.client.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-range",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    allowed = {name.strip() for name in
               response["Access-Control-Allow-Headers"].lower().split(",")}
    assert {"authorization", "content-range"} <= allowed


def test_cors_headers_on_api_and_oauth_but_not_admin(anon):
    api = anon.get("/api/v1/instance", HTTP_ORIGIN="https://web.client.example")
    assert api["Access-Control-Allow-Origin"] == "*"
    assert "Link" in api["Access-Control-Expose-Headers"]
    token = anon.post("/oauth/token", {}, HTTP_ORIGIN="https://web.client.example")
    assert token["Access-Control-Allow-Origin"] == "*"
    admin = anon.get("/admin/login/", HTTP_ORIGIN="https://web.client.example")
    assert "Access-Control-Allow-Origin" not in admin


def test_wrong_method_is_json(alice_client):
    response = alice_client.patch("/api/v1/statuses/1", {})
    assert response.status_code == 405
    assert response.json() == {"error": "Method Not Allowed"}


def test_oversized_body_is_json_400(alice_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = alice_client.post(
        "/api/v1/statuses", {"status": "x" * 5000}, format="json"
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"error": "Request body too large"}


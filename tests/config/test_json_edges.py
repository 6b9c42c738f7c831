"""The edges the adversarial probe found answering HTML or saying too much: the schema views'
errors, `/health` to other methods, OPTIONS on API routes, and gunicorn's own refusals (a request
line or headers over its limits), all JSON now."""

import http.client
import socket
import subprocess
import sys

import pytest
from django.test import Client

from statuses import services
from tests.config.live import BASE_DIR, free_port, server_env, stop, wait_for_port

JSON = "application/json; charset=utf-8"


def test_wrong_method_on_the_schema_is_a_json_405(client):
    response = client.post("/api/schema/")
    assert response.status_code == 405
    assert response["Content-Type"] == JSON
    assert response.json() == {"error": "Method Not Allowed"}
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_unknown_schema_format_is_a_json_404(client):
    response = client.get("/api/schema/", {"format": "bogus"})
    assert response.status_code == 404
    assert response["Content-Type"] == JSON
    assert response.json() == {"error": "Not Found"}


def test_wrong_method_on_swagger_ui_is_a_json_405(client):
    response = client.delete("/api/docs/")
    assert response.status_code == 405
    assert response["Content-Type"] == JSON
    assert response.json() == {"error": "Method Not Allowed"}


def test_schema_itself_is_still_served(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response.json()["openapi"] == "3.1.0"


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_health_answers_other_methods_with_a_json_405_not_a_csrf_page(db, method):
    browser = Client(enforce_csrf_checks=True)  # as a real client: no CSRF token
    response = getattr(browser, method)("/health")
    assert response.status_code == 405
    assert response["Content-Type"] == JSON
    assert response.json() == {"error": "Method Not Allowed"}
    assert response["Allow"] == "GET, HEAD"


def test_health_still_answers_get_and_head(db):
    assert Client().get("/health").status_code == 200
    assert Client().head("/health").status_code == 200


@pytest.mark.parametrize(("path", "allow"), [
    ("/api/v1/statuses/{id}", "GET, PUT, DELETE, HEAD, OPTIONS"),
    ("/api/v2/status/", "GET, POST, HEAD, OPTIONS"),
    ("/api/v2/status/{id}/vote/", "GET, POST, HEAD, OPTIONS"),
])
def test_options_answers_allow_without_describing_the_view(client, alice, path, allow):
    status = services.status_create(account=alice, text="x")
    response = client.options(path.format(id=status.pk))
    assert response.status_code == 204
    assert response.content == b""
    assert response["Allow"] == allow


def test_cors_preflight_is_answered_for_api_routes(client):
    response = client.options("/api/v2/status/", HTTP_ORIGIN="https://app.example",
                              HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
                              HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "authorization" in response["Access-Control-Allow-Headers"]
    assert "POST" in response["Access-Control-Allow-Methods"]


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    """gunicorn with the production configuration (config/gunicorn.conf.py), which is where its
    own error pages are replaced."""
    port = free_port()
    database = tmp_path_factory.mktemp("edges") / "db.sqlite3"
    env = server_env(PORT=str(port), WORKERS="1", DATABASE_URL=f"sqlite:///{database}")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(BASE_DIR / "config" / "gunicorn.conf.py")],
        cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process)
        yield port
    finally:
        stop(process)


def _raw(port: int, request: bytes) -> tuple[int, dict, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, dict(response.getheaders()), response.read()


@pytest.mark.live
def test_request_line_over_the_servers_limit_is_a_json_414(production_server):
    path = "/api/v1/timelines/public?q=" + "a" * 70_000
    status, headers, body = _raw(production_server,
                                 f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    assert status == 414
    assert headers["Content-Type"] == JSON
    assert body == b'{"error": "URI Too Long"}'


@pytest.mark.live
def test_oversized_header_is_a_json_431(production_server):
    request = (f"GET /api/v1/instance HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {'b' * 9000}\r\n\r\n")
    status, headers, body = _raw(production_server, request.encode())
    assert status == 431
    assert headers["Content-Type"] == JSON
    assert body == b'{"error": "Request Header Fields Too Large"}'


@pytest.mark.live
def test_malformed_request_line_is_a_json_400(production_server):
    status, headers, body = _raw(production_server, b"GARBAGE\r\n\r\n")
    assert status == 400
    assert headers["Content-Type"] == JSON
    assert body == b'{"error": "Bad Request"}'

"""The OpenAPI description at /api/schema/ (and Swagger UI at /api/docs/) is true to the wire:
every routed API path is in it, and real responses of every operation, successes and errors, in
both dialects, validate against the schema it gives for their status code.

The requests are the authorization matrix's rows (tests/api/test_authorization_matrix.py), run
for a few kinds of caller on its world, so a route added there is exercised here too."""

import json

import pytest
from django.contrib.staticfiles import finders
from jsonschema import Draft202012Validator
from rest_framework.test import APIClient

from tests.api.test_authorization_matrix import (  # noqa: F401  (fixtures used by name)
    TABLE,
    Cell,
    _call,
    _media_root,
    _translation_provider,
    _translation_server,
    client,
    routes,
    world,
)

# Who asks about what: a success, anonymous refusals, a hidden status, a token without the scope.
CELLS = (("author", "public"), ("anonymous", "private"), ("stranger", "private"),
         ("noscope", "public"), ("revoked", "direct"), ("moderator", "collapsed"))
# Not operations of the API: the description itself, its UI, and the JSON 404 catch-all.
NOT_OPERATIONS = {"api/schema/", "api/docs/", "(api|oauth)/"}


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/?format=json")
    assert response.status_code == 200, response.content[:500]
    return json.loads(response.content)


def schema_path(key: str) -> str:
    """The matrix's route key as the description spells the path."""
    return "/" + key.replace("{pk}", "{id}").replace("/?", "")


def _validate(document: dict, body, schema: dict) -> list[str]:
    root = {"$defs": {}, "components": document["components"], "allOf": [schema]}
    validator = Draft202012Validator(root)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}"
            for e in validator.iter_errors(body)][:5]


def test_schema_is_openapi_31_in_yaml_and_json(db):
    anonymous = APIClient()
    yaml = anonymous.get("/api/schema/")
    assert yaml.status_code == 200
    assert yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    assert yaml.content.startswith(b"openapi: 3.1.0")
    response = anonymous.get("/api/schema/?format=json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    document = json.loads(response.content)
    assert document["openapi"] == "3.1.0"
    assert "OAuth2" in document["components"]["securitySchemes"]


def test_swagger_ui_is_served_from_local_files(db):
    response = APIClient().get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "/api/schema/" in page
    for outside in ("cdn.jsdelivr", "unpkg.com", "cdnjs", "https://"):
        assert outside not in page
    for asset in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        assert finders.find(f"drf_spectacular_sidecar/swagger-ui-dist/{asset}"), asset


def test_unknown_api_paths_still_answer_json_404(db):
    for path in ("/api/schema", "/api/docs", "/api/schema/nowhere", "/api/docs/nowhere"):
        response = APIClient().get(path)
        assert response.status_code == 404, path
        assert json.loads(response.content) == {"error": "Not Found"}


def test_every_routed_api_path_is_in_the_schema(schema):
    missing = [f"{method} {key}" for key, method in routes()
               if key.startswith("api/") and key not in NOT_OPERATIONS
               and method.lower() not in schema["paths"].get(schema_path(key), {})]
    assert not missing, f"routed but not described: {missing}"


def test_every_operation_in_the_schema_is_routed_and_exercised(schema):
    routed = {(schema_path(k), m.lower()) for k, m in routes() if k not in NOT_OPERATIONS}
    described = {(path, method) for path, item in schema["paths"].items() for method in item}
    assert described - routed == set()
    exercised = {(schema_path(k), m.lower()) for k, m in TABLE if k not in NOT_OPERATIONS}
    assert described - exercised == set()


def test_ids_are_strings_in_mastodon_and_integers_in_selfcommunity(schema):
    components = schema["components"]["schemas"]
    assert components["Status"]["properties"]["id"]["type"] == "string"
    assert components["Account"]["properties"]["id"]["type"] == "string"
    assert components["SCStatus"]["properties"]["id"]["type"] == "integer"
    assert components["SCUser"]["properties"]["id"]["type"] == "integer"
    status = schema["paths"]["/api/v1/statuses/{id}"]["get"]
    assert status["parameters"][0]["schema"] == {"type": "string"}
    sc_status = schema["paths"]["/api/v2/status/{id}/"]["get"]
    assert sc_status["parameters"][0]["schema"] == {"type": "integer"}
    error = components["MastodonError"]
    assert error["required"] == ["error"] and error["properties"]["error"]["type"] == "string"
    assert components["SCErrors"]["required"] == ["errors"]


def _operation_cells():
    for (key, method), row in TABLE.items():
        if key in NOT_OPERATIONS or not key.startswith("api/"):
            continue
        for viewer, status in CELLS:
            if not row.per_status:
                status = None
            yield pytest.param(key, method, viewer, status, id=f"{method}:{key}:{viewer}")


def _unique(cells):
    seen = set()
    for cell in cells:
        if cell.values not in seen:
            seen.add(cell.values)
            yield cell


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "method", "viewer", "status"), list(_unique(_operation_cells())))
def test_response_matches_the_schema(schema, world, client, key, method, viewer,  # noqa: F811
                                     status):
    row = TABLE[(key, method)]
    response = _call(client, world, row, Cell(viewer, status), method)
    operation = schema["paths"][schema_path(key)][method.lower()]
    code = str(response.status_code)
    assert code in operation["responses"], (
        f"{method} {key} answered {code}, which the schema does not list "
        f"({sorted(operation['responses'])}): {response.content[:300]}")
    described = operation["responses"][code]
    content = described.get("content")
    if content is None:
        assert response.content == b"", f"{code} is described without a body"
        return
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = json.loads(response.content)
    errors = _validate(schema, body, content["application/json"]["schema"])
    assert not errors, f"{method} {key} {code}: {errors}\n{response.content[:600]}"


def test_a_body_that_drifted_from_the_schema_fails(schema):
    """The validation above is not vacuous: the other dialect's id type is refused."""
    mastodon = {"$ref": "#/components/schemas/Status"}
    selfcommunity = {"$ref": "#/components/schemas/SCStatus"}
    assert any("id" in e for e in _validate(schema, {"id": 1}, mastodon))
    assert any("id" in e for e in _validate(schema, {"id": "1"}, selfcommunity))
    assert _validate(schema, {"errors": []}, {"$ref": "#/components/schemas/SCErrors"})
    assert _validate(schema, {"errors": ["x"]}, {"$ref": "#/components/schemas/MastodonError"})

"""drf-spectacular's AutoSchema and postprocessing hook for both dialects.

Our views build their JSON by hand, so nothing is introspected from serializers: each operation
takes its success response, parameters and request body from the registry of its dialect
(mastodon.py over the extracted community file, selfcommunity.py written from the SelfCommunity
spec), and its error responses from the view's own token rules (`token_required_actions`,
`required_scopes`) and the dialect's error envelope. An operation missing from its registry
fails the generation, so a new route cannot ship undescribed.
"""

import copy
import re

from drf_spectacular.openapi import AutoSchema

from config.api.schema import mastodon, selfcommunity

SECURITY_SCHEME = "OAuth2"

MASTODON_ERRORS = {
    400: "The request body could not be parsed",
    401: "The access token is missing, invalid, expired or revoked",
    403: "Outside the token's scopes, login disabled, or not allowed",
    404: "Not found, or not visible to the caller",
    422: "Validation failed (parameters, or a token without a user where one is needed)",
    429: "Too many requests (rate limits)",
}
# What the server (gunicorn) answers before any view runs, for every operation of both dialects.
SERVER_ERRORS = {
    414: "The request line is longer than the server reads (4094 bytes)",
}
SC_ERRORS = {
    400: "Invalid parameters or body (field errors; a NUL or lone surrogate in any text)",
    401: "Authentication credentials were not provided or are invalid",
    403: "Permission denied (scopes, role, ownership)",
    404: "Not found, or not visible to the caller",
    410: "Gone: the chunked upload was not completed in time and has been removed",
    429: "Request was throttled",
}


def is_selfcommunity(path: str) -> bool:
    return path.startswith("/api/v2/") and path.endswith("/") and path != "/api/v2/instance/"


def public_path(path: str) -> str:
    """The path as clients write it (Mastodon's `instance/?` routes are spelt without a slash)."""
    if not is_selfcommunity(path) and path.endswith("/"):
        return path.rstrip("/")
    return path


class RegistryMissing(Exception):
    pass


def _entry(method: str, path: str) -> tuple[str, dict]:
    path = public_path(path)
    key = f"{method} {path}"
    if is_selfcommunity(path):
        entry = selfcommunity.OPERATIONS.get(key)
        dialect = "selfcommunity"
    else:
        entry = mastodon.load()["operations"].get(f"{method} {mastodon.ALIASES.get(path, path)}")
        dialect = "mastodon"
    if entry is None:
        raise RegistryMissing(f"{key} has no entry in config/api/schema/{dialect}.py")
    return dialect, entry


def _error(dialect: str, code: int) -> dict:
    name = "MastodonError" if dialect == "mastodon" else "SCErrors"
    text = SERVER_ERRORS.get(code) or (MASTODON_ERRORS if dialect == "mastodon" else
                                       SC_ERRORS)[code]
    if code in SERVER_ERRORS:
        # The server cannot know the dialect of a request line it did not read.
        name = "MastodonError"
    return {"description": text, "content": {
        "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}


class DuostatusAutoSchema(AutoSchema):
    """One operation: drf-spectacular's skeleton (operationId, tags, path parameters), our
    registry's content, and the errors the view's token rules and the dialect can answer."""

    def _token_rules(self) -> tuple[bool, list[str]]:
        view = self.view
        action = getattr(view, "action", None) or self.method.lower()
        required = action in getattr(view, "token_required_actions", ())
        scopes = getattr(view, "required_scopes", {})
        wanted = scopes.get(action) or scopes.get(self.method) or ()
        return required, list(wanted)

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        dialect, entry = _entry(method, path)
        entry = copy.deepcopy(entry)
        required, scopes = self._token_rules()
        id_type = "integer" if dialect == "selfcommunity" else "string"
        parameters = [
            {**p, "schema": {"type": id_type}, "required": True}
            for p in operation.get("parameters", []) if p.get("in") == "path"
        ]
        parameters += entry.get("parameters") or []
        operation.pop("description", None)
        operation["summary"] = entry.get("summary", "")
        if entry.get("description"):
            operation["description"] = entry["description"]
        operation["tags"] = [f"{dialect}: {operation.get('tags', ['api'])[0]}"]
        operation["parameters"] = parameters
        if entry.get("requestBody"):
            operation["requestBody"] = entry["requestBody"]
        else:
            operation.pop("requestBody", None)
        token = [{SECURITY_SCHEME: scopes}]
        operation["security"] = token if required else [{}, *token]
        success = {"description": "Success"}
        if entry.get("schema") is not None:
            success["content"] = {"application/json": {"schema": entry["schema"]}}
        else:
            success["description"] = "Success, no body" if entry["success"] == 204 else \
                "Success"
        responses = {str(entry["success"]): success}
        codes = {403, *SERVER_ERRORS}
        if required:
            codes.add(401)
        if "{" in path:
            codes.add(404)
        if dialect == "mastodon":
            # Every Mastodon request is rate limited and has its parameters checked (a NUL
            # byte or an unpaired surrogate is a 422), whatever the route.
            codes |= {422, 429}
            if method in ("POST", "PUT", "PATCH"):
                codes.add(400)
            codes |= set(mastodon.EXTRA_ERRORS.get(f"{method} {public_path(path)}", ()))
        else:
            codes |= set(entry.get("errors", ()))
            # Every request has its query and body text checked (a NUL is a 400 on its field).
            codes |= {400, 429}
        for code in sorted(codes):
            responses[str(code)] = _error(dialect, code)
        operation["responses"] = responses
        return operation


def postprocess(result, generator, request, public):
    """Paths as clients spell them, the component schemas of both dialects, the OAuth2 scheme."""
    result["paths"] = {public_path(path): item for path, item in result["paths"].items()}
    components = result.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.update(copy.deepcopy(mastodon.load()["schemas"]))
    schemas.update(copy.deepcopy(selfcommunity.SCHEMAS))
    from django.conf import settings

    scopes = dict(settings.OAUTH2_PROVIDER.get("SCOPES", {})) if hasattr(
        settings, "OAUTH2_PROVIDER") else {}
    components["securitySchemes"] = {SECURITY_SCHEME: {
        "type": "oauth2",
        "description": "Bearer tokens from /oauth/token (Authorization: Bearer <token>); both "
                       "dialects take the same tokens.",
        "flows": {
            "authorizationCode": {"authorizationUrl": "/oauth/authorize",
                                  "tokenUrl": "/oauth/token", "scopes": scopes},
            "clientCredentials": {"tokenUrl": "/oauth/token", "scopes": scopes},
        },
    }}
    result["tags"] = sorted(
        ({"name": t} for t in {tag for item in result["paths"].values()
                               for op in item.values() for tag in op.get("tags", [])}),
        key=lambda t: t["name"])
    unknown = sorted(_dangling_refs(result) - set(schemas))
    if unknown:
        raise RegistryMissing(f"schemas referred to but not defined: {unknown}")
    return result


def _dangling_refs(node, found=None) -> set[str]:
    found = set() if found is None else found
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            match = re.fullmatch(r"#/components/schemas/(.+)", ref)
            if match:
                found.add(match.group(1))
        for value in node.values():
            _dangling_refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _dangling_refs(value, found)
    return found

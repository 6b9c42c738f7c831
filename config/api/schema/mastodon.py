"""The Mastodon v1 side of the description: the operations and component schemas extracted from
the community OpenAPI file (mastodon.json, made by extract_mastodon.py), and where Duostatus's
wire departs from that file, the patches below (each found by tests/api/test_openapi.py against
real responses, and each true of real Mastodon too unless said otherwise)."""

import copy
import json
from functools import cache
from pathlib import Path

_FILE = Path(__file__).resolve().parent / "mastodon.json"

ERROR = {"type": "object", "required": ["error"], "properties": {
    "error": {"type": "string", "description": "What went wrong, in Mastodon's words."},
    "error_description": {"type": "string"}}, "description": "Every Mastodon error: "
    '`{"error": "..."}` (a 422 may add `details`).'}

# Ours -> the spec's spelling of a path.
ALIASES = {"/api/v1/accounts/{account_id}/statuses": "/api/v1/accounts/{id}/statuses",
           "/api/v1/accounts/{account_id}/featured_tags": "/api/v1/accounts/{id}/featured_tags",
           "/api/v1/tags/{name}/feature": "/api/v1/tags/{id}/feature",
           "/api/v1/tags/{name}/unfeature": "/api/v1/tags/{id}/unfeature"}

# Operations the community file lacks.
EXTRA_OPERATIONS = {
    # Mastodon 4.0's list of the languages it knows (Api::V1::Instances::LanguagesController).
    "GET /api/v1/instance/languages": {
        "summary": "View all supported languages",
        "description": "Every language code a status may carry, with its name.",
        "parameters": [], "requestBody": None, "success": 200, "scopes": [],
        "schema": {"type": "array", "items": {
            "type": "object", "required": ["code", "name"],
            "properties": {"code": {"type": "string"}, "name": {"type": "string"}}}},
    },
    "GET /api/v1/statuses/{id}/card": {
        "summary": "Fetch preview card (deprecated in Mastodon 3.0, still served)",
        "description": "The preview card of the first link of a status; an empty object when "
                       "it has none.",
        "parameters": [], "requestBody": None, "success": 200, "scopes": ["read:statuses"],
        "schema": {"oneOf": [{"$ref": "#/components/schemas/PreviewCard"},
                             {"type": "object", "maxProperties": 0}]},
    },
    # Mastodon 4.2 (mastodon#25509), which the community file lacks; masto.js calls it.
    "POST /api/v1/conversations/{id}/unread": {
        "summary": "Mark a conversation as unread",
        "description": "The counterpart of `read`.",
        "parameters": [], "requestBody": None, "success": 200, "scopes": ["write:conversations"],
        "schema": {"$ref": "#/components/schemas/Conversation"},
    },
}


_MIN_ID = "Returns results immediately newer than this ID. In effect, sets a cursor at this ID " \
    "and paginates forward."
# Query parameters we serve beyond the community file's (each list's FilterSet declares exactly
# what its operation lists: tests/api/test_list_filtersets.py).
EXTRA_PARAMETERS = {
    # Mastodon pages follow requests by max_id/since_id only; this server also honours min_id
    # (tests/api/mastodon/test_follow_requests.py).
    "GET /api/v1/follow_requests": [{"description": _MIN_ID, "in": "query", "name": "min_id",
                                     "schema": {"description": _MIN_ID, "type": "string"}}],
}


# Errors an operation answers beyond those every operation of its kind answers (generator.py).
EXTRA_ERRORS = {
    # An unknown, deleted or invisible `quoted_status_id`: Mastodon 4.5 answers 404.
    "POST /api/v1/statuses": (404,),
    # A missing `q` ("param is missing or the value is empty: q") and a negative limit or
    # offset are 400; an `offset` or `resolve` without a token 401.
    "GET /api/v2/search": (400, 401),
    "GET /api/v1/accounts/search": (400,),
    # No local account of that name: 404 "Record not found".
    "GET /api/v1/accounts/lookup": (404,),
    # A body that is not a list of ids (malformed JSON or form): 400, as for POST.
    "DELETE /api/v1/lists/{id}/accounts": (400,),
    # `keywords_attributes` naming another filter's keyword (`id`, `_destroy`): 404.
    "POST /api/v2/filters": (404,),
}

EMPTY = {"type": "object", "maxProperties": 0, "description": "An empty object."}
# Success bodies the community file leaves out.
SUCCESS_SCHEMAS = {
    "DELETE /api/v1/media/{id}": EMPTY,
    "DELETE /api/v1/scheduled_statuses/{id}": EMPTY,
    "DELETE /api/v1/conversations/{id}": EMPTY,
    "DELETE /api/v1/suggestions/{account_id}": EMPTY,
    "DELETE /api/v1/featured_tags/{id}": EMPTY,
    "DELETE /api/v1/lists/{id}": EMPTY,
    "POST /api/v1/lists/{id}/accounts": EMPTY,
    "DELETE /api/v1/lists/{id}/accounts": EMPTY,
    "POST /api/v1/notifications/clear": EMPTY,
    "POST /api/v1/notifications/{id}/dismiss": EMPTY,
    "POST /api/v2/notifications/{group_key}/dismiss": EMPTY,
    "POST /api/v1/notifications/requests/{id}/accept": EMPTY,
    "POST /api/v1/notifications/requests/{id}/dismiss": EMPTY,
    "POST /api/v1/notifications/requests/accept": EMPTY,
    "POST /api/v1/notifications/requests/dismiss": EMPTY,
    "GET /api/v1/instance/translation_languages": {
        "type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "description": "Each source language -> the languages it can be translated into."},
    # Mastodon's DELETE answers the deleted status with its source `text` instead of `content`
    # (for "delete and redraft").
    "DELETE /api/v1/statuses/{id}": {"$ref": "#/components/schemas/DeletedStatus"},
    # The community file gives preferences no body schema; 4.5's REST::PreferencesSerializer.
    "GET /api/v1/preferences": {"$ref": "#/components/schemas/Preferences45"},
    "POST /api/v1/announcements/{id}/dismiss": EMPTY,
    "PUT /api/v1/announcements/{id}/reactions/{name}": EMPTY,
    "DELETE /api/v1/announcements/{id}/reactions/{name}": EMPTY,
    # Mastodon's filter controllers `render_empty` on every DELETE; the v1 index is an array.
    "DELETE /api/v2/filters/{id}": EMPTY,
    "DELETE /api/v2/filters/keywords/{id}": EMPTY,
    "DELETE /api/v2/filters/statuses/{id}": EMPTY,
    "DELETE /api/v1/filters/{id}": EMPTY,
    "GET /api/v1/filters": {"type": "array", "items": {"$ref": "#/components/schemas/V1Filter"}},
}

_VISIBILITIES = ["public", "unlisted", "private", "direct"]
PREFERENCES = {
    "type": "object", "additionalProperties": False,
    "description": "A user's preferences (Mastodon 4.5: with the default quote policy).",
    "required": ["posting:default:visibility", "posting:default:sensitive",
                 "posting:default:language", "posting:default:quote_policy",
                 "reading:expand:media", "reading:expand:spoilers", "reading:autoplay:gifs"],
    "properties": {
        "posting:default:visibility": {"type": "string", "enum": _VISIBILITIES},
        "posting:default:sensitive": {"type": "boolean"},
        "posting:default:language": {"type": ["string", "null"]},
        "posting:default:quote_policy": {"type": "string",
                                         "enum": ["public", "followers", "nobody"]},
        "reading:expand:media": {"type": "string", "enum": ["default", "show_all", "hide_all"]},
        "reading:expand:spoilers": {"type": "boolean"},
        "reading:autoplay:gifs": {"type": "boolean"},
    },
}


def _patch_schemas(schemas: dict) -> None:
    """Where our responses are, rightly, not what the community file says."""
    # `quote` is a Quote or a ShallowQuote; a quote whose status is not shown
    # (`quoted_status: null`) is both, which `oneOf` refuses.
    quote = schemas["Status"]["properties"]["quote"]
    quote["anyOf"] = quote.pop("oneOf")
    # A scheduled status keeps the parameters as given: an omitted visibility is null.
    visibility = schemas["ScheduledStatus"]["properties"]["params"]["properties"]["visibility"]
    schemas["ScheduledStatus"]["properties"]["params"]["properties"]["visibility"] = {
        "description": visibility.get("description", ""),
        "oneOf": [{"$ref": visibility["$ref"]}, {"type": "null"}]}
    deleted = copy.deepcopy(schemas["Status"])
    deleted["required"] = sorted({*deleted["required"], "text"} - {"content"})
    deleted["properties"]["text"] = {"type": "string", "description": "The source text."}
    deleted["description"] = "A deleted status, with its source text for redrafting."
    schemas["DeletedStatus"] = deleted
    # Mastodon answers `{}` for an unset field of these, which the file types too narrowly.
    for name, field in (("Account", "discoverable"), ("Account", "hide_collections"),
                        ("CredentialAccount", "discoverable"),
                        ("CredentialAccount", "hide_collections")):
        prop = schemas.get(name, {}).get("properties", {}).get(field)
        if prop is not None and isinstance(prop.get("type"), str):
            prop["type"] = [prop["type"], "null"]
    # The contact address is "" until the admin sets one (Mastodon's site_contact_email
    # defaults to ''; ours is INSTANCE_CONTACT_EMAIL), which `format: email` refuses.
    for email in (schemas["V1Instance"]["properties"]["email"],
                  schemas["Instance"]["properties"]["contact"]["properties"]["email"]):
        email["anyOf"] = [{"type": "string", "format": "email"},
                          {"type": "string", "maxLength": 0}]
        email.pop("format", None)
        email.pop("type", None)


@cache
def load() -> dict:
    data = json.loads(_FILE.read_text())
    data["operations"].update(copy.deepcopy(EXTRA_OPERATIONS))
    # Rails' `resource :policy` routes PUT to the update as PATCH (Mastodon's web app PUTs).
    data["operations"]["PUT /api/v2/notifications/policy"] = copy.deepcopy(
        data["operations"]["PATCH /api/v2/notifications/policy"])
    for key, parameters in EXTRA_PARAMETERS.items():
        data["operations"][key]["parameters"] += copy.deepcopy(parameters)
    for key, schema in SUCCESS_SCHEMAS.items():
        data["operations"][key]["schema"] = copy.deepcopy(schema)
    data["schemas"]["MastodonError"] = ERROR
    data["schemas"]["Preferences45"] = PREFERENCES
    _patch_schemas(data["schemas"])
    return data

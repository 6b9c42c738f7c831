"""Extracts, from the community OpenAPI description of Mastodon (spec/mastodon-openapi.json), the
operations Duostatus serves and the component schemas they reach, into mastodon.json beside this
file, which the schema generator reads. Run again when the spec file or the routes change:

    python -m config.api.schema.extract_mastodon /path/to/mastodon-openapi.json
"""

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "mastodon.json"

# Ours -> the spec's spelling of a path (the spec names every path parameter `id`, or otherwise).
ROUTES = [
    ("GET", "/api/v1/accounts/{id}/statuses"), ("GET", "/api/v1/accounts/{id}"),
    ("POST", "/api/v1/accounts/{id}/block"), ("POST", "/api/v1/accounts/{id}/follow"),
    ("POST", "/api/v1/accounts/{id}/mute"), ("POST", "/api/v1/accounts/{id}/unblock"),
    ("POST", "/api/v1/accounts/{id}/unfollow"), ("POST", "/api/v1/accounts/{id}/unmute"),
    ("GET", "/api/v1/accounts/relationships"), ("GET", "/api/v1/accounts/verify_credentials"),
    ("GET", "/api/v2/search"), ("GET", "/api/v1/accounts/search"),
    ("GET", "/api/v1/accounts/lookup"),
    ("POST", "/api/v1/apps"), ("GET", "/api/v1/apps/verify_credentials"),
    ("GET", "/api/v1/bookmarks"), ("GET", "/api/v1/favourites"),
    ("GET", "/api/v1/follow_requests"),
    ("GET", "/api/v1/accounts/{id}/followers"), ("GET", "/api/v1/accounts/{id}/following"),
    ("GET", "/api/v1/blocks"), ("GET", "/api/v1/mutes"),
    ("PATCH", "/api/v1/accounts/update_credentials"),
    ("GET", "/api/v1/accounts/familiar_followers"), ("POST", "/api/v1/accounts/{id}/note"),
    ("POST", "/api/v1/accounts/{id}/pin"), ("POST", "/api/v1/accounts/{id}/unpin"),
    ("POST", "/api/v1/accounts/{id}/endorse"), ("POST", "/api/v1/accounts/{id}/unendorse"),
    ("POST", "/api/v1/accounts/{id}/remove_from_followers"),
    ("GET", "/api/v1/accounts/{id}/identity_proofs"),
    ("GET", "/api/v1/accounts/{id}/endorsements"), ("GET", "/api/v1/endorsements"),
    ("GET", "/api/v1/instance/peers"), ("GET", "/api/v1/instance/activity"),
    ("POST", "/api/v1/accounts"),
    ("DELETE", "/api/v1/profile/avatar"), ("DELETE", "/api/v1/profile/header"),
    ("GET", "/api/v1/instance/rules"),
    ("GET", "/api/v1/instance/extended_description"),
    ("GET", "/api/v1/instance/privacy_policy"),
    ("POST", "/api/v1/follow_requests/{account_id}/authorize"),
    ("POST", "/api/v1/follow_requests/{account_id}/reject"),
    ("GET", "/api/v1/instance"), ("GET", "/api/v1/instance/translation_languages"),
    ("POST", "/api/v1/media"), ("GET", "/api/v1/media/{id}"), ("PUT", "/api/v1/media/{id}"),
    ("DELETE", "/api/v1/media/{id}"), ("GET", "/api/v1/polls/{id}"),
    ("POST", "/api/v1/polls/{id}/votes"), ("GET", "/api/v1/scheduled_statuses"),
    ("GET", "/api/v1/scheduled_statuses/{id}"), ("PUT", "/api/v1/scheduled_statuses/{id}"),
    ("DELETE", "/api/v1/scheduled_statuses/{id}"), ("GET", "/api/v1/statuses"),
    ("POST", "/api/v1/statuses"), ("GET", "/api/v1/statuses/{id}"),
    ("PUT", "/api/v1/statuses/{id}"), ("DELETE", "/api/v1/statuses/{id}"),
    ("POST", "/api/v1/statuses/{id}/bookmark"), ("GET", "/api/v1/statuses/{id}/context"),
    ("POST", "/api/v1/statuses/{id}/favourite"), ("GET", "/api/v1/statuses/{id}/favourited_by"),
    ("GET", "/api/v1/statuses/{id}/history"), ("PUT", "/api/v1/statuses/{id}/interaction_policy"),
    ("POST", "/api/v1/statuses/{id}/mute"), ("POST", "/api/v1/statuses/{id}/pin"),
    ("GET", "/api/v1/statuses/{id}/quotes"),
    ("POST", "/api/v1/statuses/{id}/quotes/{quoting_status_id}/revoke"),
    ("POST", "/api/v1/statuses/{id}/reblog"), ("GET", "/api/v1/statuses/{id}/reblogged_by"),
    ("GET", "/api/v1/statuses/{id}/source"), ("POST", "/api/v1/statuses/{id}/translate"),
    ("POST", "/api/v1/statuses/{id}/unbookmark"), ("POST", "/api/v1/statuses/{id}/unfavourite"),
    ("POST", "/api/v1/statuses/{id}/unmute"), ("POST", "/api/v1/statuses/{id}/unpin"),
    ("POST", "/api/v1/statuses/{id}/unreblog"), ("GET", "/api/v1/timelines/home"),
    ("GET", "/api/v1/timelines/public"), ("GET", "/api/v1/timelines/tag/{hashtag}"),
    ("GET", "/api/v2/instance"), ("POST", "/api/v2/media"),
    ("GET", "/api/v1/preferences"), ("GET", "/api/v1/custom_emojis"),
    ("GET", "/api/v1/announcements"), ("POST", "/api/v1/announcements/{id}/dismiss"),
    ("PUT", "/api/v1/announcements/{id}/reactions/{name}"),
    ("DELETE", "/api/v1/announcements/{id}/reactions/{name}"),
    ("GET", "/api/v1/conversations"), ("DELETE", "/api/v1/conversations/{id}"),
    ("POST", "/api/v1/conversations/{id}/read"),
    # Lists.
    ("GET", "/api/v1/lists"), ("POST", "/api/v1/lists"), ("GET", "/api/v1/lists/{id}"),
    ("PUT", "/api/v1/lists/{id}"), ("DELETE", "/api/v1/lists/{id}"),
    ("GET", "/api/v1/lists/{id}/accounts"), ("POST", "/api/v1/lists/{id}/accounts"),
    ("DELETE", "/api/v1/lists/{id}/accounts"), ("GET", "/api/v1/accounts/{id}/lists"),
    ("GET", "/api/v1/timelines/list/{list_id}"),
    # Notifications and markers.
    ("GET", "/api/v1/notifications"), ("GET", "/api/v1/notifications/{id}"),
    ("POST", "/api/v1/notifications/clear"), ("POST", "/api/v1/notifications/{id}/dismiss"),
    ("GET", "/api/v1/notifications/unread_count"), ("GET", "/api/v2/notifications"),
    ("GET", "/api/v2/notifications/{group_key}"),
    ("GET", "/api/v2/notifications/{group_key}/accounts"),
    ("POST", "/api/v2/notifications/{group_key}/dismiss"),
    ("GET", "/api/v2/notifications/unread_count"),
    ("GET", "/api/v1/markers"), ("POST", "/api/v1/markers"),
    ("GET", "/api/v1/notifications/requests"), ("GET", "/api/v1/notifications/requests/{id}"),
    ("POST", "/api/v1/notifications/requests/{id}/accept"),
    ("POST", "/api/v1/notifications/requests/{id}/dismiss"),
    ("POST", "/api/v1/notifications/requests/accept"),
    ("POST", "/api/v1/notifications/requests/dismiss"),
    ("GET", "/api/v1/notifications/requests/merged"),
    ("GET", "/api/v2/notifications/policy"), ("PATCH", "/api/v2/notifications/policy"),
    # Trends, suggestions and the directory.
    ("GET", "/api/v1/trends/statuses"), ("GET", "/api/v1/trends/tags"),
    ("GET", "/api/v1/trends/links"), ("GET", "/api/v2/suggestions"),
    ("GET", "/api/v1/suggestions"),
    ("DELETE", "/api/v1/suggestions/{account_id}"), ("GET", "/api/v1/directory"),
    # Hashtags: followed and featured.
    ("GET", "/api/v1/tags/{name}"), ("POST", "/api/v1/tags/{name}/follow"),
    ("POST", "/api/v1/tags/{name}/unfollow"), ("POST", "/api/v1/tags/{id}/feature"),
    ("POST", "/api/v1/tags/{id}/unfeature"), ("GET", "/api/v1/followed_tags"),
    ("GET", "/api/v1/featured_tags"), ("POST", "/api/v1/featured_tags"),
    ("DELETE", "/api/v1/featured_tags/{id}"), ("GET", "/api/v1/featured_tags/suggestions"),
    ("GET", "/api/v1/accounts/{id}/featured_tags"),
    # Filters.
    ("GET", "/api/v2/filters"), ("POST", "/api/v2/filters"), ("GET", "/api/v2/filters/{id}"),
    ("PUT", "/api/v2/filters/{id}"), ("DELETE", "/api/v2/filters/{id}"),
    ("GET", "/api/v2/filters/{filter_id}/keywords"),
    ("POST", "/api/v2/filters/{filter_id}/keywords"),
    ("GET", "/api/v2/filters/keywords/{id}"), ("PUT", "/api/v2/filters/keywords/{id}"),
    ("DELETE", "/api/v2/filters/keywords/{id}"),
    ("GET", "/api/v2/filters/{filter_id}/statuses"),
    ("POST", "/api/v2/filters/{filter_id}/statuses"),
    ("GET", "/api/v2/filters/statuses/{id}"), ("DELETE", "/api/v2/filters/statuses/{id}"),
    ("GET", "/api/v1/filters"), ("POST", "/api/v1/filters"), ("GET", "/api/v1/filters/{id}"),
    ("PUT", "/api/v1/filters/{id}"), ("DELETE", "/api/v1/filters/{id}"),
]


def _strip(node):
    """Without examples, external docs and headers (the generator writes its own headers)."""
    if isinstance(node, dict):
        return {k: _strip(v) for k, v in node.items()
                if k not in ("examples", "example", "externalDocs", "headers")}
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


def _refs(node, found):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)


def extract(spec: dict) -> dict:
    operations = {}
    for method, path in ROUTES:
        source = spec["paths"][path][method.lower()]
        success = next(code for code in sorted(source["responses"]) if code.startswith("2"))
        response = source["responses"][success]
        operations[f"{method} {path}"] = _strip({
            "summary": source.get("summary", ""),
            "description": source.get("description", ""),
            "parameters": [p for p in source.get("parameters", []) if p.get("in") != "path"],
            "requestBody": source.get("requestBody"),
            "success": int(success),
            "schema": response.get("content", {}).get("application/json", {}).get("schema"),
            "scopes": (source.get("security") or [{}])[0].get("OAuth2", []),
        })
    wanted, done = set(), set()
    _refs(operations, wanted)
    schemas = spec["components"]["schemas"]
    while wanted - done:
        name = sorted(wanted - done)[0]
        done.add(name)
        _refs(schemas[name], wanted)
    return {"operations": operations,
            "schemas": {name: _strip(schemas[name]) for name in sorted(done)}}


def main(argv):
    spec = json.loads(Path(argv[1]).read_text())
    data = extract(spec)
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    print(f"{len(data['operations'])} operations, {len(data['schemas'])} schemas -> {OUT}")
    assert all(re.match(r"^(GET|POST|PUT|DELETE|PATCH) /", k) for k in data["operations"])


if __name__ == "__main__":
    main(sys.argv)

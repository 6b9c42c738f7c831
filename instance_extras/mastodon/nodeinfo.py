"""NodeInfo (nodeinfo.diaspora.software): the discovery document at /.well-known/nodeinfo and
the 2.0 and 2.1 documents it links to, with the instance's real usage counts. Served outside
DRF (no token plays a part), public and cached as Mastodon serves its own."""

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from accounts.mastodon.views import SERVER_NAME, SERVER_VERSION
from config import instance
from instance_extras.selectors import nodeinfo_usage

SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/{}"
VERSIONS = ("2.0", "2.1")


def _json(body: dict, *, max_age: int, profile: str | None = None) -> JsonResponse:
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = (f'application/json; profile="{profile}#"' if profile
                                else "application/json; charset=utf-8")
    response["Cache-Control"] = f"max-age={max_age}, public"
    return response


def _method_not_allowed() -> JsonResponse:
    response = JsonResponse({"error": "Method Not Allowed"}, status=405)
    response["Allow"] = "GET, HEAD"
    return response


@csrf_exempt
def discovery(request):
    """The links to each schema version served, kept three days by caches (as Mastodon)."""
    if request.method not in ("GET", "HEAD"):
        return _method_not_allowed()
    links = [{"rel": SCHEMA.format(version), "href": instance.absolute(f"/nodeinfo/{version}")}
             for version in VERSIONS]
    return _json({"links": links}, max_age=3 * 24 * 3600)


def document(version: str) -> dict:
    """The NodeInfo document of `version`. `software` is this server, the name and version
    `/api/v1/instance` gives after "compatible;". `protocols` is empty: the server speaks no
    federation protocol (no ActivityPub inbox or actor is served), so it claims none."""
    software = {"name": SERVER_NAME.lower(), "version": SERVER_VERSION}
    if version == "2.1":
        # Where /api/v2/instance's `source_url` points (the project publishes no other).
        software["repository"] = instance.absolute("/")
        software["homepage"] = instance.absolute("/")
    return {
        "version": version,
        "software": software,
        "protocols": [],
        "services": {"outbound": [], "inbound": []},
        "usage": nodeinfo_usage(),
        "openRegistrations": False,
        "metadata": {"nodeName": settings.INSTANCE_TITLE, "nodeDescription": ""},
    }


@csrf_exempt
def schema(request, version: str):
    """A NodeInfo document, kept 30 minutes by caches (as Mastodon), its counts too."""
    if request.method not in ("GET", "HEAD"):
        return _method_not_allowed()
    return _json(document(version), max_age=30 * 60, profile=SCHEMA.format(version))

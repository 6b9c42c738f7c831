"""Host-meta and WebFinger: how a client (Phanpy asks for host-meta when an instance is typed)
or another server finds this instance's accounts. Served as Mastodon serves them: host-meta as
XRD (XML, or JSON with `?format=json` or an `Accept` asking for JSON) pointing at WebFinger, and
WebFinger's JRD for a local account, cached three days. No ActivityPub actor is served here, so
the JRD links the profile page only. Outside DRF (no token plays a part); errors are JSON."""

from urllib.parse import urlsplit

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from accounts.selectors import account_get_public
from config import errors, instance

XRD_NS = "http://docs.oasis-open.org/ns/xri/xrd-1.0"
PROFILE_PAGE = "http://webfinger.net/rel/profile-page"
THREE_DAYS = 3 * 24 * 3600


def _cached(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = f"max-age={THREE_DAYS}, public"
    return response


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _method_not_allowed() -> JsonResponse:
    response = _error("Method Not Allowed", 405)
    response["Allow"] = "GET, HEAD"
    return response


def _wants_json(request) -> bool:
    if request.GET.get("format") == "json":
        return True
    accept = request.headers.get("Accept", "")
    return "json" in accept and "xml" not in accept


def lrdd_template() -> str:
    return instance.absolute("/.well-known/webfinger") + "?resource={uri}"


@csrf_exempt
def host_meta(request):
    if request.method not in ("GET", "HEAD"):
        return _method_not_allowed()
    template = lrdd_template()
    if _wants_json(request):
        response = JsonResponse({"links": [{"rel": "lrdd", "template": template}]})
    else:
        # The template holds only the instance's own address and "{uri}": nothing to escape
        # but the ampersand and quote an operator's domain cannot hold.
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<XRD xmlns="{XRD_NS}">\n'
                f'  <Link rel="lrdd" template="{template}"/>\n'
                '</XRD>\n')
        response = HttpResponse(body, content_type="application/xrd+xml; charset=utf-8")
    return _cached(response)


def username_of(resource: str) -> str | None:
    """The local username a WebFinger resource names, or None when it names nothing here:
    `acct:name@domain`, `name@domain`, `acct:name`, or the account's profile or actor URL."""
    resource = resource.strip()
    if resource.startswith(("http://", "https://")):
        parts = urlsplit(resource)
        if parts.netloc.lower() != instance.local_domain():
            return None
        path = parts.path.rstrip("/")
        for prefix in ("/@", "/users/"):
            if path.startswith(prefix) and "/" not in path[len(prefix):]:
                return path[len(prefix):] or None
        return None
    if resource.lower().startswith("acct:"):
        resource = resource[5:]
    name, _, domain = resource.lstrip("@").partition("@")
    if domain and domain.lower() != instance.local_domain():
        return None
    return name or None


@csrf_exempt
def webfinger(request):
    if request.method not in ("GET", "HEAD"):
        return _method_not_allowed()
    resource = request.GET.get("resource", "")
    if not resource.strip() or "\x00" in resource:
        return _error("Missing or invalid resource parameter", 400)
    username = username_of(resource)
    if username is None:
        return _error("Record not found", 404)
    try:
        account = account_get_public(username=username)
    except errors.NotFound:
        return _error("Record not found", 404)
    profile = instance.account_url(account.username)
    body = {
        "subject": f"acct:{account.username}@{instance.local_domain()}",
        "aliases": [profile],
        "links": [{"rel": PROFILE_PAGE, "type": "text/html", "href": profile}],
    }
    response = JsonResponse(body, content_type="application/jrd+json; charset=utf-8")
    return _cached(response)

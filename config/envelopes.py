"""The dialects' JSON error envelopes for the views outside DRF (OAuth, the catch-all 404, the
error handlers, the outage 503): Mastodon's `{"error": "..."}`, and SelfCommunity's
`{"errors": [{code, message}]}` for its paths (under /api/v2/, ending in a slash)."""

from django.http import JsonResponse

API_PREFIXES = ("/api/", "/oauth/")


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIXES)


# SelfCommunity's paths are the /api/v2/ ones ending in a slash (Mastodon's never do, but for
# the instance alias); their errors use its envelope.
SC_CODES = {400: ("parse_error", "Malformed request."), 403: ("permission_denied",
            "You do not have permission to perform this action."),
            404: ("not_found", "Not found."), 413: ("request_too_large",
            "Request body too large"), 500: ("error", "A server error occurred."),
            503: ("service_unavailable", "Service temporarily unavailable, try again later.")}


def is_selfcommunity(request) -> bool:
    path = request.path
    return path.startswith("/api/v2/") and path.endswith("/") and path != "/api/v2/instance/"


def json_error(status: int, message: str, request=None) -> JsonResponse:
    if request is not None and is_selfcommunity(request):
        code, text = SC_CODES.get(status, ("error", message))
        body = {"errors": [{"code": code, "message": text}]}
    else:
        body = {"error": message}
    response = JsonResponse(body, status=status)
    response["Content-Type"] = "application/json; charset=utf-8"
    response["Cache-Control"] = "private, no-store"
    response["Vary"] = "Authorization, Origin"
    return response

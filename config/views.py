"""Project-level views: JSON errors for API paths, the default avatar, and the root page."""

import struct
import sys
import zlib
from functools import cache

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse, JsonResponse
from django.views import csrf
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.defaults import bad_request, page_not_found, permission_denied, server_error

from config import envelopes


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Any unrouted path under /api/ or /oauth/ answers in JSON, never with an HTML page, whatever
    the method: without csrf_exempt, CsrfViewMiddleware would answer an unrouted POST with its
    HTML 403 before this view ran."""
    return envelopes.json_error(404, "Not Found", request)


def method_not_allowed(request, allowed: list[str]) -> JsonResponse:
    """405 `{"error": "Method Not Allowed"}` with the Allow header, for the views outside DRF (the
    OAuth endpoints), which Django would answer with an empty text/html 405."""
    response = envelopes.json_error(405, "Method Not Allowed", request)
    response["Allow"] = ", ".join(allowed)
    return response


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW. API views are csrf_exempt (bearer tokens, no cookies), so this is a
    second line of defence: a refusal under /api/ or /oauth/ still answers in JSON. The consent
    form (POST /oauth/authorize) is the one API-side page a person submits; it keeps Django's
    HTML explanation."""
    consent = request.method == "POST" and request.path == "/oauth/authorize"
    if envelopes.is_api(request) and not consent:
        return envelopes.json_error(403, "This action is not allowed", request)
    return csrf.csrf_failure(request, reason=reason)


def handler400(request, exception=None):
    if envelopes.is_api(request):
        if isinstance(exception, (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)):
            return envelopes.json_error(413, "Request body too large", request)
        return envelopes.json_error(400, "Bad Request", request)
    return bad_request(request, exception)


def handler403(request, exception=None):
    if envelopes.is_api(request):
        return envelopes.json_error(403, "This action is not allowed", request)
    return permission_denied(request, exception)


def handler404(request, exception=None):
    if envelopes.is_api(request):
        return envelopes.json_error(404, "Not Found", request)
    return page_not_found(request, exception)


def handler500(request):
    # An outage raised in a middleware (OutageMiddleware.process_exception sees only the view's
    # exceptions) is still a 503; Django calls this inside its `except`, so exc_info holds it.
    from config import outage

    exc = sys.exc_info()[1]
    if outage.is_outage(exc):
        outage.log_outage(request, exc)
        return outage.outage_response(request)
    if envelopes.is_api(request):
        return envelopes.json_error(500, "Internal Server Error", request)
    return server_error(request)


@cache
def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    raw = row * height
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


@cache_control(max_age=86400, public=True)
def missing_avatar(request):
    return HttpResponse(_png(120, 120, (0x9B, 0xA3, 0xAF)), content_type="image/png")


@cache_control(max_age=86400, public=True)
def missing_header(request):
    return HttpResponse(_png(300, 100, (0xD1, 0xD5, 0xDB)), content_type="image/png")


def home(request):
    return HttpResponse(
        "<!doctype html><title>Duostatus</title><h1>Duostatus</h1>"
        "<p>Mastodon v1 API under <code>/api/v1/</code>, SelfCommunity v2 API under "
        "<code>/api/v2/</code>. See the README for the endpoint list.</p>",
        content_type="text/html; charset=utf-8",
    )


def uploaded_file(request, path):
    """Uploaded media, served by the app when SERVE_MEDIA is on (development, tests); in
    production a web server in front serves MEDIA_ROOT instead."""
    from django.conf import settings
    from django.http import Http404
    from django.views.static import serve

    if not settings.SERVE_MEDIA:
        raise Http404("Not Found")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    # Uploads are user content: never let a browser sniff them into something executable.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

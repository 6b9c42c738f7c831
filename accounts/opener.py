"""The pages of the OAuth login popup keep their cross-origin opener.

Web clients (Phanpy, Elk) open `/oauth/authorize` with `window.open` and wait for the popup,
redirected back to their own origin with the code, to hand it over through `window.opener`.
Django's SecurityMiddleware sends `Cross-Origin-Opener-Policy: same-origin` on every response
(SECURE_CROSS_ORIGIN_OPENER_POLICY), and a popup that loads one such page is moved to a new
browsing context group for good: its opener is gone even after it leaves our origin. Mastodon
sends no such header on these pages; `unsafe-none` says the same thing explicitly, and the
middleware leaves a header the view set alone. Every other page keeps `same-origin`.
"""

from functools import wraps

from django.utils.decorators import method_decorator

OPENER_POLICY = "unsafe-none"


def keeps_opener(view):
    """Mark every answer of `view` (pages, redirects, errors) as keeping its opener."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cross-Origin-Opener-Policy"] = OPENER_POLICY
        return response

    return wrapped


keeps_opener_on_dispatch = method_decorator(keeps_opener, name="dispatch")

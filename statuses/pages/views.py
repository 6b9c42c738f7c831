"""The public HTML pages: a status at its `url` (/@username/<id>) and an account at its `url`
(/@username), as an anonymous reader sees them. Plain HTML, no script: the Content-Security-Policy
says so, and a page is an HTML 404 for anything an anonymous reader may not see."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from config import errors
from statuses.pages.present import present_account, present_status, status_path
from statuses.selectors import pages as page_selectors

# Images and media from anywhere (uploads may live on another host in production), inline
# styles of the templates, and nothing else: no script, no frame, no form, no plugin.
CSP = ("default-src 'none'; img-src * data:; media-src *; style-src 'unsafe-inline'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def _page(request, template: str, context: dict):
    response = render(request, template, {"site": settings.INSTANCE_TITLE, **context})
    response["Content-Security-Policy"] = CSP
    return response


def _cursor(request, name: str) -> int | None:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise Http404("Not Found")
    return int(raw)


@require_safe
def status_page(request, username: str, status_id: str):
    try:
        page = page_selectors.status_page(username=username, status_id=int(status_id))
    except errors.NotFound:
        raise Http404("Not Found") from None
    if page.original is not None:
        return redirect(status_path(page.original.account.username, page.original.pk))
    status = present_status(page.status, page.shown)
    return _page(request, "pages/status.html", {
        "status": status,
        "ancestors": [present_status(s, page.shown) for s in page.ancestors],
        "descendants": [present_status(s, page.shown) for s in page.descendants],
    })


@require_safe
def account_page(request, username: str, tab: str = "posts"):
    try:
        page = page_selectors.account_page(
            username=username, tab=tab, max_id=_cursor(request, "max_id"),
            min_id=_cursor(request, "min_id"))
    except errors.NotFound:
        raise Http404("Not Found") from None
    account = present_account(page.account)
    base = account["path"] if tab == "posts" else f"{account['path']}/{tab}"
    return _page(request, "pages/account.html", {
        "account": account,
        "tab": tab,
        "pinned": [present_status(s, page.shown) for s in page.pinned],
        "statuses": [present_status(s, page.shown) for s in page.statuses],
        "newer": f"{base}?min_id={page.newer_min_id}" if page.newer_min_id else None,
        "older": f"{base}?max_id={page.older_max_id}" if page.older_max_id else None,
        "tabs": [("posts", "Posts", account["path"]),
                 ("with_replies", "Posts and replies", account["path"] + "/with_replies"),
                 ("media", "Media", account["path"] + "/media")],
    })

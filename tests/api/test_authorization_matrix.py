"""Authorization matrix: every API and OAuth route of both dialects, for every kind of caller and
every kind of status, with the status code each cell must answer and the private text it must
never show.

How the routes are found
------------------------
`routes()` walks Django's URL resolver and keeps every route under `api/` and `oauth/` with the
HTTP methods it accepts: a DRF `ViewSet.as_view({...})` accepts the methods of its `.actions`, a
class-based view the handlers it defines, and a plain function (the JSON 404 catch-all) any
method, written "*" (HEAD and OPTIONS are never listed). A route's key is its pattern without
anchors, each parameter written `{name}`: `api/v1/statuses/{pk}/context`,
`api/v2/status/{pk}/vote/`, `api/v1/instance/?`.
Routes under `.well-known/` (discovery documents clients read) are kept too.

`test_every_route_has_a_row` fails while a route has no row in `TABLE`, and
`test_every_row_has_a_route` while a row names a route or method that no longer exists.

How to add a row for a new route
--------------------------------
Add one entry per (route key, method) to `TABLE` (the failing test prints the missing keys):

    ("api/v2/status/{pk}/vote/", "POST"): Row(
        "/api/v2/status/{status}/vote/",  # what to call; {placeholders} come from the world
        REQUIRED, WRITE,                  # token: NONE / OPTIONAL / REQUIRED; scope family
        see(204),                         # code for a caller that the token rules let in
    ),

- Path and `body` may hold placeholders (`World.values`): `{status}` (or `{marker}`, the marker
  word of that status's text, `MARKERS`) makes the row run for every
  kind of status in `STATUSES` and every viewer in `VIEWERS`; without it the row runs once per
  viewer. A body value that is exactly one placeholder is replaced by the value itself (an
  integer id), `UPLOAD` by a fresh PNG file.
- `auth`: NONE (tokens play no part), OPTIONAL (served anonymously; a revoked token reads as
  anonymous), REQUIRED (401 without a valid token; Mastodon says why).
- `scope`: the family of scopes the route needs (READ, WRITE, FOLLOW, FOLLOW_READ, or ANY when any
  token will do). The `noscope` viewer holds a token of the author without that family
  (`WRONG_SCOPES`) and must get 403 "This action is outside the authorized scopes".
- `expect(cell) -> int`: the code for a caller the token rules let through, written from the
  rules, never from the code. `cell.who` is the account asking (`anonymous` for anonymous and
  revoked callers; the noscope token belongs to the `author`), `cell.status` the kind of status,
  `cell.sees` whether that caller may see it (from `SEES`, which spells the visibility rules out
  by hand). Helpers: `always`, `see`, `own`, `author_only`, `owner_only`, `not_self`, `restore`,
  `reblog`, `pin`, `share`, `sc_read`, `moderators`, `undo` (with `HAD`, who interacted with
  which status before it went out of their sight), `own_flag` (with `FLAGGED`, who flagged
  what), `moderator_only` and `moderation` (with `MODERATION_SEES`, what a moderator may read
  through the moderation API, spelt out like `SEES`).
- Optional: `body` and `fmt` ("json", "form", "multipart"); `headers` (request headers; the
  value `UPLOAD_RANGE` is the Content-Range of the whole `UPLOAD` file); `reveals(cell, kind)` for a status a
  route may show beyond those the caller may see; `shows`, what a success must show ("text",
  "quote", "all"), so that the check for hidden text cannot pass on an empty body; `methods`
  for a "*" row; `xfail`, a dict {(viewer, status or None): reason} of cells where the code is
  wrong (strict: once the code is fixed they fail until the entry is removed).

Every cell also checks that its body holds no marker text of a status its caller may not see
(each status has one, `MARKERS`), that errors come in the dialect's envelope, and Mastodon's 401
and 403 messages.

The world (accounts, tokens, follows, a user tag, statuses, shares, media) is built once per
module through the API itself; each cell runs in a transaction that is rolled back, so deletes,
restores and toggles never reach the next cell.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.db.models import Max, ProtectedError
from django.test import override_settings
from django.urls import URLResolver, get_resolver
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

# --- who asks, about what -------------------------------------------------------------------

ACCOUNTS = ("stranger", "follower", "mentioned", "holder", "author", "moderator")
VIEWERS = ("anonymous", *ACCOUNTS, "noscope", "revoked")
STATUSES = ("public", "unlisted", "private", "direct", "addressed", "deleted", "collapsed",
            "shared", "inner")
MARKERS = {kind: f"zq{kind}qz" for kind in STATUSES}

EVERYONE = frozenset({"anonymous", *ACCOUNTS})
# Who may see each status, written out from the visibility rules (statuses/selectors/visibility.py,
# DESIGN.md): public and unlisted to all; private to followers; an addressed status to the
# holders of its tag; direct to the accounts it mentions; collapsed to its author and the
# moderators (it was public); deleted
# to nobody. `shared` is a public status sharing `inner`, which was public when shared and has
# been made private (followers only) since. The author sees all of them but the deleted one.
# Staff (the moderator) see nothing more than anyone else, but for what moderators collapsed.
SEES = {
    "public": EVERYONE,
    "unlisted": EVERYONE,
    "private": frozenset({"follower", "author"}),
    "direct": frozenset({"mentioned", "author"}),
    "addressed": frozenset({"holder", "author"}),
    "deleted": frozenset(),
    "collapsed": frozenset({"author", "moderator"}),
    "shared": EVERYONE,
    "inner": frozenset({"follower", "author"}),
}
# Who could see it were it not deleted (the deleted status was public).
SEES_UNDELETED = {**SEES, "deleted": EVERYONE}
# Statuses whose visibility is public or unlisted (collapsed is a hidden public one).
PUBLIC_LIKE = frozenset({"public", "unlisted", "collapsed", "shared"})
# Who flagged what. Every account flagged every status and every comment, except the private,
# direct and addressed statuses and their comments, which nobody flagged, and inner's comment:
# inner was flagged while it was public, its comment (written public, keeping inner's audience,
# followers-only since) never was.
UNFLAGGED = frozenset({"private", "direct", "addressed"})
FLAGGED = {"status": frozenset(STATUSES) - UNFLAGGED,
           "comment": frozenset(STATUSES) - UNFLAGGED - {"inner"}}
# What a moderator may read through the moderation API (Mastodon's Admin::StatusPolicy#show?):
# a status whose audience is public or unlisted (the deleted one was public; a comment's
# audience is its status's, and inner is followers-only now), one that is flagged or that a
# moderator acted on (nothing in the world was acted on through the API), or one the normal
# rule shows the moderator (SEES). So: not the private, direct and addressed ones, nor inner's
# comment; inner itself through its flags.
PUBLIC_AUDIENCE = frozenset({"public", "unlisted", "deleted", "collapsed", "shared"})
MODERATION_SEES = {
    contribution: frozenset(kind for kind in STATUSES if kind in PUBLIC_AUDIENCE
                            or kind in FLAGGED[contribution] or "moderator" in SEES[kind])
    for contribution in ("status", "comment")}

NONE, OPTIONAL, REQUIRED = "none", "optional", "required"
READ, WRITE, FOLLOW, FOLLOW_READ, ANY = "read", "write", "follow", "follow_read", "any"
# The noscope viewer's token (the author's) for a route of each family: it lacks that family.
WRONG_SCOPES = {
    READ: "write follow",          # no read (nor profile)
    WRITE: "read follow",          # no write
    FOLLOW: "read push",           # relationship writes take follow or write
    FOLLOW_READ: "write push",     # follow requests are read with follow or read
    ANY: "push",                   # routes that take any token
}
FULL_SCOPES = "read write follow push"
OOB = "urn:ietf:wg:oauth:2.0:oob"
CLIENT_SECRET = "matrix-client-secret-" + "x" * 20
UPLOAD = object()  # in a body: a fresh PNG file
UPLOAD_RANGE = object()  # in headers: `bytes 0-(n-1)/n` of that file


@dataclass(frozen=True)
class Cell:
    viewer: str
    status: str | None = None

    @property
    def who(self) -> str:
        """The account asking: a revoked token asks as nobody, the noscope token is the author's."""
        if self.viewer in ("anonymous", "revoked"):
            return "anonymous"
        return "author" if self.viewer == "noscope" else self.viewer

    @property
    def author(self) -> bool:
        return self.who == "author"

    @property
    def moderator(self) -> bool:
        return self.who == "moderator"

    @property
    def sees(self) -> bool:
        return self.who in SEES[self.status]

    @property
    def sees_undeleted(self) -> bool:
        return self.who in SEES_UNDELETED[self.status]


# --- expectations ---------------------------------------------------------------------------

def always(code: int) -> Callable[[Cell], int]:
    return lambda c: code


def see(ok: int) -> Callable[[Cell], int]:
    """`ok` to whoever may see the status, 404 to the rest (missing and hidden look alike)."""
    return lambda c: ok if c.sees else 404


def own(ok: int) -> Callable[[Cell], int]:
    """Mastodon's edits and deletes: the author's live status; 404 for everyone else, as
    Mastodon looks the status up among the caller's own."""
    return lambda c: ok if c.author and c.status != "deleted" else 404


def author_only(ok: int) -> Callable[[Cell], int]:
    """Something only the author has (their media, the follow requests made to them)."""
    return lambda c: ok if c.author else 404


def owner_only(ok: int) -> Callable[[Cell], int]:
    """SelfCommunity's PUT and DELETE: the author; 403 to others who see it; 404 otherwise."""
    return lambda c: 404 if not c.sees else ok if c.author else 403


def not_self(ok: int) -> Callable[[Cell], int]:
    """Following, blocking or muting the author: refused (403) to the author themself."""
    return lambda c: 403 if c.author else ok


def restore(c: Cell) -> int:
    """204 to the author, 403 to others who could see it were it not deleted, 404 otherwise."""
    return 204 if c.author else 403 if c.sees_undeleted else 404


def commentable(ok: int) -> Callable[[Cell], int]:
    """Comments of a status (listed or made): `ok` to whoever may see it; a status one may not
    see is an invalid `status` (400), as DRF's related fields answer."""
    return lambda c: ok if c.sees else 400


def comment_restore(c: Cell) -> int:
    """A live comment: its author's restore changes nothing (204); others who see it 403."""
    return 204 if c.author else 403 if c.sees else 404


def reblog(c: Cell) -> int:
    """Visible, not direct, and not someone else's private status (spec item 97)."""
    if not c.sees:
        return 404
    if c.status == "direct" or (c.status not in PUBLIC_LIKE and not c.author):
        return 403
    return 200


def pin(c: Cell) -> int:
    """One's own non-direct status; someone else's visible one is a validation error."""
    if not c.sees:
        return 404
    return 200 if c.author and c.status != "direct" else 422


def translatable(c: Cell) -> int:
    """Translating (spec N): a public or unlisted status one sees; 403 for the others one sees."""
    if not c.sees:
        return 404
    return 200 if c.status in PUBLIC_LIKE else 403


def share(c: Cell) -> int:
    """A `share` media of a status the caller sees and that is public or unlisted; any other
    status is an error on `shared_object` (400), whether it is hidden or only not public."""
    return 201 if c.sees and c.status in PUBLIC_LIKE else 400


def sc_read(c: Cell) -> int:
    """SelfCommunity's GET shows the author their own deleted status (`deleted: true`)."""
    return 200 if c.sees or (c.author and c.status == "deleted") else 404


def listed(ok: int) -> Callable[[Cell], int]:
    """SelfCommunity's lists (and what one may ask of the statuses in them: mark seen, more
    like it): `ok` for a status the caller may see that lists show, 404 otherwise. Lists leave
    out direct statuses, and others' unlisted ones as Mastodon's public timeline does."""
    return lambda c: ok if c.sees and c.status != "direct" and (
        c.status != "unlisted" or c.author) else 404


def moderator_only(ok: int) -> Callable[[Cell], int]:
    """The moderation API's list: `ok` to moderators, 403 to everyone else, the author too."""
    return lambda c: ok if c.moderator else 403


def moderation(ok: int, contribution: str) -> Callable[[Cell], int]:
    """The moderation API on one contribution: 403 to whoever is not a moderator (the author
    too); to a moderator, `ok` for a contribution they may read (MODERATION_SEES: deleted and
    collapsed ones included) and 404 for any other, as for one that does not exist."""
    return lambda c: (ok if c.status in MODERATION_SEES[contribution] else 404) \
        if c.moderator else 403


def moderation_reveals(contribution: str) -> Callable[[Cell, str], bool]:
    """A moderator is shown the contribution they asked about when they may read it."""
    return lambda c, kind: (c.moderator and kind == c.status
                            and kind in MODERATION_SEES[contribution])


def own_flag(contribution: str) -> Callable[[Cell], int]:
    """The caller's own flag: found (200) on what they see and flagged (FLAGGED), else 404."""
    return lambda c: 200 if c.sees and c.status in FLAGGED[contribution] else 404


def own_deleted(c: Cell, kind: str) -> bool:
    return c.author and kind == "deleted" and c.status == "deleted"


def revoke_quote(c: Cell) -> int:
    """`shared` quotes `inner` and nothing else: of `inner`, its author revokes (200) and others
    who see it are refused (403); of any other status one sees, there is no such quote (404)."""
    if not c.sees:
        return 404
    if c.status != "inner":
        return 404
    return 200 if c.author else 403


def poll_vote(c: Cell) -> int:
    """Voting: a poll out of sight is unknown; one's own poll is refused (422)."""
    if not c.sees:
        return 404
    return 422 if c.author else 200


def moderators(ok: int) -> Callable[[Cell], int]:
    """A status's flags: a status the caller may not see is a 404 to anyone; of one they see,
    moderators get the flags and the rest a 403."""
    return lambda c: (ok if c.moderator else 403) if c.sees else 404


@dataclass(frozen=True)
class Row:
    path: str
    auth: str
    scope: str
    expect: Callable[[Cell], int]
    body: dict | None = None
    fmt: str = "json"
    headers: dict | None = None
    reveals: Callable[[Cell, str], bool] | None = None
    methods: tuple[str, ...] = ()
    xfail: dict = field(default_factory=dict)
    # A SelfCommunity route family of one contribution type (`post`, `discussion`): the cell
    # first makes the world's statuses (`{status}`'s, or all of them for a list) contributions
    # of that type, inside the cell's rolled-back transaction, so the status rows' expectations
    # hold as they are.
    kind: str | None = None
    # What a success must show: "text" (the status's text), "quote" (and the text of the
    # status it shares, to whoever may see that one), "all" (every status the caller may see).
    shows: str = ""

    @property
    def per_status(self) -> bool:
        return any(mark in self.path or mark in repr(self.body)
                   for mark in ("{status}", "{comment}", "{poll}", "{marker}"))


def expected(row: Row, cell: Cell) -> int:
    if cell.viewer in ("anonymous", "revoked"):
        if row.auth == REQUIRED:
            return 401
    elif cell.viewer == "noscope" and row.scope != ANY:
        return 403
    return row.expect(cell)


def sc_poll_vote(c: Cell) -> int:
    """SelfCommunity's poll vote: a poll out of sight is unknown (404); the author's own poll is
    refused as Mastodon refuses it (400, on `choice`); anyone else's vote is taken (204)."""
    if not c.sees:
        return 404
    return 400 if c.author else 204


def may_show(row: Row, cell: Cell, kind: str) -> bool:
    return cell.who in SEES[kind] or (row.reveals is not None and row.reveals(cell, kind))


SC_BODY = {"action": None, "text": "<p>matrix text</p>", "categories": []}
# While `inner` and `collapsed` were visible to all, these accounts favourited, bookmarked and
# reblogged them (then `inner` became followers-only and moderators collapsed `collapsed`).
READERS = ("stranger", "follower", "mentioned", "holder", "moderator")
HAD = {(kind, name) for kind in ("inner", "collapsed") for name in READERS}


def undo(c: Cell) -> int:
    """Undoing one's favourite, bookmark or reblog works even once the status is out of sight
    (spec items 100, 105, 106); otherwise the status must be visible. The answer then carries the
    status without its text (the no-leak check of every cell holds it to that)."""
    return 200 if c.sees or (c.status, c.who) in HAD else 404


TABLE: dict[tuple[str, str], Row] = {
    # --- OAuth ----------------------------------------------------------------------------
    ("oauth/authorize", "GET"): Row(
        "/oauth/authorize?response_type=code&client_id={client_id}&redirect_uri=" + OOB
        + "&scope=read", NONE, ANY, always(302)),  # to the login page: no session
    ("oauth/authorize", "POST"): Row(
        "/oauth/authorize", NONE, ANY, always(302), fmt="form",
        body={"client_id": "{client_id}", "redirect_uri": OOB, "response_type": "code",
              "scope": "read", "allow": "Authorize"}),
    # Django's FormView answers PUT as POST.
    ("oauth/authorize", "PUT"): Row(
        "/oauth/authorize", NONE, ANY, always(302), fmt="form",
        body={"client_id": "{client_id}", "redirect_uri": OOB, "response_type": "code",
              "scope": "read", "allow": "Authorize"}),
    ("oauth/token", "POST"): Row(
        "/oauth/token", NONE, ANY, always(200), fmt="form",
        body={"grant_type": "client_credentials", "client_id": "{client_id}",
              "client_secret": "{client_secret}", "scope": "read"}),
    ("oauth/revoke", "POST"): Row(
        "/oauth/revoke", NONE, ANY, always(200), fmt="form",
        body={"token": "{spare_token}", "client_id": "{client_id}",
              "client_secret": "{client_secret}"}),
    ("(api|oauth)/", "*"): Row(
        "/api/v1/matrix-nowhere", NONE, ANY, always(404), methods=("GET", "POST", "DELETE")),
    (".well-known/oauth-authorization-server", "GET"): Row(
        "/.well-known/oauth-authorization-server", NONE, ANY, always(200)),
    (".well-known/nodeinfo", "*"): Row(
        "/.well-known/nodeinfo", NONE, ANY, always(200), methods=("GET",)),
    (".well-known/host-meta", "*"): Row(
        "/.well-known/host-meta", NONE, ANY, always(200), methods=("GET",)),
    (".well-known/webfinger", "*"): Row(
        "/.well-known/webfinger?resource=acct:mx_author@social.example", NONE, ANY, always(200),
        methods=("GET",)),
    # --- Mastodon: apps, instance, accounts -----------------------------------------------
    ("api/v1/apps", "POST"): Row(
        "/api/v1/apps", NONE, ANY, always(200),
        body={"client_name": "matrix", "redirect_uris": OOB, "scopes": "read"}),
    ("api/v1/apps/verify_credentials", "GET"): Row(
        "/api/v1/apps/verify_credentials", REQUIRED, ANY, always(200)),
    ("api/v1/instance/?", "GET"): Row("/api/v1/instance", NONE, ANY, always(200)),
    ("api/v2/instance/?", "GET"): Row("/api/v2/instance", NONE, ANY, always(200)),
    ("api/v1/instance/translation_languages", "GET"): Row(
        "/api/v1/instance/translation_languages", NONE, ANY, always(200)),
    ("api/v1/instance/peers", "GET"): Row("/api/v1/instance/peers", NONE, ANY, always(200)),
    ("api/v1/instance/activity", "GET"): Row("/api/v1/instance/activity", NONE, ANY, always(200)),
    ("api/v1/instance/rules", "GET"): Row("/api/v1/instance/rules", NONE, ANY, always(200)),
    ("api/v1/instance/languages", "GET"): Row("/api/v1/instance/languages", NONE, ANY, always(200)),
    ("api/v1/instance/extended_description", "GET"): Row("/api/v1/instance/extended_description", NONE, ANY, always(200)),
    ("api/v1/instance/privacy_policy", "GET"): Row("/api/v1/instance/privacy_policy", NONE, ANY, always(200)),
    # --- Mastodon: preferences, custom emojis, announcements (instance_extras) -------------
    ("api/v1/preferences", "GET"): Row("/api/v1/preferences", REQUIRED, READ, always(200)),
    ("api/v1/custom_emojis", "GET"): Row("/api/v1/custom_emojis", NONE, ANY, always(200)),
    # Mastodon checks no scope on the list, only that a user asks: 422 without one.
    ("api/v1/announcements", "GET"): Row(
        "/api/v1/announcements", OPTIONAL, ANY, lambda c: 422 if c.who == "anonymous" else 200),
    ("api/v1/announcements/{pk}/dismiss", "POST"): Row(
        "/api/v1/announcements/{announcement}/dismiss", REQUIRED, WRITE, always(200)),
    # Every account of the world reacted with 👍 (so each may remove it) and none with 🎉.
    ("api/v1/announcements/{pk}/reactions/{name}", "PUT"): Row(
        "/api/v1/announcements/{announcement}/reactions/%F0%9F%8E%89", REQUIRED, WRITE,
        always(200)),
    ("api/v1/announcements/{pk}/reactions/{name}", "DELETE"): Row(
        "/api/v1/announcements/{announcement}/reactions/%F0%9F%91%8D", REQUIRED, WRITE,
        always(200)),
    ("api/v1/accounts/verify_credentials", "GET"): Row(
        "/api/v1/accounts/verify_credentials", REQUIRED, READ, always(200)),
    ("api/v1/accounts/update_credentials", "PATCH"): Row(
        "/api/v1/accounts/update_credentials", REQUIRED, WRITE, always(200),
        body={"display_name": "Renamed", "avatar": UPLOAD}, fmt="multipart"),
    ("api/v1/accounts/relationships", "GET"): Row(
        "/api/v1/accounts/relationships?id[]={author}", REQUIRED, READ, always(200)),
    ("api/v1/accounts/{pk}", "GET"): Row("/api/v1/accounts/{author}", OPTIONAL, READ, always(200)),
    # Search for the status's own marker word: whoever may not see it never finds it, even
    # when it is in their library (the no-leak check); anonymous callers find no statuses.
    ("api/v2/search", "GET"): Row(
        "/api/v2/search?q={marker}&limit=40", OPTIONAL, READ, always(200)),
    ("api/v1/accounts/search", "GET"): Row(
        "/api/v1/accounts/search?q=mx_", REQUIRED, READ, always(200)),
    ("api/v1/accounts/lookup", "GET"): Row(
        "/api/v1/accounts/lookup?acct=mx_author", OPTIONAL, READ, always(200)),
    ("api/v1/accounts/{pk}/follow", "POST"): Row(
        "/api/v1/accounts/{author}/follow", REQUIRED, FOLLOW, not_self(200)),
    ("api/v1/accounts/{pk}/unfollow", "POST"): Row(
        "/api/v1/accounts/{author}/unfollow", REQUIRED, FOLLOW, always(200)),
    ("api/v1/accounts/{pk}/block", "POST"): Row(
        "/api/v1/accounts/{author}/block", REQUIRED, FOLLOW, not_self(200)),
    ("api/v1/accounts/{pk}/unblock", "POST"): Row(
        "/api/v1/accounts/{author}/unblock", REQUIRED, FOLLOW, always(200)),
    ("api/v1/accounts/{pk}/mute", "POST"): Row(
        "/api/v1/accounts/{author}/mute", REQUIRED, FOLLOW, not_self(200)),
    ("api/v1/accounts/{pk}/unmute", "POST"): Row(
        "/api/v1/accounts/{author}/unmute", REQUIRED, FOLLOW, always(200)),
    ("api/v1/accounts/{pk}/followers", "GET"): Row(
        "/api/v1/accounts/{author}/followers", OPTIONAL, READ, always(200)),
    ("api/v1/accounts/{pk}/following", "GET"): Row(
        "/api/v1/accounts/{author}/following", OPTIONAL, READ, always(200)),
    ("api/v1/blocks", "GET"): Row("/api/v1/blocks", REQUIRED, FOLLOW_READ, always(200)),
    ("api/v1/mutes", "GET"): Row("/api/v1/mutes", REQUIRED, FOLLOW_READ, always(200)),
    # Registrations are closed: any token with write:accounts is told so.
    ("api/v1/accounts", "POST"): Row("/api/v1/accounts", REQUIRED, WRITE, always(403),
                                     body={"username": "newcomer", "agreement": True}),
    ("api/v1/profile/avatar", "DELETE"): Row(
        "/api/v1/profile/avatar", REQUIRED, WRITE, always(200)),
    ("api/v1/profile/header", "DELETE"): Row(
        "/api/v1/profile/header", REQUIRED, WRITE, always(200)),
    ("api/v1/accounts/familiar_followers", "GET"): Row(
        "/api/v1/accounts/familiar_followers?id[]={author}", REQUIRED, READ, always(200)),
    ("api/v1/accounts/{pk}/note", "POST"): Row(
        "/api/v1/accounts/{author}/note", REQUIRED, WRITE, always(200),
        body={"comment": "a note"}),
    # Only an account one follows may be endorsed: the follower follows the author.
    ("api/v1/accounts/{pk}/pin", "POST"): Row(
        "/api/v1/accounts/{author}/pin", REQUIRED, WRITE,
        lambda c: 200 if c.who == "follower" else 422),
    ("api/v1/accounts/{pk}/endorse", "POST"): Row(
        "/api/v1/accounts/{author}/endorse", REQUIRED, WRITE,
        lambda c: 200 if c.who == "follower" else 422),
    ("api/v1/accounts/{pk}/unpin", "POST"): Row(
        "/api/v1/accounts/{author}/unpin", REQUIRED, WRITE, always(200)),
    ("api/v1/accounts/{pk}/unendorse", "POST"): Row(
        "/api/v1/accounts/{author}/unendorse", REQUIRED, WRITE, always(200)),
    ("api/v1/accounts/{pk}/remove_from_followers", "POST"): Row(
        "/api/v1/accounts/{author}/remove_from_followers", REQUIRED, FOLLOW, always(200)),
    ("api/v1/accounts/{pk}/identity_proofs", "GET"): Row(
        "/api/v1/accounts/{author}/identity_proofs", REQUIRED, READ, always(200)),
    ("api/v1/accounts/{pk}/endorsements", "GET"): Row(
        "/api/v1/accounts/{author}/endorsements", OPTIONAL, READ, always(200)),
    ("api/v1/endorsements", "GET"): Row("/api/v1/endorsements", REQUIRED, READ, always(200)),
    ("api/v1/follow_requests", "GET"): Row(
        "/api/v1/follow_requests", REQUIRED, FOLLOW_READ, always(200)),
    ("api/v1/follow_requests/{account_id}/authorize", "POST"): Row(
        "/api/v1/follow_requests/{requester}/authorize", REQUIRED, FOLLOW, author_only(200)),
    ("api/v1/follow_requests/{account_id}/reject", "POST"): Row(
        "/api/v1/follow_requests/{requester}/reject", REQUIRED, FOLLOW, author_only(200)),
    # --- Mastodon: notifications and markers ----------------------------------------------
    # The world's favourites, reblogs, mention and follow notified the author and the mentioned
    # account; a notification shows only what its reader may see (the no-leak check).
    ("api/v1/notifications", "GET"): Row(
        "/api/v1/notifications?limit=80", REQUIRED, READ, always(200)),
    ("api/v1/notifications/clear", "POST"): Row(
        "/api/v1/notifications/clear", REQUIRED, WRITE, always(200)),
    ("api/v1/notifications/unread_count", "GET"): Row(
        "/api/v1/notifications/unread_count", REQUIRED, READ, always(200)),
    ("api/v1/notifications/{pk}", "GET"): Row(
        "/api/v1/notifications/{notification}", REQUIRED, READ, author_only(200)),
    ("api/v1/notifications/{pk}/dismiss", "POST"): Row(
        "/api/v1/notifications/{notification}/dismiss", REQUIRED, WRITE, author_only(200)),
    ("api/v2/notifications", "GET"): Row(
        "/api/v2/notifications?limit=80", REQUIRED, READ, always(200)),
    # --- Mastodon: trends, suggestions, directory ------------------------------------------
    # A trend is public (Mastodon checks no scope); what it shows is only what the caller may
    # see, and only public statuses: the world ranks every status (_build_world).
    ("api/v1/trends/statuses", "GET"): Row(
        "/api/v1/trends/statuses?limit=40", OPTIONAL, ANY, always(200)),
    ("api/v1/trends/tags", "GET"): Row("/api/v1/trends/tags?limit=20", OPTIONAL, ANY, always(200)),
    ("api/v1/trends/links", "GET"): Row(
        "/api/v1/trends/links?limit=20", OPTIONAL, ANY, always(200)),
    ("api/v2/suggestions", "GET"): Row("/api/v2/suggestions?limit=80", REQUIRED, READ, always(200)),
    ("api/v1/suggestions", "GET"): Row("/api/v1/suggestions?limit=80", REQUIRED, READ, always(200)),
    ("api/v1/suggestions/{account_id}", "DELETE"): Row(
        "/api/v1/suggestions/{author}", REQUIRED, WRITE, always(200)),
    ("api/v1/directory", "GET"): Row("/api/v1/directory?limit=80", OPTIONAL, ANY, always(200)),
    ("api/v2/notifications/unread_count", "GET"): Row(
        "/api/v2/notifications/unread_count", REQUIRED, READ, always(200)),
    ("api/v2/notifications/{group_key}", "GET"): Row(
        "/api/v2/notifications/{notification_group}", REQUIRED, READ, author_only(200)),
    ("api/v2/notifications/{group_key}/accounts", "GET"): Row(
        "/api/v2/notifications/{notification_group}/accounts", REQUIRED, READ,
        author_only(200)),
    ("api/v2/notifications/{group_key}/dismiss", "POST"): Row(
        "/api/v2/notifications/{notification_group}/dismiss", REQUIRED, WRITE,
        author_only(200)),
    # The author's direct status mentions `mentioned`, who does not follow the author: their
    # default policy filtered it into a request of theirs.
    ("api/v1/notifications/requests", "GET"): Row(
        "/api/v1/notifications/requests?limit=80", REQUIRED, READ, always(200)),
    ("api/v1/notifications/requests/merged", "GET"): Row(
        "/api/v1/notifications/requests/merged", REQUIRED, READ, always(200)),
    ("api/v1/notifications/requests/{pk}", "GET"): Row(
        "/api/v1/notifications/requests/{notification_request}", REQUIRED, READ,
        lambda c: 200 if c.who == "mentioned" else 404),
    ("api/v1/notifications/requests/{pk}/accept", "POST"): Row(
        "/api/v1/notifications/requests/{notification_request}/accept", REQUIRED, WRITE,
        lambda c: 200 if c.who == "mentioned" else 404),
    ("api/v1/notifications/requests/{pk}/dismiss", "POST"): Row(
        "/api/v1/notifications/requests/{notification_request}/dismiss", REQUIRED, WRITE,
        lambda c: 200 if c.who == "mentioned" else 404),
    ("api/v1/notifications/requests/accept", "POST"): Row(
        "/api/v1/notifications/requests/accept", REQUIRED, WRITE, always(200),
        body={"id": ["{notification_request}"]}),
    ("api/v1/notifications/requests/dismiss", "POST"): Row(
        "/api/v1/notifications/requests/dismiss", REQUIRED, WRITE, always(200),
        body={"id": ["{notification_request}"]}),
    ("api/v2/notifications/policy", "GET"): Row(
        "/api/v2/notifications/policy", REQUIRED, READ, always(200)),
    ("api/v2/notifications/policy", "PATCH"): Row(
        "/api/v2/notifications/policy", REQUIRED, WRITE, always(200),
        body={"for_not_following": "filter"}),
    ("api/v2/notifications/policy", "PUT"): Row(
        "/api/v2/notifications/policy", REQUIRED, WRITE, always(200),
        body={"for_not_followers": "filter"}),
    ("api/v1/markers", "GET"): Row(
        "/api/v1/markers?timeline[]=home&timeline[]=notifications", REQUIRED, READ, always(200)),
    ("api/v1/markers", "POST"): Row(
        "/api/v1/markers", REQUIRED, WRITE, always(200),
        body={"home": {"last_read_id": "1"}, "notifications": {"last_read_id": "1"}}),
    # --- SelfCommunity: notifications ------------------------------------------------------
    ("api/v2/notification/", "GET"): Row("/api/v2/notification/", REQUIRED, READ, always(200)),
    ("api/v2/notification/read/", "POST"): Row(
        "/api/v2/notification/read/", REQUIRED, WRITE, always(204),
        body={"sids": ["{notification}"]}),
    ("api/v2/notification/unseen/count/", "GET"): Row(
        "/api/v2/notification/unseen/count/", REQUIRED, READ, always(200)),
    # --- Mastodon: media ------------------------------------------------------------------
    ("api/v1/media", "POST"): Row(
        "/api/v1/media", REQUIRED, WRITE, always(200), body={"file": UPLOAD}, fmt="multipart"),
    ("api/v2/media", "POST"): Row(
        "/api/v2/media", REQUIRED, WRITE, always(200), body={"file": UPLOAD}, fmt="multipart"),
    ("api/v1/media/{pk}", "GET"): Row("/api/v1/media/{media}", REQUIRED, WRITE, author_only(200)),
    ("api/v1/media/{pk}", "PUT"): Row(
        "/api/v1/media/{media}", REQUIRED, WRITE, author_only(200),
        body={"description": "matrix"}),
    ("api/v1/media/{pk}", "DELETE"): Row(
        "/api/v1/media/{media_to_delete}", REQUIRED, WRITE, author_only(200)),
    # --- Mastodon: lists ------------------------------------------------------------------
    ("api/v1/timelines/public", "GET"): Row(
        "/api/v1/timelines/public?limit=40", OPTIONAL, READ, always(200)),
    ("api/v1/timelines/home", "GET"): Row(
        "/api/v1/timelines/home?limit=40", REQUIRED, READ, always(200)),
    ("api/v1/timelines/tag/{hashtag}", "GET"): Row(
        "/api/v1/timelines/tag/mxtag?limit=40", OPTIONAL, READ, always(200)),
    # --- Mastodon: hashtags (followed and featured) --------------------------------------------
    # Showing a tag takes any token or none; it shows counts, never a status.
    ("api/v1/tags/{name}", "GET"): Row("/api/v1/tags/mxtag", OPTIONAL, ANY, always(200)),
    ("api/v1/tags/{name}/follow", "POST"): Row(
        "/api/v1/tags/mxtag/follow", REQUIRED, FOLLOW, always(200)),
    ("api/v1/tags/{name}/unfollow", "POST"): Row(
        "/api/v1/tags/mxtag/unfollow", REQUIRED, FOLLOW, always(200)),
    ("api/v1/tags/{name}/feature", "POST"): Row(
        "/api/v1/tags/mxtag/feature", REQUIRED, WRITE, always(200)),
    ("api/v1/tags/{name}/unfeature", "POST"): Row(
        "/api/v1/tags/mxtag/unfeature", REQUIRED, WRITE, always(200)),
    ("api/v1/followed_tags", "GET"): Row(
        "/api/v1/followed_tags?limit=200", REQUIRED, FOLLOW_READ, always(200)),
    ("api/v1/featured_tags", "GET"): Row("/api/v1/featured_tags", REQUIRED, READ, always(200)),
    ("api/v1/featured_tags", "POST"): Row(
        "/api/v1/featured_tags", REQUIRED, WRITE, always(200), body={"name": "mxother"}),
    ("api/v1/featured_tags/suggestions", "GET"): Row(
        "/api/v1/featured_tags/suggestions", REQUIRED, READ, always(200)),
    # Only the author features a tag: everyone else's lookup among their own finds nothing.
    ("api/v1/featured_tags/{pk}", "DELETE"): Row(
        "/api/v1/featured_tags/{featured_tag}", REQUIRED, WRITE, author_only(200)),
    ("api/v1/accounts/{account_id}/featured_tags", "GET"): Row(
        "/api/v1/accounts/{author}/featured_tags", OPTIONAL, READ, always(200)),
    ("api/v1/accounts/{account_id}/statuses", "GET"): Row(
        "/api/v1/accounts/{author}/statuses?limit=40", OPTIONAL, READ, always(200)),
    ("api/v1/favourites", "GET"): Row("/api/v1/favourites?limit=40", REQUIRED, READ, always(200)),
    ("api/v1/bookmarks", "GET"): Row("/api/v1/bookmarks?limit=40", REQUIRED, READ, always(200)),
    ("api/v1/statuses", "GET"): Row(
        "/api/v1/statuses?{every_id}", OPTIONAL, READ, always(200), shows="all"),
    ("api/v1/statuses", "POST"): Row(
        "/api/v1/statuses", REQUIRED, WRITE, always(200), body={"status": "matrix hello"}),
    # --- Mastodon: one status -------------------------------------------------------------
    ("api/v1/statuses/{pk}", "GET"): Row(
        "/api/v1/statuses/{status}", OPTIONAL, READ, see(200), shows="quote"),
    ("api/v1/statuses/{pk}", "PUT"): Row(
        "/api/v1/statuses/{status}", REQUIRED, WRITE, own(200), body={"status": "matrix edit"}),
    ("api/v1/statuses/{pk}", "DELETE"): Row(
        "/api/v1/statuses/{status}", REQUIRED, WRITE, own(200), shows="text"),
    ("api/v1/statuses/{pk}/context", "GET"): Row(
        "/api/v1/statuses/{status}/context", OPTIONAL, READ, see(200)),
    ("api/v1/statuses/{pk}/history", "GET"): Row(
        "/api/v1/statuses/{status}/history", OPTIONAL, READ, see(200), shows="text"),
    ("api/v1/statuses/{pk}/card", "GET"): Row(
        "/api/v1/statuses/{status}/card", OPTIONAL, READ, see(200)),
    ("api/v1/statuses/{pk}/source", "GET"): Row(
        "/api/v1/statuses/{status}/source", REQUIRED, READ, see(200), shows="text"),
    ("api/v1/statuses/{pk}/favourited_by", "GET"): Row(
        "/api/v1/statuses/{status}/favourited_by", OPTIONAL, READ, see(200)),
    ("api/v1/statuses/{pk}/reblogged_by", "GET"): Row(
        "/api/v1/statuses/{status}/reblogged_by", OPTIONAL, READ, see(200)),
    ("api/v1/statuses/{pk}/favourite", "POST"): Row(
        "/api/v1/statuses/{status}/favourite", REQUIRED, WRITE, see(200), shows="quote"),
    ("api/v1/statuses/{pk}/unfavourite", "POST"): Row(
        "/api/v1/statuses/{status}/unfavourite", REQUIRED, WRITE, undo),
    ("api/v1/statuses/{pk}/reblog", "POST"): Row(
        "/api/v1/statuses/{status}/reblog", REQUIRED, WRITE, reblog, shows="quote"),
    ("api/v1/statuses/{pk}/unreblog", "POST"): Row(
        "/api/v1/statuses/{status}/unreblog", REQUIRED, WRITE, undo),
    ("api/v1/statuses/{pk}/bookmark", "POST"): Row(
        "/api/v1/statuses/{status}/bookmark", REQUIRED, WRITE, see(200), shows="text"),
    ("api/v1/statuses/{pk}/unbookmark", "POST"): Row(
        "/api/v1/statuses/{status}/unbookmark", REQUIRED, WRITE, undo),
    ("api/v1/statuses/{pk}/mute", "POST"): Row(
        "/api/v1/statuses/{status}/mute", REQUIRED, WRITE, see(200), shows="text"),
    ("api/v1/statuses/{pk}/unmute", "POST"): Row(
        "/api/v1/statuses/{status}/unmute", REQUIRED, WRITE, see(200)),
    ("api/v1/statuses/{pk}/pin", "POST"): Row(
        "/api/v1/statuses/{status}/pin", REQUIRED, WRITE, pin, shows="text"),
    ("api/v1/statuses/{pk}/unpin", "POST"): Row(
        "/api/v1/statuses/{status}/unpin", REQUIRED, WRITE, see(200)),
    # Scheduled statuses are their owner's own: anyone else's is unknown to them (404).
    ("api/v1/scheduled_statuses", "GET"): Row(
        "/api/v1/scheduled_statuses", REQUIRED, READ, always(200)),
    ("api/v1/scheduled_statuses/{pk}", "GET"): Row(
        "/api/v1/scheduled_statuses/{scheduled}", REQUIRED, READ, author_only(200)),
    ("api/v1/scheduled_statuses/{pk}", "PUT"): Row(
        "/api/v1/scheduled_statuses/{scheduled}", REQUIRED, WRITE, author_only(200),
        body={"scheduled_at": "4000-01-01T00:00:00Z"}),
    ("api/v1/scheduled_statuses/{pk}", "DELETE"): Row(
        "/api/v1/scheduled_statuses/{scheduled}", REQUIRED, WRITE, author_only(200)),
    # A poll is seen by whoever sees its status; its author may not vote in it (422).
    ("api/v1/polls/{pk}", "GET"): Row("/api/v1/polls/{poll}", OPTIONAL, READ, see(200),
                                      shows="text"),
    ("api/v1/polls/{pk}/votes", "POST"): Row(
        "/api/v1/polls/{poll}/votes", REQUIRED, WRITE, poll_vote, body={"choices": [0]},
        shows="text"),
    ("api/v1/statuses/{pk}/quotes", "GET"): Row(
        "/api/v1/statuses/{status}/quotes", REQUIRED, READ, see(200)),
    ("api/v1/statuses/{pk}/quotes/{quoting_status_id}/revoke", "POST"): Row(
        "/api/v1/statuses/{status}/quotes/{quoting}/revoke", REQUIRED, WRITE, revoke_quote),
    ("api/v1/statuses/{pk}/interaction_policy", "PUT"): Row(
        "/api/v1/statuses/{status}/interaction_policy", REQUIRED, WRITE, own(200),
        body={"quote_approval_policy": "followers"}),
    # Translated by the local LibreTranslate of `_translation_provider`.
    ("api/v1/statuses/{pk}/translate", "POST"): Row(
        "/api/v1/statuses/{status}/translate", REQUIRED, READ, translatable,
        body={"lang": "de"}, shows="text"),
    # Conversations are their owner's own: `{conversation}` is the author's (of the direct
    # status, which the mentioned account has as another); anyone else's is unknown (404).
    ("api/v1/conversations", "GET"): Row(
        "/api/v1/conversations?limit=40", REQUIRED, READ, always(200)),
    ("api/v1/conversations/{pk}", "DELETE"): Row(
        "/api/v1/conversations/{conversation}", REQUIRED, WRITE, author_only(200)),
    ("api/v1/conversations/{pk}/read", "POST"): Row(
        "/api/v1/conversations/{conversation}/read", REQUIRED, WRITE, author_only(200)),
    ("api/v1/conversations/{pk}/unread", "POST"): Row(
        "/api/v1/conversations/{conversation}/unread", REQUIRED, WRITE, author_only(200)),
    # Lists are their owner's own: `{author_list}` is the author's (empty), `{follower_list}`
    # the follower's, holding the author (whom the follower follows); anyone else's is 404.
    ("api/v1/lists", "GET"): Row("/api/v1/lists", REQUIRED, READ, always(200)),
    ("api/v1/lists", "POST"): Row("/api/v1/lists", REQUIRED, WRITE, always(200),
                                  body={"title": "matrix list"}),
    ("api/v1/lists/{pk}", "GET"): Row(
        "/api/v1/lists/{author_list}", REQUIRED, READ, author_only(200)),
    ("api/v1/lists/{pk}", "PUT"): Row(
        "/api/v1/lists/{author_list}", REQUIRED, WRITE, author_only(200),
        body={"title": "renamed", "replies_policy": "none", "exclusive": True}),
    ("api/v1/lists/{pk}", "DELETE"): Row(
        "/api/v1/lists/{author_list}", REQUIRED, WRITE, author_only(200)),
    ("api/v1/lists/{pk}/accounts", "GET"): Row(
        "/api/v1/lists/{follower_list}/accounts", REQUIRED, READ,
        lambda c: 200 if c.who == "follower" else 404),
    # The author puts themself on their list (no follow needed for oneself).
    ("api/v1/lists/{pk}/accounts", "POST"): Row(
        "/api/v1/lists/{author_list}/accounts", REQUIRED, WRITE, author_only(200),
        body={"account_ids": ["{author}"]}),
    ("api/v1/lists/{pk}/accounts", "DELETE"): Row(
        "/api/v1/lists/{follower_list}/accounts", REQUIRED, WRITE,
        lambda c: 200 if c.who == "follower" else 404, body={"account_ids": ["{author}"]}),
    ("api/v1/accounts/{pk}/lists", "GET"): Row(
        "/api/v1/accounts/{author}/lists", REQUIRED, READ, always(200)),
    # The follower's list timeline shows the author's statuses the follower may see, and never
    # another's; the author's own (empty) list answers only the author.
    ("api/v1/timelines/list/{list_id}", "GET"): Row(
        "/api/v1/timelines/list/{follower_list}?limit=40", REQUIRED, READ,
        lambda c: 200 if c.who == "follower" else 404),
    # Filters are their owner's own: `{filter}`, `{filter_keyword}` (also the v1 filter's id)
    # and `{filter_status}` are the author's; anyone else's is "Record not found". A status
    # joins a filter only when its owner may see it (422 otherwise, never shown).
    ("api/v2/filters", "GET"): Row("/api/v2/filters", REQUIRED, READ, always(200)),
    ("api/v2/filters", "POST"): Row(
        "/api/v2/filters", REQUIRED, WRITE, always(200),
        body={"title": "m", "context": ["home"], "keywords_attributes": [{"keyword": "k"}]}),
    ("api/v2/filters/{pk}", "GET"): Row(
        "/api/v2/filters/{filter}", REQUIRED, READ, author_only(200)),
    ("api/v2/filters/{pk}", "PUT"): Row(
        "/api/v2/filters/{filter}", REQUIRED, WRITE, author_only(200), body={"title": "m2"}),
    ("api/v2/filters/{pk}", "DELETE"): Row(
        "/api/v2/filters/{filter}", REQUIRED, WRITE, author_only(200)),
    ("api/v2/filters/{filter_id}/keywords", "GET"): Row(
        "/api/v2/filters/{filter}/keywords", REQUIRED, READ, author_only(200)),
    ("api/v2/filters/{filter_id}/keywords", "POST"): Row(
        "/api/v2/filters/{filter}/keywords", REQUIRED, WRITE, author_only(200),
        body={"keyword": "another"}),
    ("api/v2/filters/keywords/{pk}", "GET"): Row(
        "/api/v2/filters/keywords/{filter_keyword}", REQUIRED, READ, author_only(200)),
    ("api/v2/filters/keywords/{pk}", "PUT"): Row(
        "/api/v2/filters/keywords/{filter_keyword}", REQUIRED, WRITE, author_only(200),
        body={"keyword": "changed"}),
    ("api/v2/filters/keywords/{pk}", "DELETE"): Row(
        "/api/v2/filters/keywords/{filter_keyword}", REQUIRED, WRITE, author_only(200)),
    ("api/v2/filters/{filter_id}/statuses", "GET"): Row(
        "/api/v2/filters/{filter}/statuses", REQUIRED, READ, author_only(200)),
    ("api/v2/filters/{filter_id}/statuses", "POST"): Row(
        "/api/v2/filters/{filter}/statuses", REQUIRED, WRITE,
        lambda c: (200 if c.sees else 422) if c.author else 404,
        body={"status_id": "{status}"}),
    ("api/v2/filters/statuses/{pk}", "GET"): Row(
        "/api/v2/filters/statuses/{filter_status}", REQUIRED, READ, author_only(200)),
    ("api/v2/filters/statuses/{pk}", "DELETE"): Row(
        "/api/v2/filters/statuses/{filter_status}", REQUIRED, WRITE, author_only(200)),
    ("api/v1/filters", "GET"): Row("/api/v1/filters", REQUIRED, READ, always(200)),
    ("api/v1/filters", "POST"): Row(
        "/api/v1/filters", REQUIRED, WRITE, always(200),
        body={"phrase": "m", "context": ["home"]}),
    ("api/v1/filters/{pk}", "GET"): Row(
        "/api/v1/filters/{filter_keyword}", REQUIRED, READ, author_only(200)),
    ("api/v1/filters/{pk}", "PUT"): Row(
        "/api/v1/filters/{filter_keyword}", REQUIRED, WRITE, author_only(200),
        body={"phrase": "m3"}),
    ("api/v1/filters/{pk}", "DELETE"): Row(
        "/api/v1/filters/{filter_keyword}", REQUIRED, WRITE, author_only(200)),
    # --- SelfCommunity: statuses ----------------------------------------------------------
    ("api/v2/status/", "GET"): Row("/api/v2/status/?limit=100", OPTIONAL, READ, always(200)),
    ("api/v2/status/", "POST"): Row("/api/v2/status/", REQUIRED, WRITE, always(201), body=SC_BODY),
    ("api/v2/status/{pk}/", "GET"): Row(
        "/api/v2/status/{status}/", OPTIONAL, READ, sc_read, reveals=own_deleted,
        shows="quote"),
    ("api/v2/status/{pk}/", "PUT"): Row(
        "/api/v2/status/{status}/", REQUIRED, WRITE, owner_only(200), body=SC_BODY),
    ("api/v2/status/{pk}/", "DELETE"): Row(
        "/api/v2/status/{status}/", REQUIRED, WRITE, owner_only(204)),
    ("api/v2/status/{pk}/restore/", "POST"): Row(
        "/api/v2/status/{status}/restore/", REQUIRED, WRITE, restore),
    ("api/v2/status/{pk}/vote/", "POST"): Row(
        "/api/v2/status/{status}/vote/", REQUIRED, WRITE, see(204)),
    ("api/v2/status/{pk}/vote/", "GET"): Row(
        "/api/v2/status/{status}/vote/", OPTIONAL, READ, see(200)),
    ("api/v2/status/{pk}/flag/", "POST"): Row(
        "/api/v2/status/{status}/flag/", REQUIRED, WRITE, see(204), body={"flag_type": 1}),
    ("api/v2/status/{pk}/flag/", "GET"): Row(
        "/api/v2/status/{status}/flag/", REQUIRED, READ, moderators(200)),
    # Every account flagged the statuses in FLAGGED: 200 wherever it sees one of those.
    ("api/v2/status/{pk}/flag/status/", "GET"): Row(
        "/api/v2/status/{status}/flag/status/", REQUIRED, READ, own_flag("status")),
    ("api/v2/status/{pk}/follow/", "POST"): Row(
        "/api/v2/status/{status}/follow/", REQUIRED, WRITE, see(204)),
    ("api/v2/status/{pk}/following/", "GET"): Row(
        "/api/v2/status/{status}/following/", REQUIRED, READ, see(200)),
    ("api/v2/status/{pk}/suspend/", "POST"): Row(
        "/api/v2/status/{status}/suspend/", REQUIRED, WRITE, see(204)),
    ("api/v2/status/{pk}/suspended/", "GET"): Row(
        "/api/v2/status/{status}/suspended/", REQUIRED, READ, see(200)),
    ("api/v2/status/{pk}/hide/", "POST"): Row(
        "/api/v2/status/{status}/hide/", REQUIRED, WRITE, see(204)),
    ("api/v2/status/{pk}/hide/status/", "GET"): Row(
        "/api/v2/status/{status}/hide/status/", REQUIRED, READ, see(200)),
    # --- SelfCommunity: status lists and feeds --------------------------------------------
    # Without a search term the search lists every status of the list (the no-leak check).
    ("api/v2/status/search/", "GET"): Row(
        "/api/v2/status/search/?limit=100", OPTIONAL, READ, always(200)),
    ("api/v2/status/uncommented/", "GET"): Row(
        "/api/v2/status/uncommented/?limit=100", REQUIRED, READ, always(200)),
    ("api/v2/status/following/", "GET"): Row(
        "/api/v2/status/following/?limit=100", REQUIRED, READ, always(200)),
    ("api/v2/status/suspended/", "GET"): Row(
        "/api/v2/status/suspended/?limit=100", REQUIRED, READ, always(200)),
    ("api/v2/status/{pk}/contributors/", "GET"): Row(
        "/api/v2/status/{status}/contributors/", OPTIONAL, READ, see(200)),
    ("api/v2/status/{pk}/shares/", "GET"): Row(
        "/api/v2/status/{status}/shares/", OPTIONAL, READ, see(200)),
    ("api/v2/status/{pk}/shares_users/", "GET"): Row(
        "/api/v2/status/{status}/shares_users/", OPTIONAL, READ, see(200)),
    ("api/v2/status/{pk}/related/", "GET"): Row(
        "/api/v2/status/{status}/related/", OPTIONAL, READ, see(200)),
    ("api/v2/feed/", "GET"): Row("/api/v2/feed/?limit=100", REQUIRED, READ, always(200)),
    ("api/v2/feed/explore/", "GET"): Row(
        "/api/v2/feed/explore/?limit=100", OPTIONAL, READ, always(200)),
    ("api/v2/feed/unseen/count/", "GET"): Row(
        "/api/v2/feed/unseen/count/", REQUIRED, READ, always(200)),
    ("api/v2/feed/read/", "POST"): Row(
        "/api/v2/feed/read/", REQUIRED, WRITE, listed(204), body={"object": ["{status}"]}),
    ("api/v2/feed/likethis/", "POST"): Row(
        "/api/v2/feed/likethis/?limit=100", OPTIONAL, READ, listed(200),
        body={"object": ["{status}"]}),
    # Every status of the world is filed under `{category}` (the no-leak check has them all).
    ("api/v2/user/{pk}/feed/", "GET"): Row(
        "/api/v2/user/{author}/feed/?limit=100", OPTIONAL, READ, always(200)),
    ("api/v2/category/{pk}/feed/", "GET"): Row(
        "/api/v2/category/{category}/feed/?limit=100", OPTIONAL, READ, always(200)),
    ("api/v2/category/{pk}/feed/trending/", "GET"): Row(
        "/api/v2/category/{category}/feed/trending/?limit=100", OPTIONAL, READ, always(200)),
    # --- SelfCommunity: comments (one per status kind, in `{comment}`) ---------------------
    ("api/v2/comment/", "GET"): Row(
        "/api/v2/comment/?status={status}", OPTIONAL, READ, commentable(200), shows="text"),
    ("api/v2/comment/", "POST"): Row(
        "/api/v2/comment/", REQUIRED, WRITE, commentable(201),
        body={"status": "{status}", "text": "<p>matrix comment</p>"}),
    ("api/v2/comment/{pk}/", "GET"): Row(
        "/api/v2/comment/{comment}/", OPTIONAL, READ, see(200), shows="text"),
    ("api/v2/comment/{pk}/", "PUT"): Row(
        "/api/v2/comment/{comment}/", REQUIRED, WRITE, owner_only(200),
        body={"text": "<p>matrix edit</p>"}),
    ("api/v2/comment/{pk}/", "DELETE"): Row(
        "/api/v2/comment/{comment}/", REQUIRED, WRITE, owner_only(204)),
    ("api/v2/comment/{pk}/restore/", "POST"): Row(
        "/api/v2/comment/{comment}/restore/", REQUIRED, WRITE, comment_restore),
    ("api/v2/comment/{pk}/vote/", "POST"): Row(
        "/api/v2/comment/{comment}/vote/", REQUIRED, WRITE, see(204)),
    ("api/v2/comment/{pk}/vote/", "GET"): Row(
        "/api/v2/comment/{comment}/vote/", OPTIONAL, READ, see(200)),
    ("api/v2/comment/{pk}/flag/", "POST"): Row(
        "/api/v2/comment/{comment}/flag/", REQUIRED, WRITE, see(204), body={"flagType": 2}),
    ("api/v2/comment/{pk}/flag/", "GET"): Row(
        "/api/v2/comment/{comment}/flag/", REQUIRED, READ, moderators(200)),
    ("api/v2/comment/{pk}/flag/status/", "GET"): Row(
        "/api/v2/comment/{comment}/flag/status/", REQUIRED, READ, own_flag("comment")),
    # --- SelfCommunity: moderation (moderators only, on what they may read: MODERATION_SEES) --
    # The list holds the flagged contributions: every status and comment a moderator may read
    # but private, direct and addressed ones (and inner's comment, unflagged and out of sight).
    ("api/v2/moderation/contribution/", "GET"): Row(
        "/api/v2/moderation/contribution/?limit=100", REQUIRED, READ, moderator_only(200),
        reveals=lambda c, kind: c.moderator and kind in MODERATION_SEES["status"],
        shows="all"),
    ("api/v2/moderation/contribution/{pk}/flag/", "GET"): Row(
        "/api/v2/moderation/contribution/{status}/flag/?contribution_type=status", REQUIRED,
        READ, moderation(200, "status")),
    ("api/v2/moderation/contribution/{pk}/status/", "GET"): Row(
        "/api/v2/moderation/contribution/{comment}/status/?contribution_type=comment",
        REQUIRED, READ, moderation(200, "comment")),
    ("api/v2/moderation/contribution/{pk}/", "PATCH"): Row(
        "/api/v2/moderation/contribution/{status}/", REQUIRED, WRITE, moderation(200, "status"),
        body={"contribution_type": "status", "action": "scold_author", "moderation_type": 0},
        reveals=moderation_reveals("status"), shows="text"),
    # --- SelfCommunity: media, categories, reactions, tags --------------------------------
    ("api/v2/media/", "POST"): Row(
        "/api/v2/media/", REQUIRED, WRITE, share,
        body={"type": "share", "shared_object": "{status}"}, shows="text"),
    # A chunked upload's first piece (the whole UPLOAD file); completing it takes the author's
    # upload of the world (another's upload_id is unknown: 404).
    ("api/v2/media/upload/chunk/", "POST"): Row(
        "/api/v2/media/upload/chunk/", REQUIRED, WRITE, always(201), body={"image": UPLOAD},
        fmt="multipart", headers={"Content-Range": UPLOAD_RANGE}),
    ("api/v2/media/upload/complete/", "POST"): Row(
        "/api/v2/media/upload/complete/", REQUIRED, WRITE, author_only(201), fmt="multipart",
        body={"upload_id": "{chunked_upload}", "md5": "{chunked_md5}", "type": "image"}),
    # The world's media are the author's and on no status: nobody else may see them.
    ("api/v2/media/{pk}/", "GET"): Row(
        "/api/v2/media/{media}/", OPTIONAL, READ, author_only(200)),
    ("api/v2/media/{pk}/", "DELETE"): Row(
        "/api/v2/media/{media_to_delete}/", REQUIRED, WRITE, author_only(204)),
    ("api/v2/media/{pk}/click/", "POST"): Row(
        "/api/v2/media/{media}/click/", OPTIONAL, READ, author_only(204)),
    ("api/v2/category/", "GET"): Row("/api/v2/category/", OPTIONAL, READ, always(200)),
    ("api/v2/category/{pk}/", "GET"): Row(
        "/api/v2/category/{category}/", OPTIONAL, READ, always(200)),
    ("api/v2/reaction/", "GET"): Row("/api/v2/reaction/", OPTIONAL, READ, always(200)),
    ("api/v2/reaction/{pk}/", "GET"): Row(
        "/api/v2/reaction/{reaction}/", OPTIONAL, READ, always(200)),
    ("api/v2/user/tag/tags_to_address_a_contribution/", "GET"): Row(
        "/api/v2/user/tag/tags_to_address_a_contribution/", REQUIRED, READ, always(200)),
    # --- SelfCommunity: what the React UI reads at start (community/selfcommunity/) ---------
    # Preferences, features and menus: anyone, with any token or none.
    ("api/v2/dynamic_preference/", "GET"): Row(
        "/api/v2/dynamic_preference/", OPTIONAL, ANY, always(200)),
    ("api/v2/dynamic_preference/{pk}/", "GET"): Row(
        "/api/v2/dynamic_preference/{preference}/", OPTIONAL, ANY, always(200)),
    ("api/v2/feature/", "GET"): Row("/api/v2/feature/", OPTIONAL, ANY, always(200)),
    ("api/v2/custom_menu/", "GET"): Row("/api/v2/custom_menu/", OPTIONAL, ANY, always(200)),
    ("api/v2/custom_menu/search/", "GET"): Row(
        "/api/v2/custom_menu/search/?search=foot", OPTIONAL, ANY, always(200)),
    ("api/v2/custom_menu/{pk}/", "GET"): Row(
        "/api/v2/custom_menu/base/", OPTIONAL, ANY, always(200)),
    ("api/v2/user/me/", "GET"): Row("/api/v2/user/me/", REQUIRED, READ, always(200)),
    ("api/v2/user/me/permission/", "GET"): Row(
        "/api/v2/user/me/permission/", REQUIRED, READ, always(200)),
    ("api/v2/user/{pk}/", "GET"): Row("/api/v2/user/{author}/", OPTIONAL, READ, always(200)),
    # One's own settings only: everyone else who asks for the author's is refused.
    ("api/v2/user/{pk}/settings/", "GET"): Row(
        "/api/v2/user/{author}/settings/", REQUIRED, READ, lambda c: 200 if c.author else 403),
    ("api/v2/user/{pk}/settings/", "PATCH"): Row(
        "/api/v2/user/{author}/settings/", REQUIRED, WRITE,
        lambda c: 200 if c.author else 403, body={"qa_frequency": 0}),
    ("api/v2/user/hidden_users_id/", "GET"): Row(
        "/api/v2/user/hidden_users_id/", REQUIRED, FOLLOW_READ, always(200)),
    ("api/v2/user/hidden_users/", "GET"): Row(
        "/api/v2/user/hidden_users/", REQUIRED, FOLLOW_READ, always(200)),
    ("api/v2/user/search/", "GET"): Row(
        "/api/v2/user/search/?search=a", OPTIONAL, READ, always(200)),
    ("api/v2/user/autocomplete/", "GET"): Row(
        "/api/v2/user/autocomplete/?search=a", OPTIONAL, READ, always(200)),
    ("api/v2/suggestion/user/", "GET"): Row(
        "/api/v2/suggestion/user/", OPTIONAL, READ, always(200)),
    ("api/v2/category/popular/", "GET"): Row(
        "/api/v2/category/popular/", OPTIONAL, READ, always(200)),
    # --- the OpenAPI description and Swagger UI: anonymous GETs, tokens play no part ------
    ("api/schema/", "GET"): Row("/api/schema/?format=json", NONE, ANY, always(200)),
    ("api/docs/", "GET"): Row("/api/docs/", NONE, ANY, always(200)),
}


def _contribution_type_rows(kind: str) -> dict[tuple[str, str], Row]:
    """The rows of `/api/v2/{kind}/...`: every `/api/v2/status/` row with its path moved and
    the cell's statuses made contributions of `kind` (a discussion's body gets its required
    title), and the poll vote of posts and discussions (a vote for the poll's first choice)."""
    rows = {}
    for (key, method), row in list(TABLE.items()):
        if not key.startswith("api/v2/status/"):
            continue
        body = row.body
        if kind == "discussion" and body is not None and "text" in body:
            body = {**body, "title": "Matrix discussion"}
        rows[(key.replace("api/v2/status/", f"api/v2/{kind}/", 1), method)] = dataclasses.replace(
            row, path=row.path.replace("/api/v2/status/", f"/api/v2/{kind}/", 1), body=body,
            kind=kind)
    rows[(f"api/v2/{kind}/{{pk}}/poll/vote/", "POST")] = Row(
        f"/api/v2/{kind}/{{status}}/poll/vote/", REQUIRED, WRITE, sc_poll_vote,
        body={"choice": "{choice}"}, kind=kind)
    rows[(f"api/v2/{kind}/{{pk}}/poll/vote/", "GET")] = Row(
        f"/api/v2/{kind}/{{status}}/poll/vote/", REQUIRED, READ, see(200), kind=kind)
    return rows


for _kind in ("post", "discussion"):
    TABLE.update(_contribution_type_rows(_kind))


# --- the routes -----------------------------------------------------------------------------

def _replace_groups(pattern: str) -> str:
    """`(?P<name>...)` (balanced) and `<conv:name>` become `{name}`; anchors go."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("(?P<", i):
            name_end = pattern.index(">", i)
            name = pattern[i + 4:name_end]
            depth, j = 0, i
            while True:
                if pattern[j] == "\\":
                    j += 2
                    continue
                if pattern[j] == "(":
                    depth += 1
                elif pattern[j] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            out.append("{" + name + "}")
            i = j + 1
        elif pattern[i] in "^$":
            i += 1
        else:
            out.append(pattern[i])
            i += 1
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", "".join(out))


def _methods(callback) -> list[str]:
    # HEAD is GET's twin and OPTIONS is metadata; DRF adds `head` to `.actions` itself once the
    # view has served a GET, so neither counts.
    actions = getattr(callback, "actions", None)
    if actions:
        return sorted(m.upper() for m in actions if m not in ("options", "head"))
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return sorted(m.upper() for m in view_class.http_method_names
                      if m not in ("options", "head") and hasattr(view_class, m))
    return ["*"]


def routes() -> list[tuple[str, str]]:
    """(route key, method) for every route under api/ and oauth/, in resolver order."""
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
                continue
            key = _replace_groups(prefix + str(pattern.pattern))
            if key.startswith(("api/", "oauth/", "(api|oauth)/", ".well-known/")):
                found.extend((key, method) for method in _methods(pattern.callback))

    walk(get_resolver().url_patterns, "")
    return found


def test_routes_are_distinct():
    listed = routes()
    duplicates = sorted({r for r in listed if listed.count(r) > 1})
    assert not duplicates, f"routes that shadow one another: {duplicates}"


def test_every_route_has_a_row():
    missing = [r for r in routes() if r not in TABLE]
    assert not missing, (
        "routes without a row in TABLE (add one per route and method, see the module "
        f"docstring): {missing}")


def test_every_row_has_a_route():
    existing = set(routes())
    stale = [r for r in TABLE if r not in existing]
    assert not stale, f"rows in TABLE for routes that no longer exist: {stale}"


def test_the_visibility_table_matches_the_rules():
    """SEES is written by hand; this restates the rules once more in another form."""
    for kind in STATUSES:
        assert ("author" in SEES[kind]) == (kind != "deleted")
        assert ("anonymous" in SEES[kind]) == (kind in ("public", "unlisted", "shared"))
    assert SEES["private"] == SEES["inner"] == {"author", "follower"}


# --- the world ------------------------------------------------------------------------------

@dataclass
class World:
    ids: dict[str, int]                  # status kind -> id
    values: dict[str, object]            # path and body placeholders, but {status}
    tokens: dict[str, str]               # viewer -> raw token (accounts, revoked)
    noscope: dict[str, str]              # scope family -> the author's token without it
    media_root: str
    # status kind -> the author's SelfCommunity comment on it (it keeps the status's audience,
    # and carries the status's marker, so the no-leak check holds it to the status's readers)
    comment_ids: dict[str, int]
    # status kind -> a poll on it, whose first option carries the status's marker
    poll_ids: dict[str, int]

    def token(self, viewer: str, scope: str) -> str | None:
        if viewer == "anonymous":
            return None
        if viewer == "noscope":
            return self.noscope[scope]
        return self.tokens[viewer]


def _png() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "matrix.png"
    return buffer


def _range_of(data: bytes) -> dict:
    return {"Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"}


def _client(raw: str | None = None) -> APIClient:
    client = APIClient()
    if raw is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def _ok(response, *codes):
    assert response.status_code in codes, (response.status_code, response.content[:800])
    return response.json() if response.content else None


def _build_world(media_root: str) -> World:
    from oauth2_provider.models import AccessToken

    from accounts.models import Account, Application, Follow, RevokedToken, Visibility
    from categories.models import Category, Reaction, Tag
    from community.models import Preference
    from statuses.models import Flag, Mention, Poll, ScheduledStatus, Status

    people = {name: Account.objects.create(username=f"mx_{name}", display_name=name.title(),
                                           is_staff=name == "moderator")
              for name in (*ACCOUNTS, "requester")}
    app = Application.objects.create(
        name="Authorization matrix", client_id="mx-authorization-matrix",
        client_secret=CLIENT_SECRET, client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE, redirect_uris=OOB,
        scopes=FULL_SCOPES, website="")

    def token(account, scope=FULL_SCOPES) -> str:
        raw = secrets.token_urlsafe(24)
        AccessToken.objects.create(user=account, application=app, token=raw, scope=scope,
                                   expires=timezone.now() + timedelta(days=365))
        return raw

    tokens = {name: token(people[name]) for name in ACCOUNTS}
    noscope = {family: token(people["author"], scope) for family, scope in WRONG_SCOPES.items()}
    spare = token(people["requester"])
    revoked = token(people["author"])
    _ok(_client().post("/oauth/revoke", urlencode({
        "token": revoked, "client_id": app.client_id, "client_secret": CLIENT_SECRET}),
        content_type="application/x-www-form-urlencoded"), 200)
    tokens["revoked"] = revoked
    author = _client(tokens["author"])
    author_id = people["author"].pk

    # Relations: one follower, one pending request, one holder of a user tag.
    _ok(_client(tokens["follower"]).post(f"/api/v1/accounts/{author_id}/follow"), 200)
    Follow.objects.create(account=people["requester"], target=people["author"], accepted=False)
    tag = Tag.objects.create(type="user", name="mx-holders")
    tag.holders.add(people["holder"])
    category = Category.objects.create(name="Matrix category", slug="mx-category")

    ids: dict[str, int] = {}

    def mastodon(kind, visibility, prefix=""):
        body = {"status": f"{prefix}{MARKERS[kind]} #mxtag", "visibility": visibility}
        ids[kind] = int(_ok(author.post("/api/v1/statuses", body, format="json"), 200)["id"])

    def selfcommunity(kind, **fields):
        body = {**SC_BODY, "text": f"<p>{MARKERS[kind]}</p>", **fields}
        ids[kind] = _ok(author.post("/api/v2/status/", body, format="json"), 201)["id"]

    mastodon("public", "public")
    mastodon("unlisted", "unlisted")
    mastodon("private", "private")
    mastodon("direct", "direct", prefix="@mx_mentioned ")
    mastodon("deleted", "public")
    mastodon("collapsed", "public")
    selfcommunity("addressed", addressing=[tag.pk])
    selfcommunity("inner")
    # While `inner` and `collapsed` are public, the readers favourite, bookmark and reblog them
    # (HAD) and the author shares `inner`; then `inner` becomes followers-only and moderators
    # collapse `collapsed`.
    wrappers = []
    for kind, name in sorted(HAD):
        reader = _client(tokens[name])
        for action in ("favourite", "bookmark"):
            _ok(reader.post(f"/api/v1/statuses/{ids[kind]}/{action}"), 200)
        wrappers.append(int(_ok(reader.post(f"/api/v1/statuses/{ids[kind]}/reblog"),
                                200)["id"]))
    shared_media = _ok(author.post("/api/v2/media/", {"type": "share",
                                                      "shared_object": ids["inner"]},
                                   format="json"), 201)["id"]
    selfcommunity("shared", medias=[shared_media])
    comment_ids = {
        kind: _ok(author.post("/api/v2/comment/", {"status": ids[kind],
                                                    "text": f"<p>{MARKERS[kind]} said</p>"},
                              format="json"), 201)["id"]
        for kind in STATUSES
    }
    # Every status is filed under the category (the category feeds and "like this" list them).
    Status.categories.through.objects.bulk_create([
        Status.categories.through(status_id=pk, category_id=category.pk) for pk in ids.values()])
    Status.objects.filter(pk=ids["inner"]).update(visibility=Visibility.PRIVATE)
    _ok(author.delete(f"/api/v1/statuses/{ids['deleted']}"), 200)
    Status.objects.filter(pk=ids["collapsed"]).update(collapsed=True)
    # Every account flagged the statuses and comments in FLAGGED (while it could); nobody
    # flagged the others, so moderators read those only as the normal rule lets them.
    flagged = [*(ids[k] for k in FLAGGED["status"]),
               *(comment_ids[k] for k in FLAGGED["comment"])]
    Flag.objects.bulk_create([Flag(status_id=pk, account=people[name], flag_type=0)
                              for pk in flagged for name in ACCOUNTS])
    Status.objects.filter(pk__in=flagged).update(flags_count=len(ACCOUNTS))
    media = [_ok(author.post("/api/v1/media", {"file": _png()}, format="multipart"), 200)["id"]
             for _ in range(2)]
    # A chunked upload of the author's, all its bytes received, waiting to be completed.
    whole = _png().getvalue()
    chunked_upload = _ok(author.post("/api/v2/media/upload/chunk/", {"image": _png()},
                                     format="multipart", headers=_range_of(whole)),
                         201)["upload_id"]
    # A poll on every kind of status (written as rows: a poll is only made with its status, and
    # three of the kinds are SelfCommunity's), and one scheduled status of the author's.
    polls = {kind: Poll.objects.create(
        status_id=pk, options=[f"{MARKERS[kind]} yes", "no"], tallies=[0, 0],
        expires_at=timezone.now() + timedelta(days=1)) for kind, pk in ids.items()}
    Status.objects.filter(pk__in=ids.values()).update(has_poll=True)
    scheduled = int(_ok(author.post("/api/v1/statuses", {
        "status": "matrix later", "scheduled_at": (timezone.now() + timedelta(days=2)).isoformat(),
    }, format="json"), 200)["id"])

    # The author's filters: one with a keyword (which no status holds), one with a status rule
    # on the public status (a warning only: nothing leaves any list).
    keyword_filter = _ok(author.post("/api/v2/filters", {
        "title": "matrix filter", "context": ["home", "public", "thread"],
        "keywords_attributes": [{"keyword": "matrixfilterword"}]}, format="json"), 200)
    status_filter = _ok(author.post("/api/v2/filters", {
        "title": "matrix status filter", "context": ["home"]}, format="json"), 200)
    filter_status = _ok(author.post(f"/api/v2/filters/{status_filter['id']}/statuses", {
        "status_id": str(ids["public"])}, format="json"), 200)

    # The world is what the matrix assumes (facts of the rows, not of the visibility code).
    rows = {s.pk: s for s in Status.objects.filter(pk__in=ids.values())}
    assert [rows[ids[k]].visibility for k in ("public", "unlisted", "private", "direct")] == [
        Visibility.PUBLIC, Visibility.UNLISTED, Visibility.PRIVATE, Visibility.DIRECT]
    assert rows[ids["addressed"]].addressed
    assert rows[ids["addressed"]].visibility == Visibility.PRIVATE
    assert list(rows[ids["addressed"]].addressing.all()) == [tag]
    assert rows[ids["inner"]].visibility == Visibility.PRIVATE
    assert rows[ids["shared"]].visibility == Visibility.PUBLIC
    assert rows[ids["shared"]].quote_of_id == ids["inner"]
    assert rows[ids["deleted"]].deleted_at is not None
    assert rows[ids["collapsed"]].collapsed
    assert all(rows[ids[k]].account_id == author_id for k in STATUSES)
    assert set(Mention.objects.filter(status_id=ids["direct"]).values_list(
        "account_id", flat=True)) == {people["mentioned"].pk}
    assert set(Follow.objects.filter(target=people["author"], accepted=True).values_list(
        "account_id", flat=True)) == {people["follower"].pk}
    assert RevokedToken.objects.count() >= 1
    assert not AccessToken.objects.filter(token=revoked).exists()
    assert Reaction.objects.filter(is_default=True).exists()
    assert ScheduledStatus.objects.get(pk=scheduled).account_id == author_id
    # The direct status (and the author's comment on it) is one conversation of the author's
    # and one of the mentioned account's, and nobody else's.
    from conversations.models import AccountConversation
    conversations = {c.account_id: c for c in AccountConversation.objects.filter(
        thread_id=ids["direct"])}
    assert set(conversations) == {author_id, people["mentioned"].pk}

    # A shown announcement every account reacted to with 👍.
    from instance_extras import services as instance_services
    from instance_extras.models import Announcement

    announcement = instance_services.announcement_save(
        announcement=Announcement(text="Matrix announcement"))
    for name in ACCOUNTS:
        instance_services.announcement_react(account=people[name],
                                             announcement_id=announcement.pk, name="👍")

    # Every account follows #mxtag (which every status carries), so each home timeline also
    # reads statuses through the followed-tag path; the author features it.
    from statuses.models import FeaturedTag, Hashtag, TagFollow
    mxtag = Hashtag.objects.get(name="mxtag")
    for name in ACCOUNTS:
        TagFollow.objects.create(account=people[name], hashtag=mxtag)
    featured_tag = FeaturedTag.objects.create(account=people["author"], hashtag=mxtag)

    every = [*ids.values(), *wrappers]
    # Trends rank every status of the world, whatever its visibility (as if each had been public
    # when ranked): what a trends request shows is decided by the visibility rule at request
    # time. Every account is discoverable, so suggestions and the directory list them.
    from trends.models import TrendingStatus
    TrendingStatus.objects.bulk_create(TrendingStatus(status_id=pk, rank=rank, score=1.0)
                                       for rank, pk in enumerate(every))
    Account.objects.filter(pk__in=[p.pk for p in people.values()]).update(discoverable=True)
    # One of the author's notifications: the stranger's favourite of `inner` (grouped).
    from notifications.models import Notification, NotificationRequest
    told = Notification.objects.get(recipient=people["author"], type="favourite",
                                    from_account=people["stranger"], status_id=ids["inner"])
    # An empty list of the author's, and a list of the follower's holding the author.
    from lists.models import ListMember, UserList
    author_list = UserList.objects.create(account=people["author"], title="matrix")
    follower_list = UserList.objects.create(account=people["follower"], title="matrix")
    ListMember.objects.create(list=follower_list, account=people["author"], follow=Follow.objects.get(
        account=people["follower"], target=people["author"]))
    values = {
        "author": author_id,
        "author_list": author_list.pk,
        "follower_list": follower_list.pk,
        "requester": people["requester"].pk,
        "media": media[0],
        "media_to_delete": media[1],
        "chunked_upload": chunked_upload,
        "chunked_md5": hashlib.md5(whole).hexdigest(),
        "category": category.pk,
        "preference": Preference.objects.order_by("pk").first().pk,
        "reaction": Reaction.objects.filter(active=True).order_by("pk").first().pk,
        "client_id": app.client_id,
        "client_secret": CLIENT_SECRET,
        "spare_token": spare,
        "every_id": "&".join(f"id[]={pk}" for pk in every),
        "quoting": ids["shared"],
        "scheduled": scheduled,
        "announcement": announcement.pk,
        "conversation": conversations[author_id].pk,
        "featured_tag": featured_tag.pk,
        "filter": int(keyword_filter["id"]),
        "filter_keyword": int(keyword_filter["keywords"][0]["id"]),
        "filter_status": int(filter_status["id"]),
        "notification": told.pk,
        "notification_group": told.group_key,
        "notification_request": NotificationRequest.objects.get(
            account=people["mentioned"], from_account=people["author"]).pk,
    }
    return World(ids=ids, values=values, tokens=tokens, noscope=noscope, media_root=media_root,
                 comment_ids=comment_ids, poll_ids={k: p.pk for k, p in polls.items()})


def _high_water_marks() -> dict:
    marks = {}
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        if meta.pk.get_internal_type() not in ("AutoField", "BigAutoField", "SmallAutoField"):
            continue
        marks[model] = model._base_manager.aggregate(top=Max("pk"))["top"] or 0
    return marks


def _delete_since(marks: dict) -> None:
    """Remove every row the world added (deleting a token records a RevokedToken, so repeat)."""
    for _ in range(10):
        removed = False
        for model, mark in marks.items():
            rows = model._base_manager.filter(pk__gt=mark)
            if rows.exists():
                try:
                    rows.delete()
                except ProtectedError:
                    pass
                removed = True
        if not removed:
            return
    raise AssertionError("the matrix world could not be removed")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media_root = str(tmp_path_factory.mktemp("matrix_media"))
    with django_db_blocker.unblock():
        marks = _high_water_marks()
        try:
            # The cells hash with MD5 (tests/conftest.py): the client secret must be checkable.
            with override_settings(MEDIA_ROOT=media_root, PASSWORD_HASHERS=[
                    "django.contrib.auth.hashers.MD5PasswordHasher"]):
                built = _build_world(media_root)
        except BaseException:
            _delete_since(marks)
            raise
    yield built
    with django_db_blocker.unblock():
        _delete_since(marks)


@pytest.fixture(scope="module")
def _translation_server():
    from tests.translation_fakes import FakeLibreTranslate

    fake = FakeLibreTranslate(api_key="").start()
    yield fake
    fake.stop()


@pytest.fixture(autouse=True)
def _translation_provider(settings, _translation_server):
    """A local LibreTranslate (tests/translation_fakes.py), so translate reaches its 200s."""
    settings.DEEPL_API_KEY = ""
    settings.LIBRE_TRANSLATE_ENDPOINT = _translation_server.url


@pytest.fixture(autouse=True)
def _media_root(request, settings):
    if "world" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("world").media_root


# --- the cells ------------------------------------------------------------------------------

def _fill(value, values: dict):
    if value is UPLOAD:
        return _png()
    if isinstance(value, dict):
        return {k: _fill(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, values) for v in value]
    if isinstance(value, str):
        whole = re.fullmatch(r"\{(\w+)\}", value)
        return values[whole.group(1)] if whole else value.format_map(values)
    return value


@pytest.fixture(scope="module")
def client():
    """One client for every cell (a new one loads the middleware again, a millisecond a cell)."""
    return APIClient()


def _call(client: APIClient, world: World, row: Row, cell: Cell, method: str):
    values = dict(world.values)
    if cell.status is not None:
        values["status"] = world.ids[cell.status]
        values["marker"] = MARKERS[cell.status]
        values["comment"] = world.comment_ids[cell.status]
        values["poll"] = world.poll_ids[cell.status]
        # The SelfCommunity id of the poll's first choice (statuses/selfcommunity/serializers.py).
        values["choice"] = world.poll_ids[cell.status] * 1000
    if row.kind is not None:
        from statuses.models import Status

        typed = [values["status"]] if cell.status is not None else list(world.ids.values())
        Status.objects.filter(pk__in=typed).update(contribution_type=row.kind)
    raw = world.token(cell.viewer, row.scope)
    client.cookies.clear()
    if raw is None:
        client.credentials()
    else:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    path = row.path.format_map(values)
    data = _fill(row.body, values)
    send = getattr(client, method.lower())
    headers = {name: _range_of(_png().getvalue())["Content-Range"]
               if value is UPLOAD_RANGE else value for name, value in (row.headers or {}).items()}
    if data is None:
        return send(path, headers=headers)
    if row.fmt == "form":
        return send(path, urlencode(data), content_type="application/x-www-form-urlencoded",
                    headers=headers)
    return send(path, data, format=row.fmt, headers=headers)


def _dialect(path: str) -> str:
    path = path.split("?")[0]
    if path.startswith("/oauth/"):
        return "oauth"
    if path.startswith("/api/v2/") and path.endswith("/") and path != "/api/v2/instance/":
        return "selfcommunity"
    return "mastodon"


def _check_envelope(row: Row, cell: Cell, response) -> None:
    from config.api.auth import OUTSIDE_SCOPES, TOKEN_INVALID, TOKEN_REVOKED

    code = response.status_code
    dialect = _dialect(row.path)
    if code < 400 or dialect == "oauth":
        return
    body = json.loads(response.content)
    if dialect == "selfcommunity":
        assert isinstance(body.get("errors"), list) and body["errors"], body
        return
    assert isinstance(body.get("error"), str), body
    if code == 401:
        assert body["error"] == (TOKEN_REVOKED if cell.viewer == "revoked" else TOKEN_INVALID)
    if code == 403 and cell.viewer == "noscope":
        assert body["error"] == OUTSIDE_SCOPES


def _cells():
    for (key, method), row in TABLE.items():
        for tried in (row.methods or (method,)) if method == "*" else (method,):
            for status in (STATUSES if row.per_status else (None,)):
                for viewer in VIEWERS:
                    reason = row.xfail.get((viewer, status))
                    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                    yield pytest.param(key, method, tried, viewer, status, marks=marks,
                                       id=f"{tried}:{key}:{viewer}:{status or '-'}")


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "method", "tried", "viewer", "status"), list(_cells()))
def test_cell(world, client, key, method, tried, viewer, status):
    row = TABLE[(key, method)]
    cell = Cell(viewer, status)
    response = _call(client, world, row, cell, tried)
    text = response.content.decode("utf-8", "replace")
    want = expected(row, cell)
    assert response.status_code == want, f"expected {want}, got {response.status_code}: " \
        f"{text[:600]}"
    leaked = [kind for kind in STATUSES if MARKERS[kind] in text
              and not may_show(row, cell, kind)]
    assert not leaked, f"{viewer} was shown the text of {leaked}: {text[:600]}"
    if 200 <= response.status_code < 300 and row.shows:
        if row.shows == "all":
            wanted = {kind for kind in STATUSES if cell.who in SEES[kind]}
        else:
            wanted = {status}
            if row.shows == "quote" and status == "shared" and cell.who in SEES["inner"]:
                wanted.add("inner")
        unseen = sorted(kind for kind in wanted if MARKERS[kind] not in text)
        assert not unseen, f"{viewer} was not shown {unseen}: {text[:600]}"
    _check_envelope(row, cell, response)


# --- the streaming routes ---------------------------------------------------------------------
# Mastodon's streaming API and SelfCommunity's notification socket are served by ASGI routes
# (config/asgi.py, streaming.mastodon.routing, streaming.selfcommunity.routing) outside Django's
# resolver; under gunicorn its paths answer the catch-all's JSON 404 above.
# Their own matrix (tokens × streams over the WebSocket and the event streams, and who hears
# which status) is tests/streaming/test_authorization_matrix.py; a new streaming route fails here
# until it has rows there.
def test_every_streaming_route_has_rows_in_the_streaming_matrix():
    from streaming.mastodon.routing import http_urlpatterns, websocket_urlpatterns
    from streaming.selfcommunity.routing import websocket_urlpatterns as selfcommunity
    from tests.streaming.test_authorization_matrix import ROUTES

    served = {f"ws {p.pattern}" for p in [*websocket_urlpatterns, *selfcommunity]}
    served |= {f"http {p.pattern}" for p in http_urlpatterns}
    assert served <= set(ROUTES), sorted(served - set(ROUTES))

"""The Mastodon dialect's plumbing: `{"error": "..."}` envelope, headers, parameters, base view."""

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, QueryDict
from django.utils.datastructures import MultiValueDict
from rest_framework import exceptions, status
from rest_framework.request import Empty, Request
from rest_framework.response import Response

from config import errors, outage
from config.api.auth import TOKEN_INVALID
from config.api.base import TokenViewSet
from config.api.parsers import unstorable_strings
from config.params import param_bool, param_list, param_str, parse_id
from config.ratelimit import client_ip  # noqa: F401  (imported from here by older callers)

NOT_FOUND = "Not Found"
RECORD_NOT_FOUND = "Record not found"
NOT_ALLOWED = "This action is not allowed"
PARSE_ERROR = "Error occurred while parsing request parameters"


class MastodonError(exceptions.APIException):
    """An error with Mastodon's exact status code, message and optional extra keys."""

    def __init__(self, status_code: int, message: str, extra: Mapping[str, Any] | None = None):
        super().__init__(detail=message)
        self.status_code = status_code
        self.message = message
        self.extra = dict(extra or {})


class ValidationFailed(MastodonError):
    """Rails' RecordInvalid: 422 "Validation failed: <messages joined by ', '>"."""

    def __init__(self, *messages: str):
        self.messages = list(messages)
        super().__init__(422, "Validation failed: " + ", ".join(messages))


def not_found(message: str = NOT_FOUND) -> MastodonError:
    return MastodonError(404, message)


def error_response(status_code: int, message: str, headers=None, extra=None) -> Response:
    body = {"error": message}
    if extra:
        body.update(extra)
    return Response(body, status=status_code, headers=headers)


def mastodon_exception_handler(exc, context):
    """Turns every exception a Mastodon view raises into the dialect's envelope."""
    if outage.is_outage(exc):
        outage.log_outage(context["request"], exc)
        return error_response(503, outage.MASTODON_MESSAGE,
                              headers={"Retry-After": outage.retry_after()})
    if isinstance(exc, MastodonError):
        return error_response(exc.status_code, exc.message, extra=exc.extra)
    if isinstance(exc, errors.Invalid):
        return error_response(422, "Validation failed: " + exc.message)
    if isinstance(exc, errors.RateLimited):
        return error_response(429, "Too many requests", headers=exc.headers or None)
    if isinstance(exc, errors.DomainError):
        return error_response(exc.status_code, exc.message)
    if isinstance(exc, Http404):
        return error_response(404, NOT_FOUND)
    if isinstance(exc, DjangoPermissionDenied):
        return error_response(403, NOT_ALLOWED)
    if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        reason = getattr(exc, "reason", None) or TOKEN_INVALID
        header = (
            f'Bearer realm="Doorkeeper", error="invalid_token", error_description="{reason}"'
        )
        return error_response(401, reason, headers={"WWW-Authenticate": header})
    if isinstance(exc, exceptions.ParseError):
        return error_response(400, PARSE_ERROR)
    if isinstance(exc, exceptions.Throttled):
        return error_response(429, "Too many requests")
    if isinstance(exc, exceptions.ValidationError):
        return error_response(422, "Validation failed: " + _flatten(exc.detail))
    if isinstance(exc, exceptions.NotFound):
        return error_response(404, NOT_FOUND)
    if isinstance(exc, exceptions.MethodNotAllowed):
        return error_response(405, "Method Not Allowed")
    if isinstance(exc, exceptions.APIException):
        return error_response(exc.status_code, str(exc.detail))
    return None


def _flatten(detail) -> str:
    if isinstance(detail, dict):
        return ", ".join(f"{k.capitalize()} {_flatten(v)}" for k, v in detail.items())
    if isinstance(detail, list):
        return ", ".join(_flatten(d) for d in detail)
    return str(detail)


class MastodonRequest(Request):
    """DRF's Request whose body has its strings checked (unstorable_text) as soon as it is
    parsed, whichever parameter is read first: checked on first read rather than up front, so a
    view can still refuse a body by its length before reading it (media uploads)."""

    def _load_data_and_files(self):
        first = self._data is Empty
        super()._load_data_and_files()
        data = self._full_data
        if first and hasattr(data, "get") and hasattr(data, "keys"):
            messages = unstorable_text(data)
            if messages:
                # Whatever reads the body again finds no parameters rather than the refused ones.
                self._data = self._full_data = QueryDict()
                self._files = MultiValueDict()
                raise ValidationFailed(*messages)


class MastodonViewSet(TokenViewSet):
    """Base for every Mastodon endpoint: the error envelope, Mastodon's throttles, and the
    caching headers of section A.21-22 of the behaviour spec."""

    # Actions whose anonymous answers may be cached publicly for 15 s.
    public_cache_actions: frozenset[str] = frozenset()
    # Actions whose answer is the same for every caller, cacheable even with a token.
    shared_cache_actions: frozenset[str] = frozenset()

    def get_exception_handler(self):
        return mastodon_exception_handler

    def initialize_request(self, request, *args, **kwargs):
        drf_request = super().initialize_request(request, *args, **kwargs)
        # DRF has no setting for its Request class, and ViewSetMixin's initialize_request (which
        # sets self.action) must still run; MastodonRequest adds behaviour only, no state.
        drf_request.__class__ = MastodonRequest
        return drf_request

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # After authentication and scopes (which answer first, as in Rails), before any action
        # reads a parameter; the body is checked when it is parsed (MastodonRequest).
        messages = unstorable_text(request.query_params)
        if messages:
            raise ValidationFailed(*messages)

    def filter_error(self, filterset):
        # Rails' leniency leaves the lists' FilterSets nothing to refuse; should one refuse a
        # value, it is a RecordInvalid naming the parameter.
        return ValidationFailed(*[f"{humanize(name)} {message[:1].lower()}{message[1:]}"
                                  for name, errors in filterset.field_errors().items()
                                  for _code, message in errors])

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        shared = (request.method == "GET" and response.status_code == 200
                  and getattr(self, "action", None) in self.shared_cache_actions)
        if shared:
            # The same answer for everyone (Mastodon's `vary_by ''` with
            # cache_even_if_authenticated!): caches may keep it whoever asked.
            response["Vary"] = "Origin"
            response["Cache-Control"] = (
                "max-age=300, public, stale-while-revalidate=30, stale-if-error=86400")
            return response
        response["Vary"] = "Authorization, Origin"
        anonymous = "HTTP_AUTHORIZATION" not in request.META
        if (
            anonymous
            and request.method == "GET"
            and response.status_code == 200
            and getattr(self, "action", None) in self.public_cache_actions
        ):
            response["Cache-Control"] = (
                "max-age=15, public, stale-while-revalidate=30, stale-if-error=86400"
            )
        else:
            response["Cache-Control"] = "private, no-store"
        return response



# --- parameters -------------------------------------------------------------------------------
# Rails' strong-parameter casting lives in config/params.py (the scheduled-status service reads
# the parameters it kept with it too); this face adds media_attributes.

def param_media_attributes(data) -> list[dict] | None:
    """`media_attributes` as a list of objects (see param_nested_attributes)."""
    return param_nested_attributes(data, "media_attributes", json_objects=False)


def param_nested_attributes(data, name: str, *, json_objects: bool = True) -> list | None:
    """Rails' nested attributes `name` as a list of objects: a JSON array (or an object of
    index -> entry), or a form's (multipart's) `name[][id]=..&name[][thumbnail]=<file>` (the n-th
    value of each key belongs to the n-th entry; what Rails builds when every entry sends its
    keys in one order) or `name[0][id]=..` (indexed entries, in index order). None when absent.
    With `json_objects`, a JSON object of index -> entry is read as Rails reads it, and entries
    that are not objects are left out."""
    raw = data.get(name) if hasattr(data, "get") else None
    if json_objects and isinstance(raw, dict):
        raw = [raw[k] for k in sorted(raw, key=lambda k: (len(str(k)), str(k)))]
    if isinstance(raw, list):
        return [e for e in raw if isinstance(e, dict)] if json_objects else raw
    if not hasattr(data, "getlist"):
        return None
    pattern = re.compile(rf"^{re.escape(name)}\[(\d*)\]\[([a-z_]+)\]$")
    appended: list[dict] = []
    indexed: dict[int, dict] = {}
    for key in data.keys():
        match = pattern.match(key)
        if match is None:
            continue
        index, field = match.groups()
        values = data.getlist(key)
        if index == "":
            for position, value in enumerate(values):
                while len(appended) <= position:
                    appended.append({})
                appended[position][field] = value
        elif len(index) <= 4:  # a thousand entries is more than any form sends
            indexed.setdefault(int(index), {})[field] = values[-1]
    if not appended and not indexed:
        return None
    return appended + [indexed[i] for i in sorted(indexed)]

# --- text that cannot be stored ---------------------------------------------------------------
# PostgreSQL text cannot hold a NUL, and UTF-8 cannot encode a lone surrogate (JSON's "\ud800"):
# either one was a 500 at the first write or render. Every Mastodon request has each string of
# its query, form or JSON body (at any depth) checked once, and answers 422 with one message per
# parameter: "Validation failed: Spoiler text contains a null byte" (or "... contains an unpaired
# surrogate"), the parameter's name humanized as Rails does (the last name of a nested one).

def humanize(key) -> str:
    """`spoiler_text` -> "Spoiler text", `media_attributes[][description]` -> "Description"."""
    names = [n for n in re.findall(r"[^\[\]]+", str(key)) if not n.isdigit()]
    name = (names[-1] if names else str(key)).replace("_", " ").strip()
    return name[:1].upper() + name[1:].lower()


def unstorable_text(params) -> list[str]:
    """What is wrong with the strings of a QueryDict, a parsed JSON body or any part of one, as
    "<Name> contains ..." messages (empty when every string can be stored)."""
    messages: list[str] = []
    for path, char in unstorable_strings(params):
        names = [name for name in path if not name.isdigit()]
        what = "a null byte" if char == "\x00" else "an unpaired surrogate"
        message = f"{humanize(names[-1] if names else 'parameters')} contains {what}"
        if message not in messages:
            messages.append(message)
    return messages


__all__ = [
    "MastodonError",
    "MastodonViewSet",
    "NOT_ALLOWED",
    "NOT_FOUND",
    "RECORD_NOT_FOUND",
    "ValidationFailed",
    "error_response",
    "not_found",
    "param_bool",
    "param_list",
    "param_str",
    "parse_id",
    "status",
]

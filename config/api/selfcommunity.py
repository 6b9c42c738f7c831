"""The SelfCommunity dialect's plumbing: `{"errors": [...]}` envelope, base viewset.

The error shape follows what SelfCommunity's SDK parses (spec 2.10): field errors carry `field`
and `messages` ([{code, message}]), other errors carry `code` and `message`.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, QueryDict
from django.utils.datastructures import MultiValueDict
from rest_framework import exceptions
from rest_framework.request import Empty, Request
from rest_framework.response import Response

from config import errors, outage
from config.api.auth import UserRequired
from config.api.base import TokenViewSet
from config.api.parsers import unstorable_strings


def field_error(field: str, message: str, code: str = "invalid") -> errors.Invalid:
    """An invalid input field: 400 with the field named."""
    return errors.Invalid(message, code=code, field=field)


def errors_response(status_code: int, items: list[dict], headers=None) -> Response:
    return Response({"errors": items}, status=status_code, headers=headers)


def _general(code: str, message: str) -> dict:
    return {"code": code, "message": message}


def _messages(detail) -> list[dict]:
    return [{"code": getattr(m, "code", "invalid"), "message": str(m)} for m in detail]


def _field_items(detail, field: str = "") -> list[dict]:
    """DRF's error detail as the envelope's items. Nested serializers and list items are
    flattened to dotted field names (`location.lat`, `categories.0`), so every message is a
    sentence, never a Python repr; a nested serializer's non-field errors belong to its own
    field (`location`)."""
    if isinstance(detail, dict):
        items = []
        for key, value in detail.items():
            if key in ("non_field_errors", "detail"):
                items += _field_items(value, field)
            else:
                items += _field_items(value, f"{field}.{key}" if field else str(key))
        return items
    if not isinstance(detail, list):
        detail = [detail]
    if any(isinstance(d, (dict, list)) for d in detail):
        # A ListSerializer's errors: one entry per item, empty for the valid ones.
        items = []
        for index, item in enumerate(detail):
            if item:
                items += _field_items(item, f"{field}.{index}" if field else str(index))
        return items
    if field:
        return [{"field": field, "messages": _messages(detail)}]
    return [_general(m["code"], m["message"]) for m in _messages(detail)]


def selfcommunity_exception_handler(exc, context):
    if outage.is_outage(exc):
        outage.log_outage(context["request"], exc)
        return errors_response(
            503, [_general(outage.SELFCOMMUNITY_CODE, outage.SELFCOMMUNITY_MESSAGE)],
            headers={"Retry-After": outage.retry_after()})
    if isinstance(exc, UserRequired):
        return errors_response(403, [_general("permission_denied", str(exc.detail))])
    if isinstance(exc, errors.DomainError) and exc.field and exc.status_code < 500:
        return errors_response(400, [{"field": exc.field,
                                      "messages": [_general(exc.code or "invalid", exc.message)]}])
    if isinstance(exc, errors.NotFound):
        return errors_response(404, [_general("not_found", "Not found.")])
    if isinstance(exc, errors.NotAllowed):
        return errors_response(403, [_general("permission_denied", exc.message or
                                              "You do not have permission to perform this "
                                              "action.")])
    if isinstance(exc, errors.RateLimited):
        return errors_response(429, [_general("throttled", "Request was throttled.")],
                               headers=exc.headers or None)
    if isinstance(exc, errors.UnexpectedMentions):
        return errors_response(400, [_general("invalid", exc.message)])
    if isinstance(exc, errors.DomainError):
        return errors_response(400, [_general(exc.code or "invalid", exc.message)])
    if isinstance(exc, Http404):
        return errors_response(404, [_general("not_found", "Not found.")])
    if isinstance(exc, DjangoPermissionDenied):
        return errors_response(403, [_general("permission_denied",
                                              "You do not have permission to perform this "
                                              "action.")])
    if isinstance(exc, exceptions.ValidationError):
        return errors_response(400, _field_items(exc.detail))
    if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        return errors_response(
            401, [_general("not_authenticated", "Authentication credentials were not provided.")],
            headers={"WWW-Authenticate": 'Bearer realm="api"'},
        )
    if isinstance(exc, exceptions.PermissionDenied):
        return errors_response(403, [_general("permission_denied", str(exc.detail))])
    if isinstance(exc, exceptions.APIException):
        return errors_response(exc.status_code, [_general(exc.get_codes() if isinstance(
            exc.get_codes(), str) else "error", str(exc.detail))])
    return None


def unstorable_fields(params) -> exceptions.ValidationError | None:
    """A 400 naming each field whose text holds a NUL or a lone surrogate, in the words of DRF's
    CharField (which SelfCommunity's API is built on); None when every string can be stored."""
    problems: dict[str, list] = {}
    for path, char in unstorable_strings(params):
        field = ".".join(path) or "non_field_errors"
        if char == "\x00":
            error = exceptions.ErrorDetail("Null characters are not allowed.",
                                           code="null_characters_not_allowed")
        else:
            error = exceptions.ErrorDetail(
                f"Surrogate characters are not allowed: U+{ord(char):X}.",
                code="surrogate_characters_not_allowed")
        if field not in problems:
            problems[field] = [error]
    return exceptions.ValidationError(problems) if problems else None


class SelfCommunityRequest(Request):
    """DRF's Request whose parsed body has its strings checked (unstorable_fields) on first
    read, whichever parameter is read first."""

    def _load_data_and_files(self):
        first = self._data is Empty
        super()._load_data_and_files()
        if first:
            refused = unstorable_fields(self._full_data)
            if refused is not None:
                self._data = self._full_data = QueryDict()
                self._files = MultiValueDict()
                raise refused


class SelfCommunityViewSet(TokenViewSet):
    """Base for SelfCommunity endpoints: the same OAuth tokens as the Mastodon face and the
    `{"errors": [...]}` envelope. Its requests draw on the same budgets as Mastodon's (per user,
    token and IP; paging, here `offset`; deletes and media uploads)."""

    paging_params = ("page", "offset")

    def get_exception_handler(self):
        return selfcommunity_exception_handler

    def initialize_request(self, request, *args, **kwargs):
        drf_request = super().initialize_request(request, *args, **kwargs)
        drf_request.__class__ = SelfCommunityRequest  # behaviour only, no state
        return drf_request

    def filter_error(self, filterset):
        # DRF's ValidationError of field -> messages: the exception handler names each field.
        return exceptions.ValidationError({
            name: [exceptions.ErrorDetail(message, code=code) for code, message in errors]
            for name, errors in filterset.field_errors().items()})

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # After authentication and permissions, before any action reads a parameter: no text
        # that PostgreSQL cannot hold reaches a filter (`?content=%00` was a 500).
        refused = unstorable_fields(request.query_params)
        if refused is not None:
            raise refused


def paginated_response(request, *, count: int, limit: int, offset: int, results: list
                       ) -> Response:
    """`{count, next, previous, results}` with absolute next/previous links."""

    def link(new_offset: int | None) -> str | None:
        if new_offset is None:
            return None
        params = request.query_params.copy()
        params["limit"] = str(limit)
        if new_offset > 0:
            params["offset"] = str(new_offset)
        else:
            params.pop("offset", None)
        return request.build_absolute_uri(request.path) + "?" + params.urlencode()

    following = offset + limit if offset + limit < count else None
    preceding = max(offset - limit, 0) if offset > 0 else None
    return Response({"count": count, "next": link(following), "previous": link(preceding),
                     "results": results})

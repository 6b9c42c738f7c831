"""Mastodon v1 statuses endpoints: create, show, show many, delete, context, interactions."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.mastodon.serializers import serialize_account
from config import errors, ratelimit
from config.api.auth import BearerTokenAuthentication, bearer_token, checksum
from config.api.mastodon import (
    MastodonError,
    MastodonViewSet,
    param_bool,
    param_list,
    param_media_attributes,
    param_str,
    parse_id,
)
from config.api.pagination import link_header, paginate
from config.api.token_status import token_and_status
from config.scopes import (
    READ_ACCOUNTS,
    READ_STATUSES,
    WRITE_ACCOUNTS,
    WRITE_BOOKMARKS,
    WRITE_FAVOURITES,
    WRITE_MUTES,
    WRITE_STATUSES,
)
from statuses import services, translation
from statuses.mastodon import filters
from statuses.mastodon.params import param_poll, post_draft
from statuses.mastodon.present import show_context, show_history, show_status, show_statuses
from statuses.mastodon.scheduled import show_scheduled
from statuses.mastodon.serializers import serialize_source
from statuses.mastodon.translations import serialize_translation, unavailable
from statuses.models import ScheduledStatus
from statuses.selectors import translation as translation_selectors
from statuses.selectors.context import status_context
from statuses.selectors.history import status_history
from statuses.selectors.people import favourited_by, reblogged_by
from statuses.selectors.single import (
    status_get_own,
    status_get_visible,
    status_get_visible_with_flags,
    status_is_visible,
    statuses_by_ids,
)
from statuses.status_page import ViewerFlags

REDACTED = {"content": "", "text": "", "spoiler_text": "", "media_attachments": [],
            "mentions": [], "tags": [], "emojis": [], "card": None, "poll": None, "quote": None}


@dataclass(frozen=True)
class Interaction:
    """One `POST /api/v1/statuses/:id/<name>` action. StatusViewSet's action, its route (the
    router's `statuses/:id/<name>`, named `mastodon-status-<name>`), its scopes, its token and
    user rules and its budgets all come from the row, so a new interaction is one new row."""

    name: str
    # A service taking `account` and `status_id` (plus `body_params`); its answer is rendered:
    # the status, or for a reblog its wrapper.
    service: Callable[..., Any]
    scopes: tuple[str, ...]
    # Undoing one's own favourite, reblog or bookmark works on a status one may no longer see
    # (spec items 100, 105, 106): the answer then hides what the caller may not see. Unmute and
    # unpin are no such undo: they need the status visible.
    undo: bool = False
    # Drawn on the delete budget (30 per 30 minutes with DELETE, spec item 93).
    delete_budget: bool = False
    # Reports the posting limiter's headers (spec 4.1), success or error.
    posting_limit: bool = False
    # Body parameters passed on to the service, as strings.
    body_params: tuple[str, ...] = ()

    def viewset_action(self):
        """The viewset method for this row, marked as an extra action for the router."""

        def interact(viewset, request, pk=None):
            return viewset.interact(self, pk)

        interact.__name__ = self.name
        return action(detail=True, methods=["post"])(interact)


INTERACTIONS = (
    Interaction("favourite", services.status_favourite, WRITE_FAVOURITES),
    Interaction("unfavourite", services.status_unfavourite, WRITE_FAVOURITES, undo=True),
    Interaction("reblog", services.status_reblog, WRITE_STATUSES, posting_limit=True,
                body_params=("visibility",)),
    Interaction("unreblog", services.status_unreblog, WRITE_STATUSES, undo=True,
                delete_budget=True),
    Interaction("bookmark", services.status_bookmark, WRITE_BOOKMARKS),
    Interaction("unbookmark", services.status_unbookmark, WRITE_BOOKMARKS, undo=True),
    Interaction("mute", services.status_mute_conversation, WRITE_MUTES),
    Interaction("unmute", services.status_unmute_conversation, WRITE_MUTES),
    Interaction("pin", services.status_pin, WRITE_ACCOUNTS),
    Interaction("unpin", services.status_unpin, WRITE_ACCOUNTS),
)
INTERACTION_NAMES = frozenset(i.name for i in INTERACTIONS)


def with_interactions(viewset):
    """Adds one action per row of INTERACTIONS to the viewset (the router then routes each)."""
    for interaction in INTERACTIONS:
        method = interaction.viewset_action()
        method.__qualname__ = f"{viewset.__qualname__}.{interaction.name}"
        setattr(viewset, interaction.name, method)
    return viewset


class _RetrieveAuthentication(BearerTokenAuthentication):
    """GET a status with a token: the token, its user and the status in one round trip
    (config/api/token_status.py) rather than one for the token and one for the status. The
    status row, read for the token's user, is kept for `retrieve` only once the token is
    accepted (known, not expired, a user's); scopes and the user's state are then checked as
    for any request, before the action runs."""

    def __init__(self, view):
        self.view = view

    def authenticate(self, request):
        view = self.view
        raw = bearer_token(request._request)
        status_id = parse_id(view.kwargs.get("pk")) if view.action == "retrieve" else None
        if raw is None or status_id is None or not token_and_status.supported():
            return super().authenticate(request)
        found = token_and_status.fetch(token_checksum=checksum(raw),
                                                 status_id=status_id)
        if found is None:
            return self.accept(request, raw, None)
        token, row = found
        accepted = self.accept(request, raw, token)
        if accepted is not None and accepted[0] is not None:
            view.prefetched_row = row
        return accepted


@with_interactions
class StatusViewSet(MastodonViewSet):
    required_scopes = {
        "list": READ_STATUSES,
        "retrieve": READ_STATUSES,
        "context": READ_STATUSES,
        "create": WRITE_STATUSES,
        "update": WRITE_STATUSES,
        "destroy": WRITE_STATUSES,
        "history": READ_STATUSES,
        "source": READ_STATUSES,
        "favourited_by": READ_ACCOUNTS,
        "reblogged_by": READ_ACCOUNTS,
        "translate": READ_STATUSES,
        **{i.name: i.scopes for i in INTERACTIONS},
    }
    token_required_actions = frozenset({"create", "update", "destroy", "source", "translate",
                                        *INTERACTION_NAMES})
    user_required_actions = frozenset({"create", "update", "destroy", "translate",
                                       *INTERACTION_NAMES})
    public_cache_actions = frozenset({"retrieve", "context", "history", "favourited_by",
                                      "reblogged_by"})
    delete_throttled_actions = frozenset({"destroy",
                                          *(i.name for i in INTERACTIONS if i.delete_budget)})
    # Actions that report the posting limiter's headers (spec 4.1), success or error.
    posting_limit_actions = frozenset({"create", "update",
                                       *(i.name for i in INTERACTIONS if i.posting_limit)})
    filtersets = {"list": filters.StatusesFilterSet,
                  "favourited_by": filters.StatusAccountsFilterSet,
                  "reblogged_by": filters.StatusAccountsFilterSet}

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        viewer = self.viewer if request.auth is not None else None
        if viewer is not None and self.action in self.posting_limit_actions and ratelimit.enabled():
            posting = ratelimit.peek(ratelimit.rule("statuses"), f"a{viewer.pk}")
            throttle_remaining = response.get("X-RateLimit-Remaining")
            if throttle_remaining is None or int(throttle_remaining) >= posting.remaining:
                for header, value in posting.headers().items():
                    response[header] = value
        return response

    def list(self, request):
        """GET /api/v1/statuses?id[]=1&id[]=2"""
        ids = self.list_params()["id"]
        statuses = statuses_by_ids(ids=ids, viewer=self.viewer)
        return Response(show_statuses(statuses, self.viewer))

    def get_authenticators(self):
        return [_RetrieveAuthentication(self)]

    def retrieve(self, request, pk=None):
        status, flags = status_get_visible_with_flags(
            status_id=parse_id(pk), viewer=self.viewer,
            row=getattr(self, "prefetched_row", None),
        )
        return Response(show_status(status, self.viewer, flags=flags))

    def create(self, request):
        draft = post_draft(self.body,
                           idempotency_key=request.headers.get("Idempotency-Key") or None)
        try:
            status = services.status_create(account=self.viewer, draft=draft,
                                            application=request.auth.application,
                                            rate_limited=True)
        except errors.UnexpectedMentions as exc:
            # The face renders the accounts: the plumbing knows no serializer.
            raise MastodonError(422, exc.message, extra={
                "unexpected_accounts": [serialize_account(a) for a in exc.accounts],
            }) from exc
        if isinstance(status, ScheduledStatus):
            return Response(show_scheduled([status])[0])
        # Nobody has favourited, reblogged, bookmarked or pinned a status this request made,
        # and nobody can have muted the thread a new top-level status starts: no flags to read.
        # A reply's thread may be muted, and an Idempotency-Key may return an older status, so
        # those read them.
        fresh = status.in_reply_to_id is None and not request.headers.get("Idempotency-Key")
        return Response(show_status(status, self.viewer, flags=ViewerFlags() if fresh else None))

    def update(self, request, pk=None):
        data = self.body
        status = services.status_update(
            account=self.viewer,
            status_id=parse_id(pk),
            text=param_str(data, "status"),
            spoiler_text=param_str(data, "spoiler_text"),
            sensitive=param_bool(data, "sensitive"),
            language=param_str(data, "language"),
            media_ids=param_list(data, "media_ids"),
            media_attributes=param_media_attributes(data),
            poll=param_poll(data),
            rate_limited=True,
            quote_policy=param_str(data, "quote_approval_policy"),
        )
        return self._render(status)

    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        status = status_get_visible(status_id=parse_id(pk), viewer=self.viewer)
        return Response(show_history(status, status_history(status=status), self.viewer))

    @action(detail=True, methods=["get"])
    def source(self, request, pk=None):
        status = status_get_visible(status_id=parse_id(pk), viewer=self.viewer)
        return Response(serialize_source(status))

    @action(detail=True, methods=["post"])
    def translate(self, request, pk=None):
        status = status_get_visible(status_id=parse_id(pk), viewer=self.viewer)
        locale = translation_selectors.request_locale(
            lang=param_str(self.body, "lang") or param_str(request.query_params, "lang"),
            accept_language=request.headers.get("Accept-Language"),
        )
        try:
            result = translation_selectors.status_translate(status=status, locale=locale)
        except translation.TranslationError as exc:
            raise unavailable(exc) from exc
        return Response(serialize_translation(result))

    def destroy(self, request, pk=None):
        status = status_get_own(status_id=parse_id(pk), viewer=self.viewer)
        # Rendered before deleting: the answer carries the media for a redraft.
        body = show_status(status, self.viewer, source_requested=True)
        services.status_delete(
            status=status, delete_media=bool(param_bool(request.query_params, "delete_media"))
            or bool(param_bool(self.body, "delete_media")),
        )
        return Response(body)

    @action(detail=True, methods=["get"])
    def context(self, request, pk=None):
        status = status_get_visible(status_id=parse_id(pk), viewer=self.viewer)
        context = status_context(status=status, viewer=self.viewer)
        return Response(show_context(context.ancestors, context.descendants, self.viewer))

    def _render(self, status):
        return Response(show_status(status, self.viewer))

    def interact(self, interaction: Interaction, pk):
        """Every row of INTERACTIONS (`with_interactions` routes each here)."""
        options = {name: param_str(self.body, name) for name in interaction.body_params}
        status = interaction.service(account=self.viewer, status_id=parse_id(pk), **options)
        if interaction.undo and not status_is_visible(status=status, viewer=self.viewer):
            # The undo works on a status the caller may no longer see (the author blocked them,
            # a moderator collapsed it, it became private): Mastodon answers with the status,
            # but nothing of what the caller may not see goes with it.
            body = show_status(status, self.viewer)
            body.update({key: value for key, value in REDACTED.items() if key in body})
            return Response(body)
        return self._render(status)

    def _people(self, rows_queryset, *, cursor_of):
        params = self.list_params()
        limit = params["limit"]
        rows = paginate(rows_queryset, params, field="id", limit=limit)
        body = [serialize_account(row.account) for row in rows]
        headers = {}
        link = link_header(
            self.request,
            first_cursor=cursor_of(rows[0]) if rows else None,
            last_cursor=cursor_of(rows[-1]) if rows else None,
            page_size=len(rows), limit=limit, prev_param="since_id",
        )
        if link:
            headers["Link"] = link
        return Response(body, headers=headers)

    @action(detail=True, methods=["get"])
    def favourited_by(self, request, pk=None):
        status = status_get_visible(status_id=parse_id(pk), viewer=self.viewer)
        return self._people(favourited_by(status=status, viewer=self.viewer),
                            cursor_of=lambda vote: vote.pk)

    @action(detail=True, methods=["get"])
    def reblogged_by(self, request, pk=None):
        status = status_get_visible(status_id=parse_id(pk), viewer=self.viewer)
        return self._people(reblogged_by(status=status, viewer=self.viewer),
                            cursor_of=lambda wrapper: wrapper.pk)

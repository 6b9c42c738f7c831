"""SelfCommunity's moderation API (spec 1.6): `/api/v2/moderation/contribution/` lists the
flagged and moderated contributions, `{id}/flag/` their flags, `{id}/status/` their moderation
status, and PATCH `{id}/` moderates one through moderation.services. Moderators only, and
only the contributions they may read (moderation.selectors.moderation_visible_q): any other is
a 404, as one that does not exist."""

from rest_framework.response import Response

from accounts import selectors as account_selectors
from accounts.selfcommunity.serializers import iso, serialize_user
from config import errors
from config.api.base import parse_id
from config.api.selfcommunity import SelfCommunityViewSet, field_error, paginated_response
from config.scopes import READ_STATUSES, WRITE_STATUSES
from moderation import selectors, services
from moderation.models import ModerationType
from moderation.selfcommunity import filters
from statuses.selfcommunity.feedback import serialize_flag
from statuses.selfcommunity.present import show_comments, show_statuses

ACTIONS = ("scold_author", "scold_flagger", "ignore", "hide", "delete")
_ALL = frozenset({"list", "flags", "moderation_status", "moderate"})


def _choice(raw, field: str, choices, *, required: bool) -> str | None:
    if raw is None or raw == "":
        if required:
            raise field_error(field, "This field is required.", code="required")
        return None
    if not isinstance(raw, str) or raw not in choices:
        raise field_error(field, f'"{raw}" is not a valid choice.', code="invalid_choice")
    return raw


def _integer(raw, field: str, *, minimum: int = 0) -> int | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, (bool, list, dict, float)):
        raise field_error(field, "A valid integer is required.")
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise field_error(field, "A valid integer is required.") from None
    if value < minimum:
        raise field_error(field, f"Ensure this value is greater than or equal to {minimum}.",
                          code="min_value")
    return value


def _contribution_type(raw, *, required: bool = True) -> str | None:
    return _choice(raw, "contribution_type", selectors.CONTRIBUTION_TYPES, required=required)


def _state(status, actions) -> dict:
    """moderation_status, and the type, author and time of the action that caused it."""
    state = selectors.moderation_status_of(status)
    action = actions.get(status.last_action_id)
    if action is None or selectors.STATE_CAUSE.get(state) != action.action:
        action = None
    return {
        "moderation_status": state,
        "moderation_type": action.moderation_type if action else None,
        "moderation_by": (serialize_user(action.moderator)
                          if action and action.moderator is not None else None),
        "moderation_at": iso(action.created_at) if action else None,
    }


def serialize_flagged(statuses, viewer) -> list[dict]:
    """SCFlaggedContributionType for a page: statuses and comments, each kind rendered by its
    own serializer in a fixed number of queries."""
    posts = [s for s in statuses if s.in_reply_to_id is None]
    comments = [s for s in statuses if s.in_reply_to_id is not None]
    rendered = dict(zip((s.pk for s in posts), show_statuses(posts, viewer), strict=True))
    if comments:
        rendered.update(zip((c.pk for c in comments), show_comments(comments, viewer),
                            strict=True))
    actions = selectors.actions_by_id(s.last_action_id for s in statuses)
    return [{
        "contribution_type": s.contribution_type if s.in_reply_to_id is None else "comment",
        "contribution": rendered[s.pk],
        "last_flagged_at": iso(s.last_flagged_at),
        **_state(s, actions),
    } for s in statuses]


class ModerationViewSet(SelfCommunityViewSet):
    required_scopes = {"list": READ_STATUSES, "flags": READ_STATUSES,
                       "moderation_status": READ_STATUSES, "moderate": WRITE_STATUSES}
    token_required_actions = _ALL
    user_required_actions = _ALL
    filtersets = {"list": filters.ContributionsFilterSet,
                  "flags": filters.ContributionFlagsFilterSet,
                  "moderation_status": filters.ContributionStatusFilterSet}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not selectors.is_moderator(self.viewer):
            raise errors.NotAllowed()

    def _contribution(self, pk):
        return selectors.contribution_for_moderation(
            moderator=self.viewer, contribution_id=parse_id(pk),
            contribution_type=self.list_params()["contribution_type"])

    def list(self, request):
        params = self.list_params()
        limit, offset = params["limit"], params["offset"]
        count, page = selectors.flagged_contributions_page(
            moderator=self.viewer,
            contribution_type=params["contribution_type"],
            min_flags=params["min_flags"],
            contribution_id=params["contribution_id"],
            author=params["author"],
            flagged_by=params["flagged_by"],
            content=params["content"],
            moderation_status=params["moderation_status"],
            order_by=params["order_by"], limit=limit, offset=offset)
        return paginated_response(request, count=count, limit=limit, offset=offset,
                                  results=serialize_flagged(page, self.viewer))

    def flags(self, request, pk=None):
        status = self._contribution(pk)
        params = self.list_params()
        flag_type, limit, offset = params["flag_type"], params["limit"], params["offset"]
        count, flags = selectors.contribution_flags_page(status=status, flag_type=flag_type,
                                                         limit=limit, offset=offset)
        return paginated_response(request, count=count, limit=limit, offset=offset,
                                  results=[serialize_flag(f, with_user=True) for f in flags])

    def moderation_status(self, request, pk=None):
        status = self._contribution(pk)
        state = _state(status, selectors.actions_by_id([status.last_action_id]))
        kind = state["moderation_type"]
        return Response({"status": state["moderation_status"], "flag_type": kind,
                         "flag_type_description": (ModerationType(kind).label
                                                   if kind is not None else None)})

    def moderate(self, request, pk=None):
        body = self.body
        contribution_type = _contribution_type(body.get("contribution_type"))
        action = _choice(body.get("action"), "action", ACTIONS, required=True)
        status = selectors.contribution_for_moderation(moderator=self.viewer,
                                                       contribution_id=parse_id(pk),
                                                       contribution_type=contribution_type)
        reason = body.get("reason") if isinstance(body.get("reason"), str) else ""
        raw_type = body.get("moderation_type")
        state = selectors.moderation_status_of(status)
        me = self.viewer
        if action == "hide":
            if status.collapsed:
                services.status_uncollapse(moderator=me, status=status, reason=reason)
            else:
                services.status_collapse(
                    moderator=me, status=status, reason=reason,
                    moderation_type=services.parse_moderation_type(raw_type, required=True))
        elif action == "delete":
            if status.deleted_at is not None:
                services.status_moderate_restore(moderator=me, status=status, reason=reason)
            else:
                services.status_moderate_delete(
                    moderator=me, status=status, reason=reason,
                    moderation_type=services.parse_moderation_type(raw_type, required=True))
        elif action == "ignore":
            if state == "ignored":
                services.flags_reopen(moderator=me, status=status, reason=reason)
            else:
                services.flags_dismiss(moderator=me, status=status, reason=reason)
        elif action == "scold_author":
            services.author_scold(
                moderator=me, status=status, reason=reason,
                moderation_type=services.parse_moderation_type(raw_type, required=True))
        else:
            user_id = _integer(body.get("user"), "user", minimum=1)
            if user_id is None:
                raise field_error("user", "This field is required.", code="required")
            try:
                flagger = account_selectors.account_get(account_id=user_id)
            except errors.NotFound:
                raise errors.does_not_exist("user", user_id) from None
            services.flagger_scold(moderator=me, status=status, flagger=flagger,
                                   reason=reason)
        fresh = selectors.contribution_for_moderation(moderator=me, contribution_id=status.pk,
                                                      contribution_type=contribution_type)
        return Response(serialize_flagged([fresh], me)[0])

"""SelfCommunity `/api/v2/status/{id}/...` (and `/api/v2/post/{id}/...`,
`/api/v2/discussion/{id}/...`): restore, vote, flag, follow, suspend and hide (the toggles answer
204), the reads that go with them, and a post's or discussion's poll votes."""

from rest_framework.response import Response

from accounts.selfcommunity.serializers import iso, serialize_user
from categories.selfcommunity.serializers import serialize_reaction
from config import errors
from config.api.base import parse_id
from config.api.selfcommunity import SelfCommunityViewSet, field_error, paginated_response
from config.scopes import FLAG, READ_STATUSES, VOTE, WRITE_STATUSES
from statuses.models import ContributionType, FlagType
from statuses.selectors import comments as comment_selectors
from statuses.selectors import feedback as feedback_selectors
from statuses.selectors import polls as poll_selectors
from statuses.selectors.single import contribution_get_visible
from statuses.selfcommunity import filters
from statuses.selfcommunity.serializers import choice_id, choice_position
from statuses.services import feedback
from statuses.services import polls as poll_services

_USER_ACTIONS = frozenset({"restore", "vote", "flag", "flags", "flag_status", "follow",
                           "following", "suspend", "suspended", "hide", "hide_status",
                           "poll_vote", "poll_votes"})


def _reaction_id(request) -> int | None:
    raw = request.query_params.get("reaction")
    if raw is None:
        data = request.data
        raw = data.get("reaction") if hasattr(data, "get") else None
    if raw is None or raw == "":
        return None
    value = parse_id(raw) if not isinstance(raw, (bool, list, dict, float)) else None
    if value is None:
        raise field_error("reaction", "A valid integer is required.")
    return value


def _flag_type(request) -> int:
    """`{"flag_type": n}` as documented, `{"flagType": n}` as the SDK's comment flag sends it,
    or the bare `n` that the SDK's flagFeedObject sends as the whole body."""
    data = request.data
    if isinstance(data, (int, str)) and not isinstance(data, bool):
        raw = data
    elif hasattr(data, "get"):
        raw = data.get("flag_type", data.get("flagType"))
    else:
        raw = None
    return feedback.parse_flag_type(raw)


def serialize_flag(flag, *, with_user: bool) -> dict:
    data = {"added_at": iso(flag.created_at), "flag_type": flag.flag_type,
            "flag_type_description": FlagType(flag.flag_type).label}
    return {"user": serialize_user(flag.account), **data} if with_user else data


class StatusFeedbackViewSet(SelfCommunityViewSet):
    required_scopes = {
        "restore": WRITE_STATUSES, "vote": VOTE, "votes": READ_STATUSES, "flag": FLAG,
        "flags": READ_STATUSES, "flag_status": READ_STATUSES, "follow": WRITE_STATUSES,
        "following": READ_STATUSES, "suspend": WRITE_STATUSES, "suspended": READ_STATUSES,
        "hide": WRITE_STATUSES, "hide_status": READ_STATUSES,
        "poll_vote": WRITE_STATUSES, "poll_votes": READ_STATUSES,
    }
    token_required_actions = _USER_ACTIONS
    user_required_actions = _USER_ACTIONS
    filtersets = {"votes": filters.VotesFilterSet, "flags": filters.FlagsFilterSet,
                  "poll_votes": filters.PollVotesFilterSet}
    # The comment face reuses these actions on comments (/api/v2/comment/{id}/...).
    comments = False
    # Set per route family by the urls: a contribution of another type is a 404 here.
    contribution_type = ContributionType.STATUS

    @property
    def kind(self) -> str | None:
        return None if self.comments else self.contribution_type

    def _visible(self, pk):
        if self.comments:
            return comment_selectors.comment_get_visible(comment_id=parse_id(pk),
                                                         viewer=self.viewer)
        return contribution_get_visible(status_id=parse_id(pk), viewer=self.viewer,
                                        kind=self.kind)

    def restore(self, request, pk=None):
        feedback.status_restore(account=self.viewer, status_id=parse_id(pk), kind=self.kind)
        return Response(status=204)

    def vote(self, request, pk=None):
        reaction_id = _reaction_id(request)
        feedback.contribution_vote(account=self.viewer, status_id=parse_id(pk),
                                   reaction_id=reaction_id, comment=self.comments,
                                   kind=self.kind)
        return Response(status=204)

    def votes(self, request, pk=None):
        status = self._visible(pk)
        params = self.list_params()
        limit, offset, reaction_id = params["limit"], params["offset"], params["reaction"]
        reactions, default = feedback_selectors.reactions_by_id()
        chosen = None
        if reaction_id is not None:
            chosen = reactions.get(reaction_id)
            if chosen is None:
                raise errors.does_not_exist("reaction", reaction_id)
        count, votes = feedback_selectors.votes_page(status=status, viewer=self.viewer,
                                                     reaction=chosen, limit=limit,
                                                     offset=offset)
        users: dict[int, dict] = {}
        results = []
        for vote in votes:
            reaction = reactions.get(vote.reaction_id) if vote.reaction_id else default
            user = users.get(vote.account_id) or users.setdefault(
                vote.account_id, serialize_user(vote.account))
            results.append({"user": user,
                            "reaction": serialize_reaction(reaction) if reaction else None,
                            "voted_at": iso(vote.created_at)})
        return paginated_response(request, count=count, limit=limit, offset=offset,
                                  results=results)

    def flag(self, request, pk=None):
        status = self._visible(pk)
        flag_type = _flag_type(request)
        feedback.contribution_flag(account=self.viewer, status_id=status.pk,
                                   flag_type=flag_type, comment=self.comments, kind=self.kind)
        return Response(status=204)

    def flags(self, request, pk=None):
        status = self._visible(pk)
        params = self.list_params()
        limit, offset = params["limit"], params["offset"]
        count, flags = feedback_selectors.flags_page(status=status, viewer=self.viewer,
                                                     limit=limit, offset=offset)
        return paginated_response(request, count=count, limit=limit, offset=offset,
                                  results=[serialize_flag(f, with_user=True) for f in flags])

    def flag_status(self, request, pk=None):
        flag = feedback_selectors.flag_of(status=self._visible(pk), account=self.viewer)
        if flag is None:
            raise errors.NotFound("Not found.")
        return Response(serialize_flag(flag, with_user=False))

    def follow(self, request, pk=None):
        feedback.contribution_follow(account=self.viewer, status_id=parse_id(pk),
                                     kind=self.kind)
        return Response(status=204)

    def following(self, request, pk=None):
        status = self._visible(pk)
        return Response({"following": feedback_selectors.is_following(status=status,
                                                                       account=self.viewer)})

    def suspend(self, request, pk=None):
        feedback.contribution_suspend(account=self.viewer, status_id=parse_id(pk),
                                      kind=self.kind)
        return Response(status=204)

    def suspended(self, request, pk=None):
        status = self._visible(pk)
        return Response({"suspended": feedback_selectors.is_suspended(status=status,
                                                                       account=self.viewer)})

    def hide(self, request, pk=None):
        feedback.contribution_hide(account=self.viewer, status_id=parse_id(pk),
                                   kind=self.kind)
        return Response(status=204)

    def hide_status(self, request, pk=None):
        status = self._visible(pk)
        return Response({"hidden": feedback_selectors.is_hidden(status=status,
                                                                 account=self.viewer)})

    # --- a post's or discussion's poll (/api/v2/{post,discussion}/{id}/poll/vote/) ----------

    def _poll(self, pk):
        status = self._visible(pk)
        poll = poll_selectors.poll_of(status=status)
        if poll is None:
            raise errors.NotFound("Not found.")
        return status, poll

    def poll_vote(self, request, pk=None):
        """`{"choice": id}` chooses that option, or withdraws it when already chosen (204)."""
        status, poll = self._poll(pk)
        data = request.data
        raw = data.get("choice") if hasattr(data, "get") else None
        if raw is None or raw == "":
            raise errors.Invalid("This field is required.", code="required", field="choice")
        choice = parse_id(raw) if not isinstance(raw, (bool, list, dict, float)) else None
        if choice is None:
            raise field_error("choice", "A valid integer is required.")
        position = choice_position(poll, choice)
        if position < 0:
            raise errors.does_not_exist("choice", choice)
        poll_services.poll_vote_toggle(account=self.viewer, status=status, choice=position)
        return Response(status=204)

    def poll_votes(self, request, pk=None):
        """The viewer's own votes in the poll (`choice` keeps those of one choice). Whom others
        chose stays theirs: Mastodon, whose votes these also are, shows voters to nobody."""
        _, poll = self._poll(pk)
        params = self.list_params()
        limit, offset, wanted = params["limit"], params["offset"], params["choice"]
        position = None
        if wanted is not None:
            position = choice_position(poll, wanted)
            if position < 0:
                raise errors.does_not_exist("choice", wanted)
        count, votes = poll_selectors.own_votes_page(poll=poll, viewer=self.viewer,
                                                     position=position, limit=limit,
                                                     offset=offset)
        user = serialize_user(self.viewer)
        results = [{"id": vote.pk, "choice": choice_id(poll, vote.choice), "user": user,
                    "added_at": iso(vote.created_at)} for vote in votes]
        return paginated_response(request, count=count, limit=limit, offset=offset,
                                  results=results)

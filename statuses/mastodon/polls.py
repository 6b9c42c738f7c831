"""Mastodon polls: the Poll entity (spec 3.4), GET /api/v1/polls/:id and
POST /api/v1/polls/:id/votes."""

from rest_framework.response import Response

from config.api.mastodon import MastodonViewSet, param_list, parse_id
from config.scopes import READ_STATUSES, WRITE_STATUSES
from statuses.mastodon.serializers import serialize_poll
from statuses.selectors import polls as poll_selectors
from statuses.services import polls as poll_services


class PollViewSet(MastodonViewSet):
    required_scopes = {"retrieve": READ_STATUSES, "votes": WRITE_STATUSES}
    token_required_actions = frozenset({"votes"})
    user_required_actions = frozenset({"votes"})

    def retrieve(self, request, pk=None):
        poll, status = poll_selectors.poll_get_visible(poll_id=parse_id(pk), viewer=self.viewer)
        mine = poll_selectors.own_votes(poll=poll, viewer=self.viewer)
        return Response(serialize_poll(poll, viewer=self.viewer, author_id=status.account_id,
                                       own_votes=mine))

    def votes(self, request, pk=None):
        poll = poll_services.poll_vote(account=self.viewer, poll_id=parse_id(pk),
                                       choices=param_list(self.body, "choices"))
        mine = poll_selectors.own_votes(poll=poll, viewer=self.viewer)
        return Response(serialize_poll(poll, viewer=self.viewer, author_id=poll.status.account_id,
                                       own_votes=mine))

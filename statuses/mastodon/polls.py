"""Mastodon polls: the Poll entity (spec 3.4), GET /api/v1/polls/:id and
POST /api/v1/polls/:id/votes."""

from django.utils import timezone
from rest_framework.response import Response

from accounts.mastodon.serializers import datetime_ms
from config.api.mastodon import MastodonViewSet, param_list, parse_id
from config.scopes import READ_STATUSES, WRITE_STATUSES
from statuses.selectors import polls as poll_selectors
from statuses.services import polls as poll_services


def serialize_poll(poll, *, viewer, author_id: int, own_votes: list[int] | None) -> dict:
    """A Poll. Option counts are null while `hide_totals` holds and the poll is open; `voted`
    and `own_votes` only for a user (`voted` is always true for the poll's author, who may not
    vote)."""
    expired = poll.expires_at is not None and poll.expires_at < timezone.now()
    shown = expired or not poll.hide_totals
    tallies = list(poll.tallies)
    data = {
        "id": str(poll.pk),
        "expires_at": datetime_ms(poll.expires_at),
        "expired": expired,
        "multiple": poll.multiple,
        "votes_count": poll.votes_count,
        "voters_count": poll.voters_count,
    }
    if viewer is not None:
        mine = list(own_votes or [])
        data["voted"] = viewer.pk == author_id or bool(mine)
        data["own_votes"] = mine
    data["options"] = [
        {"title": title,
         "votes_count": (tallies[i] if i < len(tallies) else 0) if shown else None}
        for i, title in enumerate(poll.options)
    ]
    data["emojis"] = []
    return data


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

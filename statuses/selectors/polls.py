"""Reads of polls: one poll through its status's visibility (the one rule), and the polls of a
page of statuses with the viewer's own votes, in one query whatever the page's size."""


from django.db.models import F, FilteredRelation, Q

from config import errors
from statuses.models import Poll, PollVote, Status
from statuses.selectors.single import status_get_visible
from statuses.status_page import PagePolls

RECORD_NOT_FOUND = "Record not found"


def poll_get_visible(*, poll_id: int | None, viewer) -> tuple[Poll, Status]:
    """(poll, its status) when the viewer may see the status. As Mastodon's PollsController: no
    such poll is "Record not found", a poll of a status the viewer may not see "Not Found"."""
    poll = Poll.objects.filter(pk=poll_id).first() if poll_id is not None else None
    if poll is None:
        raise errors.NotFound(RECORD_NOT_FOUND)
    status = status_get_visible(status_id=poll.status_id, viewer=viewer)
    return poll, status


def own_votes(*, poll: Poll, viewer) -> list[int] | None:
    """The viewer's choices in one poll, in the order cast; None for anonymous callers."""
    if viewer is None:
        return None
    return list(PollVote.objects.filter(poll=poll, account_id=viewer.pk)
                .order_by("id").values_list("choice", flat=True))


def polls_for_page(statuses, viewer) -> PagePolls:
    """The polls of `statuses` (and of the originals of reblogs among them), with the viewer's
    choices: one query, and none when no status has a poll (`has_poll` is a column)."""
    found = PagePolls()
    ids = set()
    for status in statuses:
        if status.has_poll:
            ids.add(status.pk)
        original = status.reblog_of if status.reblog_of_id is not None else None
        if original is not None and original.has_poll:
            ids.add(original.pk)
    if not ids:
        return found
    rows = Poll.objects.filter(status_id__in=ids)
    if viewer is None:
        for poll in rows:
            found.by_status[poll.status_id] = poll
        return found
    # One row per (poll, own choice), a poll without any once with a null choice.
    rows = rows.annotate(
        mine=FilteredRelation("votes", condition=Q(votes__account_id=viewer.pk)),
        own_choice=F("mine__choice"), own_vote_id=F("mine__id"),
    ).order_by("pk", "own_vote_id")
    for poll in rows:
        kept = found.by_status.setdefault(poll.status_id, poll)
        choices = found.own_votes.setdefault(kept.pk, [])
        if poll.own_choice is not None:
            choices.append(poll.own_choice)
    return found


def poll_of(*, status: Status) -> Poll | None:
    """The poll of a status the caller already may see (none without `has_poll`)."""
    if not status.has_poll:
        return None
    return Poll.objects.filter(status_id=status.pk).first()


def own_votes_page(*, poll: Poll, viewer, position: int | None, limit: int, offset: int
                   ) -> tuple[int, list[PollVote]]:
    """(count, page) of the viewer's own votes in `poll` (of one option with `position`), in
    the order cast."""
    votes = PollVote.objects.filter(poll=poll, account_id=viewer.pk)
    if position is not None:
        votes = votes.filter(choice=position)
    return votes.count(), list(votes.order_by("id")[offset:offset + limit])

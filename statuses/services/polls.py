"""Polls: reading a raw poll into a valid one (Mastodon's messages), writing it with its status,
and voting (spec items 50-52, 82; app/validators/poll_options_validator.rb,
poll_expiration_validator.rb, vote_validator.rb, app/services/vote_service.rb).

The raw poll is what a client sent, untouched: `{"options": [...], "expires_in": ...,
"multiple": ..., "hide_totals": ...}` with whatever types came (a form gives strings, JSON gives
numbers and booleans, a scheduled status gives back what was stored). Every cast happens here.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import regex
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Account, Block
from config import errors, jobs
from notifications import services as notifications
from notifications.models import Notification, NotificationType
from statuses.models import Poll, PollVote, Status
from statuses.selectors.polls import poll_get_visible

MAX_OPTIONS = 4
MAX_OPTION_CHARS = 50
MIN_EXPIRATION = 300
MAX_EXPIRATION = 2_629_746  # Rails' 1.month
NOT_ALLOWED = "This action is not allowed"
EXPIRED = "The poll has already ended"
INVALID_CHOICE = "The chosen vote option does not exist"
SELF_VOTE = "You cannot vote in your own polls"
ALREADY_VOTED = "You have already voted on this poll"

_FALSE = {"0", "f", "false", "off", "no"}
_RUBY_INT = re.compile(r"\s*([+-]?[0-9]+)")


@dataclass(frozen=True)
class PollSpec:
    """A valid poll, as it will be stored. Mastodon gives `expires_in` (seconds from now);
    SelfCommunity gives `ends_at` (a moment, or None: the poll never ends) and a `title`."""

    options: list[str]
    expires_in: int | None
    multiple: bool
    hide_totals: bool
    title: str = ""
    ends_at: datetime | None = None

    def expires_at(self, now) -> datetime | None:
        if self.expires_in is not None:
            return now + timedelta(seconds=self.expires_in)
        return self.ends_at


def is_poll(raw) -> bool:
    """Whether a raw poll was given at all (Rails' `present?`: a non-empty hash)."""
    return isinstance(raw, dict) and bool(raw)


def _option(value) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    return None  # null, arrays and objects are not options


def _seconds(value) -> int | None:
    """Ruby's `to_i` of a present `expires_in`: a number, or the digits a string starts with
    (0 when it starts with none). Blank, arrays, objects and booleans are no deadline."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value == value and abs(value) != float("inf") else 0
    if isinstance(value, str):
        if not value.strip():
            return None
        match = _RUBY_INT.match(value)
        return int(match.group(1)) if match else 0
    return None


def _flag(value) -> bool:
    """ActiveModel's boolean cast; absent, blank, arrays and objects are false."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        return bool(value.strip()) and value.strip().lower() not in _FALSE
    return False


def _graphemes(text: str) -> int:
    return len(regex.findall(r"\X", text))


def poll_parse(raw) -> tuple[PollSpec | None, list[str]]:
    """(the poll, its problems) from a raw poll; (None, []) when there is none. The problems
    are Mastodon's full messages, in its order, for "Validation failed: ..."."""
    if not is_poll(raw):
        return None, []
    given = raw.get("options")
    titles = [_option(v) for v in given] if isinstance(given, list) else []
    options = [t for t in titles if t]
    problems = []
    if not options:
        problems.append("Choices can't be blank")
    if len(options) < 2:
        problems.append("Choices must have more than one item")
    if len(options) > MAX_OPTIONS:
        problems.append(f"Choices can't contain more than {MAX_OPTIONS} items")
    if any(_graphemes(o) > MAX_OPTION_CHARS for o in options):
        problems.append(f"Choices cannot be longer than {MAX_OPTION_CHARS} characters each")
    if len(set(options)) != len(options):
        problems.append("Choices contain duplicate items")
    seconds = _seconds(raw.get("expires_in"))
    if seconds is None:
        problems.append("Deadline can't be blank")
    elif seconds > MAX_EXPIRATION:
        problems.append("Deadline is too far into the future")
    elif seconds < MIN_EXPIRATION:
        problems.append("Deadline is too soon")
    if problems:
        return None, problems
    return PollSpec(options=options, expires_in=seconds, multiple=_flag(raw.get("multiple")),
                    hide_totals=_flag(raw.get("hide_totals"))), []


def poll_validate(raw) -> PollSpec | None:
    """poll_parse, raising Invalid ("Validation failed: ...") when the poll is not valid."""
    spec, problems = poll_parse(raw)
    if problems:
        raise errors.Invalid(*problems)
    return spec


# --- writing a poll with its status -------------------------------------------------------------
# Called by the posting services inside their transaction: nothing here commits on its own.

def poll_create(*, status: Status, spec: PollSpec, now=None) -> Poll:
    now = now or timezone.now()
    poll = Poll.objects.create(
        status=status, options=spec.options, tallies=[0] * len(spec.options),
        expires_at=spec.expires_at(now), multiple=spec.multiple,
        hide_totals=spec.hide_totals, title=spec.title, created_at=now,
    )
    _enqueue_ending(poll)
    return poll


def _enqueue_ending(poll: Poll) -> None:
    """The task that tells the poll's voters and author it ended, run when it ends. Enqueued in
    the caller's transaction (the database task backend commits it with the poll); it carries
    the deadline it was enqueued for, so the task of a deadline an edit moved does nothing.
    A poll that never ends has no such task."""
    if poll.expires_at is None:
        return
    ended = jobs.task("statuses.tasks.announce_poll_ended")
    ended.using(run_after=poll.expires_at).enqueue(poll.pk, poll.expires_at.isoformat())


def poll_announce_ended(*, poll_id: int, expected_at=None) -> int:
    """Mastodon's PollExpirationNotifyWorker: once a poll has ended, its author and everyone who
    voted in it get a `poll` notification, once. Returns how many were told."""
    with transaction.atomic():
        poll = Poll.objects.select_for_update(of=("self",)).select_related("status").filter(
            pk=poll_id).first()
        if poll is None or poll.expires_at is None or poll.expires_at > timezone.now():
            return 0
        if expected_at is not None and poll.expires_at != expected_at:
            return 0  # the deadline moved: the task of the new one tells
        status = poll.status
        if status.deleted_at is not None or Notification.objects.filter(
                type=NotificationType.POLL, status_id=status.pk).exists():
            return 0
        voters = set(PollVote.objects.filter(poll=poll).values_list("account_id", flat=True))
        told = notifications.notify_many(recipient_ids=voters | {status.account_id},
                                         from_account_id=status.account_id,
                                         type=NotificationType.POLL, status_id=status.pk)
        return len(told)


def poll_replace(*, status: Status, current: Poll | None, spec: PollSpec | None,
                 now=None) -> Poll | None:
    """An edit's poll (spec item 82): new options or a change of `multiple` delete every vote
    and zero the counts; another deadline or `hide_totals` keeps them; no poll deletes it.
    `current` must be locked (select_for_update) by the caller."""
    now = now or timezone.now()
    if spec is None:
        if current is not None:
            current.delete()
        return None
    if current is None:
        return poll_create(status=status, spec=spec, now=now)
    if spec.options != current.options or spec.multiple != current.multiple:
        PollVote.objects.filter(poll=current).delete()
        current.tallies = [0] * len(spec.options)
        current.votes_count = current.voters_count = 0
    current.options = spec.options
    current.multiple, current.hide_totals = spec.multiple, spec.hide_totals
    current.expires_at = spec.expires_at(now)
    if spec.expires_in is None:
        # SelfCommunity's edit gives the title; Mastodon's has none and keeps it.
        current.title = spec.title
    current.save(update_fields=["options", "tallies", "votes_count", "voters_count", "multiple",
                                "hide_totals", "expires_at", "title"])
    _enqueue_ending(current)
    return current


def poll_for_update(status: Status) -> Poll | None:
    """The status's poll, locked against votes until the edit commits."""
    if not status.has_poll:
        return None
    return Poll.objects.select_for_update().filter(status=status).first()


# --- voting ---------------------------------------------------------------------------------

def _choice(value) -> int | None:
    """Ruby's Integer(): an integer, or a string of one; anything else names no option."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        text = value.strip().replace("_", "")
        if re.fullmatch(r"[+-]?[0-9]+", text):
            return int(text)
    return None


@transaction.atomic
def poll_vote(*, account: Account, poll_id: int | None, choices: list | None) -> Poll:
    """Vote in a poll (Api::V1::Polls::VotesController, VoteService): the poll of a status the
    voter may see (404 otherwise), `choices` required (400), not the author's own (422), and the
    VoteValidator's refusals (422), checked choice by choice so that one bad choice writes
    nothing. Returns the poll as it is after the vote.

    The poll row is locked first, so concurrent votes in one poll queue up: each sees the votes
    before it (a second vote of one account is refused, not counted) and the counters, moved
    with the rows, stay equal to them.
    """
    poll, status = poll_get_visible(poll_id=poll_id, viewer=account)
    if not choices:
        raise errors.BadRequest("param is missing or the value is empty: choices")
    author = status.account_id
    if author != account.pk and Block.objects.filter(
            Q(account_id=account.pk, target_id=author) | Q(account_id=author, target_id=account.pk)
    ).exists():
        # PollPolicy#vote?: no voting across a block, either way.
        raise errors.NotAllowed(NOT_ALLOWED)
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    poll.status = status
    mine = set(PollVote.objects.filter(poll=poll, account=account).values_list("choice",
                                                                               flat=True))
    voted_before = bool(mine)
    expired = poll.expires_at is not None and poll.expires_at < timezone.now()
    chosen: list[int] = []
    for raw in choices:
        choice = _choice(raw)
        problems = []
        if expired:
            problems.append(EXPIRED)
        if choice is None or choice < 0 or choice >= len(poll.options):
            problems.append(INVALID_CHOICE)
        if account.pk == author:
            problems.append(SELF_VOTE)
        if (choice in mine) if poll.multiple else bool(mine):
            problems.append(ALREADY_VOTED)
        if problems:
            raise errors.Invalid(*problems)
        mine.add(choice)
        chosen.append(choice)
    PollVote.objects.bulk_create([
        PollVote(poll=poll, account=account, choice=c, single=not poll.multiple) for c in chosen
    ])
    tallies = list(poll.tallies) + [0] * (len(poll.options) - len(poll.tallies))
    for choice in chosen:
        tallies[choice] += 1
    Poll.objects.filter(pk=poll.pk).update(
        tallies=tallies, votes_count=F("votes_count") + len(chosen),
        voters_count=F("voters_count") + (0 if voted_before else 1),
    )
    # Under the lock nobody else moved them: the row now holds exactly these.
    poll.tallies = tallies
    poll.votes_count += len(chosen)
    poll.voters_count += 0 if voted_before else 1
    return poll


@transaction.atomic
def poll_vote_toggle(*, account: Account, status: Status, choice: int) -> bool:
    """SelfCommunity's poll vote (POST /api/v2/{post,discussion}/{id}/poll/vote/), on the same
    rows as Mastodon's: an option not chosen is chosen (in a single-choice poll it replaces
    the account's earlier choice), a chosen one is withdrawn, as SelfCommunity's UI expects.
    Mastodon's refusals stand: the author's own poll, an ended poll, a block either way, an
    option the poll does not have. `status` is one the caller may see. Returns whether the
    option is chosen afterwards. Under the poll row's lock, as poll_vote."""
    poll = Poll.objects.select_for_update().filter(status_id=status.pk).first()
    if poll is None:
        raise errors.NotFound("Not found.")
    author = status.account_id
    if author != account.pk and Block.objects.filter(
            Q(account_id=account.pk, target_id=author) | Q(account_id=author, target_id=account.pk)
    ).exists():
        raise errors.NotAllowed(NOT_ALLOWED)
    if poll.expires_at is not None and poll.expires_at < timezone.now():
        raise errors.Invalid(EXPIRED, field="choice")
    if account.pk == author:
        raise errors.Invalid(SELF_VOTE, field="choice")
    if choice < 0 or choice >= len(poll.options):
        raise errors.Invalid(INVALID_CHOICE, field="choice")
    mine = set(PollVote.objects.filter(poll=poll, account=account).values_list("choice",
                                                                               flat=True))
    withdrawn = {choice} if choice in mine else (set() if poll.multiple else set(mine))
    added = set() if choice in mine else {choice}
    if withdrawn:
        PollVote.objects.filter(poll=poll, account=account, choice__in=withdrawn).delete()
    if added:
        PollVote.objects.create(poll=poll, account=account, choice=choice,
                                single=not poll.multiple)
    tallies = list(poll.tallies) + [0] * (len(poll.options) - len(poll.tallies))
    for index in withdrawn:
        tallies[index] = max(tallies[index] - 1, 0)
    for index in added:
        tallies[index] += 1
    after = (mine - withdrawn) | added
    voters = (1 if after and not mine else -1 if mine and not after else 0)
    Poll.objects.filter(pk=poll.pk).update(
        tallies=tallies, votes_count=F("votes_count") + len(added) - len(withdrawn),
        voters_count=F("voters_count") + voters)
    return bool(added)

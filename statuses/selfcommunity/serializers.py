"""SelfCommunity Status (spec 2.1) rendered as plain dicts, and the create/update body parsed
with DRF's field messages."""

import dataclasses

from django.utils import timezone
from rest_framework import serializers

from accounts.selfcommunity.serializers import iso, serialize_user
from categories.selfcommunity.serializers import (
    serialize_category,
    serialize_reaction,
    serialize_tag,
)
from media.models import MediaKind
from media.selfcommunity.serializers import serialize_media
from statuses.models import ContributionType
from statuses.services import polls as poll_services
from statuses.services.contributions import Contribution
from statuses.status_page import SELFCOMMUNITY as SELFCOMMUNITY_KEY
from statuses.status_page import Dialect, StatusPage

TEXT_MAX_LENGTH = 20000
ACTION_MAX_LENGTH = 255
# SelfCommunity's Composer refuses a discussion title or a poll title of 160 characters or more.
TITLE_MAX_LENGTH = 160
# A poll's choice ids: the poll's id times this plus the choice's position, so an id names one
# option of one poll (an option of another poll is refused) and needs no table of its own.
CHOICE_ID_STRIDE = 1000


def render_fixed(status, media: list) -> dict:
    """The viewer-independent part of a SelfCommunity Status, from its columns and its own media:
    what the render cache keeps (statuses/render_cache.py). Its medias are kept only when none
    is a `share`, whose shared status depends on the reader (`medias` is then None)."""
    return {
        "action": status.action,
        "added_at": iso(status.created_at),
        "last_edited_at": iso(status.edited_at),
        "html": status.sc_html,
        "summary": status.summary,
        "slug": status.slug,
        "location": status.location,
        "medias": (None if any(m.kind == MediaKind.SHARE for m in media)
                   else [serialize_media(m, {}) for m in media]),
    }


# What SelfCommunity's Status shows of a page (the page loader reads exactly this); the polls
# cost a statement only when a status of the page has one.
SELFCOMMUNITY = Dialect(key=SELFCOMMUNITY_KEY, render=render_fixed,
                        holds_media=lambda rendering: rendering["medias"] is not None,
                        polls=True, details=True)


def choice_id(poll, position: int) -> int:
    return poll.pk * CHOICE_ID_STRIDE + position


def choice_position(poll, choice: int) -> int:
    """The position a choice id names in `poll`, or -1 when it names none of its options."""
    position = choice - poll.pk * CHOICE_ID_STRIDE
    return position if 0 <= position < len(poll.options) else -1


def serialize_poll(poll, own: list[int] | None, now) -> dict:
    """SelfCommunity's Poll (SCPollType) of a Mastodon poll: its options are the choices, the
    tallies their vote counts, `hide_totals` is `hidden`, and the deadline `expiration_at`
    (`closed_at` once passed)."""
    closed = poll.expires_at is not None and poll.expires_at < now
    chosen = set(own or ())
    tallies = list(poll.tallies) + [0] * (len(poll.options) - len(poll.tallies))
    return {
        "id": poll.pk,
        "title": poll.title,
        "multiple_choices": poll.multiple,
        "added_at": iso(poll.created_at),
        "modified_at": iso(poll.created_at),
        "closed": closed,
        "closed_at": iso(poll.expires_at) if closed else None,
        "expiration_at": iso(poll.expires_at),
        "hidden": poll.hide_totals,
        "choices": [{"id": choice_id(poll, i), "choice": option, "order": i,
                     "added_at": iso(poll.created_at), "deleted": False,
                     "vote_count": tallies[i], "voted": i in chosen}
                    for i, option in enumerate(poll.options)],
    }


def serialize_status(status, page: StatusPage, users: dict) -> dict:
    """A SelfCommunity Status from its row and the page (pure: no query, no cache)."""
    details = page.details
    author = users.get(status.account_id)
    if author is None:
        author = users[status.account_id] = serialize_user(status.account)
    voted = details.voted.get(status.pk)
    rendering = page.renderings[status.pk]
    medias = rendering["medias"]
    if medias is None:
        medias = [serialize_media(m, details.shared) for m in page.media_of(status)]
    return {
        "id": status.pk,
        "type": status.contribution_type,
        "action": rendering["action"],
        "last_activity_at": iso(status.last_activity_at),
        "author": author,
        "added_at": rendering["added_at"],
        "last_edited_at": rendering["last_edited_at"],
        "html": rendering["html"],
        "summary": rendering["summary"],
        "deleted": status.deleted_at is not None,
        "collapsed": status.collapsed,
        "comment_count": status.replies_count,
        "view_count": status.views_count,
        "vote_count": status.likes_count,
        "reactions_count": [{"reaction": serialize_reaction(reaction), "count": count}
                            for reaction, count in details.reactions.get(status.pk, ())],
        "voted": status.pk in details.voted,
        "reaction": serialize_reaction(voted) if voted is not None else None,
        "follower_count": status.followers_count,
        "followed": status.pk in details.followed,
        "suspended": status.pk in details.suspended,
        "flag_count": status.flags_count,
        "share_count": status.shares_count,
        "slug": rendering["slug"],
        "categories": [serialize_category(c) for c in details.categories.get(status.pk, ())],
        "medias": medias,
        "location": rendering["location"],
        "addressing": [serialize_tag(t) for t in details.addressing.get(status.pk, ())],
        "tags": [t.pk for t in details.tags.get(status.pk, ())],
    }


def serialize_status_of_type(status, page: StatusPage, users: dict, now) -> dict:
    """serialize_status, with what its contribution type adds: a discussion's `title`, and a
    post's or discussion's `poll` (null without one). A status has neither key."""
    data = serialize_status(status, page, users)
    kind = status.contribution_type
    if kind == ContributionType.DISCUSSION:
        data["title"] = status.title
    if kind != ContributionType.STATUS:
        poll = page.polls.by_status.get(status.pk)
        data["poll"] = (serialize_poll(poll, page.polls.own_votes.get(poll.pk), now)
                        if poll is not None else None)
    return data


def serialize_statuses(statuses, page: StatusPage) -> list[dict]:
    users: dict = {}
    now = timezone.now()
    return [serialize_status_of_type(s, page, users, now) for s in statuses]


class LocationSerializer(serializers.Serializer):
    location = serializers.CharField(allow_null=True, allow_blank=True, max_length=255)
    lat = serializers.FloatField(allow_null=True, min_value=-90, max_value=90)
    lng = serializers.FloatField(allow_null=True, min_value=-180, max_value=180)


class IdListField(serializers.ListField):
    child = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class StatusCreateSerializer(serializers.Serializer):
    """The body of POST and PUT /api/v2/status/ (spec 1.3). Only types and shapes are checked
    here; whether the ids exist and may be used is the service's business."""

    action = serializers.CharField(allow_null=True, allow_blank=True, trim_whitespace=True,
                                   max_length=ACTION_MAX_LENGTH)
    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False,
                                 max_length=TEXT_MAX_LENGTH, default="")
    categories = IdListField(allow_empty=True, max_length=50)
    medias = IdListField(required=False, allow_empty=True, max_length=10, default=list)
    location = LocationSerializer(required=False, allow_null=True, default=None)
    addressing = IdListField(required=False, allow_empty=True, max_length=50, default=list)
    tags = IdListField(required=False, allow_empty=True, max_length=50, default=list)

    def contribution(self) -> Contribution:
        data = self.validated_data
        location = data.get("location")
        return Contribution(
            action=data.get("action"),
            text=data.get("text") or "",
            category_ids=list(dict.fromkeys(data["categories"])),
            media_ids=list(dict.fromkeys(data.get("medias") or [])),
            location=dict(location) if location is not None else None,
            addressing_ids=list(dict.fromkeys(data.get("addressing") or [])),
            tag_ids=list(dict.fromkeys(data.get("tags") or [])),
        )


class PollChoiceSerializer(serializers.Serializer):
    choice = serializers.CharField(max_length=poll_services.MAX_OPTION_CHARS)


class PollSerializer(serializers.Serializer):
    """A SelfCommunity poll as the Composer sends it. Stored as a Mastodon poll, it keeps
    Mastodon's limits on choices (2 to 4, of at most 50 characters, no two alike), so that the
    poll Mastodon clients see is one they could have made."""

    title = serializers.CharField(max_length=TITLE_MAX_LENGTH)
    multiple_choices = serializers.BooleanField(required=False, default=False)
    expiration_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    hidden = serializers.BooleanField(required=False, default=False)
    choices = serializers.ListField(child=PollChoiceSerializer(), min_length=2,
                                    max_length=poll_services.MAX_OPTIONS)

    def validate_choices(self, value):
        options = [c["choice"] for c in value]
        if len(set(options)) != len(options):
            raise serializers.ValidationError("Choices contain duplicate items.")
        return value

    def validate_expiration_at(self, value):
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError("The expiration must be in the future.")
        return value

    @staticmethod
    def spec(data) -> poll_services.PollSpec:
        return poll_services.PollSpec(
            options=[c["choice"] for c in data["choices"]], expires_in=None,
            multiple=data["multiple_choices"], hide_totals=data["hidden"],
            title=data["title"], ends_at=data["expiration_at"])


class PostCreateSerializer(StatusCreateSerializer):
    """The body of POST and PUT /api/v2/post/: a status's fields without the required
    `action`, and an optional `poll`. The Composer's `title` is sent empty for a post and is
    not kept; `group`, `event`, `recipients` and `scheduled_at` are features this server does
    not have and are ignored, as any unknown key."""

    kind = ContributionType.POST
    action = serializers.CharField(required=False, allow_null=True, allow_blank=True,
                                   trim_whitespace=True, max_length=ACTION_MAX_LENGTH,
                                   default=None)
    poll = PollSerializer(required=False, allow_null=True, default=None)

    def contribution(self) -> Contribution:
        data = self.validated_data
        poll = data.get("poll")
        return dataclasses.replace(
            super().contribution(), kind=self.kind, title=data.get("title", ""),
            poll=PollSerializer.spec(poll) if poll is not None else None)


class DiscussionCreateSerializer(PostCreateSerializer):
    """The body of POST and PUT /api/v2/discussion/: a post's, with the required `title`."""

    kind = ContributionType.DISCUSSION
    title = serializers.CharField(max_length=TITLE_MAX_LENGTH)


# The create/update body of each route family.
CREATE_SERIALIZERS = {ContributionType.STATUS: StatusCreateSerializer,
                      ContributionType.POST: PostCreateSerializer,
                      ContributionType.DISCUSSION: DiscussionCreateSerializer}

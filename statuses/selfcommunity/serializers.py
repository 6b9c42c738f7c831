"""SelfCommunity Status (spec 2.1) rendered as plain dicts, and the create/update body parsed
with DRF's field messages."""

from rest_framework import serializers

from accounts.selfcommunity.serializers import iso, serialize_user
from categories.selfcommunity.serializers import (
    serialize_category,
    serialize_reaction,
    serialize_tag,
)
from media.models import MediaKind
from media.selfcommunity.serializers import serialize_media
from statuses.services.contributions import Contribution
from statuses.status_page import SELFCOMMUNITY as SELFCOMMUNITY_KEY
from statuses.status_page import Dialect, StatusPage

TEXT_MAX_LENGTH = 20000
ACTION_MAX_LENGTH = 255


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


# What SelfCommunity's Status shows of a page (the page loader reads exactly this).
SELFCOMMUNITY = Dialect(key=SELFCOMMUNITY_KEY, render=render_fixed,
                        holds_media=lambda rendering: rendering["medias"] is not None,
                        details=True)


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
        "type": "status",
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


def serialize_statuses(statuses, page: StatusPage) -> list[dict]:
    users: dict = {}
    return [serialize_status(s, page, users) for s in statuses]


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

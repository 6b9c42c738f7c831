"""One event of the channel layer, shown to one reader (`render`), or to nobody.

A status event (`update`, `status.update`) is read again through the one visibility rule for
this reader, dropped when the reader blocks or mutes its author, the author of its original, or
an account it mentions, or is blocked by its author (what Mastodon's streaming server and home
feed filter), and rendered by the same page loader and presenter as GET /api/v1/statuses/:id, so
its payload is byte for byte what that GET would answer this reader. A `delete` reaches a reader
who could see the status before it went. `notification` and `conversation` are rendered by
whatever registered for them in streaming.renderers."""

import logging
from dataclasses import dataclass

import orjson
from django.db.models import Q

from accounts.models import Block, Mute
from config import errors
from conversations.mastodon.present import render_conversation
from lists.models import UserList
from notifications.mastodon.present import render_notification
from statuses.mastodon.present import show_status
from statuses.mastodon.serializers import hidden_in
from statuses.models import Status
from statuses.selectors.single import status_get_visible_with_flags
from statuses.selectors.timelines import list_timeline
from statuses.selectors.visibility import visible_ignoring_deletion_q
from streaming import groups, renderers

logger = logging.getLogger("duostatus.streaming")

STATUS_EVENTS = ("update", "status.update")
REGISTERED = {"notification": "notification", "conversation": "conversation"}


@dataclass(frozen=True)
class Shown:
    event: str
    payload: str | None  # the JSON string of the frame, or None (filters_changed)
    has_media: bool = False


def _hidden_by_relations(viewer, status: Status) -> bool:
    """Whether the reader blocks or mutes the author, the original's author or anyone the
    status mentions, or an author blocks the reader (two queries)."""
    proper = status.reblog_of if status.reblog_of_id is not None else status
    targets = {status.account_id, proper.account_id}
    targets.update(pk for pk, *_ in (proper.mention_data or []))
    targets.discard(viewer.pk)
    if not targets:
        return False
    authors = {status.account_id, proper.account_id} - {viewer.pk}
    if Block.objects.filter(Q(account_id=viewer.pk, target_id__in=targets)
                            | Q(account_id__in=authors, target_id=viewer.pk)).exists():
        return True
    return Mute.objects.active().filter(account_id=viewer.pk, target_id__in=targets).exists()


def filter_context(group: str | None) -> str | None:
    """The filter context of a stream's group (Mastodon's streaming server: `home` for the
    user's timeline, `public` for the public and hashtag ones), whose `hide` filters drop a
    status; None for the others."""
    if not group:
        return None
    if group.startswith("timeline.user.") and not group.endswith(".notification"):
        return "home"
    if group.startswith(("timeline.public", "timeline.hashtag.")):
        return "public"
    return None


def _status(viewer, status_id: int, event: str, context: str | None = None) -> Shown | None:
    try:
        status, flags = status_get_visible_with_flags(status_id=status_id, viewer=viewer)
    except errors.NotFound:
        return None
    if status.account_id != viewer.pk and _hidden_by_relations(viewer, status):
        return None
    proper = status.reblog_of if status.reblog_of_id is not None else status
    data = show_status(status, viewer, flags=flags)
    if context is not None and hidden_in(data, context):
        return None
    payload = orjson.dumps(data).decode("utf-8")
    return Shown(event, payload, has_media=bool(proper.media_count))


def _delete(viewer, status_id: int) -> Shown | None:
    if not Status.objects.filter(visible_ignoring_deletion_q(viewer), pk=status_id).exists():
        return None
    return Shown("delete", str(status_id))


# The entities other faces own, rendered here as their REST routes render them for the reader.
renderers.register(
    "notification",
    lambda viewer, notification_id, **ids: render_notification(viewer, int(notification_id)))
renderers.register(
    "conversation",
    lambda viewer, conversation_id, **ids: render_conversation(viewer, int(conversation_id)))


def _in_list(viewer, group: str, status_id: int) -> bool:
    """Whether a new status heard on a list's group belongs in that list's timeline for its
    owner: the list timeline's own rule (members the owner follows, its replies policy)."""
    list_id = int(group.removeprefix(groups.LIST_PREFIX))
    lst = UserList.objects.filter(pk=list_id, account_id=viewer.pk).first()
    return lst is not None and list_timeline(
        viewer=viewer, list_id=lst.pk, replies_policy=lst.replies_policy,
    ).filter(pk=status_id).exists()


def render(viewer, message: dict) -> Shown | None:
    """What `message` shows `viewer`, or None."""
    event = message.get("event")
    group = message.get("group") or ""
    if event == "update" and group.startswith(groups.LIST_PREFIX) and not _in_list(
            viewer, group, int(message["status_id"])):
        return None
    if event in STATUS_EVENTS:
        return _status(viewer, int(message["status_id"]), event,
                       filter_context(message.get("group")))
    if event == "delete":
        return _delete(viewer, int(message["status_id"]))
    if event in REGISTERED:
        if message.get("account_id") != viewer.pk:
            return None
        renderer = renderers.get(event)
        if renderer is None:
            logger.debug("streaming: no renderer registered for %s", event)
            return None
        ids = {k: v for k, v in message.items() if k not in ("type", "event", "group")}
        shown = renderer(viewer, **ids)
        if shown is None:
            return None
        return Shown(event, orjson.dumps(shown).decode("utf-8"))
    if event == "filters_changed":
        return Shown("filters_changed", None)
    return None

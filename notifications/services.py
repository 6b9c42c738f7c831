"""Writes of the notification store: telling an account what another did (`notify`,
`notify_many`), taking it back when the act is undone (`notifications_withdraw`), the reader's
dismissals, and the reading positions (markers).

Called by the services of the acts (accounts, statuses, moderation) inside their transactions:
a notification exists exactly when its act committed. The store sits below the apps it serves,
so it names their models by label (`apps.get_model`) as its foreign keys do, and imports none.
Each notification is announced on commit (config.events) for the live streams."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.apps import apps
from django.db import transaction
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Now
from django.utils import timezone

from config import errors, events
from notifications.models import (
    Marker,
    MarkerTimeline,
    Notification,
    NotificationPermission,
    NotificationPolicy,
    NotificationRequest,
    NotificationType,
    PolicyChoice,
)

# accounts.models.Visibility.DIRECT (the store imports no app above it).
DIRECT_VISIBILITY = 3
# Mastodon 4.3+: these types group; a group spans at most 12 hours of hour buckets.
GROUPABLE = frozenset({NotificationType.FAVOURITE, NotificationType.REBLOG,
                       NotificationType.FOLLOW})
MAXIMUM_GROUP_SPAN_HOURS = 12
# Types about a status, which a muted conversation (or SelfCommunity's suspension) silences.
_MODERATION = frozenset({NotificationType.MODERATION_WARNING, NotificationType.ADMIN_REPORT})


def _model(label: str):
    return apps.get_model(label)


def _hour_bucket(when: datetime) -> int:
    return int(when.timestamp()) // 3600


def _group_key(*, recipient_id: int, type: str, status_id: int | None, now: datetime) -> str:
    """Mastodon's NotifyService group key: "<type>[-<status>]-<hour bucket>", the bucket of the
    previous group of that kind kept while the group spans less than 12 hours. Mastodon keeps
    the previous bucket in Redis; here it is the newest such notification's key."""
    if type not in GROUPABLE:
        return ""
    prefix = f"{type}-{status_id}" if type != NotificationType.FOLLOW else type
    bucket = _hour_bucket(now)
    previous = (Notification.objects.filter(recipient_id=recipient_id, type=type,
                                            status_id=status_id, filtered=False)
                .order_by("-id").values_list("group_key", flat=True).first())
    if previous and previous.startswith(prefix + "-"):
        try:
            previous_bucket = int(previous.rsplit("-", 1)[1])
        except ValueError:
            previous_bucket = None
        if previous_bucket is not None and bucket < previous_bucket + MAXIMUM_GROUP_SPAN_HOURS:
            bucket = previous_bucket
    return f"{prefix}-{bucket}"


# --- who is told, and how (the policy of Mastodon 4.3+) -----------------------------------

# The types a policy may filter (Mastodon's Notification::PROPERTIES `filterable`).
FILTERABLE = frozenset({NotificationType.MENTION, NotificationType.REBLOG,
                        NotificationType.FOLLOW, NotificationType.FOLLOW_REQUEST,
                        NotificationType.FAVOURITE, NotificationType.QUOTE})
NEW_ACCOUNT_DAYS = 30


def _verdicts(*, recipient_ids: set[int], from_account_id: int, type: str,
              status_id: int | None) -> dict[int, str]:
    """What becomes of the notification for each recipient: DROP (not written), FILTER
    (written, held back by the policy) or ACCEPT. In three statements at most, whatever the
    number of recipients: the status (its thread, audience and the author it answers), the
    sender (for the policy), and the recipients with every fact about them.

    Dropped: those who block the sender or are blocked by them, who mute the sender's
    notifications (a mute in force), who are gone or suspended, and, for a status, who muted
    its conversation or suspended its notifications. Then Mastodon 4.3+'s policy
    (NotifyService::FilterCondition): only filterable types; never for a sender the recipient
    accepted before (a permission) or a moderator; otherwise the strictest of the policy's
    answers for each kind the sender is (not followed, not a follower, a new account, a private
    mention, a limited account)."""
    Account, Follow = _model("accounts.Account"), _model("accounts.Follow")
    Block, Mute = _model("accounts.Block"), _model("accounts.Mute")
    recipient = OuterRef("pk")
    facts = {
        "blocked": ExpressionWrapper(
            Exists(Block.objects.filter(account_id=recipient, target_id=from_account_id))
            | Exists(Block.objects.filter(account_id=from_account_id, target_id=recipient)),
            output_field=BooleanField()),
        "muted": Exists(Mute.objects.filter(account_id=recipient, target_id=from_account_id,
                                            hide_notifications=True)
                        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=Now()))),
    }
    about: dict = {}
    if status_id is not None:
        about = _model("statuses.Status").objects.filter(pk=status_id).values(
            "thread_root_id", "visibility", "in_reply_to_account_id").first() or {}
        if type not in _MODERATION:
            thread_ids = {status_id, about.get("thread_root_id")} - {None}
            facts["thread_muted"] = ExpressionWrapper(
                Exists(_model("statuses.ConversationMute").objects.filter(
                    account_id=recipient, thread_id__in=thread_ids))
                | Exists(_model("statuses.NotificationSuspension").objects.filter(
                    account_id=recipient, status_id__in=thread_ids)),
                output_field=BooleanField())
    sender = None
    if type in FILTERABLE:
        sender = Account.objects.filter(pk=from_account_id).values(
            "date_joined", "silenced_at", "is_staff", "is_superuser").first()
        if sender is not None and (sender["is_staff"] or sender["is_superuser"]):
            sender = None  # moderators are never filtered
    if sender is not None:
        policy = NotificationPolicy.objects.filter(account_id=recipient)
        facts.update({name: Subquery(policy.values(name)[:1])
                      for name in NotificationPolicy.FIELDS})
        facts["permitted"] = Exists(NotificationPermission.objects.filter(
            account_id=recipient, from_account_id=from_account_id))
        facts["following"] = Exists(Follow.objects.filter(
            account_id=recipient, target_id=from_account_id, accepted=True))
        facts["follower"] = Exists(Follow.objects.filter(
            account_id=from_account_id, target_id=recipient, accepted=True))
    rows = (Account.objects.filter(pk__in=recipient_ids)
            .annotate(**facts).values("pk", "is_active", "suspended_at", *facts))
    defaults = NotificationPolicy()
    new = sender is not None and (
        sender["date_joined"] > timezone.now() - timedelta(days=NEW_ACCOUNT_DAYS))
    private_mention = (type == NotificationType.MENTION
                       and about.get("visibility") == DIRECT_VISIBILITY)
    verdicts = {}
    for row in rows:
        pk = row["pk"]
        if (not row["is_active"] or row["suspended_at"] is not None or row["blocked"]
                or row["muted"] or row.get("thread_muted")):
            verdicts[pk] = PolicyChoice.DROP
            continue
        if sender is None or row["permitted"]:
            verdicts[pk] = PolicyChoice.ACCEPT
            continue
        answers = []
        if not row["following"]:
            answers.append(row["for_not_following"] or defaults.for_not_following)
            if sender["silenced_at"] is not None:
                answers.append(row["for_limited_accounts"] or defaults.for_limited_accounts)
            if private_mention and about.get("in_reply_to_account_id") != pk:
                answers.append(row["for_private_mentions"] or defaults.for_private_mentions)
        if not row["follower"]:
            answers.append(row["for_not_followers"] or defaults.for_not_followers)
        if new:
            answers.append(row["for_new_accounts"] or defaults.for_new_accounts)
        verdicts[pk] = (PolicyChoice.DROP if PolicyChoice.DROP in answers
                        else PolicyChoice.FILTER if PolicyChoice.FILTER in answers
                        else PolicyChoice.ACCEPT)
    return verdicts


def _requests_add(*, recipient_ids: list[int], from_account_id: int, status_id: int | None,
                  now: datetime) -> None:
    """A filtered notification joins the request of its sender (made as needed)."""
    for pk in recipient_ids:
        request, made = NotificationRequest.objects.get_or_create(
            account_id=pk, from_account_id=from_account_id,
            defaults={"last_status_id": status_id, "notifications_count": 1,
                      "created_at": now, "updated_at": now})
        if not made:
            changes = {"notifications_count": F("notifications_count") + 1, "updated_at": now}
            if status_id is not None:
                changes["last_status_id"] = status_id
            NotificationRequest.objects.filter(pk=request.pk).update(**changes)


def _announce(notification: Notification) -> None:
    events.announce(events.notification_created, notification_id=notification.pk,
                    account_id=notification.recipient_id)


def notify(*, recipient_id: int, from_account_id: int, type: str, status_id: int | None = None,
           flag_id: int | None = None, moderation_action_id: int | None = None
           ) -> Notification | None:
    """Tell `recipient_id` that `from_account_id` did `type` (about `status_id`), unless it is
    their own act or they are not to be told (see _silenced_recipients). Returns the row."""
    written = notify_many(recipient_ids=[recipient_id], from_account_id=from_account_id,
                          type=type, status_id=status_id, flag_id=flag_id,
                          moderation_action_id=moderation_action_id)
    return written[0] if written else None


def notify_many(*, recipient_ids: Iterable[int], from_account_id: int, type: str,
                status_id: int | None = None, flag_id: int | None = None,
                moderation_action_id: int | None = None) -> list[Notification]:
    """`notify` for several recipients at once (a status's mentions, the followers it
    notifies, the moderators), in a fixed number of statements."""
    # One's own act tells nobody, but a poll's end tells its author too (Mastodon's
    # PollExpirationNotifyWorker notifies the owner "from" themself).
    recipients = {pk for pk in recipient_ids
                  if pk is not None and (pk != from_account_id or type == NotificationType.POLL)}
    if not recipients:
        return []
    verdicts = _verdicts(recipient_ids=recipients, from_account_id=from_account_id, type=type,
                         status_id=status_id)
    recipients = {pk for pk, verdict in verdicts.items() if verdict != PolicyChoice.DROP}
    if not recipients:
        return []
    now = timezone.now()
    rows = []
    for pk in sorted(recipients):
        filtered = verdicts.get(pk) == PolicyChoice.FILTER
        rows.append(Notification(
            recipient_id=pk, from_account_id=from_account_id, type=type, status_id=status_id,
            flag_id=flag_id, moderation_action_id=moderation_action_id, created_at=now,
            filtered=filtered,
            # Filtered notifications are not grouped (Mastodon's NotifyService).
            group_key="" if filtered else _group_key(recipient_id=pk, type=type,
                                                     status_id=status_id, now=now)))
    held = [row.recipient_id for row in rows if row.filtered]
    if held:
        _requests_add(recipient_ids=held, from_account_id=from_account_id,
                      status_id=status_id, now=now)
    if len(rows) == 1:
        rows[0].save()
    else:
        rows = Notification.objects.bulk_create(rows)
    for row in rows:
        if not row.filtered:
            _announce(row)
    return rows


def notifications_withdraw(*, from_account_id: int, types: Iterable[str],
                           status_id: int | None = None, recipient_id: int | None = None) -> int:
    """Undo acts take back what they told (unfavourite, unreblog, unfollow, a request
    answered). Returns how many notifications went."""
    rows = Notification.objects.filter(from_account_id=from_account_id, type__in=list(types),
                                       status_id=status_id)
    if recipient_id is not None:
        rows = rows.filter(recipient_id=recipient_id)
    return rows.delete()[0]


# --- the reader's own writes ------------------------------------------------------------------

RECORD_NOT_FOUND = "Record not found"


@transaction.atomic
def notifications_clear(*, account) -> int:
    """POST /api/v1/notifications/clear: every notification of the account goes."""
    return Notification.objects.filter(recipient_id=account.pk).delete()[0]


@transaction.atomic
def notification_dismiss(*, account, notification_id: int | None) -> None:
    """Dismiss one of one's notifications; 404 when it is not one's own."""
    if notification_id is None or not Notification.objects.filter(
            pk=notification_id, recipient_id=account.pk).delete()[0]:
        raise errors.NotFound(RECORD_NOT_FOUND)


@transaction.atomic
def notification_group_dismiss(*, account, group_key: str) -> None:
    """Dismiss a whole group (v2): an `ungrouped-<id>` key names one notification."""
    rows = Notification.objects.filter(recipient_id=account.pk)
    if group_key.startswith("ungrouped-"):
        raw = group_key.removeprefix("ungrouped-")
        rows = rows.filter(pk=int(raw)) if raw.isdigit() and len(raw) < 19 else rows.none()
    else:
        rows = rows.filter(group_key=group_key)
    if not rows.delete()[0]:
        raise errors.NotFound(RECORD_NOT_FOUND)


# --- markers ----------------------------------------------------------------------------------

def markers_save(*, account, positions: dict[str, int | None]) -> dict[str, Marker]:
    """Save reading positions ({timeline: last_read_id, or None to leave it}), as Mastodon's
    `find_or_create_by` then `update!`: a marker starts at version 0, and each save that moves
    its position increments `version`. Mastodon detects a concurrent save by optimistic locking
    and answers 409 (MarkerConflict); here each marker row is locked for the save instead, so
    concurrent saves apply one after the other and never lose an increment."""
    saved: dict[str, Marker] = {}
    with transaction.atomic():
        for timeline in (MarkerTimeline.HOME, MarkerTimeline.NOTIFICATIONS):
            if timeline not in positions:
                continue
            Marker.objects.get_or_create(account_id=account.pk, timeline=timeline)
            marker = Marker.objects.select_for_update().get(account_id=account.pk,
                                                            timeline=timeline)
            position = positions[timeline]
            if position is not None and position != marker.last_read_id:
                marker.last_read_id = position
                marker.version += 1
                marker.updated_at = timezone.now()
                marker.save(update_fields=["last_read_id", "version", "updated_at"])
            saved[timeline] = marker
    return saved


# --- SelfCommunity's read state ---------------------------------------------------------------

MAX_SIDS = 100


@transaction.atomic
def notifications_mark_read(*, account, sids: list[int]) -> int:
    """SelfCommunity's POST /api/v2/notification/read/: each sid names one of the account's
    notifications; it and the older ones of its aggregate (the same status, as the list
    aggregates them) are read. Returns how many notifications changed."""
    Status = _model("statuses.Status")
    named = list(Notification.objects.filter(recipient_id=account.pk, pk__in=sids[:MAX_SIDS])
                 .values_list("pk", "status_id", "moderation_action__target_status_id"))
    if not named:
        return 0
    about = {status for _, status, target in named for status in (status, target) if status}
    roots = {pk: root or pk for pk, root in Status.objects.filter(pk__in=about)
             .values_list("pk", "thread_root_id")}
    marked = Q(pk__in=[pk for pk, _, _ in named])
    for pk, status, target in named:
        root = roots.get(status or target)
        if root is None:
            continue
        in_thread = (Q(status_id=root) | Q(status__thread_root_id=root)
                     | Q(moderation_action__target_status_id=root)
                     | Q(moderation_action__target_status__thread_root_id=root))
        marked |= in_thread & Q(pk__lte=pk)
    return Notification.objects.filter(marked, recipient_id=account.pk, read=False).update(
        read=True)


# --- the policy and the requests, as their owner changes them ----------------------------------

@transaction.atomic
def notification_policy_update(*, account, changes: dict[str, str]) -> NotificationPolicy:
    """PATCH /api/v2/notifications/policy: each field given must be accept, filter or drop."""
    problems = [f"{name.replace('_', ' ').capitalize()} is not included in the list"
                for name, value in changes.items()
                if name in NotificationPolicy.FIELDS and value not in PolicyChoice.values]
    if problems:
        raise errors.Invalid(*problems)
    policy, _ = NotificationPolicy.objects.get_or_create(account_id=account.pk)
    fields = [name for name in NotificationPolicy.FIELDS if name in changes]
    for name in fields:
        setattr(policy, name, changes[name])
    if fields:
        policy.save(update_fields=fields)
    return policy


def _own_requests(account, request_ids: list[int]):
    return NotificationRequest.objects.select_for_update().filter(account_id=account.pk,
                                                                  pk__in=request_ids)


@transaction.atomic
def notification_requests_accept(*, account, request_ids: list[int], one: bool = False) -> None:
    """Accept requests: their notifications join the lists, and their senders' future ones are
    never filtered again (a permission). With `one`, a request that is not the account's is a
    404 (the batch form ignores those, as Mastodon does)."""
    requests = list(_own_requests(account, request_ids))
    if one and not requests:
        raise errors.NotFound(RECORD_NOT_FOUND)
    senders = [request.from_account_id for request in requests]
    if not senders:
        return
    Notification.objects.filter(recipient_id=account.pk, from_account_id__in=senders,
                                filtered=True).update(filtered=False)
    NotificationPermission.objects.bulk_create(
        [NotificationPermission(account_id=account.pk, from_account_id=pk) for pk in senders],
        ignore_conflicts=True)
    NotificationRequest.objects.filter(pk__in=[request.pk for request in requests]).delete()


@transaction.atomic
def notification_requests_dismiss(*, account, request_ids: list[int], one: bool = False) -> None:
    """Dismiss requests: they go, and their filtered notifications stay out of the lists."""
    requests = list(_own_requests(account, request_ids))
    if one and not requests:
        raise errors.NotFound(RECORD_NOT_FOUND)
    NotificationRequest.objects.filter(pk__in=[request.pk for request in requests]).delete()

"""Mastodon's Notification, NotificationGroup, AccountWarning, Report and Marker entities, as
plain dicts: pure functions of what the selectors loaded (statuses come already rendered by the
statuses face, so they read exactly as the statuses API renders them)."""

from accounts.mastodon.serializers import datetime_ms, serialize_account

# The types that carry a status (REST::NotificationSerializer#status_type?).
STATUS_TYPES = frozenset({"favourite", "reblog", "status", "mention", "poll", "update", "quote",
                          "quoted_update"})
# A moderator's act, as Mastodon's AccountWarning names its action.
WARNING_ACTIONS = {"collapse": "none", "scold_author": "none", "delete": "delete_statuses",
                   "mark_sensitive": "mark_statuses_as_sensitive", "silence": "silence",
                   "suspend": "suspend"}


def serialize_warning(action) -> dict:
    """REST::AccountWarningSerializer for a moderator's act on one's status."""
    return {
        "id": str(action.pk),
        "action": WARNING_ACTIONS.get(action.action, "none"),
        "text": action.reason,
        "status_ids": [str(action.target_status_id)] if action.target_status_id else [],
        "target_account": serialize_account(action.target_account),
        "appeal": None,
        "created_at": datetime_ms(action.created_at),
    }


def serialize_report(flag) -> dict:
    """REST::ReportSerializer for a flag (a SelfCommunity flag is a report of one status)."""
    kind = flag.get_flag_type_display()
    return {
        "id": str(flag.pk),
        "action_taken": False,
        "action_taken_at": None,
        "category": "spam" if kind == "spam" else "other",
        "comment": kind,
        "forwarded": False,
        "created_at": datetime_ms(flag.created_at),
        "status_ids": [str(flag.status_id)],
        "rule_ids": None,
        "target_account": serialize_account(flag.status.account),
    }


def _attachments(data: dict, notification, statuses: dict) -> dict:
    if notification.type in STATUS_TYPES:
        data["status"] = statuses.get(notification.status_id)
    elif notification.type == "moderation_warning" and notification.moderation_action_id:
        data["moderation_warning"] = serialize_warning(notification.moderation_action)
    elif notification.type == "admin.report" and notification.flag_id:
        data["report"] = serialize_report(notification.flag)
    return data


def serialize_notification(notification, statuses: dict) -> dict:
    """REST::NotificationSerializer; `statuses` are the rendered statuses by id."""
    data = {
        "id": str(notification.pk),
        "type": notification.type,
        "created_at": datetime_ms(notification.created_at),
        "group_key": notification.shown_group_key,
        "account": serialize_account(notification.from_account),
    }
    if notification.filtered:
        data["filtered"] = True
    return _attachments(data, notification, statuses)


def serialize_group(group, *, paginated: bool) -> dict:
    """REST::NotificationGroupSerializer (the accounts and statuses go beside the groups)."""
    head = group.head
    data = {
        "group_key": group.key,
        "notifications_count": group.count,
        "type": head.type,
        "most_recent_notification_id": group.page_max_id if paginated and group.page_max_id
        else head.pk,
    }
    if paginated:
        data["page_min_id"] = str(group.page_min_id)
        data["page_max_id"] = str(group.page_max_id)
        data["latest_page_notification_at"] = datetime_ms(group.latest_page_notification_at)
    data["sample_account_ids"] = [str(pk) for pk in group.sample_account_ids]
    if head.type in STATUS_TYPES:
        data["status_id"] = str(head.status_id) if head.status_id else None
    elif head.type == "moderation_warning" and head.moderation_action_id:
        data["moderation_warning"] = serialize_warning(head.moderation_action)
    elif head.type == "admin.report" and head.flag_id:
        data["report"] = serialize_report(head.flag)
    return data


def serialize_partial_account(account) -> dict:
    """REST::Accounts: the partial account of `expand_accounts=partial_avatars`."""
    full = serialize_account(account)
    return {key: full[key] for key in ("id", "acct", "locked", "bot", "url", "avatar",
                                        "avatar_static")}


def serialize_marker(marker) -> dict:
    return {
        "last_read_id": str(marker.last_read_id),
        "version": marker.version,
        "updated_at": datetime_ms(marker.updated_at),
    }


def serialize_policy(policy, summary: dict) -> dict:
    """REST::V2::NotificationPolicySerializer."""
    return {**{name: getattr(policy, name) for name in policy.FIELDS}, "summary": summary}


def serialize_request(request, statuses: dict) -> dict:
    """REST::NotificationRequestSerializer; `statuses` are the rendered statuses by id."""
    data = {
        "id": str(request.pk),
        "created_at": datetime_ms(request.created_at),
        "updated_at": datetime_ms(request.updated_at),
        "notifications_count": str(request.notifications_count),
        "account": serialize_account(request.from_account),
    }
    if request.last_status is not None:
        data["last_status"] = statuses.get(request.last_status_id)
    return data

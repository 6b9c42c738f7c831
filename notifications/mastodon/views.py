"""Mastodon's notification API (v1 and grouped v2) and markers."""

from __future__ import annotations

from rest_framework.response import Response

from accounts.mastodon.serializers import serialize_account
from config.api.mastodon import (
    MastodonViewSet,
    ValidationFailed,
    param_list,
    param_str,
    parse_id,
)
from config.api.pagination import link_header, paginate
from config.scopes import (
    READ_NOTIFICATIONS,
    READ_STATUSES,
    WRITE_NOTIFICATIONS,
    WRITE_STATUSES,
)
from notifications import selectors, services
from notifications.mastodon import filters
from notifications.mastodon.serializers import (
    serialize_group,
    serialize_marker,
    serialize_notification,
    serialize_partial_account,
    serialize_policy,
    serialize_request,
)
from notifications.models import MarkerTimeline, NotificationPolicy
from statuses.mastodon.present import show_statuses
from statuses.mastodon.serializers import hidden_in

# The parameters a Link header carries over (Mastodon's `pagination_params`), arrays included.
V1_KEEPS = ("account_id", "exclude_types", "include_filtered", "limit", "types")
V2_KEEPS = (*V1_KEEPS, "expand_accounts", "grouped_types")
ALL_ACTIONS = frozenset({"list", "retrieve", "clear", "dismiss", "unread_count", "accounts"})


def _link(request, *, keep, first, last, size: int, limit: int) -> str | None:
    return link_header(request, first_cursor=first, last_cursor=last, page_size=size,
                       limit=limit, keep=keep)


def _statuses(rows, viewer) -> tuple[list, dict]:
    """The statuses the rows are about, rendered as the statuses API renders them."""
    statuses = selectors.statuses_of(rows)
    rendered = show_statuses(statuses, viewer) if statuses else []
    return rendered, {int(data["id"]): data for data in rendered}


class NotificationViewSet(MastodonViewSet):
    """/api/v1/notifications: the reader's notifications, newest first."""

    required_scopes = {"list": READ_NOTIFICATIONS, "retrieve": READ_NOTIFICATIONS,
                       "unread_count": READ_NOTIFICATIONS, "clear": WRITE_NOTIFICATIONS,
                       "dismiss": WRITE_NOTIFICATIONS}
    token_required_actions = ALL_ACTIONS
    user_required_actions = ALL_ACTIONS
    filtersets = {"list": filters.NotificationsFilterSet,
                  "retrieve": filters.SingleNotificationFilterSet,
                  "unread_count": filters.UnreadCountFilterSet}

    def _options(self, params) -> dict:
        return {"types": params["types"], "exclude_types": params["exclude_types"],
                "account_id": params["account_id"]}

    def list(self, request):
        params = self.list_params()
        limit = params["limit"]
        ids = selectors.page_ids(self.viewer, limit=limit, max_id=params["max_id"],
                                 since_id=params["since_id"], min_id=params["min_id"],
                                 include_filtered=bool(params["include_filtered"]),
                                 **self._options(params))
        rows = selectors.notifications_load(ids)
        _, statuses = _statuses(rows, self.viewer)
        # The notifications about a status that a `hide` filter of the reader's matches in
        # `notifications` leave the page (the cursors stay those of the page read).
        hidden = {pk for pk, data in statuses.items() if hidden_in(data, "notifications")}
        rows = [row for row in rows if row.status_id is None or row.status_id not in hidden]
        link = _link(request, keep=V1_KEEPS, first=ids[0] if ids else None,
                     last=ids[-1] if ids else None, size=len(ids), limit=limit)
        return Response([serialize_notification(row, statuses) for row in rows],
                        headers={"Link": link} if link else None)

    def retrieve(self, request, pk=None):
        self.list_params()
        row = selectors.notification_get(viewer=self.viewer, notification_id=parse_id(pk))
        _, statuses = _statuses([row], self.viewer)
        return Response(serialize_notification(row, statuses))

    def unread_count(self, request):
        params = self.list_params()
        return Response({"count": selectors.unread_count(viewer=self.viewer,
                                                         limit=params["limit"],
                                                         **self._options(params))})

    def clear(self, request):
        services.notifications_clear(account=self.viewer)
        return Response({})

    def dismiss(self, request, pk=None):
        services.notification_dismiss(account=self.viewer, notification_id=parse_id(pk))
        return Response({})


class GroupedNotificationViewSet(MastodonViewSet):
    """/api/v2/notifications: the reader's notifications in Mastodon 4.3+'s groups."""

    required_scopes = {"list": READ_NOTIFICATIONS, "retrieve": READ_NOTIFICATIONS,
                       "accounts": READ_NOTIFICATIONS, "unread_count": READ_NOTIFICATIONS,
                       "dismiss": WRITE_NOTIFICATIONS}
    token_required_actions = ALL_ACTIONS
    user_required_actions = ALL_ACTIONS
    filtersets = {"list": filters.GroupedNotificationsFilterSet,
                  "retrieve": filters.SingleNotificationFilterSet,
                  "unread_count": filters.GroupedUnreadCountFilterSet}

    @staticmethod
    def _grouped_types(params) -> list[str]:
        # Absent or empty: every groupable type groups (Mastodon's `presence ||` default).
        return params["grouped_types"] or list(selectors.GROUPABLE_TYPES)

    def _envelope(self, rows, groups, *, paginated: bool, partial: bool) -> dict:
        rendered, _ = _statuses(rows, self.viewer)
        samples = [group.sample_account_ids for group in groups]
        wanted = {pk for ids in samples for pk in ids} | {row.from_account_id for row in rows}
        accounts = selectors.accounts_by_id(wanted)
        for row in rows:
            accounts.setdefault(row.from_account_id, row.from_account)
        if partial:
            # GroupedNotificationsPresenter: the first sender of each group in full, the others
            # as partial accounts.
            full = list(dict.fromkeys(ids[0] for ids in samples if ids))
            rest = [pk for ids in samples for pk in ids[1:] if pk not in full]
            partial_ids = list(dict.fromkeys(rest))
        else:
            full = list(dict.fromkeys(pk for ids in samples for pk in ids))
            partial_ids = []
        body = {
            "accounts": [serialize_account(accounts[pk]) for pk in full if pk in accounts],
            "statuses": rendered,
            "notification_groups": [serialize_group(group, paginated=paginated)
                                    for group in groups],
        }
        if partial:
            body["partial_accounts"] = [serialize_partial_account(accounts[pk])
                                        for pk in partial_ids if pk in accounts]
        return body

    def list(self, request):
        params = self.list_params()
        limit = params["limit"]
        grouped_types = self._grouped_types(params)
        heads = selectors.group_heads(
            self.viewer, grouped_types=grouped_types, limit=limit, max_id=params["max_id"],
            since_id=params["since_id"], min_id=params["min_id"],
            include_filtered=bool(params["include_filtered"]), types=params["types"],
            exclude_types=params["exclude_types"], account_id=params["account_id"])
        rows = selectors.notifications_load(heads)
        page = None
        if rows:
            low, high = rows[-1].pk, rows[0].pk
            if len(rows) < limit:
                # The last page (Mastodon's `incomplete_page?`): it reaches the cursor's end.
                if params["min_id"] is not None:
                    high = params["max_id"] - 1 if params["max_id"] else 2 ** 63 - 1
                else:
                    low = params["since_id"] + 1 if params["since_id"] else 0
            page = (low, high)
        groups = selectors.groups_load(viewer=self.viewer, heads=rows,
                                       grouped_types=grouped_types, page=page)
        body = self._envelope(rows, groups, paginated=True,
                              partial=params["expand_accounts"] == "partial_avatars")
        link = _link(request, keep=V2_KEEPS, first=heads[0] if heads else None,
                     last=heads[-1] if heads else None, size=len(heads), limit=limit)
        return Response(body, headers={"Link": link} if link else None)

    def retrieve(self, request, group_key=None):
        self.list_params()
        rows = selectors.group_get(viewer=self.viewer, group_key=group_key)
        groups = selectors.groups_load(viewer=self.viewer, heads=rows,
                                       grouped_types=selectors.GROUPABLE_TYPES, page=None)
        return Response(self._envelope(rows, groups, paginated=False, partial=False))

    def accounts(self, request, group_key=None):
        accounts = selectors.group_accounts(viewer=self.viewer, group_key=group_key)
        return Response([serialize_account(account) for account in accounts])

    def dismiss(self, request, group_key=None):
        services.notification_group_dismiss(account=self.viewer, group_key=group_key)
        return Response({})

    def unread_count(self, request):
        params = self.list_params()
        return Response({"count": selectors.unread_group_count(
            viewer=self.viewer, limit=params["limit"],
            grouped_types=self._grouped_types(params), types=params["types"],
            exclude_types=params["exclude_types"], account_id=params["account_id"])})


class MarkerViewSet(MastodonViewSet):
    """/api/v1/markers: where the reader stopped in home and notifications."""

    required_scopes = {"list": READ_STATUSES, "create": WRITE_STATUSES}
    token_required_actions = frozenset({"list", "create"})
    user_required_actions = frozenset({"list", "create"})
    filtersets = {"list": filters.MarkersFilterSet}

    def list(self, request):
        markers = selectors.markers_get(viewer=self.viewer,
                                        timelines=self.list_params()["timeline"])
        return Response({marker.timeline: serialize_marker(marker) for marker in markers})

    def create(self, request):
        body = self.body
        positions: dict[str, int | None] = {}
        for timeline in MarkerTimeline.values:
            given = body.get(timeline)
            if isinstance(given, dict):
                raw, present = param_str(given, "last_read_id"), True
            else:
                key = f"{timeline}[last_read_id]"
                raw, present = param_str(body, key), key in body
            if not present:
                continue
            if raw is None or raw == "":
                positions[timeline] = None
                continue
            position = parse_id(raw)
            if position is None:
                raise ValidationFailed("Last read can't be blank")
            positions[timeline] = position
        markers = services.markers_save(account=self.viewer, positions=positions)
        return Response({timeline: serialize_marker(marker)
                         for timeline, marker in markers.items()})


class NotificationPolicyViewSet(MastodonViewSet):
    """/api/v2/notifications/policy: what becomes of notifications from each kind of sender."""

    required_scopes = {"retrieve": READ_NOTIFICATIONS, "update": WRITE_NOTIFICATIONS}
    token_required_actions = frozenset({"retrieve", "update"})
    user_required_actions = frozenset({"retrieve", "update"})

    def _answer(self, policy) -> Response:
        return Response(serialize_policy(policy, selectors.policy_summary(viewer=self.viewer)))

    def retrieve(self, request):
        return self._answer(selectors.policy_get(viewer=self.viewer))

    def update(self, request):
        body = self.body
        changes = {name: param_str(body, name) for name in NotificationPolicy.FIELDS
                   if param_str(body, name) is not None}
        return self._answer(services.notification_policy_update(account=self.viewer,
                                                                changes=changes))


class NotificationRequestViewSet(MastodonViewSet):
    """/api/v1/notifications/requests: filtered senders waiting to be accepted or dismissed."""

    required_scopes = {"list": READ_NOTIFICATIONS, "retrieve": READ_NOTIFICATIONS,
                       "merged": READ_NOTIFICATIONS, "accept": WRITE_NOTIFICATIONS,
                       "dismiss": WRITE_NOTIFICATIONS, "accept_many": WRITE_NOTIFICATIONS,
                       "dismiss_many": WRITE_NOTIFICATIONS}
    token_required_actions = frozenset(required_scopes)
    user_required_actions = frozenset(required_scopes)
    filtersets = {"list": filters.NotificationRequestsFilterSet}

    def _render(self, rows) -> dict:
        statuses = [row.last_status for row in rows if row.last_status is not None]
        rendered = show_statuses(statuses, self.viewer) if statuses else []
        return {int(data["id"]): data for data in rendered}

    def list(self, request):
        params = self.list_params()
        limit = params["limit"]
        ids = paginate(selectors.requests_shown(self.viewer).values_list("pk", flat=True),
                       params, field="pk", limit=limit)
        rows = selectors.requests_load(ids, viewer=self.viewer)
        statuses = self._render(rows)
        link = _link(request, keep=("limit",), first=ids[0] if ids else None,
                     last=ids[-1] if ids else None, size=len(ids), limit=limit)
        return Response([serialize_request(row, statuses) for row in rows],
                        headers={"Link": link} if link else None)

    def retrieve(self, request, pk=None):
        row = selectors.request_get(viewer=self.viewer, request_id=parse_id(pk))
        return Response(serialize_request(row, self._render([row])))

    def accept(self, request, pk=None):
        request_id = parse_id(pk)
        services.notification_requests_accept(account=self.viewer, one=True,
                                              request_ids=[request_id] if request_id else [])
        return Response({})

    def dismiss(self, request, pk=None):
        request_id = parse_id(pk)
        services.notification_requests_dismiss(account=self.viewer, one=True,
                                               request_ids=[request_id] if request_id else [])
        return Response({})

    def _ids(self) -> list[int]:
        raw = param_list(self.body, "id") or []
        return [pk for pk in (parse_id(value) for value in raw) if pk]

    def accept_many(self, request):
        services.notification_requests_accept(account=self.viewer, request_ids=self._ids())
        return Response({})

    def dismiss_many(self, request):
        services.notification_requests_dismiss(account=self.viewer, request_ids=self._ids())
        return Response({})

    def merged(self, request):
        # Accepting a request moves its notifications into the lists at once: always merged.
        return Response({"merged": True})

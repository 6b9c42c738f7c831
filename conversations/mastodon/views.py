"""GET /api/v1/conversations, POST /api/v1/conversations/:id/read (and /unread) and DELETE
/api/v1/conversations/:id, as Mastodon 4.5's ConversationsController answers them."""

from rest_framework.response import Response

from config.api.mastodon import MastodonViewSet, parse_id
from config.api.pagination import link_header
from config.scopes import READ_STATUSES, WRITE_CONVERSATIONS
from conversations import selectors, services
from conversations.mastodon import filters
from conversations.mastodon.present import show_conversation, show_conversations


class ConversationViewSet(MastodonViewSet):
    required_scopes = {"list": READ_STATUSES, "read": WRITE_CONVERSATIONS,
                       "unread": WRITE_CONVERSATIONS, "destroy": WRITE_CONVERSATIONS}
    token_required_actions = frozenset({"list", "read", "unread", "destroy"})
    user_required_actions = token_required_actions
    filtersets = {"list": filters.ConversationsFilterSet}

    def list(self, request):
        params = self.list_params()
        limit = params["limit"]
        rows = selectors.conversations_page(
            account=self.viewer, limit=limit, max_id=params["max_id"],
            since_id=params["since_id"], min_id=params["min_id"])
        headers = {}
        # Mastodon's cursors are the last statuses' ids: `next` below the page's last, `prev`
        # above its first.
        link = link_header(request, first_cursor=rows[0].last_status_id if rows else None,
                           last_cursor=rows[-1].last_status_id if rows else None,
                           page_size=len(rows), limit=limit, prev_param="min_id")
        if link:
            headers["Link"] = link
        return Response(show_conversations(rows, self.viewer), headers=headers)

    def read(self, request, pk=None):
        conversation = services.conversation_mark_read(account=self.viewer,
                                                       conversation_id=parse_id(pk))
        return Response(show_conversation(conversation, self.viewer))

    def unread(self, request, pk=None):
        conversation = services.conversation_mark_unread(account=self.viewer,
                                                         conversation_id=parse_id(pk))
        return Response(show_conversation(conversation, self.viewer))

    def destroy(self, request, pk=None):
        services.conversation_remove(account=self.viewer, conversation_id=parse_id(pk))
        return Response({})

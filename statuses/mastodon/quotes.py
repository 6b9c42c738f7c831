"""Mastodon 4.5 quotes: a status's quotes (paged with Link), the quoted author's revoke, and PUT
/statuses/:id/interaction_policy. A post's quote parameters are read with the rest of the post
(statuses/mastodon/params.py)."""

from rest_framework.response import Response

from config.api.mastodon import MastodonViewSet, param_str, parse_id
from config.api.pagination import link_header, paginate
from config.scopes import READ_STATUSES, WRITE_STATUSES
from statuses.mastodon import filters
from statuses.mastodon.present import show_status, show_statuses
from statuses.selectors import quotes as quote_selectors
from statuses.selectors.rows import statuses_for_page
from statuses.selectors.single import status_get_visible, status_is_visible
from statuses.services import quotes as quote_services

# What a status the caller may not see shows of itself when an answer must carry it anyway.
HIDDEN = {"content": "", "spoiler_text": "", "media_attachments": [], "mentions": [],
          "tags": [], "emojis": [], "card": None, "poll": None, "quote": None}


class QuoteViewSet(MastodonViewSet):
    required_scopes = {"list": READ_STATUSES, "revoke": WRITE_STATUSES,
                       "interaction_policy": WRITE_STATUSES}
    token_required_actions = frozenset({"list", "revoke", "interaction_policy"})
    user_required_actions = frozenset({"revoke", "interaction_policy"})
    filtersets = {"list": filters.QuotesFilterSet}

    def list(self, request, pk=None):
        """GET /api/v1/statuses/:id/quotes: the accepted quotes of a status the caller sees,
        newest first; `max_id`/`since_id` over the quoting statuses' ids."""
        status = status_get_visible(status_id=parse_id(pk), viewer=self.viewer)
        params = self.list_params()
        limit = params["limit"]
        ids = paginate(quote_selectors.quotes_of(status=status, viewer=self.viewer), params,
                       field="id", limit=limit)
        loaded = statuses_for_page(ids)
        statuses = [loaded[pk] for pk in ids if pk in loaded]
        headers = {}
        link = link_header(request, first_cursor=ids[0] if ids else None,
                           last_cursor=ids[-1] if ids else None, page_size=len(ids),
                           limit=limit, prev_param="since_id")
        if link:
            headers["Link"] = link
        return Response(show_statuses(statuses, self.viewer), headers=headers)

    def revoke(self, request, pk=None, quoting_status_id=None):
        """POST /api/v1/statuses/:id/quotes/:quoting_status_id/revoke: answers the quoting
        status, its quote now `revoked`."""
        quoting = quote_services.status_quote_revoke(
            account=self.viewer, status_id=parse_id(pk),
            quoting_status_id=parse_id(quoting_status_id))
        body = show_status(quoting, self.viewer)
        if not status_is_visible(status=quoting, viewer=self.viewer):
            # The revoker may not see the quoting status (a share they are not addressed by):
            # it answers without anything of what they may not see.
            body.update(HIDDEN)
        return Response(body)

    def interaction_policy(self, request, pk=None):
        """PUT /api/v1/statuses/:id/interaction_policy: the author's `quote_approval_policy`."""
        status = quote_services.status_quote_policy_update(
            account=self.viewer, status_id=parse_id(pk),
            policy=param_str(self.body, "quote_approval_policy"))
        return Response(show_status(status, self.viewer))

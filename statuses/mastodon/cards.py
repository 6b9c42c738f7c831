"""Mastodon's PreviewCard entity (spec 3.5) and GET /api/v1/statuses/:id/card."""

from rest_framework.response import Response

from accounts.mastodon.serializers import datetime_ms
from config import instance
from config.api.mastodon import MastodonViewSet, parse_id
from config.scopes import READ_STATUSES
from statuses.selectors.cards import status_card
from statuses.selectors.single import status_get_visible


def serialize_card(card) -> dict | None:
    """A PreviewCard, keys in Mastodon's order; `authors` holds the one author when the card
    names one (Mastodon 4.3+), no fediverse account."""
    if card is None:
        return None
    authors = []
    if card.author_name or card.author_url:
        authors.append({"name": card.author_name, "url": card.author_url, "account": None})
    return {
        "url": card.url,
        "title": card.title,
        "description": card.description,
        "language": card.language,
        "type": card.type,
        "author_name": card.author_name,
        "author_url": card.author_url,
        "provider_name": card.provider_name,
        "provider_url": card.provider_url,
        "html": card.html,
        "width": card.width,
        "height": card.height,
        "image": instance.absolute(card.image.url) if card.image else None,
        "image_description": card.image_description,
        "embed_url": card.embed_url,
        "blurhash": card.blurhash or None,
        "published_at": datetime_ms(card.published_at),
        "authors": authors,
    }


class StatusCardViewSet(MastodonViewSet):
    """GET /api/v1/statuses/:id/card: the card of a status the caller may see, or `{}`."""

    required_scopes = {"card": READ_STATUSES}

    def card(self, request, pk=None):
        status = status_get_visible(status_id=parse_id(pk), viewer=self.viewer)
        return Response(serialize_card(status_card(status)) or {})

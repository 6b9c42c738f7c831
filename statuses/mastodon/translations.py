"""Mastodon's Translation entity (spec 3.10) and its 503 messages for provider failures."""

from rest_framework.response import Response

from config.api.mastodon import MastodonError, MastodonViewSet
from statuses import translation

QUOTA_EXCEEDED = "The server-wide usage quota for the translation service has been exceeded."
TOO_MANY_REQUESTS = "There have been too many requests to the translation service recently."
SERVICE_UNAVAILABLE = "Service Unavailable"


def unavailable(exc: translation.TranslationError) -> MastodonError:
    """The 503 Mastodon answers for a provider failure (TranslationsController's rescues)."""
    if isinstance(exc, translation.QuotaExceeded):
        return MastodonError(503, QUOTA_EXCEEDED)
    if isinstance(exc, translation.TooManyRequests):
        return MastodonError(503, TOO_MANY_REQUESTS)
    return MastodonError(503, SERVICE_UNAVAILABLE)


def serialize_translation(result) -> dict:
    """REST::TranslationSerializer: `poll` is null without a poll; ids are strings."""
    return {
        "detected_source_language": result.detected_source_language,
        "language": result.language,
        "provider": result.provider,
        "spoiler_text": result.spoiler_text,
        "content": result.content,
        "poll": (
            {"id": str(result.poll[0]), "options": [{"title": t} for t in result.poll[1]]}
            if result.poll is not None else None
        ),
        "media_attachments": [{"id": str(pk), "description": description}
                              for pk, description in result.media],
    }


class TranslationLanguagesViewSet(MastodonViewSet):
    """GET /api/v1/instance/translation_languages: which languages the configured provider
    translates from (`und`: any, detected) into which; `{}` without a provider."""

    required_scopes = {}
    shared_cache_actions = frozenset({"languages"})

    def languages(self, request):
        provider = translation.configured()
        if provider is None:
            return Response({})
        try:
            found = provider.languages()
        except translation.TranslationError as exc:
            raise unavailable(exc) from exc
        return Response({("und" if source is None else source): sorted(targets)
                         for source, targets in found.items()})

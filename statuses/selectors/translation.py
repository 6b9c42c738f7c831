"""Translating a status (Mastodon's TranslateStatusService): who may, into what, and the cache.

The status itself is read by the caller through the one visibility rule; this module decides
whether that visible status may be translated, picks the target language, sends its texts to
the configured provider (statuses/translation.py) and keeps the result in Django's cache, per
status revision and target. Nothing is written to the database.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import nh3
from django.conf import settings
from django.core.cache import cache

from config import errors
from config.languages import normalize_language
from media.models import MediaKind
from statuses import html_text, translation
from statuses.selectors.page import media_of_statuses
from statuses.selectors.visibility import PUBLIC_LIKE

CACHE_TTL = 86400
NOT_ALLOWED = "This action is not allowed"
NOT_FOUND = "Not Found"

# What a provider's HTML may keep: the markup Mastodon puts in `content` (Mastodon's
# MASTODON_STRICT sanitizer), links forced to open safely.
_TAGS = {"p", "br", "span", "a", "del", "s", "pre", "blockquote", "code", "b", "strong", "u", "i",
         "em", "ul", "ol", "li"}
_ATTRIBUTES = {"a": {"href", "translate"}, "span": {"translate"}, "ol": {"start", "reversed"},
               "li": {"value"}}
_CLASSES = {"a": {"mention", "hashtag", "u-url", "status-link", "unhandled-link"},
            "span": {"h-card", "invisible", "ellipsis"}}
_SCHEMES = {"http", "https", "dat", "dweb", "ipfs", "ipns", "ssb", "gopher", "xmpp", "magnet",
            "gemini", "mailto"}


@dataclass(frozen=True)
class StatusTranslation:
    """A translated status, neutral to dialect: what Mastodon's Translation entity shows."""

    detected_source_language: str
    language: str
    provider: str
    content: str
    spoiler_text: str
    # (poll id, translated option titles in order), or None when the status has no poll.
    poll: tuple[int, list[str]] | None
    # (media id, translated description) for every media the status shows, in order.
    media: list[tuple[int, str]]


def _default_locale() -> str:
    return normalize_language(getattr(settings, "DEFAULT_LOCALE", "en")) or "en"


def _accept_language(header: str | None) -> str | None:
    """The most wanted language of an Accept-Language header that we know, if any."""
    if not header:
        return None
    wanted = []
    for position, item in enumerate(header.split(",")):
        name, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if name.strip() and name.strip() != "*" and quality > 0:
            wanted.append((-quality, position, name.strip()))
    for _, _, name in sorted(wanted):
        known = normalize_language(name)
        if known:
            return known
    return None


def request_locale(*, lang: str | None, accept_language: str | None) -> str:
    """The locale a request asks for, as Mastodon's: a known `lang` parameter, else the best
    known language of Accept-Language, else the default (DEFAULT_LOCALE, `en`)."""
    return normalize_language(lang) or _accept_language(accept_language) or _default_locale()


def _base(language: str) -> str:
    return language.replace("_", "-").split("-", 1)[0]


def _poll_of(status) -> tuple[int, list[str]] | None:
    """The status's poll as (id, option titles in order), or None (`has_poll` is a column: no
    query for a status without one)."""
    if not status.has_poll:
        return None
    poll = status.poll
    return poll.pk, [str(title) for title in poll.options]


def _media_of(status) -> list:
    return [m for m in media_of_statuses([status]).get(status.pk, [])
            if m.kind != MediaKind.SHARE]


def _clean_content(translated: str) -> str:
    """The provider's HTML reduced to what status content may hold: a provider is trusted to
    translate, not to write markup into everyone's timeline."""
    return nh3.clean(
        translated,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        allowed_classes=_CLASSES,
        clean_content_tags={"script", "style"},
        url_schemes=_SCHEMES,
        link_rel="nofollow noopener",
        set_tag_attribute_values={"a": {"target": "_blank"}},
    )


def _text(translated: str) -> str:
    """A translated plain text (sent escaped as HTML): the text the provider's HTML reads as."""
    return html_text.plain_text(translated)


def status_translate(*, status, locale: str) -> StatusTranslation:
    """`status` (visible to the caller: read it through the visibility rule first) translated
    into `locale`, or cut to its base language when the provider lacks the regional one.

    NotFound when no provider is configured; NotAllowed when the status is not public or
    unlisted, has no language, or the provider cannot translate its language into the target
    (the same language included); translation.TranslationError when the provider fails. A
    reblog translates its original. One translation per (status revision, target, provider) is
    kept in the cache for a day, so asking again costs the provider nothing.
    """
    proper = status.reblog_of if status.reblog_of_id is not None else status
    provider = translation.configured()
    if provider is None:
        raise errors.NotFound(NOT_FOUND)
    if proper.visibility not in PUBLIC_LIKE or not proper.language:
        raise errors.NotAllowed(NOT_ALLOWED)
    source = proper.language
    targets = provider.languages().get(source) or []
    target = locale if locale in targets else _base(locale)
    if target not in targets:
        raise errors.NotAllowed(NOT_ALLOWED)

    revision = (proper.edited_at or proper.created_at).timestamp()
    key = f"translation:status:{provider.cache_prefix}:{proper.pk}:{revision}:{target}"
    found = cache.get(key)
    if found is not None:
        return found
    result = _translate(proper, provider, source, target)
    cache.set(key, result, CACHE_TTL)
    return result


def _translate(status, provider: translation.Provider, source: str, target: str
               ) -> StatusTranslation:
    # Each text is sent as HTML (plain ones escaped), all in one request, and read back by
    # position: content, spoiler, poll options, then media descriptions.
    texts: list[str] = []
    if status.text.strip():
        texts.append(status.html)
    has_content = bool(texts)
    if status.spoiler_text:
        texts.append(html.escape(status.spoiler_text))
    has_spoiler = bool(status.spoiler_text)
    poll = _poll_of(status)
    if poll is not None:
        texts.extend(html.escape(title) for title in poll[1])
    media = _media_of(status)
    described = [m for m in media if m.description]
    texts.extend(html.escape(m.description) for m in described)

    results = provider.translate(texts, source, target) if texts else []
    queue = list(results)
    content = _clean_content(queue.pop(0).text) if has_content else ""
    spoiler_text = _text(queue.pop(0).text) if has_spoiler else ""
    translated_poll = None
    if poll is not None:
        translated_poll = (poll[0], [_text(queue.pop(0).text) for _ in poll[1]])
    descriptions = {m.pk: _text(queue.pop(0).text) for m in described}
    first = results[0] if results else None
    return StatusTranslation(
        detected_source_language=(first.detected_source_language if first else None) or source,
        language=target,
        provider=first.provider if first else provider.name,
        content=content,
        spoiler_text=spoiler_text,
        poll=translated_poll,
        media=[(m.pk, descriptions.get(m.pk, "")) for m in media],
    )

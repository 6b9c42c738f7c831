"""Preview cards: which link of a status gets one, scheduling the crawl, and the crawl itself.

Mastodon fills `card` after the post, in LinkCrawlWorker (spec items 53 and 85). Here a write
that may need a card (a create, or an edit that changed the text) calls
`status_card_schedule` inside its transaction; the crawl task runs after the commit, fetches
the first eligible link through `media.fetch` (the one safe outbound fetcher: public
addresses only, redirects re-checked, bounded), builds one `PreviewCard` per URL, stores its
image like media (resized, with a blurhash) and points the status at it. Every failure leaves
`card` null: nothing is retried and nothing reaches a client.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from config import instance, jobs
from config.languages import normalize_language
from media import fetch, processing
from statuses import html_text
from statuses.models import PreviewCard, PreviewCardType, Status

logger = logging.getLogger(__name__)

# A card younger than this is reused as it is; an older one (or one whose image failed) is
# fetched again. Mastodon's FetchLinkCardService uses two weeks.
CARD_REFRESH_AFTER = timedelta(days=14)
# Mastodon's PreviewCard image limit.
CARD_IMAGE_MAX_BYTES = 8 * 1024 * 1024
_IMAGE_ACCEPT = "image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1"


# --------------------------------------------------------------------------- which link


class _Links(HTMLParser):
    """The hrefs of a rendered status's links, in order, less mentions and hashtags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self._h_card = 0  # depth inside <span class="h-card"> (a mention's wrapper)
        self._spans: list[bool] = []

    def handle_starttag(self, tag, attrs):
        values = {k.lower(): (v or "") for k, v in attrs}
        classes = set(values.get("class", "").lower().split())
        if tag == "span":
            is_card = "h-card" in classes
            self._spans.append(is_card)
            self._h_card += is_card
            return
        if tag != "a" or not values.get("href") or self._h_card:
            return
        rels = set(values.get("rel", "").lower().split())
        if "tag" in rels or classes & {"mention", "hashtag", "u-url", "h-card"}:
            return
        self.hrefs.append(values["href"].strip())

    def handle_endtag(self, tag):
        if tag == "span" and self._spans:
            self._h_card -= self._spans.pop()


def _local(url: str) -> bool:
    """A link to this server itself (Mastodon's TagManager#local_url?)."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
        port = parts.port
    except ValueError:
        return True
    default = 443 if parts.scheme.lower() == "https" else 80
    netloc = host if port in (None, default) else f"{host}:{port}"
    local = instance.local_domain()
    return netloc == local or host == local


def card_url(status: Status) -> str | None:
    """The link a status's card is for: the first http(s) link of its text that is not a
    mention, a hashtag or a link to this server, normalised as the fetcher reads it; None
    when there is none. (The first link, as on Mastodon: a later one is never tried.)"""
    if "<a" not in status.html:
        return None
    parser = _Links()
    parser.feed(status.html)
    parser.close()
    for href in parser.hrefs:
        if not href.lower().startswith(("http://", "https://")):
            continue
        try:
            url = fetch.normalise_url(href)
        except fetch.FetchError:
            continue
        if not _local(url):
            return url
    return None


def _wants_card(status: Status) -> bool:
    """Mastodon crawls neither reblogs nor statuses with media or a quote (spec item 53)."""
    return (
        status.reblog_of_id is None
        and status.deleted_at is None
        and not status.media_count
        and status.quote_of_id is None
    )


# --------------------------------------------------------------------------- scheduling


def status_card_schedule(*, status: Status, text_changed: bool = True) -> None:
    """Call inside a create's or an edit's transaction. An edit that changed the text drops
    the card it had (item 85); the crawl task is enqueued once the write commits, and only
    when the status has a link that could get a card, so a plain post costs nothing."""
    if not text_changed:
        return
    if status.card_id is not None:
        Status.objects.filter(pk=status.pk).update(card=None)
        status.card = None
    if not _wants_card(status) or card_url(status) is None:
        return
    status_id = status.pk

    def enqueue() -> None:
        try:
            jobs.task("statuses.tasks.crawl_status_card").enqueue(status_id)
        except Exception:  # a queue that is down must not fail the post that already committed
            logger.exception("could not enqueue the preview card crawl of status %s", status_id)

    transaction.on_commit(enqueue)


# --------------------------------------------------------------------------- the crawl


def _url_hash(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def _language(value: str | None) -> str | None:
    """og:locale or <html lang> ("en_US", "pt-BR") -> its language code, if a known one."""
    if not value:
        return None
    code = value.strip().replace("_", "-").split("-")[0]
    return normalize_language(code) if code else None


def _published(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _player_html(src: str, width: int, height: int) -> str:
    """Mastodon's iframe for a page's twitter:player, then sanitised like oEmbed HTML."""
    return html_text.sanitize_embed(
        f'<iframe src="{escape(src)}" width="{width}" height="{height}" allowfullscreen="true" '
        f'allowtransparency="true" scrolling="no" frameborder="0"></iframe>'
    )


class _Draft:
    """What a fetch found, before it is written onto the card row."""

    def __init__(self) -> None:
        self.fields: dict = {}
        self.image_url: str | None = None


def _from_oembed(embed: fetch.OEmbed) -> _Draft | None:
    """Mastodon's attempt_oembed: a link keeps its thumbnail, a photo shows its url, a video
    its sanitised player; a rich embed (scripts, mostly) is not used."""
    draft = _Draft()
    fields = dict(
        type=embed.type, title=embed.title, description="", author_name=embed.author_name,
        author_url=embed.author_url, provider_name=embed.provider_name,
        provider_url=embed.provider_url, html="", width=0, height=0, embed_url="",
        image_description="",
    )
    if embed.type == "link":
        draft.image_url = embed.thumbnail_url
    elif embed.type == "photo":
        fields.update(embed_url=embed.url, width=embed.width, height=embed.height)
        draft.image_url = embed.url
    elif embed.type == "video":
        html = html_text.sanitize_embed(embed.html)
        if not html:
            return None
        fields.update(html=html, width=embed.width, height=embed.height)
        draft.image_url = embed.thumbnail_url
    else:
        return None
    draft.fields = fields
    return draft


def _from_page(page: fetch.LinkPreview) -> _Draft | None:
    """Mastodon's LinkDetailsExtractor: OpenGraph, then Twitter tags, then the <title>; a page
    with a player is a video. A page with neither a title nor a player makes no card."""
    draft = _Draft()
    html = ""
    kind = PreviewCardType.LINK
    if page.player_url and not _local(page.player_url):
        kind = PreviewCardType.VIDEO
        html = _player_html(page.player_url, page.player_width, page.player_height)
    if page.type == "photo":  # the link is an image itself
        kind = PreviewCardType.PHOTO
    if not page.title and not html and kind != PreviewCardType.PHOTO:
        return None
    draft.fields = dict(
        type=kind, title=page.title, description=page.description,
        author_name=page.author_name, author_url=page.author_url,
        provider_name=page.provider_name, provider_url=page.provider_url, html=html,
        width=page.player_width if html else 0, height=page.player_height if html else 0,
        embed_url=page.embed_url if kind != PreviewCardType.PHOTO else (page.image or ""),
        image_description=page.image_description,
        language=_language(page.language), published_at=_published(page.published_at),
    )
    draft.image_url = page.image
    return draft


def _discover(url: str) -> _Draft | None:
    """Fetch the page (and its oEmbed answer, when it offers one): oEmbed first, as Mastodon
    does, then the page's own tags. Raises FetchError."""
    page = fetch.link_preview(url)
    if page.oembed_url:
        try:
            embed = fetch.fetch_oembed(page.oembed_url)
        except fetch.FetchError as exc:
            logger.info("oEmbed of %s failed: %s", url, exc.reason)
            embed = None
        draft = _from_oembed(embed) if embed is not None else None
        if draft is not None:
            # The page knows its language and date even when its provider does not say.
            draft.fields.update(language=_language(page.language),
                                published_at=_published(page.published_at))
            return draft
    return _from_page(page)


def _image(url: str | None) -> processing.Processed | None:
    """The card's image, fetched through the same fetcher and processed like an upload: its
    preview rendition (Mastodon's 640x360-sized card image) and its blurhash; None if it
    cannot be had."""
    if not url:
        return None
    try:
        result = fetch.fetch(url, accept=_IMAGE_ACCEPT, truncate=False,
                             max_bytes=CARD_IMAGE_MAX_BYTES)
        return processing.process(result.body, image_limit=CARD_IMAGE_MAX_BYTES,
                                  allow=frozenset({"image", "gifv"}))
    except fetch.FetchError as exc:
        logger.info("card image %s could not be fetched: %s", url, exc.reason)
    except processing.MediaRejected as exc:
        logger.info("card image %s was refused: %s", url, exc.message)
    return None


def _fresh(card: PreviewCard) -> bool:
    return card.fetched_at > timezone.now() - CARD_REFRESH_AFTER


def _store(url: str, draft: _Draft, image: processing.Processed | None) -> PreviewCard:
    """Create or refresh the one card of `url` (two crawls of one URL may race: the unique
    hash decides, the loser updates the winner's row)."""
    fields = {key: draft.fields.get(key, default) for key, default in (
        ("type", PreviewCardType.LINK), ("title", ""), ("description", ""),
        ("author_name", ""), ("author_url", ""), ("provider_name", ""), ("provider_url", ""),
        ("html", ""), ("width", 0), ("height", 0), ("embed_url", ""),
        ("image_description", ""), ("language", None), ("published_at", None),
    )}
    for key in ("title", "description", "author_name", "provider_name", "image_description"):
        fields[key] = fields[key] or ""
    fields["width"] = min(int(fields["width"] or 0), 100_000)
    fields["height"] = min(int(fields["height"] or 0), 100_000)
    fields["fetched_at"] = timezone.now()
    fields["blurhash"] = ""
    name = None
    if image is not None and image.small is not None:
        name = secrets.token_hex(16) + (".png" if image.small_content_type == "image/png"
                                        else ".jpg")
        fields["blurhash"] = image.blurhash or ""
        if fields["type"] == PreviewCardType.LINK:
            # A link card's size is its image's (Mastodon's extract_dimensions).
            small = image.meta.get("small") or {}
            fields["width"], fields["height"] = small.get("width", 0), small.get("height", 0)
    key = _url_hash(url)
    storage = PreviewCard.image.field.storage
    stored_name = ""
    if name is not None:
        stored_name = storage.save(
            PreviewCard._meta.get_field("image").generate_filename(None, name),
            ContentFile(image.small),
        )
    try:
        with transaction.atomic():
            PreviewCard.objects.get_or_create(url_hash=key, defaults={"url": url})
            card = PreviewCard.objects.select_for_update().get(url_hash=key)
            old_image = card.image.name or ""
            for attr, value in fields.items():
                setattr(card, attr, value)
            card.image.name = stored_name
            card.save()
            if old_image and old_image != stored_name:
                transaction.on_commit(lambda: storage.delete(old_image))
    except BaseException:
        if stored_name:
            storage.delete(stored_name)
        raise
    return card


def status_card_crawl(*, status_id: int) -> PreviewCard | None:
    """The crawl task's body: give the status the card of its first link, or leave it without
    one. Never raises for anything a remote page can do."""
    status = Status.objects.filter(pk=status_id).first()
    if status is None or not _wants_card(status) or status.card_id is not None:
        return None
    url = card_url(status)
    if url is None:
        return None
    card = PreviewCard.objects.filter(url_hash=_url_hash(url)).first()
    if card is None or not _fresh(card):
        try:
            draft = _discover(url)
        except fetch.FetchError as exc:
            logger.info("no preview card for %s: %s", url, exc.reason)
            return None
        if draft is None:
            return None
        card = _store(url, draft, _image(draft.image_url))
    # Only if the status is still the one that was read: an edit meanwhile schedules its own
    # crawl, and a status that gained media or a quote, or was deleted, gets no card.
    linked = Status.objects.filter(
        pk=status.pk, edited_at=status.edited_at, card__isnull=True, deleted_at__isnull=True,
        media_count=0, quote_of__isnull=True,
    ) if status.edited_at is not None else Status.objects.filter(
        pk=status.pk, edited_at__isnull=True, card__isnull=True, deleted_at__isnull=True,
        media_count=0, quote_of__isnull=True,
    )
    if not linked.update(card=card):
        return None
    return card

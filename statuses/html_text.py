"""SelfCommunity's HTML text: sanitising, mentions and hashtags, and the renderings derived from it.

Pure Python like `rendering`: accounts are resolved by the caller. A SelfCommunity `text` is HTML;
it is cleaned with nh3 to a small allow-list, then walked once to produce

* the SelfCommunity `html`, mentions as ``<mention extid=".." id="..">@name</mention>``;
* the Mastodon `content`, mentions and hashtags as Mastodon's links, wrapped in a paragraph;
* the plain text (tags stripped, mentions kept as ``@name``) behind `summary` and `slug`.
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote

import nh3
import regex
from django.utils.html import escape
from django.utils.text import slugify

from statuses import rendering

SUMMARY_LENGTH = 180
SLUG_LENGTH = 50

_BLOCKS = {"p", "div", "ul", "ol", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
ALLOWED_TAGS = _BLOCKS | {"br", "b", "strong", "i", "em", "u", "s", "del", "code", "span", "a",
                          "mention", "hashtag"}
_ATTRIBUTES = {"a": {"href", "title"}, "mention": {"id", "ext-id", "extid"}, "hashtag": {"id"}}
_VOID = {"br"}
# A mention as SelfCommunity writes it in text: @ and a username, not inside a word or address.
_MENTION_RE = regex.compile(r"(?<![\p{L}\p{N}_@/.])@([A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_])?)")


@dataclass(frozen=True)
class MentionTarget:
    """A resolved account, as the renderings need it."""

    id: int
    username: str
    ext_id: int | None
    url: str


@dataclass
class Scan:
    """What a text asks for: mentioned usernames (lowercased) and hashtag category ids."""

    usernames: list[str] = field(default_factory=list)
    category_ids: list[int] = field(default_factory=list)


@dataclass
class Rendered:
    html: str  # SelfCommunity html
    content: str  # Mastodon content
    plain: str  # tags stripped, mentions as @username
    mentioned: list[MentionTarget]
    hashtags: list[str]  # normalised names, for Mastodon's `tags`


def sanitize(text: str) -> str:
    """The HTML a SelfCommunity client sent, reduced to the allow-list (no scripts, handlers,
    styles, images or foreign schemes)."""
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=_ATTRIBUTES,
        clean_content_tags={"script", "style"},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    ).strip()


class _Tokens(HTMLParser):
    """The sanitised HTML as a flat list of (kind, tag or text, attrs)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple[str, str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("start", tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tokens.append(("start", tag, attrs))
        if tag not in _VOID:
            self.tokens.append(("end", tag, []))

    def handle_endtag(self, tag):
        self.tokens.append(("end", tag, []))

    def handle_data(self, data):
        self.tokens.append(("text", data, []))


def _tokens(clean_html: str):
    parser = _Tokens()
    parser.feed(clean_html)
    parser.close()
    return parser.tokens


def _attr(attrs, name: str) -> str | None:
    for key, value in attrs:
        if key == name:
            return value
    return None


def _int(value) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def _text_mentions(text: str) -> list[str]:
    return [m.group(1) for m in _MENTION_RE.finditer(text)]


def scan(clean_html: str) -> Scan:
    """The usernames to resolve and the categories named by ``<hashtag id>`` elements."""
    result = Scan()
    inside: list[str] = []
    for kind, value, attrs in _tokens(clean_html):
        if kind == "start":
            if value not in _VOID:
                inside.append(value)
            if value == "hashtag":
                category = _int(_attr(attrs, "id"))
                if category is not None and category not in result.category_ids:
                    result.category_ids.append(category)
        elif kind == "end":
            if value in inside:
                del inside[len(inside) - 1 - inside[::-1].index(value):]
        elif "a" not in inside and "hashtag" not in inside:
            for name in _text_mentions(value):
                if name.lower() not in result.usernames:
                    result.usernames.append(name.lower())
    return result


def _start(tag: str, attrs) -> str:
    parts = [tag]
    for key, value in attrs:
        parts.append(key if value is None else f'{key}="{escape(value)}"')
    return "<" + " ".join(parts) + ">"


def _sc_mention(target: MentionTarget) -> str:
    ext = f'extid="{target.ext_id}" ' if target.ext_id is not None else ""
    return f'<mention {ext}id="{target.id}">@{escape(target.username)}</mention>'


def _mastodon_mention(target: MentionTarget) -> str:
    return (f'<span class="h-card" translate="no"><a href="{escape(target.url)}" '
            f'class="u-url mention">@<span>{escape(target.username)}</span></a></span>')


def _mastodon_hashtag(name: str, tags_base_url: str) -> str:
    return (f'<a href="{escape(tags_base_url + quote(name, safe=""))}" class="mention hashtag" '
            f'rel="tag">#<span>{escape(name)}</span></a>')


def render(clean_html: str, *, resolved: Mapping[str, MentionTarget], tags_base_url: str
           ) -> Rendered:
    """Both renderings and the plain text of sanitised HTML, given the accounts that its
    mentions resolved to (keyed by lowercased username). Unresolved mentions stay plain text."""
    sc: list[str] = []
    mastodon: list[str] = []
    plain: list[str] = []
    mentioned: list[MentionTarget] = []
    hashtags: list[str] = []
    inside: list[str] = []
    capture: list[str] | None = None  # the text of the <mention> or <hashtag> being read
    capture_attrs: list = []

    def mention(target: MentionTarget) -> None:
        sc.append(_sc_mention(target))
        mastodon.append(_mastodon_mention(target))
        plain.append("@" + target.username)
        if target not in mentioned:
            mentioned.append(target)

    def text_run(text: str) -> None:
        if "a" in inside:
            for out in (sc, mastodon):
                out.append(escape(text))
            plain.append(text)
            return
        position = 0
        for match in _MENTION_RE.finditer(text):
            target = resolved.get(match.group(1).lower())
            if target is None:
                continue
            before = text[position:match.start()]
            sc.append(escape(before))
            mastodon.append(_hashtag_links(before))
            plain.append(before)
            mention(target)
            position = match.end()
        rest = text[position:]
        sc.append(escape(rest))
        mastodon.append(_hashtag_links(rest))
        plain.append(rest)

    def _hashtag_links(text: str) -> str:
        out, position = [], 0
        for name in rendering.extract_hashtags(text):
            at = text.find("#" + name, position)
            if at < 0:
                continue
            normal = rendering.normalize_hashtag(name)
            out.append(escape(text[position:at]))
            out.append(_mastodon_hashtag(name, tags_base_url))
            if normal and normal not in hashtags:
                hashtags.append(normal)
            position = at + 1 + len(name)
        out.append(escape(text[position:]))
        return "".join(out)

    for kind, value, attrs in _tokens(clean_html):
        if capture is not None:
            if kind == "text":
                capture.append(value)
                continue
            if kind == "end" and value == inside[-1]:
                inside.pop()
                words = "".join(capture)
                capture = None
                if value == "mention":
                    target = resolved.get(words.strip().lstrip("@").lower())
                    if target is not None:
                        mention(target)
                    else:
                        text_run(words)
                else:  # hashtag: SelfCommunity keeps the element, Mastodon links the name
                    name = words.strip().lstrip("#")
                    category = _int(_attr(capture_attrs, "id"))
                    sc.append((f'<hashtag id="{category}">' if category else "<hashtag>")
                              + f"#{escape(name)}</hashtag>")
                    normal = rendering.normalize_hashtag(name) if name else ""
                    if normal:
                        mastodon.append(_mastodon_hashtag(name, tags_base_url))
                        if normal not in hashtags:
                            hashtags.append(normal)
                    else:
                        mastodon.append(escape("#" + name))
                    plain.append("#" + name)
            continue  # markup inside a mention or hashtag is dropped
        if kind == "start":
            if value in ("mention", "hashtag"):
                inside.append(value)
                capture, capture_attrs = [], attrs
                continue
            markup = _start(value, attrs)
            sc.append(markup)
            mastodon.append(markup)
            if value not in _VOID:
                inside.append(value)
        elif kind == "end":
            if value in inside:
                while inside:
                    closing = inside.pop()
                    sc.append(f"</{closing}>")
                    mastodon.append(f"</{closing}>")
                    if closing == value:
                        break
        else:
            text_run(value)
    while inside:
        closing = inside.pop()
        if closing not in ("mention", "hashtag"):
            sc.append(f"</{closing}>")
            mastodon.append(f"</{closing}>")
    content = _paragraphs("".join(mastodon))
    return Rendered(html="".join(sc), content=content, plain="".join(plain),
                    mentioned=mentioned, hashtags=hashtags)


class _Raw(HTMLParser):
    """Top-level pieces of well-formed HTML, verbatim, each marked as a block or not."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.pieces: list[tuple[bool, str]] = []
        self.depth = 0
        self.current: list[str] = []
        self.block = False

    def _emit(self, raw: str) -> None:
        if self.depth == 0 and not self.current:
            self.block = False
        self.current.append(raw)
        if self.depth == 0:
            self.pieces.append((self.block, "".join(self.current)))
            self.current = []

    def handle_starttag(self, tag, attrs):
        raw = self.get_starttag_text() or f"<{tag}>"
        if tag in _VOID:
            self._emit(raw)
            return
        if self.depth == 0:
            self.block = tag in _BLOCKS
        self.depth += 1
        self.current.append(raw)

    def handle_endtag(self, tag):
        self.depth = max(self.depth - 1, 0)
        self._emit(f"</{tag}>")

    def handle_data(self, data):
        self._emit(data)

    def handle_entityref(self, name):
        self._emit(f"&{name};")

    def handle_charref(self, name):
        self._emit(f"&#{name};")


def _paragraphs(content: str) -> str:
    """Mastodon content is a sequence of blocks: runs of inline content between blocks become
    paragraphs (whitespace between blocks is dropped)."""
    if not content:
        return ""
    parser = _Raw()
    parser.feed(content)
    parser.close()
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        text = "".join(run)
        if text.strip():
            out.append(f"<p>{text.strip()}</p>")
        run.clear()

    for is_block, raw in parser.pieces:
        if is_block:
            flush()
            out.append(raw)
        else:
            run.append(raw)
    flush()
    return "".join(out)


def plain_text(any_html: str) -> str:
    """Tags stripped and entities decoded: what a reader sees, without layout."""
    parser = _Tokens()
    parser.feed(any_html or "")
    parser.close()
    return "".join(value for kind, value, _ in parser.tokens if kind == "text")


def summary(plain: str) -> str:
    """SelfCommunity's `summary`: the plain text, cut at 180 characters with " ...", escaped."""
    plain = plain.strip()
    if len(plain) > SUMMARY_LENGTH:
        plain = plain[:SUMMARY_LENGTH] + " ..."
    return escape(plain)


def slug(plain: str) -> str:
    """A URL slug of the text's first words (transliterated by slugify's NFKD fold)."""
    value = slugify(html_lib.unescape(plain))[:SLUG_LENGTH].strip("-")
    return value


def sc_html_from_mastodon(content: str, mention_targets: Callable[[str], MentionTarget | None]
                          ) -> str:
    """SelfCommunity html for a status Mastodon rendered: the same markup, each mention link
    replaced by a ``<mention>`` element (others are kept as links)."""

    def replace(match: regex.Match) -> str:
        target = mention_targets(html_lib.unescape(match.group(1)))
        return _sc_mention(target) if target is not None else match.group(0)

    return _MASTODON_MENTION_RE.sub(replace, content)


_MASTODON_MENTION_RE = regex.compile(
    r'<span class="h-card" translate="no"><a href="([^"]*)" class="u-url mention">@<span>'
    r"[^<]*</span></a></span>"
)


# Mastodon's MASTODON_OEMBED allow-list: embedded players and nothing else, http(s) sources only.
_OEMBED_TAGS = {"audio", "embed", "iframe", "source", "video"}
_OEMBED_ATTRIBUTES = {
    "audio": {"controls"},
    "embed": {"height", "src", "type", "width"},
    "iframe": {"allowfullscreen", "frameborder", "height", "scrolling", "src", "width"},
    "source": {"src", "type"},
    "video": {"controls", "height", "loop", "width"},
}


def sanitize_embed(html: str) -> str:
    """A provider's oEmbed (or a page's player) HTML reduced to the player elements a preview
    card may carry: no scripts, handlers, styles or foreign schemes."""
    return nh3.clean(
        html,
        tags=_OEMBED_TAGS,
        attributes=_OEMBED_ATTRIBUTES,
        clean_content_tags={"script", "style"},
        url_schemes={"http", "https"},
        link_rel=None,
    ).strip()

"""Plain text to Mastodon HTML, and the text rules (length, mentions, hashtags) both dialects share.

This module is pure Python: no Django models, no settings, no database. It re-implements what
Mastodon's ``TextFormatter`` does with a plain-text status (entity extraction the way Mastodon
configures twitter-text, HTML escaping, ``simple_format`` paragraphs) together with the text rules
that the API applies before storing a status:

* ``status_length``: the ``StatusLengthValidator`` count (grapheme clusters; a URL counts 23, a
  remote mention counts as its local part).
* ``extract_mentions`` / ``normalize_mentions``: what ``ProcessMentionsService`` scans for, and the
  rewrite of each resolved mention to ``@acct``.
* ``extract_hashtags`` / ``normalize_hashtag``: ``Tag::HASHTAG_RE`` and ``HashtagNormalizer``.
* ``render_plain``: the HTML ``content`` of a plain-text status.

Account and tag look-ups are the caller's business: this module only receives the results
(``MentionRef`` values, a tag base URL).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import quote

import regex

__all__ = [
    "MentionRef",
    "extract_hashtags",
    "extract_mentions",
    "normalize_hashtag",
    "normalize_mentions",
    "render_plain",
    "status_length",
]


@dataclass(frozen=True)
class MentionRef:
    """What the caller resolved for one mention."""

    username: str  # canonical username, e.g. "alice"
    url: str  # profile URL, e.g. "https://example.com/@alice"
    acct: str  # "alice" for local accounts, "bob@remote.example" for remote ones


# ---------------------------------------------------------------------------------------------
# Character classes.
#
# Ruby's POSIX brackets on UTF-8 strings (see Ruby's enc-unicode.rb): [[:alpha:]] is the
# Alphabetic property, [[:alnum:]] = Alphabetic | Nd, [[:word:]] = Alphabetic | M | Nd | Pc.
# Python's \w is close but not equal, so the classes are spelled out.
# ---------------------------------------------------------------------------------------------

_WORD = r"\p{Alphabetic}\p{M}\p{Nd}\p{Pc}"
_ALPHA = r"\p{Alphabetic}"
_ALNUM = r"\p{Alphabetic}\p{Nd}"

# twitter-text's LATIN_ACCENTS (used by the end-of-mention rule and the old URL path classes).
_LATIN_ACCENTS = (
    r"\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF\u0100-\u024F\u0253\u0254\u0256\u0257\u0259"
    r"\u025B\u0263\u0268\u026F\u0272\u0289\u028B\u02BB\u0300-\u036F\u1E00-\u1EFF"
)
_DIRECTIONAL = r"\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069"
_INVALID_CHARS = r"\uFFFE\uFEFF\uFFFF"
_UNICODE_SPACES = (
    r"\u0009-\u000D\u0020\u0085\u00A0\u1680\u180E\u2000-\u200A\u2028\u2029\u202F\u205F\u3000"
)

# ---------------------------------------------------------------------------------------------
# Mentions: Account::MENTION_RE, case-insensitive.
#   (?<![=/[:word:]])@((USERNAME)(?:@[[:word:].-]+[[:word:]]+)?)
#   USERNAME = [a-z0-9_]+([a-z0-9_.-]+[a-z0-9_]+)?
# The username and domain parts are rewritten into equivalent forms (same language, same greedy
# result: the longest run that ends on a word character) that cannot backtrack badly.
# ---------------------------------------------------------------------------------------------

_USERNAME = r"[a-zA-Z0-9_](?:[a-zA-Z0-9_.\-]*[a-zA-Z0-9_])?"
_MENTION_RE = regex.compile(
    rf"(?<![=/{_WORD}])@((?P<username>{_USERNAME})(?:@(?P<domain>[{_WORD}.\-]+[{_WORD}]))?)"
)
# twitter-text's end_mention_match: a mention directly followed by one of these is not one.
_END_MENTION_RE = regex.compile(rf"[@\uFF20]|[{_LATIN_ACCENTS}]|://")
_MAX_DOMAIN_LENGTH = 253

# ---------------------------------------------------------------------------------------------
# Hashtags: Tag::HASHTAG_RE.
#   SEPARATORS = "_\u00B7\u30FB\u200c"
#   FIRST = [[:word:]_][[:word:]SEP]*[[:alpha:]SEP][[:word:]SEP]*[[:word:]_]
#   LAST  = [[:word:]_]*[[:alpha:]][[:word:]_]*
#   (?<![=/)\p{Alnum}])#(FIRST|LAST)
# ---------------------------------------------------------------------------------------------

_SEPARATORS = r"_\u00B7\u30FB\u200C"
_HASHTAG_FIRST = (
    rf"[{_WORD}][{_WORD}{_SEPARATORS}]*[{_ALPHA}{_SEPARATORS}][{_WORD}{_SEPARATORS}]*[{_WORD}]"
)
_HASHTAG_LAST = rf"[{_WORD}]*[{_ALPHA}][{_WORD}]*"
# The pattern itself, kept as the reference; the scan below gives the same matches in linear
# time (no quadratic backtracking on inputs like "#1" followed by many middle dots).
_HASHTAG_RE = regex.compile(rf"(?<![=/){_ALNUM}])#({_HASHTAG_FIRST}|{_HASHTAG_LAST})")
# Both alternatives live inside the run of word characters and separators after the '#':
# FIRST is that run up to its last word character, if something in between is a letter or a
# separator; failing that, LAST is the leading run of word characters, if it holds a letter.
_HASHTAG_CANDIDATE_RE = regex.compile(rf"(?<![=/){_ALNUM}])#([{_WORD}{_SEPARATORS}]+)")
_WORD_CHAR_RE = regex.compile(rf"[{_WORD}]")
_WORD_RUN_RE = regex.compile(rf"[{_WORD}]+")
_ALPHA_RE = regex.compile(rf"[{_ALPHA}]")
_ALPHA_OR_SEPARATOR_RE = regex.compile(rf"[{_ALPHA}{_SEPARATORS}]")
_NON_WORD_SEPARATORS = "\u00b7\u30fb\u200c"
# A tag glued to a URL ("#foohttps://...") gives its trailing scheme back.
_HASHTAG_SCHEME_TAIL_RE = regex.compile(r"(.+)(https?)\Z")
# Thai tone marks are not Alphabetic; Mastodon keeps them explicitly.
_HASHTAG_INVALID_CHARS_RE = regex.compile(rf"[^{_ALNUM}\u0E47-\u0E4E{_SEPARATORS}]")

# ---------------------------------------------------------------------------------------------
# URLs: twitter-text's valid_url as Mastodon's config/initializers/twitter_regex.rb patches it.
# ---------------------------------------------------------------------------------------------

# Preceding character: not a letter/digit, '@', '$', '#' (ASCII or full width), or line start.
_URL_BEFORE = rf"(?:[^A-Za-z0-9@\uFF20$#\uFF03{_INVALID_CHARS}]|^)"

# Domain characters: anything but ASCII punctuation, spaces, controls, directional marks.
_DOMAIN_CHAR = (
    rf"[^\x00-\x20\x21-\x2F\x3A-\x40\x5B-\x60\x7B-\x7F{_DIRECTIONAL}{_INVALID_CHARS}"
    rf"{_UNICODE_SPACES}]"
)
# A label is always followed by '.', and '.' is not a label character, so a label can only end
# at the next dot: the atomic groups change nothing but the cost of a failed attempt.
_SUBDOMAIN = rf"(?>{_DOMAIN_CHAR}(?:[_\-]*{_DOMAIN_CHAR})*)\."
_DOMAIN_NAME = rf"(?>{_DOMAIN_CHAR}(?:-*{_DOMAIN_CHAR})*)\."
# twitter-text accepts only the TLDs of its bundled list; any alphabetic label stands in here
# (ASCII letters, or a run of non-ASCII letters for IDN TLDs), or a punycode label.
_TLD_END = r"(?=[^0-9a-zA-Z@+\-]|$)"
_TLD = (
    rf"(?:[a-zA-Z]{{2,63}}{_TLD_END}"
    r"|[xX][nN]--[0-9a-zA-Z]+"
    rf"|(?:(?=[^\x00-\x7F])[{_ALPHA}]){{2,63}}{_TLD_END})"
)
_DOMAIN = rf"(?:{_SUBDOMAIN})*{_DOMAIN_NAME}{_TLD}"

# Path. Mastodon replaces the general path characters and the balanced parentheses, but its
# new path-ending rule was built while valid_url_balanced_parens still held twitter-text's
# original definition, so the ending alternative keeps the original (narrower) characters.
_PATH_CHAR = r"[^\p{White_Space}<>()?]"
_OLD_PATH_CHAR = rf"[a-zA-Z\p{{Script=Cyrillic}}0-9!*';:=+,.$/%#\[\]\p{{Pd}}_~&|@{_LATIN_ACCENTS}]"
_OLD_BALANCED_PARENS = (
    rf"\((?:{_OLD_PATH_CHAR}+|{_OLD_PATH_CHAR}*\({_OLD_PATH_CHAR}+\){_OLD_PATH_CHAR}*)\)"
)
_BALANCED_PARENS = rf"\((?:{_PATH_CHAR}+|{_PATH_CHAR}*\({_PATH_CHAR}+\){_PATH_CHAR}*)\)"
_PATH_ENDING = (
    r"(?:[^\p{White_Space}()?!*\"'\u300C\u300D<>;:=,.$%\[\]~&|@]"
    rf"|{_OLD_BALANCED_PARENS})"
)
_PATH_SEGMENT = (
    rf"(?:{_PATH_CHAR}*(?:{_BALANCED_PARENS}{_PATH_CHAR}*)*{_PATH_ENDING}|{_PATH_CHAR}+/)"
)

# Query string, with Mastodon's extra Unicode ranges.
_UCHARS = (
    r"\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF\U00010000-\U0001FFFD\U00020000-\U0002FFFD"
    r"\U00030000-\U0003FFFD\U00040000-\U0004FFFD\U00050000-\U0005FFFD\U00060000-\U0006FFFD"
    r"\U00070000-\U0007FFFD\U00080000-\U0008FFFD\U00090000-\U0009FFFD\U000A0000-\U000AFFFD"
    r"\U000B0000-\U000BFFFD\U000C0000-\U000CFFFD\U000D0000-\U000DFFFD\U000E1000-\U000EFFFD"
    r"\uE000-\uF8FF\U000F0000-\U000FFFFD\U00100000-\U0010FFFD"
)
_QUERY_CHAR = rf"[a-zA-Z0-9!?*'();:&=+$/%#\[\]\-_.,~|@\^{_UCHARS}]"
_QUERY_ENDING = rf"[a-zA-Z0-9_&=#/\-{_UCHARS}]"
_QUERY = rf"\?{_QUERY_CHAR}*{_QUERY_ENDING}"

_PROTOCOL = r"(?i:https?|dat|dweb|ipfs|ipns|ssb|gopher|gemini)://"

# valid_url without its leading "preceding character" group, which _scan_urls applies itself.
_URL_RE = regex.compile(
    rf"(?P<protocol>{_PROTOCOL})?"
    rf"(?P<domain>{_DOMAIN})"
    r"(?::[0-9]+)?"
    rf"(?:/{_PATH_SEGMENT}*)?"
    rf"(?:{_QUERY})?"
)
_PROTOCOL_RE = regex.compile(_PROTOCOL)
_TLD_RE = regex.compile(_TLD)
_LABEL_RUN_RE = regex.compile(rf"(?:{_DOMAIN_CHAR}|[_\-])+")
_PROTOCOL_INITIALS = frozenset("hHdDiIsSgG")
# Characters that may not directly precede a URL.
_NOT_BEFORE_URL = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@\uff20$#\uff03"
    "\ufffe\ufeff\uffff"
)

# xmpp: and magnet: URIs (Mastodon's valid_extended_uri).
_URI_UNRESERVED = r"[a-zA-Z\p{Script=Cyrillic}0-9\p{Pd}._~]"
_URI_PCT_ENCODED = r"%[0-9a-fA-F]{2}"
_XMPP_NODE_CHAR = rf"(?:{_URI_UNRESERVED}|{_URI_PCT_ENCODED}|[!$()*+,;=])"
_XMPP_RESOURCE_CHAR = rf"(?:{_URI_UNRESERVED}|{_URI_PCT_ENCODED}|[!$&'()*+,;=])"
_EXTENDED_URI_RE = regex.compile(
    rf"{_URL_BEFORE}"
    r"(?P<url>"
    r"(?i:xmpp:)"
    rf"(?://{_XMPP_NODE_CHAR}+@{_DOMAIN}/)?"
    rf"(?:{_XMPP_NODE_CHAR}+@)?"
    rf"{_DOMAIN}"
    rf"(?:/{_XMPP_RESOURCE_CHAR}+)?"
    rf"(?:{_QUERY})?"
    r"|(?i:magnet:)"
    rf"{_QUERY}"
    r")"
)

# No part of a URL can hold ASCII whitespace, so URLs are looked for token by token: the same
# matches as one pass over the whole text.
_TOKEN_RE = regex.compile(r"[^\t\n\x0B\f\r ]+")

_MAX_URL_LENGTH = 4096
_URL_PROTOCOL_LENGTH = len("https://")
_URL_PLACEHOLDER = "x" * 23

# TextFormatter::URL_PREFIX_REGEX (case-sensitive, as in Ruby).
_URL_PREFIX_RE = regex.compile(r"(?:https?://(?:www\.)?|xmpp:)")
_URL_DISPLAY_LENGTH = 30

# Rails simple_format.
_PARAGRAPH_SPLIT_RE = regex.compile(r"\n\n+")
_LINE_BREAK_RE = regex.compile(r"([^\n]\n)(?=[^\n])")

_GRAPHEME_RE = regex.compile(r"\X")

# Ruby's String#strip: NUL and ASCII whitespace only (an ideographic space stays).
_RUBY_STRIP_CHARS = "\x00\t\n\x0b\x0c\r "

_HTML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})


def _html_escape(value: str) -> str:
    """ERB::Util.html_escape: & < > " ' (the apostrophe as &#39;)."""
    return value.translate(_HTML_ESCAPES)


# ---------------------------------------------------------------------------------------------
# Hashtag normalisation (HashtagNormalizer): NFKC, lowercase, ASCII folding, strip invalid chars.
# ASCIIFolding uses the I18n approximation table, which covers Latin-1 Supplement and Latin
# Extended-A: letters with diacritics lose them, plus the special cases below.
# ---------------------------------------------------------------------------------------------

_FOLD_SPECIAL = {
    "\u00c6": "AE", "\u00e6": "ae", "\u00d0": "D", "\u00f0": "d", "\u00d7": "x",
    "\u00d8": "O", "\u00f8": "o", "\u00de": "Th", "\u00fe": "th", "\u00df": "ss",
    "\u0110": "D", "\u0111": "d", "\u0126": "H", "\u0127": "h", "\u0131": "i",
    "\u0132": "IJ", "\u0133": "ij", "\u0138": "k", "\u013f": "L", "\u0140": "l",
    "\u0141": "L", "\u0142": "l", "\u0149": "'n", "\u014a": "NG", "\u014b": "ng",
    "\u0152": "OE", "\u0153": "oe", "\u0166": "T", "\u0167": "t",
}  # fmt: skip


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x00C0, 0x017F):
        char = chr(code)
        if char in _FOLD_SPECIAL:
            table[code] = _FOLD_SPECIAL[char]
            continue
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        if (
            base.isascii()
            and base.isalpha()
            and marks
            and all(unicodedata.category(m) == "Mn" for m in marks)
        ):
            table[code] = base
    return table


_FOLD_TABLE = _build_fold_table()


_HASHTAG_NAME_RE = regex.compile(rf"(?:{_HASHTAG_FIRST}|{_HASHTAG_LAST})")


def hashtag_name_valid(name: str) -> bool:
    """Tag::HASHTAG_NAME_RE: the whole of `name` is a hashtag (without its '#')."""
    return len(name) <= 255 and _HASHTAG_NAME_RE.fullmatch(name) is not None


def normalize_hashtag(name: str) -> str:
    """Mastodon's tag normalisation (HashtagNormalizer).

    "Café" -> "cafe", "ＴＥＳＴ" -> "test", "#Hello World" -> "helloworld".
    """
    folded = unicodedata.normalize("NFKC", name).lower().translate(_FOLD_TABLE)
    return _HASHTAG_INVALID_CHARS_RE.sub("", folded)


# ---------------------------------------------------------------------------------------------
# Entity extraction.
# ---------------------------------------------------------------------------------------------


class _Entity(NamedTuple):
    start: int
    end: int
    kind: str  # "url" | "hashtag" | "mention"
    value: str  # the URL, the tag as typed, or the mention as typed without '@'


def _domain_is_valid(url_length: int, domain: str, has_protocol: bool) -> bool:
    """twitter-text's is_valid_domain: IDNA ToASCII must work and the URL stay under 4096."""
    try:
        encoded = domain.encode("idna")
    except (UnicodeError, ValueError):
        return False
    if len(encoded) > len(domain):
        url_length += len(encoded) - len(domain)
    if not has_protocol:
        url_length += _URL_PROTOCOL_LENGTH
    return url_length <= _MAX_URL_LENGTH


def _domain_starts(chunk: str) -> list[bool]:
    """For each index of ``chunk``: can twitter-text's valid_domain match starting there?

    A domain is labels joined by dots and ended by a TLD. Labels are runs of domain characters,
    '_' and '-' that begin and end with a domain character; the one right before the TLD (the
    "domain name") may not hold '_'. This answers the question for every index in one pass from
    the right, so that the scan never tries (and fails) the regex at hopeless positions.
    """
    size = len(chunk)
    starts = [False] * (size + 1)
    runs = [(match.start(), match.end()) for match in _LABEL_RUN_RE.finditer(chunk)]
    if len(runs) < 2:
        return starts
    index_by_start = {run_start: index for index, (run_start, _) in enumerate(runs)}
    count = len(runs)
    following = [-1] * count  # the run after "<this run>."
    valid_label = [False] * count  # begins and ends with a domain character
    underscore_at = [-1] * count  # last '_' in the run
    for index, (run_start, run_end) in enumerate(runs):
        if run_end < size and chunk[run_end] == ".":
            following[index] = index_by_start.get(run_end + 1, -1)
        valid_label[index] = chunk[run_start] not in "_-" and chunk[run_end - 1] not in "_-"
        underscore_at[index] = chunk.rfind("_", run_start, run_end)
    tld_at = [False] * count
    for index in range(count):
        nxt = following[index]
        if nxt != -1 and not tld_at[nxt]:
            tld_at[nxt] = _TLD_RE.match(chunk, runs[nxt][0]) is not None
    # completes[i]: with run i as a whole label, a TLD can be reached.
    completes = [False] * count
    for index in range(count - 1, -1, -1):
        nxt = following[index]
        if nxt == -1 or not valid_label[index]:
            continue
        as_domain_name = underscore_at[index] == -1 and tld_at[nxt]
        completes[index] = as_domain_name or completes[nxt]
    for index, (run_start, run_end) in enumerate(runs):
        nxt = following[index]
        if nxt == -1 or chunk[run_end - 1] in "_-":
            continue
        for position in range(run_start, run_end):
            if chunk[position] in "_-":
                continue
            # The first label is the rest of this run, from ``position``.
            starts[position] = completes[nxt] or (tld_at[nxt] and underscore_at[index] < position)
    return starts


def _scan_urls(chunk: str) -> list[regex.Match[str]]:
    """twitter-text's scan of valid_url over one whitespace-free chunk, scheme or not.

    A match needs a preceding character that is not a letter, digit, '@', '$' or '#' (or the
    chunk start), and consumes it; matches do not overlap.
    """
    domain_starts = _domain_starts(chunk)
    found: list[regex.Match[str]] = []
    size = len(chunk)
    consumed = 0
    position = 0
    while position < size:
        reachable = (position == 0 and consumed == 0) or (
            position - 1 >= consumed and chunk[position - 1] not in _NOT_BEFORE_URL
        )
        possible = domain_starts[position]
        if reachable and not possible and chunk[position] in _PROTOCOL_INITIALS:
            protocol = _PROTOCOL_RE.match(chunk, position)
            possible = protocol is not None and domain_starts[protocol.end()]
        if reachable and possible:
            match = _URL_RE.match(chunk, position)
            if match is not None:
                found.append(match)
                consumed = position = match.end()
                continue
        position += 1
    return found


def _url_entities(text: str, *, extended: bool) -> list[_Entity]:
    """URLs with a scheme (extract_url_without_protocol: false), plus xmpp:/magnet: if extended."""
    if ":" not in text:
        return []
    found: list[_Entity] = []
    for token in _TOKEN_RE.finditer(text):
        chunk = token.group()
        offset = token.start()
        if "://" in chunk:
            for match in _scan_urls(chunk):
                # Matches without a scheme are dropped, but they still consumed their text.
                if match.group("protocol") is None:
                    continue
                url = match.group()
                if not _domain_is_valid(len(url), match.group("domain"), True):
                    continue
                found.append(_Entity(offset + match.start(), offset + match.end(), "url", url))
        lowered = chunk.lower() if extended else ""
        if "xmpp:" in lowered or "magnet:" in lowered:
            for match in _EXTENDED_URI_RE.finditer(chunk):
                found.append(
                    _Entity(
                        offset + match.start("url"),
                        offset + match.end("url"),
                        "url",
                        match.group("url"),
                    )
                )
    return found


def _hashtag_name(run: str) -> str | None:
    """The tag HASHTAG_RE takes from the run of word characters and separators after a '#'."""
    if not _WORD_CHAR_RE.match(run):
        return None
    last = len(run) - 1
    while run[last] in _NON_WORD_SEPARATORS:
        last -= 1
    if last >= 2 and _ALPHA_OR_SEPARATOR_RE.search(run, 1, last):
        return run[: last + 1]
    words = _WORD_RUN_RE.match(run)
    if words and _ALPHA_RE.search(words.group()):
        return words.group()
    return None


def _hashtag_entities(text: str) -> list[_Entity]:
    if "#" not in text:
        return []
    found: list[_Entity] = []
    for match in _HASHTAG_CANDIDATE_RE.finditer(text):
        tag = _hashtag_name(match.group(1))
        if tag is None:
            continue
        end = match.start(1) + len(tag)
        if text.startswith("://", end):
            tail = _HASHTAG_SCHEME_TAIL_RE.match(tag)
            if tail:
                tag = tail.group(1)
                end -= len(tail.group(2))
        found.append(_Entity(match.start(1) - 1, end, "hashtag", tag))
    return found


def _mention_entities(text: str) -> list[_Entity]:
    if "@" not in text:
        return []
    found: list[_Entity] = []
    for match in _MENTION_RE.finditer(text):
        if _END_MENTION_RE.match(text, match.end()):
            continue
        domain = match.group("domain")
        if domain is not None and len(domain) > _MAX_DOMAIN_LENGTH:
            continue
        found.append(_Entity(match.start(1) - 1, match.end(1), "mention", match.group(1)))
    return found


_KIND_ORDER = {"url": 0, "hashtag": 1, "mention": 2}


def _remove_overlaps(entities: Iterable[_Entity]) -> list[_Entity]:
    """Sort by start and drop every entity that starts inside the previous kept one."""
    kept: list[_Entity] = []
    for entity in sorted(entities, key=lambda e: (e.start, _KIND_ORDER[e.kind])):
        if kept and kept[-1].end > entity.start:
            continue
        kept.append(entity)
    return kept


def _entities(text: str) -> list[_Entity]:
    urls = _url_entities(text, extended=True)
    # URLs win: a '#fragment' or '@' inside a URL belongs to the URL.
    others = [
        entity
        for entity in _hashtag_entities(text) + _mention_entities(text)
        if not any(url.start < entity.end and entity.start < url.end for url in urls)
    ]
    return _remove_overlaps(urls + others)


def _strip(text: str | None) -> str:
    return (text or "").strip(_RUBY_STRIP_CHARS)


# ---------------------------------------------------------------------------------------------
# Public text rules.
# ---------------------------------------------------------------------------------------------


def extract_mentions(text: str) -> list[tuple[str, str | None]]:
    """(username, domain or None) for each @mention, in order, de-duplicated case-insensitively.

    Like ProcessMentionsService, this is every match of the mention pattern, the same set that
    ``normalize_mentions`` offers to its resolver.
    """
    seen: set[tuple[str, str | None]] = set()
    mentions: list[tuple[str, str | None]] = []
    for match in _MENTION_RE.finditer(text or ""):
        username = match.group("username")
        domain = match.group("domain")
        key = (username.lower(), domain.lower() if domain is not None else None)
        if key in seen:
            continue
        seen.add(key)
        mentions.append((username, domain))
    return mentions


def extract_hashtags(text: str) -> list[str]:
    """Hashtag names as typed (without '#'), in order, de-duplicated by normalised name.

    A '#' inside a URL (a fragment) is part of the URL, not a tag.
    """
    text = text or ""
    urls = _url_entities(text, extended=True)
    seen: set[str] = set()
    names: list[str] = []
    for entity in _hashtag_entities(text):
        if any(url.start < entity.end and entity.start < url.end for url in urls):
            continue
        key = normalize_hashtag(entity.value)
        if key in seen:
            continue
        seen.add(key)
        names.append(entity.value)
    return names


def _countable_text(text: str) -> str:
    if not text or text.isspace():
        return ""
    entities = _remove_overlaps(_url_entities(text, extended=False) + _mention_entities(text))
    parts: list[str] = []
    position = 0
    for entity in entities:
        parts.append(text[position : entity.start])
        if entity.kind == "url":
            parts.append(_URL_PLACEHOLDER)
        else:
            parts.append("@" + entity.value.split("@", 1)[0])
        position = entity.end
    parts.append(text[position:])
    return "".join(parts)


def status_length(text: str, spoiler_text: str = "") -> int:
    """Mastodon's StatusLengthValidator count.

    Grapheme clusters of spoiler_text + text (both stripped, as Status does before validating),
    where every http(s) URL counts as 23 characters and "@user@domain" counts as "@user".
    """
    combined = _strip(spoiler_text) + _countable_text(_strip(text))
    return len(_GRAPHEME_RE.findall(combined))


def normalize_mentions(text: str, resolve: Callable[[str, str | None], MentionRef | None]) -> str:
    """Rewrite each resolvable mention to "@" + ref.acct; leave the others as they are.

    ``resolve(username, domain)`` gets the mention as typed (domain None when absent) and decides
    what it means, e.g. that "@alice@example.com" is local when example.com is this instance.
    Each distinct mention is resolved once.
    """
    cache: dict[tuple[str, str | None], MentionRef | None] = {}

    def replace(match: regex.Match[str]) -> str:
        username = match.group("username")
        domain = match.group("domain")
        key = (username.lower(), domain.lower() if domain is not None else None)
        if key not in cache:
            cache[key] = resolve(username, domain)
        ref = cache[key]
        return match.group(0) if ref is None else "@" + ref.acct

    if not text or ("@" not in text):
        return text
    return _MENTION_RE.sub(replace, text)


# ---------------------------------------------------------------------------------------------
# HTML.
# ---------------------------------------------------------------------------------------------


def _link_to_url(url: str) -> str:
    prefix_match = _URL_PREFIX_RE.match(url)
    prefix = prefix_match.group() if prefix_match else ""
    rest = url[len(prefix) :]
    display = rest[:_URL_DISPLAY_LENGTH]
    suffix = rest[_URL_DISPLAY_LENGTH:]
    cutoff = len(rest) > _URL_DISPLAY_LENGTH
    if len(suffix) == 1:  # no ellipsis to hide a single character
        display, suffix, cutoff = rest, "", False
    return (
        f'<a href="{_html_escape(url)}" target="_blank" rel="nofollow noopener" translate="no">'
        f'<span class="invisible">{_html_escape(prefix)}</span>'
        f'<span class="{"ellipsis" if cutoff else ""}">{_html_escape(display)}</span>'
        f'<span class="invisible">{_html_escape(suffix)}</span></a>'
    )


def _link_to_hashtag(tag: str, tags_base_url: str) -> str:
    href = tags_base_url + quote(tag, safe="")
    return (
        f'<a href="{_html_escape(href)}" class="mention hashtag" rel="tag">'
        f"#<span>{_html_escape(tag)}</span></a>"
    )


def _link_to_mention(ref: MentionRef, display: str) -> str:
    return (
        f'<span class="h-card" translate="no"><a href="{_html_escape(ref.url)}" '
        f'class="u-url mention">@<span>{_html_escape(display)}</span></a></span>'
    )


def _simple_format(html: str) -> str:
    """Rails simple_format (sanitize: false) followed by Mastodon's .delete("\\n")."""
    paragraphs = _PARAGRAPH_SPLIT_RE.split(html)
    while paragraphs and paragraphs[-1] == "":  # Ruby's split drops trailing empty fields
        paragraphs.pop()
    if not paragraphs:
        return "<p></p>"
    formatted = "".join(
        "<p>" + _LINE_BREAK_RE.sub(r"\1<br />", paragraph) + "</p>" for paragraph in paragraphs
    )
    return formatted.replace("\n", "")


def render_plain(text: str, *, tags_base_url: str, mentions: Mapping[str, MentionRef]) -> str:
    """Mastodon's TextFormatter HTML for a plain-text status.

    ``mentions`` maps the lowercased mention as written without '@' ("alice",
    "alice@example.com") to the resolved account; a mention missing from it stays escaped text.
    ``tags_base_url`` is the tag page prefix, e.g. "https://example.com/tags/".
    """
    text = _strip((text or "").replace("\r\n", "\n").replace("\r", "\n"))
    if not text:
        return ""

    refs = set(mentions.values())
    html: list[str] = []
    position = 0
    for entity in _entities(text):
        html.append(_html_escape(text[position : entity.start]))
        if entity.kind == "url":
            html.append(_link_to_url(entity.value))
        elif entity.kind == "hashtag":
            html.append(_link_to_hashtag(entity.value, tags_base_url))
        else:
            ref = mentions.get(entity.value.lower())
            if ref is None:
                html.append("@" + _html_escape(entity.value))
            else:
                username = ref.username.lower()
                acct = ref.acct.lower()
                ambiguous = any(
                    other.username.lower() == username and other.acct.lower() != acct
                    for other in refs
                )
                html.append(_link_to_mention(ref, ref.acct if ambiguous else ref.username))
        position = entity.end
    html.append(_html_escape(text[position:]))
    return _simple_format("".join(html))


def link_to_url(url: str) -> str:
    """A URL as Mastodon's formatter links it (the quote's `RE:` paragraph uses it too)."""
    return _link_to_url(url)

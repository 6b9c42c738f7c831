"""DRF's JSON parser with a bound on nesting, so a deep body is a parse error, never a 500."""

import re
from collections.abc import Iterator, Mapping

from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

# No request of either dialect needs more than a few levels (media_attributes[] is three). The
# stdlib decoder recurses once per level and raises RecursionError near a thousand; everything
# that walks the parsed body afterwards (serializers, the null-byte check) recurses too.
MAX_DEPTH = 64

# A JSON string literal, escapes included: brackets inside strings are not nesting.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def nesting_depth_exceeds(text: str, limit: int = MAX_DEPTH) -> bool:
    """Whether arrays and objects in `text` nest deeper than `limit`, counted without parsing
    (so before the decoder could recurse). Malformed text may be miscounted; it fails to parse
    anyway."""
    if text.count("[") + text.count("{") <= limit:
        return False
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    depth = 0
    for char in brackets:
        if char in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSONParser (same decoding, same strict constants, same messages) that refuses bodies
    nested deeper than MAX_DEPTH before decoding them."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = stream.read().decode(encoding)
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        if nesting_depth_exceeds(text):
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels")
        try:
            parse_constant = json.strict_constant if self.strict else None
            return json.loads(text, parse_constant=parse_constant)
        except (ValueError, RecursionError) as exc:
            # RecursionError cannot happen below MAX_DEPTH; caught so that no miscount of
            # malformed text can ever turn into a 500.
            raise ParseError(f"JSON parse error - {exc}") from None


# --- text that cannot be stored ---------------------------------------------------------------
# PostgreSQL text cannot hold a NUL, and UTF-8 cannot encode a lone surrogate (JSON's "\ud800"):
# either one reaching SQL or a renderer was a 500 (psycopg's DataError, UnicodeEncodeError). Both
# dialects check every string of a request's query and body once, before any action reads them,
# and answer in their own words (Mastodon 422, SelfCommunity 400 naming the field).

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable_strings(params) -> Iterator[tuple[tuple[str, ...], str]]:
    """(path, first unstorable character) of each string of a QueryDict, a parsed JSON body or
    any part of one that cannot be stored. The path names the parameter and, inside a JSON
    body, the keys and list positions below it (`("location", "name")`, `("tags", "0")`); the
    values of a repeated query or form parameter share its name."""

    def walk(path, value):
        if isinstance(value, str):
            found = UNSTORABLE.search(value)
            if found is not None:
                yield path, "\x00" if "\x00" in value else found.group()
        elif isinstance(value, Mapping):
            for key, item in value.items():
                yield from walk((*path, str(key)), item)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk((*path, str(index)), item)

    if hasattr(params, "lists"):
        for key, values in params.lists():
            for value in values:
                yield from walk((key,), value)
    else:
        yield from walk((), params)

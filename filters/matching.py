"""Which of an account's active filters a status matches (Mastodon's
CustomFilter.apply_cached_filters): pure, over the rules the selector read once per request."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class ActiveFilter:
    """One filter that has not expired, with its keywords as one pattern and its status ids."""

    filter: object
    pattern: re.Pattern | None = None
    status_ids: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class FilterResult:
    filter: object
    keyword_matches: list[str] | None
    status_matches: list[int] | None


def keyword_regex(keyword: str, whole_word: bool) -> str:
    """Mastodon's CustomFilterKeyword#to_regex: a whole word is bounded by \\b on each side that
    begins or ends with a word character; case never matters."""
    escaped = re.escape(keyword)
    if not whole_word:
        return escaped
    start = r"\b" if re.match(r"\w", keyword) else ""
    end = r"\b" if re.search(r"\w\Z", keyword) else ""
    return f"{start}{escaped}{end}"


def compile_keywords(keywords) -> re.Pattern | None:
    parts = [keyword_regex(k.keyword, k.whole_word) for k in keywords if k.keyword]
    if not parts:
        return None
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)


def apply_filters(filters: list[ActiveFilter], text: str, status_ids: list[int]
                  ) -> list[FilterResult]:
    """The results of `filters` on a status whose searchable text is `text` and whose ids are
    `status_ids` (the status, and the original of a reblog)."""
    results = []
    for active in filters:
        match = active.pattern.search(text) if active.pattern is not None else None
        keyword_matches = [match.group(0)] if match is not None else None
        status_matches = [i for i in status_ids if i in active.status_ids] or None
        if keyword_matches is None and status_matches is None:
            continue
        results.append(FilterResult(active.filter, keyword_matches, status_matches))
    return results

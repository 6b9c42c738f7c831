"""Mastodon 4.5's Filter, FilterKeyword, FilterStatus, FilterResult and the v1 Filter (one
keyword of a filter, as REST::V1::FilterSerializer shows it). Pure: they read the rows given."""

from accounts.mastodon.serializers import datetime_ms


def serialize_keyword(keyword) -> dict:
    return {"id": str(keyword.pk), "keyword": keyword.keyword, "whole_word": keyword.whole_word}


def serialize_filter_status(rule) -> dict:
    return {"id": str(rule.pk), "status_id": str(rule.status_id)}


def serialize_filter(filter_, *, rules: bool = True) -> dict:
    """REST::FilterSerializer; `rules` (the filters API) adds the keywords and statuses, which
    a FilterResult inside a status leaves out."""
    data = {
        "id": str(filter_.pk),
        "title": filter_.title,
        "context": list(filter_.context),
        "expires_at": datetime_ms(filter_.expires_at),
        "filter_action": filter_.action,
    }
    if rules:
        data["keywords"] = [serialize_keyword(k) for k in filter_.keywords.all()]
        data["statuses"] = [serialize_filter_status(s) for s in filter_.statuses.all()]
    return data


def serialize_filter_result(result) -> dict:
    return {
        "filter": serialize_filter(result.filter, rules=False),
        "keyword_matches": result.keyword_matches,
        "status_matches": ([str(i) for i in result.status_matches]
                           if result.status_matches is not None else None),
    }


def serialize_v1_filter(keyword) -> dict:
    filter_ = keyword.filter
    return {
        "id": str(keyword.pk),
        "phrase": keyword.keyword,
        "context": list(filter_.context),
        "whole_word": keyword.whole_word,
        "expires_at": datetime_ms(filter_.expires_at),
        "irreversible": filter_.action == "hide",
    }

"""Reads of filters: an account's own (the API), and its active rules for a page of statuses."""

from __future__ import annotations

import json

from django.db.models import BigIntegerField, BooleanField, Q, TextField, Value
from django.utils import timezone

from config import errors
from filters.matching import ActiveFilter, compile_keywords
from filters.models import Filter, FilterKeyword, FilterStatus


def filters_of(account):
    return (Filter.objects.filter(account=account).order_by("id")
            .prefetch_related("keywords", "statuses"))


def filter_get(*, account, filter_id: int | None) -> Filter:
    found = (Filter.objects.filter(account=account, pk=filter_id)
             .prefetch_related("keywords", "statuses").first() if filter_id else None)
    if found is None:
        raise errors.NotFound("Record not found")
    return found


def keyword_get(*, account, keyword_id: int | None) -> FilterKeyword:
    found = (FilterKeyword.objects.select_related("filter")
             .filter(filter__account=account, pk=keyword_id).first() if keyword_id else None)
    if found is None:
        raise errors.NotFound("Record not found")
    return found


def keywords_of(account):
    """Every keyword of the account's filters: the v1 filters."""
    return (FilterKeyword.objects.select_related("filter")
            .filter(filter__account=account).order_by("id"))


def status_rule_get(*, account, rule_id: int | None) -> FilterStatus:
    found = (FilterStatus.objects.select_related("filter")
             .filter(filter__account=account, pk=rule_id).first() if rule_id else None)
    if found is None:
        raise errors.NotFound("Record not found")
    return found


def active_filters(viewer) -> list[ActiveFilter]:
    """The viewer's filters that have not expired and hold a rule, with their rules: one
    statement whatever the number of filters, keywords and statuses (the keywords and the status
    rules, each row with its filter's columns, in one UNION ALL); none for an anonymous viewer."""
    if viewer is None or viewer.pk is None:
        return []
    live = Q(filter__account_id=viewer.pk) & (
        Q(filter__expires_at__isnull=True) | Q(filter__expires_at__gt=timezone.now()))
    columns = ("filter_id", "filter__title", "filter__context", "filter__action",
               "filter__expires_at")
    keywords = FilterKeyword.objects.filter(live).values_list(
        *columns, "id", "keyword", "whole_word",
        Value(None, output_field=BigIntegerField()))
    statuses = FilterStatus.objects.filter(live).values_list(
        *columns, "id", Value("", output_field=TextField()),
        Value(False, output_field=BooleanField()), "status_id")
    by_id: dict[int, ActiveFilter] = {}
    words: dict[int, list] = {}
    for (filter_id, title, context, action, expires_at, _row_id, keyword, whole_word,
         status_id) in sorted(keywords.union(statuses, all=True), key=lambda r: (r[0], r[5])):
        if isinstance(context, str):  # a JSON column read through a UNION on SQLite
            context = json.loads(context)
        active = by_id.get(filter_id)
        if active is None:
            active = by_id[filter_id] = ActiveFilter(Filter(
                pk=filter_id, account_id=viewer.pk, title=title, context=context,
                action=action, expires_at=expires_at))
        if status_id is None:
            words.setdefault(filter_id, []).append(FilterKeyword(keyword=keyword,
                                                                 whole_word=whole_word))
        else:
            active.status_ids.add(status_id)
    for filter_id, shown in words.items():
        by_id[filter_id].pattern = compile_keywords(shown)
    return [by_id[k] for k in sorted(by_id)]

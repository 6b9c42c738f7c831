"""Reads of filters: an account's own (the API), and its active rules for a page of statuses."""

from __future__ import annotations

from django.db.models import Q
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
    """The viewer's filters that have not expired and hold a rule, with their rules: two
    statements whatever the number of filters (none for an anonymous viewer)."""
    if viewer is None or viewer.pk is None:
        return []
    live = Q(filter__account_id=viewer.pk) & (
        Q(filter__expires_at__isnull=True) | Q(filter__expires_at__gt=timezone.now()))
    by_id: dict[int, ActiveFilter] = {}
    keywords: dict[int, list] = {}
    for keyword in FilterKeyword.objects.select_related("filter").filter(live).order_by("id"):
        by_id.setdefault(keyword.filter_id, ActiveFilter(keyword.filter))
        keywords.setdefault(keyword.filter_id, []).append(keyword)
    for rule in FilterStatus.objects.select_related("filter").filter(live).order_by("id"):
        by_id.setdefault(rule.filter_id, ActiveFilter(rule.filter)).status_ids.add(
            rule.status_id)
    for filter_id, shown in keywords.items():
        by_id[filter_id].pattern = compile_keywords(shown)
    return [by_id[k] for k in sorted(by_id)]

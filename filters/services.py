"""Writes of filters, each in one transaction, each announcing `filters_changed` to the owner's
streams once it commits (Mastodon's CustomFilter#invalidate_cache!). Messages are Mastodon 4.5's
validation messages; the face shows them as "Validation failed: ..."."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists
from django.utils import timezone

from accounts.models import Account
from config import errors
from config.events import announce, filters_changed
from filters.models import CONTEXTS, Filter, FilterAction, FilterKeyword, FilterStatus

INVALID_CONTEXT = "Context None or invalid context supplied"
MULTIPLE_KEYWORDS = ("These parameters cannot be changed from this application because they "
                     "apply to more than one filter keyword. Use a more recent application or "
                     "the web interface.")
UNSET = object()


@dataclass
class KeywordChange:
    """One entry of `keywords_attributes`: an id to update or destroy, or a new keyword."""

    id: int | None = None
    keyword: str | None = None
    whole_word: bool | None = None
    destroy: bool = False


def _changed(account_id: int) -> None:
    """Keeps the owner's `has_filters` (read with their token) and announces the change."""
    Account.objects.filter(pk=account_id).update(
        has_filters=Exists(Filter.objects.filter(account_id=account_id)))
    announce(filters_changed, account_id=account_id)


def _expiry(expires_in):
    """`expires_in` seconds from now; None (never) for a blank or non-positive value."""
    if expires_in in (None, ""):
        return None
    try:
        seconds = int(float(expires_in))
    except (TypeError, ValueError):
        return None
    return timezone.now() + timedelta(seconds=seconds) if seconds > 0 else None


def _validate(filter_: Filter, messages: list[str]) -> None:
    context = [c.strip() for c in filter_.context if c and c.strip()]
    filter_.context = context
    if not (filter_.title or "").strip():
        messages.append("Title can't be blank")
    if not context:
        messages.append("Context can't be blank")
    if not context or any(c not in CONTEXTS for c in context):
        messages.append(INVALID_CONTEXT)
    if filter_.action not in FilterAction.values:
        messages.append("Filter action is not included in the list")


def _assign(filter_: Filter, *, title, context, action, expires_in) -> None:
    if title is not UNSET:
        filter_.title = title or ""
    if context is not UNSET:
        filter_.context = list(context or [])
    if action is not UNSET and action is not None:
        filter_.action = action
    if expires_in is not UNSET:
        filter_.expires_at = _expiry(expires_in)


def _apply_keywords(filter_: Filter, changes: list[KeywordChange], messages: list[str]
                    ) -> tuple[list[FilterKeyword], list[FilterKeyword]]:
    """Rails' nested attributes: entries with nothing but blanks are skipped, an id names one of
    the filter's keywords (404 otherwise), `_destroy` removes it. Returns (to save, to delete)."""
    existing = {k.pk: k for k in filter_.keywords.all()} if filter_.pk else {}
    save, delete = [], []
    for change in changes:
        if change.id is None and not change.keyword and change.whole_word is None:
            continue
        if change.id is not None:
            keyword = existing.get(change.id)
            if keyword is None:
                raise errors.NotFound("Record not found")
            if change.destroy:
                delete.append(keyword)
                continue
        else:
            if change.destroy:
                continue
            keyword = FilterKeyword(filter=filter_)
        if change.keyword is not None:
            keyword.keyword = change.keyword
        if change.whole_word is not None:
            keyword.whole_word = change.whole_word
        if not (keyword.keyword or "").strip():
            messages.append("Keywords keyword can't be blank")
        save.append(keyword)
    return save, delete


def _write_keywords(filter_: Filter, save: list[FilterKeyword],
                    delete: list[FilterKeyword]) -> None:
    """A fixed number of statements however many keywords one request names: the removed in
    one DELETE, the changed in one UPDATE, the new in one INSERT."""
    if delete:
        FilterKeyword.objects.filter(pk__in=[k.pk for k in delete]).delete()
    changed = [k for k in save if k.pk is not None]
    if changed:
        now = timezone.now()
        for keyword in changed:
            keyword.updated_at = now
        FilterKeyword.objects.bulk_update(changed, ["keyword", "whole_word", "updated_at"])
    new = [k for k in save if k.pk is None]
    for keyword in new:
        keyword.filter = filter_
    FilterKeyword.objects.bulk_create(new)


@transaction.atomic
def filter_create(*, account, title, context, action=None, expires_in=None,
                  keywords: list[KeywordChange] = ()) -> Filter:
    filter_ = Filter(account=account)
    _assign(filter_, title=title, context=context, action=action, expires_in=expires_in)
    messages: list[str] = []
    _validate(filter_, messages)
    save, _ = _apply_keywords(filter_, list(keywords), messages)
    if messages:
        raise errors.Invalid(*dict.fromkeys(messages))
    filter_.save()
    _write_keywords(filter_, save, [])
    _changed(account.pk)
    return filter_


@transaction.atomic
def filter_update(*, filter_: Filter, title=UNSET, context=UNSET, action=UNSET,
                  expires_in=UNSET, keywords: list[KeywordChange] = ()) -> Filter:
    _assign(filter_, title=title, context=context, action=action, expires_in=expires_in)
    messages: list[str] = []
    _validate(filter_, messages)
    save, delete = _apply_keywords(filter_, list(keywords), messages)
    if messages:
        raise errors.Invalid(*dict.fromkeys(messages))
    filter_.save()
    _write_keywords(filter_, save, delete)
    _changed(filter_.account_id)
    return filter_


@transaction.atomic
def filter_destroy(*, filter_: Filter) -> None:
    account_id = filter_.account_id
    filter_.delete()
    _changed(account_id)


@transaction.atomic
def keyword_add(*, filter_: Filter, keyword, whole_word) -> FilterKeyword:
    row = FilterKeyword(filter=filter_, keyword=keyword or "",
                        whole_word=True if whole_word is None else whole_word)
    if not row.keyword.strip():
        raise errors.Invalid("Keyword can't be blank")
    row.save()
    _changed(filter_.account_id)
    return row


@transaction.atomic
def keyword_update(*, keyword: FilterKeyword, text=None, whole_word=None) -> FilterKeyword:
    if text is not None:
        keyword.keyword = text
    if whole_word is not None:
        keyword.whole_word = whole_word
    if not (keyword.keyword or "").strip():
        raise errors.Invalid("Keyword can't be blank")
    keyword.save()
    _changed(keyword.filter.account_id)
    return keyword


@transaction.atomic
def keyword_destroy(*, keyword: FilterKeyword) -> None:
    account_id = keyword.filter.account_id
    keyword.delete()
    _changed(account_id)


@transaction.atomic
def status_add(*, filter_: Filter, status_id: int | None, exists: bool, visible: bool
               ) -> FilterStatus:
    """Adds a status the face found (`exists`) and the owner may see (`visible`)."""
    if status_id is None or not exists:
        raise errors.Invalid("Status must exist")
    if not visible:
        raise errors.Invalid("Status is invalid")
    if FilterStatus.objects.filter(filter=filter_, status_id=status_id).exists():
        raise errors.Invalid("Status has already been taken")
    row = FilterStatus.objects.create(filter=filter_, status_id=status_id)
    _changed(filter_.account_id)
    return row


@transaction.atomic
def status_remove(*, rule: FilterStatus) -> None:
    account_id = rule.filter.account_id
    rule.delete()
    _changed(account_id)


@transaction.atomic
def v1_create(*, account, phrase, context, irreversible, whole_word, expires_in) -> FilterKeyword:
    """POST /api/v1/filters: a filter titled with the phrase, holding that one keyword."""
    filter_ = filter_create(account=account, title=phrase, context=context,
                            action=FilterAction.HIDE if irreversible else FilterAction.WARN,
                            expires_in=expires_in)
    return keyword_add(filter_=filter_, keyword=phrase, whole_word=whole_word)


@transaction.atomic
def v1_update(*, keyword: FilterKeyword, phrase=None, context=UNSET, irreversible=None,
              whole_word=None, expires_in=UNSET) -> FilterKeyword:
    """PUT /api/v1/filters/:id: the keyword first, then its filter, which may change only
    while it holds that one keyword (Mastodon's deprecated_api_multiple_keywords)."""
    keyword_update(keyword=keyword, text=phrase, whole_word=whole_word)
    filter_ = keyword.filter
    before = (filter_.title, list(filter_.context), filter_.action, filter_.expires_at)
    _assign(filter_, title=phrase if phrase is not None else UNSET, context=context,
            action=(UNSET if irreversible is None
                    else FilterAction.HIDE if irreversible else FilterAction.WARN),
            expires_in=expires_in)
    after = (filter_.title, list(filter_.context), filter_.action, filter_.expires_at)
    if before != after and filter_.keywords.count() > 1:
        raise errors.DomainError(MULTIPLE_KEYWORDS)
    messages: list[str] = []
    _validate(filter_, messages)
    if messages:
        raise errors.Invalid(*dict.fromkeys(messages))
    filter_.save()
    _changed(filter_.account_id)
    return keyword

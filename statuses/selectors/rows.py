"""The rows of a page of statuses, with their authors, applications and originals, in a fixed number
of statements."""



from accounts.models import Account, Application
from config.db import RowsById
from statuses.models import (
    Status,
)


def statuses_for_page(ids: list[int]) -> dict[int, Status]:
    """Statuses by id with their authors, applications and (for reblogs) originals, for a page.

    Authors and apps repeat across a thread or timeline, so each distinct one is read (and built)
    once, in its own query, instead of once per row through a join: a fixed number of queries
    whatever the page size (one more when the page holds reblogs, for their originals).
    """
    if not ids:
        return {}
    statuses = list(_STATUS_ROWS.fetch(ids).values())
    original_ids = {s.reblog_of_id for s in statuses if s.reblog_of_id is not None}
    originals = list(_STATUS_ROWS.fetch(original_ids).values()) if original_ids else []
    everything = statuses + originals
    accounts = _ACCOUNT_ROWS.fetch({s.account_id for s in everything})
    app_ids = {s.application_id for s in everything if s.application_id is not None}
    apps = Application.objects.in_bulk(app_ids) if app_ids else {}
    by_id = {s.pk: s for s in originals}
    for status in everything:
        _ACCOUNT_FIELD.set_cached_value(status, accounts[status.account_id])
        _APP_FIELD.set_cached_value(status, apps.get(status.application_id))
        if status.reblog_of_id is not None:
            _REBLOG_FIELD.set_cached_value(status, by_id.get(status.reblog_of_id))
    return {s.pk: s for s in statuses}


_STATUS_ROWS = RowsById(Status)


_ACCOUNT_ROWS = RowsById(Account)


_ACCOUNT_FIELD = Status._meta.get_field("account")


_APP_FIELD = Status._meta.get_field("application")


_REBLOG_FIELD = Status._meta.get_field("reblog_of")

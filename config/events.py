"""What happened, for whoever listens: the live streams (Mastodon's streaming API, SelfCommunity's
socket) and anything else that reacts to a committed act.

Services announce their acts here, never a view, and only once the transaction that made them has
committed (`announce`), so that a listener never sees a status, a notification or a conversation
that a rollback took back, and reads what the act wrote. The signals carry ids only: each
listener reads the rows again and shows each receiver only what that receiver may see.

This module is config's core: it imports no app, so every layer may announce.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

# A status became visible: posted, published from a schedule, or restored. `status_id`.
status_created = Signal()
# A status's content changed (an edit in either dialect, a poll's reset). `status_id`.
status_edited = Signal()
# A status left everyone's sight (deleted in either dialect, or by a moderator). `status_id`,
# `account_id` (its author).
status_deleted = Signal()
# A notification was written for `account_id`. `notification_id`, `account_id`.
notification_created = Signal()
# A participant's view of a conversation changed (a new direct status, read, removed).
# `conversation_id`, `account_id`.
conversation_updated = Signal()
# An account's filters changed. `account_id`.
filters_changed = Signal()


def announce(signal: Signal, **ids) -> None:
    """Send `signal` with `ids` once the current transaction commits (at once outside one).

    A listener's failure (a stream backend that is down) is logged by Django's `send_robust`
    and never reaches the act that announced: the act has committed."""
    transaction.on_commit(lambda: signal.send_robust(sender=None, **ids))

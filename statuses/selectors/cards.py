"""Reads of preview cards: the cards of a page of statuses, in one query."""

from statuses.models import PreviewCard, Status

_CARD_FIELD = Status._meta.get_field("card")


def attach_cards(statuses) -> None:
    """Load the cards of a page of statuses (and of the originals of its reblogs) in one query,
    none when no status has a card (`card_id` is a column), cached as each `status.card`."""
    everything = []
    for status in statuses:
        everything.append(status)
        if status.reblog_of_id is not None and status.reblog_of is not None:
            everything.append(status.reblog_of)
    pending = [s for s in everything if s.card_id is not None and not _CARD_FIELD.is_cached(s)]
    if not pending:
        return
    cards = PreviewCard.objects.in_bulk({s.card_id for s in pending})
    for status in pending:
        _CARD_FIELD.set_cached_value(status, cards.get(status.card_id))


def status_card(status: Status) -> PreviewCard | None:
    """The current card of a status already read through the visibility rule."""
    if status.card_id is None:
        return None
    attach_cards([status])
    return status.card

"""Reads of preview cards (a page's cards are read by the page loader, statuses/selectors/page.py)."""

from statuses.models import PreviewCard, Status


def status_card(status: Status) -> PreviewCard | None:
    """The current card of a status already read through the visibility rule (one query, none
    when it has no card)."""
    if status.card_id is None:
        return None
    return PreviewCard.objects.filter(pk=status.card_id).first()

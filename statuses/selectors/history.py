"""A status's revisions, oldest first."""

from statuses.models import (
    Poll,
    Status,
    StatusEdit,
)
from statuses.selectors.page import media_of_statuses


def status_history(*, status: Status) -> list:
    """Revisions oldest first; a status never edited has one, built from its current state.
    Returns (edit, media by id) so each revision shows its media with the description it had."""
    from media.models import MediaAttachment

    edits = list(StatusEdit.objects.filter(status=status).order_by("id"))
    if not edits:
        current = media_of_statuses([status]).get(status.pk, [])
        edits = [StatusEdit(
            status=status, account_id=status.account_id, text=status.text,
            spoiler_text=status.spoiler_text, html=status.html, sensitive=status.sensitive,
            media=[[m.pk, m.description] for m in current],
            poll_options=(Poll.objects.filter(status=status).values_list("options", flat=True)
                          .first() if status.has_poll else None),
            quoted_status_id=status.quote_of_id, created_at=status.created_at,
        )]
    media_ids = {pair[0] for edit in edits for pair in edit.media}
    media = MediaAttachment.objects.in_bulk(media_ids) if media_ids else {}
    return [(edit, media) for edit in edits]

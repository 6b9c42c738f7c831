"""A status's media, seen from the status: attaching them (and the quote a `share` makes),
recounting shares, and creating a share of a status. media/ keeps the MediaAttachment rows and
never reads a status; the rules about the statuses live here."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from config import errors
from media import services as media_services
from media.models import MediaAttachment, MediaKind
from statuses.models import QuoteState, Status
from statuses.selectors.quotes import quote_allowed
from statuses.selectors.single import status_get_visible
from statuses.selectors.visibility import PUBLIC_LIKE

SHARE_PUBLIC_ONLY = "Only public statuses can be shared."
SHARE_NOT_ALLOWED = "The author does not allow this status to be shared."


def status_attach_media(*, status: Status, media: list[MediaAttachment]) -> None:
    """Attach `media` to `status` in order, detaching whatever it had before. A `share` among
    them makes the status quote the shared one (whose share counter follows)."""
    media_services.media_place(status=status, media=media)
    shown = sum(1 for m in media if m.kind != MediaKind.SHARE)
    share = next((m for m in media if m.kind == MediaKind.SHARE), None)
    quote_of_id = share.shared_status_id if share is not None else None
    previous = status.quote_of_id
    status.media_count = shown
    status.quote_of_id = quote_of_id
    updates = {"media_count": shown, "quote_of_id": quote_of_id}
    if previous != quote_of_id:
        # A new link is a new quote, accepted when made (its policy was checked then).
        status.quote_state = updates["quote_state"] = QuoteState.ACCEPTED
    Status.objects.filter(pk=status.pk).update(**updates)
    if previous != quote_of_id:
        status_recount_shares(status_ids=[i for i in (previous, quote_of_id) if i is not None])


def status_recount_shares(*, status_ids: list[int]) -> None:
    """`shares_count` of these statuses: the live statuses that share each one with an accepted
    quote (Mastodon's `quotes_count`). Counted in one UPDATE (it only changes when a share is
    attached, detached, deleted, restored or revoked)."""
    if not status_ids:
        return
    live = (Status.objects.filter(quote_of_id=OuterRef("pk"), deleted_at__isnull=True,
                                  quote_state=QuoteState.ACCEPTED)
            .order_by().values("quote_of_id").annotate(n=Count("pk")).values("n"))
    Status.objects.filter(pk__in=status_ids).update(
        shares_count=Coalesce(Subquery(live), 0)
    )


def status_share_create(*, account, status_id: int) -> MediaAttachment:
    """A `share` media pointing at a public or unlisted status the caller can see (a
    SelfCommunity share is a Mastodon quote: one link from the sharing status to the shared one).

    A share is shown to whoever reads the sharing status, so sharing a private, direct or
    addressed status would carry it to readers it was not meant for: that is refused. Nothing of
    the shared text is copied into the row; each reader is shown it (or not) through the one
    visibility rule when the share is rendered."""
    shared = status_get_visible(status_id=status_id, viewer=account)
    if shared.reblog_of_id is not None:
        shared = shared.reblog_of
    if shared.visibility not in PUBLIC_LIKE:
        raise errors.Invalid(SHARE_PUBLIC_ONLY, code="invalid", field="shared_object")
    # A share is a Mastodon quote: the author's quote policy applies to it too.
    if not quote_allowed(status=shared, viewer=account):
        raise errors.Invalid(SHARE_NOT_ALLOWED, code="invalid", field="shared_object")
    return media_services.media_create_share(account=account, shared=shared)

"""Writes about quotes: what a Mastodon post that quotes (`quoted_status_id`) does to the status
it makes, the quote approval policy on create, edit and `interaction_policy`, and the quoted
author's revoke. A Mastodon quote is the same link a SelfCommunity share makes (a `share` media
and `quote_of`), so each dialect shows the other's as its own."""

from dataclasses import dataclass

from django.db import transaction

from accounts.models import Visibility
from config import errors, instance
from media import services as media_services
from statuses import rendering
from statuses.models import Mention, QuotePolicy, QuoteState, Status
from statuses.selectors.quotes import QUOTE_TARGET_MISSING, quote_get_of, quote_get_quotable
from statuses.selectors.single import status_get_own, status_get_visible
from statuses.selectors.visibility import PUBLIC_LIKE, status_base_queryset
from statuses.services.attachments import status_recount_shares

__all__ = [
    "QUOTE_TARGET_MISSING",
    "QuotePlan",
    "parse_quote_policy",
    "quote_plan",
    "status_quote_policy_update",
    "status_quote_revoke",
]

POLICY_NAMES = {"public": QuotePolicy.PUBLIC, "followers": QuotePolicy.FOLLOWERS,
                "nobody": QuotePolicy.NOBODY}
DIRECT_NOT_MENTIONED = "Cannot quote a non-mentioned user in a Private Mention post."


def parse_quote_policy(name: str | None) -> int | None:
    """`quote_approval_policy`: None when absent or blank; an unknown name is Rails' bare
    RecordInvalid (spec item 58)."""
    if name is None or name.strip() == "":
        return None
    if name not in POLICY_NAMES:
        raise errors.Rejected("Record invalid")
    return POLICY_NAMES[name]


def stored_quote_policy(policy: int | None, visibility: int, current: int | None = None) -> int:
    """What to store: the requested policy (else the current one, else public, the default of
    Mastodon's `default_quote_policy` setting); private and direct statuses always nobody."""
    if visibility not in PUBLIC_LIKE:
        return QuotePolicy.NOBODY
    if policy is not None:
        return policy
    return current if current is not None else QuotePolicy.PUBLIC


@dataclass
class QuotePlan:
    """What a new post's quote parameters settled, checked before anything is written."""

    quoted: Status | None
    policy: int | None

    def visibility(self, chosen: int) -> int:
        """Quoting a private status makes a public or unlisted post private (item 58)."""
        if (self.quoted is not None and self.quoted.visibility == Visibility.PRIVATE
                and chosen in PUBLIC_LIKE):
            return Visibility.PRIVATE
        return chosen

    def check_audience(self, *, account, visibility: int, mentioned) -> None:
        """A direct post must mention the author it quotes (unless quoting oneself)."""
        if (self.quoted is not None and visibility == Visibility.DIRECT
                and self.quoted.account_id != account.pk
                and self.quoted.account_id not in {a.pk for a in mentioned}):
            raise errors.Invalid(DIRECT_NOT_MENTIONED)

    def stored_policy(self, visibility: int) -> int:
        return stored_quote_policy(self.policy, visibility)

    def html(self, html: str, text: str) -> str:
        return inline_quote_html(html, text, self.quoted)

    def share_media(self, *, account) -> list:
        """The `share` media that makes the new status quote `quoted` (as a SelfCommunity share
        does); attached with the post's other media by status_attach_media."""
        if self.quoted is None:
            return []
        return [media_services.media_create_share(account=account, shared=self.quoted)]

    def grant_access(self, *, status: Status) -> None:
        """The quoted author may always read the post that quotes them (a silent mention, as
        Mastodon's `ensure_quoted_access`), even a private or direct one."""
        if self.quoted is None or self.quoted.account_id == status.account_id:
            return
        Mention.objects.get_or_create(status=status, account_id=self.quoted.account_id,
                                      defaults={"silent": True})


def quote_plan(*, account, quoted_status_id: int | None = None, quoted_given: bool = False,
               policy: str | None = None) -> QuotePlan:
    """Check a post's `quoted_status_id` (404 when missing, hidden or refused by its policy) and
    `quote_approval_policy` (422 "Record invalid"), in Mastodon's order."""
    quoted = None
    if quoted_given:
        quoted = quote_get_quotable(status_id=quoted_status_id, viewer=account)
    return QuotePlan(quoted=quoted, policy=parse_quote_policy(policy))


def inline_quote_html(html: str, text: str, quoted: Status | None) -> str:
    """Mastodon's fallback for clients that know no quotes: `<p class="quote-inline">RE: link
    </p>` before the content, unless the text already links the quoted status."""
    if quoted is None:
        return html
    url = instance.status_url(quoted.account.username, quoted.pk)
    uri = instance.status_uri(quoted.account.username, quoted.pk)
    if url in text or uri in text:
        return html
    return f'<p class="quote-inline">RE: {rendering.link_to_url(url)}</p>{html}'


def quoted_for_render(status: Status) -> Status | None:
    """The status `status` quotes, with its author, for re-rendering its HTML after an edit."""
    if status.quote_of_id is None:
        return None
    return Status.objects.select_related("account").filter(pk=status.quote_of_id).first()


@transaction.atomic
def status_quote_policy_update(*, account, status_id: int | None, policy: str | None) -> Status:
    """PUT /statuses/:id/interaction_policy: the author changes who may quote the status
    (private and direct stay `nobody`); an omitted policy changes nothing. Past quotes stay."""
    status = status_get_own(status_id=status_id, viewer=account)
    if status.reblog_of_id is not None:
        raise errors.NotFound("Record not found")
    parsed = parse_quote_policy(policy)
    stored = stored_quote_policy(parsed, status.visibility, status.quote_policy)
    if stored != status.quote_policy:
        Status.objects.filter(pk=status.pk).update(quote_policy=stored)
        status.quote_policy = stored
    return status


@transaction.atomic
def status_quote_revoke(*, account, status_id: int | None,
                        quoting_status_id: int | None) -> Status:
    """The quoted status's author withdraws a quote of it (Mastodon's RevokeQuoteService): an
    accepted quote becomes revoked, any other not yet revoked rejected; the quoted status's
    count follows. Answers the quoting status.

    The quoted status must be visible to the caller (404 "Not Found"), the quote must exist
    (404 "Record not found"), and only the quoted status's author may revoke it (403)."""
    quoted = status_get_visible(status_id=status_id, viewer=account)
    quoting = quote_get_of(status=quoted, quoting_status_id=quoting_status_id)
    if quoting is None:
        raise errors.NotFound("Record not found")
    if quoted.account_id != account.pk:
        raise errors.NotAllowed("This action is not allowed")
    quoting = Status.objects.select_for_update().get(pk=quoting.pk)
    if quoting.quote_state == QuoteState.ACCEPTED:
        quoting.quote_state = QuoteState.REVOKED
    elif quoting.quote_state != QuoteState.REVOKED:
        quoting.quote_state = QuoteState.REJECTED
    Status.objects.filter(pk=quoting.pk).update(quote_state=quoting.quote_state)
    status_recount_shares(status_ids=[quoted.pk])
    # Rendered by the caller as far as the revoker may see it (a face checks it again).
    return status_base_queryset().get(pk=quoting.pk)

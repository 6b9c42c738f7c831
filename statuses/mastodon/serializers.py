"""Mastodon Status entity (section 3.1 of the behaviour spec), rendered as plain dicts.

Statuses sit on every hot path, so they are rendered by hand from stored columns rather than by
nested DRF serializers. Every function here is pure: it reads a status's row and the
`StatusPage` the page loader filled for the whole page (statuses/selectors/page.py: renderings,
media, cards, polls, quotes, the viewer's flags and filters), and never queries, caches or stashes anything.
`render_fixed` is the viewer-independent part the loader keeps in the render cache.
"""

from urllib.parse import quote

from django.utils import timezone

from accounts.mastodon.serializers import (
    datetime_ms,
    serialize_account,
    serialize_status_application,
)
from accounts.models import Visibility
from config import instance
from filters.mastodon.serializers import serialize_filter_result
from filters.matching import apply_filters
from media.mastodon.serializers import serialize_media
from media.models import MediaKind
from statuses import html_text
from statuses.models import QuotePolicy, QuoteState, TextFormat
from statuses.quote_policy import effective_quote_policy, quote_policy_for
from statuses.status_page import MASTODON as MASTODON_KEY
from statuses.status_page import Dialect, Quoted, StatusPage

# The per-viewer flags a reblog wrapper takes from its original.
WRAPPER_FLAGS = ("favourited", "reblogged", "muted", "bookmarked", "pinned")

VISIBILITY_NAMES = {
    Visibility.PUBLIC: "public",
    Visibility.UNLISTED: "unlisted",
    Visibility.PRIVATE: "private",
    Visibility.DIRECT: "direct",
    Visibility.LIMITED: "private",
}

# QuoteApproval's `automatic` list for each stored policy (`nobody` is an empty list).
QUOTE_POLICY_KEYS = {QuotePolicy.PUBLIC: "public", QuotePolicy.FOLLOWERS: "followers"}


def render_fixed(status, media: list) -> dict:
    """The viewer-independent part of a Status, from its columns and its own media: what the
    render cache keeps (statuses/render_cache.py), built once per version of the row."""
    tags_base = instance.tags_base_url()
    return {
        "id": str(status.pk),
        "created_at": datetime_ms(status.created_at),
        "in_reply_to_id": str(status.in_reply_to_id) if status.in_reply_to_id else None,
        "in_reply_to_account_id": (
            str(status.in_reply_to_account_id) if status.in_reply_to_account_id else None
        ),
        "sensitive": status.sensitive,
        "spoiler_text": status.spoiler_text,
        "visibility": VISIBILITY_NAMES[status.visibility],
        "language": status.language,
        "edited_at": datetime_ms(status.edited_at),
        "content": status.html,
        "media_attachments": [serialize_media(m) for m in media if m.kind != MediaKind.SHARE],
        "mentions": [
            {
                "id": str(account_id),
                "username": username,
                "url": instance.account_url(username),
                "acct": username,
            }
            for account_id, username in status.mention_data
        ],
        "tags": [{"name": name, "url": tags_base + quote(name, safe="")}
                 for name in status.tag_data],
    }


# What Mastodon's Status shows of a page (the page loader reads exactly this).
MASTODON = Dialect(key=MASTODON_KEY, render=render_fixed, quotes=True, cards=True, polls=True,
                   flags=True, quote_policies=True)


def serialize_poll(poll, *, viewer, author_id: int, own_votes: list[int] | None) -> dict:
    """A Poll. Option counts are null while `hide_totals` holds and the poll is open; `voted`
    and `own_votes` only for a user (`voted` is always true for the poll's author, who may not
    vote)."""
    expired = poll.expires_at is not None and poll.expires_at < timezone.now()
    shown = expired or not poll.hide_totals
    tallies = list(poll.tallies)
    data = {
        "id": str(poll.pk),
        "expires_at": datetime_ms(poll.expires_at),
        "expired": expired,
        "multiple": poll.multiple,
        "votes_count": poll.votes_count,
        "voters_count": poll.voters_count,
    }
    if viewer is not None:
        mine = list(own_votes or [])
        data["voted"] = viewer.pk == author_id or bool(mine)
        data["own_votes"] = mine
    data["options"] = [
        {"title": title,
         "votes_count": (tallies[i] if i < len(tallies) else 0) if shown else None}
        for i, title in enumerate(poll.options)
    ]
    data["emojis"] = []
    return data


def serialize_card(card) -> dict | None:
    """A PreviewCard, keys in Mastodon's order; `authors` holds the one author when the card
    names one (Mastodon 4.3+), no fediverse account."""
    if card is None:
        return None
    authors = []
    if card.author_name or card.author_url:
        authors.append({"name": card.author_name, "url": card.author_url, "account": None})
    return {
        "url": card.url,
        "title": card.title,
        "description": card.description,
        "language": card.language,
        "type": card.type,
        "author_name": card.author_name,
        "author_url": card.author_url,
        "provider_name": card.provider_name,
        "provider_url": card.provider_url,
        "html": card.html,
        "width": card.width,
        "height": card.height,
        "image": instance.absolute(card.image.url) if card.image else None,
        "image_description": card.image_description,
        "embed_url": card.embed_url,
        "blurhash": card.blurhash or None,
        "published_at": datetime_ms(card.published_at),
        "authors": authors,
    }


def _account(status, page: StatusPage, accounts: dict) -> dict:
    """The author, rendered once per serialization: authors repeat across a page."""
    rendered = accounts.get(status.account_id)
    if rendered is None:
        rendered = accounts[status.account_id] = serialize_account(status.account)
    return rendered


def _quote(status, page: StatusPage, accounts: dict) -> dict | None:
    """Mastodon 4.5's Quote for a status that shares another (`quote_of`): the quoted status
    only if the viewer may see it (the page's `quoted`)."""
    if status.quote_of_id is None:
        return None
    if status.quote_state != QuoteState.ACCEPTED:
        return {"state": QuoteState(status.quote_state).label, "quoted_status": None}
    quoted = page.quoted.get(status.pk) or Quoted(None)
    if quoted.status is None or quoted.status.deleted_at is not None:
        return {"state": "deleted", "quoted_status": None}
    if not quoted.visible:
        return {"state": "unauthorized", "quoted_status": None}
    return {"state": "accepted",
            "quoted_status": serialize_status(quoted.status, page, accounts=accounts,
                                              shallow=quoted)}


def _shallow_quote(status, facts: Quoted) -> dict | None:
    """The ShallowQuote of a quoted status, from what the page knows of what it quotes in turn
    (`facts`): its id only when the viewer may see it."""
    if status.quote_of_id is None:
        return None
    if status.quote_state != QuoteState.ACCEPTED:
        return {"state": QuoteState(status.quote_state).label, "quoted_status_id": None}
    if facts.inner_gone:
        return {"state": "deleted", "quoted_status_id": None}
    if not facts.inner_visible:
        return {"state": "unauthorized", "quoted_status_id": None}
    return {"state": "accepted", "quoted_status_id": str(status.quote_of_id)}


def serialize_status(status, page: StatusPage, *, accounts: dict | None = None,
                     source_requested: bool = False, shallow: Quoted | None = None) -> dict:
    """A Status from its row and the page. `shallow`, for a quoted status, holds what the page
    knows of what it quotes in turn (its own quote is then a ShallowQuote). The cached
    rendering gives what every reader sees; counters, the viewer's flags, the author, the poll
    and the quote are added for this request."""
    accounts = {} if accounts is None else accounts
    viewer = page.viewer
    flags = page.flags
    account = status.account
    is_author = viewer is not None and viewer.pk == status.account_id
    wrapper = status.reblog_of_id is not None
    rendering = page.renderings[status.pk]
    uri = instance.status_uri(account.username, status.pk)
    data = {
        "id": rendering["id"],
        "created_at": rendering["created_at"],
        "in_reply_to_id": rendering["in_reply_to_id"],
        "in_reply_to_account_id": rendering["in_reply_to_account_id"],
        "sensitive": rendering["sensitive"],
        "spoiler_text": rendering["spoiler_text"],
        "visibility": rendering["visibility"],
        "language": rendering["language"],
        "uri": uri + "/activity" if wrapper else uri,
        "url": uri + "/activity" if wrapper else instance.status_url(account.username, status.pk),
        "replies_count": status.replies_count,
        "reblogs_count": status.reblogs_count,
        "favourites_count": status.likes_count,
        "quotes_count": status.shares_count,
        "edited_at": rendering["edited_at"],
    }
    original = serialize_status(status.reblog_of, page, accounts=accounts) if wrapper else None
    if viewer is not None and wrapper:
        # A reblog wrapper reports the viewer's relationship to the original (Mastodon's
        # StatusCacheHydrator): the booster sees `reblogged: true` on both.
        for key in WRAPPER_FLAGS:
            if key in original:
                data[key] = original[key]
    elif viewer is not None:
        data["favourited"] = status.pk in flags.favourited
        data["reblogged"] = status.pk in flags.reblogged
        data["muted"] = (status.thread_root_id or status.pk) in flags.muted_threads
        data["bookmarked"] = status.pk in flags.bookmarked
        if is_author and status.visibility <= Visibility.PRIVATE:
            data["pinned"] = status.pk in flags.pinned
    if source_requested:
        data["text"] = source_text(status)
    else:
        data["content"] = rendering["content"]
    if viewer is not None:
        data["filtered"] = (original["filtered"] if wrapper
                            else _filtered(status, rendering, page, [status.pk]))
    data["reblog"] = original
    if account.show_application or is_author:
        data["application"] = serialize_status_application(status.application)
    data["account"] = _account(status, page, accounts)
    data["media_attachments"] = rendering["media_attachments"]
    data["mentions"] = rendering["mentions"]
    data["tags"] = rendering["tags"]
    data["emojis"] = []
    data["quote"] = (_shallow_quote(status, shallow) if shallow is not None
                     else _quote(status, page, accounts))
    data["card"] = (serialize_card(page.cards.get(status.card_id))
                    if status.card_id is not None else None)
    data["poll"] = _poll(status, page)
    data["quote_approval"] = _quote_approval(status.reblog_of if wrapper else status, page)
    return data


def searchable_text(status, rendering: dict, page: StatusPage) -> str:
    """What filters match, as Mastodon's Status#searchable_text: the spoiler, the content's
    plain text, the media descriptions and the poll's options, one per line."""
    parts = [rendering["spoiler_text"], html_text.plain_text(rendering["content"])]
    parts += [m.get("description") or "" for m in rendering["media_attachments"]]
    poll = page.polls.by_status.get(status.pk) if status.has_poll else None
    if poll is not None:
        parts += [str(option) for option in poll.options]
    return "\n\n".join(p for p in parts if p)


def _filtered(status, rendering: dict, page: StatusPage, ids: list[int]) -> list[dict]:
    """The FilterResults of the viewer's active filters on a status (a reblog wrapper shows its
    original's)."""
    if not page.filters:
        return []
    return [serialize_filter_result(result) for result in
            apply_filters(page.filters, searchable_text(status, rendering, page), ids)]


def hidden_in(data: dict, context: str) -> bool:
    """Whether a rendered status has a `hide` filter applying in `context` (it leaves the list)."""
    return any(result["filter"]["filter_action"] == "hide" and context in result["filter"]["context"]
               for result in data.get("filtered") or ())


def _poll(status, page: StatusPage) -> dict | None:
    poll = page.polls.by_status.get(status.pk) if status.has_poll else None
    if poll is None:
        return None
    return serialize_poll(poll, viewer=page.viewer, author_id=status.account_id,
                          own_votes=page.polls.own_votes.get(poll.pk, []))


def _quote_approval(proper, page: StatusPage) -> dict:
    """Mastodon 4.5's QuoteApproval, computed on the proper status (the original of a reblog),
    from the page's `quote_follows`."""
    policy = effective_quote_policy(proper)
    automatic = [QUOTE_POLICY_KEYS[policy]] if policy in QUOTE_POLICY_KEYS else []
    current = quote_policy_for(proper, page.viewer,
                               follows_author=proper.account_id in page.quote_follows)
    return {"automatic": automatic, "manual": [], "current_user": current}


def serialize_statuses(statuses, page: StatusPage) -> list[dict]:
    accounts: dict = {}
    return [serialize_status(s, page, accounts=accounts) for s in statuses]


def history_shows_a_quote(revisions) -> bool:
    """Whether any revision quoted something (only then is the status's quote needed)."""
    return any(edit.quoted_status_id is not None for edit, _ in revisions)


def serialize_history(status, revisions, page: StatusPage | None) -> list[dict]:
    """StatusEdit entities (spec 3.6), oldest first, each with its media as they were then, and
    its quote: the status's current one as this viewer may see it (from `page`, loaded when
    history_shows_a_quote), or `pending` with no status when that revision quoted something the
    status no longer does."""
    account = serialize_account(status.account)
    accounts: dict = {}
    entries = []
    for edit, media_by_id in revisions:
        attachments = []
        for media_id, description in edit.media:
            media = media_by_id.get(media_id)
            if media is not None and media.kind != MediaKind.SHARE:
                rendered = serialize_media(media)
                rendered["description"] = description or None
                attachments.append(rendered)
        entries.append({
            "content": edit.html,
            "spoiler_text": edit.spoiler_text,
            "sensitive": edit.sensitive,
            "created_at": datetime_ms(edit.created_at),
            "account": account,
            "media_attachments": attachments,
            "emojis": [],
        })
        if edit.poll_options is not None:
            entries[-1]["poll"] = {"options": [{"title": t} for t in edit.poll_options]}
        if edit.quoted_status_id is not None:
            entries[-1]["quote"] = (
                _quote(status, page, accounts) if edit.quoted_status_id == status.quote_of_id
                else {"state": "pending", "quoted_status": None})
    return entries


def source_text(status) -> str:
    """The text a Mastodon client edits: a SelfCommunity status's HTML as plain text."""
    if status.text_format == TextFormat.HTML:
        return html_text.plain_text(status.text)
    return status.text


def serialize_source(status) -> dict:
    return {"id": str(status.pk), "text": source_text(status), "spoiler_text": status.spoiler_text}

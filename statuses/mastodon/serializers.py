"""Mastodon Status entity (section 3.1 of the behaviour spec), rendered as plain dicts.

Statuses sit on every hot path, so they are rendered by hand from stored columns rather than by
nested DRF serializers. Per-viewer flags come from a `ViewerState` built once for a whole page.
"""

from dataclasses import dataclass, field, fields
from urllib.parse import quote

from accounts.mastodon.serializers import (
    datetime_ms,
    serialize_account,
    serialize_status_application,
)
from accounts.models import Visibility
from config import instance
from media.mastodon.serializers import serialize_media
from media.models import MediaKind
from statuses import html_text, render_cache
from statuses.mastodon.cards import serialize_card
from statuses.mastodon.polls import serialize_poll
from statuses.models import QuotePolicy, QuoteState, TextFormat
from statuses.selectors.cards import attach_cards
from statuses.selectors.flags import ViewerFlags, viewer_flags
from statuses.selectors.page import attach_media, attach_quotes
from statuses.selectors.polls import PagePolls, polls_for_page
from statuses.selectors.quotes import effective_quote_policy, quote_follows, quote_policy_for

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


@dataclass
class ViewerState:
    """One page's per-viewer flags plus the authors already rendered for it."""

    viewer: object | None
    flags: ViewerFlags = field(default_factory=ViewerFlags)
    # Rendered accounts by id: authors repeat across a page and are rendered once.
    accounts: dict[int, dict] = field(default_factory=dict)
    # The page's polls and the viewer's votes in them.
    polls: PagePolls = field(default_factory=PagePolls)
    # Authors the viewer follows whose followers-only quote policy the page needs.
    quote_follows: set[int] = field(default_factory=set)


def viewer_state(viewer, statuses, flags: ViewerFlags | None = None) -> ViewerState:
    """Everything a page of statuses needs besides the rows: what they quote (one query, only if
    some status quotes another), the viewer's flags on the page and on the quoted statuses it
    may see (one query, none for anonymous callers; with `flags` already read with a single
    status, one more only when it quotes), the media of both (one query, only if some
    status has media or a quote), their preview cards (one query, only if some has one), and
    the polls of all of them with the viewer's votes (one query, only if some status has a
    poll)."""
    quoted = attach_quotes(statuses, viewer)
    everything = [*statuses, *quoted]
    originals = [s.reblog_of for s in everything
                 if s.reblog_of_id is not None and s.reblog_of is not None]
    # Media are read only for the statuses whose rendering is not cached.
    attach_media(attach_renderings([*everything, *originals]))
    attach_cards(everything)
    if flags is None:
        flags = viewer_flags(viewer, everything)
    elif quoted:
        more = viewer_flags(viewer, quoted)
        for name in (f.name for f in fields(ViewerFlags)):
            getattr(flags, name).update(getattr(more, name))
    return ViewerState(viewer=viewer, flags=flags, polls=polls_for_page(everything, viewer),
                       quote_follows=quote_follows(viewer, everything))


def _account(status, state: ViewerState) -> dict:
    rendered = state.accounts.get(status.account_id)
    if rendered is None:
        rendered = state.accounts[status.account_id] = serialize_account(status.account)
    return rendered


def _quote(status, state: ViewerState) -> dict | None:
    """Mastodon 4.5's Quote for a status that shares another (`quote_of`, loaded with this
    viewer's visibility by `attach_quotes`): the quoted status only if the viewer may see it."""
    if status.quote_of_id is None:
        return None
    if status.quote_state != QuoteState.ACCEPTED:
        return {"state": QuoteState(status.quote_state).label, "quoted_status": None}
    quoted = status.quote_of
    if quoted is None or quoted.deleted_at is not None:
        return {"state": "deleted", "quoted_status": None}
    if not quoted.viewer_may_see:
        return {"state": "unauthorized", "quoted_status": None}
    return {"state": "accepted", "quoted_status": serialize_status(quoted, state, shallow=True)}


def _shallow_quote(status) -> dict | None:
    """The ShallowQuote of a quoted status, from the facts `attach_quotes` read about what it
    quotes in turn: its id only when the viewer may see it."""
    if status.quote_of_id is None:
        return None
    if status.quote_state != QuoteState.ACCEPTED:
        return {"state": QuoteState(status.quote_state).label, "quoted_status_id": None}
    if status.quote_gone:
        return {"state": "deleted", "quoted_status_id": None}
    if not status.quote_viewer_may_see:
        return {"state": "unauthorized", "quoted_status_id": None}
    return {"state": "accepted", "quoted_status_id": str(status.quote_of_id)}


def _rendering(status) -> dict:
    """The viewer-independent part of a Status (statuses/render_cache.py): built once per
    version of the row, from its columns and its own media (`media_list`, read only on a miss)."""
    rendering = getattr(status, "_mastodon_rendering", None)
    if rendering is not None:
        return rendering
    rendering = render_cache.cached(render_cache.MASTODON, status)
    if rendering is None:
        tags_base = instance.tags_base_url()
        rendering = {
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
            "media_attachments": [serialize_media(m) for m in status.media_list
                                  if m.kind != MediaKind.SHARE],
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
        render_cache.keep(render_cache.MASTODON, status, rendering)
    status._mastodon_rendering = rendering
    return rendering


def attach_renderings(statuses) -> list:
    """Look up the cached renderings of a page's statuses; returns those that still need their
    media read (the misses)."""
    misses = []
    for status in statuses:
        if getattr(status, "_mastodon_rendering", None) is not None:
            continue
        rendering = render_cache.cached(render_cache.MASTODON, status)
        if rendering is None:
            misses.append(status)
        else:
            status._mastodon_rendering = rendering
    return misses


def serialize_status(status, state: ViewerState, *, source_requested: bool = False,
                     shallow: bool = False) -> dict:
    """A Status; `shallow` for a quoted one, whose own quote is a ShallowQuote. The cached
    rendering gives what every reader sees; counters, the viewer's flags, the author, the poll
    and the quote are added for this request."""
    viewer = state.viewer
    flags = state.flags
    account = status.account
    is_author = viewer is not None and viewer.pk == status.account_id
    wrapper = status.reblog_of_id is not None
    rendering = _rendering(status)
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
    original = serialize_status(status.reblog_of, state) if wrapper else None
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
        data["filtered"] = []
    data["reblog"] = original
    if account.show_application or is_author:
        data["application"] = serialize_status_application(status.application)
    data["account"] = _account(status, state)
    data["media_attachments"] = rendering["media_attachments"]
    data["mentions"] = rendering["mentions"]
    data["tags"] = rendering["tags"]
    data["emojis"] = []
    data["quote"] = _shallow_quote(status) if shallow else _quote(status, state)
    data["card"] = serialize_card(status.card) if status.card_id is not None else None
    data["poll"] = _poll(status, state)
    data["quote_approval"] = _quote_approval(status.reblog_of if wrapper else status, state)
    return data


def _poll(status, state: ViewerState) -> dict | None:
    poll = state.polls.by_status.get(status.pk) if status.has_poll else None
    if poll is None:
        return None
    return serialize_poll(poll, viewer=state.viewer, author_id=status.account_id,
                          own_votes=state.polls.own_votes.get(poll.pk, []))


def _quote_approval(proper, state: ViewerState) -> dict:
    """Mastodon 4.5's QuoteApproval, computed on the proper status (the original of a reblog),
    from the page's `quote_follows` (no query of its own)."""
    policy = effective_quote_policy(proper)
    automatic = [QUOTE_POLICY_KEYS[policy]] if policy in QUOTE_POLICY_KEYS else []
    current = quote_policy_for(proper, state.viewer,
                               follows_author=proper.account_id in state.quote_follows)
    return {"automatic": automatic, "manual": [], "current_user": current}


def serialize_statuses(statuses, viewer) -> list[dict]:
    state = viewer_state(viewer, statuses)
    return [serialize_status(s, state) for s in statuses]


def serialize_history(status, revisions, viewer) -> list[dict]:
    """StatusEdit entities (spec 3.6), oldest first, each with its media as they were then, and
    its quote: the status's current one as this viewer may see it, or `pending` with no status
    when that revision quoted something the status no longer does."""
    account = serialize_account(status.account)
    quoted = any(edit.quoted_status_id is not None for edit, _ in revisions)
    state = viewer_state(viewer, [status]) if quoted else None
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
                _quote(status, state) if edit.quoted_status_id == status.quote_of_id
                else {"state": "pending", "quoted_status": None})
    return entries


def source_text(status) -> str:
    """The text a Mastodon client edits: a SelfCommunity status's HTML as plain text."""
    if status.text_format == TextFormat.HTML:
        return html_text.plain_text(status.text)
    return status.text


def serialize_source(status) -> dict:
    return {"id": str(status.pk), "text": source_text(status), "spoiler_text": status.spoiler_text}

"""The parameters of Mastodon's status writes: the raw poll of a form or JSON body, the options of
a post as submitted (kept as a scheduled status's `params`), and the PostDraft of a post."""

from config.api.mastodon import param_list, param_str, parse_id
from statuses.services.posting import PostDraft

POLL_KEYS = ("expires_in", "multiple", "hide_totals")


def param_poll(data) -> dict | None:
    """The raw poll of a form (`poll[options][]`, `poll[expires_in]`, ...) or JSON body
    (`{"poll": {...}}`): only the keys given, values untouched (the service casts and validates
    them); None when no poll was given. A JSON `poll` that is not an object is no poll."""
    raw = data.get("poll") if hasattr(data, "get") else None
    if isinstance(raw, dict):
        poll = {key: raw[key] for key in ("options", *POLL_KEYS) if key in raw}
        return poll or None
    if not hasattr(data, "getlist"):
        return None
    poll = {}
    options = data.getlist("poll[options][]")
    if options:
        poll["options"] = list(options)
    elif "poll[options]" in data:
        poll["options"] = data.get("poll[options]")  # a scalar: not a list of options
    for key in POLL_KEYS:
        values = data.getlist(f"poll[{key}]")
        if values:
            poll[key] = values[-1]
    return poll or None


def _raw(data, key: str):
    """A scalar parameter exactly as submitted: form values are strings, JSON keeps its types
    (Mastodon stores `"sensitive": "true"` from a form, `true` from JSON)."""
    if hasattr(data, "getlist"):
        values = data.getlist(key)
        value = values[-1] if values else None
    else:
        value = data.get(key) if hasattr(data, "get") else None
    return None if isinstance(value, (list, dict)) else value


def submitted_params(data) -> dict:
    """The options of a POST /api/v1/statuses as submitted, for a scheduled status's `params`
    (item 71; the service adds the keys it decides)."""
    return {
        "text": param_str(data, "status"),
        "media_ids": param_list(data, "media_ids"),
        "sensitive": _raw(data, "sensitive"),
        "spoiler_text": param_str(data, "spoiler_text"),
        "visibility": param_str(data, "visibility"),
        "language": param_str(data, "language"),
        "poll": param_poll(data),
        "allowed_mentions": param_list(data, "allowed_mentions"),
        "quoted_status_id": param_str(data, "quoted_status_id"),
        "quote_approval_policy": param_str(data, "quote_approval_policy"),
    }


def post_draft(data, *, idempotency_key: str | None) -> PostDraft:
    """The PostDraft of a POST /api/v1/statuses body: its options as submitted (which a
    scheduled post keeps), read as publishing reads them back, plus the reply target (one that
    names no row is kept as given, for the service's 404), the time and the idempotency key."""
    submitted = submitted_params(data)
    in_reply_to_raw = param_str(data, "in_reply_to_id")
    in_reply_to_given = in_reply_to_raw is not None and in_reply_to_raw.strip() != ""
    return PostDraft.from_options(
        submitted,
        in_reply_to_id=parse_id(in_reply_to_raw) if in_reply_to_given else None,
        in_reply_to_given=in_reply_to_given,
        scheduled_at=param_str(data, "scheduled_at"),
        idempotency_key=idempotency_key,
        submitted=submitted,
    )

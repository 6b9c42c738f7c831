"""Posting: create and delete statuses."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest, Lower
from django.utils import timezone

from accounts.models import Account, Block, Visibility
from config import errors, events, instance, ratelimit
from config.languages import normalize_language
from config.params import param_bool, param_list, param_str, parse_id
from media import services as media_services
from statuses import html_text, rendering
from statuses.models import (
    IdempotencyKey,
    Mention,
    Pin,
    ScheduledStatus,
    Status,
    StatusEdit,
    StatusTag,
    TextFormat,
)
from statuses.selectors.single import status_get_visible
from statuses.services import authored, notifying, quotes, scheduling
from statuses.services.attachments import status_attach_media, status_recount_shares
from statuses.services.cards import status_card_schedule
from statuses.services.direct import (
    direct_status_deleted,
    direct_status_edited,
    direct_status_posted,
)
from statuses.services.polls import (
    is_poll,
    poll_create,
    poll_for_update,
    poll_parse,
    poll_replace,
)
from statuses.services.writing import edit_snapshot, hashtags_upsert, language_for

REPLY_TARGET_MISSING = "The post you are trying to reply to does not appear to exist."
VISIBILITY_NAMES = {v.label: v.value for v in Visibility if v != Visibility.LIMITED}


def parse_visibility(name: str | None) -> int | None:
    """The stored value of a Mastodon visibility name; Invalid for an unknown one."""
    if name is None or name == "":
        return None
    if name not in VISIBILITY_NAMES:
        raise errors.Invalid("Visibility is not included in the list")
    return VISIBILITY_NAMES[name]


@dataclass(frozen=True)
class ResolvedText:
    text: str
    html: str
    mentioned: list[Account]
    tags: list[str]


def _resolve_mentions(*, author: Account, text: str) -> dict[str, Account]:
    """Local accounts mentioned in `text`, keyed by the lowercased mention as written.
    Unknown, suspended and blocked accounts are left as plain text (spec item 55)."""
    wanted: dict[str, str] = {}
    local = instance.local_domain()
    for username, domain in rendering.extract_mentions(text):
        if domain is None or domain.lower() == local:
            key = username.lower() if domain is None else f"{username}@{domain}".lower()
            wanted[key] = username.lower()
    if not wanted:
        return {}
    accounts = {
        a.username.lower(): a
        for a in Account.objects.annotate(lower_name=Lower("username")).filter(
            lower_name__in=set(wanted.values()), suspended_at__isnull=True, is_active=True
        )
    }
    blocked = set(
        Block.objects.filter(account=author, target__in=accounts.values()).values_list(
            "target_id", flat=True
        )
    )
    return {
        key: accounts[name]
        for key, name in wanted.items()
        if name in accounts and accounts[name].pk not in blocked
    }


def render_plain_text(*, author: Account, text: str) -> ResolvedText:
    """Normalise mentions to their canonical form and render Mastodon HTML."""
    resolved = _resolve_mentions(author=author, text=text)

    def resolve(username: str, domain: str | None):
        key = username.lower() if domain is None else f"{username}@{domain}".lower()
        account = resolved.get(key)
        if account is None:
            return None
        return rendering.MentionRef(
            username=account.username, url=instance.account_url(account.username),
            acct=account.acct,
        )

    normalized = rendering.normalize_mentions(text, resolve)
    refs = {}
    mentioned: list[Account] = []
    for username, domain in rendering.extract_mentions(normalized):
        key = username.lower() if domain is None else f"{username}@{domain}".lower()
        ref = resolve(username, domain)
        if ref is not None:
            refs[key] = ref
            account = resolved[key]
            if account not in mentioned:
                mentioned.append(account)
    html = rendering.render_plain(
        normalized, tags_base_url=instance.tags_base_url(), mentions=refs
    )
    return ResolvedText(
        text=normalized, html=html, mentioned=mentioned,
        tags=[rendering.normalize_hashtag(t) for t in rendering.extract_hashtags(normalized)],
    )


def sc_renderings_for_plain(*, html: str, text: str, mentions) -> tuple[str, str, str]:
    """SelfCommunity's html, summary and slug for a plain-text status whose Mastodon HTML is
    `html`; `mentions` are its (account id, username, ext_id) triples."""
    by_url = {
        instance.account_url(username): html_text.MentionTarget(
            id=pk, username=username, ext_id=ext_id, url=instance.account_url(username))
        for pk, username, ext_id in mentions
    }
    sc_html = html_text.sc_html_from_mastodon(html, by_url.get)
    return sc_html, html_text.summary(text), html_text.slug(text)


@dataclass(frozen=True)
class PostDraft:
    """A Mastodon post as the client asked for it, before any check: the face builds it from
    `POST /api/v1/statuses`, publishing builds it from a scheduled status's kept parameters, and
    `status_create` validates and writes it. Values are as sent (cast, not validated)."""

    text: str | None = None
    spoiler_text: str | None = None
    visibility: str | None = None
    sensitive: bool | None = None
    language: str | None = None
    in_reply_to_id: int | None = None
    # Whether a reply target was named at all: one named that names no row (its id None) is the
    # 404 of a missing target, not a post without one.
    in_reply_to_given: bool = False
    media_ids: list[str] | None = None
    allowed_mentions: list[str] | None = None
    # The raw poll (services/polls.py validates it with the status).
    poll: dict | None = None
    # `quoted_status_id`, `quoted_given` and `policy` (services/quotes.py).
    quote: dict | None = None
    scheduled_at: str | None = None
    idempotency_key: str | None = None
    # The options exactly as submitted, which a scheduled post keeps and shows (item 71): the
    # face collects them from the request; None derives them from the fields above.
    submitted: dict | None = None

    @classmethod
    def from_options(cls, options: dict, **fields: Any) -> "PostDraft":
        """The draft of a post's options as submitted, each cast as Rails casts a request's
        parameter, plus `fields` (the reply target and what else the options do not hold). The
        options are the keys a scheduled status keeps (item 71: `text`, `spoiler_text`,
        `visibility`, `sensitive`, `language`, `media_ids`, `poll`, `allowed_mentions`,
        `quoted_status_id`, `quote_approval_policy`): the face reads a request into them, and
        publishing reads them back, so a post and its scheduled publication read alike."""
        quoted = param_str(options, "quoted_status_id")
        quoted_given = quoted is not None and quoted.strip() != ""
        return cls(
            text=param_str(options, "text"),
            spoiler_text=param_str(options, "spoiler_text"),
            visibility=param_str(options, "visibility"),
            sensitive=param_bool(options, "sensitive"),
            language=param_str(options, "language"),
            media_ids=param_list(options, "media_ids"),
            allowed_mentions=param_list(options, "allowed_mentions"),
            poll=options.get("poll"),
            quote={"quoted_status_id": parse_id(quoted) if quoted_given else None,
                   "quoted_given": quoted_given,
                   "policy": param_str(options, "quote_approval_policy")},
            **fields,
        )

    def submitted_options(self) -> dict:
        """The options a scheduled post keeps: as the face collected them, else (a command, a
        test) the draft's own fields."""
        if self.submitted is not None:
            return self.submitted
        quote = self.quote or {}
        return {
            "text": self.text, "spoiler_text": self.spoiler_text, "visibility": self.visibility,
            "sensitive": self.sensitive, "language": self.language, "media_ids": self.media_ids,
            "poll": self.poll, "allowed_mentions": self.allowed_mentions,
            "quoted_status_id": (str(quote["quoted_status_id"])
                                 if quote.get("quoted_status_id") is not None else None),
            "quote_approval_policy": quote.get("policy"),
        }


def status_create(
    *,
    account: Account,
    draft: PostDraft | None = None,
    application=None,
    rate_limited: bool = False,
    **fields: Any,
) -> Status | ScheduledStatus:
    """Post a plain-text status (Mastodon's PostStatusService, sections D and E of the spec).

    `draft` is the post. A caller without one (a command, the seed, a test) may give the draft's
    fields as keywords instead: `status_create(account=a, text="hi")`. New options of a post
    are new fields of PostDraft, not new arguments here.

    With a future `scheduled_at`, the post is checked as an immediate one and then kept for later
    instead (section F, statuses/services/scheduling.py): a ScheduledStatus is returned, storing
    the options as the client sent them (`PostDraft.submitted_options`).

    With an idempotency key, the first status made with that key by this account within an hour
    is returned instead of a new one, even when the retries arrive at the same time: the key row
    is inserted in the same transaction as the status, so a concurrent retry waits on the unique
    index and then reads the winner's status.

    `rate_limited` charges the posting limit (the API's posts; not a scheduled one's
    publication, nor a command's).
    """
    if draft is None:
        draft = PostDraft(**fields)
    elif fields:
        raise TypeError(f"status_create() takes a draft or its fields, not both: {sorted(fields)}")
    when = scheduling.scheduled_for(draft.scheduled_at, strict=False)
    if when is not None:
        rate_limited = False  # a post kept for later is not charged (item 72)
    key = draft.idempotency_key
    if rate_limited and ratelimit.enabled():
        rule, who = ratelimit.rule("statuses"), f"a{account.pk}"
        if key and _idempotent_status(account=account, key=key[:255]):
            rate_limited = False  # a replayed post is not a new one
        else:
            count = ratelimit.hit(rule, who)
            if count.exceeded:
                ratelimit.undo(rule, who)
                raise ratelimit.exceeded(count)
    created = False
    try:
        status, created = _status_create_once(account=account, draft=draft,
                                              application=application, scheduled_for=when)
        return status
    except errors.Invalid as exc:
        if when is not None and not isinstance(exc, scheduling.ScheduleInvalid):
            # A scheduled post reports its status's validation without the details (item 69).
            raise errors.Rejected(scheduling.RECORD_INVALID) from None
        raise
    finally:
        # A failed post, or a retry that found the first one, gives its count back.
        if rate_limited and not created and ratelimit.enabled():
            ratelimit.undo(ratelimit.rule("statuses"), f"a{account.pk}")


def _status_create_once(*, account, draft: PostDraft, **options) -> tuple[Status, bool]:
    """(status, whether this call created it)."""
    if not draft.idempotency_key:
        return _status_create(account=account, draft=draft, **options), True
    key = draft.idempotency_key[:255]
    existing = _idempotent_status(account=account, key=key)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            IdempotencyKey.objects.filter(
                account=account, key=key,
                created_at__lt=timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_TTL_SECONDS),
            ).delete()
            status = _status_create(account=account, draft=draft, **options)
            IdempotencyKey.objects.create(account=account, key=key,
                                          **scheduling.idempotency_target(status))
            return status, True
    except IntegrityError:
        existing = _idempotent_status(account=account, key=key)
        if existing is None:
            raise
        return existing, False


def _idempotent_status(*, account: Account, key: str) -> Status | ScheduledStatus | None:
    cutoff = timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_TTL_SECONDS)
    row = (
        IdempotencyKey.objects.select_related("status__account", "status__application",
                                              "scheduled_status")
        .filter(account=account, key=key, created_at__gte=cutoff)
        .first()
    )
    if row is None:
        return None
    return row.status if row.status_id is not None else row.scheduled_status


@transaction.atomic
def _status_create(*, account: Account, draft: PostDraft, application, scheduled_for
                   ) -> Status | ScheduledStatus:
    # Mastodon's order: the reply target (controller), scheduling, media, poll, mentions, then
    # the record's own validations.
    parent = None
    if draft.in_reply_to_given:
        # The one visibility rule every read uses; a reply to a reblog answers its original.
        try:
            parent = status_get_visible(status_id=draft.in_reply_to_id, viewer=account)
        except errors.NotFound:
            raise errors.NotFound(REPLY_TARGET_MISSING) from None
        if parent.reblog_of_id is not None:
            parent = parent.reblog_of
    # `quote`: quoted_status_id / quoted_given / policy (statuses/services/quotes.py).
    quoting = quotes.quote_plan(account=account, **(draft.quote or {}))
    scheduling.parse_scheduled_at(draft.scheduled_at)  # an unparseable time: "Record invalid"
    _refuse_poll_with_media(draft.poll, draft.media_ids)
    media = media_services.media_for_status(account=account, media_ids=draft.media_ids)

    text = (draft.text or "").strip()
    spoiler_text = (draft.spoiler_text or "").strip()
    sensitive = draft.sensitive
    if not text and spoiler_text and quoting.quoted is None:
        # Mastodon posts a lone content warning as the text, marked sensitive (item 37).
        text, spoiler_text, sensitive = spoiler_text, "", True

    problems: list[str] = []
    try:
        chosen_visibility = parse_visibility(draft.visibility)
    except errors.Invalid as exc:
        problems.extend(exc.messages)
        chosen_visibility = Visibility.PUBLIC
    if not text and not media and quoting.quoted is None:
        problems.append("Text can't be blank")
    elif rendering.status_length(text, spoiler_text) > settings.STATUS_MAX_CHARACTERS:
        problems.append(f"Text character limit of {settings.STATUS_MAX_CHARACTERS} exceeded")
    # The poll is validated with the status, its messages after the status's own.
    poll_spec, poll_problems = poll_parse(draft.poll)
    problems.extend(poll_problems)
    if problems:
        raise errors.Invalid(*problems)
    if scheduled_for is not None:
        # Every check of an immediate post has passed: keep it for later instead (section F).
        return scheduling.scheduled_status_create(
            account=account, when=scheduled_for, submitted=draft.submitted_options(),
            media=media, in_reply_to=parent, application=application,
        )

    if chosen_visibility is None:
        if account.default_visibility is not None:
            chosen_visibility = account.default_visibility
        else:
            chosen_visibility = Visibility.PRIVATE if account.locked else Visibility.PUBLIC
    if account.silenced_at is not None and chosen_visibility == Visibility.PUBLIC:
        chosen_visibility = Visibility.UNLISTED
    chosen_visibility = quoting.visibility(chosen_visibility)
    if sensitive is None:
        sensitive = account.default_sensitive
    if spoiler_text:
        sensitive = True

    resolved = render_plain_text(author=account, text=text)
    if draft.allowed_mentions is not None:
        allowed = {str(a) for a in draft.allowed_mentions}
        unexpected = [a for a in resolved.mentioned if str(a.pk) not in allowed]
        if unexpected:
            raise errors.UnexpectedMentions(unexpected)
    quoting.check_audience(account=account, visibility=chosen_visibility,
                           mentioned=resolved.mentioned)
    now = timezone.now()
    sc_html, summary, slug = sc_renderings_for_plain(
        html=resolved.html, text=resolved.text,
        mentions=[(a.pk, a.username, a.ext_id) for a in resolved.mentioned],
    )
    status = Status(
        account=account,
        application=application,
        created_at=now,
        last_activity_at=now,
        text=resolved.text,
        text_format=TextFormat.PLAIN,
        spoiler_text=spoiler_text,
        html=quoting.html(resolved.html, resolved.text),
        sc_html=sc_html,
        summary=summary,
        slug=slug,
        mention_data=[[a.pk, a.username] for a in resolved.mentioned],
        tag_data=list(dict.fromkeys(resolved.tags)),
        visibility=chosen_visibility,
        sensitive=bool(sensitive),
        language=language_for(account, draft.language),
        has_poll=poll_spec is not None,
        quote_policy=quoting.stored_policy(chosen_visibility),
    )
    if parent is not None:
        status.in_reply_to = parent
        status.thread_root_id = parent.thread_root_id or parent.pk
        # A reply to your own reply keeps pointing at whoever that reply answered (item 43).
        if parent.account_id == account.pk and parent.in_reply_to_account_id is not None:
            status.in_reply_to_account_id = parent.in_reply_to_account_id
        else:
            status.in_reply_to_account_id = parent.account_id
    status.save()
    if poll_spec is not None:
        poll_create(status=status, spec=poll_spec, now=now)
    media = media + quoting.share_media(account=account)
    if media:
        status_attach_media(status=status, media=media)

    if resolved.mentioned:
        Mention.objects.bulk_create(
            [Mention(status=status, account=a) for a in resolved.mentioned]
        )
    quoting.grant_access(status=status)
    hashtags = hashtags_upsert(status.tag_data)
    if hashtags:
        StatusTag.objects.bulk_create([StatusTag(status=status, hashtag=h) for h in hashtags])

    if authored.author_counts_add(status=status, account=account, last_status_at=now.date()):
        account.last_status_at = now.date()
    if parent is not None:
        updates = {"last_activity_at": now}
        if chosen_visibility in (Visibility.PUBLIC, Visibility.UNLISTED):
            updates["replies_count"] = F("replies_count") + 1
        Status.objects.filter(pk=parent.pk).update(**updates)
    status_card_schedule(status=status)
    events.announce(events.status_created, status_id=status.pk)
    direct_status_posted(status=status)
    notifying.status_announce_new(status=status, mentioned=[a.pk for a in resolved.mentioned])
    return status


def counts_as_reply(status: Status) -> bool:
    """Whether a reply counts in its parent's replies_count: Mastodon counts public and unlisted
    replies; a SelfCommunity comment keeping its status's audience counts too."""
    return status.visibility in (Visibility.PUBLIC, Visibility.UNLISTED) or (
        status.audience_id is not None)


@transaction.atomic
def status_delete(*, status: Status, delete_media: bool = False) -> Status:
    """Soft-delete a status and its reblogs at once, and correct the counters (section H).

    The admin's delete and both dialects' DELETE call this. Returns the status as it was, so the
    caller can render it for delete-and-redraft.
    """
    now = timezone.now()
    if not Status.objects.filter(pk=status.pk, deleted_at__isnull=True).update(deleted_at=now):
        return status  # someone else deleted it first: the counters were corrected then
    status.deleted_at = now
    # What the author's counters count, as the row is now that this delete holds its lock (the
    # caller's copy was read unlocked: an edit may have added or removed a poll since).
    status.visibility, status.has_poll, status.contribution_type = (
        Status.objects.filter(pk=status.pk)
        .values_list("visibility", "has_poll", "contribution_type").get())
    # Its reblogs disappear with it; each reblogger has at most one live wrapper.
    rebloggers = list(
        Status.objects.filter(reblog_of_id=status.pk, deleted_at__isnull=True)
        .exclude(visibility=Visibility.DIRECT)
        .values_list("account_id", flat=True)
    )
    Status.objects.filter(reblog_of_id=status.pk, deleted_at__isnull=True).update(deleted_at=now)
    if rebloggers:
        Account.objects.filter(pk__in=rebloggers).update(
            statuses_count=Greatest(F("statuses_count") - 1, 0)
        )
    Pin.objects.filter(status_id=status.pk).delete()
    if status.media_count or status.quote_of_id:
        # Kept for a redraft (unattached again) unless the caller asks to delete them.
        released = media_services.media_release(status=status, delete_media=delete_media)
        if released:
            Status.objects.filter(pk=status.pk).update(released_media=released)
    if status.quote_of_id:
        status_recount_shares(status_ids=[status.quote_of_id])
    authored.author_counts_remove(status=status)
    if status.in_reply_to_id is not None and counts_as_reply(status):
        Status.objects.filter(pk=status.in_reply_to_id).update(
            replies_count=Greatest(F("replies_count") - 1, 0)
        )
    if status.reblog_of_id is not None:
        Status.objects.filter(pk=status.reblog_of_id).update(
            reblogs_count=Greatest(F("reblogs_count") - 1, 0)
        )
        # A reblog deleted as a status (DELETE of the wrapper) is unreblogged: its
        # notification goes, as Mastodon's goes with the reblog's row.
        notifying.reblog_withdrawn(account_id=status.account_id,
                                   original_id=status.reblog_of_id)
    events.announce(events.status_deleted, status_id=status.pk, account_id=status.account_id)
    direct_status_deleted(status=status)
    return status


def _refuse_poll_with_media(poll, media_ids) -> None:
    """Mastodon 4.5 takes a poll for a fifth attachment (spec item 50; 4.6 allows both)."""
    if is_poll(poll) and media_ids:
        raise errors.Rejected(
            f"Cannot attach more than {settings.STATUS_MAX_MEDIA_ATTACHMENTS} files"
        )


def status_update(
    *,
    account: Account,
    status_id: int | None,
    text: str | None,
    spoiler_text: str | None = None,
    sensitive: bool | None = None,
    language: str | None = None,
    media_ids: list[str] | None = None,
    media_attributes: list[dict] | None = None,
    poll: dict | None = None,
    rate_limited: bool = False,
    quote_policy: str | None = None,
) -> Status:
    """Edit one's own status (Mastodon's UpdateStatusService, section G). A PUT replaces every
    field: an omitted text, warning, sensitivity, media list or poll is cleared; the language
    stays. An edit that changes nothing significant writes nothing. `poll` is the raw poll
    (services/polls.py): new options or `multiple` reset its votes, a new deadline keeps them;
    a poll given always counts as a change, as its deadline moves to now + expires_in."""
    rule, who = ratelimit.rule("statuses"), f"a{account.pk}"
    counted: list[bool] = []

    def count_edit() -> None:
        # Each real edit counts against the posting limit; a no-op edit does not.
        if rate_limited and ratelimit.enabled():
            counted.append(True)
            count = ratelimit.hit(rule, who)
            if count.exceeded:
                raise ratelimit.exceeded(count)

    try:
        with transaction.atomic():
            status, _ = _status_update(
                account=account, status_id=status_id, text=text, spoiler_text=spoiler_text,
                sensitive=sensitive, language=language, media_ids=media_ids,
                media_attributes=media_attributes, poll=poll, before_write=count_edit,
                quote_policy=quote_policy,
            )
        return status
    except BaseException:
        if counted:
            ratelimit.undo(rule, who)
        raise


def _apply_media_attributes(media: list, attributes: list[dict] | None) -> list:
    """Mastodon's media_attributes[] (id, description, focus, thumbnail) for media of this edit;
    returns the media whose attributes changed. A new thumbnail is only checked here (a bad one
    refuses the edit); it is stored with the rest of the edit (`_pending_thumbnail`)."""
    if not attributes:
        return []
    by_id = {str(m.pk): m for m in media}
    changed = []
    for entry in attributes:
        if not isinstance(entry, dict):
            continue
        item = by_id.get(str(entry.get("id")))
        if item is None:
            continue
        before = (item.description, item.focus_x, item.focus_y)
        description = entry.get("description")
        if isinstance(description, str):
            item.description = media_services.check_description(description)
        focus = entry.get("focus")
        if isinstance(focus, str) and focus.strip():
            item.focus_x, item.focus_y = media_services.parse_focus(focus)
        thumbnail = entry.get("thumbnail")
        if thumbnail is not None and not isinstance(thumbnail, (list, dict, bool, int, float)):
            item._pending_thumbnail = media_services.media_thumbnail_prepare(thumbnail)
        if (item.description, item.focus_x, item.focus_y) != before or hasattr(
                item, "_pending_thumbnail"):
            changed.append(item)
    return changed


def _status_update(*, account, status_id, text, spoiler_text, sensitive, language, media_ids,
                   media_attributes, poll, before_write, quote_policy=None
                   ) -> tuple[Status, bool]:
    from media.models import MediaAttachment, MediaKind

    status = (
        Status.objects.select_for_update()
        .filter(pk=status_id, account_id=account.pk, deleted_at__isnull=True)
        .first()
        if status_id is not None
        else None
    )
    if status is None or status.reblog_of_id is not None:
        raise errors.NotFound("Record not found")
    status.account = account
    _refuse_poll_with_media(poll, media_ids)
    # Kept when omitted (item 79); a change alone is no revision of the text.
    new_policy = quotes.stored_quote_policy(quotes.parse_quote_policy(quote_policy),
                                            status.visibility, status.quote_policy)
    media = media_services.media_for_status(account=account, media_ids=media_ids,
                                            current_status=status)
    retouched = _apply_media_attributes(media, media_attributes)
    text = (text or "").strip()
    spoiler_text = (spoiler_text or "").strip()
    problems = []
    if not text and not media and status.quote_of_id is None:
        problems.append("Text can't be blank")
    if text and rendering.status_length(text, spoiler_text) > settings.STATUS_MAX_CHARACTERS:
        problems.append(f"Text character limit of {settings.STATUS_MAX_CHARACTERS} exceeded")
    poll_spec, poll_problems = poll_parse(poll)
    problems.extend(poll_problems)
    if problems:
        raise errors.Invalid(*problems)
    current_poll = poll_for_update(status)
    counted_before = authored.counted_in(status)
    sensitive = bool(sensitive) or bool(spoiler_text)
    new_language = normalize_language(language) if language else status.language
    current_media = list(MediaAttachment.objects.filter(status=status).order_by("position"))
    # Mastodon does not see a SelfCommunity share; its edit keeps it.
    kept_share = [m for m in current_media if m.kind == MediaKind.SHARE]
    current_media = [m for m in current_media if m.kind != MediaKind.SHARE]
    resolved = render_plain_text(author=account, text=text)
    significant = (
        resolved.text != status.text
        or spoiler_text != status.spoiler_text
        or sensitive != status.sensitive
        or new_language != status.language
        or [m.pk for m in media] != [m.pk for m in current_media]
        or bool(retouched)
        # A poll given always moves its deadline; removing one is a change too.
        or poll_spec is not None or current_poll is not None
    )
    if new_policy != status.quote_policy:
        Status.objects.filter(pk=status.pk).update(quote_policy=new_policy)
        status.quote_policy = new_policy
    if not significant:
        return status, False
    text_changed = resolved.text != status.text
    if before_write is not None:
        before_write()
    now = timezone.now()
    if not StatusEdit.objects.filter(status=status).exists():
        # The first edit also keeps the original, dated when it was posted.
        edit_snapshot(status, current_media, created_at=status.created_at,
                  poll_options=current_poll.options if current_poll is not None else None).save()
    status.text, status.html = resolved.text, quotes.inline_quote_html(
        resolved.html, resolved.text, quotes.quoted_for_render(status))
    status.text_format = TextFormat.PLAIN
    status.sc_html, status.summary, status.slug = sc_renderings_for_plain(
        html=resolved.html, text=resolved.text,
        mentions=[(a.pk, a.username, a.ext_id) for a in resolved.mentioned],
    )
    status.spoiler_text, status.sensitive, status.language = spoiler_text, sensitive, new_language
    status.mention_data = [[a.pk, a.username] for a in resolved.mentioned]
    status.tag_data = list(dict.fromkeys(resolved.tags))
    status.edited_at = now
    new_poll = poll_replace(status=status, current=current_poll, spec=poll_spec, now=now)
    status.has_poll = new_poll is not None
    status.save(update_fields=["text", "html", "text_format", "sc_html", "summary", "slug",
                               "spoiler_text", "sensitive", "language", "mention_data",
                               "tag_data", "edited_at", "has_poll"])
    authored.author_counts_change(status=status, before=counted_before, account=account)
    status_attach_media(status=status, media=media + kept_share)
    if retouched:
        fields = {"description", "focus_x", "focus_y"}
        for item in retouched:
            if hasattr(item, "_pending_thumbnail"):
                fields.update(media_services.media_thumbnail_apply(
                    media=item, preview=item._pending_thumbnail))
        type(retouched[0]).objects.bulk_update(retouched, sorted(fields))
    # Mentions removed by an edit go silent (the account keeps access); new ones are added.
    mentioned = {a.pk for a in resolved.mentioned}
    Mention.objects.filter(status=status).exclude(account_id__in=mentioned).update(silent=True)
    Mention.objects.filter(status=status, account_id__in=mentioned).update(silent=False)
    existing = set(Mention.objects.filter(status=status).values_list("account_id", flat=True))
    Mention.objects.bulk_create([Mention(status=status, account=a) for a in resolved.mentioned
                                 if a.pk not in existing])
    new_mentions = mentioned - existing
    StatusTag.objects.filter(status=status).delete()
    hashtags = hashtags_upsert(status.tag_data)
    if hashtags:
        StatusTag.objects.bulk_create([StatusTag(status=status, hashtag=h) for h in hashtags])
    edit_snapshot(status, media, created_at=now,
              poll_options=new_poll.options if new_poll is not None else None).save()
    status_card_schedule(status=status, text_changed=text_changed)
    events.announce(events.status_edited, status_id=status.pk)
    direct_status_edited(status=status,
                         new_mention_ids=[a.pk for a in resolved.mentioned if a.pk not in existing])
    notifying.status_announce_edit(status=status, new_mentions=new_mentions)
    return status, True

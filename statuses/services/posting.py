"""Posting: create and delete statuses."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest, Lower
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import Account, Block, Visibility
from config import errors, instance, ratelimit
from config.languages import DEFAULT_LANGUAGE, normalize_language
from media import services as media_services
from statuses import html_text, rendering
from statuses.models import (
    Hashtag,
    IdempotencyKey,
    Mention,
    Pin,
    Status,
    StatusEdit,
    StatusTag,
    TextFormat,
)
from statuses.selectors import status_get_visible
from statuses.services.attachments import status_attach_media, status_recount_shares

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


def _hashtags(names: list[str]) -> list[Hashtag]:
    names = [n for n in dict.fromkeys(names) if n]
    if not names:
        return []
    # One upsert that returns the ids, whether the tags are new or not.
    return Hashtag.objects.bulk_create(
        [Hashtag(name=n) for n in names],
        update_conflicts=True, unique_fields=["name"], update_fields=["name"],
    )


def _language(account: Account, requested: str | None) -> str:
    return (
        normalize_language(requested)
        or normalize_language(account.default_language)
        or DEFAULT_LANGUAGE
    )


def status_create(
    *,
    account: Account,
    text: str | None,
    spoiler_text: str | None = None,
    visibility: str | None = None,
    sensitive: bool | None = None,
    language: str | None = None,
    in_reply_to_id: int | None = None,
    in_reply_to_given: bool = False,
    application=None,
    idempotency_key: str | None = None,
    media_ids: list[str] | None = None,
    allowed_mentions: list[str] | None = None,
    has_poll: bool = False,
    scheduled_at: str | None = None,
    rate_limited: bool = False,
) -> Status:
    """Post a plain-text status (Mastodon's PostStatusService, sections D and E of the spec).

    With an idempotency key, the first status made with that key by this account within an hour
    is returned instead of a new one, even when the retries arrive at the same time: the key row
    is inserted in the same transaction as the status, so a concurrent retry waits on the unique
    index and then reads the winner's status.
    """
    if rate_limited and ratelimit.enabled():
        rule, who = ratelimit.rule("statuses"), f"a{account.pk}"
        if idempotency_key and _idempotent_status(account=account, key=idempotency_key[:255]):
            rate_limited = False  # a replayed post is not a new one
        elif ratelimit.hit(rule, who).exceeded:
            ratelimit.undo(rule, who)
            raise errors.RateLimited("Too many requests")
    created = False
    try:
        status, created = _status_create_once(
            account=account, text=text, spoiler_text=spoiler_text, visibility=visibility,
            sensitive=sensitive, language=language, in_reply_to_id=in_reply_to_id,
            in_reply_to_given=in_reply_to_given, application=application,
            idempotency_key=idempotency_key, media_ids=media_ids,
            allowed_mentions=allowed_mentions, has_poll=has_poll, scheduled_at=scheduled_at,
        )
        return status
    finally:
        # A failed post, or a retry that found the first one, gives its count back.
        if rate_limited and not created and ratelimit.enabled():
            ratelimit.undo(ratelimit.rule("statuses"), f"a{account.pk}")


def _status_create_once(*, account, idempotency_key, **fields) -> tuple[Status, bool]:
    """(status, whether this call created it)."""
    options = dict(account=account, **fields)
    if not idempotency_key:
        return _status_create(**options), True
    key = idempotency_key[:255]
    existing = _idempotent_status(account=account, key=key)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            IdempotencyKey.objects.filter(
                account=account, key=key,
                created_at__lt=timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_TTL_SECONDS),
            ).delete()
            status = _status_create(**options)
            IdempotencyKey.objects.create(account=account, key=key, status=status)
            return status, True
    except IntegrityError:
        existing = _idempotent_status(account=account, key=key)
        if existing is None:
            raise
        return existing, False


def _idempotent_status(*, account: Account, key: str) -> Status | None:
    cutoff = timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_TTL_SECONDS)
    row = (
        IdempotencyKey.objects.select_related("status__account", "status__application")
        .filter(account=account, key=key, created_at__gte=cutoff)
        .first()
    )
    return row.status if row is not None else None


def _check_scheduled_at(value: str | None) -> None:
    """Empty or past: publish now (item 64). Unparseable: "Record invalid" (item 66). Future:
    scheduling is not offered yet, so refuse rather than publish at the wrong time."""
    if value is None or value.strip() == "":
        return
    when = parse_datetime(value.strip())
    if when is None:
        try:
            when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise errors.Rejected("Record invalid") from None
    if timezone.is_naive(when):
        when = timezone.make_aware(when, UTC)
    if when > timezone.now():
        raise errors.Rejected("Scheduled posts are not supported by this server")


@transaction.atomic
def _status_create(
    *, account, text, spoiler_text, visibility, sensitive, language, in_reply_to_id,
    in_reply_to_given, application, media_ids, allowed_mentions, has_poll, scheduled_at,
) -> Status:
    # Mastodon's order: the reply target (controller), scheduling, media, poll, mentions, then
    # the record's own validations.
    parent = None
    if in_reply_to_given:
        # The one visibility rule every read uses; a reply to a reblog answers its original.
        try:
            parent = status_get_visible(status_id=in_reply_to_id, viewer=account)
        except errors.NotFound:
            raise errors.NotFound(REPLY_TARGET_MISSING) from None
        if parent.reblog_of_id is not None:
            parent = parent.reblog_of
    _check_scheduled_at(scheduled_at)
    if has_poll:
        if media_ids:
            raise errors.Rejected(
                f"Cannot attach more than {settings.STATUS_MAX_MEDIA_ATTACHMENTS} files"
            )
        raise errors.Rejected("Polls are not supported by this server")
    media = media_services.media_for_status(account=account, media_ids=media_ids)

    text = (text or "").strip()
    spoiler_text = (spoiler_text or "").strip()
    if not text and spoiler_text:
        # Mastodon posts a lone content warning as the text, marked sensitive (item 37).
        text, spoiler_text, sensitive = spoiler_text, "", True

    problems: list[str] = []
    try:
        chosen_visibility = parse_visibility(visibility)
    except errors.Invalid as exc:
        problems.extend(exc.messages)
        chosen_visibility = Visibility.PUBLIC
    if not text and not media:
        problems.append("Text can't be blank")
    elif rendering.status_length(text, spoiler_text) > settings.STATUS_MAX_CHARACTERS:
        problems.append(f"Text character limit of {settings.STATUS_MAX_CHARACTERS} exceeded")
    if problems:
        raise errors.Invalid(*problems)

    if chosen_visibility is None:
        if account.default_visibility is not None:
            chosen_visibility = account.default_visibility
        else:
            chosen_visibility = Visibility.PRIVATE if account.locked else Visibility.PUBLIC
    if account.silenced_at is not None and chosen_visibility == Visibility.PUBLIC:
        chosen_visibility = Visibility.UNLISTED
    if sensitive is None:
        sensitive = account.default_sensitive
    if spoiler_text:
        sensitive = True

    resolved = render_plain_text(author=account, text=text)
    if allowed_mentions is not None:
        allowed = {str(a) for a in allowed_mentions}
        unexpected = [a for a in resolved.mentioned if str(a.pk) not in allowed]
        if unexpected:
            raise errors.UnexpectedMentions(unexpected)
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
        html=resolved.html,
        sc_html=sc_html,
        summary=summary,
        slug=slug,
        mention_data=[[a.pk, a.username] for a in resolved.mentioned],
        tag_data=list(dict.fromkeys(resolved.tags)),
        visibility=chosen_visibility,
        sensitive=bool(sensitive),
        language=_language(account, language),
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
    if media:
        status_attach_media(status=status, media=media)

    if resolved.mentioned:
        Mention.objects.bulk_create(
            [Mention(status=status, account=a) for a in resolved.mentioned]
        )
    hashtags = _hashtags(status.tag_data)
    if hashtags:
        StatusTag.objects.bulk_create([StatusTag(status=status, hashtag=h) for h in hashtags])

    if chosen_visibility != Visibility.DIRECT:
        Account.objects.filter(pk=account.pk).update(
            statuses_count=F("statuses_count") + 1, last_status_at=now.date()
        )
        account.statuses_count += 1
        account.last_status_at = now.date()
    if parent is not None:
        updates = {"last_activity_at": now}
        if chosen_visibility in (Visibility.PUBLIC, Visibility.UNLISTED):
            updates["replies_count"] = F("replies_count") + 1
        Status.objects.filter(pk=parent.pk).update(**updates)
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
    if status.visibility != Visibility.DIRECT:
        Account.objects.filter(pk=status.account_id).update(
            statuses_count=Greatest(F("statuses_count") - 1, 0)
        )
    if status.in_reply_to_id is not None and counts_as_reply(status):
        Status.objects.filter(pk=status.in_reply_to_id).update(
            replies_count=Greatest(F("replies_count") - 1, 0)
        )
    if status.reblog_of_id is not None:
        Status.objects.filter(pk=status.reblog_of_id).update(
            reblogs_count=Greatest(F("reblogs_count") - 1, 0)
        )
    return status


def _snapshot(status: Status, media: list, *, created_at) -> StatusEdit:
    return StatusEdit(
        status=status, account_id=status.account_id, text=status.text,
        spoiler_text=status.spoiler_text, html=status.html, sensitive=status.sensitive,
        media=[[m.pk, m.description] for m in media], created_at=created_at,
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
    has_poll: bool = False,
    rate_limited: bool = False,
) -> Status:
    """Edit one's own status (Mastodon's UpdateStatusService, section G). A PUT replaces every
    field: an omitted text, warning, sensitivity or media list is cleared; the language stays.
    An edit that changes nothing significant writes nothing."""
    rule, who = ratelimit.rule("statuses"), f"a{account.pk}"
    counted: list[bool] = []

    def count_edit() -> None:
        # Each real edit counts against the posting limit; a no-op edit does not.
        if rate_limited and ratelimit.enabled():
            counted.append(True)
            if ratelimit.hit(rule, who).exceeded:
                raise errors.RateLimited("Too many requests")

    try:
        with transaction.atomic():
            status, _ = _status_update(
                account=account, status_id=status_id, text=text, spoiler_text=spoiler_text,
                sensitive=sensitive, language=language, media_ids=media_ids,
                media_attributes=media_attributes, has_poll=has_poll, before_write=count_edit,
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
                   media_attributes, has_poll, before_write) -> tuple[Status, bool]:
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
    if has_poll:
        raise errors.Rejected("Polls are not supported by this server")
    media = media_services.media_for_status(account=account, media_ids=media_ids,
                                            current_status=status)
    retouched = _apply_media_attributes(media, media_attributes)
    text = (text or "").strip()
    spoiler_text = (spoiler_text or "").strip()
    if not text and not media:
        raise errors.Invalid("Text can't be blank")
    if text and rendering.status_length(text, spoiler_text) > settings.STATUS_MAX_CHARACTERS:
        raise errors.Invalid(f"Text character limit of {settings.STATUS_MAX_CHARACTERS} exceeded")
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
    )
    if not significant:
        return status, False
    if before_write is not None:
        before_write()
    now = timezone.now()
    if not StatusEdit.objects.filter(status=status).exists():
        # The first edit also keeps the original, dated when it was posted.
        _snapshot(status, current_media, created_at=status.created_at).save()
    status.text, status.html = resolved.text, resolved.html
    status.text_format = TextFormat.PLAIN
    status.sc_html, status.summary, status.slug = sc_renderings_for_plain(
        html=resolved.html, text=resolved.text,
        mentions=[(a.pk, a.username, a.ext_id) for a in resolved.mentioned],
    )
    status.spoiler_text, status.sensitive, status.language = spoiler_text, sensitive, new_language
    status.mention_data = [[a.pk, a.username] for a in resolved.mentioned]
    status.tag_data = list(dict.fromkeys(resolved.tags))
    status.edited_at = now
    status.save(update_fields=["text", "html", "text_format", "sc_html", "summary", "slug",
                               "spoiler_text", "sensitive", "language", "mention_data",
                               "tag_data", "edited_at"])
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
    StatusTag.objects.filter(status=status).delete()
    hashtags = _hashtags(status.tag_data)
    if hashtags:
        StatusTag.objects.bulk_create([StatusTag(status=status, hashtag=h) for h in hashtags])
    _snapshot(status, media, created_at=now).save()
    return status, True

"""Writes of accounts, their relationships (follow, block, mute) and OAuth applications."""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_access_token_model

from accounts.models import (
    Account,
    AccountNote,
    AccountPin,
    Application,
    Block,
    Follow,
    Mute,
)
from config import errors
from config.languages import ISO_639_1, ISO_639_3, REGIONAL, normalize_language
from config.scopes import expand_scopes
from notifications import services as notifications
from notifications.models import NotificationType

OOB_URI = "urn:ietf:wg:oauth:2.0:oob"
FORBIDDEN_SCHEMES = {"javascript", "data", "vbscript", "file"}


def _valid_redirect_uri(uri: str) -> bool:
    if uri == OOB_URI:
        return True
    parts = urlsplit(uri)
    if not parts.scheme or parts.scheme.lower() in FORBIDDEN_SCHEMES or parts.fragment:
        return False
    if parts.scheme.lower() in {"http", "https"} and not parts.netloc:
        return False
    return bool(parts.netloc or parts.path)


@transaction.atomic
def application_create(
    *, name: str | None, redirect_uris: list[str], scopes: str | None, website: str | None
) -> tuple[Application, str]:
    """Register a Mastodon app; returns it with its client secret in clear (shown only once)."""
    name = (name or "").strip()
    problems = []
    if not name:
        problems.append("Name can't be blank")
    elif len(name) > 60:
        problems.append("Name is too long (maximum is 60 characters)")
    uris = [u.strip() for u in redirect_uris if u and u.strip()]
    if not uris:
        problems.append("Redirect URI can't be blank")
    elif not all(_valid_redirect_uri(u) for u in uris):
        problems.append("Redirect URI must be an absolute URI.")
    requested = (scopes or "read").split()
    if not requested or not set(requested) <= set(settings.MASTODON_SCOPES):
        problems.append("Scopes doesn't match configured on the server.")
    website = (website or "").strip()
    if website and urlsplit(website).scheme not in {"http", "https"}:
        problems.append("Website is invalid")
    if problems:
        raise errors.Invalid(*problems)
    secret = generate_client_secret()
    app = Application(
        name=name,
        redirect_uris=" ".join(uris),
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        client_secret=secret,
        scopes=" ".join(dict.fromkeys(requested)),
        website=website,
    )
    app.save()
    return app, secret


@transaction.atomic
def token_create(
    *, account: Account, scopes: str = "read write follow push", application_name: str = "Web"
) -> str:
    """Issue an access token for `account` through a first-party application (create_token,
    seeding and tests use this; clients use the OAuth endpoints)."""
    requested = scopes.split()
    unknown = set(requested) - set(settings.MASTODON_SCOPES)
    if unknown or not requested:
        raise errors.Invalid(f"Unknown scopes: {' '.join(sorted(unknown)) or '(none)'}")
    app = Application.objects.filter(name=application_name, user=None).first()
    if app is None:
        app = Application.objects.create(
            name=application_name,
            redirect_uris=OOB_URI,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            scopes=" ".join(settings.MASTODON_SCOPES),
            skip_authorization=False,
        )
    raw = secrets.token_urlsafe(32)
    get_access_token_model().objects.create(
        user=account,
        application=app,
        token=raw,
        expires=timezone.now()
        + timedelta(seconds=settings.OAUTH2_PROVIDER["ACCESS_TOKEN_EXPIRE_SECONDS"]),
        scope=" ".join(dict.fromkeys(requested)),
    )
    return raw


def granted_scopes(application: Application) -> set[str]:
    return expand_scopes(application.scope_list)


# --- relationships ----------------------------------------------------------------------------
# Every write below locks both accounts' rows (in id order, so two writers never deadlock) before
# it reads the pair's follows and blocks. That serialises all changes to one pair: a follow cannot
# slip in beside a concurrent block, a double click cannot create two rows, and a counter moves
# exactly when a row is created, deleted or accepted.

NOT_ALLOWED = "This action is not allowed"
RECORD_NOT_FOUND = "Record not found"
KNOWN_LANGUAGES = ISO_639_1 | ISO_639_3 | REGIONAL
# Longer mutes are forever in practice; the cap keeps a huge `duration` from overflowing a date.
MAX_MUTE_SECONDS = 100 * 365 * 24 * 3600


def _lock_pair(account: Account, target: Account) -> Account:
    """Locks both rows and returns a fresh copy of `target` (its `locked` may have changed)."""
    rows = list(
        Account.objects.select_for_update(no_key=True)
        .filter(pk__in=[account.pk, target.pk])
        .only("id", "locked", "suspended_at", "silenced_at")
        .order_by("pk")
    )
    fresh = {row.pk: row for row in rows}
    if target.pk not in fresh:
        raise errors.NotFound(RECORD_NOT_FOUND)
    return fresh[target.pk]


def _count_follow(*, follower_id: int, target_id: int, delta: int) -> None:
    """Moves both counters of an accepted follow. Decrements never go below zero, so a counter
    that drifted (rows written outside these services) cannot make the write fail."""
    if delta > 0:
        following = F("following_count") + delta
        followers = F("followers_count") + delta
    else:
        following = Greatest(F("following_count") + delta, 0)
        followers = Greatest(F("followers_count") + delta, 0)
    Account.objects.filter(pk=follower_id).update(following_count=following)
    Account.objects.filter(pk=target_id).update(followers_count=followers)


def _blocked_either_way(account: Account, target: Account) -> bool:
    return Block.objects.filter(
        Q(account_id=account.pk, target_id=target.pk) | Q(account_id=target.pk, target_id=account.pk)
    ).exists()


def _clean_languages(languages: list[str]) -> list[str] | None:
    """Mastodon's LanguageValidator: every code must be one it knows; an empty list means all."""
    codes = list(dict.fromkeys(code.strip() for code in languages if code and code.strip()))
    if any(code not in KNOWN_LANGUAGES for code in codes):
        raise errors.Invalid("Languages is invalid")
    return codes or None


def account_follow(
    *,
    account: Account,
    target: Account,
    reblogs: bool | None = None,
    notify: bool | None = None,
    languages: list[str] | None = None,
) -> Follow:
    """Follow `target`, or request to when it is locked; following again updates the options
    that were given (None leaves an option as it is) and keeps the follow's state."""
    if account.pk == target.pk:
        raise errors.NotAllowed(NOT_ALLOWED)
    clean_languages = _clean_languages(languages) if languages is not None else None
    with transaction.atomic():
        target = _lock_pair(account, target)
        if target.suspended_at is not None:
            raise errors.NotFound(RECORD_NOT_FOUND)
        if _blocked_either_way(account, target):
            raise errors.NotAllowed(NOT_ALLOWED)
        follow = Follow.objects.filter(account_id=account.pk, target_id=target.pk).first()
        if follow is not None:
            changed = []
            if reblogs is not None and follow.show_reblogs != reblogs:
                follow.show_reblogs = reblogs
                changed.append("show_reblogs")
            if notify is not None and follow.notify != notify:
                follow.notify = notify
                changed.append("notify")
            if languages is not None and follow.languages != clean_languages:
                follow.languages = clean_languages
                changed.append("languages")
            if changed:
                follow.save(update_fields=changed)
            return follow
        # A silenced account's follows always wait for approval, as on Mastodon.
        accepted = not target.locked and account.silenced_at is None
        follow = Follow.objects.create(
            account_id=account.pk,
            target_id=target.pk,
            accepted=accepted,
            show_reblogs=True if reblogs is None else reblogs,
            notify=False if notify is None else notify,
            languages=clean_languages,
        )
        if accepted:
            _count_follow(follower_id=account.pk, target_id=target.pk, delta=1)
        notifications.notify(
            recipient_id=target.pk, from_account_id=account.pk,
            type=NotificationType.FOLLOW if accepted else NotificationType.FOLLOW_REQUEST)
        return follow


def _remove_follow(*, follower_id: int, target_id: int) -> bool:
    """Deletes a follow or a pending request; True when one existed."""
    row = (
        Follow.objects.filter(account_id=follower_id, target_id=target_id)
        .values_list("pk", "accepted")
        .first()
    )
    if row is None:
        return False
    Follow.objects.filter(pk=row[0]).delete()
    # An endorsement needs the follow (Mastodon's Follow#remove_endorsements).
    AccountPin.objects.filter(account_id=follower_id, target_id=target_id).delete()
    if row[1]:
        _count_follow(follower_id=follower_id, target_id=target_id, delta=-1)
    # The follow (or request) told of goes with it, as Mastodon's dependent notification.
    notifications.notifications_withdraw(
        from_account_id=follower_id, recipient_id=target_id,
        types=(NotificationType.FOLLOW, NotificationType.FOLLOW_REQUEST))
    return True


@transaction.atomic
def account_unfollow(*, account: Account, target: Account) -> None:
    """Stop following `target` or withdraw a pending request; a no-op when there is neither."""
    if account.pk == target.pk:
        return
    _lock_pair(account, target)
    _remove_follow(follower_id=account.pk, target_id=target.pk)


@transaction.atomic
def account_block(*, account: Account, target: Account) -> Block:
    """Block `target`: the follows and requests between the two go, in both directions."""
    if account.pk == target.pk:
        raise errors.NotAllowed(NOT_ALLOWED)
    _lock_pair(account, target)
    _remove_follow(follower_id=account.pk, target_id=target.pk)
    _remove_follow(follower_id=target.pk, target_id=account.pk)
    # The pair is locked, so a plain read-then-insert cannot race.
    block = Block.objects.filter(account_id=account.pk, target_id=target.pk).first()
    return block or Block.objects.create(account_id=account.pk, target_id=target.pk)


@transaction.atomic
def account_unblock(*, account: Account, target: Account) -> None:
    _lock_pair(account, target)
    Block.objects.filter(account_id=account.pk, target_id=target.pk).delete()


@transaction.atomic
def account_mute(
    *, account: Account, target: Account, notifications: bool | None = None, duration: int = 0
) -> Mute:
    """Mute `target` (follows stay). Muting again replaces both options, as Mastodon does:
    `notifications` defaults to true and `duration` (seconds, 0 = forever) restarts. A negative
    duration yields an already expired mute, which reads as no mute (Mastodon does the same)."""
    if account.pk == target.pk:
        raise errors.NotAllowed(NOT_ALLOWED)
    _lock_pair(account, target)
    duration = max(-MAX_MUTE_SECONDS, min(duration, MAX_MUTE_SECONDS))
    expires_at = None if duration == 0 else timezone.now() + timedelta(seconds=duration)
    options = {
        "hide_notifications": True if notifications is None else notifications,
        "expires_at": expires_at,
    }
    # The pair is locked, so a plain update-else-insert cannot race.
    mutes = Mute.objects.filter(account_id=account.pk, target_id=target.pk)
    if mutes.update(**options):
        return mutes.get()
    return Mute.objects.create(account_id=account.pk, target_id=target.pk, **options)


@transaction.atomic
def account_unmute(*, account: Account, target: Account) -> None:
    _lock_pair(account, target)
    Mute.objects.filter(account_id=account.pk, target_id=target.pk).delete()


@transaction.atomic
def follow_request_authorize(*, account: Account, requester: Account) -> Follow:
    """`account` accepts the pending follow of `requester`; 404 when there is none."""
    _lock_pair(account, requester)
    follow = Follow.objects.filter(
        account_id=requester.pk, target_id=account.pk, accepted=False
    ).first()
    if follow is None:
        raise errors.NotFound(RECORD_NOT_FOUND)
    follow.accepted = True
    follow.save(update_fields=["accepted"])
    _count_follow(follower_id=requester.pk, target_id=account.pk, delta=1)
    # The request is answered: its notification goes, as Mastodon's goes with the request row.
    notifications.notifications_withdraw(from_account_id=requester.pk, recipient_id=account.pk,
                                         types=(NotificationType.FOLLOW_REQUEST,))
    return follow


@transaction.atomic
def follow_request_reject(*, account: Account, requester: Account) -> None:
    """`account` refuses the pending follow of `requester`; 404 when there is none."""
    _lock_pair(account, requester)
    deleted, _ = Follow.objects.filter(
        account_id=requester.pk, target_id=account.pk, accepted=False
    ).delete()
    if not deleted:
        raise errors.NotFound(RECORD_NOT_FOUND)
    notifications.notifications_withdraw(from_account_id=requester.pk, recipient_id=account.pk,
                                         types=(NotificationType.FOLLOW_REQUEST,))


# --- profile (Mastodon's update_credentials) ----------------------------------------------------

DISPLAY_NAME_LIMIT = 30
NOTE_LIMIT = 500
FIELDS_LIMIT = 4
FIELD_TEXT_LIMIT = 255
# The posting defaults a profile may choose (Mastodon's user setting `default_privacy`).
DEFAULT_PRIVACIES = {"public": 0, "unlisted": 1, "private": 2}


@dataclass(frozen=True)
class ProfileImage:
    """An avatar or header already checked and rendered by the caller (the media pipeline)."""

    content: bytes
    extension: str


def _clean_fields(raw: list[dict]) -> list[dict]:
    """Mastodon's `fields_attributes=`: pairs with neither a name nor a value are dropped, each
    text is stripped and cut at 255 characters (Account::Field); more than 4 pairs, or a value
    without a name, is refused."""
    fields = []
    for pair in raw:
        name = (pair.get("name") or "").strip()[:FIELD_TEXT_LIMIT]
        value = (pair.get("value") or "").strip()[:FIELD_TEXT_LIMIT]
        if name or value:
            fields.append({"name": name, "value": value})
    return fields


def _save_image(field, image: ProfileImage) -> None:
    old = field.name
    field.save(secrets.token_hex(16) + image.extension, ContentFile(image.content), save=False)
    if old:
        storage = field.storage
        transaction.on_commit(lambda: storage.delete(old))


@transaction.atomic
def account_update_credentials(
    *,
    account: Account,
    display_name: str | None = None,
    note: str | None = None,
    flags: dict[str, bool] | None = None,
    fields: list[dict] | None = None,
    avatar: ProfileImage | None = None,
    header: ProfileImage | None = None,
    privacy: str | None = None,
    sensitive: bool | None = None,
    language: str | None = None,
) -> Account:
    """Change the profile and posting defaults of `account` (None leaves a value as it is).
    The profile is validated as Mastodon validates an Account (422 naming each problem, nothing
    written); the posting defaults as its user settings, where a value it does not know is
    ignored. `flags`: locked, bot, discoverable, hide_collections, indexable."""
    row = Account.objects.select_for_update().get(pk=account.pk)
    changed = set()
    problems = []
    if display_name is not None:
        row.display_name = display_name.strip()
        changed.add("display_name")
        if len(row.display_name) > DISPLAY_NAME_LIMIT:
            problems.append(
                f"Display name is too long (maximum is {DISPLAY_NAME_LIMIT} characters)")
    if note is not None:
        row.note = note.strip()
        changed.add("note")
        if len(row.note) > NOTE_LIMIT:
            problems.append(f"Note is too long (maximum is {NOTE_LIMIT} characters)")
    if fields is not None:
        row.fields = _clean_fields(fields)
        changed.add("fields")
        if len(row.fields) > FIELDS_LIMIT:
            problems.append(f"Fields is too long (maximum is {FIELDS_LIMIT} characters)")
        if any(pair["value"] and not pair["name"] for pair in row.fields):
            problems.append("Fields contains values with missing labels")
    for name, value in (flags or {}).items():
        if value is not None:
            setattr(row, name, value)
            changed.add(name)
    if problems:
        raise errors.Invalid(*problems)
    if privacy is not None and privacy in DEFAULT_PRIVACIES:
        row.default_visibility = DEFAULT_PRIVACIES[privacy]
        changed.add("default_visibility")
    if sensitive is not None:
        row.default_sensitive = sensitive
        changed.add("default_sensitive")
    if language is not None:
        known = normalize_language(language)
        if known or not language.strip():
            row.default_language = known or ""
            changed.add("default_language")
    if avatar is not None:
        _save_image(row.avatar, avatar)
        changed.add("avatar")
    if header is not None:
        _save_image(row.header, header)
        changed.add("header")
    if changed:
        row.save(update_fields=sorted(changed))
    return row


# --- notes, endorsements, removing a follower ----------------------------------------------------

NOTE_COMMENT_LIMIT = 2000
ENDORSE_NEEDS_FOLLOW = "You must be already following the person you want to endorse"


@transaction.atomic
def account_note_set(*, account: Account, target: Account, comment: str | None) -> None:
    """Keep `comment` as `account`'s private note on `target`; a blank one removes the note."""
    comment = comment or ""
    if not comment.strip():
        AccountNote.objects.filter(account_id=account.pk, target_id=target.pk).delete()
        return
    if len(comment) > NOTE_COMMENT_LIMIT:
        raise errors.Invalid(f"Comment is too long (maximum is {NOTE_COMMENT_LIMIT} characters)")
    AccountNote.objects.update_or_create(
        account_id=account.pk, target_id=target.pk, defaults={"comment": comment})


@transaction.atomic
def account_endorse(*, account: Account, target: Account) -> None:
    """Feature `target` on `account`'s profile; only an account it follows (422 otherwise)."""
    _lock_pair(account, target)
    if AccountPin.objects.filter(account_id=account.pk, target_id=target.pk).exists():
        return
    if not Follow.objects.filter(account_id=account.pk, target_id=target.pk,
                                 accepted=True).exists():
        raise errors.Invalid(ENDORSE_NEEDS_FOLLOW)
    AccountPin.objects.create(account_id=account.pk, target_id=target.pk)


@transaction.atomic
def account_unendorse(*, account: Account, target: Account) -> None:
    _lock_pair(account, target)
    AccountPin.objects.filter(account_id=account.pk, target_id=target.pk).delete()


@transaction.atomic
def follower_remove(*, account: Account, follower: Account) -> None:
    """`account` makes `follower` stop following it (a no-op when it does not)."""
    if account.pk == follower.pk:
        return
    _lock_pair(account, follower)
    if Follow.objects.filter(account_id=follower.pk, target_id=account.pk,
                             accepted=True).exists():
        _remove_follow(follower_id=follower.pk, target_id=account.pk)


@transaction.atomic
def account_image_remove(*, account: Account, kind: str) -> Account:
    """Drop `account`'s avatar or header (`kind`), back to the default picture; the file goes
    on commit. A no-op when there is none."""
    row = Account.objects.select_for_update().get(pk=account.pk)
    field = getattr(row, kind)
    if field:
        old, storage = field.name, field.storage
        setattr(row, kind, "")
        row.save(update_fields=[kind])
        transaction.on_commit(lambda: storage.delete(old))
    return row

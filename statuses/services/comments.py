"""SelfCommunity comments: a comment is a Status row replying to a status or to a comment of it,
in the status's thread, so Mastodon reads it as a reply (context, replies_count) and back.

A comment keeps its status's audience (`audience`): it is visible to exactly whoever may see
the status, in both dialects, and goes when the status is deleted or collapsed.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Account, Visibility
from config import errors, events, instance
from statuses import html_text
from statuses.models import Mention, Status, StatusEdit, StatusTag
from statuses.selectors import comments as comment_selectors
from statuses.services import notifying
from statuses.services.contributions import write_rendering
from statuses.services.direct import direct_status_edited, direct_status_posted
from statuses.services.writing import (
    edit_snapshot,
    hashtags_upsert,
    language_for,
    mention_targets,
    posting_limit,
)

TEXT_REQUIRED = "This field may not be blank."


def _render(*, account: Account, text: str) -> tuple[str, html_text.Rendered]:
    clean = html_text.sanitize(text) if text else ""
    scanned = html_text.scan(clean)
    rendered = html_text.render(clean, resolved=mention_targets(author=account,
                                                                usernames=scanned.usernames),
                                tags_base_url=instance.tags_base_url())
    if not rendered.plain.strip():
        raise errors.Invalid(TEXT_REQUIRED, code="blank", field="text")
    return clean, rendered


def _target(*, account: Account, root: Status, parent_id: int | None,
            in_reply_to_id: int | None) -> Status:
    """What the new comment answers: the status itself, a top-level comment (`parent`), or a
    comment within that comment's branch (`in_reply_to`)."""
    parent = None
    if parent_id is not None:
        parent = comment_selectors.comment_get_visible_or_none(comment_id=parent_id,
                                                               viewer=account)
        if parent is None or parent.in_reply_to_id != root.pk:
            raise errors.does_not_exist("parent", parent_id)
    if in_reply_to_id is None:
        return parent or root
    answered = comment_selectors.comment_get_visible_or_none(comment_id=in_reply_to_id,
                                                             viewer=account)
    if answered is None or (answered.thread_root_id or answered.pk) != root.pk:
        raise errors.does_not_exist("in_reply_to", in_reply_to_id)
    if parent is not None and comment_selectors.comment_branch(answered) != parent.pk:
        raise errors.Invalid("The comment answered is not under this parent.",
                             code="invalid", field="in_reply_to")
    return answered


def comment_create(*, account: Account, status_id: int | None, text: str,
                   parent_id: int | None = None, in_reply_to_id: int | None = None,
                   application=None, kind: str = "status") -> Status:
    """Comment a contribution of type `kind` (POST /api/v2/comment/), under the posting limit
    shared with Mastodon."""
    with posting_limit(account):
        return _comment_create(account=account, status_id=status_id, text=text,
                               parent_id=parent_id, in_reply_to_id=in_reply_to_id,
                               application=application, kind=kind)


@transaction.atomic
def _comment_create(*, account, status_id, text, parent_id, in_reply_to_id, application, kind):
    root = comment_selectors.commentable_status(status_id=status_id, viewer=account, kind=kind)
    target = _target(account=account, root=root, parent_id=parent_id,
                     in_reply_to_id=in_reply_to_id)
    clean, rendered = _render(account=account, text=text)
    now = timezone.now()
    comment = Status(
        account=account, application=application, created_at=now, last_activity_at=now,
        language=language_for(account), in_reply_to=target, thread_root_id=root.pk,
        in_reply_to_account_id=target.account_id,
        visibility=root.visibility, addressed=root.addressed, audience=root,
    )
    write_rendering(comment, clean, rendered)
    comment.save()
    mentioned = {m.id for m in rendered.mentioned}
    Mention.objects.bulk_create([Mention(status=comment, account_id=pk) for pk in mentioned])
    hashtags = hashtags_upsert(comment.tag_data)
    if hashtags:
        StatusTag.objects.bulk_create([StatusTag(status=comment, hashtag=h) for h in hashtags])
    # The answered row counts its replies (Mastodon's replies_count, SelfCommunity's
    # comment_count); the status's thread was active now.
    Status.objects.filter(pk=target.pk).update(replies_count=F("replies_count") + 1,
                                               last_activity_at=now)
    if target.pk != root.pk:
        Status.objects.filter(pk=root.pk).update(last_activity_at=now)
    if comment.visibility != Visibility.DIRECT:
        Account.objects.filter(pk=account.pk).update(statuses_count=F("statuses_count") + 1,
                                                     last_status_at=now.date())
    comment.account = account
    events.announce(events.status_created, status_id=comment.pk)
    direct_status_posted(status=comment)
    notifying.status_announce_new(status=comment, mentioned=mentioned)
    return comment


def comment_update(*, account: Account, comment_id: int | None, text: str) -> Status:
    """Edit one's own comment (PUT /api/v2/comment/{id}/): a revision is kept for Mastodon's
    history, and `last_edited_at` moves."""
    with posting_limit(account):
        return _comment_update(account=account, comment_id=comment_id, text=text)


@transaction.atomic
def _comment_update(*, account, comment_id, text) -> Status:
    comment = comment_selectors.comment_get_visible(comment_id=comment_id, viewer=account)
    comment = Status.objects.select_for_update().get(pk=comment.pk)
    if comment.account_id != account.pk:
        raise errors.NotAllowed()
    clean, rendered = _render(account=account, text=text)
    if not StatusEdit.objects.filter(status=comment).exists():
        edit_snapshot(comment, [], created_at=comment.created_at).save()
    now = timezone.now()
    write_rendering(comment, clean, rendered)
    comment.edited_at = now
    comment.save(update_fields=["text", "text_format", "html", "sc_html", "summary", "slug",
                                "mention_data", "tag_data", "edited_at"])
    mentioned = {m.id for m in rendered.mentioned}
    Mention.objects.filter(status=comment).exclude(account_id__in=mentioned).update(silent=True)
    Mention.objects.filter(status=comment, account_id__in=mentioned).update(silent=False)
    existing = set(Mention.objects.filter(status=comment).values_list("account_id", flat=True))
    Mention.objects.bulk_create([Mention(status=comment, account_id=pk) for pk in mentioned
                                 if pk not in existing])
    notifying.status_announce_edit(status=comment, new_mentions=mentioned - existing)
    StatusTag.objects.filter(status=comment).delete()
    hashtags = hashtags_upsert(comment.tag_data)
    if hashtags:
        StatusTag.objects.bulk_create([StatusTag(status=comment, hashtag=h) for h in hashtags])
    edit_snapshot(comment, [], created_at=now).save()
    events.announce(events.status_edited, status_id=comment.pk)
    direct_status_edited(status=comment, new_mention_ids=mentioned - existing)
    return comment


def comment_delete(*, account: Account, comment: Status) -> None:
    """Delete one's own comment: the same soft delete as Mastodon's."""
    from statuses.services.posting import status_delete

    if comment.account_id != account.pk:
        raise errors.NotAllowed()
    status_delete(status=comment)

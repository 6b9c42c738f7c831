"""SelfCommunity writes of statuses: create and update from HTML text with action, categories,
medias, location, addressing and tags. The rows are the same ones Mastodon reads."""

from dataclasses import dataclass
from html import escape

from django.db import transaction
from django.utils import timezone

from accounts.models import Account, Visibility
from categories.models import Category, Tag, TagType
from config import errors, events, instance
from config.db import keep_related
from media import services as media_services
from statuses import html_text
from statuses.models import ContributionType, Mention, Status, StatusEdit, StatusTag, TextFormat
from statuses.services import authored, notifying
from statuses.services.attachments import status_attach_media
from statuses.services.cards import status_card_schedule
from statuses.services.direct import direct_status_edited
from statuses.services.polls import PollSpec, poll_create, poll_for_update, poll_replace
from statuses.services.posting import status_delete
from statuses.services.writing import (
    edit_snapshot,
    hashtags_upsert,
    language_for,
    mention_targets,
    posting_limit,
)

NO_CONTENT = "A status needs a text, an action or a media."


@dataclass(frozen=True)
class Contribution:
    """A SelfCommunity create/update body, already checked for types."""

    action: str | None
    text: str
    category_ids: list[int]
    media_ids: list[int]
    location: dict | None
    addressing_ids: list[int]
    tag_ids: list[int]
    # The contribution type the route writes; a discussion's title; a post's or a
    # discussion's poll (a status never carries one from SelfCommunity).
    kind: str = ContributionType.STATUS
    title: str = ""
    poll: PollSpec | None = None


def _categories(*, account: Account, requested: list[int], from_text: list[int]
                ) -> list[Category]:
    """The requested categories (each must exist and be open to the author), those named by
    <hashtag> elements that exist, and every ancestor of them all."""
    named = list(dict.fromkeys(requested + from_text))
    if not named:
        return []
    # Ascend the category graph. Categories are a short list kept by moderators, so the whole
    # parent graph is one query, walked in memory (cycles included); then every category named
    # and every ancestor of them is read in one more (whether or not they pass the checks).
    parents_of: dict[int, list[int]] = {}
    for child, parent in Category.parents.through.objects.values_list("from_category_id",
                                                                      "to_category_id"):
        parents_of.setdefault(child, []).append(parent)

    def with_ancestors(pks: list[int]) -> list[int]:
        pks, frontier, seen = list(pks), list(pks), set(pks)
        while frontier:
            ancestors = sorted({p for pk in frontier for p in parents_of.get(pk, ())} - seen)
            seen.update(ancestors)
            pks += ancestors
            frontier = ancestors
        return pks

    found = Category.objects.in_bulk(with_ancestors(named))
    for pk in requested:
        category = found.get(pk)
        if category is None or category.deleted or not category.active:
            raise errors.does_not_exist("categories", pk)
        if category.content_only_staff and not account.is_staff:
            raise errors.Invalid(f"Only staff can publish in category {pk}.",
                                 code="permission_denied", field="categories")
    chosen = [pk for pk in named
              if pk in found and found[pk].active and not found[pk].deleted
              and (not found[pk].content_only_staff or account.is_staff)]
    if not chosen:
        return []
    chosen_categories = [found[pk] for pk in with_ancestors(chosen)
                         if pk in found and not found[pk].deleted]
    for category in chosen_categories:
        category.parent_ids = sorted(parents_of.get(category.pk, ()))
    return chosen_categories


def _tags(*, field: str, ids: list[int], kind: str) -> list[Tag]:
    if not ids:
        return []
    found = Tag.objects.in_bulk(ids)
    for pk in ids:
        tag = found.get(pk)
        if tag is None or tag.deleted or not tag.active:
            raise errors.does_not_exist(field, pk)
        if tag.type != kind:
            raise errors.Invalid(f'Tag {pk} is not a tag of type "{kind}".', code="invalid",
                                 field=field)
    return [found[pk] for pk in ids]


@dataclass
class _Prepared:
    clean: str
    rendered: html_text.Rendered
    categories: list[Category]
    media: list
    addressing: list[Tag]
    tags: list[Tag]


def _prepare(*, account: Account, body: Contribution, current: Status | None) -> _Prepared:
    """Every check of a create or update, in the order the fields are documented; nothing is
    written until all pass."""
    clean = html_text.sanitize(body.text) if body.text else ""
    scanned = html_text.scan(clean)
    categories = _categories(account=account, requested=body.category_ids,
                             from_text=scanned.category_ids)
    media = media_services.media_for_contribution(account=account, media_ids=body.media_ids,
                                                  current_status=current)
    addressing = _tags(field="addressing", ids=body.addressing_ids, kind=TagType.USER)
    tags = _tags(field="tags", ids=body.tag_ids, kind=TagType.CONTRIBUTION)
    rendered = html_text.render(clean, resolved=mention_targets(author=account,
                                                                usernames=scanned.usernames),
                                tags_base_url=instance.tags_base_url())
    if (not rendered.plain.strip() and not media and not (body.action or "").strip()
            and not body.title.strip() and body.poll is None):
        raise errors.Invalid(NO_CONTENT, code="blank", field="text")
    return _Prepared(clean=clean, rendered=rendered, categories=categories, media=media,
                     addressing=addressing, tags=tags)


def write_rendering(status: Status, clean: str, rendered: html_text.Rendered) -> None:
    """A SelfCommunity HTML text and every rendering of it, onto the row (statuses, comments)."""
    status.text = clean
    status.text_format = TextFormat.HTML
    status.html = rendered.content
    status.sc_html = rendered.html
    status.summary = html_text.summary(rendered.plain)
    status.slug = html_text.slug(rendered.plain)
    status.mention_data = [[m.id, m.username] for m in rendered.mentioned]
    status.tag_data = list(rendered.hashtags)


def mastodon_html(*, title: str, content: str, question: str) -> str:
    """What Mastodon clients show of a contribution: a discussion's title as a first, bold
    paragraph (every client renders it as a heading line; a content warning would hide the
    text behind it), the text, and a poll's question as a last paragraph above the options
    (Mastodon polls have no title of their own)."""
    head = f"<p><strong>{escape(title, quote=False)}</strong></p>" if title else ""
    tail = f"<p>{escape(question, quote=False)}</p>" if question else ""
    return head + content + tail


def _write_text(status: Status, prepared: _Prepared, body: Contribution) -> None:
    write_rendering(status, prepared.clean, prepared.rendered)
    status.action = body.action
    status.location = body.location
    status.addressed = bool(prepared.addressing)
    status.contribution_type = body.kind
    status.title = body.title if body.kind == ContributionType.DISCUSSION else ""
    if status.title:
        status.slug = html_text.slug(status.title) or status.slug
    if body.kind != ContributionType.STATUS:
        status.html = mastodon_html(title=status.title, content=status.html,
                                    question=body.poll.title if body.poll else "")


def _set_in_order(descriptor, status: Status, column: str, objects: list, *, new: bool) -> None:
    """Replace a many-to-many list keeping the order given (link ids follow it)."""
    through = descriptor.through
    if not new:
        through.objects.filter(status_id=status.pk).delete()
    if objects:
        through.objects.bulk_create([through(status_id=status.pk, **{column: o.pk})
                                     for o in objects])


def _write_relations(status: Status, prepared: _Prepared, *, new: bool) -> set[int]:
    """Writes the relations; returns the accounts mentioned that were not before."""
    if prepared.media or not new:
        status_attach_media(status=status, media=prepared.media)
    _set_in_order(Status.categories, status, "category_id", prepared.categories, new=new)
    _set_in_order(Status.addressing, status, "tag_id", prepared.addressing, new=new)
    _set_in_order(Status.tags, status, "tag_id", prepared.tags, new=new)
    mentioned = {m.id for m in prepared.rendered.mentioned}
    if not new:
        Mention.objects.filter(status=status).exclude(account_id__in=mentioned).update(
            silent=True)
        Mention.objects.filter(status=status, account_id__in=mentioned).update(silent=False)
        StatusTag.objects.filter(status=status).delete()
    existing = set() if new else set(
        Mention.objects.filter(status=status).values_list("account_id", flat=True))
    Mention.objects.bulk_create([Mention(status=status, account_id=pk) for pk in mentioned
                                 if pk not in existing])
    hashtags = hashtags_upsert(status.tag_data)
    if hashtags:
        StatusTag.objects.bulk_create([StatusTag(status=status, hashtag=h) for h in hashtags])
    return mentioned - existing


def contribution_create(*, account: Account, body: Contribution, application=None) -> Status:
    """Post a status from SelfCommunity (POST /api/v2/status/)."""
    with posting_limit(account):
        return _contribution_create(account=account, body=body, application=application)


@transaction.atomic
def _contribution_create(*, account: Account, body: Contribution, application) -> Status:
    prepared = _prepare(account=account, body=body, current=None)
    now = timezone.now()
    status = Status(account=account, application=application, created_at=now,
                    last_activity_at=now, language=language_for(account))
    _write_text(status, prepared, body)
    status.visibility = Visibility.PRIVATE if status.addressed else Visibility.PUBLIC
    status.has_poll = body.poll is not None
    status.save()
    _write_relations(status, prepared, new=True)
    if body.poll is not None:
        poll_create(status=status, spec=body.poll, now=now)
    # Whatever shows the new status reads these from memory (statuses/selectors/page.py).
    keep_related(status, "media", prepared.media)
    keep_related(status, "categories", prepared.categories)
    keep_related(status, "tags", prepared.tags)
    keep_related(status, "addressing", prepared.addressing)
    status_card_schedule(status=status)
    authored.author_counts_add(status=status, account=account, last_status_at=now.date())
    account.last_status_at = now.date()
    events.announce(events.status_created, status_id=status.pk)
    notifying.status_announce_new(status=status,
                                  mentioned=[m.id for m in prepared.rendered.mentioned])
    return status


def contribution_update(*, account: Account, status_id: int | None, body: Contribution
                        ) -> Status:
    """Edit one's own status from SelfCommunity (PUT /api/v2/status/{id}/): every field is
    replaced, a revision is kept for Mastodon's history, and `last_edited_at` moves."""
    with posting_limit(account):
        return _contribution_update(account=account, status_id=status_id, body=body)


@transaction.atomic
def _contribution_update(*, account: Account, status_id: int | None, body: Contribution
                         ) -> Status:
    from media.models import MediaAttachment

    status = (Status.objects.select_for_update()
              .filter(pk=status_id, reblog_of__isnull=True, deleted_at__isnull=True,
                      contribution_type=body.kind).first()
              if status_id is not None else None)
    if status is None:
        raise errors.NotFound("Not found.")
    if status.account_id != account.pk:
        raise errors.NotAllowed()
    status.account = account
    prepared = _prepare(account=account, body=body, current=status)
    before = list(MediaAttachment.objects.filter(status=status).order_by("position"))
    if not StatusEdit.objects.filter(status=status).exists():
        edit_snapshot(status, before, created_at=status.created_at).save()
    was_addressed, written_here = status.addressed, status.text_format == TextFormat.HTML
    was_direct = status.visibility == Visibility.DIRECT
    counted_before = authored.counted_in(status)
    now = timezone.now()
    previous_text = status.text
    _write_text(status, prepared, body)
    if status.addressed:
        status.visibility = Visibility.PRIVATE
    elif was_addressed and written_here:
        # Dropping the addressing of a SelfCommunity status opens it to everyone, as a new
        # status without addressing would be. A Mastodon status stays within its followers.
        status.visibility = Visibility.PUBLIC
    status.edited_at = now
    fields = ["text", "text_format", "html", "sc_html", "summary", "slug", "mention_data",
              "tag_data", "action", "location", "addressed", "visibility", "edited_at", "title"]
    if body.kind != ContributionType.STATUS:
        # A post's or discussion's poll is replaced with the rest (none given: none kept); a
        # status's poll is Mastodon's business and stays as it is.
        poll = poll_replace(status=status, current=poll_for_update(status), spec=body.poll,
                            now=now)
        status.has_poll = poll is not None
        fields.append("has_poll")
    status.save(update_fields=fields)
    # Addressing a direct status makes it private (counted); a poll added or removed moves
    # polls_count.
    authored.author_counts_change(status=status, before=counted_before, account=account)
    new_mentions = _write_relations(status, prepared, new=False)
    edit_snapshot(status, prepared.media, created_at=now).save()
    status_card_schedule(status=status, text_changed=status.text != previous_text)
    events.announce(events.status_edited, status_id=status.pk)
    direct_status_edited(status=status, was_direct=was_direct)
    notifying.status_announce_edit(status=status, new_mentions=new_mentions)
    return status


def contribution_delete(*, account: Account, status: Status) -> None:
    """Delete one's own status from SelfCommunity (DELETE /api/v2/status/{id}/): the same soft
    delete as Mastodon's; anyone else's is refused."""
    if status.account_id != account.pk:
        raise errors.NotAllowed()
    status_delete(status=status)

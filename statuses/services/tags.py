"""Writes of hashtags an account follows or features (Mastodon's TagFollow and FeaturedTag).
Following or featuring a name nobody used yet creates its hashtag, as Mastodon does."""

from django.db import transaction

from config.errors import Invalid, NotFound
from statuses.models import FeaturedTag, Hashtag, TagFollow
from statuses.selectors.tags import tag_name
from statuses.services.writing import hashtags_upsert

# Mastodon's featured_tags.errors.limit.
FEATURED_LIMIT_MESSAGE = "You have already featured the maximum number of hashtags"


def tag_get_or_create(raw: str) -> Hashtag:
    """The hashtag named `raw` (normalised), created if new; NotFound for no hashtag name."""
    name = tag_name(raw)
    if name is None:
        raise NotFound("Not Found")
    return hashtags_upsert([name])[0]


def tag_follow(*, account, hashtag: Hashtag) -> None:
    TagFollow.objects.get_or_create(account_id=account.pk, hashtag=hashtag)


def tag_unfollow(*, account, hashtag: Hashtag) -> None:
    TagFollow.objects.filter(account_id=account.pk, hashtag=hashtag).delete()


@transaction.atomic
def tag_feature(*, account, raw_name) -> FeaturedTag:
    """FeaturedTag.create!: the name stripped of spaces and one leading '#', a hashtag name
    ("Name is invalid" otherwise), at most FeaturedTag.LIMIT per account; featuring a tag
    already featured returns that row."""
    raw = (raw_name if isinstance(raw_name, str) else "").strip()
    if raw.startswith("#"):
        raw = raw[1:]
    if not raw:
        raise Invalid("Name can't be blank")
    name = tag_name(raw)
    if name is None:
        raise Invalid("Name is invalid")
    existing = (FeaturedTag.objects.filter(account_id=account.pk, hashtag__name=name)
                .select_related("hashtag").first())
    if existing is not None:
        return existing
    # Serialise an account's features so that two requests cannot pass the limit together.
    type(account).objects.select_for_update().filter(pk=account.pk).first()
    if FeaturedTag.objects.filter(account_id=account.pk).count() >= FeaturedTag.LIMIT:
        raise Invalid(FEATURED_LIMIT_MESSAGE)
    featured, _ = FeaturedTag.objects.get_or_create(account_id=account.pk,
                                                    hashtag=hashtags_upsert([name])[0])
    return featured


def tag_unfeature(*, account, hashtag: Hashtag) -> None:
    FeaturedTag.objects.filter(account_id=account.pk, hashtag=hashtag).delete()


def featured_tag_remove(*, account, featured_tag_id: int | None) -> None:
    deleted, _ = FeaturedTag.objects.filter(account_id=account.pk, pk=featured_tag_id).delete()
    if not deleted:
        raise NotFound("Record not found")

"""SelfCommunity Category, Tag and Reaction (spec 2.3, 2.6, 2.8), rendered as plain dicts."""

from accounts.selfcommunity.serializers import iso
from config import instance


def serialize_tag(tag) -> dict:
    return {
        "id": tag.pk,
        "type": tag.type,
        "name": tag.name,
        "description": tag.description or None,
        "color": tag.color,
        "visible": tag.visible,
        "visibility_boost": tag.visibility_boost,
        "created_at": iso(tag.created_at),
        "active": tag.active,
        "deleted": tag.deleted,
    }


def serialize_category(category) -> dict:
    image = category.image_original or None
    return {
        "id": category.pk,
        "tags": [],
        "followed": False,
        "order": category.order,
        "name": category.name,
        "name_synonyms": category.name_synonyms,
        "slug": category.slug,
        "slogan": category.slogan,
        "html_info": category.html_info or None,
        "seo_title": category.seo_title,
        "seo_description": category.seo_description,
        "auto_follow": category.auto_follow,
        "content_only_staff": category.content_only_staff,
        "active": category.active,
        "deleted": category.deleted,
        # One stored picture: every rendition points at it.
        "image_original": image,
        "image_bigger": image,
        "image_big": image,
        "image_medium": image,
        "image_small": image,
        "emotional_image_original": category.emotional_image_original or None,
        "emotional_image_position": category.emotional_image_position,
        "lastmod_datetime": iso(category.lastmod_at),
        "stream_order_by": category.stream_order_by,
        "followers_counter": category.followers_count,
        # Set by categories.selectors.attach_parent_ids (or the create, which walked them).
        "parents": list(category.parent_ids),
    }


def serialize_reaction(reaction) -> dict:
    return {
        "id": reaction.pk,
        "label": reaction.label,
        "image": instance.absolute(reaction.image) if reaction.image else None,
        "sentiment": reaction.sentiment,
        "active": reaction.active,
    }

"""Reads of categories, tags and reactions."""

from django.db.models import QuerySet

from categories.models import Category, Reaction, Tag, TagType
from config import errors


def categories_active() -> QuerySet[Category]:
    """The categories SelfCommunity lists: active and not deleted, in their order."""
    return Category.objects.filter(active=True, deleted=False).order_by("order", "name", "id")


def category_get_active(*, category_id: int | None) -> Category:
    category = (categories_active().filter(pk=category_id).first()
                if category_id is not None else None)
    if category is None:
        raise errors.NotFound("Not found.")
    return category


def reactions_all() -> QuerySet[Reaction]:
    return Reaction.objects.order_by("id")


def reaction_get(*, reaction_id: int | None) -> Reaction:
    reaction = Reaction.objects.filter(pk=reaction_id).first() if reaction_id else None
    if reaction is None:
        raise errors.NotFound("Not found.")
    return reaction


def tags_to_address(*, viewer) -> list[Tag]:
    """The `user` tags a status may be addressed to: the ones a create accepts (active, not
    deleted), by name."""
    return list(Tag.objects.filter(type=TagType.USER, active=True, deleted=False)
                .order_by("name", "id"))

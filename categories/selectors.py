"""Reads of categories, tags and reactions."""

from django.db import connection
from django.db.models import QuerySet

from categories.models import Category, Reaction, Tag, TagType
from config import errors
from config.db import ids_clause


def categories_active() -> QuerySet[Category]:
    """The categories SelfCommunity lists: active and not deleted, in their order."""
    return Category.objects.filter(active=True, deleted=False).order_by("order", "name", "id")


def attach_parent_ids(categories) -> None:
    """Set `parent_ids` (spec 2.3's `parents`) on each of `categories`, in one query for all of
    them (none when there are none or all have them)."""
    pending: dict[int, list] = {}
    for category in categories:
        if not hasattr(category, "parent_ids"):
            pending.setdefault(category.pk, []).append(category)
    if not pending:
        return
    parents: dict[int, list[int]] = {pk: [] for pk in pending}
    table = Category.parents.through._meta.db_table
    # Plain SQL: building the ORM's statement cost more than running it.
    clause, params = ids_clause("from_category_id", list(pending))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT from_category_id, to_category_id FROM {table} WHERE {clause} "
                       "ORDER BY to_category_id", params)
        links = cursor.fetchall()
    for child, parent in links:
        parents[child].append(parent)
    for pk, same in pending.items():
        for category in same:
            category.parent_ids = list(parents[pk])


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

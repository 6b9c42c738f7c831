"""Writes of categories and reactions that carry a rule: the parent graph stays acyclic, a
category in use is deleted only once its statuses have moved to another one, and the default
reaction (what every Mastodon favourite records) stays active and is never deleted."""

from django.db import transaction

from categories.models import Category, Reaction
from config import errors


def _parent_graph() -> dict[int, list[int]]:
    """Every category's parents. Categories are a short list kept by moderators, so the whole
    graph is one query, walked in memory (as statuses.services.contributions does)."""
    graph: dict[int, list[int]] = {}
    for child, parent in Category.parents.through.objects.values_list("from_category_id",
                                                                      "to_category_id"):
        graph.setdefault(child, []).append(parent)
    return graph


def category_ancestor_ids(*, category_ids, graph: dict[int, list[int]] | None = None
                          ) -> set[int]:
    """The categories reached by following `parents` upwards from `category_ids` (themselves
    included)."""
    graph = _parent_graph() if graph is None else graph
    seen = set(category_ids)
    frontier = list(seen)
    while frontier:
        frontier = [p for pk in frontier for p in graph.get(pk, ()) if p not in seen]
        seen.update(frontier)
    return seen


def category_validate_parents(*, category: Category | None, parent_ids) -> None:
    """Refuse parents that would make `category` its own ancestor (itself among them, or one of
    them descending from it). A new category (no pk yet) has no descendants."""
    parent_ids = {int(pk) for pk in parent_ids}
    if category is None or category.pk is None or not parent_ids:
        return
    if category.pk in parent_ids:
        raise errors.Invalid("A category cannot be its own parent.", code="invalid",
                             field="parents")
    graph = _parent_graph()
    graph[category.pk] = []  # the parents being replaced no longer count
    if category.pk in category_ancestor_ids(category_ids=parent_ids, graph=graph):
        names = ", ".join(sorted(Category.objects.filter(pk__in=parent_ids)
                                 .values_list("name", flat=True)))
        raise errors.Invalid(
            f"A category cannot be its own ancestor: {category.name} is already an ancestor "
            f"of {names}.", code="invalid", field="parents")


def category_statuses_count(*, category: Category) -> int:
    """How many statuses (deleted ones included: a restore brings them back) carry it."""
    return Category.statuses.through.objects.filter(category_id=category.pk).count()


@transaction.atomic
def category_delete(*, category: Category, move_to: Category | None = None) -> int:
    """Delete `category`. When statuses carry it, they first move to `move_to` (which they get
    with its ancestors, as a post in it would); without `move_to` a category in use is refused.
    Returns how many statuses moved."""
    category = Category.objects.select_for_update().get(pk=category.pk)
    links = Category.statuses.through.objects.filter(category_id=category.pk)
    status_ids = list(links.values_list("status_id", flat=True))
    if status_ids and move_to is None:
        raise errors.Rejected(
            f"{len(status_ids)} statuses are in category {category.name}: move them to another "
            "category before deleting it.", code="category_in_use")
    if move_to is not None and move_to.pk == category.pk:
        raise errors.Invalid("Statuses cannot move to the category being deleted.",
                             code="invalid", field="move_to")
    if status_ids:
        targets = category_ancestor_ids(category_ids=[move_to.pk]) - {category.pk}
        through = Category.statuses.through
        through.objects.bulk_create(
            [through(status_id=status_id, category_id=target)
             for status_id in status_ids for target in sorted(targets)],
            ignore_conflicts=True,
        )
    category.delete()
    return len(status_ids)


def reaction_validate(*, reaction: Reaction, active: bool) -> None:
    """Refuse deactivating the default reaction: every favourite is a vote with it."""
    if reaction.pk and reaction.is_default and not active:
        raise errors.Invalid("The default reaction (a Mastodon favourite) stays active.",
                             code="invalid", field="active")


def reaction_may_delete(*, reaction: Reaction) -> bool:
    """Every favourite points at the default reaction: it is never deleted."""
    return not reaction.is_default

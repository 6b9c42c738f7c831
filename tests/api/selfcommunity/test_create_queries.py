"""POST /api/v2/status/ reads the categories and all their ancestors in a fixed number of
queries, whatever the depth of the category graph."""

import pytest

from tests.factories import CategoryFactory


@pytest.mark.parametrize("depth", [1, 4])
def test_create_query_count_does_not_grow_with_ancestors(sc, depth, django_assert_num_queries):
    chain = [CategoryFactory(name=f"level {i}") for i in range(depth + 1)]
    for child, parent in zip(chain, chain[1:], strict=False):
        child.parents.add(parent)
    sc.post("/api/v2/status/",
            {"action": None, "text": "<p>warm-up</p>", "categories": [chain[0].pk]},
            format="json")
    # token, the category graph, the categories and their ancestors, insert, its categories,
    # the author's counters, and the transaction's savepoint and release (in a test)
    with django_assert_num_queries(8):
        response = sc.post("/api/v2/status/", {"action": None, "text": "<p>deep</p>",
                                               "categories": [chain[0].pk]}, format="json")
    assert response.status_code == 201
    assert [c["id"] for c in response.json()["categories"]] == [c.pk for c in chain]

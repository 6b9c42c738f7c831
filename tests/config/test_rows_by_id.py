"""config.db.RowsById builds instances without Model.__init__: they must equal the ORM's, field
by field (converters included), and behave as loaded rows."""

import pytest

from accounts.models import Account
from config.db import RowsById
from statuses import services
from statuses.models import Status
from tests.factories import AccountFactory


@pytest.mark.django_db
def test_rows_equal_the_orms_field_by_field():
    alice = AccountFactory(username="alice", note="hi")
    first = services.status_create(account=alice, text="@alice #tag https://example.com x",
                                   spoiler_text="cw")
    second = services.status_create(account=alice, text="reply", in_reply_to_id=first.pk,
                                    in_reply_to_given=True)
    for model, ids in ((Status, [first.pk, second.pk, 10**12]), (Account, [alice.pk])):
        fast = RowsById(model).fetch(ids)
        orm = model.objects.in_bulk(ids)
        assert set(fast) == set(orm)
        for pk, row in orm.items():
            for field in model._meta.concrete_fields:
                assert getattr(fast[pk], field.attname) == getattr(row, field.attname), field.name
            assert fast[pk]._state.adding is False and fast[pk]._state.db == "default"
    loaded = RowsById(Status).fetch([second.pk])[second.pk]
    assert loaded.in_reply_to.pk == first.pk  # relations load as on any instance
    assert isinstance(loaded.mention_data, list) and loaded.tag_data == []
    loaded.views_count = 7
    loaded.save(update_fields=["views_count"])
    assert Status.objects.get(pk=second.pk).views_count == 7


@pytest.mark.django_db
def test_no_ids_make_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert RowsById(Status).fetch([]) == {}

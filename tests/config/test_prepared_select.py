"""config.db.PreparedSelect: the precompiled SELECTs behind the token lookup, the single status
and the links of a page. Its rows must be what the ORM's select_related makes, its extra columns
come back by name, and its named parameters take values (or, bound, SQL expressions)."""

import pytest
from django.db import connection
from oauth2_provider.models import AccessToken

from config.api.auth import TOKEN_QUERY, checksum
from config.api.token_status import token_and_status
from config.db import PreparedSelect
from statuses import services
from statuses.models import Status
from statuses.selectors.single import SINGLE_FOR_VIEWER


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_rows_equal_the_orms_with_their_relations(alice, bob):
    original = services.status_create(account=alice, text="the original")
    reblog = services.status_reblog(account=bob, status_id=original.pk)
    select = PreparedSelect(Status, relations=["account", "reblog_of", "reblog_of:account"],
                            where="t0.id = %(id)s")
    [(loaded, extras)] = select.fetch({"id": reblog.pk})
    orm = Status.objects.select_related("account", "reblog_of__account").get(pk=reblog.pk)
    assert extras == {}
    assert _fields(loaded) == _fields(orm)
    assert _fields(loaded.account) == _fields(orm.account)
    assert _fields(loaded.reblog_of) == _fields(orm.reblog_of)
    assert loaded.reblog_of.account.username == "alice"


def test_a_missing_outer_relation_is_none(alice):
    status = services.status_create(account=alice, text="no reblog")
    select = PreparedSelect(Status, relations=["reblog_of"], where="t0.id = %(id)s")
    [(loaded, _)] = select.fetch({"id": status.pk})
    assert loaded.reblog_of is None


def test_extra_columns_come_back_by_name(alice):
    status = services.status_create(account=alice, text="counted")
    select = PreparedSelect(Status, where="t0.id = %(id)s",
                            extra={"doubled": "t0.id * 2", "is_it": "t0.id = %(id)s"})
    [(loaded, extras)] = select.fetch({"id": status.pk})
    assert loaded.pk == status.pk
    assert extras == {"doubled": status.pk * 2, "is_it": True}
    assert select.width == len(Status._meta.concrete_fields) + 2


def test_no_row_is_an_empty_list(db):
    assert PreparedSelect(Status, where="t0.id = %(id)s").fetch({"id": 10**12}) == []


def test_binding_a_parameter_to_an_expression(db):
    select = PreparedSelect(Status, where="t0.id = %(id)s", extra={"mine": "%(viewer)s = 1"})
    bound = select.sql_binding(viewer="outer.viewer_id")
    assert "%(viewer)s" not in bound and "outer.viewer_id = 1" in bound
    assert "%(id)s" in bound  # the others stay parameters
    with pytest.raises(ValueError, match="no parameter 'nobody'"):
        select.sql_binding(nobody="1")


def test_the_token_select_names_its_moderator_and_viewer(alice, moderator, make_token):
    raw = make_token(moderator)
    [(token, extras)] = TOKEN_QUERY.fetch(checksum(raw))
    assert token == AccessToken.objects.get(token_checksum=checksum(raw))
    assert token.user == moderator and token.application is not None
    assert extras == {"moderator": True, "viewer_id": moderator.pk}
    [(_, extras)] = TOKEN_QUERY.fetch(checksum(make_token(alice)))
    assert extras == {"moderator": False, "viewer_id": alice.pk}


def test_the_single_status_select_names_every_fact(alice, bob):
    status = services.status_create(account=alice, text="faved")
    services.status_favourite(account=bob, status_id=status.pk)
    [(loaded, facts)] = SINGLE_FOR_VIEWER.fetch({"viewer": bob.pk, "status": status.pk})
    assert loaded.pk == status.pk
    assert {name for name, value in facts.items() if value} == {"favourited"}
    assert set(facts) == {
        "blocked_by_author", "follows_author", "mentioned", "addressed_to_viewer",
        "original_blocked_by_author", "original_follows_author", "original_mentioned",
        "original_addressed_to_viewer", "favourited", "reblogged", "bookmarked", "pinned",
        "muted"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="LATERAL is PostgreSQL's")
def test_token_and_status_is_one_statement_with_named_parts(alice, bob, make_token,
                                                            django_assert_num_queries):
    status = services.status_create(account=alice, text="read with the token")
    services.status_bookmark(account=bob, status_id=status.pk)
    raw = make_token(bob)
    assert "%s" not in token_and_status.sql()
    with django_assert_num_queries(1):
        token, (loaded, facts) = token_and_status.fetch(token_checksum=checksum(raw),
                                                        status_id=status.pk)
    assert token.user == bob and loaded.pk == status.pk
    assert {name for name, value in facts.items() if value} == {"bookmarked"}
    assert token_and_status.fetch(token_checksum=checksum("nope"), status_id=status.pk) is None
    token, (missing, facts) = token_and_status.fetch(token_checksum=checksum(raw),
                                                     status_id=10**12)
    assert token.user == bob and missing is None

"""Precompiled SELECTs for the hottest reads.

Compiling an ORM queryset with `select_related` costs more than running it on PostgreSQL. A
`PreparedSelect` builds the SQL once per process from the models' metadata and turns each row
back into model instances with their joined relations cached, exactly as `select_related` would,
applying the same database converters the ORM applies (datetimes, JSON, booleans).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connections, models


@dataclass
class _Part:
    model: type[models.Model]
    alias: str
    fields: list
    attnames: list[str]
    via: models.ForeignKey | None
    parent_index: int | None


class PreparedSelect:
    """SELECT <model> [JOIN <fk relations>] WHERE <where> [extra columns].

    `relations` are paths of foreign keys from the base model (`"account"`, `"user"`,
    `"status__account"` is not supported: one level, or a later relation naming an earlier one's
    alias by `parent:field`). `where` and `extra` are SQL using the aliases `t0` (the base) and
    `t1`, `t2`, ... (the relations, in order), with `%s` placeholders.
    """

    def __init__(
        self,
        model: type[models.Model],
        *,
        relations: Sequence[str] = (),
        where: str,
        extra: Sequence[str] = (),
        order_by: str = "",
        using: str = "default",
    ):
        self.model = model
        self.relations = list(relations)
        self.where = where
        self.extra = list(extra)
        self.order_by = order_by
        self.using = using
        self._compiled: tuple[str, list[_Part], list] | None = None

    def _compile(self):
        connection = connections[self.using]
        quote = connection.ops.quote_name
        parts = [self._part(self.model, "t0", None, None)]
        joins = []
        for index, path in enumerate(self.relations, start=1):
            parent_index = 0
            name = path
            if ":" in path:
                parent_name, name = path.split(":", 1)
                parent_index = self.relations.index(parent_name) + 1
            parent = parts[parent_index]
            field = parent.model._meta.get_field(name)
            related = field.related_model
            alias = f"t{index}"
            parts.append(self._part(related, alias, field, parent_index))
            kind = "LEFT OUTER JOIN" if field.null or parent_index else "INNER JOIN"
            joins.append(
                f"{kind} {quote(related._meta.db_table)} {alias} ON "
                f"{alias}.{quote(field.target_field.column)} = "
                f"{parent.alias}.{quote(field.column)}"
            )
        columns = [
            f"{part.alias}.{quote(f.column)}" for part in parts for f in part.fields
        ] + list(self.extra)
        sql = (
            f"SELECT {', '.join(columns)} FROM {quote(self.model._meta.db_table)} t0 "
            + " ".join(joins)
            + f" WHERE {self.where}"
            + (f" ORDER BY {self.order_by}" if self.order_by else "")
        )
        converters = []
        for part in parts:
            for f in part.fields:
                col = f.get_col(part.alias)
                funcs = connection.ops.get_db_converters(col) + f.get_db_converters(connection)
                converters.append((funcs, col))
        self._compiled = (sql, parts, converters)
        return self._compiled

    @staticmethod
    def _part(model, alias, via, parent_index) -> _Part:
        fields = list(model._meta.concrete_fields)
        return _Part(model, alias, fields, [f.attname for f in fields], via, parent_index)

    @property
    def sql(self) -> str:
        return (self._compiled or self._compile())[0]

    def fetch(self, params: Sequence) -> list[tuple[models.Model, tuple]]:
        """Rows as (base instance with relations cached, extra column values)."""
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, list(params))
            rows = cursor.fetchall()
        return [self.decode(row) for row in rows]

    @property
    def width(self) -> int:
        """How many columns a row of this select has (model columns and extras)."""
        _, parts, _ = self._compiled or self._compile()
        return sum(len(part.fields) for part in parts) + len(self.extra)

    def decode(self, row: Sequence) -> tuple[models.Model | None, tuple]:
        """One row as (base instance with relations cached, or None when the base columns are
        all NULL, as from an outer join; extra column values)."""
        _, parts, converters = self._compiled or self._compile()
        connection = connections[self.using]
        values = list(row)
        for position, (funcs, col) in enumerate(converters):
            value = values[position]
            for func in funcs:
                value = func(value, col, connection)
            values[position] = value
        offset = 0
        instances: list[models.Model | None] = []
        for part in parts:
            chunk = values[offset : offset + len(part.fields)]
            offset += len(part.fields)
            pk_value = chunk[part.fields.index(part.model._meta.pk)]
            if pk_value is None:
                instances.append(None)
                continue
            instances.append(part.model.from_db(self.using, part.attnames, chunk))
        for part, instance in zip(parts[1:], instances[1:], strict=True):
            parent = instances[part.parent_index]
            if parent is not None:
                part.via.set_cached_value(parent, instance)
        return instances[0], tuple(values[offset:])

"""Precompiled SELECTs for the hottest reads.

Compiling an ORM queryset with `select_related` costs more than running it on PostgreSQL. A
`PreparedSelect` builds the SQL once per process from the models' metadata and turns each row
back into model instances with their joined relations cached, exactly as `select_related` would,
applying the same database converters the ORM applies (datetimes, JSON, booleans).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import connections, models
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init


def instance_from_db(model, using: str, attnames: list[str], values: Sequence):
    """What `Model.from_db` makes of a full row, without `Model.__init__`'s work per field
    (a fifth of the time for a status's fifty columns). `__init__` only assigns the values
    and sends pre_init/post_init; a model that has receivers for those goes through it."""
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return model.from_db(using, attnames, values)
    instance = model.__new__(model)
    instance.__dict__.update(zip(attnames, values, strict=True))
    state = instance._state = ModelState()
    state.adding = False
    state.db = using
    return instance


@dataclass
class _Part:
    model: type[models.Model]
    alias: str
    fields: list
    attnames: list[str]
    via: models.ForeignKey | None
    parent_index: int | None


class PreparedSelect:
    """SELECT <model> [JOIN <fk relations>] WHERE <where> [named extra columns].

    `relations` are paths of foreign keys from the base model (`"account"`, `"user"`,
    `"status__account"` is not supported: one level, or a later relation naming an earlier one's
    alias by `parent:field`). `where` and the `extra` columns (name -> SQL) are SQL using the
    aliases `t0` (the base) and `t1`, `t2`, ... (the relations, in order), with named
    parameters (`%(viewer)s`); `fetch` takes their values as a mapping and gives back each row's
    extra columns by name.
    """

    def __init__(
        self,
        model: type[models.Model],
        *,
        relations: Sequence[str] = (),
        where: str,
        extra: Mapping[str, str] | None = None,
        order_by: str = "",
        using: str = "default",
    ):
        self.model = model
        self.relations = list(relations)
        self.where = where
        self.extra = dict(extra or {})
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
        ] + [f"{sql} AS {quote(name)}" for name, sql in self.extra.items()]
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

    def sql_binding(self, **expressions: str) -> str:
        """The statement with named parameters bound to SQL expressions instead of values (a
        column of an enclosing query: `sql_binding(viewer="tok.viewer_id")`)."""
        sql = self.sql
        for name, expression in expressions.items():
            placeholder = f"%({name})s"
            if placeholder not in sql:
                raise ValueError(f"the statement has no parameter {name!r}")
            sql = sql.replace(placeholder, expression)
        return sql

    def fetch(self, params: Mapping[str, object]) -> list[tuple[models.Model, dict]]:
        """Rows as (base instance with relations cached, extra column values by name)."""
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, dict(params))
            rows = cursor.fetchall()
        return [self.decode(row) for row in rows]

    @property
    def width(self) -> int:
        """How many columns a row of this select has (model columns and extras)."""
        _, parts, _ = self._compiled or self._compile()
        return sum(len(part.fields) for part in parts) + len(self.extra)

    def decode(self, row: Sequence) -> tuple[models.Model | None, dict]:
        """One row as (base instance with relations cached, or None when the base columns are
        all NULL, as from an outer join; extra column values by name)."""
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
            instances.append(instance_from_db(part.model, self.using, part.attnames, chunk))
        for part, instance in zip(parts[1:], instances[1:], strict=True):
            parent = instances[part.parent_index]
            if parent is not None:
                part.via.set_cached_value(parent, instance)
        return instances[0], dict(zip(self.extra, values[offset:], strict=True))


class RowsById:
    """Every concrete column of `model` for a list of ids, as instances (one statement, the
    converters applied as the ORM applies them): the bulk reads behind every page."""

    def __init__(self, model: type[models.Model], using: str = "default"):
        self.model = model
        self.using = using
        self._compiled = None

    def _compile(self):
        connection = connections[self.using]
        quote = connection.ops.quote_name
        fields = list(self.model._meta.concrete_fields)
        columns = ", ".join(f"t0.{quote(f.column)}" for f in fields)
        head = f"SELECT {columns} FROM {quote(self.model._meta.db_table)} t0 WHERE t0.id "
        converters = []
        for f in fields:
            col = f.get_col("t0")
            converters.append(
                (connection.ops.get_db_converters(col) + f.get_db_converters(connection), col))
        self._compiled = (head, [f.attname for f in fields], converters, connection.vendor)
        return self._compiled

    def fetch(self, ids) -> dict[int, models.Model]:
        ids = sorted(set(ids))
        if not ids:
            return {}
        head, attnames, converters, vendor = self._compiled or self._compile()
        if vendor == "postgresql":
            sql, params = head + "= ANY(%s)", [ids]
        else:
            sql, params = head + f"IN ({', '.join(['%s'] * len(ids))})", ids
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        found = {}
        for row in rows:
            values = list(row)
            for position, (funcs, col) in enumerate(converters):
                if funcs:
                    value = values[position]
                    for func in funcs:
                        value = func(value, col, connection)
                    values[position] = value
            instance = instance_from_db(self.model, self.using, attnames, values)
            found[instance.pk] = instance
        return found


def ids_clause(column: str, values: Sequence[int], using: str = "default") -> tuple[str, list]:
    """`column` is one of `values`, as SQL and its parameters: one array parameter on
    PostgreSQL (`= ANY(%s)`: one plan whatever the count, prepared once), a placeholder each
    elsewhere (`IN (%s, %s, ...)`)."""
    if connections[using].vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(values)]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


# --- rows a write already holds ---------------------------------------------------------------
# A service that has just written a row's related rows (a status's media, categories, tags) keeps
# them in the ORM's own relation cache, where prefetch_related would have put them, so that
# whatever shows the row next reads them from memory: `getattr(row, name).all()` runs no query.


def _cache_name(manager) -> str:
    name = getattr(manager, "prefetch_cache_name", None)  # many-to-many
    return name if name is not None else manager.field.remote_field.cache_name


def keep_related(instance: models.Model, name: str, rows: Sequence[models.Model]) -> None:
    """Cache `rows` as `instance`'s `name` relation (a reverse foreign key or a many-to-many)."""
    manager = getattr(instance, name)
    queryset = manager.get_queryset()
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[_cache_name(manager)] = queryset


def kept_related(instance: models.Model, name: str) -> list | None:
    """The rows cached as `instance`'s `name` relation (keep_related, prefetch_related), or None
    when nothing is cached (reading them would be a query)."""
    cache = getattr(instance, "_prefetched_objects_cache", None)
    if not cache:
        return None
    queryset = cache.get(_cache_name(getattr(instance, name)))
    return None if queryset is None else list(queryset)

"""Reading figures about related rows with the row itself, in subqueries, instead of a query each or a grouping of
the whole list; and small reads of busy pages with SQL built once (Prebuilt)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count, OuterRef, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim


def count_of(queryset: QuerySet, field: str) -> Coalesce:
    """An annotation: how many rows of `queryset` point to the outer row through `field` ("round",
    "application__round"). A subquery per outer row, which PostgreSQL computes only for the rows a page keeps (after
    ORDER BY ... LIMIT) and from an index on `field`; Count() over a join would group every related row of every
    outer row first, and a count of the page's rows would have to group them again."""
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")[:1]), 0)


def person_name(path: str) -> Coalesce:
    """An annotation: the person at `path` ("by", "requested_by") named as str(person) names them: their full name,
    else their email. For rows read without the person (Prebuilt)."""
    full = Trim(Concat(f"{path}__first_name", Value(" "), f"{path}__last_name", output_field=TextField()))
    return Coalesce(NullIf(full, Value("")), f"{path}__email", output_field=TextField())


class Prebuilt:
    """A read of one shape whose SQL the ORM builds once per process and database, then runs with each call's value.

    Django builds a queryset's SQL anew each time it runs one; for the small reads of a busy page that building
    costs more than the database's work (one application's programs of study: 0.57 ms through a queryset, 0.26 with
    its SQL built already, on PostgreSQL). `build(value)` gives the queryset for an integer value (an id), which its
    SQL must take as a parameter. Rows come back as the model's instances (QuerySet.raw), with annotations as
    attributes; related objects are not filled in (select_related does not apply): annotate the columns needed.
    """

    # Marks where the value goes among the parameters of the SQL the ORM built: a number no query here writes as a
    # constant, in the range of every integer column (Django refuses a value out of a column's range, negative ones
    # for positive columns included, without building SQL).
    MARK = 2_147_483_629

    def __init__(self, build: Callable[[int], QuerySet]):
        self._build = build
        self._built: dict[str, _Built] = {}

    def _sql(self, using: str) -> "_Built":
        built = self._built.get(using)
        if built is None:
            queryset = self._build(self.MARK).using(using)
            sql, params = queryset.query.sql_with_params()
            marks = [i for i, param in enumerate(params) if param == self.MARK]
            if not marks:
                raise ImproperlyConfigured(f"{queryset.model.__name__}: the value is not a parameter of {sql}")
            # QuerySet.raw converts the model's columns only: the annotations are converted here as the ORM would
            # (a sum of money comes back from SQLite as a float, and must be a Decimal).
            connection = connections[using]
            converters = []
            for name, expression in queryset.query.annotations.items():
                found = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
                if found:
                    converters.append((name, expression, found))
            built = self._built[using] = _Built(queryset.model, sql, list(params), marks, converters)
        return built

    def rows(self, value: int, using: str = DEFAULT_DB_ALIAS) -> list:
        built = self._sql(using)
        values = list(built.params)
        for i in built.marks:
            values[i] = value
        rows = list(built.model._default_manager.db_manager(using).raw(built.sql, values))
        connection = connections[using]
        for row in rows:
            for name, expression, converters in built.converters:
                converted = getattr(row, name)
                for convert in converters:
                    converted = convert(converted, expression, connection)
                setattr(row, name, converted)
        return rows


@dataclass(frozen=True)
class _Built:
    model: type
    sql: str
    params: list
    marks: list[int]  # where the value goes among the params
    converters: list  # (annotation, its expression, its converters)

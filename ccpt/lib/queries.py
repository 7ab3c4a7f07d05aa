"""Reading figures about related rows with the row itself, in subqueries, instead of a query each or a grouping of
the whole list."""

from decimal import Decimal

from django.db.models import Aggregate, Count, DecimalField, OuterRef, QuerySet, Subquery, Sum, TextField, Value
from django.db.models.functions import Coalesce


def count_of(queryset: QuerySet, field: str) -> Coalesce:
    """An annotation: how many rows of `queryset` point to the outer row through `field` ("round",
    "application__round"). A subquery per outer row, which PostgreSQL computes only for the rows a page keeps (after
    ORDER BY ... LIMIT) and from an index on `field`; Count() over a join would group every related row of every
    outer row first, and a count of the page's rows would have to group them again."""
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")[:1]), 0)


def sum_of(queryset: QuerySet, field: str, amount: str) -> Coalesce:
    """An annotation: the total of `amount` over the rows of `queryset` that point to the outer row through `field`
    (0 when there are none), as count_of counts them. Money stays Decimal."""
    summed = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(total=Sum(amount))
    decimal = DecimalField(max_digits=14, decimal_places=2)
    return Coalesce(
        Subquery(summed.values("total")[:1], output_field=decimal), Value(Decimal("0.00")), output_field=decimal
    )


class _Joined(Aggregate):
    """Text values joined with commas, in no particular order: string_agg on PostgreSQL, group_concat on SQLite."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="STRING_AGG", **extra_context)


def joined_of(queryset: QuerySet, field: str, value: str, outer: str = "pk") -> Coalesce:
    """An annotation: `value` of each row of `queryset` that points to the outer row's `outer` through `field`,
    joined with commas ("" when there is none); for short codes with no comma in them (a kind, a status)."""
    joined = queryset.filter(**{field: OuterRef(outer)}).order_by().values(field).annotate(values=_Joined(value))
    return Coalesce(Subquery(joined.values("values")[:1]), Value(""), output_field=TextField())


def split_joined(joined: str) -> list[str]:
    """The values joined_of joined."""
    return [value for value in joined.split(",") if value]

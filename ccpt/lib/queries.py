"""Counting related rows per row of a list without grouping the whole list."""

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce


def count_of(queryset: QuerySet, field: str) -> Coalesce:
    """An annotation: how many rows of `queryset` point to the outer row through `field` ("round",
    "application__round"). A subquery per outer row, which PostgreSQL computes only for the rows a page keeps (after
    ORDER BY ... LIMIT) and from an index on `field`; Count() over a join would group every related row of every
    outer row first, and a count of the page's rows would have to group them again."""
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")[:1]), 0)

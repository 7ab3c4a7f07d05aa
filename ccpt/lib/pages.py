"""Paginating a list whose length the page has already counted."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CountedPaginator(Paginator):
    """A Paginator told how many items there are, so that it does not count them again (a COUNT over a round's
    applications, grouped by their readers, costs as much as reading a page of them)."""

    def __init__(self, object_list, per_page, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count

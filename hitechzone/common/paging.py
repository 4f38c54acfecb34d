"""Deep pages without the cost of the rows before them (issue 16 item 5): a *deferred join*.

``queryset[50000:50050]`` makes the database build 50,050 whole rows — every column, every ``select_related`` join —
and throw 50,000 away: page 1,000 of the enterprise registry cost 4-5x page 1 at 100,000 enterprises. Past the
first pages :class:`DeferredJoinPaginator` reads the page's primary keys first (the same filter and ordering, one
narrow column: an index-only scan where an index covers the ordering, such as ``enterprise_name_id``), then only
those rows with their joins and prefetches, in the page's order. The rows, their order and the counts are exactly
what the plain :class:`~django.core.paginator.Paginator` gives (``common/tests/test_paging.py``).

The pages (``common.views.paginate``) and the API (``common.api.Pagination``) page through it.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet

#: From which offset a page is read in two steps: the first pages are cheap as they are, and one query fewer.
DEFER_FROM = 500


def deferrable(object_list) -> bool:
    """A plain, ordered queryset of model instances: its primary keys can be read on their own and in order."""
    if not isinstance(object_list, QuerySet):
        return False
    query = object_list.query
    return (
        object_list.ordered
        and object_list._fields is None  # not values() / values_list()
        and not query.distinct
        and query.combinator is None
        and not query.is_sliced
    )


class DeferredJoinPaginator(Paginator):
    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, defer_from: int = DEFER_FROM):
        super().__init__(object_list, per_page, orphans=orphans, allow_empty_first_page=allow_empty_first_page)
        self.defer_from = defer_from

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom < self.defer_from or not deferrable(self.object_list):
            return self._get_page(self.object_list[bottom:top], number, self)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        position = {pk: k for k, pk in enumerate(ids)}
        rows = sorted(self.object_list.filter(pk__in=ids), key=lambda obj: position[obj.pk])
        return self._get_page(rows, number, self)

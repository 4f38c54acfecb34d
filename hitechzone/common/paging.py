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

import base64
import json

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q, QuerySet

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


# --- Keyset cursor (the API's ``?cursor=``) -------------------------------------------------------------------------


class BadCursor(ValueError):
    """A cursor this list did not hand out (tampered with, or of another ordering)."""


class NoCursor(ValueError):
    """The list's ordering cannot be walked by keys (a field that may be empty)."""


def ordering_of(queryset: QuerySet) -> list[tuple[str, bool]]:
    """The queryset's ordering as ``(lookup, descending)``, made total with the primary key. Refused (:class:`NoCursor`)
    for an ordering by an expression or by a field that may be null: a NULL has no place in a key comparison that
    both databases agree on."""
    model = queryset.model
    order = list(queryset.query.order_by or model._meta.ordering or [])
    out: list[tuple[str, bool]] = []
    for item in order:
        if not isinstance(item, str) or item == "?":
            raise NoCursor(item)
        name = item.lstrip("-")
        name = model._meta.pk.name if name == "pk" else name
        field = _resolve(model, name)
        if field is None or field.null:
            raise NoCursor(item)
        out.append((name, item.startswith("-")))
    if not any(name in (model._meta.pk.name, model._meta.pk.attname) for name, _desc in out):
        out.append((model._meta.pk.name, out[-1][1] if out else False))
    return out


def _resolve(model, lookup: str):
    field = None
    for part in lookup.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if field.is_relation:
            if field.many_to_many or field.one_to_many or not field.concrete:
                return None
            model = field.related_model
    if field is not None and field.is_relation:
        return None  # ordering "by a relation" is by the related model's own ordering: not a key of this row
    return field


def after(queryset: QuerySet, ordering: list[tuple[str, bool]], values: list) -> QuerySet:
    """The rows after the one whose ordering values are ``values``: (a > x) or (a = x and b > y) or … (``<`` for a
    descending field)."""
    condition = Q()
    for k, (name, descending) in enumerate(ordering):
        step = Q(**{f"{name}__{'lt' if descending else 'gt'}": values[k]})
        for (earlier, _descending), value in zip(ordering[:k], values[:k], strict=True):
            step &= Q(**{earlier: value})
        condition |= step
    # The same rows; and the first field's bound as a range the ordering's index can scan (the OR alone is not one).
    first, descending = ordering[0]
    return queryset.filter(Q(**{f"{first}__{'lte' if descending else 'gte'}": values[0]}), condition)


def _signature(ordering: list[tuple[str, bool]]) -> list[str]:
    return [("-" if descending else "") + name for name, descending in ordering]


def encode(ordering: list[tuple[str, bool]], values: list) -> str:
    """The cursor after the row with these ordering values: opaque to the client, checked when it comes back."""
    text = json.dumps({"o": _signature(ordering), "v": values}, cls=DjangoJSONEncoder, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(cursor: str, ordering: list[tuple[str, bool]]) -> list:
    """The ordering values a cursor of :func:`encode` carries; :class:`BadCursor` for anything else."""
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
    except (ValueError, UnicodeDecodeError) as error:
        raise BadCursor(cursor) from error
    if not isinstance(data, dict) or data.get("o") != _signature(ordering):
        raise BadCursor(cursor)
    values = data.get("v")
    if not isinstance(values, list) or len(values) != len(ordering):
        raise BadCursor(cursor)
    if any(not isinstance(v, str | int | float | bool) for v in values):
        raise BadCursor(cursor)
    return values


def keyset_page(queryset: QuerySet, cursor: str, size: int) -> tuple[list, str | None]:
    """One page of ``queryset`` after ``cursor`` ("" for the first), and the cursor of the next page (None at the
    end): a key comparison on the ordering's index, whatever the depth."""
    ordering = ordering_of(queryset)
    queryset = queryset.order_by(*_signature(ordering))  # made total: ties broken by the key, as the cursor is
    if cursor:
        queryset = after(queryset, ordering, decode(cursor, ordering))
    rows = list(queryset[: size + 1])
    if len(rows) <= size:
        return rows, None
    rows = rows[:size]
    names = [name for name, _descending in ordering]
    last = queryset.model._base_manager.filter(pk=rows[-1].pk).values_list(*names).get()
    return rows, encode(ordering, list(last))

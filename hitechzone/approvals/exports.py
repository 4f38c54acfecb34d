"""Workbook exports of the approval centre, in exactly the columns of the import kinds.

``catalogue_xlsx(items)`` writes the columns of ``approval-items`` and ``applications_xlsx(applications)`` those
of ``approval-history``, so that an export imports back: the catalogue without a single change, the
applications (into a database without them) with the same figures. The caller scopes and filters the
queryset; the ``*_response`` helpers wrap the bytes in a download.
"""

from __future__ import annotations

from django.utils import timezone

from hitechzone.common.spreadsheets import xlsx_bytes, xlsx_response

from .intake import HistoryKind, ItemKind


def _sheet(kind, queryset):
    return (str(kind.label), [c.header for c in kind.columns], kind.export_rows(queryset))


def _widths(kind) -> dict:
    return {str(kind.label): [c.width for c in kind.columns]}


def catalogue_xlsx(queryset) -> bytes:
    """The items of ``queryset`` (an ``Item`` queryset), one row each, in their current version."""
    kind = ItemKind()
    return xlsx_bytes([_sheet(kind, queryset)], widths=_widths(kind))


def applications_xlsx(queryset) -> bytes:
    """The applications of ``queryset`` (an ``Application`` queryset, already scoped), one row each."""
    kind = HistoryKind()
    return xlsx_bytes([_sheet(kind, queryset)], widths=_widths(kind))


def catalogue_response(queryset, file_name: str | None = None):
    kind = ItemKind()
    name = file_name or f"事项清单-{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_response(name, [_sheet(kind, queryset)], widths=_widths(kind))


def applications_response(queryset, file_name: str | None = None):
    kind = HistoryKind()
    name = file_name or f"办件-{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_response(name, [_sheet(kind, queryset)], widths=_widths(kind))

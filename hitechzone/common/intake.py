"""Spreadsheet intake: templates, validation of every row before anything is written, one-transaction writes.

A *kind* (``enterprises``, ``parcels``, ``indicators`` …) says its columns, how each cell parses, how a
row is checked against the registry and how the rows are written. This module does the rest, the
same way for every kind:

1. ``inspect`` and read the workbook (hostile files are refused, see ``spreadsheets``);
2. find the header row (title rows and merged cells above it are fine), parse every cell, check
   every row, find duplicate keys inside the file — collecting *every* error, not the first;
3. with any error: write nothing and produce a report workbook (the original rows with an error
   column naming the cell and the reason, plus a summary);
4. with none: write all rows in one transaction (upsert on the kind's key; unchanged rows are not
   touched), with one audit record per changed row, tied to the import batch.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ImportBatch, Source
from .spreadsheets import (
    CellError,
    UnsafeWorkbook,
    clean_text,
    column_letter,
    header_key,
    read_first_sheet,
    xlsx_bytes,
)

Progress = Callable[[int, str], None]
HEADER_SEARCH_ROWS = 10


def no_progress(percent: int, stage: str) -> None:
    return None


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    parse: Callable[[Any], Any] = clean_text
    required: bool = False
    aliases: tuple[str, ...] = ()
    width: int = 14
    example: Any = None


@dataclass(frozen=True)
class RowError:
    row: int  # the Excel row number
    column: str  # the Excel column letter, "" when the error is about the row
    header: str
    message: str

    @property
    def cell(self) -> str:
        return f"{self.column}{self.row}" if self.column else _("row %(n)d") % {"n": self.row}

    def __str__(self) -> str:
        where = f"{self.cell} {self.header}".strip()
        return f"{where}: {self.message}"


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class Validation:
    header_row: int = 0  # Excel row number of the header
    headers: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (Excel row, cleaned values) of good rows
    raw: list[tuple[int, list]] = field(default_factory=list)  # (Excel row, original cells) of every data row
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""
    kind: Kind | None = None  # the kind, prepared (its lookups loaded) by the validation

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors if e.row})


class Kind:
    """One kind of workbook. Subclasses set the class attributes and implement ``check_row`` and ``write``."""

    name: str = ""
    label = gettext_lazy("rows")
    columns: tuple[Column, ...] = ()
    key: tuple[str, ...] = ()
    key_columns: tuple[str, ...] = ()  # the columns that carry the key, for messages (default: the key itself)

    def template_name(self) -> str:
        return f"{self.name}-template.xlsx"

    def may_import(self, user) -> bool:
        """Who may import this kind from the pages and the API: administrators, unless a kind says more (the CLI is
        the operator's, who names the importer with ``--user``)."""
        from hitechzone.accounts.models import Role

        return user is not None and getattr(user, "effective_role", None) == Role.ADMIN

    def bind(self, user) -> Kind:
        """The kind as it checks and writes for ``user`` (the batch's importer): itself, unless a kind checks what
        the importer may see (it returns a fresh instance that remembers the user)."""
        return self

    def report_value(self, field: str, value):
        """A cell of the file as the error report shows it (a kind masks personal data here)."""
        return value

    def prepare(self, rows: list[dict]) -> None:
        """Load what the checks look up (once per validation, in bulk)."""

    def check_row(self, values: dict, error: Callable[[str, str], None]) -> None:
        """Cross-field and reference checks. ``error(field, message)``; field "" for the row."""

    def write(self, rows: list[dict], *, batch: ImportBatch, progress: Progress) -> Counts:
        raise NotImplementedError

    def example_rows(self) -> list[list]:
        return []


#: The kinds of workbook, filled by each app from its ``AppConfig.ready()`` (:func:`register_kinds`).
_KINDS: dict[str, tuple[int, Kind]] = {}


def register_kinds(*kinds: Kind, order: int = 100) -> None:
    """Offer these kinds of workbook (instances) to every import page, the API and the CLI. ``order`` places them
    in the lists (lower first; the yearly indicators, the most used, come first)."""
    for position, kind in enumerate(kinds):
        if not kind.name:
            raise ValueError(f"{type(kind).__name__} has no name")
        _KINDS[kind.name] = (order + position, kind)


def registry() -> dict[str, Kind]:
    """Every registered kind by name, in list order."""
    return {name: kind for name, (_order, kind) in sorted(_KINDS.items(), key=lambda item: (item[1][0], item[0]))}


def kind_label(name: str) -> str:
    """What people call a kind ("年度指标" for ``indicators``); the name itself for a kind no app registers now."""
    entry = _KINDS.get(name)
    return str(entry[1].label) if entry else name


def importable(user) -> dict[str, Kind]:
    """The kinds ``user`` may import from the pages and the API, in list order."""
    return {name: kind for name, kind in registry().items() if kind.may_import(user)}


def get_kind(name: str) -> Kind:
    kinds = registry()
    if name not in kinds:
        raise ValueError(
            _("Unknown kind “%(kind)s”: use one of %(kinds)s.") % {"kind": name, "kinds": ", ".join(kinds)}
        )
    return kinds[name]


def template_bytes(kind: Kind) -> bytes:
    headers = [c.header for c in kind.columns]
    return xlsx_bytes(
        [(str(kind.label), headers, kind.example_rows())], widths={str(kind.label): [c.width for c in kind.columns]}
    )


# --- Validation --------------------------------------------------------------------------------------------------


def _find_header(rows: list[list], kind: Kind) -> tuple[int, dict[int, Column]] | None:
    wanted: dict[str, Column] = {}
    for col in kind.columns:
        for name in (col.header, *col.aliases):
            wanted[header_key(name)] = col
    best: tuple[int, dict[int, Column]] | None = None
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[int, Column] = {}
        for c, value in enumerate(row):
            col = wanted.get(header_key(value))
            if col is not None and col not in found.values():
                found[c] = col
        if found and (best is None or len(found) > len(best[1])):
            best = (r, found)
    return best


def validate(kind: Kind, data: bytes, *, file_name: str = "", progress: Progress = no_progress) -> Validation:
    """Every check on every row; the result lists every error. Raises UnsafeWorkbook for hostile files."""
    progress(2, _("Reading the workbook"))
    sheet = read_first_sheet(data, file_name=file_name)
    result = Validation(kind=kind)
    found = _find_header(sheet.rows, kind)
    missing = [c.header for c in kind.columns if c.required and (found is None or c not in found[1].values())]
    if found is None or missing:
        result.file_error = _(
            "The header row lacks the columns: %(cols)s. Download the template to see the headers."
        ) % {"cols": "、".join(missing or [c.header for c in kind.columns if c.required])}
        return result
    header_index, by_index = found
    result.header_row = header_index + 1
    result.headers = [clean_text(v) for v in sheet.rows[header_index]]
    positions = list(by_index.items())
    parsed: list[tuple[int, dict, list[RowError]]] = []
    data_rows = sheet.rows[header_index + 1 :]
    total = max(len(data_rows), 1)
    for offset, raw in enumerate(data_rows):
        excel_row = header_index + 2 + offset
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw):
            continue  # blank rows inside the data are skipped, like Excel users expect
        result.raw.append((excel_row, raw))
        values: dict[str, Any] = {}
        errors: list[RowError] = []
        for index, col in positions:
            cell = raw[index] if index < len(raw) else None
            try:
                value = col.parse(cell)
            except CellError as exc:
                errors.append(RowError(excel_row, column_letter(index), col.header, str(exc)))
                continue
            if col.required and (value is None or value == ""):
                errors.append(RowError(excel_row, column_letter(index), col.header, _("This column is required.")))
                continue
            values[col.field] = value
        parsed.append((excel_row, values, errors))
        if offset % 5000 == 0:
            progress(
                5 + int(40 * offset / total),
                _("Checking cells: row %(n)d of %(total)d") % {"n": offset, "total": total},
            )
    progress(45, _("Checking against the registry"))
    required = {c.field for c in kind.columns if c.required}
    kind.prepare([values for _row, values, _errors in parsed if required <= values.keys()])
    letter = {col.field: column_letter(index) for index, col in positions}
    header = {col.field: col.header for index, col in positions}
    seen: dict[tuple, int] = {}
    for excel_row, values, errors in parsed:
        if required <= values.keys():

            def error(field_name: str, message: str, _row=excel_row, _errors=errors) -> None:
                _errors.append(RowError(_row, letter.get(field_name, ""), header.get(field_name, ""), message))

            kind.check_row(values, error)
        if not errors and kind.key:
            key = tuple(values.get(k) for k in kind.key)
            if key in seen:
                key_columns = kind.key_columns or kind.key
                first = key_columns[0]
                errors.append(
                    RowError(
                        excel_row,
                        letter.get(first, ""),
                        header.get(first, ""),
                        _("The same %(what)s as row %(row)d: a file may name it only once.")
                        % {"what": "、".join(header.get(k, k) for k in key_columns), "row": seen[key]},
                    )
                )
            else:
                seen[key] = excel_row
        if errors:
            result.errors.extend(errors)
        else:
            result.rows.append((excel_row, values))
    if not result.raw:
        result.file_error = _("The workbook has a header row but no data rows.")
    progress(60, _("Checked"))
    return result


def shown_rows(kind: Kind, validation: Validation, raw_rows):
    """``(Excel row, cells)`` as the report and the preview show them: each cell through ``kind.report_value`` (a
    kind masks personal data there)."""
    found = _find_header([validation.headers], kind)
    fields = {index: col.field for index, col in (found[1] if found else {}).items()}
    for excel_row, raw in raw_rows:
        yield excel_row, [kind.report_value(fields[i], v) if i in fields else v for i, v in enumerate(raw)]


def report_bytes(kind: Kind, validation: Validation, *, file_name: str) -> bytes:
    """The original rows with an error column naming each bad cell and its reason, plus a summary sheet."""
    by_row: dict[int, list[RowError]] = {}
    for e in validation.errors:
        by_row.setdefault(e.row, []).append(e)
    error_header = _("Errors")
    headers = [_("Row"), error_header, *validation.headers]

    def rows():
        for excel_row, raw in shown_rows(kind, validation, validation.raw):
            messages = "；".join(str(e) for e in by_row.get(excel_row, []))
            yield [excel_row, messages, *raw]

    summary = [
        [_("File"), file_name],
        [_("Kind"), str(kind.label)],
        [_("Data rows"), len(validation.raw)],
        [_("Bad rows"), validation.bad_rows],
        [_("Errors"), len(validation.errors)],
        [_("Written"), _("nothing: fix the rows marked in the first sheet and import the file again")],
    ]
    if validation.file_error:
        summary.append([_("Problem with the file"), validation.file_error])
    errors = [[e.cell, e.header, e.message] for e in validation.errors]
    return xlsx_bytes(
        [
            (_("Rows and errors"), headers, rows()),
            (_("Summary"), [_("Item"), _("Value")], summary),
            (_("Error list"), [_("Cell"), _("Column"), _("Reason")], errors),
        ],
        widths={_("Rows and errors"): [8, 60] + [14] * len(validation.headers), _("Summary"): [16, 80]},
    )


# --- Batches -----------------------------------------------------------------------------------------------------


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def previous_import(kind: str, digest: str) -> ImportBatch | None:
    return (
        ImportBatch.objects.filter(kind=kind, sha256=digest, status=ImportBatch.Status.WRITTEN)
        .select_related("user")
        .order_by("-finished_at")
        .first()
    )


def batch_create(*, kind: str, file_name: str, data: bytes, user, source: str = Source.UI) -> ImportBatch:
    """Record the upload (its hash, size, who) and keep the file for the check and the write."""
    get_kind(kind)
    batch = ImportBatch(
        kind=kind, file_name=file_name[:255], sha256=sha256(data), size_bytes=len(data), user=user, source=source
    )
    batch.upload.save(f"{batch.sha256[:16]}.xlsx", ContentFile(data), save=False)
    batch.save()
    return batch


def _finish(batch: ImportBatch, status: str, message: str = "", **fields) -> ImportBatch:
    batch.status = status
    batch.message = message
    batch.finished_at = timezone.now()
    for name, value in fields.items():
        setattr(batch, name, value)
    batch.save()
    return batch


def batch_check(batch: ImportBatch, *, progress: Progress = no_progress) -> tuple[ImportBatch, Validation | None]:
    """Validate the batch's file. VALID (waiting for confirmation), INVALID (with a report), REFUSED or DUPLICATE."""
    kind = get_kind(batch.kind).bind(batch.user)
    data = _read_upload(batch)
    earlier = previous_import(batch.kind, batch.sha256)
    if earlier is not None and earlier.pk != batch.pk:
        return _finish(batch, ImportBatch.Status.DUPLICATE, _duplicate_message(earlier)), None
    try:
        validation = validate(kind, data, file_name=batch.file_name, progress=progress)
    except UnsafeWorkbook as exc:
        return _finish(batch, ImportBatch.Status.REFUSED, str(exc)), None
    batch.rows_total = len(validation.raw)
    batch.rows_bad = validation.bad_rows
    if not validation.ok:
        progress(80, _("Writing the error report"))
        batch.report.save(
            f"report-{batch.pk}.xlsx",
            ContentFile(report_bytes(kind, validation, file_name=batch.file_name)),
            save=False,
        )
        message = validation.file_error or _("%(bad)d of %(total)d rows have errors: nothing was written.") % {
            "bad": validation.bad_rows,
            "total": len(validation.raw),
        }
        return _finish(batch, ImportBatch.Status.INVALID, message), validation
    batch.status = ImportBatch.Status.VALID
    batch.message = _("All %(n)d rows are valid.") % {"n": len(validation.rows)}
    batch.save()
    return batch, validation


def batch_write(
    batch: ImportBatch, *, progress: Progress = no_progress, validation: Validation | None = None
) -> ImportBatch:
    """Check again (the registry may have changed since the preview) and write every row in one transaction."""
    if validation is None or batch.status != ImportBatch.Status.VALID:
        batch, validation = batch_check(batch, progress=progress)
    if batch.status != ImportBatch.Status.VALID or validation is None:
        return batch
    kind = validation.kind or get_kind(batch.kind).bind(batch.user)
    progress(62, _("Writing"))
    from .audit import audit_context

    with transaction.atomic(), audit_context(user=batch.user, source=Source.IMPORT, batch=batch):
        counts = kind.write([values for _row, values in validation.rows], batch=batch, progress=progress)
        _finish(
            batch,
            ImportBatch.Status.WRITTEN,
            _("Written: %(c)d new, %(u)d updated, %(s)d unchanged.")
            % {"c": counts.created, "u": counts.updated, "s": counts.unchanged},
            rows_created=counts.created,
            rows_updated=counts.updated,
            rows_unchanged=counts.unchanged,
        )
    progress(100, _("Done"))
    return batch


def import_workbook(
    *, kind: str, file_name: str, data: bytes, user=None, source: str = Source.UI, progress: Progress = no_progress
) -> ImportBatch:
    """Check and, when every row is good, write: the one-step path of the CLI and the API."""
    batch = batch_create(kind=kind, file_name=file_name, data=data, user=user, source=source)
    batch, validation = batch_check(batch, progress=progress)
    if batch.status == ImportBatch.Status.VALID:
        batch = batch_write(batch, progress=progress, validation=validation)
    batch.validation = validation  # for the caller to list the errors; not stored
    return batch


def _read_upload(batch: ImportBatch) -> bytes:
    with batch.upload.open("rb") as fh:
        return fh.read()


def _duplicate_message(earlier: ImportBatch) -> str:
    return _("This file was already imported on %(when)s by %(who)s (batch #%(id)d): nothing was written again.") % {
        "when": timezone.localtime(earlier.finished_at).strftime("%Y-%m-%d %H:%M") if earlier.finished_at else "?",
        "who": earlier.user or _("the system"),
        "id": earlier.pk,
    }


def read_bytes(fileobj) -> bytes:
    if isinstance(fileobj, bytes | bytearray):
        return bytes(fileobj)
    if hasattr(fileobj, "chunks"):
        buffer = io.BytesIO()
        for chunk in fileobj.chunks():
            buffer.write(chunk)
        return buffer.getvalue()
    return fileobj.read()

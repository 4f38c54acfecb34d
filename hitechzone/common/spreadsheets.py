"""Reading and writing workbooks safely.

Reading (python-calamine) is preceded by :func:`inspect_xlsx`, which refuses what is not a plain xlsx
before any parser sees it: not a zip, a macro-enabled workbook, a zip bomb (entry count, uncompressed
size, compression ratio), an XML bomb (a DTD or entity declaration), a sheet over the row limit.
Cells arrive as real workbooks carry them: full-width digits, thousands separators, stray spaces,
numbers stored as text; the ``parse_*`` helpers take them all and say clearly what they cannot take.
Writing uses openpyxl in write-only mode (constant memory).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

MAX_ROWS = getattr(settings, "IMPORT_MAX_ROWS", 200_000)
MAX_ENTRIES = 2_000
MAX_UNCOMPRESSED_BYTES = 600 * 1024 * 1024
MAX_RATIO = 150  # uncompressed / compressed, per entry larger than 1 MiB
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UnsafeWorkbook(Exception):
    """The file is refused before parsing: the message says why, in words a user understands."""


class CellError(ValueError):
    """A cell's value cannot be taken; the message is the reason shown in the report."""


@dataclass(frozen=True)
class Sheet:
    rows: list[list]  # row i is Excel row i + 1; column j is Excel column j + 1
    name: str


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def inspect_xlsx(data: bytes, *, file_name: str = "", max_rows: int | None = None) -> None:
    """Refuse anything but a plain, reasonably sized .xlsx workbook. Reads only the zip directory and XML heads."""
    max_rows = max_rows or MAX_ROWS
    lower = file_name.lower()
    if lower.endswith((".xlsm", ".xltm")):
        raise UnsafeWorkbook(_("Macro-enabled workbooks (.xlsm) are not accepted: save the file as .xlsx."))
    if lower.endswith(".xls") or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnsafeWorkbook(_("This is an old Excel 97–2003 (.xls) file: save it as .xlsx and upload again."))
    if not data.startswith(b"PK\x03\x04"):
        raise UnsafeWorkbook(_("This is not an Excel workbook (.xlsx)."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UnsafeWorkbook(_("The workbook is damaged and cannot be opened.")) from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise UnsafeWorkbook(
                _("The workbook has %(n)d parts inside; at most %(max)d are accepted.")
                % {"n": len(entries), "max": MAX_ENTRIES}
            )
        names = {e.filename for e in entries}
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/worksheets/") for n in names):
            raise UnsafeWorkbook(_("This is not an Excel workbook (.xlsx)."))
        total = sum(e.file_size for e in entries)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise UnsafeWorkbook(
                _("The workbook unpacks to %(mb)d MB; at most %(max)d MB are accepted.")
                % {"mb": total // 2**20, "max": MAX_UNCOMPRESSED_BYTES // 2**20}
            )
        for e in entries:
            if e.file_size > 2**20 and e.file_size > MAX_RATIO * max(e.compress_size, 1):
                raise UnsafeWorkbook(_("The workbook is compressed suspiciously well (a zip bomb?): refused."))
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise UnsafeWorkbook(_("The workbook contains macros: save it as a plain .xlsx without macros."))
        content_types = archive.read("[Content_Types].xml")
        if b"macroEnabled" in content_types:
            raise UnsafeWorkbook(_("Macro-enabled workbooks (.xlsm) are not accepted: save the file as .xlsx."))
        for e in entries:
            if not e.filename.endswith((".xml", ".rels", ".vml")):
                continue
            with archive.open(e) as fh:
                head = fh.read(4096)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise UnsafeWorkbook(_("The workbook contains XML declarations that are not allowed (an XML bomb?)."))
            if e.filename.startswith("xl/worksheets/sheet"):
                match = re.search(rb'<dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"', head)
                if match and match.group(1) and int(match.group(1)) > max_rows + 10:
                    raise UnsafeWorkbook(
                        _("A sheet has %(n)s rows; at most %(max)s rows are accepted in one file.")
                        % {"n": int(match.group(1)), "max": max_rows}
                    )


def read_first_sheet(data: bytes, *, file_name: str = "", max_rows: int | None = None) -> Sheet:
    """Inspect, then read the first sheet with calamine. Merged cells carry their value into every cell they cover."""
    from python_calamine import CalamineError, CalamineWorkbook

    max_rows = max_rows or MAX_ROWS
    inspect_xlsx(data, file_name=file_name, max_rows=max_rows)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
        merged = sheet.merged_cell_ranges or []
    except (CalamineError, ValueError, OSError) as exc:
        raise UnsafeWorkbook(_("The workbook cannot be read: %(error)s") % {"error": exc}) from exc
    while rows and all(_blank(v) for v in rows[-1]):
        rows.pop()  # empty trailing rows
    if len(rows) > max_rows + 10:
        raise UnsafeWorkbook(
            _("A sheet has %(n)s rows; at most %(max)s rows are accepted in one file.")
            % {"n": len(rows), "max": max_rows}
        )
    for (r0, c0), (r1, c1) in merged:
        if r0 >= len(rows):
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else ""
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                if _blank(row[c]):
                    row[c] = value
    return Sheet(rows=rows, name=sheet.name)


# --- Cells ---------------------------------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_THOUSANDS = re.compile(r"(?<=\d)[,，'’ ](?=\d{3}(?:\D|$))")


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_text(value) -> str:
    """NFKC (full-width letters, digits and brackets to their ordinary forms), spaces trimmed and folded."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).replace("\u00a0", " ").replace("\u3000", " ")
    return _SPACES.sub(" ", text).strip()


def header_key(value) -> str:
    """How a header is compared: NFKC, no spaces at all, lower case."""
    return _SPACES.sub("", clean_text(value)).lower()


_QUANTA: dict[int, Decimal] = {}


def parse_decimal(value, *, places: int = 2, minimum: Decimal | None = Decimal(0)) -> Decimal | None:
    """A number as workbooks carry it; None for an empty cell."""
    cls = value.__class__
    if cls is float:  # the usual cell first (a 100,000-row file has over a million)
        number = Decimal(repr(value))
    elif cls is int:
        number = Decimal(value)
    elif _blank(value):
        return None
    elif isinstance(value, bool):
        raise CellError(_("“%(v)s” is not a number.") % {"v": value})
    elif isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = clean_text(value)
        text = _THOUSANDS.sub("", text).replace(" ", "")
        if text.endswith("%"):
            raise CellError(_("“%(v)s” is a percentage; give the amount itself.") % {"v": clean_text(value)})
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise CellError(_("“%(v)s” is not a number.") % {"v": clean_text(value)}) from exc
    if not number.is_finite():
        raise CellError(_("“%(v)s” is not a number.") % {"v": clean_text(value)})
    if minimum is not None and number < minimum:
        raise CellError(
            _("%(v)s is negative; it cannot be.") % {"v": number}
            if minimum == 0
            else _("%(v)s is below %(min)s.") % {"v": number, "min": minimum}
        )
    quantum = _QUANTA.get(places)
    if quantum is None:
        quantum = _QUANTA[places] = Decimal(1).scaleb(-places)
    rounded = number.quantize(quantum)
    # More than 16 digits: the exponent is -places after quantize, so digits = adjusted() + places + 1.
    if rounded.adjusted() + places + 1 > 16:
        raise CellError(_("%(v)s is too large.") % {"v": number})
    return rounded


def parse_int(value, *, minimum: int | None = 0, maximum: int | None = None) -> int | None:
    number = parse_decimal(value, places=6, minimum=None)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(_("%(v)s is not a whole number.") % {"v": number.normalize()})
    result = int(number)
    if minimum is not None and result < minimum:
        raise CellError(_("%(v)s is below %(min)s.") % {"v": result, "min": minimum})
    if maximum is not None and result > maximum:
        raise CellError(_("%(v)s is above %(max)s.") % {"v": result, "max": maximum})
    return result


TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "✓", "规上", "t"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×", "规下", "f"}


def parse_bool(value) -> bool | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    text = clean_text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError(_("“%(v)s” is neither 是 nor 否.") % {"v": clean_text(value)})


def parse_date(value) -> date | None:
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean_text(value)
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 — a calendar date, no time zone
        except ValueError:
            continue
    raise CellError(_("“%(v)s” is not a date (write 2025-03-31).") % {"v": text})


# --- Writing -------------------------------------------------------------------------------------------------------


def write_xlsx(
    target: IO[bytes] | str,
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]],
    *,
    widths: dict[str, Sequence[int]] | None = None,
) -> None:
    """Write sheets of (title, headers, rows) in openpyxl's write-only mode; the header row is bold and frozen."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for title, headers, rows in sheets:
        ws = workbook.create_sheet(title=title[:31])
        ws.freeze_panes = "A2"
        for i, width in enumerate((widths or {}).get(title) or [max(10, len(str(h)) * 2 + 2) for h in headers]):
            ws.column_dimensions[column_letter(i)].width = width
        header_cells = []
        for h in headers:
            cell = WriteOnlyCell(ws, value=h)
            cell.font, cell.fill = bold, fill
            header_cells.append(cell)
        ws.append(header_cells)
        for row in rows:
            ws.append([_xlsx_value(ws, v) for v in row])
    workbook.save(target)


def _xlsx_value(ws, value):
    """A cell's value; text that starts with "=" stays text (openpyxl would write it as a formula)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def xlsx_bytes(sheets, **kwargs) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets, **kwargs)
    return buffer.getvalue()


def xlsx_response(file_name: str, sheets, **kwargs):
    """An HTTP download of the sheets (file names may be Chinese)."""
    from django.http import HttpResponse

    response = HttpResponse(xlsx_bytes(sheets, **kwargs), content_type=XLSX_MIME)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(file_name)}"
    return response

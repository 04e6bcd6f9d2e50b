"""Reading and writing the tables of the bulk import and export: CSV and XLSX files.

Reading never trusts the file: it is refused whole (one clear problem) when it is too large,
empty, binary junk or not a workbook, and an XLSX cell that holds a formula is a problem
naming the cell. A CSV is UTF-8 (with or without BOM) or, failing that, GB18030 — the
superset of GBK that Excel on Chinese Windows writes. Writing produces what reading reads:
CSV in UTF-8 with a BOM (so Excel opens it in the right encoding), XLSX with a header row.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from models.validation import FieldProblem

MAX_BYTES = 10 * 1024 * 1024
"""Files larger than this (10 MB) are refused before they are read."""
MAX_ROWS = 100_000
"""More data rows than this are refused: split the file."""
MAX_COLUMNS = 200
FORMATS = ("csv", "xlsx")

# a spreadsheet runs a text cell that starts with one of these as a formula; exports guard it with "'"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = {chr(code) for code in range(32)} - {"\t", "\n", "\r"}


@dataclass(frozen=True)
class CellProblem:
    """A problem found while reading: where (data row from 1, the column's header as written) and what."""

    row: int | None
    column: str | None
    problem: FieldProblem


@dataclass
class Sheet:
    """What a file holds: its header row as written, and its data rows numbered from 1.

    ``formulas`` names the cells (data row, column index) that held a formula; their values are None.
    """

    headers: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    formulas: set[tuple[int, int]] = field(default_factory=set)
    encoding: str | None = None


def file_format(filename: str) -> str | None:
    """``csv`` or ``xlsx`` by the name's extension, else None."""
    suffix = Path(filename).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


def _file_problem(code: str, **params: Any) -> CellProblem:
    return CellProblem(None, None, FieldProblem("__file__", code, params))


def read_table(filename: str, data: bytes) -> Sheet:
    """The header row and data rows of a CSV or XLSX file; ``problems`` says why a file cannot be read."""
    sheet = Sheet()
    kind = file_format(filename)
    if kind is None:
        sheet.problems.append(_file_problem("file_type", value=Path(filename).name))
        return sheet
    if len(data) > MAX_BYTES:
        sheet.problems.append(_file_problem("file_too_large", size=f"{len(data) / 1024 / 1024:.1f}",
                                            limit=MAX_BYTES // 1024 // 1024))
        return sheet
    if not data.strip():
        sheet.problems.append(_file_problem("file_empty"))
        return sheet
    if kind == "csv":
        _read_csv(data, sheet)
    else:
        _read_xlsx(data, sheet)
    if not sheet.problems:
        if not any(sheet.headers):
            sheet.problems.append(_file_problem("file_empty"))
        elif not sheet.rows:
            sheet.problems.append(_file_problem("file_no_rows"))
    return sheet


# --- CSV -----------------------------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, str] | None:
    """The text of a CSV file and its encoding (utf-8-sig, else gb18030), or None for binary junk."""
    if b"\x00" in data:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(ch in _CONTROL for ch in text):
            return None
        return text, ("utf-8" if encoding == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf")
                      else encoding)
    return None


def _read_csv(data: bytes, sheet: Sheet) -> None:
    decoded = decode_text(data)
    if decoded is None:
        sheet.problems.append(_file_problem("file_binary"))
        return
    text, sheet.encoding = decoded
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for index, cells in enumerate(reader):
            if index == 0:
                sheet.headers = [cell.strip() for cell in cells]
                continue
            if index > MAX_ROWS:
                sheet.problems.append(_file_problem("too_many_rows", limit=MAX_ROWS))
                return
            if any(cell.strip() for cell in cells):
                sheet.rows.append((index, [_unguard(cell) for cell in cells]))
    except csv.Error:
        sheet.problems.append(_file_problem("file_binary"))


def _unguard(text: str) -> str:
    """Undo the export's guard: "'=x" was written for the text "=x"."""
    if text.startswith("'") and text[1:2] and text[1] in _FORMULA_STARTS:
        return text[1:]
    return text


# --- XLSX ----------------------------------------------------------------------------------------


def _read_xlsx(data: bytes, sheet: Sheet) -> None:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        sheet.problems.append(_file_problem("xlsx_unreadable"))
        return
    except Exception:  # whatever a damaged workbook makes openpyxl raise, it is unreadable
        sheet.problems.append(_file_problem("xlsx_unreadable"))
        return
    try:
        if not workbook.worksheets:
            sheet.problems.append(_file_problem("file_empty"))
            return
        worksheet = workbook.worksheets[0]
        width = MAX_COLUMNS
        for index, cells in enumerate(worksheet.iter_rows(max_col=MAX_COLUMNS)):
            if index == 0:
                headers = [_header_text(cell.value) for cell in cells]
                while headers and not headers[-1]:
                    headers.pop()
                sheet.headers, width = headers, max(len(headers), 1)
                for position, cell in enumerate(cells[:width]):
                    if getattr(cell, "data_type", None) == "f":
                        sheet.problems.append(CellProblem(None, None, FieldProblem(
                            "__file__", "formula", {"cell": f"{get_column_letter(position + 1)}1",
                                                    "value": str(cell.value)})))
                continue
            if index > MAX_ROWS:
                sheet.problems.append(_file_problem("too_many_rows", limit=MAX_ROWS))
                return
            values: list[Any] = []
            for position, cell in enumerate(cells[:width]):
                value = cell.value
                if getattr(cell, "data_type", None) == "f":
                    column = sheet.headers[position] if position < len(sheet.headers) else None
                    sheet.problems.append(CellProblem(index, column, FieldProblem(
                        "__cell__", "formula", {"cell": f"{get_column_letter(position + 1)}{index + 1}",
                                                "value": str(value)})))
                    sheet.formulas.add((index, position))
                    value = None
                elif isinstance(value, str):
                    value = _unguard(value)
                values.append(value)
            if any(v not in (None, "") and not (isinstance(v, str) and not v.strip()) for v in values) \
                    or any(key[0] == index for key in sheet.formulas):
                sheet.rows.append((index, values))
    except Exception:  # a workbook that breaks while being read is unreadable
        sheet.problems.append(_file_problem("xlsx_unreadable"))
    finally:
        workbook.close()


def _header_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


# --- writing -------------------------------------------------------------------------------------


def _text_cell(value: Any) -> Any:
    """A value as the file holds it: ISO dates, true/false, enum values, floats without a needless .0."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value  # a spreadsheet must not run it; reading removes the guard
    if isinstance(value, str) and value.startswith("'") and value[1:2] and value[1] in _FORMULA_STARTS:
        return "'" + value
    return value


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV in UTF-8 with a BOM: a header row of ``columns``, then one line per row."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_text_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(columns: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet_title: str = "data") -> bytes:
    """An XLSX workbook with one sheet: a bold, frozen header row of ``columns``, then the rows.

    Dates are date cells, booleans are TRUE/FALSE, text is always text (never run as a formula)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet_title[:31])
    worksheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in columns:
        cell = WriteOnlyCell(worksheet, value=name)
        cell.font = bold
        header.append(cell)
    worksheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, Enum):
                value = value.value
            if isinstance(value, str):
                cell = WriteOnlyCell(worksheet, value=None)
                # set directly: the value setter would make "=x" a formula
                cell._value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"
            else:
                cell = WriteOnlyCell(worksheet, value=value)
                if isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        worksheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_table(fmt: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet_title: str = "data") -> bytes:
    """The file's bytes in ``fmt`` (``csv`` or ``xlsx``)."""
    if fmt == "xlsx":
        return write_xlsx(columns, rows, sheet_title=sheet_title)
    return write_csv(columns, rows)

"""Reading and writing the tables of the bulk import and export: CSV and XLSX files.

Reading never trusts the file: it is refused whole (one clear problem) when it is too large,
empty, binary junk or not a workbook, and an XLSX cell that holds a formula is a problem
naming the cell. A CSV is UTF-8 (with or without BOM) or, failing that, GB18030 — the
superset of GBK that Excel on Chinese Windows writes. Writing produces what reading reads:
CSV in UTF-8 with a BOM (so Excel opens it in the right encoding), XLSX with a header row.

Every CSV and XLSX file the dashboard writes is written here, through one guard: text that a
spreadsheet would run as a formula (beginning with =, +, -, @, a tab or a carriage return) stays
text — a single quote before it in CSV (:func:`guard_text`), a string cell in XLSX (:func:`put`) —
while numbers stay numbers. The bulk export, the Scorecards, Loan desk and Audit trail CSVs, the
loan desk's and the briefing's workbooks and ``park-safety scorecards|loans --format csv`` all use
:func:`csv_text`, :func:`frame_csv`, :func:`write_xlsx` or :class:`SheetRows`;
``tests/test_csv_formulas.py`` fails on a writer anywhere else.
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
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from models.validation import FieldProblem

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

MAX_BYTES = 10 * 1024 * 1024
"""Files larger than this (10 MB) are refused before they are read."""
MAX_ROWS = 100_000
"""More data rows than this are refused: split the file."""
MAX_COLUMNS = 200
FORMATS = ("csv", "xlsx")

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet runs a text cell that starts with one of these as a formula (or a DDE command)."""
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
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_STARTS:
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


# --- writing: the guard ---------------------------------------------------------------------


def guard_text(text: str) -> str:
    """Text as every CSV holds it, so that a spreadsheet shows it and never runs it (OWASP's advice on CSV
    injection): a text beginning with =, +, -, @, a tab or a carriage return gets a single quote before it
    (``-2+3+cmd`` → ``'-2+3+cmd``); a text that already begins with a quote and one of those gets a second,
    so that reading (:func:`_unguard`) takes exactly one away. Numbers are not text and never come here."""
    if text.startswith(FORMULA_STARTS) or (text[:1] == "'" and text[1:2].startswith(FORMULA_STARTS)):
        return "'" + text
    return text


def csv_value(value: Any) -> Any:
    """A cell as a CSV holds it: text guarded (:func:`guard_text`), anything else (numbers) as it is."""
    return guard_text(value) if isinstance(value, str) else value


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A header row of ``columns``, then one line per row, CRLF-terminated, every text guarded; None is empty."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_value(str(column)) for column in columns])
    for row in rows:
        writer.writerow([csv_value(value) for value in row])
    return buffer.getvalue()


def frame_csv(frame: pd.DataFrame, *, float_format: str | None = None) -> bytes:
    """A data frame as CSV in UTF-8 with a byte order mark (so Excel reads the Chinese), its column names as the
    header: the text of every text column guarded (:func:`guard_text`), numeric columns written as numbers."""
    guarded = frame.copy()
    guarded.columns = [csv_value(str(column)) for column in frame.columns]
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        if pd.api.types.is_object_dtype(column.dtype) or pd.api.types.is_string_dtype(column.dtype):
            guarded.isetitem(position, column.map(csv_value, na_action="ignore").to_numpy())
    buffer = io.StringIO()
    guarded.to_csv(buffer, index=False, lineterminator="\r\n", float_format=float_format)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_value(value: object) -> object:
    """A value openpyxl stores as it is: numbers as numbers, dates as dates, enums as their value, missing as
    empty, text without the control characters a workbook cannot hold."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):  # numpy scalars
        return value.item()
    return value


def put(cell: Cell, value: object) -> None:
    """Write ``value`` into a workbook cell as :func:`xlsx_value` stores it; text is always a string cell
    (openpyxl's value setter would make a text that begins with "=" a formula the reader's spreadsheet runs)."""
    stored = xlsx_value(value)
    if isinstance(stored, str):
        cell._value = cell.check_string(stored)  # at most 32,767 characters, as Excel allows
        cell.data_type = "s"
    else:
        cell.value = stored


def new_workbook() -> Workbook:
    """An empty workbook (one blank sheet) for a writer that styles its own sheets: write its cells through
    :class:`SheetRows`, which guards text."""
    from openpyxl import Workbook

    return Workbook()


class SheetRows:
    """Writes a worksheet row by row, counting the rows itself (openpyxl's ``max_row`` walks every cell, so
    asking it after each row made a county's workbook take minutes). Every cell is written by :func:`put`, so
    text is always text."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.row = 0

    def write(self, values: Sequence[object]) -> list[Cell]:
        """The next row, as :func:`xlsx_value` stores each value; its cells."""
        self.row += 1
        cells = []
        for column, value in enumerate(values, start=1):
            target = self.sheet.cell(row=self.row, column=column)
            put(target, value)
            cells.append(target)
        return cells

    def skip(self) -> None:
        """An empty row."""
        self.row += 1


# --- writing: the bulk export ------------------------------------------------------------------


def _text_cell(value: Any) -> Any:
    """A value as the file holds it: ISO dates, true/false, enum values, numbers as numbers (floats without a
    needless .0), text as it is (:func:`csv_text` guards it)."""
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
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    return value


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV in UTF-8 with a BOM: a header row of ``columns``, then one line per row."""
    return csv_text(columns, ([_text_cell(value) for value in row] for row in rows)).encode("utf-8-sig")


def write_xlsx(columns: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet_title: str = "data") -> bytes:
    """An XLSX workbook with one sheet: a bold, frozen header row of ``columns``, then the rows.

    Dates are date cells, booleans are TRUE/FALSE, text is always text (never run as a formula)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet_title[:31])
    worksheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in columns:
        cell = WriteOnlyCell(worksheet)
        put(cell, name)
        cell.font = bold
        header.append(cell)
    worksheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(worksheet)
            put(cell, value)
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

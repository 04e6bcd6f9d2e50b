"""The briefing as a workbook: one sheet per section, its sentences on top, then its tables with a bold
header (the first one frozen), numbers stored as numbers with a number format, dates as dates, column
widths fitted to the text, and the section's charts as pictures beside the tables."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from dashboard.briefing.sections import Section, Table, cell, cell_text
from dashboard.i18n import t
from dashboard.services.loan_desk import sheet_title, text_width
from dashboard.services.tabular import SheetRows, new_workbook

NUMBER_FORMATS = {
    "int": "#,##0",
    "number": "#,##0",
    "id": "0",
    "percent": "0.0%",
    "delta": "+#,##0;-#,##0;0",
    "score": "0.0",
    "money": "#,##0",
    "date": "yyyy-mm-dd",
}
LONG_WIDTH = 60  # a long text column is this wide and wraps
MAX_WIDTH = 40
HEADER_FILL = PatternFill("solid", fgColor="E8F0FE")
TOP = Alignment(vertical="top")
TOP_WRAPPED = Alignment(vertical="top", wrap_text=True)
CHART_WIDTH_PX = 640


def _width(kind: str, value: Any) -> int:
    if kind in NUMBER_FORMATS and kind not in ("id",):
        return text_width(cell_text(kind, value)) if value is not None else 0
    return max((text_width(line) for line in str(value if value is not None else "").split("\n")), default=0)


def _write_table(rows: SheetRows, table: Table, widths: dict[int, int], long: set[int]) -> int:
    """Writes the table from the sheet's next row; returns the header's row number."""
    if table.title:
        rows.write([table.title])[0].font = Font(bold=True, size=11)
    for index, (title, column) in enumerate(zip(rows.write([c.title for c in table.columns]), table.columns,
                                                strict=True), start=1):
        title.font = Font(bold=True)
        title.fill = HEADER_FILL
        title.alignment = Alignment(vertical="top", wrap_text=True)
        widths[index] = max(widths.get(index, 0), text_width(column.title))
        if column.kind in ("long", "detail"):
            long.add(index)
    header = rows.row
    unit = t("briefing.points", value="").strip().replace('"', "")
    points_format = f'+0.0" {unit}";-0.0" {unit}";0'  # a change of a share, in percentage points
    if not table.rows and table.empty:
        rows.write([table.empty])
    for row in table.rows:
        values = [cell(column, value) for column, value in zip(table.columns, row, strict=True)]
        written = rows.write([plain for _, plain in values])
        for index, ((kind, plain), target) in enumerate(zip(values, written, strict=True), start=1):
            if kind == "points" and plain is not None:
                target.number_format = points_format
            elif kind in NUMBER_FORMATS and plain is not None:
                target.number_format = NUMBER_FORMATS[kind]
            if kind in ("long", "detail") or (isinstance(plain, str) and "\n" in plain):
                target.alignment = TOP_WRAPPED
                long.add(index)
            else:
                target.alignment = TOP
            widths[index] = max(widths.get(index, 0), _width(kind, plain))
    rows.skip()
    return header


def _write_section(book: Workbook, section: Section, charts: Mapping[str, bytes], heading: str) -> None:
    sheet = book.create_sheet(sheet_title(section.sheet))
    rows = SheetRows(sheet)
    rows.write([section.title])[0].font = Font(bold=True, size=14)
    rows.write([heading])[0].font = Font(italic=True, color="5F6368")
    for paragraph in section.paragraphs:
        rows.write([paragraph])
    rows.skip()
    widths: dict[int, int] = {}
    long: set[int] = set()
    headers = [_write_table(rows, table, widths, long) for table in section.tables]
    if headers:
        sheet.freeze_panes = f"A{headers[0] + 1}"
    for index, width in widths.items():
        fitted = LONG_WIDTH if index in long and width > LONG_WIDTH else min(width + 2, MAX_WIDTH if index not in long
                                                                            else LONG_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = max(fitted, 8)
    anchor_column = max(widths, default=1) + 2
    row = 1
    for name in section.charts:
        if name not in charts:
            continue
        picture = Image(io.BytesIO(charts[name]))
        ratio = CHART_WIDTH_PX / picture.width
        picture.width, picture.height = CHART_WIDTH_PX, int(picture.height * ratio)
        sheet.add_image(picture, f"{get_column_letter(anchor_column)}{row}")
        row += int(picture.height / 20) + 2


def briefing_workbook(*, heading: str, sections: Sequence[Section], charts: Mapping[str, bytes]) -> bytes:
    """The workbook of the sections; ``heading`` (park, month, closing day) tops every sheet."""
    book = new_workbook()
    default = book.active
    if default is not None:
        book.remove(default)
    for section in sections:
        _write_section(book, section, charts, heading)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

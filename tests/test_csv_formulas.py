"""Text that a spreadsheet would run as a formula stays text in every file the dashboard writes.

An enterprise named ``=HYPERLINK("http://evil.example","点击")``, ``+cmd``, ``@SUM(A1)`` or ``-2+3+cmd``
(and a user name typed at sign-in by anyone, which lands in the audit trail) comes out of the Scorecards
CSV, the Loan desk CSV and Excel, the Audit trail CSV, the Records export and ``park-safety
scorecards|loans --format csv`` guarded (OWASP's CSV injection advice: a single quote before it in CSV, a
string cell in XLSX); the file reads back with the name intact apart from the guard, and numbers stay
numbers. Every writer goes through the one guard in ``dashboard/services/tabular.py``: a test reads the
code for writers anywhere else.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import select, text
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from dashboard.cli import main
from dashboard.db import make_engine
from dashboard.services.enterprises import create_enterprise
from dashboard.services.exports import export_bytes
from dashboard.services.permissions import SYSTEM
from dashboard.services.tabular import frame_csv, guard_text, read_table, write_csv
from models import Park
from tests.apptest import APP, TIMEOUT, download, open_app
from tests.records import enterprise_data, with_check_character

ROOT = Path(__file__).resolve().parent.parent
HYPERLINK = '=HYPERLINK("http://evil.example","点击")'
PAYLOADS = (HYPERLINK, "+cmd", "@SUM(A1)", "-2+3+cmd")
# made-up credit codes, one per payload, to find their rows
USCCS = tuple(with_check_character(f"91330100MA7K9P0T{index}") for index in range(len(PAYLOADS)))
SIGN_IN_NAME = '=HYPERLINK("http://x","点击")'


@pytest.fixture(scope="module")
def park_url(demo_app_url: str) -> str:
    """The demo park with four more enterprises, each named with a formula (and that name in English too)."""
    engine = make_engine(demo_app_url)
    with Session(engine) as session:
        park = session.execute(select(Park)).scalars().one()
        for uscc, name in zip(USCCS, PAYLOADS, strict=True):
            create_enterprise(session=session, actor=SYSTEM, data=enterprise_data(
                uscc=uscc, name=name, name_en=name, phone="+86 571 8888 6666", lat=park.center_lat,
                lon=park.center_lon))
        session.commit()
    engine.dispose()
    return demo_app_url


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def _assert_guarded(rows: list[list[str]], name_column: int, uscc_column: int) -> None:
    """Each payload enterprise's name is the payload with one quote before it; nothing else was changed."""
    by_uscc = {row[uscc_column]: row for row in rows[1:]}
    for uscc, name in zip(USCCS, PAYLOADS, strict=True):
        assert by_uscc[uscc][name_column] == "'" + name
    for row in rows[1:]:
        for value in row:  # no cell is left for a spreadsheet to run
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), row


def _assert_reads_back(filename: str, content: bytes, column: str) -> None:
    """The project's own reader (the bulk import's) gives back the names as they were typed."""
    sheet = read_table(filename, content)
    assert not sheet.problems
    position = sheet.headers.index(column)
    names = {values[position] for _, values in sheet.rows}
    assert set(PAYLOADS) <= names


# --- the guard itself ---


def test_the_guard_quotes_text_a_spreadsheet_would_run_and_only_that() -> None:
    for payload in (*PAYLOADS, "\tcmd", "\rcmd", "-5"):
        assert guard_text(payload) == "'" + payload
    assert guard_text("'=x") == "''=x"  # so that reading removes exactly one quote
    for plain in ("临江精细化工", "A", "", "'quoted", "3-2", "91330100MA2B3C4D5X"):
        assert guard_text(plain) == plain


def test_numbers_stay_numbers_and_text_is_guarded() -> None:
    frame = pd.DataFrame({"id": [-5, 7], "score": [-2.5, 90.0], "name": ["-2+3+cmd", "-5"],
                          "mixed": [-3, "=1+1"]})
    rows = _rows(frame_csv(frame, float_format="%.1f"))
    assert rows == [["id", "score", "name", "mixed"], ["-5", "-2.5", "'-2+3+cmd", "-3"], ["7", "90.0", "'-5", "'=1+1"]]
    rows = _rows(write_csv(["n", "text"], [[-5, "-2+3+cmd"], [-2.5, "@SUM(A1)"]]))
    assert rows == [["n", "text"], ["-5", "'-2+3+cmd"], ["-2.5", "'@SUM(A1)"]]


# --- each writer ---


def test_the_scorecards_csv_guards_the_names(park_url: str) -> None:
    at = open_app("finance", page="scorecards")
    assert not at.exception
    _, content = download(at, "scorecards_download")
    rows = _rows(content)
    assert rows[0][1:3] == ["企业名称", "统一社会信用代码"]
    _assert_guarded(rows, name_column=1, uscc_column=2)
    assert all(re.fullmatch(r"\d+\.\d", row[4]) for row in rows[1:])  # scores are numbers
    _assert_reads_back("scorecards.csv", content, "企业名称")


def test_the_loan_desk_csv_guards_the_names_and_its_excel_keeps_them_as_text(park_url: str) -> None:
    at = open_app("finance", page="loans")
    assert not at.exception
    _, content = download(at, "loans_csv")
    rows = _rows(content)
    assert rows[0][:3] == ["企业编号", "统一社会信用代码", "企业"]
    _assert_guarded(rows, name_column=2, uscc_column=1)
    assert all(row[0].isdigit() for row in rows[1:])  # ids are numbers
    _assert_reads_back("loan-desk.csv", content, "企业")

    _, workbook = download(at, "loans_xlsx")
    sheet = load_workbook(io.BytesIO(workbook)).active
    assert sheet is not None
    cells = {row[1].value: row[2] for row in sheet.iter_rows(min_row=3)}
    for uscc, name in zip(USCCS, PAYLOADS, strict=True):
        assert cells[uscc].value == name
        assert cells[uscc].data_type == "s"  # a string cell: shown as text, never run


def test_the_records_export_guards_the_names(park_url: str) -> None:
    engine = make_engine(park_url)
    with Session(engine) as session:
        content, _ = export_bytes(session, "enterprise", "csv")
        workbook, _ = export_bytes(session, "enterprise", "xlsx")
    engine.dispose()
    rows = _rows(content)
    _assert_guarded_columns(rows, ("name", "name_en", "phone"))
    _assert_reads_back("enterprise.csv", content, "name")
    sheet = load_workbook(io.BytesIO(workbook)).active
    assert sheet is not None
    names = {cell.value for cell in next(iter(sheet.iter_cols(min_col=rows[0].index("name") + 1, min_row=2)))}
    assert set(PAYLOADS) <= names


def _assert_guarded_columns(rows: list[list[str]], columns: tuple[str, ...]) -> None:
    header = rows[0]
    by_uscc = {row[header.index("uscc")]: row for row in rows[1:]}
    for uscc, name in zip(USCCS, PAYLOADS, strict=True):
        for column in columns[:2]:
            assert by_uscc[uscc][header.index(column)] == "'" + name
        if "phone" in columns:
            assert by_uscc[uscc][header.index("phone")] == "'+86 571 8888 6666"


def test_an_anonymous_sign_in_name_is_guarded_in_the_audit_csv(park_url: str) -> None:
    anonymous = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    anonymous.text_input[0].input(SIGN_IN_NAME)
    anonymous.text_input[1].input("not-the-password")
    anonymous.button[0].click().run()
    assert not anonymous.exception
    assert anonymous.error  # refused
    engine = make_engine(park_url)
    with engine.connect() as connection:
        logged = connection.execute(text("SELECT count(*) FROM audit_log WHERE username = :name"),
                                    {"name": SIGN_IN_NAME}).scalar_one()
    engine.dispose()
    assert logged >= 1  # the name as typed is in the log

    at = open_app("admin", page="audit", language="en")
    assert not at.exception
    _, content = download(at, "audit.export")
    rows = _rows(content)
    user = rows[0].index("user")
    names = [row[user] for row in rows[1:]]
    assert "'" + SIGN_IN_NAME in names
    assert SIGN_IN_NAME not in names
    assert not any(value.startswith(("=", "+", "-", "@")) for row in rows[1:] for value in row)
    assert SIGN_IN_NAME in {values[user] for _, values in read_table("audit.csv", content).rows}


@pytest.mark.parametrize("command", ["scorecards", "loans"])
def test_the_cli_csv_guards_the_names(park_url: str, command: str) -> None:
    result = CliRunner().invoke(main, [command, "--format", "csv", "--database-url", park_url],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout.encode("utf-8"))
    header = rows[0]
    assert header[:3] == ["enterprise_id", "uscc", "name"]
    _assert_guarded(rows, name_column=2, uscc_column=1)
    assert all(row[0].isdigit() for row in rows[1:])
    _assert_reads_back(f"{command}.csv", result.stdout.encode("utf-8"), "name")


# --- no writer skips the guard ---

GUARD_MODULE = ROOT / "dashboard" / "services" / "tabular.py"
# what writes a CSV or an XLSX cell; only the guard module may do it
WRITERS = {
    "pandas to_csv": re.compile(r"\.to_csv\("),
    "pandas to_excel": re.compile(r"\.to_excel\("),
    "csv writer": re.compile(r"\bcsv\s*\.\s*(writer|DictWriter)\b"
                             r"|\bfrom\s+csv\s+import\b[^\n]*\b(writer|DictWriter)\b"),
    "openpyxl workbook": re.compile(r"\bWorkbook\s*\(|\bWriteOnlyCell\b"
                                    r"|\bfrom\s+openpyxl\s+import\b[^\n]*\bWorkbook\b"),
    "a cell's type": re.compile(r"\.data_type\s*=|\._value\b"),
    "another spreadsheet library": re.compile(r"\b(xlsxwriter|xlwt|pyexcel|odf)\b"),
}
# in a module that uses openpyxl at all: writing a cell's value directly
CELL_WRITES = re.compile(r"\.value\s*=(?!=)|\.cell\s*\(|\.append\s*\(")


def _writers_in(source: str) -> list[str]:
    found = [name for name, pattern in WRITERS.items() if pattern.search(source)]
    if "openpyxl" in source and CELL_WRITES.search(source):
        found.append("a cell written directly")
    return found


def test_every_csv_and_xlsx_writer_is_in_the_guard_module() -> None:
    sources = [path for folder in ("dashboard", "pages", "models", "seed", "migrations")
               for path in sorted((ROOT / folder).rglob("*.py"))]
    assert len(sources) > 50
    offenders = {str(path.relative_to(ROOT)): found for path in sources if path != GUARD_MODULE
                 if (found := _writers_in(path.read_text(encoding="utf-8")))}
    assert offenders == {}, "write CSV and XLSX through dashboard/services/tabular.py, whose guard keeps " \
                            "formulas text"
    # the check sees what it looks for: the guard module's own writers, and a writer planted anywhere else
    assert {"pandas to_csv", "csv writer", "openpyxl workbook", "a cell's type"} <= set(
        _writers_in(GUARD_MODULE.read_text(encoding="utf-8")))
    for planted in ("frame.to_csv(buffer)", "w = csv.writer(f)", "book = Workbook()",
                    "import openpyxl\nsheet.cell(row=1, column=1).value = name", "from csv import DictWriter"):
        assert _writers_in(planted), planted

"""The bulk export: the file it writes, and that importing it again changes nothing (the demo park's
enterprises and every child table, CSV and XLSX, both backends)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, text
from sqlmodel import Session

from dashboard.db import make_engine
from dashboard.services.exports import export_bytes
from dashboard.services.imports import ImportReport, import_table
from dashboard.services.permissions import Actor
from dashboard.services.record_tables import IMPORTABLE, record_table
from models import Enterprise, Role
from tests.conftest import BACKENDS, DemoParks
from tests.records import USCC_A, data_revision, enterprise_data

STAFF = Actor("staff.li", Role.staff)
AS_OF = date(2026, 11, 29)


@pytest.fixture(params=BACKENDS)
def demo_park(request: pytest.FixtureRequest, tmp_path: Path, demo_parks: DemoParks) -> Iterator[Engine]:
    """The demo park as of AS_OF, in this test's own database (a copy of the seeded template)."""
    with demo_parks.copy(request.param, tmp_path, AS_OF) as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


def contents(engine: Engine, table: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY id"))]


def audit_actions(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(
            text("SELECT action, entity FROM audit_log WHERE username = 'staff.li' ORDER BY id"))]


def export(engine: Engine, table: str, fmt: str) -> tuple[bytes, int]:
    with Session(engine) as session:
        return export_bytes(session, table, fmt)


def reimport(engine: Engine, table: str, filename: str, data: bytes) -> ImportReport:
    with Session(engine) as session:
        report = import_table(session=session, actor=STAFF, table=table, filename=filename, data=data)
        session.commit()
    return report


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_of_the_demo_parks_enterprises_changes_nothing(demo_park: Engine, fmt: str) -> None:
    before, revision = contents(demo_park, "enterprise"), data_revision(demo_park)
    data, count = export(demo_park, "enterprise", fmt)
    assert count == len(before) == 120
    report = reimport(demo_park, "enterprise", f"enterprise.{fmt}", data)
    assert report.written, report.problem_lines()
    assert (report.rows, report.created, report.updated, report.unchanged) == (120, 0, 0, 120)
    assert contents(demo_park, "enterprise") == before
    assert data_revision(demo_park) == revision
    assert audit_actions(demo_park) == [("import", "enterprise")]  # no update rows: nothing changed


@pytest.mark.parametrize("table", [t for t in IMPORTABLE if t != "enterprise"])
def test_export_then_import_of_every_child_table_changes_nothing(demo_park: Engine, table: str) -> None:
    before = contents(demo_park, table)
    data, count = export(demo_park, table, "csv")
    assert count == len(before) > 0
    report = reimport(demo_park, table, f"{table}.csv", data)
    assert (report.problems, report.created, report.updated, report.unchanged) == ([], 0, 0, len(before))
    assert contents(demo_park, table) == before
    assert audit_actions(demo_park) == [("import", table)]


def test_an_edited_export_updates_only_the_row_that_was_edited(demo_park: Engine) -> None:
    data, _ = export(demo_park, "enterprise", "csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, first = rows[0], rows[1]
    first[header.index("employees")] = str(int(first[header.index("employees")]) + 7)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    report = reimport(demo_park, "enterprise", "enterprise.csv", buffer.getvalue().encode("utf-8"))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 119)
    assert [row.action for row in report.preview[:2]] == ["update", "unchanged"]
    assert audit_actions(demo_park) == [("update", "enterprise"), ("import", "enterprise")]
    with demo_park.connect() as connection:
        employees, version = connection.execute(
            text("SELECT employees, version FROM enterprise WHERE uscc = :u"), {"u": first[0]}).one()
    assert (employees, version) == (int(first[header.index("employees")]), 2)


def test_the_csv_is_utf8_with_a_bom_and_names_the_contracts_columns(demo_park: Engine) -> None:
    data, _ = export(demo_park, "hazard", "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    header = data.decode("utf-8-sig").splitlines()[0].split(",")
    assert header == list(record_table("hazard").columns)
    assert header[:2] == ["id", "uscc"] and "enterprise_id" not in header
    with demo_park.connect() as connection:
        hazard_id, uscc = connection.execute(text(
            "SELECT h.id, e.uscc FROM hazard h JOIN enterprise e ON e.id = h.enterprise_id ORDER BY h.id LIMIT 1"
        )).one()
    first = next(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert (first["id"], first["uscc"]) == (str(hazard_id), uscc)


def test_the_xlsx_has_a_header_row_and_typed_cells(demo_park: Engine) -> None:
    data, count = export(demo_park, "training", "xlsx")
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(record_table("training").columns)
    assert len(rows) == count + 1
    assert sheet["A1"].font.b
    held_on = rows[1][list(rows[0]).index("held_on")]
    assert held_on is not None and held_on.year >= 2024  # a date cell, not text


def test_text_that_looks_like_a_formula_is_exported_as_text_and_reads_back(engine: Engine) -> None:
    """A name such as "=HYPERLINK(...)" must not run as a formula when the export is opened in a spreadsheet."""
    name = '=HYPERLINK("http://example.com","x")'
    with Session(engine) as session:
        session.add(Enterprise.model_validate(enterprise_data(uscc=USCC_A, name=name)))
        session.commit()
    csv_data, _ = export(engine, "enterprise", "csv")
    assert "'=HYPERLINK" in csv_data.decode("utf-8-sig")
    xlsx_data, _ = export(engine, "enterprise", "xlsx")
    cell = load_workbook(io.BytesIO(xlsx_data)).worksheets[0]["B2"]
    assert (cell.value, cell.data_type) == (name, "s")
    for fmt, data in (("csv", csv_data), ("xlsx", xlsx_data)):
        report = reimport(engine, "enterprise", f"e.{fmt}", data)
        assert (report.problems, report.unchanged) == ([], 1), fmt

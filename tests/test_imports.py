"""The bulk import: every item of issue 5's bad-input list (the message, and that nothing changed), the
encodings and formats it reads, updates by USCC, and the sample files.

Each test runs on a fresh database on both backends (``engine``); ``park`` is the park of
tests/records.py, which the enterprises must lie in.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from dashboard.services.imports import ImportReport, import_table
from dashboard.services.permissions import SYSTEM, Actor, PermissionDenied
from dashboard.services.record_tables import IMPORTABLE, record_table
from dashboard.services.tabular import MAX_BYTES
from models import Enterprise, Hazard, Park, Role
from models.messages import FIELD_LABELS
from tests.records import (
    USCC_A,
    USCC_B,
    USCC_C,
    data_revision,
    enterprise_data,
    general_hazard_data,
    major_hazard_data,
    row_counts,
    with_check_character,
)

ENTERPRISE_COLUMNS = list(record_table("enterprise").columns)
CHILD_TABLES = ("enterprise", "safety_sign", "inspection", "hazard", "accident", "training", "enforcement",
                "audit_log")
SAMPLES = Path(__file__).resolve().parent.parent / "seed" / "samples"
STAFF = Actor("staff.li", Role.staff)


def csv_bytes(columns: Sequence[str], rows: Sequence[Sequence[Any]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return buffer.getvalue().encode(encoding)


def enterprise_rows(records: Sequence[dict[str, Any]], columns: Sequence[str] = ENTERPRISE_COLUMNS) -> list[list[Any]]:
    return [[record.get(column) for column in columns] for record in records]


def enterprise_file(records: Sequence[dict[str, Any]], encoding: str = "utf-8") -> bytes:
    return csv_bytes(ENTERPRISE_COLUMNS, enterprise_rows(records), encoding)


def hazard_file(*records: dict[str, Any], uscc: str = USCC_A) -> bytes:
    columns = [c for c in record_table("hazard").columns if c != "id"]
    rows = [[uscc if c == "uscc" else record.get(c) for c in columns] for record in records]
    return csv_bytes(columns, rows)


def run(engine: Engine, table: str, filename: str, data: bytes, *, dry_run: bool = False,
        actor: Actor = STAFF) -> ImportReport:
    """Import as the staff user and commit, as the page and the command line do."""
    with Session(engine) as session:
        report = import_table(session=session, actor=actor, table=table, filename=filename, data=data,
                              dry_run=dry_run)
        session.commit()
    return report


def counts(engine: Engine) -> dict[str, int]:
    return row_counts(engine, *CHILD_TABLES)


def refused(engine: Engine, table: str, filename: str, data: bytes) -> list[str]:
    """The problems of an import that must write nothing: the database is as it was, revision included."""
    before, revision = counts(engine), data_revision(engine)
    report = run(engine, table, filename, data)
    assert not report.written and report.problems
    assert counts(engine) == before
    assert data_revision(engine) == revision
    return report.problem_lines("en")


def fifty_enterprises() -> list[dict[str, Any]]:
    return [enterprise_data(uscc=with_check_character(f"91330100{n:09d}"), name=f"临江第{n}化工有限公司",
                            lat=30.21 + n / 1000) for n in range(1, 51)]


# --- the bad-input list ---------------------------------------------------------------------------


def test_a_bad_uscc_in_row_7_of_50_is_named_and_nothing_is_written(engine: Engine, park: Park) -> None:
    records = fifty_enterprises()
    good = records[6]["uscc"]
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    records[6]["uscc"] = wrong
    lines = refused(engine, "enterprise", "park.csv", enterprise_file(records))
    assert lines == [f"row 7, column uscc: Unified social credit code “{wrong}” has a wrong check character "
                     f"(the 18th character should be {good[17]})."]
    assert counts(engine)["enterprise"] == 0


def test_the_problem_is_in_chinese_for_a_chinese_user(engine: Engine, park: Park) -> None:
    records = fifty_enterprises()
    records[6]["uscc"] = "12345"
    report = run(engine, "enterprise", "park.csv", enterprise_file(records))
    assert report.problem_lines("zh") == ["第 7 行,“uscc”列:统一社会信用代码必须为 18 位;“12345”为 5 位。"]


def test_the_same_uscc_twice_in_a_file_is_an_error_on_the_second_row(engine: Engine, park: Park) -> None:
    records = [enterprise_data(uscc=USCC_A), enterprise_data(uscc=USCC_B, name="临江新材料有限公司"),
               enterprise_data(uscc=USCC_A, name="临江精细化工有限公司二厂")]
    lines = refused(engine, "enterprise", "e.csv", enterprise_file(records))
    assert lines == [f"row 3, column uscc: Unified social credit code “{USCC_A}” is in the file twice: "
                     "row 1 has it too."]


def test_a_uscc_already_in_the_database_updates_that_enterprise_and_the_preview_says_so(
    engine: Engine, enterprise: Enterprise
) -> None:
    data = enterprise_file([enterprise_data(uscc=USCC_A, employees=135, name_en=None),
                            enterprise_data(uscc=USCC_B, name="临江新材料有限公司")])
    revision = data_revision(engine)
    preview = run(engine, "enterprise", "e.csv", data, dry_run=True)
    assert (preview.created, preview.updated, preview.unchanged, preview.problems) == (1, 1, 0, [])
    assert [(row.row, row.action) for row in preview.preview] == [(1, "update"), (2, "create")]
    assert counts(engine)["enterprise"] == 1 and data_revision(engine) == revision  # a preview writes nothing

    report = run(engine, "enterprise", "e.csv", data)
    assert report.written and (report.created, report.updated) == (1, 1)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT uscc, employees, name_en, version FROM enterprise ORDER BY id")).all()
        audit = connection.execute(text("SELECT username, action, entity, entity_id, before_json, after_json "
                                         "FROM audit_log WHERE username = 'staff.li' ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [(USCC_A, 135, None, 2), (USCC_B, 120, "Linjiang Fine Chemicals Co., Ltd.", 1)]
    assert [(a.action, a.entity) for a in audit] == [("update", "enterprise"), ("create", "enterprise"),
                                                    ("import", "enterprise")]
    assert '"employees": 120' in audit[0].before_json and '"employees": 135' in audit[0].after_json
    assert '"created": 1' in audit[2].after_json and '"updated": 1' in audit[2].after_json


def test_a_hazard_whose_enterprise_uscc_does_not_exist(engine: Engine, enterprise: Enterprise) -> None:
    lines = refused(engine, "hazard", "h.csv", hazard_file(general_hazard_data(), uscc=USCC_C))
    assert lines == [f"row 1, column uscc: No enterprise has the unified social credit code “{USCC_C}”; "
                     "import or add the enterprise first."]


def test_a_date_written_2026_13_01(engine: Engine, enterprise: Enterprise) -> None:
    lines = refused(engine, "hazard", "h.csv", hazard_file(general_hazard_data(found_on="2026/13/01")))
    assert lines == ["row 1, column found_on: Date found must be a date like 2026-05-01, not “2026/13/01”."]


def test_a_date_as_excel_on_chinese_windows_writes_it_is_read(engine: Engine, enterprise: Enterprise) -> None:
    data = hazard_file(general_hazard_data(found_on="2026/3/2", deadline="2026年3月16日"))
    report = run(engine, "hazard", "h.csv", data)
    assert report.written, report.problem_lines()
    with engine.connect() as connection:
        found_on, deadline = connection.execute(text("SELECT found_on, deadline FROM hazard")).one()
    assert (str(found_on), str(deadline)) == ("2026-03-02", "2026-03-16")


def test_a_negative_fine(engine: Engine, enterprise: Enterprise) -> None:
    data = csv_bytes(["uscc", "decided_on", "action", "fine_yuan", "note"],
                     [[USCC_A, "2026-02-10", "fine", "-500", "Unlicensed storage"]])
    lines = refused(engine, "enforcement", "f.csv", data)
    assert lines == ["row 1, column fine_yuan: Fine (yuan) must not be negative (got -500)."]


def test_a_major_hazard_without_a_contingency_plan(engine: Engine, enterprise: Enterprise) -> None:
    data = hazard_file(general_hazard_data(), major_hazard_data(contingency_plan=None))
    lines = refused(engine, "hazard", "h.csv", data)
    assert lines == ["row 2, column contingency_plan: A major hazard needs all five in place (responsibility, "
                     "measures, funds, deadline, contingency plan): contingency plan is missing."]


def test_every_problem_of_every_row_is_listed_in_order(engine: Engine, enterprise: Enterprise) -> None:
    data = hazard_file(major_hazard_data(funds_yuan=None, contingency_plan=None),
                       general_hazard_data(category="flood", deadline="2026-02-01"))
    lines = refused(engine, "hazard", "h.csv", data)
    assert [line.split(":")[0] for line in lines] == [
        "row 1, column funds_yuan", "row 1, column contingency_plan", "row 2, column category"]


def test_an_empty_file(engine: Engine, park: Park) -> None:
    assert refused(engine, "enterprise", "e.csv", b"") == ["The file is empty: it has no header row and no data."]
    assert refused(engine, "enterprise", "e.csv", b"\xef\xbb\xbf\r\n") == [
        "The file is empty: it has no header row and no data."]


def test_a_file_with_only_headers(engine: Engine, park: Park) -> None:
    lines = refused(engine, "enterprise", "e.csv", csv_bytes(ENTERPRISE_COLUMNS, [[""] * len(ENTERPRISE_COLUMNS)]))
    assert lines == ["The file has a header row but no data rows; nothing to import."]


def test_an_unknown_column(engine: Engine, park: Park) -> None:
    columns = [*ENTERPRISE_COLUMNS, "colour"]
    data = csv_bytes(columns, [[*row, "red"] for row in enterprise_rows([enterprise_data()])])
    lines = refused(engine, "enterprise", "e.csv", data)
    assert lines == [f"column colour: “colour” is not a column of the enterprise table. The columns are: "
                     f"{', '.join(ENTERPRISE_COLUMNS)}."]


def test_a_missing_required_column(engine: Engine, enterprise: Enterprise) -> None:
    data = csv_bytes(["uscc", "found_on", "category", "severity"], [[USCC_A, "2026-03-02", "fire", "general"]])
    assert refused(engine, "hazard", "h.csv", data) == [
        "The file has no column for description (“description”), which every hazard row needs."]


def test_a_gbk_file_with_chinese_headers_and_values(engine: Engine, park: Park) -> None:
    zh = FIELD_LABELS["zh"]
    record = enterprise_data(industry="危险化学品", safety_org="是", principal_certified="否",
                             standardization_grade="三级")
    data = csv_bytes([zh[c] for c in ENTERPRISE_COLUMNS], enterprise_rows([record]), encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    report = run(engine, "enterprise", "企业.csv", data)
    assert report.written, report.problem_lines()
    assert report.encoding == "gb18030"
    with engine.connect() as connection:
        row = connection.execute(text("SELECT name, industry, safety_org, principal_certified, "
                                      "standardization_grade, license_no FROM enterprise")).one()
    assert tuple(row) == ("临江精细化工有限公司", "hazardous_chemicals", True, False, "level3",
                          "(浙)WH安许证字[2024]0001")


def test_a_gbk_file_with_a_problem_names_the_column_as_written(engine: Engine, park: Park) -> None:
    zh = FIELD_LABELS["zh"]
    data = csv_bytes([zh[c] for c in ENTERPRISE_COLUMNS], enterprise_rows([enterprise_data(employees=-3)]),
                     encoding="gbk")
    report = run(engine, "enterprise", "企业.csv", data)
    assert report.problem_lines("zh") == ["第 1 行,“从业人员数”列:从业人员数不能为负数(填写的是 -3)。"]
    assert counts(engine)["enterprise"] == 0


def test_a_utf8_file_with_a_bom(engine: Engine, park: Park) -> None:
    data = enterprise_file([enterprise_data()], encoding="utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")
    report = run(engine, "enterprise", "e.csv", data)
    assert report.written and report.created == 1, report.problem_lines()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT uscc, name FROM enterprise")).one() == (USCC_A, "临江精细化工有限公司")


def _workbook(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(columns))
    for row in rows:
        sheet.append(list(row))
    return workbook


def _xlsx(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_with_a_formula_cell(engine: Engine, park: Park) -> None:
    rows = enterprise_rows([enterprise_data(), enterprise_data(uscc=USCC_B)])
    workbook = _workbook(ENTERPRISE_COLUMNS, rows)
    sheet = workbook.active
    assert sheet is not None
    column = ENTERPRISE_COLUMNS.index("employees") + 1
    sheet.cell(row=3, column=column, value="=10*12")
    letter = sheet.cell(row=3, column=column).column_letter
    lines = refused(engine, "enterprise", "e.xlsx", _xlsx(workbook))
    assert lines == [f"row 2, column employees: Cell {letter}3 holds a formula (=10*12); formulas are not imported. "
                     "Replace it with its value."]


def test_an_xlsx_with_dates_numbers_and_booleans_as_excel_stores_them(engine: Engine, park: Park) -> None:
    from datetime import datetime

    record = enterprise_data(license_expires_on=datetime(2027, 6, 30), employees=120.0, safety_org=True,
                             phone=13800000000)
    report = run(engine, "enterprise", "e.xlsx", _xlsx(_workbook(ENTERPRISE_COLUMNS, enterprise_rows([record]))))
    assert report.written, report.problem_lines()
    with engine.connect() as connection:
        row = connection.execute(text("SELECT license_expires_on, employees, safety_org, phone FROM enterprise")).one()
    assert (str(row[0]), row[1], bool(row[2]), row[3]) == ("2027-06-30", 120, True, "13800000000")


def test_ten_megabytes_of_junk_named_csv(engine: Engine, park: Park) -> None:
    junk = random.Random(5).randbytes(MAX_BYTES)
    assert refused(engine, "enterprise", "e.csv", junk) == [
        "The file is not CSV text (it holds binary data). Save it from Excel as “CSV UTF-8” or as an .xlsx workbook."]
    no_zero_bytes = bytes(b or 1 for b in junk[:100_000])
    assert refused(engine, "enterprise", "e.csv", no_zero_bytes) == refused(engine, "enterprise", "e.csv", junk)
    assert refused(engine, "enterprise", "e.csv", junk + b"x") == [
        "The file is 10.0 MB; files larger than 10 MB cannot be imported. Split it into smaller files."]


def test_junk_named_xlsx_and_a_file_of_another_kind(engine: Engine, park: Park) -> None:
    assert refused(engine, "enterprise", "e.xlsx", b"PK\x03\x04 not really a workbook") == [
        "The file is not a readable .xlsx workbook. Open it in Excel and save it again as .xlsx."]
    assert refused(engine, "enterprise", "e.txt", enterprise_file([enterprise_data()])) == [
        "Only .csv and .xlsx files can be imported; “e.txt” is neither."]


def test_a_script_in_a_name_is_stored_as_text(engine: Engine, park: Park) -> None:
    name = "<script>alert(1)</script>"
    report = run(engine, "enterprise", "e.csv", enterprise_file([enterprise_data(name=name)]))
    assert report.written, report.problem_lines()
    assert report.preview[0].values["name"] == name
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM enterprise")).scalar_one() == name


# --- who may import, and what a row with an id does ----------------------------------------------


def test_a_committee_member_may_not_import(engine: Engine, park: Park) -> None:
    with pytest.raises(PermissionDenied):
        run(engine, "enterprise", "e.csv", enterprise_file([enterprise_data()]), actor=Actor("wang", Role.committee))
    assert counts(engine)["enterprise"] == 0


def test_a_hazard_row_with_an_id_cannot_move_it_along_the_closed_loop(engine: Engine, enterprise: Enterprise) -> None:
    assert run(engine, "hazard", "h.csv", hazard_file(general_hazard_data())).written
    columns = list(record_table("hazard").columns)
    row = general_hazard_data(id=1, uscc=USCC_A, status="rectified", rectified_on="2026-03-10")
    lines = refused(engine, "hazard", "h.csv", csv_bytes(columns, [[row.get(c) for c in columns]]))
    assert lines == [
        "row 1, column status: Status changes only through the hazard's workflow buttons (rectified, verified, "
        "reopen).",
        "row 1, column rectified_on: Date rectified changes only through the hazard's workflow buttons (rectified, "
        "verified, reopen).",
    ]


def test_a_row_with_an_id_of_another_enterprises_record(engine: Engine, enterprise: Enterprise) -> None:
    """An export of another database (or a wrong id) must not overwrite an unrelated record."""
    other = enterprise_data(uscc=USCC_B, name="临江新材料有限公司")
    assert run(engine, "enterprise", "e.csv", enterprise_file([other])).written
    columns = ["id", "uscc", "held_on", "audience", "attendees", "hours"]
    first = csv_bytes(columns[1:], [[USCC_A, "2026-05-01", "all_staff", 40, 2]])
    assert run(engine, "training", "t.csv", first).written
    data = csv_bytes(columns, [[1, USCC_B, "2026-05-01", "all_staff", 45, 2]])
    assert refused(engine, "training", "t.csv", data) == [
        f"row 1, column id: Record 1 belongs to the enterprise with the credit code “{USCC_A}”, not to this row's; "
        "leave id blank to add a new record."]


def test_a_row_with_an_id_that_does_not_exist(engine: Engine, enterprise: Enterprise) -> None:
    data = csv_bytes(["id", "uscc", "held_on", "audience", "attendees", "hours"],
                     [[99, USCC_A, "2026-05-01", "all_staff", 40, 2]])
    assert refused(engine, "training", "t.csv", data) == ["row 1, column id: Record 99 does not exist."]


# --- the sample files ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_sample_files_import_in_order_and_again_unchanged(engine: Engine, fmt: str) -> None:
    """seed/samples: a file per table (CSV with English headers, XLSX with the Chinese labels)."""
    for table in IMPORTABLE:
        data = (SAMPLES / f"{table}.{fmt}").read_bytes()
        report = run(engine, table, f"{table}.{fmt}", data)
        assert report.written and report.created == report.rows > 0, (table, report.problem_lines())
    again = run(engine, "enterprise", f"enterprise.{fmt}", (SAMPLES / f"enterprise.{fmt}").read_bytes())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert counts(engine) | {"audit_log": 0} == {
        "enterprise": 3, "safety_sign": 4, "inspection": 3, "hazard": 3, "accident": 1, "training": 3,
        "enforcement": 2, "audit_log": 0}


def test_the_samples_name_their_tables_columns() -> None:
    for table in IMPORTABLE:
        header = (SAMPLES / f"{table}.csv").read_bytes().decode("utf-8-sig").splitlines()[0].split(",")
        spec = record_table(table)
        assert set(header) <= set(spec.columns) and set(spec.required) <= set(header), table


def test_the_import_leaves_the_callers_transaction_alone_when_refused(engine: Engine, park: Park) -> None:
    """Something the caller wrote before a refused import stays; only the import's rows are rolled back."""
    with Session(engine) as session:
        session.add(Enterprise.model_validate(enterprise_data(uscc=USCC_C)))
        report = import_table(session=session, actor=SYSTEM, table="enterprise", filename="e.csv",
                              data=enterprise_file([enterprise_data(uscc=USCC_A), enterprise_data(uscc="bad")]))
        session.commit()
    assert not report.written
    with engine.connect() as connection:
        assert connection.execute(text("SELECT uscc FROM enterprise")).scalars().all() == [USCC_C]


@pytest.mark.parametrize(("written", "status"), [("待整改", "open"), ("未整改", "open"), ("open", "open"),
                                                  ("整改中", "rectifying"), ("已整改", "rectified")])
def test_a_hazard_ledgers_word_for_its_status_is_read(
    engine: Engine, enterprise: Enterprise, written: str, status: str
) -> None:
    """Ledgers write 待整改 or 已整改 where the dashboard says 未整改 or 已整改待验收: both are read."""
    data = general_hazard_data(status=written)
    if status == "rectified":
        data.update(rectified_on="2026-03-10", rectification_note="Pallets moved")
    report = run(engine, "hazard", "h.csv", hazard_file(data))
    assert report.created == 1, report
    with Session(engine) as session:
        assert [str(h.status) for h in session.exec(select(Hazard)).all()] == [status]

"""Issue 13, items 7 and 14: one import cannot stop everyone, and a CSV is read in one encoding.

- A workbook is refused by what its parts declare unpacked before openpyxl parses a byte of it.
- A preview (the check) reads the database only: it writes nothing and, on SQLite, never holds
  the write lock, so other people's saves go through while it runs.
- The import writes in one transaction of a few many-row statements, after the check, each
  record audited as its service audits it.
- A CSV whose lines mix UTF-8 and GBK is refused, naming the first line in the other encoding.

Each database test runs on SQLite and PostgreSQL (``engine``).
"""

from __future__ import annotations

import io
import json
import sqlite3
import threading
import tracemalloc
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, event, text
from sqlmodel import Session

from dashboard.db import make_engine, writing
from dashboard.services.hazards import create_hazard
from dashboard.services.import_limits import MAX_XLSX_UNPACKED
from dashboard.services.imports import ImportReport, import_file, import_table
from dashboard.services.record_tables import record_table
from dashboard.services.records import create_record
from dashboard.services.tabular import MAX_ROWS
from models import Enterprise, Park
from tests.records import USCC_A, data_revision, enterprise_data
from tests.test_imports import STAFF, counts, csv_bytes, enterprise_file

HAZARD_COLUMNS = [c for c in record_table("hazard").columns if c != "id"]


def hazard_rows(count: int, description: str = "消防通道被货物堵塞") -> list[list[Any]]:
    """``count`` general hazards of the enterprise USCC_A, each a new record."""
    rows = []
    for n in range(count):
        record = {"uscc": USCC_A, "found_on": f"2026-03-{1 + n % 28:02d}", "category": "fire",
                  "severity": "general", "description": f"{description} {n}", "responsible_person": "王建国",
                  "deadline": "2026-04-30", "status": "open"}
        rows.append([record.get(column) for column in HAZARD_COLUMNS])
    return rows


def preview(engine: Engine, filename: str, data: bytes, table: str = "hazard") -> ImportReport:
    with Session(engine) as session:
        report = import_table(session=session, actor=STAFF, table=table, filename=filename, data=data, dry_run=True)
        session.rollback()
    return report


def lines(report: ImportReport) -> tuple[list[str], list[str]]:
    assert not report.written
    return report.problem_lines("en"), report.problem_lines("zh")


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """Every statement ``engine`` sends while the block runs (an executemany counts once)."""
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(" ".join(statement.split()).upper())

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _writes(sent: list[str]) -> list[str]:
    return [s for s in sent if s.startswith(("INSERT", "UPDATE", "DELETE", "SAVEPOINT", "BEGIN IMMEDIATE"))]


# --- XLSX: refused by what it unpacks to, before it is parsed ---------------------------------------


def _workbook_with(part: str, size: int) -> bytes:
    """A small workbook as Excel writes one (its text in the shared-strings part), whose ``part`` is padded
    with ``size`` bytes of one letter: a shared string the sheet's first data cell shows."""
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    strings = [*HAZARD_COLUMNS, "PAD"]
    cells = "".join(f'<c r="{chr(65 + n)}1" t="s"><v>{n}</v></c>' for n in range(len(HAZARD_COLUMNS)))
    parts = {
        "[Content_Types].xml": (
            b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b'<Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            b'spreadsheetml.sheet.main+xml"/>'
            b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.worksheet+xml"/>'
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>').encode(),
        "xl/workbook.xml": (
            f'<workbook {main} xmlns:r="{rel}"><sheets><sheet name="hazard" sheetId="1" r:id="rId1"/></sheets>'
            '</workbook>').encode(),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>').encode(),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet {main}><sheetData><row r="1">{cells}</row>'
            f'<row r="2"><c r="F2" t="s"><v>{len(HAZARD_COLUMNS)}</v></c></row></sheetData></worksheet>').encode(),
        "xl/sharedStrings.xml": (
            f'<sst {main}>' + "".join(f"<si><t>{text}</t></si>" for text in strings) + "</sst>").encode(),
    }
    parts[part] = parts[part].replace(b"PAD", b"A" * size)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(name, content)
    return out.getvalue()


def test_the_workbook_the_bombs_are_made_of_is_an_ordinary_one(engine: Engine, enterprise: Enterprise) -> None:
    """Without the padding the same workbook reads: its header, and one row whose description is the padding."""
    report = preview(engine, "h.xlsx", _workbook_with("xl/sharedStrings.xml", 10))
    assert report.rows == 1 and report.columns == HAZARD_COLUMNS
    assert "row 1, column description" not in " ".join(report.problem_lines("en"))
    assert any("column uscc" in line for line in report.problem_lines("en"))  # the row is short of its other cells


@pytest.fixture
def openpyxl_must_not_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("openpyxl was asked to parse the workbook")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def test_a_small_xlsx_that_unpacks_to_100_mb_is_refused_before_it_is_parsed(
    engine: Engine, enterprise: Enterprise, openpyxl_must_not_parse: None
) -> None:
    bomb = _workbook_with("xl/sharedStrings.xml", 100 * 1024 * 1024)
    assert len(bomb) < 300 * 1024
    tracemalloc.start()
    try:
        english, chinese = lines(preview(engine, "隐患台账.xlsx", bomb))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 24 * 1024 * 1024  # the workbook was measured, not unpacked into memory
    assert english == ["The workbook “隐患台账.xlsx” unpacks to 100 MB; workbooks that unpack to more than 24 MB "
                       "cannot be imported. Split it into smaller files, or save it as CSV."]
    assert chinese == ["工作簿“隐患台账.xlsx”解压后为 100 MB,解压后超过 24 MB 的工作簿不能导入。"
                       "请拆分为较小的文件,或另存为 CSV。"]


def test_a_part_packed_more_than_200_times_is_refused_before_it_is_parsed(
    engine: Engine, enterprise: Enterprise, openpyxl_must_not_parse: None
) -> None:
    bomb = _workbook_with("xl/sharedStrings.xml", 8 * 1024 * 1024)
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist()) < MAX_XLSX_UNPACKED
    english, chinese = lines(preview(engine, "h.xlsx", bomb))
    assert len(english) == 1 and english[0].startswith(
        "The workbook “h.xlsx” is not an ordinary workbook: its part xl/sharedStrings.xml unpacks to 8 MB from ")
    assert "more than 200 times its packed size" in english[0]
    assert chinese[0].startswith("工作簿“h.xlsx”不是普通的工作簿:其中 xl/sharedStrings.xml 由 ")


def test_an_ordinary_workbook_still_imports(engine: Engine, enterprise: Enterprise) -> None:
    book = Workbook()
    book.active.append(HAZARD_COLUMNS)
    for row in hazard_rows(3):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_file(engine=engine, actor=STAFF, table="hazard", filename="h.xlsx", data=buffer.getvalue())
    assert report.written and report.created == 3


def test_more_than_100000_data_rows_are_refused(engine: Engine, enterprise: Enterprise) -> None:
    short = [["x"] for _ in range(MAX_ROWS + 1)]
    english, chinese = lines(preview(engine, "h.csv", csv_bytes(["description"], short)))
    assert english == ["The file has more than 100000 data rows; split it into smaller files."]
    assert chinese == ["文件数据行超过 100000 行,请拆分为较小的文件。"]


# --- the preview holds no write lock ---------------------------------------------------------------


def test_a_preview_writes_nothing_and_never_holds_the_write_lock(engine: Engine, enterprise: Enterprise,
                                                                 db_url: str) -> None:
    """Before: the preview was the import run in a savepoint and rolled back, so it inserted every row and
    held SQLite's write lock from its first row to its last (96-117 s for 99,000 rows)."""
    data = csv_bytes(HAZARD_COLUMNS, hazard_rows(300))
    probes: list[bool] = []
    path = db_url.removeprefix("sqlite:///") if db_url.startswith("sqlite") else None

    def probe(*_args: Any) -> None:  # another connection asks for the write lock, without waiting
        if path is None:
            return
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            probes.append(True)
        except sqlite3.OperationalError:
            probes.append(False)
        finally:
            other.close()

    before, revision = counts(engine), data_revision(engine)
    event.listen(engine, "after_cursor_execute", probe)
    try:
        with statements(engine) as sent:
            report = preview(engine, "h.csv", data)
    finally:
        event.remove(engine, "after_cursor_execute", probe)
    assert report.ok and report.created == 300 and not report.written
    assert _writes(sent) == []
    assert counts(engine) == before and data_revision(engine) == revision
    if path is not None:
        assert probes and all(probes)


def _one_second_lock_timeout(connection: Any, _record: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '1s'")


@pytest.mark.slow
def test_a_save_goes_through_at_once_while_a_large_file_is_previewed(engine: Engine, enterprise: Enterprise,
                                                                      db_url: str) -> None:
    """Before: saves and sign-ins waited for the preview's write lock and failed ("the database cannot be
    reached") after the busy timeout."""
    data = csv_bytes(HAZARD_COLUMNS, hazard_rows(30_000))
    started = threading.Event()
    result: list[ImportReport] = []

    def mark(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "FROM enterprise" in statement:  # the check of the rows looks up their enterprises
            started.set()

    event.listen(engine, "after_cursor_execute", mark)
    worker = threading.Thread(target=lambda: result.append(preview(engine, "h.csv", data)))
    worker.start()
    try:
        assert started.wait(30)
        # A save that waited on the preview's lock fails: SQLite gives up after its busy timeout, PostgreSQL
        # after its lock timeout. No wall clock: on a busy machine a save that does not wait can still be slow.
        saver = make_engine(db_url, busy_timeout_ms=1_000)
        if saver.dialect.name == "postgresql":
            event.listen(saver, "connect", _one_second_lock_timeout)
        with Session(writing(saver)) as session:
            create_record(session=session, actor=STAFF, table="training", data={
                "enterprise_id": enterprise.id, "held_on": "2026-05-01", "audience": "all_staff",
                "attendees": 40, "hours": 2})
            session.commit()
        still_previewing = worker.is_alive()
        saver.dispose()
    finally:
        worker.join()
        event.remove(engine, "after_cursor_execute", mark)
    assert still_previewing, "the preview ended before the save: make the file larger"
    assert result[0].ok and result[0].created == 30_000


# --- the import: one short transaction, audited as the services audit -------------------------------


def test_the_import_checks_first_then_writes_in_a_few_statements(engine: Engine, enterprise: Enterprise) -> None:
    """Before: every row went through its service in its own savepoint: thousands of statements while the
    write lock was held."""
    data = csv_bytes(HAZARD_COLUMNS, hazard_rows(2_000))
    before = counts(engine)
    with statements(engine) as sent:
        report = import_file(engine=engine, actor=STAFF, table="hazard", filename="h.csv", data=data)
    assert report.written and report.created == 2_000
    first_write = next(i for i, s in enumerate(sent) if s.startswith(("INSERT", "UPDATE", "DELETE")))
    writing_statements = [s for s in sent[first_write:] if not s.startswith(("COMMIT", "RELEASE"))]
    assert len(writing_statements) <= 10, writing_statements
    after = counts(engine)
    assert after["hazard"] == before["hazard"] + 2_000
    assert after["audit_log"] == before["audit_log"] + 2_001  # one per record, and the import's own


def _after_json(engine: Engine, entity: str, entity_id: int, action: str = "create") -> dict[str, Any]:
    with engine.connect() as connection:
        value = connection.execute(text(
            "SELECT after_json FROM audit_log WHERE entity = :entity AND entity_id = :id AND action = :action"),
            {"entity": entity, "id": entity_id, "action": action}).scalar_one()
    return dict(json.loads(value))


def test_each_imported_record_is_audited_as_its_service_audits_it(engine: Engine, enterprise: Enterprise) -> None:
    row = hazard_rows(1)[0]
    report = import_file(engine=engine, actor=STAFF, table="hazard", filename="h.csv",
                         data=csv_bytes(HAZARD_COLUMNS, [row]))
    assert report.written
    values = dict(zip(HAZARD_COLUMNS, row, strict=True))
    with Session(engine, expire_on_commit=False) as session:
        by_form = create_hazard(session=session, actor=STAFF, data={
            **{k: v for k, v in values.items() if k != "uscc" and v is not None}, "enterprise_id": enterprise.id})
        session.commit()
    with engine.connect() as connection:
        imported_id = connection.execute(text("SELECT min(id) FROM hazard")).scalar_one()
    imported, formed = _after_json(engine, "hazard", imported_id), _after_json(engine, "hazard", by_form.id or 0)
    assert imported.pop("id") == imported_id and formed.pop("id") == by_form.id
    for stamp in ("created_at", "updated_at"):
        assert imported.pop(stamp)[:10] == formed.pop(stamp)[:10]
    assert imported == formed


def test_an_enterprise_updated_by_a_file_is_audited_before_and_after(engine: Engine, park: Park) -> None:
    assert import_file(engine=engine, actor=STAFF, table="enterprise", filename="e.csv",
                       data=enterprise_file([enterprise_data(employees=120)])).written
    report = import_file(engine=engine, actor=STAFF, table="enterprise", filename="e.csv",
                         data=enterprise_file([enterprise_data(employees=135)]))
    assert report.written and report.updated == 1
    with engine.connect() as connection:
        employees, version = connection.execute(text("SELECT employees, version FROM enterprise")).one()
        before = json.loads(connection.execute(text(
            "SELECT before_json FROM audit_log WHERE action = 'update' AND entity = 'enterprise'")).scalar_one())
    after = _after_json(engine, "enterprise", before["id"], "update")
    assert (employees, version) == (135, 2)
    assert (before["employees"], before["version"]) == (120, 1)
    assert (after["employees"], after["version"]) == (135, 2)


def test_an_imported_accident_gets_the_level_the_form_gives_it(engine: Engine, enterprise: Enterprise) -> None:
    columns = ["uscc", "occurred_on", "description", "deaths", "serious_injuries", "direct_loss_yuan"]
    accident = {"occurred_on": "2026-04-02", "description": "储罐区闪爆", "deaths": 3, "serious_injuries": 2,
                "direct_loss_yuan": 1_500_000}
    report = import_file(engine=engine, actor=STAFF, table="accident", filename="a.csv",
                         data=csv_bytes(columns, [[USCC_A, *accident.values()]]))
    assert report.written, report.problem_lines()
    with Session(engine, expire_on_commit=False) as session:
        by_form = create_record(session=session, actor=STAFF, table="accident",
                                data={**accident, "enterprise_id": enterprise.id})
        session.commit()
    with engine.connect() as connection:
        levels = connection.execute(text("SELECT level FROM accident ORDER BY id")).scalars().all()
    assert levels == [by_form.level.value] * 2  # type: ignore[attr-defined]


# --- CSV: one encoding -----------------------------------------------------------------------------


def _gbk_and_utf8(first: str, second: str) -> bytes:
    header, *rows = csv_bytes(HAZARD_COLUMNS, hazard_rows(6)).decode("utf-8").split("\r\n")
    encoded = [header.encode("ascii")]
    for number, row in enumerate(rows, start=1):
        encoded.append(row.encode(first if number < 4 else second))
    return b"\r\n".join(encoded)


def test_a_csv_mixing_utf8_and_gbk_lines_is_refused_naming_the_first_other_line(
    engine: Engine, enterprise: Enterprise
) -> None:
    """Before: the file read as GB18030 as a whole, and the UTF-8 lines were stored garbled."""
    english, chinese = lines(preview(engine, "h.csv", _gbk_and_utf8("utf-8", "gbk")))
    assert english == ["Line 5 of the file (data row 4) is GBK/GB18030 text, but the lines before it are UTF-8: the "
                       "file mixes two encodings and its text would be garbled. Save the whole file in one encoding "
                       "(in Excel: “CSV UTF-8”) and upload it again."]
    assert chinese == ["文件第 5 行(第 4 条数据)是 GBK/GB18030 编码,而前面各行是 UTF-8 编码:"
                       "文件混用了两种编码,读出的文字会是乱码。"
                       "请将整个文件保存为同一种编码(Excel 中选“CSV UTF-8”)后重新上传。"]
    english, _ = lines(preview(engine, "h.csv", _gbk_and_utf8("gbk", "utf-8")))
    assert english[0].startswith("Line 5 of the file (data row 4) is UTF-8 text, but the lines before it are "
                                 "GBK/GB18030")
    before = counts(engine)
    refused = import_file(engine=engine, actor=STAFF, table="hazard", filename="h.csv",
                          data=_gbk_and_utf8("utf-8", "gbk"))
    assert not refused.written and counts(engine) == before


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_a_csv_in_one_encoding_is_read_with_its_chinese_intact(engine: Engine, enterprise: Enterprise,
                                                               encoding: str) -> None:
    data = csv_bytes(HAZARD_COLUMNS, hazard_rows(6, description="全厂消防通道堵塞"), encoding)
    report = import_file(engine=engine, actor=STAFF, table="hazard", filename="h.csv", data=data)
    assert report.written and report.created == 6
    with engine.connect() as connection:
        texts = connection.execute(text("SELECT description, responsible_person FROM hazard ORDER BY id")).all()
    assert [tuple(t) for t in texts] == [(f"全厂消防通道堵塞 {n}", "王建国") for n in range(6)]


# --- the page: a large file is checked and imported beside the page, in a worker process --------------


@pytest.mark.slow
def test_the_page_checks_and_imports_a_large_file_in_a_worker_process(
    engine: Engine, enterprise: Enterprise, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file over INLINE_BYTES is not checked in the page's run (which shares the interpreter with every
    other page being drawn) but in views/background's worker process; its report comes back whole."""
    from dashboard.settings import get_settings
    from dashboard.views import imports as panel

    monkeypatch.setenv("PARK_SAFETY_DATABASE_URL", db_url)
    get_settings.cache_clear()
    data = csv_bytes(HAZARD_COLUMNS, hazard_rows(6_000))
    assert len(data) > panel.INLINE_BYTES
    ran_in: list[int] = []
    real = panel.background.job

    def job(key: Any, compute: Any, *args: Any) -> Any:
        future = real(key, compute, *args)
        ran_in.append(future.result().created)
        return future

    monkeypatch.setattr(panel.background, "job", job)
    try:
        previewed = panel.preview_import(STAFF, "hazard", "h.csv", data)
        assert previewed.ok and previewed.created == 6_000 and not previewed.written
        assert counts(engine)["hazard"] == 0
        mixed = panel.preview_import(STAFF, "hazard", "h.csv", data + "新".encode("gbk") * 300_000)
        assert mixed.problem_lines("en")[0].startswith("Line 6002 of the file (data row 6001) is GBK/GB18030 text")
        imported = panel.run_import(STAFF, "hazard", "h.csv", data)
        assert imported.written and imported.created == 6_000
        assert counts(engine)["hazard"] == 6_000
        assert ran_in == [6_000, 0, 6_000]  # all three went to the worker
    finally:
        get_settings.cache_clear()


def test_a_save_between_the_check_and_the_write_is_checked_again_not_overwritten(
    engine: Engine, park: Park, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check holds no lock, so someone may save meanwhile: the write transaction sees the data revision
    moved and checks the file again, inside the lock, against what that person saved."""
    from dashboard.services import imports
    from dashboard.services.enterprises import update_enterprise

    assert import_file(engine=engine, actor=STAFF, table="enterprise", filename="e.csv",
                       data=enterprise_file([enterprise_data(employees=120)])).written
    real_prepare = imports._prepare
    saved: list[int] = []

    def someone_saves_first(*args: Any) -> Any:
        if not saved:
            with Session(writing(engine)) as other:
                current = other.execute(text("SELECT id, version FROM enterprise")).one()
                update_enterprise(session=other, actor=STAFF, enterprise_id=current.id, data={
                    **enterprise_data(employees=125, name="临江精细化工股份有限公司"), "version": current.version})
                other.commit()
            saved.append(1)
        return real_prepare(*args)

    monkeypatch.setattr(imports, "_prepare", someone_saves_first)
    report = import_file(engine=engine, actor=STAFF, table="enterprise", filename="e.csv",
                         data=enterprise_file([enterprise_data(employees=135)]))
    assert saved and report.written and report.updated == 1
    with engine.connect() as connection:
        employees, name, version = connection.execute(text("SELECT employees, name, version FROM enterprise")).one()
        before = json.loads(connection.execute(text(
            "SELECT before_json FROM audit_log WHERE action = 'update' AND entity = 'enterprise' "
            "ORDER BY id DESC LIMIT 1")).scalar_one())
    # the file names every column, so its name wins; the audit's 'before' is what the other person saved
    assert (employees, name, version) == (135, "临江精细化工有限公司", 3)
    assert (before["employees"], before["name"], before["version"]) == (125, "临江精细化工股份有限公司", 2)


def test_the_command_lines_import_never_writes_over_a_save_made_during_its_check(
    engine: Engine, park: Park, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``park-safety import`` checks and writes in one transaction of its own (import_table): on PostgreSQL
    a save committed during the check is seen and the file checked again; on SQLite the write is refused
    ("database is locked") and nothing is written — never the other person's save overwritten."""
    from sqlalchemy.exc import OperationalError

    from dashboard.services import imports
    from dashboard.services.enterprises import update_enterprise

    assert import_file(engine=engine, actor=STAFF, table="enterprise", filename="e.csv",
                       data=enterprise_file([enterprise_data(employees=120)])).written
    real_locked_revision = imports._locked_revision

    def someone_saves_first(session: Session) -> int:
        with Session(writing(engine)) as other:
            current = other.execute(text("SELECT id, version FROM enterprise")).one()
            update_enterprise(session=other, actor=STAFF, enterprise_id=current.id, data={
                **enterprise_data(employees=125), "version": current.version})
            other.commit()
        return real_locked_revision(session)

    monkeypatch.setattr(imports, "_locked_revision", someone_saves_first)
    other_engine = make_engine(db_url, busy_timeout_ms=200)
    try:
        with Session(other_engine) as session:
            try:
                report = import_table(session=session, actor=STAFF, table="enterprise", filename="e.csv",
                                      data=enterprise_file([enterprise_data(employees=135)]))
                session.commit()
            except OperationalError as refused:
                assert db_url.startswith("sqlite") and "locked" in str(refused)
                report = None
    finally:
        other_engine.dispose()
    with engine.connect() as connection:
        employees, version = connection.execute(text("SELECT employees, version FROM enterprise")).one()
        befores = [json.loads(v) for v in connection.execute(text(
            "SELECT before_json FROM audit_log WHERE action = 'update' AND entity = 'enterprise' ORDER BY id"
        )).scalars()]
    if report is None:  # SQLite: refused, the other person's save stands
        assert (employees, version) == (125, 2)
    else:  # PostgreSQL: checked again, written over what that person saved (audited as such)
        assert report.written and (employees, version) == (135, 3)
        assert befores[-1]["employees"] == 125 and befores[-1]["version"] == 2


def test_the_command_line_imports_after_a_save_made_during_its_check(
    engine: Engine, park: Park, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``park-safety import FILE`` checks before it takes the write lock (import_file): a save made during the
    check is seen when the lock is taken, the file checked again and written. Before, on SQLite, the
    command's one transaction was refused 'database is locked' (exit 1) however short the save."""
    from click.testing import CliRunner

    from dashboard.cli import main
    from dashboard.services import imports
    from dashboard.services.enterprises import update_enterprise

    assert import_file(engine=engine, actor=STAFF, table="enterprise", filename="e.csv",
                       data=enterprise_file([enterprise_data(employees=120)])).written
    real_checked = imports._checked
    saves: list[int] = []

    def someone_saves_after_the_first_check(*args: Any) -> Any:
        rows = real_checked(*args)
        if not saves:
            with Session(writing(engine)) as other:
                current = other.execute(text("SELECT id, version FROM enterprise")).one()
                update_enterprise(session=other, actor=STAFF, enterprise_id=current.id, data={
                    **enterprise_data(employees=125), "version": current.version})
                other.commit()
            saves.append(1)
        return rows

    monkeypatch.setattr(imports, "_checked", someone_saves_after_the_first_check)
    file = tmp_path / "enterprises.csv"
    file.write_bytes(enterprise_file([enterprise_data(employees=135)]))
    result = CliRunner().invoke(main, ["import", "enterprise", str(file), "--database-url", db_url],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("0 created, 1 updated, 0 unchanged.")
    with engine.connect() as connection:
        assert tuple(connection.execute(text("SELECT employees, version FROM enterprise")).one()) == (135, 3)

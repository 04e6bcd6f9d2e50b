"""``park-safety import`` and ``park-safety export``: exit codes, what they print, what they write."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result
from sqlalchemy import Engine

from dashboard.cli import main
from dashboard.services.record_tables import record_table
from models import Enterprise, Park
from tests.records import USCC_A, USCC_B, data_revision, enterprise_data, row_counts, with_check_character
from tests.test_imports import ENTERPRISE_COLUMNS, enterprise_file


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def lines(result: Result) -> list[str]:
    assert "Traceback" not in result.output
    return [line for line in result.output.splitlines() if line.strip()]


def test_import_of_a_valid_file_reports_the_counts(db_url: str, engine: Engine, park: Park, tmp_path: Path) -> None:
    file = tmp_path / "enterprises.csv"
    file.write_bytes(enterprise_file([enterprise_data(uscc=USCC_A), enterprise_data(uscc=USCC_B)]))
    result = run("import", "enterprise", str(file), "--database-url", db_url)
    assert result.exit_code == 0, result.output
    assert lines(result)[-1].startswith("Imported enterprises.csv into enterprise (")
    assert lines(result)[-1].endswith("): 2 created, 0 updated, 0 unchanged.")
    assert row_counts(engine, "enterprise")["enterprise"] == 2

    again = run("import", "enterprise", str(file), "--database-url", db_url)
    assert again.exit_code == 0 and lines(again)[-1].endswith("0 created, 0 updated, 2 unchanged.")


def test_import_of_an_invalid_file_lists_every_problem_and_exits_1(
    db_url: str, engine: Engine, park: Park, tmp_path: Path
) -> None:
    records = [enterprise_data(uscc=with_check_character(f"91330100{n:09d}"), name=f"第{n}厂") for n in range(1, 51)]
    records[6]["uscc"] = "913301000000000070"  # the wrong check character
    records[40]["employees"] = -1
    file = tmp_path / "park.csv"
    file.write_bytes(enterprise_file(records))
    revision = data_revision(engine)
    result = run("import", "enterprise", str(file), "--database-url", db_url)
    assert result.exit_code == 1
    out = lines(result)
    assert out[0].startswith("row 7, column uscc: Unified social credit code “913301000000000070” has a wrong check")
    assert out[1] == "row 41, column employees: Number of employees must not be negative (got -1)."
    assert out[-1] == "park-safety: error: park.csv: 2 problems; nothing was written"
    assert len(out) == 3
    assert row_counts(engine, "enterprise", "audit_log") == {"enterprise": 0, "audit_log": 0}
    assert data_revision(engine) == revision


def test_import_problems_in_chinese(db_url: str, park: Park, tmp_path: Path) -> None:
    file = tmp_path / "e.csv"
    file.write_bytes(enterprise_file([enterprise_data(uscc="123")]))
    result = run("import", "enterprise", str(file), "--language", "zh", "--database-url", db_url)
    assert result.exit_code == 1
    assert lines(result)[0] == "第 1 行,“uscc”列:统一社会信用代码必须为 18 位;“123”为 3 位。"


def test_import_dry_run_writes_nothing(db_url: str, engine: Engine, enterprise: Enterprise, tmp_path: Path) -> None:
    file = tmp_path / "e.csv"
    file.write_bytes(enterprise_file([enterprise_data(uscc=USCC_A, employees=99), enterprise_data(uscc=USCC_B)]))
    result = run("import", "enterprise", str(file), "--dry-run", "--database-url", db_url)
    assert result.exit_code == 0, result.output
    assert lines(result)[-1].endswith("1 would create, 1 would update, 0 unchanged.")
    assert row_counts(engine, "enterprise")["enterprise"] == 1


def test_import_of_a_file_over_10_mb_is_one_line(db_url: str, tmp_path: Path) -> None:
    file = tmp_path / "big.csv"
    file.write_bytes(b"\xff" * (10 * 1024 * 1024 + 1))
    result = run("import", "enterprise", str(file), "--database-url", db_url)
    assert result.exit_code == 1
    assert lines(result) == ["park-safety: error: big.csv is 10.0 MB; files larger than 10 MB cannot be imported"]


def test_import_of_junk_named_csv_is_one_clear_problem(db_url: str, tmp_path: Path) -> None:
    file = tmp_path / "junk.csv"
    file.write_bytes(bytes(range(256)) * 4096)
    result = run("import", "enterprise", str(file), "--database-url", db_url)
    assert result.exit_code == 1
    assert lines(result) == [
        "The file is not CSV text (it holds binary data). Save it from Excel as “CSV UTF-8” or as an .xlsx workbook.",
        "park-safety: error: junk.csv: 1 problem; nothing was written",
    ]


def test_import_of_an_unknown_table_or_a_missing_file_is_a_usage_error(db_url: str, tmp_path: Path) -> None:
    file = tmp_path / "e.csv"
    file.write_bytes(enterprise_file([enterprise_data()]))
    assert run("import", "dishonesty", str(file), "--database-url", db_url).exit_code == 2
    missing = run("import", "enterprise", str(tmp_path / "nope.csv"), "--database-url", db_url)
    assert missing.exit_code == 2 and "does not exist" in missing.output and "Traceback" not in missing.output


def test_export_writes_the_file_by_its_extension(db_url: str, enterprise: Enterprise, tmp_path: Path) -> None:
    csv_file, xlsx_file = tmp_path / "out" / "e.csv", tmp_path / "e.xlsx"
    result = run("export", "enterprise", str(csv_file), "--database-url", db_url)
    assert result.exit_code == 0, result.output
    assert lines(result)[-1].startswith("Exported 1 enterprise record from ")
    assert csv_file.read_bytes().decode("utf-8-sig").splitlines()[0] == ",".join(ENTERPRISE_COLUMNS)
    assert run("export", "enterprise", str(xlsx_file), "--database-url", db_url).exit_code == 0
    assert xlsx_file.read_bytes()[:2] == b"PK"
    empty = run("export", "hazard", str(tmp_path / "h.csv"), "--database-url", db_url)
    assert empty.exit_code == 0 and "Exported 0 hazard records" in empty.output
    assert (tmp_path / "h.csv").read_bytes().decode("utf-8-sig").strip() == ",".join(record_table("hazard").columns)


def test_export_then_import_round_trips_through_the_command_line(
    db_url: str, enterprise: Enterprise, tmp_path: Path
) -> None:
    file = tmp_path / "e.xlsx"
    assert run("export", "enterprise", str(file), "--database-url", db_url).exit_code == 0
    result = run("import", "enterprise", str(file), "--database-url", db_url)
    assert result.exit_code == 0 and lines(result)[-1].endswith("0 created, 0 updated, 1 unchanged.")


def test_export_to_another_kind_of_file_is_one_line(db_url: str, tmp_path: Path) -> None:
    result = run("export", "enterprise", str(tmp_path / "e.txt"), "--database-url", db_url)
    assert result.exit_code == 1
    assert lines(result) == ["park-safety: error: e.txt: the file must end in .csv or .xlsx"]

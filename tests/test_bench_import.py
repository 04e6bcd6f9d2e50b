"""``park-safety bench --import`` makes the largest file the import takes from the demo park's records, times its
preview and its import as the Records page's worker process runs them, and three pages and the saves of a served
dashboard alone and while the import runs; it imports into copies, never into the database it is given. (The
figures are the command's business: these tests check that it measures each and says so, on a few hundred rows.)"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select
from sqlmodel import Session, col

from dashboard.bench_import import ALONE_ROUNDS, HAZARD_COLUMNS, PAGES, make_bench_file
from dashboard.cli import main
from dashboard.db import make_engine
from dashboard.services.tabular import MAX_BYTES, MAX_ROWS
from models import Enterprise, Hazard


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _hazards(url: str) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        count = int(session.execute(select(func.count()).select_from(Hazard)).scalar_one())
    engine.dispose()
    return count


def _lines(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_largest_hazard_file_holds_100000_new_hazards_of_the_parks_enterprises_within_10_mb(
        fresh_park: str) -> None:
    engine = make_engine(fresh_park)
    with Session(engine) as session:
        made = make_bench_file(session, "hazard", MAX_ROWS)
        usccs = set(session.execute(select(col(Enterprise.uscc))).scalars())
    engine.dispose()
    assert made.rows == MAX_ROWS
    assert MAX_BYTES - 1000 < len(made.data) <= MAX_BYTES  # as large as the import takes
    header, *rows = _lines(made.data)
    assert tuple(header) == HAZARD_COLUMNS  # no id: every row is a new record
    assert len(rows) == MAX_ROWS
    assert {row[0] for row in rows} <= usccs
    assert {row[header.index("severity")] for row in rows} == {"general"}


def test_a_table_whose_records_are_long_gets_as_many_rows_as_fit_in_10_mb(fresh_park: str) -> None:
    engine = make_engine(fresh_park)
    with Session(engine) as session:
        made = make_bench_file(session, "accident", MAX_ROWS)
    engine.dispose()
    header, *rows = _lines(made.data)
    longest = max(len(",".join(row).encode()) for row in rows) + 2
    assert made.rows == len(rows) < MAX_ROWS
    assert MAX_BYTES - longest < len(made.data) <= MAX_BYTES
    assert "id" not in header and "uscc" in header


def test_the_import_benchmark_needs_a_sqlite_file() -> None:
    result = run("bench", "--import", "--database-url", "postgresql://nobody@127.0.0.1:1/none")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "copies its database for every run, so it needs a SQLite file" in result.output.strip().splitlines()[-1]


def test_more_rows_than_the_import_takes_are_refused() -> None:
    result = run("bench", "--import", "--rows", str(MAX_ROWS + 1))
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].endswith("the import takes at most 100,000 rows")


@pytest.mark.slow  # it serves the dashboard and imports the file twice
def test_bench_import_times_the_preview_the_import_and_the_pages_and_saves_during_it(fresh_park: str) -> None:
    if not fresh_park.startswith("sqlite"):
        pytest.skip("the benchmark copies a SQLite file (on PostgreSQL it says so, above)")
    before = _hazards(fresh_park)
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "bench", "--import", "--rows", "300", "--runs", "1", "--format", "json",
         "--database-url", fresh_park],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert (figures["table"], figures["rows"], figures["runs"]) == ("hazard", 300, 1)
    assert 0 < figures["bytes"] <= MAX_BYTES
    assert figures["preview"]["seconds"] > 0 and figures["preview"]["target_seconds"] == 10
    assert figures["preview_command"]["command"] == "park-safety import hazard FILE --dry-run"
    assert figures["preview_command"]["seconds"] > 0
    for imported in (figures["import"], figures["import_during_pages"]):
        assert imported["created"] == 300
        assert len(imported["runs"]) == 1
        # the write transaction was seen: how long it waited for the write lock and held it
        assert imported["lock_wait_seconds"] is not None and imported["lock_seconds"] is not None
    pages = {page["page"]: page for page in figures["pages"]}
    assert tuple(pages) == PAGES
    for page in pages.values():
        assert page["alone"]["count"] == ALONE_ROUNDS and page["alone"]["median_ms"] > 0
        assert {"median_slower_ms", "max_slower_ms", "target_met"} <= set(page)
    assert pages["overview"]["during_import"]["count"] >= 1  # the first round begins as the import is handed over
    assert figures["saves"]["alone"]["count"] > 0 and figures["saves"]["refused"] == 0
    assert set(figures["targets_met"]) == {"preview", "pages", "saves"}
    assert set(figures["load_average"]) == {"before", "after"}
    assert _hazards(fresh_park) == before  # it imported into copies only

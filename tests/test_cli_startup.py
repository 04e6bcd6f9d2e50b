"""The command line starts fast: ``park-safety --help`` loads click and nothing of the database, and
``scorecards`` and ``loans`` load none of the dashboard's own libraries (Streamlit, altair, pydeck, WeasyPrint;
in JSON not pandas or openpyxl either), each of which would add its import time to every run. Checked in a
fresh interpreter, so a test run's earlier imports cannot hide one."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from dashboard.db import make_engine, upgrade
from seed import seed_demo_park

PAGE_LIBRARIES = frozenset({"streamlit", "altair", "pydeck", "weasyprint", "vl_convert"})
TABLE_LIBRARIES = frozenset({"pandas", "numpy", "pyarrow", "openpyxl"})  # CSV output loads these (services/tabular.py)
DASHBOARD_LIBRARIES = PAGE_LIBRARIES | TABLE_LIBRARIES
DATABASE_LIBRARIES = frozenset({"sqlalchemy", "sqlmodel", "alembic", "pydantic", "pydantic_settings", "models"})
AS_OF = date(2026, 6, 30)

RUN = """
import sys
from pathlib import Path
code = 0
try:
    from dashboard.cli import main
    if len(sys.argv) > 2:
        main(sys.argv[2:])
except SystemExit as exit:
    code = exit.code or 0
Path(sys.argv[1]).write_text(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
sys.exit(code)
"""


def packages_loaded(tmp_path: Path, *arguments: str) -> set[str]:
    """The top-level packages a fresh interpreter has loaded after ``park-safety ARGUMENTS`` (after importing the
    command line alone when there are none)."""
    listing = tmp_path / "modules.txt"
    child = subprocess.run([sys.executable, "-c", RUN, str(listing), *arguments], capture_output=True, text=True,
                           timeout=300, check=False)
    assert child.returncode == 0, child.stderr
    return set(listing.read_text().split())


@pytest.fixture(scope="module")
def small_park_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Twenty enterprises on SQLite (what a command imports does not depend on the backend)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('startup') / 'park.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    seed_demo_park(engine, enterprises=20, as_of=AS_OF)
    engine.dispose()
    return url


def test_importing_the_command_line_loads_neither_the_database_nor_the_dashboard(tmp_path: Path) -> None:
    loaded = packages_loaded(tmp_path)
    assert "click" in loaded
    assert not loaded & (DASHBOARD_LIBRARIES | DATABASE_LIBRARIES)


def test_help_loads_neither_the_database_nor_the_dashboard(tmp_path: Path) -> None:
    loaded = packages_loaded(tmp_path, "--help")
    assert not loaded & (DASHBOARD_LIBRARIES | DATABASE_LIBRARIES)


@pytest.mark.parametrize("command", ["scorecards", "loans"])
@pytest.mark.parametrize(("output_format", "unused"), [pytest.param("json", DASHBOARD_LIBRARIES, id="json"),
                                                       pytest.param("csv", PAGE_LIBRARIES, id="csv")])
def test_scorecards_and_loans_load_none_of_the_libraries_their_format_does_not_use(
    small_park_url: str, tmp_path: Path, command: str, output_format: str, unused: frozenset[str]
) -> None:
    """JSON loads none of the dashboard's libraries; CSV (pandas, for the table) none of the pages' libraries."""
    loaded = packages_loaded(tmp_path, command, "--format", output_format, "--as-of", AS_OF.isoformat(),
                             "--database-url", small_park_url)
    assert "sqlalchemy" in loaded  # the command ran
    assert not loaded & unused

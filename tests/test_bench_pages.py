"""``park-safety bench --pages`` serves the dashboard, opens every page as a browser would and reports
each page's figures; a page that fails makes the command fail. (The figures themselves are the
command's business; this test only checks that it measures every page and says so.) A cold run comes
right after a write: the benchmark moves the data revision once before each (no client can empty the
server's caches)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlmodel import Session

from dashboard.db import make_engine
from dashboard.navigation import PAGES
from dashboard.services.revision import current_revision


def _revision(url: str) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        revision = current_revision(session)
    engine.dispose()
    return revision


@pytest.mark.slow  # it serves the dashboard and loads every page
def test_bench_pages_measures_every_page_of_the_served_dashboard(fresh_park: str) -> None:
    before = _revision(fresh_park)
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "bench", "--pages", "--runs", "1", "--format", "json",
         "--database-url", fresh_park],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    names = [page["page"] for page in figures["pages"]]
    assert names[:4] == [spec.url_path for spec in PAGES[:4]]
    assert names[4].startswith("scorecards?enterprise=")
    assert names[5:] == [spec.url_path for spec in PAGES[4:]]
    for page in figures["pages"]:
        assert page["cold_ms"] > 0 and page["warm_ms"] > 0
        assert page["bytes"] > 5_000  # the page's elements reached the client
    assert figures["peak_rss_mb"] > 50
    assert figures["enterprises"] == 120
    # every cold run came after the revision moved, as after a write (one run of each page here)
    assert _revision(fresh_park) - before == len(figures["pages"])


"""``park-safety bench --briefing``: how long the committee waits for its briefing.

Each document (PDF and XLSX, in Chinese and in English) is made by ``park-safety briefing`` in a fresh
process, as a user runs it, and timed from the start of the process to the file on disk: the
interpreter's start, the imports, the database reads, the charts and the layout. The figure is the
median of ``runs``; the target is 10 seconds each for the demo park.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

TARGET_SECONDS = 10.0
LANGUAGES = ("zh", "en")
FORMATS = ("pdf", "xlsx")


class BriefingBenchError(RuntimeError):
    """A briefing could not be made; the message is the command's own last line."""


@dataclass(frozen=True)
class BriefingTiming:
    language: str
    fmt: str
    seconds: float  # the median wall time of the runs
    bytes: int
    pages: int | None  # PDF pages

    @property
    def target_met(self) -> bool:
        return self.seconds <= TARGET_SECONDS

    def as_json(self) -> dict[str, object]:
        return {"language": self.language, "format": self.fmt, "seconds": round(self.seconds, 2),
                "bytes": self.bytes, "pages": self.pages, "target_met": self.target_met}


def _pdf_pages(path: Path) -> int | None:
    try:
        from pypdf import PdfReader
    except ImportError:  # only the test extra installs it; the figure is then left out
        return None
    return len(PdfReader(str(path)).pages)


def time_briefings(database_url: str, month: date, runs: int) -> list[BriefingTiming]:
    """Every document of ``month``, each made ``runs`` times by the command in a fresh process."""
    timings = []
    with tempfile.TemporaryDirectory(prefix="park-safety-briefing-") as folder:
        for language in LANGUAGES:
            for fmt in FORMATS:
                out = Path(folder) / f"briefing-{language}.{fmt}"
                seconds = []
                for _ in range(runs):
                    started = time.perf_counter()
                    child = subprocess.run(
                        [sys.executable, "-m", "dashboard.cli", "briefing", "--month", f"{month:%Y-%m}",
                         "--language", language, "--out", str(out), "--database-url", database_url],
                        capture_output=True, text=True, check=False)
                    seconds.append(time.perf_counter() - started)
                    if child.returncode != 0:
                        lines = [line for line in (child.stderr + child.stdout).splitlines() if line.strip()]
                        raise BriefingBenchError(lines[-1] if lines else "park-safety briefing failed")
                timings.append(BriefingTiming(language, fmt, statistics.median(seconds), out.stat().st_size,
                                              _pdf_pages(out) if fmt == "pdf" else None))
    return timings

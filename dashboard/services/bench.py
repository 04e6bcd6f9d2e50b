"""The performance benchmark (``park-safety bench``): the all-enterprise pass against a floor.

The floor is the cheapest query that touches every hazard once — one grouped scan of the
hazard table. The full pass is everything the dashboard does for every enterprise at an
as-of date: the facts (a handful of grouped queries) and, in Python, every scorecard, risk
colour and loan assessment (:func:`dashboard.services.evaluation.evaluate_all`). Both run in
the same process, on the same connection, alternately; each first runs once untimed so both
start from a warm cache; the figures are medians.

At county scale (20,000 enterprises, 1,000,000 hazards) on SQLite the targets are a full
pass within 1.5 s and within 2.5 × the floor, and a peak memory within 1 GB.

Beside the pass, :func:`time_commands` times ``park-safety scorecards --format json``, ``park-safety
loans --format json`` and ``park-safety --help`` as a user runs them: each in a fresh process, from its
start to its end (the interpreter, the imports, the database, the output). Targets at county scale:
3 s for each of the two commands, 1 s for ``--help``.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, func, select, text
from sqlmodel import Session

from dashboard.services.evaluation import evaluate_all
from dashboard.settings import RuleSettings
from models import Enterprise, Hazard

FLOOR_QUERY = (
    "SELECT enterprise_id, count(*), max(found_on), max(deadline), max(rectified_on), max(verified_on), "
    "max(severity), max(status) FROM hazard GROUP BY enterprise_id"
)

COUNTY_ENTERPRISES = 20_000
COUNTY_HAZARDS = 1_000_000
COUNTY_SEED = 2026
BENCH_FILENAME = "bench-county.sqlite3"

TARGET_FULL_PASS_MS = 1500.0
TARGET_RATIO = 2.5
TARGET_PEAK_RSS_MB = 1024.0
TARGET_COMMAND_S = 3.0
TARGET_HELP_S = 1.0

# (the command as typed after park-safety, its arguments, its target in seconds)
COMMANDS: tuple[tuple[str, tuple[str, ...], float], ...] = (
    ("scorecards --format json", ("scorecards", "--format", "json"), TARGET_COMMAND_S),
    ("loans --format json", ("loans", "--format", "json"), TARGET_COMMAND_S),
    ("--help", ("--help",), TARGET_HELP_S),
)


class CommandBenchError(RuntimeError):
    """A timed command failed; the message is its own last line."""


@dataclass(frozen=True)
class BenchResult:
    floor_query_ms: float
    full_pass_ms: float
    ratio: float
    peak_rss_mb: float
    enterprises: int
    hazards: int
    runs: int
    as_of: str
    backend: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def targets_met(self) -> dict[str, bool]:
        return {
            "full_pass_ms": self.full_pass_ms <= TARGET_FULL_PASS_MS,
            "ratio": self.ratio <= TARGET_RATIO,
            "peak_rss_mb": self.peak_rss_mb <= TARGET_PEAK_RSS_MB,
        }


def peak_rss_mb() -> float:
    """The process's peak resident set size so far, in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KB on Linux


def run_bench(engine: Engine, as_of: date, rules: RuleSettings, runs: int = 5) -> BenchResult:
    """Time the floor query and the full pass ``runs`` times each, alternately, after one untimed run of each."""
    floor_s: list[float] = []
    full_s: list[float] = []
    with Session(engine) as session:
        enterprises = int(session.execute(select(func.count()).select_from(Enterprise)).scalar_one())
        hazards = int(session.execute(select(func.count()).select_from(Hazard)).scalar_one())
        session.execute(text(FLOOR_QUERY)).fetchall()
        evaluate_all(session, as_of, rules)
        for _ in range(runs):
            started = time.perf_counter()
            session.execute(text(FLOOR_QUERY)).fetchall()
            floor_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            evaluate_all(session, as_of, rules)
            full_s.append(time.perf_counter() - started)
    floor_ms = statistics.median(floor_s) * 1000
    full_ms = statistics.median(full_s) * 1000
    return BenchResult(
        floor_query_ms=round(floor_ms, 2),
        full_pass_ms=round(full_ms, 2),
        ratio=round(full_ms / floor_ms, 2) if floor_ms > 0 else 0.0,
        peak_rss_mb=round(peak_rss_mb(), 1),
        enterprises=enterprises,
        hazards=hazards,
        runs=runs,
        as_of=as_of.isoformat(),
        backend=engine.dialect.name,
    )


@dataclass(frozen=True)
class CommandTiming:
    """One command run as a user runs it, ``runs`` times, each in a fresh process."""

    command: str  # as typed after park-safety
    seconds: float  # the median wall time, from the process's start to its end
    best_seconds: float
    target_seconds: float

    @property
    def target_met(self) -> bool:
        return self.seconds <= self.target_seconds

    def as_json(self) -> dict[str, Any]:
        return {"command": self.command, "seconds": round(self.seconds, 2), "best_seconds": round(self.best_seconds, 2),
                "target_seconds": self.target_seconds, "target_met": self.target_met}


def time_commands(database_url: str, as_of: date, runs: int = 5) -> list[CommandTiming]:
    """:data:`COMMANDS` on ``database_url`` at ``as_of``, each ``runs`` times in a fresh process, output discarded.

    The URL goes to the children in ``PARK_SAFETY_DATABASE_URL``, not on their command line: it may hold a
    password.
    """
    env = dict(os.environ, PARK_SAFETY_DATABASE_URL=database_url)
    timings = []
    for name, arguments, target in COMMANDS:
        dated = ("--as-of", as_of.isoformat()) if arguments[0] in ("scorecards", "loans") else ()
        command = [sys.executable, "-m", "dashboard.cli", *arguments, *dated]
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            child = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                   check=False)
            seconds.append(time.perf_counter() - started)
            if child.returncode != 0:
                lines = [line for line in child.stderr.splitlines() if line.strip()]
                raise CommandBenchError(f"park-safety {name}: {lines[-1] if lines else 'failed'}")
        timings.append(CommandTiming(name, statistics.median(seconds), min(seconds), target))
    return timings

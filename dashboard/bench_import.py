"""``park-safety bench --import``: what the largest file the import takes costs the one importing it and everyone else.

The file is the largest the import allows: :data:`~dashboard.services.tabular.MAX_ROWS` data rows within
:data:`~dashboard.services.tabular.MAX_BYTES` (fewer rows of a table whose records are too long for that), a CSV
of new records of the demo park's enterprises, valid, so that the import goes through: for hazards, the park's
hazards each as a new open general hazard with only the columns such a hazard needs (a hazard as exported takes
about 210 bytes, so 100,000 of them would be 21 MB); for another record table, its export without the ids. Of
these the shortest are taken, as many as keep the file within the limit, cycled in their order. Then, on copies of
the database (each import adds its rows, so every run starts from the same park):

- **preview**: the check of the file, made by the function the Records page hands a large file to
  (``views/imports._preview``) in a worker process of its own, as the page's server does; and
  ``park-safety import TABLE FILE --dry-run`` as a whole process;
- **import**: the same for the write (``views/imports._import``): the check, then the write transaction, timed
  inside the worker from its ``BEGIN IMMEDIATE`` to its commit (how long SQLite's write lock is held) and how
  long it waited for that lock;
- **pages**: a served dashboard (:mod:`dashboard.bench_pages`), the overview, scorecards and records pages opened
  by the demo administrator in rounds: first alone (:data:`ALONE_ROUNDS` rounds, the first right after a write,
  every cached read worked out again as after the import's own write, the rest warm), then while the import of
  the file runs in the worker process, round after round until it ends. The figures are the median and the
  longest of each;
- **saves**: all the while, in a thread, a sign-in's write transaction every :data:`SAVE_EVERY_S` (the password
  checked once beforehand, as the sign-in form checks it before its transaction): how long each took from asking
  for the write lock to its commit — its wait behind the import's write — and how many were refused.

Targets on a 2-core machine with SQLite: a preview within 10 s; during the import each page's median and longest
within 1 s of the same figure alone; no save refused.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import accumulate
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlmodel import Session, col

from dashboard.services.permissions import Actor

TARGET_PREVIEW_S = 10.0
TARGET_PAGE_SLOWER_MS = 1000.0
BENCH_FILENAME = "bench-import.sqlite3"
PAGES = ("overview", "scorecards", "records")
ALONE_ROUNDS = 20  # per run: the first right after a write, the rest warm
SAVE_EVERY_S = 0.1
HAZARD_COLUMNS = ("uscc", "found_on", "category", "severity", "description", "responsible_person", "deadline")
"""A new open general hazard's columns: what it needs (status is open unless given)."""


class ImportBenchError(RuntimeError):
    """The benchmark could not run: the file was refused, the server did not start, a page or a sign-in failed."""


# --- the file -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchFile:
    table: str
    filename: str
    data: bytes
    rows: int
    records: int  # the park's records the rows were made from (cycled)


def _lean_hazards(columns: Sequence[str], rows: Iterator[list[Any]]) -> tuple[list[str], list[list[Any]]]:
    """Each exported hazard as a new open general hazard: :data:`HAZARD_COLUMNS` only, severity general."""
    at = {column: columns.index(column) for column in HAZARD_COLUMNS}
    lean = [[row[at[column]] for column in HAZARD_COLUMNS] for row in rows]
    severity = HAZARD_COLUMNS.index("severity")
    for row in lean:
        row[severity] = "general"
    return list(HAZARD_COLUMNS), lean


def make_bench_file(session: Session, table: str, rows: int) -> BenchFile:
    """A CSV of ``rows`` new records of ``table`` (a child table) made from the park's own, as large as the limits
    allow: the shortest of the park's records (as CSV lines), in their order, cycled, so that the file stays
    within :data:`~dashboard.services.tabular.MAX_BYTES` (fewer rows if even the shortest record would not)."""
    from dashboard.services.exports import export_rows
    from dashboard.services.tabular import MAX_BYTES, write_csv

    exported_columns, exported = export_rows(session, table)
    if table == "hazard":
        columns, records = _lean_hazards(exported_columns, exported)
    else:
        keep = [position for position, column in enumerate(exported_columns) if column != "id"]
        columns = [exported_columns[position] for position in keep]
        records = [[row[position] for position in keep] for row in exported]
    if not records:
        raise ImportBenchError(f"the park has no {table} records to make the file from")
    empty = len(write_csv(columns, []))
    sizes = [len(write_csv(columns, [record])) - empty for record in records]
    rows = min(rows, (MAX_BYTES - empty) // min(sizes))  # a table whose records are long: the most that fit
    budget = (MAX_BYTES - empty) / rows
    count = max(1, sum(1 for number, running in enumerate(accumulate(sorted(sizes)), start=1)
                       if running <= budget * number))  # the most of the shortest whose average fits
    by_size = sorted(range(len(sizes)), key=lambda position: (sizes[position], position))
    while count > 1 and _file_bytes(sizes, sorted(by_size[:count]), rows) + empty > MAX_BYTES:
        count -= 1
    chosen = sorted(by_size[:count])  # in the park's order
    data = write_csv(columns, (records[chosen[n % count]] for n in range(rows)))
    assert len(data) <= MAX_BYTES, (len(data), rows, count)
    return BenchFile(table=table, filename=f"bench-{table}-{rows}.csv", data=data, rows=rows, records=count)


def _file_bytes(sizes: Sequence[int], chosen: Sequence[int], rows: int) -> int:
    """The bytes of ``rows`` lines made by cycling through the records at ``chosen`` (of ``sizes`` bytes each)."""
    cycles, rest = divmod(rows, len(chosen))
    return cycles * sum(sizes[position] for position in chosen) + sum(sizes[position] for position in chosen[:rest])


# --- the worker process: the page's own functions, timed -----------------------------------------------------


def _ready() -> None:
    """Load in the worker what its jobs use, as a server's worker has after its first job."""
    import logging

    import streamlit  # noqa: F401  (its logging first, then quieted: the views' caches have no runtime here)

    logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)
    import dashboard.views.imports  # noqa: F401


def _previewed(url: str, actor: Actor, table: str, filename: str, data: bytes) -> dict[str, Any]:
    """``views/imports._preview`` timed in the worker: seconds, and what the preview says."""
    from dashboard.views.imports import _preview

    started = time.perf_counter()
    report = _preview(url, actor, table, filename, data)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": report.rows, "created": report.created,
            "problems": report.problem_lines("en")[:3]}


def _imported(url: str, actor: Actor, table: str, filename: str, data: bytes, token: str) -> dict[str, Any]:
    """``views/imports._import`` timed in the worker: in all; until its write transaction asked for the write lock
    (``check_seconds``: the file read and checked, and the new rows and their audit rows made ready); how long it
    waited for the lock, and how long it held it (from ``BEGIN IMMEDIATE`` to the end of the commit)."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session as OrmSession

    from dashboard.db import WRITE_OPTION, get_engine
    from dashboard.views.imports import _import

    engine = get_engine(url)
    marks: dict[str, float] = {}

    def asking(connection: Any) -> None:
        if connection.get_execution_options().get(WRITE_OPTION):
            marks.setdefault("asked", time.perf_counter())

    def locked(connection: Any) -> None:
        if connection.get_execution_options().get(WRITE_OPTION):
            marks.setdefault("locked", time.perf_counter())

    def ended(_session: Any) -> None:
        if "locked" in marks:
            marks.setdefault("ended", time.perf_counter())

    event.listen(engine, "begin", asking, insert=True)  # before the engine's own listener sends BEGIN IMMEDIATE
    event.listen(engine, "begin", locked)  # after it: the lock is held
    event.listen(OrmSession, "after_commit", ended)
    event.listen(OrmSession, "after_rollback", ended)
    started = time.perf_counter()
    try:
        report = _import(url, actor, table, filename, data, token)
        finished = time.perf_counter()
    finally:
        event.remove(engine, "begin", asking)
        event.remove(engine, "begin", locked)
        event.remove(OrmSession, "after_commit", ended)
        event.remove(OrmSession, "after_rollback", ended)
        get_engine.cache_clear()
        engine.dispose()
    asked, held, ended_at = marks.get("asked"), marks.get("locked"), marks.get("ended")
    return {"seconds": finished - started, "check_seconds": (asked or finished) - started,
            "lock_wait_seconds": held - asked if held and asked else None,
            "lock_seconds": ended_at - held if held and ended_at else None,
            "written": report.written, "created": report.created, "problems": report.problem_lines("en")[:3]}


@contextmanager
def worker() -> Iterator[ProcessPoolExecutor]:
    """One worker process as the server starts its own ("spawn", ending with its parent), ready to work."""
    from dashboard.worker_lifetime import end_with_parent

    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"), initializer=end_with_parent) as pool:
        pool.submit(_ready).result(timeout=300)
        yield pool


# --- the databases ----------------------------------------------------------------------------------------------


def sqlite_path(url: str) -> Path:
    """The file of a SQLite URL; ImportBenchError for another database (the benchmark copies the file)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        raise ImportBenchError("the import benchmark copies its database for every run, so it needs a SQLite "
                               f"file, not {parsed.render_as_string(hide_password=True)}")
    return Path(parsed.database)


def copy_database(source: Path, target: Path) -> str:
    """A consistent copy of the SQLite file ``source`` at ``target`` (SQLite's online backup); its URL."""
    with sqlite3.connect(source) as reading, sqlite3.connect(target) as writing_to:
        reading.backup(writing_to)
    reading.close()
    writing_to.close()
    return f"sqlite:///{target}"


# --- timing ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    """Times in ms of one thing done several times: their median, the longest, and how many."""

    median_ms: float | None
    max_ms: float | None
    count: int

    @classmethod
    def of(cls, samples: Sequence[float]) -> Spread:
        if not samples:
            return cls(None, None, 0)
        return cls(statistics.median(samples), max(samples), len(samples))

    def as_json(self) -> dict[str, Any]:
        return {"median_ms": _rounded(self.median_ms), "max_ms": _rounded(self.max_ms), "count": self.count}


def _rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _difference(during: float | None, alone: float | None) -> float | None:
    return None if during is None or alone is None else during - alone


@dataclass(frozen=True)
class PageFigures:
    page: str
    alone: Spread
    during: Spread

    @property
    def median_slower_ms(self) -> float | None:
        return _difference(self.during.median_ms, self.alone.median_ms)

    @property
    def max_slower_ms(self) -> float | None:
        return _difference(self.during.max_ms, self.alone.max_ms)

    @property
    def target_met(self) -> bool:
        return all(slower is None or slower <= TARGET_PAGE_SLOWER_MS
                   for slower in (self.median_slower_ms, self.max_slower_ms))

    def as_json(self) -> dict[str, Any]:
        return {"page": self.page, "alone": self.alone.as_json(), "during_import": self.during.as_json(),
                "median_slower_ms": _rounded(self.median_slower_ms), "max_slower_ms": _rounded(self.max_slower_ms),
                "target_met": self.target_met}


@dataclass(frozen=True)
class ImportTiming:
    seconds: float
    check_seconds: float
    lock_wait_seconds: float | None
    lock_seconds: float | None
    created: int

    def as_json(self) -> dict[str, Any]:
        return {"seconds": round(self.seconds, 2), "check_seconds": round(self.check_seconds, 2),
                "lock_wait_seconds": _rounded(self.lock_wait_seconds, 3),
                "lock_seconds": _rounded(self.lock_seconds, 2), "created": self.created}


@dataclass
class ImportBenchResult:
    database: str
    table: str
    rows: int
    bytes: int
    records: int
    runs: int
    preview_seconds: list[float] = field(default_factory=list)
    preview_command_seconds: list[float] = field(default_factory=list)
    imports_alone: list[ImportTiming] = field(default_factory=list)
    imports_during_pages: list[ImportTiming] = field(default_factory=list)
    pages: list[PageFigures] = field(default_factory=list)
    saves_alone: Spread = field(default_factory=lambda: Spread.of([]))
    saves_during: Spread = field(default_factory=lambda: Spread.of([]))
    saves_refused: int = 0
    load_average_before: tuple[float, float, float] | None = None
    load_average_after: tuple[float, float, float] | None = None

    @property
    def preview_s(self) -> float:
        return statistics.median(self.preview_seconds)

    @property
    def targets_met(self) -> dict[str, bool]:
        return {"preview": self.preview_s <= TARGET_PREVIEW_S,
                "pages": all(page.target_met for page in self.pages),
                "saves": self.saves_refused == 0}

    def as_json(self) -> dict[str, Any]:
        def timings(found: list[ImportTiming]) -> dict[str, Any]:
            return {"seconds": _median(t.seconds for t in found),
                    "check_seconds": _median(t.check_seconds for t in found),
                    "lock_wait_seconds": _median(t.lock_wait_seconds for t in found),
                    "lock_seconds": _median(t.lock_seconds for t in found),
                    "max_lock_seconds": _rounded(max((t.lock_seconds or 0.0 for t in found), default=None), 2),
                    "created": found[0].created if found else 0, "runs": [t.as_json() for t in found]}

        return {
            "database": self.database, "table": self.table, "rows": self.rows, "bytes": self.bytes,
            "records": self.records, "runs": self.runs,
            "preview": {"seconds": round(self.preview_s, 2), "max_seconds": round(max(self.preview_seconds), 2),
                        "target_seconds": TARGET_PREVIEW_S, "target_met": self.targets_met["preview"]},
            "preview_command": {"command": f"park-safety import {self.table} FILE --dry-run",
                                "seconds": _median(self.preview_command_seconds),
                                "best_seconds": _rounded(min(self.preview_command_seconds, default=0.0), 2)},
            "import": timings(self.imports_alone),
            "import_during_pages": timings(self.imports_during_pages),
            "pages": [page.as_json() for page in self.pages],
            "saves": {"alone": self.saves_alone.as_json(), "during_import": self.saves_during.as_json(),
                      "refused": self.saves_refused, "every_seconds": SAVE_EVERY_S},
            "load_average": {"before": _loads(self.load_average_before), "after": _loads(self.load_average_after)},
            "target_page_slower_ms": TARGET_PAGE_SLOWER_MS,
            "targets_met": self.targets_met,
        }


def _loads(load: tuple[float, float, float] | None) -> list[float] | None:
    return None if load is None else [round(value, 2) for value in load]


def _median(values: Any) -> float | None:
    present = [value for value in values if value is not None]
    return round(statistics.median(present), 2) if present else None


def _timing(found: dict[str, Any], what: str) -> ImportTiming:
    if found["problems"] or not found["written"]:
        raise ImportBenchError(f"the {what} wrote nothing: {'; '.join(found['problems']) or 'the records changed'}")
    return ImportTiming(found["seconds"], found["check_seconds"], found["lock_wait_seconds"], found["lock_seconds"],
                        found["created"])


def time_preview_command(url: str, table: str, path: Path, runs: int) -> list[float]:
    """``park-safety import TABLE FILE --dry-run`` in a fresh process ``runs`` times: the seconds of each."""
    env = dict(os.environ, PARK_SAFETY_DATABASE_URL=url)
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        child = subprocess.run([sys.executable, "-m", "dashboard.cli", "import", table, str(path), "--dry-run"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
        seconds.append(time.perf_counter() - started)
        if child.returncode != 0:
            lines = [line for line in child.stderr.splitlines() if line.strip()]
            raise ImportBenchError(f"park-safety import --dry-run: {lines[-1] if lines else 'failed'}")
    return seconds


class _Saves:
    """A save every :data:`SAVE_EVERY_S` while the pages are timed, in a thread: a sign-in's write transaction,
    as the sign-in form makes it once the password is checked (checked here once, beforehand, as the form checks
    it before the transaction begins). Each is timed from asking for the write lock to the commit: at once when
    no one holds the lock, else the wait for it. ``phase`` ("alone" or "during") says which figures a save goes to;
    none are made while it is None."""

    def __init__(self, engine: Engine) -> None:
        from dashboard.bench_pages import BENCH_PASSWORD, BENCH_USER
        from dashboard.services.sign_in import check_password

        self.engine = engine
        self.phase: str | None = None
        self.times: dict[str, list[float]] = {"alone": [], "during": []}
        self.refused = 0
        with Session(engine) as reading:
            self._checked = check_password(session=reading, username=BENCH_USER, password=BENCH_PASSWORD)
        self._stop = threading.Event()
        self._failed: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="bench-saves", daemon=True)

    def __enter__(self) -> _Saves:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        if self._failed is not None:
            raise ImportBenchError(f"a save failed: {self._failed}")

    def _run(self) -> None:
        from sqlalchemy.exc import OperationalError

        from dashboard.bench_pages import BENCH_PASSWORD, BENCH_USER
        from dashboard.db import writing
        from dashboard.services.sign_in import sign_in

        while not self._stop.wait(SAVE_EVERY_S):
            phase = self.phase
            if phase is None:
                continue
            started = time.perf_counter()
            try:
                with Session(writing(self.engine)) as session:
                    sign_in(session=session, username=BENCH_USER, password=BENCH_PASSWORD, checked=self._checked)
                    session.commit()
            except OperationalError:  # "database is locked": the busy timeout ran out
                self.refused += 1
                continue
            except Exception as error:  # the benchmark's own fault: said when the saves stop
                self._failed = error
                return
            self.times[phase].append((time.perf_counter() - started) * 1000)


def _round(client: Any, pages: Sequence[tuple[str, str]], times: dict[str, list[float]],
           during: Future[Any] | None = None) -> bool:
    """Open each page once; ``during`` a job, only while it runs (looked at before each page but the first):
    False if it ended before the round did."""
    for number, (name, asked) in enumerate(pages):
        if number and during is not None and during.done():
            return False
        run = client.open(asked)
        if run.exceptions:
            raise ImportBenchError(f"{name} failed: {run.exceptions[0]}")
        times[name].append(run.elapsed_ms)
    return True


def run_import_bench(base_url: str, table: str, rows: int, runs: int, language: str = "zh",
                     progress: Callable[[str], None] | None = None) -> ImportBenchResult:
    """Make the file from the park in ``base_url`` (a SQLite file, never written) and time its preview, its
    import, and three pages and a sign-in alone and during the import, ``runs`` times each."""
    from sqlalchemy import select

    from dashboard.bench_evidence import load_average
    from dashboard.bench_pages import (
        BENCH_USER,
        PageClient,
        _bench_pages,
        demo_admin_token,
        move_revision,
        served,
    )
    from dashboard.db import make_engine
    from models import AppUser

    say = progress or (lambda _line: None)
    base = sqlite_path(base_url)
    before = load_average()
    base_engine = make_engine(base_url)
    try:
        with Session(base_engine) as session:
            bench_file = make_bench_file(session, table, rows)
            user = session.execute(select(AppUser).where(col(AppUser.username) == BENCH_USER)).scalars().first()
            if user is None:
                raise ImportBenchError(f"the benchmark acts as the demo administrator {BENCH_USER!r}; the database "
                                       "has no such account")
            admin = Actor(user.username, user.role)  # who asks for the preview, as the page passes it
        pages = [page for page in _bench_pages(base_engine) if page[0] in PAGES]
    finally:
        base_engine.dispose()
    result = ImportBenchResult(database=make_url(base_url).render_as_string(hide_password=True), table=table,
                               rows=bench_file.rows, bytes=len(bench_file.data), records=bench_file.records, runs=runs)
    say(f"  the file: {bench_file.rows:,} rows of {table}, {len(bench_file.data):,} bytes, made from "
        f"{bench_file.records:,} of the park's {table} records")
    args = (table, bench_file.filename, bench_file.data)
    alone: dict[str, list[float]] = {name: [] for name, _ in pages}
    during: dict[str, list[float]] = {name: [] for name, _ in pages}
    saves: dict[str, list[float]] = {"alone": [], "during": []}
    with tempfile.TemporaryDirectory(prefix="park-safety-bench-import-") as folder, worker() as pool:
        path = Path(folder) / bench_file.filename
        path.write_bytes(bench_file.data)
        for _ in range(runs):
            found = pool.submit(_previewed, base_url, admin, *args).result()
            if found["problems"] or found["created"] != bench_file.rows:
                raise ImportBenchError(f"the preview refused the file: {'; '.join(found['problems'])}")
            result.preview_seconds.append(found["seconds"])
            say(f"  preview (the page's check, in a worker process): {found['seconds']:.2f} s")
        result.preview_command_seconds = time_preview_command(base_url, table, path, runs)
        say("  park-safety import --dry-run, whole process: "
            + ", ".join(f"{seconds:.2f} s" for seconds in result.preview_command_seconds))
        for run in range(runs):
            copy = Path(folder) / f"run-{run}.sqlite3"
            url = copy_database(base, copy)
            engine = make_engine(url)
            try:
                timing = _timing(pool.submit(_imported, url, admin, *args, demo_admin_token(engine)).result(), "import")
            finally:
                engine.dispose()
            result.imports_alone.append(timing)
            say(f"  import alone: {timing.seconds:.2f} s (checked and made ready in {timing.check_seconds:.2f} s, "
                f"write lock held {timing.lock_seconds or 0:.2f} s)")
            _remove_sqlite(copy)
            url = copy_database(base, copy)
            engine = make_engine(url)
            try:
                token = demo_admin_token(engine)
                with served(url) as (server_url, _pid), _Saves(engine) as probe:
                    client = PageClient(server_url, token, language)
                    try:
                        for _name, asked in pages:  # the server's first runs load the libraries
                            client.open(asked)
                        move_revision(engine)  # the first round right after a write
                        probe.phase = "alone"
                        for _ in range(ALONE_ROUNDS):
                            _round(client, pages, alone)
                        probe.phase = "during"
                        job: Future[dict[str, Any]] = pool.submit(_imported, url, admin, *args, token)
                        while _round(client, pages, during, job) and not job.done():
                            pass
                        probe.phase = None
                        result.imports_during_pages.append(_timing(job.result(), "import during the pages"))
                    finally:
                        probe.phase = None
                        client.close()
                for phase, times in probe.times.items():
                    saves[phase] += times
                result.saves_refused += probe.refused
            finally:
                engine.dispose()
            timing = result.imports_during_pages[-1]
            say(f"  import while the pages were opened: {timing.seconds:.2f} s (write lock held "
                f"{timing.lock_seconds or 0:.2f} s)")
            _remove_sqlite(copy)
    result.pages = [PageFigures(name, Spread.of(alone[name]), Spread.of(during[name])) for name, _ in pages]
    result.saves_alone, result.saves_during = Spread.of(saves["alone"]), Spread.of(saves["during"])
    result.load_average_before, result.load_average_after = before, load_average()
    return result


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)



"""The page benchmark (``park-safety bench --pages``): every page, served for real, timed as the browser sees it.

It starts ``park-safety serve`` on the benchmark database in a child process, signs in as the
demo administrator (who sees every page) and speaks Streamlit's own protocol over the
websocket, exactly as a browser tab does: it asks for a page (``rerun_script`` with the page's
URL path and query string) and reads the server's messages until the script has finished.

- **warm**: the page asked for again, nothing changed since: what every click costs once the
  data are loaded;
- **cold**: the page asked for right after a write: the benchmark moves the data revision in the
  database, as every write does, so every cached read (keyed by that revision) is worked out again:
  what anyone pays on the first page after a record changes. (The server ignores Streamlit's
  ``clear_cache`` message from browsers, so no client can empty the caches for everyone.)
- **bytes**: the page's messages over the websocket, uncompressed (the browser may get them
  deflated); the JavaScript bundle is the same for every page and cached by the browser;
- **peak memory**: the peak resident set (``VmHWM``) of the server process and its worker, added up,
  read when all pages are done.

Every figure is the median of ``runs`` runs. Targets on a 2-core machine with SQLite at county scale
(20,000 enterprises, 1,000,000 hazards): warm <= 300 ms, cold <= 3 s, <= 5 MB per page, peak <= 1.5 GB.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlmodel import Session, col

from models import Enterprise, Hazard

TARGET_WARM_MS = 300.0
TARGET_COLD_MS = 3000.0
TARGET_BYTES = 5_000_000
TARGET_PEAK_RSS_MB = 1536.0
BENCH_USER = "admin"
BENCH_PASSWORD = "park-demo"
START_TIMEOUT_S = 180.0
RUN_TIMEOUT_S = 120.0


class PageBenchError(RuntimeError):
    """The benchmark could not run: the server did not start, sign-in failed, or a page failed."""


@dataclass(frozen=True)
class PageTiming:
    page: str  # the URL path and query, as a user would type it after the host
    cold_ms: float
    warm_ms: float
    bytes: int
    cold_runs_ms: list[float] = field(default_factory=list)
    warm_runs_ms: list[float] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"page": self.page, "cold_ms": round(self.cold_ms, 1), "warm_ms": round(self.warm_ms, 1),
                "bytes": self.bytes}

    @property
    def targets_met(self) -> dict[str, bool]:
        return {"cold_ms": self.cold_ms <= TARGET_COLD_MS, "warm_ms": self.warm_ms <= TARGET_WARM_MS,
                "bytes": self.bytes <= TARGET_BYTES}


@dataclass(frozen=True)
class PageBenchResult:
    pages: list[PageTiming]
    peak_rss_mb: float
    backend: str
    enterprises: int
    hazards: int
    runs: int
    as_of: str
    language: str

    def as_json(self) -> dict[str, Any]:
        return {"pages": [page.as_json() for page in self.pages], "peak_rss_mb": round(self.peak_rss_mb, 1),
                "backend": self.backend, "enterprises": self.enterprises, "hazards": self.hazards,
                "runs": self.runs, "as_of": self.as_of, "language": self.language}

    @property
    def all_targets_met(self) -> bool:
        return self.peak_rss_mb <= TARGET_PEAK_RSS_MB and all(all(p.targets_met.values()) for p in self.pages)


@dataclass(frozen=True)
class PageRun:
    elapsed_ms: float
    bytes: int
    exceptions: list[str]


def free_port() -> int:
    """A TCP port free on loopback now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_healthy(url: str, process: subprocess.Popen[Any], timeout_s: float) -> bool:
    """Wait until the server at ``url`` answers ``/_stcore/health``; False if ``process`` exits or time runs out."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            return False
        time.sleep(0.3)


@contextmanager
def served(database_url: str) -> Iterator[tuple[str, int]]:
    """``park-safety serve`` on a free loopback port over ``database_url``: yields (its URL, its pid)."""
    port = free_port()
    env = dict(os.environ, PARK_SAFETY_DATABASE_URL=database_url, PARK_SAFETY_DEMO="false")
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen([sys.executable, "-m", "dashboard.cli", "serve", "--port", str(port)],
                                   env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            if not wait_until_healthy(url, process, START_TIMEOUT_S):
                log.seek(0)
                tail = "\n".join(log.read().splitlines()[-15:])
                raise PageBenchError(f"the dashboard server did not start:\n{tail}")
            yield url, process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _peak_of(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with suppress(OSError):
            found += [int(child) for child in task.read_text().split()]
    return found


def peak_rss_of(pid: int) -> float:
    """The peak resident set size in MB of a running process and every process it started (the dashboard's
    background worker), added up: an upper bound of the server's peak (Linux ``/proc``; 0 where there is none)."""
    total, waiting = 0.0, [pid]
    while waiting:
        current = waiting.pop()
        total += _peak_of(current)
        waiting += _children(current)
    return total


class PageClient:
    """One browser tab's worth of Streamlit protocol: ask for a page, read until its script finishes."""

    def __init__(self, url: str, token: str | None, language: str, origin: str | None = None) -> None:
        """A websocket to the dashboard at ``url``, with the session cookie of ``token`` (none when None) and
        the browser's ``Origin`` (by default the dashboard's own, as a tab the dashboard served sends)."""
        from websockets.sync.client import connect
        from websockets.typing import Subprotocol

        self.url = url
        self.language = language
        self.messages: list[Any] = []  # the ForwardMsgs of the last page asked for
        cookie = f"park_safety_lang={language}" + (f"; park_safety_session={token}" if token else "")
        self._socket = connect(url.replace("http://", "ws://") + "/_stcore/stream",
                               subprotocols=[Subprotocol("streamlit")], compression=None, max_size=None,
                               additional_headers={"Origin": origin or url, "Cookie": cookie}, open_timeout=30)

    def close(self) -> None:
        self._socket.close()

    def send(self, message: Any) -> None:
        """Send one ``BackMsg``."""
        self._socket.send(message.SerializeToString())

    def receive(self, kind: str, timeout_s: float = RUN_TIMEOUT_S) -> Any:
        """Read the server's messages until one of type ``kind`` (a ``ForwardMsg`` field name) arrives; that one."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        while True:
            data = self._socket.recv(timeout=timeout_s)
            assert isinstance(data, bytes)
            forward = ForwardMsg()
            forward.ParseFromString(data)
            if forward.WhichOneof("type") == kind:
                return forward

    def open(self, page: str, choices: Mapping[str, str] | None = None) -> PageRun:
        """Ask for ``page`` (``url_path`` or ``url_path?query``) and wait for its script to finish; ``choices``
        are the values (widget id: the option's text) of the select boxes the user has picked in, which a
        browser sends with every rerun."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        path, _, query = page.partition("?")
        message = BackMsg()
        state = message.rerun_script
        state.page_name = path
        state.query_string = query
        for widget_id, option in (choices or {}).items():
            state.widget_states.widgets.add(id=widget_id, string_value=option)
        state.context_info.timezone = "Asia/Shanghai"
        state.context_info.locale = "zh-CN" if self.language == "zh" else "en-US"
        state.context_info.url = f"{self.url}/{page}"
        started = time.perf_counter()
        self._socket.send(message.SerializeToString())
        received = 0
        exceptions: list[str] = []
        self.messages = []
        while True:
            data = self._socket.recv(timeout=RUN_TIMEOUT_S)
            assert isinstance(data, bytes)
            received += len(data)
            forward = ForwardMsg()
            forward.ParseFromString(data)
            self.messages.append(forward)
            kind = forward.WhichOneof("type")
            if kind == "page_not_found":
                exceptions.append(f"the server has no page {path!r}")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                if element.WhichOneof("type") == "exception":
                    exceptions.append(f"{element.exception.type}: {element.exception.message}")
            if kind == "script_finished" and forward.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                if forward.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    exceptions.append("the page script did not compile")
                return PageRun((time.perf_counter() - started) * 1000, received, exceptions)


def busiest_enterprise(engine: Engine) -> int | None:
    """The enterprise with the most hazards (the lowest id among equals; the first enterprise when there are no
    hazards, None when there are no enterprises): the one-enterprise file the benchmarks open."""
    with Session(engine) as session:
        busiest = session.execute(
            select(col(Hazard.enterprise_id)).group_by(col(Hazard.enterprise_id))
            .order_by(func.count().desc(), col(Hazard.enterprise_id)).limit(1)
        ).scalar()
        if busiest is None:
            busiest = session.execute(select(func.min(col(Enterprise.id)))).scalar()
    return None if busiest is None else int(busiest)


def _bench_pages(engine: Engine) -> list[tuple[str, str]]:
    """Every page of the sidebar, plus the one-enterprise file of the enterprise with the most hazards:
    (its name in the figures, what the browser asks for). The first page is the default one, at ``/``."""
    from dashboard.navigation import PAGES

    busiest = busiest_enterprise(engine)
    pages = [(spec.url_path, "" if index == 0 else spec.url_path) for index, spec in enumerate(PAGES)]
    if busiest is not None:
        file = f"scorecards?enterprise={busiest}"
        pages.insert([name for name, _ in pages].index("scorecards") + 1, (file, file))
    return pages


def move_revision(engine: Engine) -> None:
    """What a write does to every cached read: move the data revision they are keyed by (nothing else changes)."""
    from dashboard.db import writing
    from dashboard.services.revision import bump_revision

    with Session(writing(engine)) as session:
        bump_revision(session)
        session.commit()


def demo_admin_token(engine: Engine) -> str:
    """A session token of the demo administrator, signed in with the demo password."""
    from dashboard.services.sign_in import SignInRefused, sign_in

    with Session(engine) as session:
        try:
            signed_in = sign_in(session=session, username=BENCH_USER, password=BENCH_PASSWORD)
        except SignInRefused as refused:
            raise PageBenchError(f"the benchmark signs in as the demo user {BENCH_USER!r} with the demo "
                                 f"password, and the database refused it ({refused})") from None
        session.commit()
    return signed_in.token


def run_page_bench(engine: Engine, as_of: date, runs: int = 3, language: str = "zh",
                   progress: Any = None) -> PageBenchResult:
    """Serve ``engine``'s database and time every page cold and warm, ``runs`` times each."""
    say = progress or (lambda _line: None)
    url = engine.url.render_as_string(hide_password=False)
    pages = _bench_pages(engine)
    token = demo_admin_token(engine)
    with Session(engine) as session:
        enterprises = int(session.execute(select(func.count()).select_from(Enterprise)).scalar_one())
        hazards = int(session.execute(select(func.count()).select_from(Hazard)).scalar_one())
    timings: list[PageTiming] = []
    with served(url) as (server_url, pid):
        client = PageClient(server_url, token, language)
        try:
            first = client.open(pages[0][1])  # the server's first run imports the libraries: not any page's cost
            if first.exceptions:
                raise PageBenchError(f"{pages[0][0]} failed: {first.exceptions[0]}")
            for page, asked in pages:
                cold: list[PageRun] = []
                warm: list[PageRun] = []
                for _ in range(runs):
                    move_revision(engine)
                    cold.append(client.open(asked))
                    warm.append(client.open(asked))
                for run in cold + warm:
                    if run.exceptions:
                        raise PageBenchError(f"{page} failed: {run.exceptions[0]}")
                timing = PageTiming(
                    page=page,
                    cold_ms=statistics.median(r.elapsed_ms for r in cold),
                    warm_ms=statistics.median(r.elapsed_ms for r in warm),
                    bytes=max(r.bytes for r in cold + warm),
                    cold_runs_ms=[round(r.elapsed_ms, 1) for r in cold],
                    warm_runs_ms=[round(r.elapsed_ms, 1) for r in warm],
                )
                say(f"  {page}: cold {timing.cold_ms:.0f} ms, warm {timing.warm_ms:.0f} ms, {timing.bytes:,} bytes")
                timings.append(timing)
        finally:
            client.close()
        peak = peak_rss_of(pid)
    return PageBenchResult(pages=timings, peak_rss_mb=peak, backend=engine.dialect.name, enterprises=enterprises,
                           hazards=hazards, runs=runs, as_of=as_of.isoformat(), language=language)

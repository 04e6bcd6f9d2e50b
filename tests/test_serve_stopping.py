"""``park-safety serve`` stopped, by any signal, leaves no process behind: its background worker processes end
with it, a job in progress with them (systemd, Docker and supervisors send SIGTERM; Ctrl-C is SIGINT)."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

import pytest
from sqlmodel import Session

from dashboard.bench_pages import PageClient, free_port, wait_until_healthy
from dashboard.db import make_engine
from dashboard.services.sign_in import sign_in
from dashboard.views.background import INLINE_ENTERPRISES, WORKERS

AS_OF = "2026-06-30"


@pytest.fixture(scope="module")
def park_history_in_workers(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite park one enterprise larger than a page evaluates in its own run, so the loan desk's 12-month
    history is computed in the server's worker processes; its URL."""
    url = f"sqlite:///{tmp_path_factory.mktemp('workers') / 'park.sqlite3'}"
    subprocess.run([sys.executable, "-m", "dashboard.cli", "seed", "--enterprises", str(INLINE_ENTERPRISES + 1),
                    "--hazards", "10000", "--as-of", AS_OF, "--database-url", url],
                   check=True, capture_output=True, timeout=600)
    return url


def descendants(pid: int) -> set[int]:
    """Every process ``pid`` started, and theirs (Linux ``/proc``)."""
    found: set[int] = set()
    waiting = [pid]
    while waiting:
        for task in Path(f"/proc/{waiting.pop()}/task").glob("*/children"):
            try:
                children = {int(child) for child in task.read_text().split()}
            except OSError:
                continue
            waiting += children - found
            found |= children
    return found


def still_running(pids: set[int], timeout_s: float) -> set[int]:
    """Those of ``pids`` that have not ended within ``timeout_s`` (waited on with pidfds, no polling; a zombie
    waiting to be reaped has ended)."""
    waiting: dict[int, int] = {}
    for pid in pids:
        try:
            waiting[os.pidfd_open(pid)] = pid
        except ProcessLookupError:
            continue
    deadline = time.monotonic() + timeout_s
    try:
        while waiting:
            ended, _, _ = select.select(list(waiting), [], [], max(0.0, deadline - time.monotonic()))
            if not ended:
                break
            for fd in ended:
                os.close(fd)
                del waiting[fd]
        return set(waiting.values())
    finally:
        for fd in waiting:
            os.close(fd)


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=lambda s: signal.Signals(s).name)
def test_a_server_stopped_during_a_history_computation_leaves_no_process_behind(
    park_history_in_workers: str, tmp_path: Path, stop: int
) -> None:
    """SIGTERM (systemd, Docker, supervisors), SIGINT (Ctrl-C, sent to the server alone here) or SIGKILL while the
    loan desk's history is being computed in the worker processes: the server and every process it started end."""
    engine = make_engine(park_history_in_workers)
    with Session(engine) as session:
        token = sign_in(session=session, username="finance", password="park-demo").token
        session.commit()
    engine.dispose()
    port = free_port()
    env = dict(os.environ, PARK_SAFETY_DATABASE_URL=park_history_in_workers, PARK_SAFETY_DEMO="0")
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "dashboard.cli", "serve", "--port", str(port)],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    started: set[int] = set()
    try:
        url = f"http://127.0.0.1:{port}"
        assert wait_until_healthy(url, process, 120), (tmp_path / "serve.log").read_text()
        client = PageClient(url, token, "zh")  # a tab stays open on the loan desk
        try:
            run = client.open("loans")  # drawn at once, the history handed to the worker processes
            assert not run.exceptions, run.exceptions
            started = descendants(process.pid)
            assert len(started) >= WORKERS, "the history is computed in worker processes"

            process.send_signal(stop)
            process.wait(timeout=30)
        finally:
            client.close()
        left = still_running(started, timeout_s=10)
        assert not left, f"still running after the server ended: {left}\n{(tmp_path / 'serve.log').read_text()}"
    finally:
        for pid in still_running({process.pid, *started}, timeout_s=0):
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=10)
        log.close()

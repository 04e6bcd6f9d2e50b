"""Slow reads done beside the page, not in its run: the page draws at once and the result follows.

Some figures cost many all-enterprise passes (the park's loan status at twelve month-ends is
twelve). At county scale that is many seconds, too long to hold a page for. Such a read runs
once per server and key (the data revision is in the key, so a write starts a fresh one) in a
worker process, so that it neither holds the page nor slows other people's pages (a thread would
share the interpreter's lock with every page being drawn); the page shows that it is being
computed, and a fragment looks again every :data:`POLL_SECONDS` until it is there, then reruns the
page once to draw it. Every session asking for the same key shares the one job. The work is a
module-level function of picklable arguments that opens its own database connection.

The workers end with the server: each exits the moment the server's process has ended, however it ended
(``dashboard/worker_lifetime.py``), and a server that shuts down ends them first (:func:`stop_workers`),
a job in progress with them.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from types import ModuleType
from typing import Any, TypeVar

import streamlit as st

from dashboard.worker_lifetime import end_with_parent

_T = TypeVar("_T")
POLL_SECONDS = 1.0
INLINE_ENTERPRISES = 2_000  # a park this size is evaluated in the page's own run (a few hundred ms a pass)
MAX_JOBS = 16
WORKERS = 2  # one slow job (a park's history) does not hold up another (a page's comparison figures)
_LOGGER = logging.getLogger(__name__)
_LOCK = threading.Lock()
_EXECUTOR: ProcessPoolExecutor | None = None


def _executor() -> ProcessPoolExecutor:
    """The server's worker processes, started on first use (and again if they died).

    "spawn", not "fork": the server has threads. A spawned process runs the parent's ``__main__`` again,
    which under Streamlit is the page script being run; while the worker starts, ``__main__`` is an
    empty module, so the worker imports only what its work needs.
    """
    global _EXECUTOR
    if _EXECUTOR is None or getattr(_EXECUTOR, "_broken", False):
        executor = ProcessPoolExecutor(max_workers=WORKERS, mp_context=get_context("spawn"),
                                       initializer=end_with_parent)
        main = sys.modules["__main__"]
        sys.modules["__main__"] = ModuleType("__main__")
        try:
            for started in [executor.submit(int) for _ in range(WORKERS)]:  # start them now, with the empty __main__
                started.result(timeout=120)
        finally:
            sys.modules["__main__"] = main
        _EXECUTOR = executor
    return _EXECUTOR


def stop_workers() -> None:
    """End the worker processes now, with any job they are running, and forget them (the server is stopping;
    a later job would start new ones). Their jobs' futures end cancelled or failed."""
    global _EXECUTOR
    with _LOCK:
        executor, _EXECUTOR = _EXECUTOR, None
    if executor is None:
        return
    processes = list((getattr(executor, "_processes", None) or {}).values())
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=5)
    # waiting lets the executor close its queues, so the server leaves no semaphore to the resource tracker
    executor.shutdown(wait=True, cancel_futures=True)


@st.cache_resource(show_spinner=False)
def _jobs() -> OrderedDict[Hashable, Future[Any]]:
    """The jobs of this process, oldest first (emptied with every other cache)."""
    return OrderedDict()


def job(key: Hashable, compute: Callable[..., _T], *args: Any) -> Future[_T]:
    """The job for ``key``: ``compute(*args)`` in the worker process, started if there is none yet (or the
    last one failed)."""
    jobs = _jobs()
    with _LOCK:
        future = jobs.get(key)
        if future is None or (future.done() and future.exception() is not None):
            future = _executor().submit(compute, *args)
            jobs[key] = future
            while len(jobs) > MAX_JOBS:
                jobs.popitem(last=False)
        return future


def result_or_none(future: Future[_T], wait_s: float = 0.0) -> _T | None:
    """The job's result when it is done (waiting up to ``wait_s`` for it); None while it runs.
    A failure is raised (and logged) here."""
    try:
        future.exception(timeout=wait_s)
    except TimeoutError:
        return None
    error = future.exception()
    if error is not None:
        _LOGGER.error("a background read failed", exc_info=error)
        raise error
    return future.result()


def wait_for(future: Future[Any], message: str) -> None:
    """Say ``message`` while ``future`` runs and rerun the page once it is done (a polling fragment)."""

    @st.fragment(run_every=POLL_SECONDS)
    def poll() -> None:
        if future.done():
            st.rerun(scope="app")
        st.info(message, icon=":material/hourglass_top:")

    poll()

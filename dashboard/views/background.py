"""Slow reads done beside the page, not in its run: the page draws at once and the result follows.

Some figures cost many all-enterprise passes (the park's loan status at twelve month-ends is
twelve). At county scale that is many seconds, too long to hold a page for. Such a read runs
once per process and key (the data revision is in the key, so a write starts a fresh one) on a
worker thread; the page shows that it is being computed, and a fragment looks again every
:data:`POLL_SECONDS` until it is there, then reruns the page once to draw it. Every session
asking for the same key shares the one job.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import streamlit as st

_T = TypeVar("_T")
POLL_SECONDS = 1.0
MAX_JOBS = 16
_LOGGER = logging.getLogger(__name__)
_EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="park-safety-background")
_LOCK = threading.Lock()


@st.cache_resource(show_spinner=False)
def _jobs() -> OrderedDict[Hashable, Future[Any]]:
    """The jobs of this process, oldest first (emptied with every other cache)."""
    return OrderedDict()


def job(key: Hashable, compute: Callable[[], _T]) -> Future[_T]:
    """The job for ``key``, started with ``compute`` if there is none yet (or the last one failed)."""
    jobs = _jobs()
    with _LOCK:
        future = jobs.get(key)
        if future is None or (future.done() and future.exception() is not None):
            future = _EXECUTOR.submit(compute)
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

"""Pausing Python's cyclic garbage collector while many small, acyclic objects are made.

Each automatic full collection walks every live object of the process (the libraries' too): during a
county-scale pass they took about a third of its time. Reference counting still frees everything as usual;
the collector resumes afterwards. Objects made during a pause are all new to the collector, so the first
collection after it walks every one still alive: end the pause once the big results are freed, where that
is possible (``park-safety scorecards`` and ``loans`` do).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """No automatic cyclic collection inside the block (nested blocks leave it to the outermost)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

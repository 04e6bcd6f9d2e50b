"""A background worker process ends when the server that started it ends, however the server ends.

The server's worker processes (``dashboard/views/background.py``) wait on a queue whose pipe they hold both
ends of, so a server that dies without shutting them down (SIGTERM, which Uvicorn re-raises after its own
shutdown with the default action; SIGKILL; a crash) would leave them waiting forever, parented to init, a
job in progress running to its end. Each worker watches its parent instead: the pipe ``multiprocessing``
spawned it through closes when the parent's process ends, and the worker exits at once. Kept apart from
``background.py`` so that a worker imports only this, not Streamlit.
"""

from __future__ import annotations

import multiprocessing
import os
import threading

EXIT_STATUS = 70  # what a worker ended by its server's death exits with (no one reads it: its parent is gone)


def end_with_parent() -> None:
    """Worker initializer: a daemon thread that ends this process as soon as its parent's process has ended."""
    parent = multiprocessing.parent_process()
    if parent is None:  # not started by multiprocessing: nothing to watch
        return

    def watch() -> None:
        parent.join()  # returns when the parent's end of the spawn pipe closes: the parent process is gone
        os._exit(EXIT_STATUS)  # no cleanup: the job's result has no one to go to

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()

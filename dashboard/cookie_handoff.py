"""Which new sign-ins' tokens the browser has handed to ``/auth/session`` (and got their cookie for).

After a sign-in the page runs a script that posts the new token to ``/auth/session``; the token is then
taken off the page by a rerun (``dashboard/views/session.py``). That rerun must wait until the browser has
really run the script, or the cookie would never be set: the route notes here each token it answered with a
cookie, and the sign-in's next run looks here. Both run in the same server process (a browser's websocket
and its requests reach the same server, see the README's deployment notes). Only a SHA-256 of a token is kept,
for a minute at most.
"""

from __future__ import annotations

import hashlib
import threading
import time

KEEP_SECONDS = 60.0

_lock = threading.Lock()
_delivered: dict[str, float] = {}


def _key(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def mark_delivered(token: str, now: float | None = None) -> None:
    """The route has answered this token with its cookie."""
    now = time.monotonic() if now is None else now
    with _lock:
        for key, at in list(_delivered.items()):
            if now - at > KEEP_SECONDS:
                del _delivered[key]
        _delivered[_key(token)] = now


def take_delivered(token: str) -> bool:
    """Whether the route has answered this token with its cookie (forgotten once asked and found)."""
    with _lock:
        return _delivered.pop(_key(token), None) is not None

"""The app's one clock: the time now (:func:`now`, aware UTC) and today in the park (:func:`park_today`).

Every product call that needs the time asks here; none reads ``datetime.now``, ``date.today`` or the
database's ``now()`` (the stamps a row gets when it is written come from :func:`now` too, ``models/base.py``),
so one setting moves the whole app. By default it is the system clock. ``PARK_SAFETY_CLOCK`` (an ISO
date-time, for demos, training and tests) starts it at that instant instead, and it runs on from there at the
real pace, so sign-in delays still pass and sessions still expire. A process's clock starts when it reads its
settings: a server, its worker processes and the seed command given the same setting agree to within the
seconds between their starts.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

from dashboard.settings import get_settings


def now() -> datetime:
    """The time now, aware, in UTC."""
    settings = get_settings()
    if settings.clock is None:
        return datetime.now(UTC)
    return settings.clock + timedelta(seconds=time.monotonic() - settings.clock_read_at)


def park_today() -> date:
    """Today in the park's time zone (the default as-of date)."""
    return now().astimezone(ZoneInfo(get_settings().timezone)).date()


def in_park_time(at: datetime) -> datetime:
    """``at`` in the park's time zone; a naive time is UTC (SQLite gives a stored stamp back without its zone)."""
    return (at if at.tzinfo is not None else at.replace(tzinfo=UTC)).astimezone(ZoneInfo(get_settings().timezone))


def park_day_starts(day: date) -> datetime:
    """The instant (aware, UTC) ``day`` begins in the park."""
    return datetime.combine(day, clock_time(), ZoneInfo(get_settings().timezone)).astimezone(UTC)

"""The history's calendar: 24 months ending on the as-of date, and record timestamps.

Records are stamped in office hours of the park's local time and stored in UTC, so the
same seed and as-of date always give the same timestamps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

HISTORY_DAYS = 730  # 24 months, the as-of date included


@dataclass
class Timeline:
    as_of: date
    timezone: str
    _offsets: dict[date, timedelta] = field(default_factory=dict, repr=False)

    @property
    def start(self) -> date:
        """The first day of the history."""
        return self.as_of - timedelta(days=HISTORY_DAYS - 1)

    def ago(self, days: int) -> date:
        return self.as_of - timedelta(days=days)

    def stamp(self, day: date, minutes_after_eight: int) -> datetime:
        """The UTC instant ``minutes_after_eight`` minutes after 08:00 local time on ``day``."""
        offset = self._offsets.get(day)
        if offset is None:
            local_noon = datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo(self.timezone))
            offset = self._offsets[day] = local_noon.utcoffset() or timedelta(0)
        naive = datetime(day.year, day.month, day.day, 8) + timedelta(minutes=minutes_after_eight) - offset
        return naive.replace(tzinfo=UTC)

    def months(self) -> list[tuple[date, date]]:
        """The calendar months of the history, each clipped to it: (first day, last day)."""
        found: list[tuple[date, date]] = []
        first = self.start.replace(day=1)
        while first <= self.as_of:
            following = (first + timedelta(days=32)).replace(day=1)
            found.append((max(first, self.start), min(following - timedelta(days=1), self.as_of)))
            first = following
        return found

"""Reading hazards through the index on ``verified_on`` on SQLite.

Queries about the hazards unverified at a date (open, overdue, awaiting verification) should be driven by
``ix_hazard_state_at``: the unverified hazards, or those verified after a date, are a small part of the
table. PostgreSQL's planner, which has statistics, finds that plan itself. SQLite keeps no statistics
unless ``ANALYZE`` has run and may walk the whole ``found_on``, ``deadline`` or ``rectified_on`` index
instead (seconds on a county); there every other column is written ``+column``, which SQLite never looks
up in an index, so the plan is always the ``verified_on`` one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import literal_column
from sqlmodel import Session

from models import Hazard

_H = Hazard.__table__  # type: ignore[attr-defined]


class VerifiedOnFirst:
    """The hazard table's columns for a query driven by ``verified_on``: ``h.deadline`` etc. (see the module)."""

    def __init__(self, session: Session):
        self._plain = session.get_bind().dialect.name != "sqlite"

    def __getattr__(self, name: str) -> Any:
        column = _H.c[name]
        if self._plain or name == "verified_on":
            return column
        return literal_column(f"+{_H.name}.{name}", type_=column.type)

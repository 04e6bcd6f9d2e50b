"""The data revision: a counter in the database that every write bumps, so cached
figures refresh on the next rerun for every user and every app server."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session


def bump_revision(session: Session) -> None:
    """Advance the revision inside the caller's transaction."""
    updated = session.execute(text("UPDATE data_revision SET revision = revision + 1 WHERE id = 1"))
    if getattr(updated, "rowcount", 0) == 0:
        session.execute(text("INSERT INTO data_revision (id, revision) VALUES (1, 1)"))


def current_revision(session: Session) -> int:
    value = session.execute(text("SELECT revision FROM data_revision WHERE id = 1")).scalar_one_or_none()
    return int(value or 0)

"""The one way a validated record is inserted: in a savepoint, refusals by the database
turned into field problems, audited, and the data revision bumped."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

from dashboard.services.audit import record_audit, snapshot
from dashboard.services.integrity import refused_by_database
from dashboard.services.permissions import Actor
from dashboard.services.revision import bump_revision

T = TypeVar("T", bound=SQLModel)


def insert_audited(
    *, session: Session, actor: Actor, table: type[T], valid: BaseModel, prepare: Callable[[T], None] | None = None
) -> T:
    """Insert ``valid`` as a row of ``table``; nothing is written if the database refuses it.
    ``prepare`` fills what the row derives from its fields (an accident's level) before it is written."""
    record = table.model_validate(valid)
    if prepare is not None:
        prepare(record)
    try:
        with session.begin_nested():
            session.add(record)
            session.flush()
    except IntegrityError as error:
        raise refused_by_database(error, valid.model_dump()) from None
    record_audit(session, actor=actor, action="create", entity=str(table.__tablename__),
                 entity_id=getattr(record, "id", None), after=snapshot(record))
    bump_revision(session)
    return record

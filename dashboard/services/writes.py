"""The one way a record is written by a service: inserted, changed or deleted in a savepoint, refusals by the
database turned into field problems, audited with the record before and after, and the data revision bumped.

A change is checked against the version the user saw (optimistic locking, ``version_id_col``): a save that
another user's beat is refused with ``stale_version``, naming who saved the newer version (the audit trail's
last row for the record), never overwritten. Nothing is written when anything is refused; the caller commits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, SQLModel

from dashboard.services.attachments import delete_attachments_of
from dashboard.services.audit import last_change, record_audit, snapshot
from dashboard.services.integrity import refused_by_database
from dashboard.services.permissions import Actor
from dashboard.services.revision import bump_revision
from models.validation import FieldProblem, RecordInvalid

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
    record_audit(session, actor=actor, action="create", entity=_entity(table),
                 entity_id=getattr(record, "id", None), after=snapshot(record))
    bump_revision(session)
    return record


def update_audited(
    *,
    session: Session,
    actor: Actor,
    table: type[T],
    record_id: int,
    change: Callable[[T], bool | None],
    version: int | None = None,
    check: Callable[[T], None] | None = None,
    values: Mapping[str, Any] | None = None,
    action: str = "update",
    note: Mapping[str, Any] | None = None,
) -> T:
    """Change the row ``record_id`` of ``table`` as the user saw it, or change nothing.

    In order: the row is loaded (an unknown id is an ``id`` problem); ``check`` may refuse it as it stands;
    a row no longer at ``version`` (the one the user saw; None for a table without one) is refused as stale;
    ``change`` changes it – it may still refuse, before changing anything, and returns False when the row
    already is as asked (then nothing is written, audited or bumped). The change is flushed in a savepoint:
    a save by someone else that committed meanwhile makes it stale, a refusal by the database is a field
    problem (named from ``values``, what the user gave; the row's own values by default). The audit row
    (``action``) keeps the row before and after, with ``note`` (a reason) added to the after."""
    row = _load(session, table, record_id)
    if check is not None:
        check(row)
    if version is not None and getattr(row, "version", None) != version:
        raise stale_version(session, table=table, record_id=record_id)
    before = snapshot(row)
    try:
        with session.begin_nested():  # changed inside the savepoint, so a failed flush leaves the transaction usable
            if change(row) is False:
                return row
            session.add(row)
            session.flush()
    except StaleDataError:
        raise stale_version(session, table=table, record_id=record_id) from None
    except IntegrityError as error:
        raise refused_by_database(error, values if values is not None else before or {}) from None
    after = snapshot(row)
    if after is not None and note:
        after.update(note)
    record_audit(session, actor=actor, action=action, entity=_entity(table), entity_id=record_id, before=before,
                 after=after)
    bump_revision(session)
    return row


def delete_audited(
    *, session: Session, actor: Actor, table: type[T], record_id: int, check: Callable[[T], None] | None = None
) -> T:
    """Delete the row ``record_id`` of ``table`` (an unknown id is an ``id`` problem; ``check`` may refuse it),
    in a savepoint; audited with the row as it was. Its attached files go with it, each audited too, so no file
    outlives its record. Returns the deleted row."""
    row = _load(session, table, record_id)
    if check is not None:
        check(row)
    before = snapshot(row)
    try:
        with session.begin_nested():
            session.delete(row)
            session.flush()
    except IntegrityError as error:
        raise refused_by_database(error, before or {}) from None
    record_audit(session, actor=actor, action="delete", entity=_entity(table), entity_id=record_id, before=before)
    delete_attachments_of(session, actor=actor, table=_entity(table), record_id=record_id)
    bump_revision(session)
    return row


def stale_version(session: Session, *, table: type[SQLModel], record_id: int) -> RecordInvalid:
    """The refusal of a save someone else's beat, naming who saved the newer version (their display name, from
    the audit trail's last row for the record); worded in the reader's language when it is shown."""
    with session.no_autoflush:  # the refused change may still be pending on the row: it must not be flushed now
        last = last_change(session, _entity(table), record_id)
    return RecordInvalid([FieldProblem("version", "stale_version", {"user": last.display_name} if last else {})])


def _load(session: Session, table: type[T], record_id: int) -> T:
    row = session.get(table, record_id)
    if row is None:
        raise RecordInvalid([FieldProblem("id", "unknown_reference", {"value": record_id})])
    return row


def _entity(table: type[SQLModel]) -> str:
    """The table's name, which is the audit trail's name for its records."""
    return str(table.__tablename__)

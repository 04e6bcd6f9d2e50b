"""Creating and editing enterprises (企业); deleting one is soft (status closed)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col

from dashboard.services.audit import record_audit, snapshot
from dashboard.services.integrity import refused_by_database
from dashboard.services.park import park_bounds
from dashboard.services.permissions import Actor, Permission, require
from dashboard.services.revision import bump_revision
from dashboard.services.writes import insert_audited
from models import Enterprise, EnterpriseCreate, EnterpriseUpdate, Plot
from models.enterprise import EnterpriseBase
from models.enums import EnterpriseStatus
from models.validation import FieldProblem, RecordInvalid, validate


def _check_against_database(
    session: Session, data: EnterpriseBase, *, enterprise_id: int | None = None
) -> None:
    problems: list[FieldProblem] = []
    bounds = park_bounds(session)
    if bounds is not None:
        problems.extend(bounds.problems(data.lat, data.lon))
    clash = select(col(Enterprise.id)).where(col(Enterprise.uscc) == data.uscc)
    if enterprise_id is not None:
        clash = clash.where(col(Enterprise.id) != enterprise_id)
    if session.execute(clash).first() is not None:
        problems.append(FieldProblem("uscc", "duplicate", {"value": data.uscc}))
    if data.plot_id is not None and session.get(Plot, data.plot_id) is None:
        problems.append(FieldProblem("plot_id", "unknown_reference", {"value": data.plot_id}))
    if problems:
        raise RecordInvalid(problems)


def create_enterprise(
    *, session: Session, actor: Actor, data: EnterpriseCreate | Mapping[str, Any]
) -> Enterprise:
    """Validate and add one enterprise in the caller's transaction; nothing is written on any problem."""
    require(actor, Permission.edit_records)
    valid = validate(EnterpriseCreate, data)
    _check_against_database(session, valid)
    return insert_audited(session=session, actor=actor, table=Enterprise, valid=valid)


def update_enterprise(
    *, session: Session, actor: Actor, enterprise_id: int, data: EnterpriseUpdate | Mapping[str, Any]
) -> Enterprise:
    """Save an edited enterprise; refused if someone else saved it since ``data.version`` was read."""
    require(actor, Permission.edit_records)
    valid = validate(EnterpriseUpdate, data)
    enterprise = session.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise RecordInvalid([FieldProblem("id", "unknown_reference", {"value": enterprise_id})])
    _check_against_database(session, valid, enterprise_id=enterprise_id)
    if enterprise.version != valid.version:
        raise RecordInvalid([FieldProblem("version", "stale_version", {"user": "another user"})])
    before = snapshot(enterprise)
    for name, value in valid.model_dump(exclude={"version"}).items():
        setattr(enterprise, name, value)
    try:
        with session.begin_nested():
            session.flush()
    except StaleDataError:
        raise RecordInvalid([FieldProblem("version", "stale_version", {"user": "another user"})]) from None
    except IntegrityError as error:
        raise refused_by_database(error, valid.model_dump()) from None
    record_audit(session, actor=actor, action="update", entity="enterprise", entity_id=enterprise.id,
                 before=before, after=snapshot(enterprise))
    bump_revision(session)
    return enterprise


def close_enterprise(*, session: Session, actor: Actor, enterprise_id: int, version: int) -> Enterprise:
    """Delete an enterprise the only way it may be: softly, its status set to closed; its records stay."""
    require(actor, Permission.edit_records)
    enterprise = session.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise RecordInvalid([FieldProblem("id", "unknown_reference", {"value": enterprise_id})])
    if enterprise.version != version:
        raise RecordInvalid([FieldProblem("version", "stale_version", {"user": "another user"})])
    before = snapshot(enterprise)
    enterprise.status = EnterpriseStatus.closed
    try:
        with session.begin_nested():
            session.add(enterprise)
            session.flush()
    except StaleDataError:
        raise RecordInvalid([FieldProblem("version", "stale_version", {"user": "another user"})]) from None
    record_audit(session, actor=actor, action="delete", entity="enterprise", entity_id=enterprise.id,
                 before=before, after=snapshot(enterprise))
    bump_revision(session)
    return enterprise

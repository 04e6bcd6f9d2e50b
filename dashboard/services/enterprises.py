"""Creating and editing enterprises (企业); deleting one is soft (status closed)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from dashboard.services.park import park_bounds
from dashboard.services.permissions import Actor, Permission, require
from dashboard.services.writes import insert_audited, update_audited
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
    values = valid.model_dump(exclude={"version"})

    def change(enterprise: Enterprise) -> None:
        for name, value in values.items():
            setattr(enterprise, name, value)

    return update_audited(
        session=session, actor=actor, table=Enterprise, record_id=enterprise_id, version=valid.version,
        check=lambda _: _check_against_database(session, valid, enterprise_id=enterprise_id), change=change,
        values=valid.model_dump())


def close_enterprise(*, session: Session, actor: Actor, enterprise_id: int, version: int) -> Enterprise:
    """Delete an enterprise the only way it may be: softly, its status set to closed; its records stay."""
    require(actor, Permission.edit_records)

    def close(enterprise: Enterprise) -> None:
        enterprise.status = EnterpriseStatus.closed

    return update_audited(session=session, actor=actor, table=Enterprise, record_id=enterprise_id, version=version,
                          change=close, action="delete")

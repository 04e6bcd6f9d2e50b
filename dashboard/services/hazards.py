"""Recording and correcting hidden hazards (隐患); the closed-loop transitions are in ``hazard_workflow``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from dashboard.services.permissions import Actor, Permission, require
from dashboard.services.writes import insert_audited, update_audited
from models import Enterprise, Hazard, HazardCreate, HazardUpdate, Inspection
from models.validation import FieldProblem, RecordInvalid, validate


def _check_references(session: Session, valid: HazardCreate | HazardUpdate) -> None:
    problems: list[FieldProblem] = []
    if session.get(Enterprise, valid.enterprise_id) is None:
        problems.append(FieldProblem("enterprise_id", "unknown_reference", {"value": valid.enterprise_id}))
    if valid.inspection_id is not None:
        inspection = session.get(Inspection, valid.inspection_id)
        if inspection is None or inspection.enterprise_id != valid.enterprise_id:
            problems.append(FieldProblem("inspection_id", "unknown_reference", {"value": valid.inspection_id}))
    if problems:
        raise RecordInvalid(problems)


def create_hazard(*, session: Session, actor: Actor, data: HazardCreate | Mapping[str, Any]) -> Hazard:
    """Validate and add one hazard; a major hazard is listed for supervision (挂牌督办)."""
    require(actor, Permission.edit_records)
    valid = validate(HazardCreate, data)
    _check_references(session, valid)
    return insert_audited(session=session, actor=actor, table=Hazard, valid=valid)


def update_hazard(
    *, session: Session, actor: Actor, hazard_id: int, data: HazardUpdate | Mapping[str, Any]
) -> Hazard:
    """Correct a hazard's record (the whole record validated again); refused if someone else saved it
    since ``data.version`` was read. Moving it along the closed loop is ``hazard_workflow``'s job,
    so the status and its dates must stay as they are here."""
    require(actor, Permission.edit_records)
    valid = validate(HazardUpdate, data)

    def change(hazard: Hazard) -> None:
        loop = ("status", "rectified_on", "verified_on", "verified_by")
        changed = [name for name in loop if getattr(valid, name) != getattr(hazard, name)]
        if changed:
            raise RecordInvalid([FieldProblem(name, "use_workflow", {}) for name in changed])
        for name, value in valid.model_dump(exclude={"version"}).items():
            setattr(hazard, name, value)

    return update_audited(session=session, actor=actor, table=Hazard, record_id=hazard_id, version=valid.version,
                          check=lambda _: _check_references(session, valid), change=change,
                          values=valid.model_dump())

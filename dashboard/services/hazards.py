"""Recording hidden hazards (隐患); the closed-loop transitions come with the Records page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from dashboard.services.audit import record_audit, snapshot
from dashboard.services.integrity import refused_by_database
from dashboard.services.permissions import Actor, Permission, require
from dashboard.services.revision import bump_revision
from models import Enterprise, Hazard, HazardCreate, Inspection
from models.validation import FieldProblem, RecordInvalid, validate


def create_hazard(*, session: Session, actor: Actor, data: HazardCreate | Mapping[str, Any]) -> Hazard:
    """Validate and add one hazard; a major hazard is listed for supervision (挂牌督办)."""
    require(actor, Permission.edit_records)
    valid = validate(HazardCreate, data)
    problems: list[FieldProblem] = []
    if session.get(Enterprise, valid.enterprise_id) is None:
        problems.append(FieldProblem("enterprise_id", "unknown_reference", {"value": valid.enterprise_id}))
    if valid.inspection_id is not None:
        inspection = session.get(Inspection, valid.inspection_id)
        if inspection is None or inspection.enterprise_id != valid.enterprise_id:
            problems.append(FieldProblem("inspection_id", "unknown_reference", {"value": valid.inspection_id}))
    if problems:
        raise RecordInvalid(problems)
    hazard = Hazard.model_validate(valid)
    try:
        with session.begin_nested():
            session.add(hazard)
            session.flush()
    except IntegrityError as error:
        raise refused_by_database(error, valid.model_dump()) from None
    record_audit(session, actor=actor, action="create", entity="hazard", entity_id=hazard.id, after=snapshot(hazard))
    bump_revision(session)
    return hazard

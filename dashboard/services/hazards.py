"""Recording hidden hazards (隐患); the closed-loop transitions come with the Records page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from dashboard.services.permissions import Actor, Permission, require
from dashboard.services.writes import insert_audited
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
    return insert_audited(session=session, actor=actor, table=Hazard, valid=valid)

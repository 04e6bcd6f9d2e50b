"""Creating, correcting and deleting the enterprises' child records: safety signs and their checks,
inspections (with the hazards they found), accidents, training, enforcement actions and
dishonesty listings.

An accident's stored level is computed from its numbers, and a sign check updates its sign's
last check and condition (when it is the latest), as the data contract asks. Every write
validates the whole record through the table's Create model (the forms, the
importer and the command line share those rules), checks that what it refers to exists,
refuses a role that may not edit records, writes an audit row with the record before and
after, and bumps the data revision. Nothing is written when anything is wrong. Deleting is
for records entered by mistake: it is hard, audited with the record as it was, and refused
while other records depend on it (a sign with checks, an inspection with hazards).
The caller commits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlmodel import Session, SQLModel, col

from dashboard.rules.accident_level import accident_level
from dashboard.services.audit import record_audit, snapshot
from dashboard.services.permissions import Actor, Permission, require
from dashboard.services.record_tables import RecordTable, record_table, records_service_tables
from dashboard.services.rule_settings import effective_rules
from dashboard.services.writes import delete_audited, insert_audited, update_audited
from models import (
    Accident,
    Hazard,
    HazardCreate,
    Inspection,
    InspectionCreate,
    SafetySign,
    SignCheck,
)
from models.validation import FieldProblem, RecordInvalid, validate


def _kind(table: str) -> RecordTable:
    """The table of dashboard.services.record_tables this module writes (``records_service``); others are refused."""
    return record_table(table, among=records_service_tables())


def _check_references(session: Session, kind: RecordTable, valid: BaseModel, prefix: str = "") -> list[FieldProblem]:
    problems = []
    for field_name, target in kind.references:
        value = getattr(valid, field_name)
        if value is not None and session.get(target, value) is None:
            problems.append(FieldProblem(prefix + field_name, "unknown_reference", {"value": value}))
    return problems


def _validated(session: Session, table: str, data: BaseModel | Mapping[str, Any]) -> tuple[RecordTable, BaseModel]:
    """The table's kind and ``data`` validated as a whole record of it, whose references exist."""
    kind = _kind(table)
    valid = validate(kind.create, data)
    problems = _check_references(session, kind, valid)
    if problems:
        raise RecordInvalid(problems)
    return kind, valid


def _deriver(session: Session) -> Callable[[SQLModel], None]:
    """What a record derives from its own fields: an accident's stored level follows its numbers
    (DESIGN.md 4.1, with the thresholds in force)."""
    def derive(record: SQLModel) -> None:
        if isinstance(record, Accident):
            record.level = accident_level(record.deaths, record.serious_injuries, record.direct_loss_yuan,
                                          effective_rules(session))
    return derive


def _keep_in_step(session: Session, record: SQLModel, *, actor: Actor) -> None:
    """What a write of ``record`` changes elsewhere: a sign's last check and condition follow its latest
    check (DESIGN.md section 3)."""
    if isinstance(record, SignCheck):
        _sign_follows_its_checks(session, record.safety_sign_id, actor=actor)


def _sign_follows_its_checks(session: Session, sign_id: int, *, actor: Actor) -> None:
    session.flush()
    sign = session.get(SafetySign, sign_id)
    latest = session.execute(
        select(SignCheck).where(col(SignCheck.safety_sign_id) == sign_id)
        .order_by(col(SignCheck.checked_on).desc(), col(SignCheck.id).desc()).limit(1)
    ).scalars().first()
    if sign is None or latest is None:
        return
    if (sign.last_checked_on, sign.condition) == (latest.checked_on, latest.condition):
        return
    before = snapshot(sign)
    sign.last_checked_on, sign.condition = latest.checked_on, latest.condition
    session.add(sign)
    session.flush()
    record_audit(session, actor=actor, action="update", entity="safety_sign", entity_id=sign.id, before=before,
                 after=snapshot(sign))


def create_record(*, session: Session, actor: Actor, table: str, data: BaseModel | Mapping[str, Any]) -> SQLModel:
    """Validate and add one record of ``table`` (one of ``records_service_tables()``)."""
    require(actor, Permission.edit_records)
    kind, valid = _validated(session, table, data)
    record = insert_audited(session=session, actor=actor, table=kind.table, valid=valid, prepare=_deriver(session))
    _keep_in_step(session, record, actor=actor)
    return record


def update_record(
    *, session: Session, actor: Actor, table: str, record_id: int, data: BaseModel | Mapping[str, Any]
) -> SQLModel:
    """Correct one record: the whole edited record is validated again, and the audit row keeps both versions."""
    require(actor, Permission.edit_records)
    kind, valid = _validated(session, table, data)
    derive = _deriver(session)

    def change(record: SQLModel) -> None:
        for name, value in valid.model_dump().items():
            setattr(record, name, value)
        derive(record)

    record = update_audited(session=session, actor=actor, table=kind.table, record_id=record_id, change=change,
                            values=valid.model_dump())
    _keep_in_step(session, record, actor=actor)
    return record


def delete_record(*, session: Session, actor: Actor, table: str, record_id: int) -> None:
    """Delete a record entered by mistake; refused while other records depend on it."""
    require(actor, Permission.edit_records)
    kind = _kind(table)

    def no_dependents(record: SQLModel) -> None:
        for dependent, column in kind.dependents:
            count = session.execute(
                select(func.count()).select_from(dependent).where(getattr(dependent, column) == record_id)
            ).scalar_one()
            if count:
                raise RecordInvalid([FieldProblem("id", "has_dependents", {
                    "value": record_id, "count": count, "table": str(dependent.__tablename__)})])

    record = delete_audited(session=session, actor=actor, table=kind.table, record_id=record_id,
                            check=no_dependents)
    if isinstance(record, SignCheck):
        _sign_follows_its_checks(session, record.safety_sign_id, actor=actor)


def record_inspection(
    *, session: Session, actor: Actor, inspection: BaseModel | Mapping[str, Any],
    hazards: Sequence[BaseModel | Mapping[str, Any]] = (),
) -> tuple[Inspection, list[Hazard]]:
    """An inspection and the hazards it found, in one go: every problem of the inspection and of each
    hazard is reported (a hazard's fields as ``hazards[2].deadline``, counting from 1), and nothing
    is written unless all are valid. Each hazard takes the inspection's enterprise and id."""
    require(actor, Permission.edit_records)
    kind = record_table("inspection")
    problems: list[FieldProblem] = []
    valid_inspection: InspectionCreate | None
    try:
        valid_inspection = validate(InspectionCreate, inspection)
    except RecordInvalid as invalid:
        problems.extend(invalid.problems)
        valid_inspection = None
    else:
        problems.extend(_check_references(session, kind, valid_inspection))
    valid_hazards: list[HazardCreate] = []
    raw = dict(inspection.model_dump() if isinstance(inspection, BaseModel) else inspection)
    inherited = {"enterprise_id": raw.get("enterprise_id"), "found_on": raw.get("inspected_on")}
    if valid_inspection is not None:
        inherited = {"enterprise_id": valid_inspection.enterprise_id, "found_on": valid_inspection.inspected_on}
    for number, hazard in enumerate(hazards, start=1):
        fields = dict(hazard.model_dump() if isinstance(hazard, BaseModel) else hazard)
        fields.pop("inspection_id", None)
        fields["enterprise_id"] = inherited["enterprise_id"]
        fields["found_on"] = fields.get("found_on") or inherited["found_on"]
        try:
            valid_hazards.append(validate(HazardCreate, fields))
        except RecordInvalid as invalid:
            # a problem with what the hazard inherits is the inspection's, reported once there
            problems.extend(FieldProblem(f"hazards[{number}].{p.field}", p.code, p.params) for p in invalid.problems
                            if valid_inspection is not None or p.field not in inherited)
    if problems or valid_inspection is None:
        raise RecordInvalid(problems)
    saved = insert_audited(session=session, actor=actor, table=Inspection, valid=valid_inspection)
    found = []
    for valid in valid_hazards:
        valid.inspection_id = saved.id
        found.append(insert_audited(session=session, actor=actor, table=Hazard, valid=valid))
    return saved, found

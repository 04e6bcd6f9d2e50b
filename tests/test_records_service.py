"""Child records through the service, on each database: created, corrected and deleted with an audit
row each; refused (with the field named, nothing written) when invalid, when what they refer to does
not exist, when others depend on them, or when the role may not edit records. An inspection and the
hazards it found are written together or not at all."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from dashboard.services.permissions import Actor, PermissionDenied
from dashboard.services.records import create_record, delete_record, record_inspection, update_record
from models import AuditLog, Enterprise, Hazard, RecordInvalid, Role, Training
from tests.records import data_revision, enforcement_data, general_hazard_data, major_hazard_data, row_counts

STAFF = Actor("li.staff", Role.staff)
TABLES = ("inspection", "hazard", "training", "safety_sign", "sign_check", "enforcement", "audit_log")


def unchanged(engine: Engine) -> tuple[dict[str, int], int]:
    return row_counts(engine, *TABLES), data_revision(engine)


def training(enterprise_id: int, **changes: Any) -> dict[str, Any]:
    return {"enterprise_id": enterprise_id, "held_on": "2026-05-20", "audience": "all_staff", "attendees": 48,
            "hours": 4, **changes}


def test_a_record_is_created_corrected_and_deleted_with_audit_rows(engine: Engine, enterprise: Enterprise) -> None:
    eid = enterprise.id or 0
    with Session(engine, expire_on_commit=False) as s:
        row = create_record(session=s, actor=STAFF, table="training", data=training(eid))
        s.commit()
    with Session(engine, expire_on_commit=False) as s:
        update_record(session=s, actor=STAFF, table="training", record_id=row.id, data=training(eid, attendees=52))
        s.commit()
    with Session(engine) as s:
        stored = s.get(Training, row.id)
        assert stored is not None and stored.attendees == 52
        delete_record(session=s, actor=STAFF, table="training", record_id=row.id)
        s.commit()
    with Session(engine) as s:
        assert s.get(Training, row.id) is None
        audit = s.execute(select(AuditLog).where(col(AuditLog.entity) == "training").order_by(col(AuditLog.id))
                          ).scalars().all()
    assert [a.action for a in audit] == ["create", "update", "delete"]
    assert json.loads(audit[1].before_json or "{}")["attendees"] == 48
    assert json.loads(audit[1].after_json or "{}")["attendees"] == 52
    assert json.loads(audit[2].before_json or "{}")["attendees"] == 52


@pytest.mark.parametrize(("table", "data", "problems"), [
    ("training", {"attendees": -3}, [("attendees", "negative")]),
    ("training", {"enterprise_id": 999}, [("enterprise_id", "unknown_reference")]),
    ("enforcement", {"fine_yuan": -100}, None),
    ("sign_check", {"safety_sign_id": 999, "checked_on": "2026-05-01", "condition": "good"},
     [("safety_sign_id", "unknown_reference")]),
])
def test_invalid_records_are_refused_and_nothing_is_written(
    engine: Engine, enterprise: Enterprise, table: str, data: dict[str, Any], problems: list[tuple[str, str]] | None
) -> None:
    eid = enterprise.id or 0
    base = {"training": training(eid), "enforcement": enforcement_data(enterprise_id=eid), "sign_check": {}}[table]
    before = unchanged(engine)
    with Session(engine) as s, pytest.raises(RecordInvalid) as caught:
        create_record(session=s, actor=STAFF, table=table, data={**base, **data})
        s.commit()
    if problems is not None:
        assert [(p.field, p.code) for p in caught.value.problems] == problems
    else:
        assert caught.value.fields == {"fine_yuan"}
    assert unchanged(engine) == before


def test_a_sign_with_checks_cannot_be_deleted(engine: Engine, enterprise: Enterprise) -> None:
    with Session(engine, expire_on_commit=False) as s:
        sign = create_record(session=s, actor=STAFF, table="safety_sign", data={
            "enterprise_id": enterprise.id, "kind": "publicity_board", "location": "正门",
            "installed_on": "2026-01-05"})
        create_record(session=s, actor=STAFF, table="sign_check", data={
            "safety_sign_id": sign.id, "checked_on": "2026-05-01", "condition": "good", "checked_by": "张工"})
        s.commit()
    before = unchanged(engine)
    with Session(engine) as s, pytest.raises(RecordInvalid) as caught:
        delete_record(session=s, actor=STAFF, table="safety_sign", record_id=sign.id)
    assert caught.value.messages("zh") == ["该记录不能删除:有 1 条标志检查记录引用它,请先删除或更正这些记录。"]
    assert unchanged(engine) == before


def test_an_inspection_and_its_hazards_are_saved_together(engine: Engine, enterprise: Enterprise) -> None:
    eid = enterprise.id or 0
    inspection = {"enterprise_id": eid, "inspected_on": "2026-03-02", "tier": "park", "inspector": "园区安监科 张工"}
    general = {k: v for k, v in general_hazard_data().items() if k not in ("enterprise_id", "found_on")}
    major = {k: v for k, v in major_hazard_data().items() if k not in ("enterprise_id", "found_on")}
    with Session(engine, expire_on_commit=False) as s:
        saved, hazards = record_inspection(session=s, actor=STAFF, inspection=inspection, hazards=[general, major])
        s.commit()
    assert len(hazards) == 2
    with Session(engine) as s:
        stored = s.execute(select(Hazard).where(col(Hazard.inspection_id) == saved.id)).scalars().all()
    assert sorted(h.severity.value for h in stored) == ["general", "major"]
    assert {h.enterprise_id for h in stored} == {eid}
    assert {h.found_on.isoformat() for h in stored} == {"2026-03-02"}
    assert all(h.listed_supervision for h in stored if h.severity == "major")


def test_one_bad_hazard_stops_the_whole_inspection(engine: Engine, enterprise: Enterprise) -> None:
    eid = enterprise.id or 0
    inspection = {"enterprise_id": eid, "inspected_on": "2026-03-02", "tier": "park", "inspector": ""}
    general = {k: v for k, v in general_hazard_data().items() if k not in ("enterprise_id", "found_on")}
    major = {k: v for k, v in major_hazard_data().items() if k not in ("enterprise_id", "found_on")}
    major.pop("contingency_plan")
    before = unchanged(engine)
    with Session(engine) as s, pytest.raises(RecordInvalid) as caught:
        record_inspection(session=s, actor=STAFF, inspection=inspection, hazards=[general, major])
    assert caught.value.fields == {"inspector", "hazards[2].contingency_plan"}
    assert unchanged(engine) == before


@pytest.mark.parametrize("role", [Role.committee, Role.finance])
def test_only_staff_and_admin_may_write_records(engine: Engine, enterprise: Enterprise, role: Role) -> None:
    before = unchanged(engine)
    with Session(engine) as s, pytest.raises(PermissionDenied):
        create_record(session=s, actor=Actor("x", role), table="training", data=training(enterprise.id or 0))
    assert unchanged(engine) == before


def test_an_accident_stores_the_level_its_numbers_give(engine: Engine, enterprise: Enterprise) -> None:
    data = {"enterprise_id": enterprise.id, "occurred_on": "2026-04-02", "deaths": 0, "serious_injuries": 12,
            "direct_loss_yuan": 200000, "description": "储罐区闪爆"}
    with Session(engine, expire_on_commit=False) as s:
        accident = create_record(session=s, actor=STAFF, table="accident", data=data)
        s.commit()
    assert accident.level == "larger"  # 10 or more serious injuries (DESIGN.md 4.1)
    with Session(engine, expire_on_commit=False) as s:
        corrected = update_record(session=s, actor=STAFF, table="accident", record_id=accident.id,
                                  data={**data, "serious_injuries": 2})
        s.commit()
        audit = s.execute(select(AuditLog).where(col(AuditLog.entity) == "accident").order_by(col(AuditLog.id))
                          ).scalars().all()
    assert corrected.level == "general"
    assert [json.loads(a.after_json or "{}")["level"] for a in audit] == ["larger", "general"]


def test_a_sign_follows_its_latest_check(engine: Engine, enterprise: Enterprise) -> None:
    with Session(engine, expire_on_commit=False) as s:
        sign = create_record(session=s, actor=STAFF, table="safety_sign", data={
            "enterprise_id": enterprise.id, "kind": "publicity_board", "location": "正门",
            "installed_on": "2026-01-05", "last_checked_on": "2026-01-05", "condition": "good"})
        create_record(session=s, actor=STAFF, table="sign_check", data={
            "safety_sign_id": sign.id, "checked_on": "2026-05-01", "condition": "good"})
        latest = create_record(session=s, actor=STAFF, table="sign_check", data={
            "safety_sign_id": sign.id, "checked_on": "2026-06-01", "condition": "damaged"})
        s.commit()
    with Session(engine) as s:
        stored = s.get(type(sign), sign.id)
        assert stored is not None
        assert (stored.last_checked_on.isoformat(), stored.condition) == ("2026-06-01", "damaged")
        delete_record(session=s, actor=STAFF, table="sign_check", record_id=latest.id)
        s.commit()
    with Session(engine) as s:
        stored = s.get(type(sign), sign.id)
        assert stored is not None
        assert (stored.last_checked_on.isoformat(), stored.condition) == ("2026-05-01", "good")

"""The one list of record tables (dashboard/services/record_tables.py): every table whose rows belong to an
enterprise is on it, and each selects exactly one enterprise's rows — what an account of one enterprise
will be limited to."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, select
from sqlmodel import Session, SQLModel

from dashboard.services.enterprises import create_enterprise
from dashboard.services.hazards import create_hazard
from dashboard.services.loan_overrides import create_override
from dashboard.services.permissions import SYSTEM
from dashboard.services.record_tables import IMPORTABLE, record_table, record_tables, records_service_tables
from dashboard.services.records import create_record, record_inspection
from models import Park
from tests.records import (
    USCC_A,
    USCC_B,
    enforcement_data,
    enterprise_data,
    general_hazard_data,
    loan_override_data,
)


def test_every_table_with_an_enterprise_column_is_a_record_table() -> None:
    with_enterprise = {name for name, table in SQLModel.metadata.tables.items() if "enterprise_id" in table.c}
    assert with_enterprise <= set(record_tables())
    assert set(IMPORTABLE) <= set(record_tables())
    assert {"enterprise", "hazard"}.isdisjoint(records_service_tables())  # each has a service of its own


def test_an_importable_table_names_its_file_columns_and_a_child_its_enterprise_by_uscc() -> None:
    assert record_table("enterprise").columns[:2] == ("uscc", "name")
    assert record_table("hazard").columns[:4] == ("id", "uscc", "inspection_id", "found_on")
    assert "enterprise_id" not in record_table("training").columns
    assert record_table("training").required == ("uscc", "held_on", "audience", "attendees", "hours")


def _an_enterprise_with_one_record_of_each_table(session: Session, uscc: str) -> int:
    enterprise = create_enterprise(session=session, actor=SYSTEM, data=enterprise_data(uscc=uscc))
    eid = enterprise.id or 0
    sign = create_record(session=session, actor=SYSTEM, table="safety_sign", data={
        "enterprise_id": eid, "kind": "publicity_board", "location": "大门", "installed_on": "2026-01-05"})
    create_record(session=session, actor=SYSTEM, table="sign_check", data={
        "safety_sign_id": sign.id, "checked_on": "2026-02-01", "condition": "good"})
    inspection, _ = record_inspection(session=session, actor=SYSTEM, inspection={
        "enterprise_id": eid, "inspected_on": "2026-03-02", "tier": "park", "inspector": "周检"})
    create_hazard(session=session, actor=SYSTEM, data=general_hazard_data(eid, inspection_id=inspection.id))
    create_record(session=session, actor=SYSTEM, table="accident", data={
        "enterprise_id": eid, "occurred_on": "2026-04-01", "description": "机械伤害"})
    create_record(session=session, actor=SYSTEM, table="training", data={
        "enterprise_id": eid, "held_on": "2026-05-20", "audience": "all_staff", "attendees": 40, "hours": 4})
    create_record(session=session, actor=SYSTEM, table="enforcement", data=enforcement_data(enterprise_id=eid))
    create_record(session=session, actor=SYSTEM, table="dishonesty_listing", data={
        "enterprise_id": eid, "listed_on": "2026-02-01", "reason": "瞒报事故"})
    create_override(session=session, actor=SYSTEM, data=loan_override_data(enterprise_id=eid), today=date(2026, 1, 1))
    return eid


def test_each_record_table_selects_the_rows_of_one_enterprise(engine: Engine, park: Park) -> None:
    with Session(engine) as session:
        first = _an_enterprise_with_one_record_of_each_table(session, USCC_A)
        second = _an_enterprise_with_one_record_of_each_table(session, USCC_B)
        session.commit()
    with Session(engine) as session:
        for name, table in record_tables().items():
            ids: dict[int, list[int]] = {}
            for enterprise_id in (first, second):
                query = table.of_enterprise(select(table.table.__table__.c.id), enterprise_id)  # type: ignore[attr-defined]
                ids[enterprise_id] = list(session.execute(query).scalars())
            assert len(ids[first]) == len(ids[second]) == 1, name
            assert ids[first] != ids[second], name

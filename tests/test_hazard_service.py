"""Recording hidden hazards (隐患) through the service, on each database: the five in place,
date order and status rules hold, refusals write nothing, and two editors cannot overwrite
each other."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col

from dashboard.services.hazards import create_hazard
from dashboard.services.permissions import Actor, PermissionDenied
from models import AuditLog, Enterprise, Hazard, Inspection, InspectionTier, RecordInvalid, Role
from tests.records import USCC_B, data_revision, enterprise_data, general_hazard_data, major_hazard_data, row_counts

STAFF = Actor("li.staff", Role.staff)
ADMIN = Actor("admin", Role.admin)
COMMITTEE = Actor("wang.committee", Role.committee)
FINANCE = Actor("zhao.finance", Role.finance)

TABLES = ("hazard", "audit_log")


def state(engine: Engine) -> dict[str, Any]:
    return {"counts": row_counts(engine, *TABLES), "revision": data_revision(engine)}


def test_a_general_hazard_is_saved_open_audited_and_refreshes_cached_figures(
    engine: Engine, session: Session, enterprise: Enterprise
) -> None:
    before = state(engine)
    created = create_hazard(session=session, actor=STAFF, data=general_hazard_data(enterprise.id or 0))
    session.commit()
    with Session(engine) as s:
        stored = s.get(Hazard, created.id)
        assert stored is not None
        assert stored.status == "open" and stored.version == 1 and stored.listed_supervision is False
        assert stored.found_on == date(2026, 3, 2) and stored.deadline == date(2026, 3, 16)
        audit = s.execute(select(AuditLog).where(col(AuditLog.entity) == "hazard")).scalars().one()
    assert (audit.username, audit.action, audit.entity_id) == ("li.staff", "create", created.id)
    after = json.loads(audit.after_json or "{}")
    assert after["severity"] == "general" and after["found_on"] == "2026-03-02"
    assert state(engine) == {"counts": {"hazard": 1, "audit_log": before["counts"]["audit_log"] + 1},
                             "revision": before["revision"] + 1}


def test_a_major_hazard_saved_as_not_listed_is_stored_listed_for_supervision(
    engine: Engine, session: Session, enterprise: Enterprise
) -> None:
    created = create_hazard(session=session, actor=STAFF,
                            data=major_hazard_data(enterprise.id or 0, listed_supervision=False))
    session.commit()
    with Session(engine) as s:
        stored = s.get(Hazard, created.id)
        assert stored is not None and stored.listed_supervision is True and stored.severity == "major"


def test_a_verified_major_hazard_with_every_date_in_order_is_saved(
    engine: Engine, session: Session, enterprise: Enterprise
) -> None:
    create_hazard(session=session, actor=STAFF, data=major_hazard_data(
        enterprise.id or 0, status="verified", rectified_on="2026-04-20", verified_on="2026-04-20",
        verified_by="陈工"))
    session.commit()
    assert row_counts(engine, "hazard") == {"hazard": 1}


BAD_HAZARDS = [
    pytest.param(major_hazard_data, {"contingency_plan": None}, ["contingency_plan"], "five_in_place",
                 "contingency plan is missing", id="major-without-contingency-plan"),
    pytest.param(major_hazard_data, {"funds_yuan": None, "measures": " "}, ["measures", "funds_yuan"],
                 "five_in_place", "five in place", id="major-without-measures-and-funds"),
    pytest.param(general_hazard_data, {"responsible_person": ""}, ["responsible_person"], "required",
                 "responsible person is required", id="general-without-responsible-person"),
    pytest.param(major_hazard_data, {"status": "verified", "rectified_on": "2026-03-20", "verified_on": "2026-03-10",
                                     "verified_by": "陈工"},
                 ["verified_on"], "date_before", "cannot be earlier than date rectified",
                 id="verified-before-rectified"),
    pytest.param(general_hazard_data, {"status": "verified", "rectified_on": "2026-03-20",
                                       "verified_on": "2026-03-21"},
                 ["verified_by"], "required_with", "verified by is required", id="verified-without-verifier"),
    pytest.param(general_hazard_data, {"deadline": "2026-02-01"}, ["deadline"], "date_before",
                 "cannot be earlier than date found", id="deadline-before-found"),
    pytest.param(general_hazard_data, {"status": "open", "rectified_on": "2026-03-05"}, ["status"],
                 "status_mismatch", "does not match the dates", id="status-open-but-rectified"),
    pytest.param(general_hazard_data, {"category": "flood"}, ["category"], "not_one_of", "must be one of",
                 id="unknown-category"),
    pytest.param(general_hazard_data, {"severity": "serious"}, ["severity"], "not_one_of", "must be one of",
                 id="unknown-severity"),
    pytest.param(general_hazard_data, {"found_on": "2026-02-30"}, ["found_on"], "not_a_date", "must be a date",
                 id="impossible-date"),
    pytest.param(general_hazard_data, {"enterprise_id": 9999}, ["enterprise_id"], "unknown_reference",
                 "enterprise 9999 does not exist", id="unknown-enterprise"),
    pytest.param(general_hazard_data, {"inspection_id": 9999}, ["inspection_id"], "unknown_reference",
                 "inspection 9999 does not exist", id="unknown-inspection"),
]


@pytest.mark.parametrize(("build", "changes", "fields", "code", "words"), BAD_HAZARDS)
def test_a_bad_hazard_is_refused_with_a_clear_message_and_nothing_is_written(
    engine: Engine, session: Session, enterprise: Enterprise, build: Any, changes: dict[str, Any],
    fields: list[str], code: str, words: str
) -> None:
    before = state(engine)
    with pytest.raises(RecordInvalid) as caught:
        create_hazard(session=session, actor=STAFF, data={**build(enterprise.id or 0), **changes})
    session.rollback()
    assert [p.field for p in caught.value.problems] == fields
    assert {p.code for p in caught.value.problems} == {code}
    assert words.lower() in caught.value.messages()[0].lower()
    assert all(caught.value.messages("zh"))
    assert state(engine) == before


def test_a_hazard_citing_another_enterprises_inspection_is_refused(
    engine: Engine, session: Session, enterprise: Enterprise
) -> None:
    from dashboard.services.enterprises import create_enterprise

    other = create_enterprise(session=session, actor=STAFF, data=enterprise_data(uscc=USCC_B, name="另一家公司"))
    inspection = Inspection(enterprise_id=other.id or 0, inspected_on=date(2026, 3, 1), tier=InspectionTier.park,
                            inspector="园区安监科")
    session.add(inspection)
    session.commit()
    before = state(engine)
    with pytest.raises(RecordInvalid) as caught:
        create_hazard(session=session, actor=STAFF,
                      data=general_hazard_data(enterprise.id or 0, inspection_id=inspection.id))
    session.rollback()
    assert [(p.field, p.code) for p in caught.value.problems] == [("inspection_id", "unknown_reference")]
    assert state(engine) == before

    create_hazard(session=session, actor=STAFF, data=general_hazard_data(other.id or 0, inspection_id=inspection.id))
    session.commit()
    assert row_counts(engine, "hazard") == {"hazard": 1}


@pytest.mark.parametrize("actor", [COMMITTEE, FINANCE], ids=["committee", "finance"])
def test_committee_and_finance_may_not_record_hazards_and_nothing_is_written(
    engine: Engine, session: Session, enterprise: Enterprise, actor: Actor
) -> None:
    before = state(engine)
    with pytest.raises(PermissionDenied):
        create_hazard(session=session, actor=actor, data=general_hazard_data(enterprise.id or 0))
    session.rollback()
    assert state(engine) == before


@pytest.mark.parametrize("actor", [STAFF, ADMIN], ids=["staff", "admin"])
def test_staff_and_admin_may_record_hazards(
    engine: Engine, session: Session, enterprise: Enterprise, actor: Actor
) -> None:
    create_hazard(session=session, actor=actor, data=major_hazard_data(enterprise.id or 0))
    session.commit()
    assert row_counts(engine, "hazard") == {"hazard": 1}


def test_the_second_of_two_concurrent_hazard_edits_is_refused_and_the_first_is_kept(
    engine: Engine, session: Session, enterprise: Enterprise
) -> None:
    created = create_hazard(session=session, actor=STAFF, data=major_hazard_data(enterprise.id or 0))
    session.commit()
    with Session(engine, expire_on_commit=False) as first, Session(engine, expire_on_commit=False) as second:
        mine = first.get(Hazard, created.id)
        theirs = second.get(Hazard, created.id)
        assert mine is not None and theirs is not None
        first.commit()
        second.commit()
        mine.measures = "Linked and tested"
        first.commit()
        assert mine.version == 2
        theirs.measures = "Replaced the detectors"
        with pytest.raises(StaleDataError):
            second.flush()
        second.rollback()
    with Session(engine) as s:
        stored = s.get(Hazard, created.id)
        assert stored is not None and stored.measures == "Linked and tested" and stored.version == 2


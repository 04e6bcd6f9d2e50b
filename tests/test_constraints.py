"""The database itself refuses bad rows, whoever writes them (plain SQL, imports, other tools),
and fills in the server defaults for the columns such a writer leaves out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DataError, IntegrityError
from sqlmodel import Session

from dashboard.services.enterprises import update_enterprise
from dashboard.services.permissions import SYSTEM
from models import AppUser, AuditLog, Enterprise, Hazard
from tests.records import USCC_A, USCC_B, row_counts

# Only the columns without a server default.
ENTERPRISE_ROW: dict[str, Any] = {
    "uscc": USCC_A, "name": "临江精细化工有限公司", "industry": "machinery", "lat": 30.25, "lon": 120.15,
    "legal_rep": "张伟", "safety_lead": "李娜", "phone": "0571-88886666",
}
GENERAL_HAZARD_ROW: dict[str, Any] = {
    "found_on": "2026-03-02", "category": "fire", "severity": "general", "description": "Fire exit blocked",
    "responsible_person": "王强", "deadline": "2026-03-16",
}
MAJOR_HAZARD_ROW: dict[str, Any] = {
    **GENERAL_HAZARD_ROW, "category": "hazardous_chemicals", "severity": "major", "measures": "Link the detectors",
    "funds_yuan": 180000, "contingency_plan": "Tank farm leak plan", "listed_supervision": True,
}
LOAN_OVERRIDE_ROW: dict[str, Any] = {
    "decision": "eligible", "reason": "Hazards closed", "decided_by": "finance.zhao", "decided_on": "2026-01-01",
    "expires_on": "2026-06-30",
}
ENFORCEMENT_ROW: dict[str, Any] = {"decided_on": "2026-02-10", "action": "suspension"}
ACCIDENT_ROW: dict[str, Any] = {"occurred_on": "2026-02-10", "description": "Fall from a ladder"}


def insert(connection: Connection, table: str, values: dict[str, Any]) -> None:
    columns = ", ".join(values)
    params = ", ".join(f":{name}" for name in values)
    connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({params})"), values)


def insert_committed(engine: Engine, table: str, values: dict[str, Any]) -> int:
    with engine.begin() as connection:
        insert(connection, table, values)
        return int(connection.execute(text(f"SELECT max(id) FROM {table}")).scalar_one())


@pytest.fixture
def enterprise_id(engine: Engine) -> int:
    """An enterprise written by plain SQL, with only the required columns."""
    return insert_committed(engine, "enterprise", ENTERPRISE_ROW)


@dataclass(frozen=True)
class Shared:
    """A database shared by the refusal tests of this module (refused rows leave it unchanged)."""

    engine: Engine
    enterprise_id: int


@pytest.fixture(scope="module")
def one_enterprise_db(module_engine: Engine) -> Shared:
    """One enterprise in a database this module's refusal tests share (a refused row leaves it unchanged)."""
    return Shared(module_engine, insert_committed(module_engine, "enterprise", ENTERPRISE_ROW))


def refused_by_database(
    engine: Engine, table: str, values: dict[str, Any], errors: tuple[type[Exception], ...] = (IntegrityError,)
) -> str:
    """Insert ``values`` with plain SQL, expect the database to refuse, and return its reason."""
    before = row_counts(engine, table)
    with engine.connect() as connection:
        with pytest.raises(errors) as caught:
            insert(connection, table, values)
        connection.rollback()
    assert row_counts(engine, table) == before, "a refused row was written"
    return str(getattr(caught.value, "orig", caught.value)).lower()


ENTERPRISE_REFUSALS = [
    pytest.param({"employees": -1}, "ck_enterprise_employees_non_negative", id="negative-employees"),
    pytest.param({"safety_staff_fulltime": -1}, "ck_enterprise_safety_staff_fulltime_non_negative",
                 id="negative-fulltime-safety-staff"),
    pytest.param({"safety_staff_parttime": -2}, "ck_enterprise_safety_staff_parttime_non_negative",
                 id="negative-parttime-safety-staff"),
    pytest.param({"special_operators": -1}, "ck_enterprise_special_operators", id="negative-special-operators"),
    pytest.param({"special_operators": 5, "special_operators_certified": 6},
                 "ck_enterprise_special_operators_certified_within_total", id="certified-above-operators"),
    pytest.param({"special_operators": 5, "special_operators_certified": -1},
                 "ck_enterprise_special_operators_certified_within_total", id="negative-certified"),
    pytest.param({"industry": "mining"}, "ck_enterprise_industry", id="unknown-industry"),
    pytest.param({"industry": "Machinery"}, "ck_enterprise_industry", id="industry-not-lower-case"),
    pytest.param({"status": "bankrupt"}, "ck_enterprise_enterprise_status", id="unknown-status"),
    pytest.param({"standardization_grade": "level4"}, "ck_enterprise_standardization_grade", id="unknown-grade"),
    pytest.param({"major_hazard_source": "grade5"}, "ck_enterprise_major_hazard_source", id="unknown-source-grade"),
    pytest.param({"uscc": USCC_A[:17]}, "ck_enterprise_uscc_length", id="uscc-17-characters"),
    pytest.param({"plot_id": 999}, "foreign key", id="missing-plot"),
]


@pytest.mark.parametrize(("changes", "reason"), ENTERPRISE_REFUSALS)
def test_the_database_refuses_a_bad_enterprise_row(
    one_enterprise_db: Shared, changes: dict[str, Any], reason: str
) -> None:
    row = {**ENTERPRISE_ROW, "uscc": USCC_B, **changes}
    assert reason in refused_by_database(one_enterprise_db.engine, "enterprise", row)


def test_the_database_refuses_a_second_enterprise_with_the_same_uscc(one_enterprise_db: Shared) -> None:
    reason = refused_by_database(one_enterprise_db.engine, "enterprise", {**ENTERPRISE_ROW, "name": "另一家公司"})
    assert "uscc" in reason
    assert row_counts(one_enterprise_db.engine, "enterprise") == {"enterprise": 1}


def test_an_unknown_value_longer_than_any_allowed_one_is_refused_too(one_enterprise_db: Shared) -> None:
    """PostgreSQL stops it at the column's length (a DataError), SQLite at the CHECK constraint."""
    refused_by_database(one_enterprise_db.engine, "enterprise",
                        {**ENTERPRISE_ROW, "uscc": USCC_B, "industry": "petrochemical_refining_and_storage"},
                        errors=(IntegrityError, DataError))


HAZARD_REFUSALS = [
    pytest.param(MAJOR_HAZARD_ROW, {"contingency_plan": None}, "ck_hazard_major_five_in_place",
                 id="major-without-contingency-plan"),
    pytest.param(MAJOR_HAZARD_ROW, {"measures": None}, "ck_hazard_major_five_in_place", id="major-without-measures"),
    pytest.param(MAJOR_HAZARD_ROW, {"funds_yuan": None}, "ck_hazard_major_five_in_place", id="major-without-funds"),
    pytest.param(MAJOR_HAZARD_ROW, {"listed_supervision": False}, "ck_hazard_major_five_in_place",
                 id="major-not-listed-for-supervision"),
    pytest.param(GENERAL_HAZARD_ROW, {"responsible_person": None}, "responsible_person",
                 id="without-responsible-person"),
    pytest.param(GENERAL_HAZARD_ROW, {"deadline": None}, "deadline", id="without-deadline"),
    pytest.param(GENERAL_HAZARD_ROW, {"status": "verified", "rectified_on": "2026-03-10", "verified_on": "2026-03-09",
                                      "verified_by": "陈工"},
                 "ck_hazard_verified_after_rectified", id="verified-before-rectified"),
    pytest.param(GENERAL_HAZARD_ROW, {"status": "verified", "verified_on": "2026-03-09", "verified_by": "陈工"},
                 "ck_hazard_verified_after_rectified", id="verified-without-rectified"),
    pytest.param(GENERAL_HAZARD_ROW, {"status": "verified", "rectified_on": "2026-03-10"},
                 "ck_hazard_status_matches_dates", id="status-verified-without-verified-on"),
    pytest.param(GENERAL_HAZARD_ROW, {"status": "verified", "rectified_on": "2026-03-10",
                                      "verified_on": "2026-03-11"},
                 "ck_hazard_status_matches_dates", id="status-verified-without-verifier"),
    pytest.param(GENERAL_HAZARD_ROW, {"status": "rectified"}, "ck_hazard_status_matches_dates",
                 id="status-rectified-without-rectified-on"),
    pytest.param(GENERAL_HAZARD_ROW, {"status": "open", "rectified_on": "2026-03-10"},
                 "ck_hazard_status_matches_dates", id="status-open-but-rectified"),
    pytest.param(GENERAL_HAZARD_ROW, {"status": "rectified", "rectified_on": "2026-03-01"},
                 "ck_hazard_rectified_after_found", id="rectified-before-found"),
    pytest.param(GENERAL_HAZARD_ROW, {"deadline": "2026-03-01"}, "ck_hazard_deadline_after_found",
                 id="deadline-before-found"),
    pytest.param(GENERAL_HAZARD_ROW, {"funds_yuan": -1}, "ck_hazard_funds_non_negative", id="negative-funds"),
    pytest.param(GENERAL_HAZARD_ROW, {"category": "flood"}, "ck_hazard_hazard_category", id="unknown-category"),
    pytest.param(GENERAL_HAZARD_ROW, {"severity": "minor"}, "ck_hazard_hazard_severity", id="unknown-severity"),
    pytest.param(GENERAL_HAZARD_ROW, {"status": "closed"}, "status", id="unknown-status"),
    pytest.param(GENERAL_HAZARD_ROW, {"enterprise_id": 999}, "foreign key", id="missing-enterprise"),
    pytest.param(GENERAL_HAZARD_ROW, {"inspection_id": 999}, "foreign key", id="missing-inspection"),
]


@pytest.mark.parametrize(("row", "changes", "reason"), HAZARD_REFUSALS)
def test_the_database_refuses_a_bad_hazard_row(
    one_enterprise_db: Shared, row: dict[str, Any], changes: dict[str, Any], reason: str
) -> None:
    values = {"enterprise_id": one_enterprise_db.enterprise_id, **row, **changes}
    assert reason in refused_by_database(one_enterprise_db.engine, "hazard", values)


OTHER_REFUSALS = [
    pytest.param("loan_override", LOAN_OVERRIDE_ROW, {"expires_on": "2025-12-31"},
                 "ck_loan_override_expires_after_decided", id="loan-override-expiring-before-decided"),
    pytest.param("loan_override", LOAN_OVERRIDE_ROW, {"reason": "   "}, "ck_loan_override_reason_not_blank",
                 id="loan-override-without-reason"),
    pytest.param("loan_override", LOAN_OVERRIDE_ROW, {"decision": "maybe"}, "ck_loan_override_loan_decision",
                 id="loan-override-unknown-decision"),
    pytest.param("enforcement", ENFORCEMENT_ROW, {"lifted_on": "2026-02-09"}, "ck_enforcement_lifted_after_decided",
                 id="enforcement-lifted-before-decided"),
    pytest.param("enforcement", ENFORCEMENT_ROW, {"action": "fine", "fine_yuan": -5},
                 "ck_enforcement_fine_non_negative", id="negative-fine"),
    pytest.param("accident", ACCIDENT_ROW, {"deaths": -1}, "ck_accident_deaths_non_negative",
                 id="negative-deaths"),
    pytest.param("accident", ACCIDENT_ROW, {"enterprise_id": 999}, "foreign key", id="accident-missing-enterprise"),
]


@pytest.mark.parametrize(("table", "row", "changes", "reason"), OTHER_REFUSALS)
def test_the_database_refuses_other_bad_rows(
    one_enterprise_db: Shared, table: str, row: dict[str, Any], changes: dict[str, Any], reason: str
) -> None:
    values = {"enterprise_id": one_enterprise_db.enterprise_id, **row, **changes}
    assert reason in refused_by_database(one_enterprise_db.engine, table, values)


def test_the_good_rows_these_refusals_start_from_are_accepted(engine: Engine, enterprise_id: int) -> None:
    with engine.begin() as connection:
        insert(connection, "hazard", {"enterprise_id": enterprise_id, **GENERAL_HAZARD_ROW})
        insert(connection, "hazard", {"enterprise_id": enterprise_id, **MAJOR_HAZARD_ROW, "status": "verified",
                                      "rectified_on": "2026-03-02", "verified_on": "2026-03-02", "verified_by": "陈工"})
        for table, row in (("loan_override", LOAN_OVERRIDE_ROW), ("enforcement", ENFORCEMENT_ROW),
                           ("accident", ACCIDENT_ROW)):
            insert(connection, table, {"enterprise_id": enterprise_id, **row})
        insert(connection, "enterprise", {**ENTERPRISE_ROW, "uscc": USCC_B, "special_operators": 5,
                                          "special_operators_certified": 5})
    assert row_counts(engine, "enterprise", "hazard", "loan_override", "enforcement", "accident") == {
        "enterprise": 2, "hazard": 2, "loan_override": 1, "enforcement": 1, "accident": 1}


# --- server defaults for what a plain-SQL writer leaves out ---


def test_an_enterprise_written_with_only_the_required_columns_gets_the_defaults(
    engine: Engine, enterprise_id: int
) -> None:
    with Session(engine) as s:
        row = s.get(Enterprise, enterprise_id)
    assert row is not None
    assert row.version == 1
    assert isinstance(row.created_at, datetime) and isinstance(row.updated_at, datetime)
    assert row.status == "operating"
    assert row.standardization_grade == "none" and row.major_hazard_source == "none"
    assert (row.employees, row.safety_staff_fulltime, row.safety_staff_parttime, row.special_operators,
            row.special_operators_certified) == (0, 0, 0, 0, 0)
    assert (row.safety_org, row.principal_certified, row.safety_managers_certified) == (False, False, False)
    assert row.name_en is None and row.plot_id is None and row.license_no is None


def test_a_hazard_written_with_only_the_required_columns_gets_the_defaults(
    engine: Engine, enterprise_id: int
) -> None:
    hazard_id = insert_committed(engine, "hazard", {"enterprise_id": enterprise_id, **GENERAL_HAZARD_ROW})
    with Session(engine) as s:
        row = s.get(Hazard, hazard_id)
    assert row is not None
    assert row.version == 1 and isinstance(row.created_at, datetime) and isinstance(row.updated_at, datetime)
    assert row.status == "open"
    assert row.listed_supervision is False and row.publicly_exposed is False
    assert row.rectified_on is None and row.verified_on is None and row.verified_by is None


def test_a_user_and_an_audit_row_written_by_plain_sql_get_their_defaults(engine: Engine) -> None:
    user_id = insert_committed(engine, "app_user", {"username": "wang", "display_name": "王建国", "role": "committee",
                                                    "password_hash": "$argon2id$x"})
    audit_id = insert_committed(engine, "audit_log", {"username": "importer", "action": "create",
                                                      "entity": "enterprise"})
    with Session(engine) as s:
        user = s.get(AppUser, user_id)
        audit = s.get(AuditLog, audit_id)
    assert user is not None and user.active is True
    assert audit is not None and isinstance(audit.at, datetime)


def test_an_enterprise_written_by_plain_sql_can_be_edited_through_the_service(
    engine: Engine, enterprise_id: int
) -> None:
    with Session(engine) as s:
        row = s.get(Enterprise, enterprise_id)
        assert row is not None
        form = row.model_dump(exclude={"id", "created_at", "updated_at"})
        saved = update_enterprise(session=s, actor=SYSTEM, enterprise_id=enterprise_id,
                                  data={**form, "employees": 40})
        s.commit()
        assert saved.version == 2
    with engine.connect() as connection:
        assert connection.execute(text("SELECT employees, version FROM enterprise")).one() == (40, 2)

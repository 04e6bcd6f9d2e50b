"""The hazard worklist and the public-exposure flag through the services, on each database.

A small park at a fixed date D holds hazards in every state (and one found after D, one verified
after D, two closed just inside and just outside the 90-day window): the worklist lists exactly the
unverified ones, most overdue first then by deadline, and each filter keeps exactly the rows it should;
on SQLite every worklist query is driven by an index, never a scan of the hazard table.
``set_public_exposure`` is for staff and admin only, checks the version, audits and bumps the revision.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, event, select, text
from sqlmodel import Session, col

from dashboard.services.enterprises import create_enterprise
from dashboard.services.hazard_worklist import (
    WorklistCounts,
    WorklistQuery,
    hazard_detail,
    hazard_worklist,
    set_public_exposure,
    worklist_counts,
)
from dashboard.services.hazards import create_hazard
from dashboard.services.permissions import SYSTEM, Actor, PermissionDenied
from models import AuditLog, Hazard, Park, RecordInvalid, Role
from tests.records import (
    USCC_A,
    USCC_B,
    USCC_C,
    data_revision,
    enterprise_data,
    general_hazard_data,
    major_hazard_data,
    row_counts,
)

D = date(2026, 3, 20)
STAFF = Actor("staff.zhang", Role.staff)
ADMIN = Actor("admin", Role.admin)


def day(offset: int) -> str:
    return (D + timedelta(days=offset)).isoformat()


@dataclass(frozen=True)
class ElevenHazards:
    """The ids of the three enterprises (A, B, C) and of the hazards h1..h11 by name."""

    enterprises: dict[str, int]
    hazards: dict[str, int]


@pytest.fixture
def eleven_hazards(engine: Engine, park: Park) -> ElevenHazards:
    """Three enterprises (A, B, C) and eleven hazards h1..h11 in every state the worklist tells apart around D."""
    with Session(engine, expire_on_commit=False) as s:
        firms = {
            "A": create_enterprise(session=s, actor=SYSTEM, data=enterprise_data()),
            "B": create_enterprise(session=s, actor=SYSTEM, data=enterprise_data(
                uscc=USCC_B, name="滨江机械制造有限公司", name_en="Binjiang Machinery Co., Ltd.", industry="machinery",
                major_hazard_source="none", license_no=None, license_expires_on=None)),
            "C": create_enterprise(session=s, actor=SYSTEM, data=enterprise_data(
                uscc=USCC_C, name="青岚纺织有限公司", name_en=None, industry="textiles", major_hazard_source="none",
                license_no=None, license_expires_on=None)),
        }
        ids = {name: firm.id or 0 for name, firm in firms.items()}

        def general(firm: str, **fields: Any) -> dict[str, Any]:
            return general_hazard_data(ids[firm], **fields)

        made = {
            # overdue by 10 days, open
            "h1": general("A", category="fire", found_on=day(-30), deadline=day(-10)),
            # a major hazard being rectified, overdue by 3 days
            "h2": major_hazard_data(ids["A"], found_on=day(-40), deadline=day(-3), status="rectifying"),
            # open, 5 days left, publicly exposed
            "h3": general("B", category="electrical", found_on=day(-2), deadline=day(5), publicly_exposed=True),
            # rectified (awaiting verification) after its deadline: not overdue
            "h4": general("B", category="fire", found_on=day(-25), deadline=day(-20), status="rectified",
                          rectified_on=day(-15)),
            # open, due today
            "h5": general("A", category="machinery", found_on=day(-7), deadline=day(0)),
            # closed 30 days before D, and exactly 90 and 91 days before D
            "h6": general("B", category="fire", found_on=day(-50), deadline=day(-40), status="verified",
                          rectified_on=day(-35), verified_on=day(-30), verified_by="园区安监科 张工"),
            "h11": general("A", category="fire", found_on=day(-120), deadline=day(-100), status="verified",
                           rectified_on=day(-95), verified_on=day(-90), verified_by="园区安监科 张工"),
            "h7": general("A", category="fire", found_on=day(-120), deadline=day(-100), status="verified",
                          rectified_on=day(-95), verified_on=day(-91), verified_by="园区安监科 张工"),
            # found after D: not there yet
            "h8": general("C", category="fire", found_on=day(1), deadline=day(10)),
            # rectified before D and verified after D: at D it is rectified, awaiting verification
            "h9": general("C", category="electrical", found_on=day(-9), deadline=day(-6), status="verified",
                          rectified_on=day(-5), verified_on=day(2), verified_by="园区安监科 张工"),
        }
        hazards = {name: create_hazard(session=s, actor=SYSTEM, data=data).id or 0 for name, data in made.items()}
        s.commit()
    return ElevenHazards(enterprises=ids, hazards=hazards)


def listed(engine: Engine, eleven_hazards: ElevenHazards, query: WorklistQuery | None = None,
           **paging: int) -> list[str]:
    """The worklist's rows at D by hazard name, in order."""
    names = {hazard_id: name for name, hazard_id in eleven_hazards.hazards.items()}
    with Session(engine) as s:
        page = hazard_worklist(s, D, query, **paging)
    return [names[int(i)] for i in page.rows["id"]]


# --- the worklist ---------------------------------------------------------------------------------


def test_the_worklist_lists_unverified_hazards_most_overdue_first_then_by_deadline(
        engine: Engine, eleven_hazards: ElevenHazards) -> None:
    with Session(engine) as s:
        page = hazard_worklist(s, D)
    names = {hazard_id: name for name, hazard_id in eleven_hazards.hazards.items()}
    rows = {names[int(r["id"])]: r for r in page.rows.to_dict("records")}
    assert [names[int(i)] for i in page.rows["id"]] == ["h1", "h2", "h4", "h9", "h5", "h3"]
    assert page.total == 6
    assert {name: (r["state"], r["days_overdue"], None if pd.isna(r["days_left"]) else r["days_left"])
            for name, r in rows.items()} == {
        "h1": ("open", 10, None), "h2": ("rectifying", 3, None), "h4": ("rectified", 0, None),
        "h9": ("rectified", 0, None), "h5": ("open", 0, 0), "h3": ("open", 0, 5),
    }
    # h9 is verified after D: at D it has not been verified yet
    assert (rows["h9"]["verified_on"], rows["h9"]["verified_by"], rows["h9"]["status"]) == (None, None, "verified")
    assert (rows["h2"]["listed_supervision"], rows["h2"]["severity"]) == (True, "major")
    assert [name for name, r in rows.items() if r["publicly_exposed"]] == ["h3"]
    assert (rows["h3"]["enterprise_name"], rows["h3"]["enterprise_name_en"], rows["h3"]["uscc"]) == (
        "滨江机械制造有限公司", "Binjiang Machinery Co., Ltd.", USCC_B)
    assert rows["h1"]["version"] == 1


@pytest.mark.parametrize(("query", "expected"), [
    (WorklistQuery(search="binjiang"), ["h4", "h3"]),  # the English name, any case
    (WorklistQuery(search="精细化工"), ["h1", "h2", "h5"]),
    (WorklistQuery(search=USCC_C[4:12].lower()), ["h9"]),  # part of the credit code
    (WorklistQuery(search="%"), []),  # a wildcard is a character like any other
    (WorklistQuery(categories=("fire",)), ["h1", "h4"]),
    (WorklistQuery(categories=("fire", "electrical")), ["h1", "h4", "h9", "h3"]),
    (WorklistQuery(severities=("major",)), ["h2"]),
    (WorklistQuery(states=("open",)), ["h1", "h5", "h3"]),
    (WorklistQuery(states=("rectifying",)), ["h2"]),
    (WorklistQuery(states=("rectified",)), ["h4", "h9"]),
    (WorklistQuery(states=("open", "rectified")), ["h1", "h4", "h9", "h5", "h3"]),
    (WorklistQuery(overdue_only=True), ["h1", "h2"]),
    (WorklistQuery(overdue_only=True, search="binjiang"), []),
    (WorklistQuery(listed_only=True), ["h2"]),
    (WorklistQuery(exposed_only=True), ["h3"]),
    (WorklistQuery(categories=("fire",), states=("rectified",)), ["h4"]),
    (WorklistQuery(view="closed"), ["h6", "h11"]),  # the latest closure first; 91 days ago is out
    (WorklistQuery(view="closed", search="精细化工"), ["h11"]),
])
def test_each_filter_keeps_exactly_its_rows(engine: Engine, eleven_hazards: ElevenHazards, query: WorklistQuery,
                                             expected: list[str]) -> None:
    assert listed(engine, eleven_hazards, query) == expected
    with Session(engine) as s:
        assert hazard_worklist(s, D, query).total == len(expected)


def test_pages_of_the_worklist(engine: Engine, eleven_hazards: ElevenHazards) -> None:
    assert listed(engine, eleven_hazards, None, offset=0, limit=4) == ["h1", "h2", "h4", "h9"]
    assert listed(engine, eleven_hazards, None, offset=4, limit=4) == ["h5", "h3"]
    assert listed(engine, eleven_hazards, None, offset=8, limit=4) == []
    with Session(engine) as s:
        assert hazard_worklist(s, D, None, offset=4, limit=4).total == 6


def test_counts_of_the_park(engine: Engine, eleven_hazards: ElevenHazards) -> None:
    with Session(engine) as s:
        assert worklist_counts(s, D) == WorklistCounts(
            todo=6, open=3, rectifying=1, rectified=2, overdue=2, listed=1, exposed=1, closed_recently=2)
        # three days earlier: h3 was not found yet
        assert worklist_counts(s, D - timedelta(days=3)).todo == 5


def test_the_detail_of_one_hazard(engine: Engine, eleven_hazards: ElevenHazards) -> None:
    with Session(engine) as s:
        detail = hazard_detail(s, eleven_hazards.hazards["h2"], D)
        missing = hazard_detail(s, 999_999, D)
    assert detail is not None and missing is None
    assert (detail.state, detail.status, detail.days_overdue, detail.severity, detail.listed_supervision) == (
        "rectifying", "rectifying", 3, "major", True)
    assert (detail.enterprise_name, detail.uscc, detail.funds_yuan, detail.contingency_plan) == (
        "临江精细化工有限公司", USCC_A, 180000.0, "Tank farm leak plan, rev. 3")


@pytest.fixture
def sql_seen(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def keep(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    yield seen
    event.remove(engine, "before_cursor_execute", keep)


@pytest.mark.parametrize("query", [
    WorklistQuery(), WorklistQuery(states=("rectified",)), WorklistQuery(exposed_only=True),
    WorklistQuery(categories=("fire",), severities=("general",), overdue_only=True), WorklistQuery(search="binjiang"),
    WorklistQuery(view="closed"),
])
def test_sqlite_reads_the_worklist_through_an_index(engine: Engine, eleven_hazards: ElevenHazards,
                                                     sql_seen: list[tuple[str, Any]], query: WorklistQuery) -> None:
    """SQLite has no statistics to plan by: without care it walks a whole date index (seconds on a county
    of 1,000,000 hazards). Every worklist query must search the hazard table through an index."""
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL plans with its statistics")
    with Session(engine) as s:
        hazard_worklist(s, D, query)
        worklist_counts(s, D)
    assert sql_seen
    with engine.connect() as connection:
        for statement, parameters in sql_seen:
            plan = [str(row[3]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}",
                                                                      parameters)]
            on_hazard = [step for step in plan if " hazard " in f"{step} "]
            assert on_hazard, plan
            assert not any(step.startswith("SCAN hazard") for step in on_hazard), plan
            assert all("verified_on" in step or "PRIMARY KEY" in step for step in on_hazard), plan


# --- public exposure ------------------------------------------------------------------------------


def stored(engine: Engine, hazard_id: int) -> tuple[bool, int]:
    with Session(engine) as s:
        row = s.get(Hazard, hazard_id)
        assert row is not None
        return bool(row.publicly_exposed), row.version


def audits(engine: Engine, hazard_id: int) -> list[AuditLog]:
    with Session(engine) as s:
        return list(s.execute(select(AuditLog).where(col(AuditLog.entity) == "hazard",
                                                     col(AuditLog.entity_id) == hazard_id)
                              .order_by(col(AuditLog.id))).scalars().all())


def expose(engine: Engine, hazard_id: int, exposed: bool, actor: Actor = STAFF, version: int | None = None) -> None:
    with Session(engine) as s:
        shown = version if version is not None else stored(engine, hazard_id)[1]
        set_public_exposure(session=s, actor=actor, hazard_id=hazard_id, version=shown, exposed=exposed)
        s.commit()


def test_staff_expose_a_hazard_and_withdraw_it_audited(engine: Engine, eleven_hazards: ElevenHazards) -> None:
    hid = eleven_hazards.hazards["h1"]
    revision = data_revision(engine)
    expose(engine, hid, True)
    assert stored(engine, hid) == (True, 2)
    assert data_revision(engine) == revision + 1
    expose(engine, hid, False, actor=ADMIN)
    assert stored(engine, hid) == (False, 3)
    rows = audits(engine, hid)
    assert [(r.action, r.username) for r in rows] == [
        ("create", "system"), ("expose", "staff.zhang"), ("withdraw_exposure", "admin")]
    before, after = json.loads(rows[1].before_json or "{}"), json.loads(rows[1].after_json or "{}")
    assert (before["publicly_exposed"], after["publicly_exposed"]) == (False, True)
    with Session(engine) as s:
        assert listed(engine, eleven_hazards, WorklistQuery(exposed_only=True)) == ["h3"]
        assert worklist_counts(s, D).exposed == 1


def test_exposing_an_exposed_hazard_changes_nothing(engine: Engine, eleven_hazards: ElevenHazards) -> None:
    hid = eleven_hazards.hazards["h3"]
    before = (row_counts(engine, "audit_log"), data_revision(engine), stored(engine, hid))
    expose(engine, hid, True)
    assert (row_counts(engine, "audit_log"), data_revision(engine), stored(engine, hid)) == before


@pytest.mark.parametrize("role", [Role.committee, Role.finance])
def test_only_staff_and_admin_may_expose(engine: Engine, eleven_hazards: ElevenHazards, role: Role) -> None:
    hid = eleven_hazards.hazards["h1"]
    before = (row_counts(engine, "audit_log"), data_revision(engine), stored(engine, hid))
    with pytest.raises(PermissionDenied):
        expose(engine, hid, True, actor=Actor("someone", role))
    assert (row_counts(engine, "audit_log"), data_revision(engine), stored(engine, hid)) == before


def test_a_stale_version_is_refused_and_nothing_changes(engine: Engine, eleven_hazards: ElevenHazards) -> None:
    hid = eleven_hazards.hazards["h1"]
    expose(engine, hid, True)  # version 1 -> 2
    before = (row_counts(engine, "audit_log"), data_revision(engine), stored(engine, hid))
    with pytest.raises(RecordInvalid) as caught:
        expose(engine, hid, False, version=1)
    assert [(p.field, p.code) for p in caught.value.problems] == [("version", "stale_version")]
    assert (row_counts(engine, "audit_log"), data_revision(engine), stored(engine, hid)) == before


def test_an_unknown_hazard_is_refused(engine: Engine, eleven_hazards: ElevenHazards) -> None:
    with pytest.raises(RecordInvalid) as caught:
        expose(engine, 999_999, True, version=1)
    assert [(p.field, p.code) for p in caught.value.problems] == [("id", "unknown_reference")]


def test_the_database_holds_what_the_worklist_shows(engine: Engine, eleven_hazards: ElevenHazards) -> None:
    """The worklist's total is the plain count of hazards found by D and not verified by D."""
    with engine.connect() as connection:
        plain = connection.execute(text(
            "SELECT count(*) FROM hazard WHERE found_on <= :d AND (verified_on IS NULL OR verified_on > :d)"),
            {"d": D}).scalar_one()
    with Session(engine) as s:
        assert hazard_worklist(s, D).total == plain == 6

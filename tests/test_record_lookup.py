"""The reads behind the Records page's forms, on each database: enterprises to pick from, one record as
its form holds it (with the stored version), an enterprise's records newest first, what changed since a
form was opened, and who changed it last."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session

from dashboard.services.audit import last_change
from dashboard.services.enterprises import update_enterprise
from dashboard.services.permissions import Actor
from dashboard.services.record_lookup import (
    ENTERPRISE_FIELDS,
    changes_since,
    enterprise_choices,
    enterprise_record,
    hazard_record,
    park_place,
    record,
    records_of,
)
from dashboard.services.records import create_record, record_inspection
from models import AppUser, Enterprise, Park, Role
from tests.records import enterprise_data, general_hazard_data

STAFF = Actor("li.staff", Role.staff)


def test_enterprise_choices_and_one_enterprise_as_its_form_holds_it(engine: Engine, enterprise: Enterprise) -> None:
    with Session(engine) as session:
        choices = enterprise_choices(session)
        opened = enterprise_record(session, enterprise.id or 0)
        assert enterprise_record(session, 9999) is None
    assert choices.to_dict("records") == [{"id": enterprise.id, "uscc": enterprise.uscc, "name": enterprise.name,
                                           "name_en": enterprise.name_en, "status": "operating"}]
    assert opened is not None
    assert set(opened) == {"id", "version", *ENTERPRISE_FIELDS}
    assert (opened["version"], opened["industry"], opened["license_expires_on"]) == (
        1, "hazardous_chemicals", date(2027, 6, 30))
    assert isinstance(opened["industry"], str)  # a plain value a widget can hold, not an enum member


def test_the_form_reads_the_stored_version_after_someone_else_saved(engine: Engine, enterprise: Enterprise) -> None:
    with Session(engine) as reader:  # the first user opens the form
        opened = enterprise_record(reader, enterprise.id or 0)
        assert opened is not None
    with Session(engine) as writer:  # another user saves
        update_enterprise(session=writer, actor=STAFF, enterprise_id=enterprise.id or 0,
                          data=enterprise_data(employees=150, phone="0571-1", version=1))
        writer.commit()
    with Session(engine) as reader:  # the first user's save is refused; the page reads the record again
        current = enterprise_record(reader, enterprise.id or 0)
    assert current is not None and current["version"] == 2
    changed = changes_since(opened, current, ENTERPRISE_FIELDS)
    assert [(c.field, c.opened, c.current) for c in changed] == [("phone", "0571-88886666", "0571-1"),
                                                                 ("employees", 120, 150)]


def test_last_change_names_the_user_and_falls_back_to_the_username(engine: Engine, enterprise: Enterprise) -> None:
    with Session(engine) as session:
        assert last_change(session, "enterprise", enterprise.id or 0) is not None  # the fixture's create
        session.add(AppUser(username="li.staff", display_name="安监办 李娜", role=Role.staff, password_hash="x"))
        update_enterprise(session=session, actor=STAFF, enterprise_id=enterprise.id or 0,
                          data=enterprise_data(employees=99, version=1))
        session.commit()
        latest = last_change(session, "enterprise", enterprise.id or 0)
        assert latest is not None and (latest.username, latest.display_name) == ("li.staff", "安监办 李娜")
        assert latest.at is not None
        assert last_change(session, "hazard", 12345) is None


def test_an_enterprises_records_newest_first_with_hazard_counts(engine: Engine, enterprise: Enterprise) -> None:
    eid = enterprise.id or 0
    with Session(engine) as session:
        older, _ = record_inspection(session=session, actor=STAFF, inspection={
            "enterprise_id": eid, "inspected_on": "2026-03-02", "tier": "park", "inspector": "王强"},
            hazards=[general_hazard_data(eid), general_hazard_data(eid, description="Extinguisher missing")])
        newer, _ = record_inspection(session=session, actor=STAFF, inspection={
            "enterprise_id": eid, "inspected_on": "2026-04-10", "tier": "self", "inspector": "李娜"})
        sign = create_record(session=session, actor=STAFF, table="safety_sign", data={
            "enterprise_id": eid, "kind": "publicity_board", "location": "Gate", "installed_on": "2025-01-01"})
        create_record(session=session, actor=STAFF, table="sign_check", data={
            "safety_sign_id": sign.id, "checked_on": "2026-04-01", "condition": "damaged", "checked_by": "李娜"})
        session.commit()
        inspections = records_of(session, "inspection", eid)
        hazards = records_of(session, "hazard", eid)
        checks = records_of(session, "sign_check", eid)
        signs = records_of(session, "safety_sign", eid)
        assert records_of(session, "accident", eid).empty
        hazard = hazard_record(session, int(hazards["id"].iloc[0]))
        check = record(session, "sign_check", int(checks["id"].iloc[0]))
    assert list(inspections["id"]) == [newer.id, older.id]
    assert list(inspections["hazards"]) == [0, 2]
    assert list(inspections["tier"]) == ["self", "park"]
    assert len(hazards) == 2 and set(hazards["inspection_id"]) == {older.id}
    assert hazard is not None and hazard["version"] == 1 and hazard["status"] == "open"
    assert check is not None and (check["condition"], check["checked_by"]) == ("damaged", "李娜")
    assert (signs["condition"].iloc[0], signs["last_checked_on"].iloc[0]) == ("damaged", date(2026, 4, 1))


def test_a_new_enterprise_starts_at_the_parks_centre(engine: Engine, park: Park) -> None:
    with Session(engine) as session:
        place = park_place(session)
    assert place is not None
    assert (place.center_lat, place.center_lon) == (30.25, 120.15)
    assert (place.min_lat, place.max_lat, place.min_lon, place.max_lon) == (30.20, 30.30, 120.10, 120.20)

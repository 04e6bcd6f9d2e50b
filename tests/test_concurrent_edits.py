"""Two users editing the same enterprise or hazard: the second save is refused with the stale-version
message, which names the user who saved the newer version in the reader's language; nothing is overwritten;
a hazard's correction cannot move it along the loop; an enterprise is deleted softly (closed), audited."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, select, text
from sqlmodel import Session, col

from dashboard.services.enterprises import close_enterprise, update_enterprise
from dashboard.services.hazard_workflow import transition_hazard
from dashboard.services.hazard_worklist import set_public_exposure
from dashboard.services.hazards import create_hazard, update_hazard
from dashboard.services.permissions import Actor
from models import AppUser, AuditLog, Enterprise, Hazard, RecordInvalid, Role
from tests.records import data_revision, enterprise_data, general_hazard_data, row_counts

STAFF_A = Actor("li.staff", Role.staff)
STAFF_B = Actor("zhou.staff", Role.staff)


def hazard_form(hazard: Hazard, **changes: Any) -> dict[str, Any]:
    """What an edit form holds for ``hazard``: all its fields and the version it was read at."""
    fields = {name: getattr(hazard, name) for name in (
        "enterprise_id", "inspection_id", "found_on", "category", "severity", "description", "responsible_person",
        "measures", "funds_yuan", "deadline", "contingency_plan", "status", "rectified_on", "verified_on",
        "verified_by", "listed_supervision", "publicly_exposed", "version")}
    return {**fields, **changes}


def test_the_second_of_two_enterprise_editors_is_refused(engine: Engine, enterprise: Enterprise) -> None:
    # two users open the same enterprise's form (each read in its own session, as each page run does)
    with Session(engine) as s:
        opened = s.get(Enterprise, enterprise.id)
        assert opened is not None
        version_a = version_b = opened.version
    with Session(engine) as first:
        update_enterprise(session=first, actor=STAFF_A, enterprise_id=enterprise.id or 0,
                          data=enterprise_data(employees=130, version=version_a))
        first.commit()
    before = (row_counts(engine, "audit_log"), data_revision(engine))
    with Session(engine) as second, pytest.raises(RecordInvalid) as caught:
        update_enterprise(session=second, actor=STAFF_B, enterprise_id=enterprise.id or 0,
                          data=enterprise_data(employees=90, version=version_b))
    assert caught.value.fields == {"version"}
    assert caught.value.messages("en") == [
        "This record was changed by li.staff since you opened it; reload it to see the change."]
    with Session(engine) as s:
        stored = s.get(Enterprise, enterprise.id)
        assert stored is not None and (stored.employees, stored.version) == (130, 2)
    assert (row_counts(engine, "audit_log"), data_revision(engine)) == before


def test_the_second_of_two_hazard_editors_is_refused(engine: Engine, enterprise: Enterprise) -> None:
    with Session(engine, expire_on_commit=False) as s:
        hazard = create_hazard(session=s, actor=STAFF_A, data=general_hazard_data(enterprise.id or 0))
        s.commit()
    with Session(engine) as s:
        opened = s.get(Hazard, hazard.id)
        assert opened is not None
        form_a, form_b = hazard_form(opened, deadline=date(2026, 3, 20)), hazard_form(opened, responsible_person="赵六")
    with Session(engine) as first:
        update_hazard(session=first, actor=STAFF_A, hazard_id=hazard.id or 0, data=form_a)
        first.commit()
    with Session(engine) as second, pytest.raises(RecordInvalid) as caught:
        update_hazard(session=second, actor=STAFF_B, hazard_id=hazard.id or 0, data=form_b)
    assert caught.value.fields == {"version"}
    with Session(engine) as s:
        stored = s.get(Hazard, hazard.id)
        assert stored is not None
        assert (stored.deadline, stored.responsible_person, stored.version) == (date(2026, 3, 20), "王强", 2)


def test_a_correction_cannot_move_a_hazard_along_the_loop(engine: Engine, enterprise: Enterprise) -> None:
    with Session(engine, expire_on_commit=False) as s:
        hazard = create_hazard(session=s, actor=STAFF_A, data=general_hazard_data(enterprise.id or 0))
        s.commit()
    with Session(engine) as s, pytest.raises(RecordInvalid) as caught:
        update_hazard(session=s, actor=STAFF_A, hazard_id=hazard.id or 0,
                      data=hazard_form(hazard, status="rectified", rectified_on=date(2026, 3, 10)))
    assert caught.value.fields == {"status", "rectified_on"}
    assert caught.value.messages("en")[0].endswith("changes only through the hazard's workflow buttons "
                                                   "(rectified, verified, reopen).")


def test_deleting_an_enterprise_closes_it_and_keeps_its_records(engine: Engine, enterprise: Enterprise) -> None:
    with Session(engine, expire_on_commit=False) as s:
        create_hazard(session=s, actor=STAFF_A, data=general_hazard_data(enterprise.id or 0))
        s.commit()
    with Session(engine) as s:
        close_enterprise(session=s, actor=STAFF_A, enterprise_id=enterprise.id or 0, version=1)
        s.commit()
    with Session(engine) as s:
        stored = s.get(Enterprise, enterprise.id)
        assert stored is not None and stored.status == "closed"
        assert row_counts(engine, "hazard")["hazard"] == 1
        actions = s.execute(select(AuditLog.action).where(col(AuditLog.entity) == "enterprise")).scalars().all()
    assert list(actions) == ["create", "delete"]


# --- who saved the newer version -----------------------------------------------------------------


def _staff_account(engine: Engine, username: str, display_name: str) -> None:
    with Session(engine) as s:
        s.add(AppUser(username=username, display_name=display_name, role=Role.staff, password_hash="x"))
        s.commit()


@pytest.mark.parametrize(("language", "expected"), [
    ("zh", "此记录在您打开后已被安监办 李娜修改,请重新加载后查看。"),
    ("en", "This record was changed by 安监办 李娜 since you opened it; reload it to see the change."),
])
def test_a_stale_save_names_the_user_who_saved_the_newer_version_in_the_readers_language(
    engine: Engine, enterprise: Enterprise, language: str, expected: str
) -> None:
    _staff_account(engine, "li.staff", "安监办 李娜")
    with Session(engine) as first:
        update_enterprise(session=first, actor=STAFF_A, enterprise_id=enterprise.id or 0,
                          data=enterprise_data(employees=130, version=1))
        first.commit()
    with Session(engine) as second, pytest.raises(RecordInvalid) as caught:
        close_enterprise(session=second, actor=STAFF_B, enterprise_id=enterprise.id or 0, version=1)
    assert caught.value.messages(language) == [expected]


def test_a_save_beaten_while_it_was_being_written_names_the_other_user_too(
    engine: Engine, enterprise: Enterprise
) -> None:
    """The version matched when the hazard was read, but another save committed before this one was written:
    the database refuses the update (0 rows at that version), and the refusal still names who saved."""
    _staff_account(engine, "li.staff", "安监办 李娜")
    with Session(engine, expire_on_commit=False) as s:
        hazard = create_hazard(session=s, actor=STAFF_B, data=general_hazard_data(enterprise.id or 0))
        s.commit()
    with Session(engine) as first, Session(engine, expire_on_commit=False) as second:
        opened = second.get(Hazard, hazard.id)  # read at version 1, kept in this session
        assert opened is not None and opened.version == 1
        second.commit()
        set_public_exposure(session=first, actor=STAFF_A, hazard_id=hazard.id or 0, version=1, exposed=True)
        first.commit()
        before = (row_counts(engine, "audit_log"), data_revision(engine))
        with pytest.raises(RecordInvalid) as caught:
            transition_hazard(session=second, actor=STAFF_B, hazard_id=hazard.id or 0, version=1,
                              transition="start_rectifying", today=date(2026, 3, 10))
        second.rollback()
    assert caught.value.messages("zh") == ["此记录在您打开后已被安监办 李娜修改,请重新加载后查看。"]
    assert (row_counts(engine, "audit_log"), data_revision(engine)) == before


@pytest.mark.parametrize(("language", "someone"), [("zh", "其他用户"), ("en", "another user")])
def test_a_record_changed_outside_the_audit_trail_names_another_user(
    engine: Engine, enterprise: Enterprise, language: str, someone: str
) -> None:
    with engine.begin() as connection:  # no audit row for the record at all
        connection.execute(text("DELETE FROM audit_log"))
        connection.execute(text("UPDATE enterprise SET version = version + 1"))
    with Session(engine) as s, pytest.raises(RecordInvalid) as caught:
        update_enterprise(session=s, actor=STAFF_B, enterprise_id=enterprise.id or 0,
                          data=enterprise_data(employees=90, version=1))
    assert someone in caught.value.messages(language)[0]

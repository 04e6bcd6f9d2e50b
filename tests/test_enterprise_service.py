"""Creating and editing enterprises through the service, on each database: valid records are
saved and audited; bad ones are refused with a clear message and leave nothing behind."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from dashboard.services import enterprises
from dashboard.services.enterprises import create_enterprise, update_enterprise
from dashboard.services.permissions import Actor, PermissionDenied
from dashboard.services.revision import current_revision
from dashboard.services.users import add_user
from models import AppUser, AuditLog, Enterprise, Park, RecordInvalid, Role
from tests.records import (
    PARK_MAX_LAT,
    PARK_MIN_LON,
    USCC_A,
    USCC_B,
    USCC_C,
    data_revision,
    enterprise_data,
    row_counts,
)

STAFF = Actor("li.staff", Role.staff)
ADMIN = Actor("admin", Role.admin)
COMMITTEE = Actor("wang.committee", Role.committee)
FINANCE = Actor("zhao.finance", Role.finance)

TABLES = ("enterprise", "audit_log")


def snapshot_of(engine: Engine) -> dict[str, Any]:
    """What the database holds, read in a new connection: row counts, revision, the enterprises."""
    with Session(engine) as s:
        rows = [e.model_dump(exclude={"created_at", "updated_at"}) for e in s.execute(select(Enterprise)).scalars()]
    return {"counts": row_counts(engine, *TABLES), "revision": data_revision(engine), "enterprises": rows}


def edit_form(record: Enterprise, **changes: Any) -> dict[str, Any]:
    """What an edit form submits: every field of the record as read, plus the changes."""
    data = record.model_dump(exclude={"id", "created_at", "updated_at"})
    data.update(changes)
    return data


def test_a_valid_enterprise_is_saved_audited_and_refreshes_cached_figures(
    engine: Engine, session: Session, park: Park
) -> None:
    revision_before = data_revision(engine)
    created = create_enterprise(session=session, actor=STAFF, data=enterprise_data(uscc=f" {USCC_B} "))
    session.commit()

    with Session(engine) as s:
        stored = s.get(Enterprise, created.id)
        assert stored is not None
        assert stored.uscc == USCC_B and stored.name == "临江精细化工有限公司"
        assert stored.industry == "hazardous_chemicals" and stored.employees == 120
        assert stored.version == 1 and stored.created_at is not None and stored.updated_at is not None
        (audit,) = s.execute(select(AuditLog)).scalars().all()
    assert (audit.username, audit.action, audit.entity, audit.entity_id) == ("li.staff", "create", "enterprise",
                                                                              created.id)
    assert audit.at is not None and audit.before_json is None
    after = json.loads(audit.after_json or "null")
    assert after["uscc"] == USCC_B and after["name"] == "临江精细化工有限公司" and after["employees"] == 120
    assert data_revision(engine) == revision_before + 1
    assert current_revision(session) == revision_before + 1


BAD_ENTERPRISES = [
    pytest.param({"uscc": USCC_A[:17] + "X"}, "uscc", "uscc_check_digit", "wrong check character",
                 id="uscc-wrong-check-character"),
    pytest.param({"uscc": USCC_A[:17]}, "uscc", "uscc_length", "must be 18 characters", id="uscc-17-characters"),
    pytest.param({"uscc": USCC_B.lower()}, "uscc", "uscc_characters", "no lower case", id="uscc-lower-case"),
    pytest.param({"employees": -3}, "employees", "negative", "must not be negative", id="negative-employees"),
    pytest.param({"safety_staff_fulltime": -1}, "safety_staff_fulltime", "negative", "must not be negative",
                 id="negative-safety-staff"),
    pytest.param({"special_operators": 4, "special_operators_certified": 5}, "special_operators_certified",
                 "certified_exceeds_total", "cannot exceed the number of special operators",
                 id="certified-above-operators"),
    pytest.param({"industry": "mining"}, "industry", "not_one_of", "must be one of", id="unknown-industry"),
    pytest.param({"status": "bankrupt"}, "status", "not_one_of", "must be one of", id="unknown-status"),
    pytest.param({"lat": PARK_MAX_LAT + 0.01}, "lat", "outside_park", "outside the park", id="north-of-the-park"),
    pytest.param({"lon": PARK_MIN_LON - 0.5}, "lon", "outside_park", "outside the park", id="west-of-the-park"),
    pytest.param({"plot_id": 999}, "plot_id", "unknown_reference", "does not exist", id="unknown-plot"),
    pytest.param({"license_expires_on": "2026-13-01"}, "license_expires_on", "not_a_date", "must be a date",
                 id="impossible-date"),
]


@pytest.mark.parametrize(("changes", "field", "code", "words"), BAD_ENTERPRISES)
def test_a_bad_enterprise_is_refused_with_a_clear_message_and_nothing_is_written(
    engine: Engine, session: Session, park: Park, changes: dict[str, Any], field: str, code: str, words: str
) -> None:
    before = snapshot_of(engine)
    with pytest.raises(RecordInvalid) as caught:
        create_enterprise(session=session, actor=STAFF, data=enterprise_data(**changes))
    session.rollback()
    assert [(p.field, p.code) for p in caught.value.problems] == [(field, code)]
    assert words.lower() in caught.value.messages()[0].lower()
    assert caught.value.messages("zh")[0]
    assert snapshot_of(engine) == before


def test_an_enterprise_outside_the_park_is_refused_naming_the_allowed_range(
    engine: Engine, session: Session, park: Park
) -> None:
    with pytest.raises(RecordInvalid) as caught:
        create_enterprise(session=session, actor=STAFF, data=enterprise_data(lat=31.0, lon=121.0))
    session.rollback()
    assert caught.value.fields == {"lat", "lon"}
    assert caught.value.messages() == [
        "Latitude 31.0 lies outside the park (allowed 30.2 to 30.3).",
        "Longitude 121.0 lies outside the park (allowed 120.1 to 120.2).",
    ]
    assert "不在园区范围内" in caught.value.messages("zh")[0]
    assert row_counts(engine, *TABLES) == {"enterprise": 0, "audit_log": 0}


def test_an_enterprise_on_the_park_boundary_is_inside(engine: Engine, session: Session, park: Park) -> None:
    create_enterprise(session=session, actor=STAFF, data=enterprise_data(lat=PARK_MAX_LAT, lon=PARK_MIN_LON))
    session.commit()
    assert row_counts(engine, "enterprise") == {"enterprise": 1}


def test_a_duplicate_uscc_is_refused_as_already_used_and_the_first_is_kept(
    engine: Engine, session: Session, enterprise: Enterprise
) -> None:
    before = snapshot_of(engine)
    with pytest.raises(RecordInvalid) as caught:
        create_enterprise(session=session, actor=STAFF, data=enterprise_data(uscc=USCC_A, name="另一家公司"))
    session.rollback()
    assert [(p.field, p.code) for p in caught.value.problems] == [("uscc", "duplicate")]
    assert caught.value.messages() == [
        f"Unified social credit code “{USCC_A}” is already used by another record."]
    assert caught.value.messages("zh") == [f"统一社会信用代码“{USCC_A}”已被其他记录使用。"]
    assert snapshot_of(engine) == before


def test_a_duplicate_uscc_that_slips_past_the_check_is_still_refused_by_the_database(
    engine: Engine, session: Session, enterprise: Enterprise, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two people saving the same code at the same moment: the unique constraint has the last word."""
    before = snapshot_of(engine)
    monkeypatch.setattr(enterprises, "_check_against_database", lambda *args, **kwargs: None)
    with pytest.raises(RecordInvalid) as caught:
        create_enterprise(session=session, actor=STAFF, data=enterprise_data(uscc=USCC_A, name="另一家公司"))
    session.rollback()
    assert [(p.field, p.code) for p in caught.value.problems] == [("uscc", "duplicate")]
    assert "already used" in caught.value.messages()[0]
    assert snapshot_of(engine) == before


def test_an_edit_is_saved_audited_with_before_and_after_and_bumps_the_version(
    engine: Engine, session: Session, enterprise: Enterprise
) -> None:
    revision_before = data_revision(engine)
    saved = update_enterprise(session=session, actor=STAFF, enterprise_id=enterprise.id or 0,
                              data=edit_form(enterprise, employees=150, uscc=USCC_C))
    session.commit()
    assert saved.version == 2
    with Session(engine) as s:
        stored = s.get(Enterprise, enterprise.id)
        assert stored is not None and stored.employees == 150 and stored.uscc == USCC_C and stored.version == 2
        audit = s.execute(select(AuditLog).where(col(AuditLog.action) == "update")).scalars().one()
    assert json.loads(audit.before_json or "{}")["employees"] == 120
    assert json.loads(audit.after_json or "{}")["employees"] == 150
    assert data_revision(engine) == revision_before + 1


def test_an_edit_keeping_its_own_uscc_is_not_a_duplicate(
    engine: Engine, session: Session, enterprise: Enterprise
) -> None:
    saved = update_enterprise(session=session, actor=STAFF, enterprise_id=enterprise.id or 0,
                              data=edit_form(enterprise, phone="0571-12345678"))
    session.commit()
    assert saved.version == 2
    with Session(engine) as s:
        stored = s.get(Enterprise, enterprise.id)
        assert stored is not None and (stored.uscc, stored.phone) == (USCC_A, "0571-12345678")
        audit = s.execute(select(AuditLog).where(col(AuditLog.action) == "update")).scalars().one()
    assert json.loads(audit.after_json or "{}")["phone"] == "0571-12345678"


def test_a_bad_edit_is_refused_and_the_stored_enterprise_is_unchanged(
    engine: Engine, session: Session, enterprise: Enterprise
) -> None:
    before = snapshot_of(engine)
    with pytest.raises(RecordInvalid) as caught:
        update_enterprise(session=session, actor=STAFF, enterprise_id=enterprise.id or 0,
                          data=edit_form(enterprise, special_operators=2, special_operators_certified=9))
    session.rollback()
    assert caught.value.fields == {"special_operators_certified"}
    assert snapshot_of(engine) == before


def test_an_edit_taking_another_enterprises_uscc_is_refused(
    engine: Engine, session: Session, enterprise: Enterprise
) -> None:
    other = create_enterprise(session=session, actor=STAFF, data=enterprise_data(uscc=USCC_B, name="另一家公司"))
    session.commit()
    before = snapshot_of(engine)
    with pytest.raises(RecordInvalid) as caught:
        update_enterprise(session=session, actor=STAFF, enterprise_id=other.id or 0,
                          data=edit_form(other, uscc=USCC_A))
    session.rollback()
    assert [(p.field, p.code) for p in caught.value.problems] == [("uscc", "duplicate")]
    assert snapshot_of(engine) == before


def test_editing_an_enterprise_that_does_not_exist_is_refused(engine: Engine, session: Session, park: Park) -> None:
    with pytest.raises(RecordInvalid) as caught:
        update_enterprise(session=session, actor=STAFF, enterprise_id=404, data={**enterprise_data(), "version": 1})
    assert [(p.field, p.code) for p in caught.value.problems] == [("id", "unknown_reference")]
    assert "does not exist" in caught.value.messages()[0]


# --- two people editing the same enterprise ---


def test_the_second_of_two_concurrent_edits_is_refused_and_the_first_is_kept(
    engine: Engine, enterprise: Enterprise
) -> None:
    """Both open the record (version 1); the first saves; the second still holds version 1 in its session."""
    with Session(engine, expire_on_commit=False) as first, Session(engine, expire_on_commit=False) as second:
        mine = first.get(Enterprise, enterprise.id)
        theirs = second.get(Enterprise, enterprise.id)
        assert mine is not None and theirs is not None
        first.commit()
        second.commit()  # end the read transactions; the loaded records stay in each session
        form_first = edit_form(mine, employees=200)
        form_second = edit_form(theirs, employees=300)

        update_enterprise(session=first, actor=STAFF, enterprise_id=enterprise.id or 0, data=form_first)
        first.commit()

        with pytest.raises(RecordInvalid) as caught:
            update_enterprise(session=second, actor=ADMIN, enterprise_id=enterprise.id or 0, data=form_second)
        second.rollback()

    assert [(p.field, p.code) for p in caught.value.problems] == [("version", "stale_version")]
    assert "changed by" in caught.value.messages()[0] and "reload" in caught.value.messages()[0]
    assert "重新加载" in caught.value.messages("zh")[0]
    with Session(engine) as s:
        stored = s.get(Enterprise, enterprise.id)
        assert stored is not None and stored.employees == 200 and stored.version == 2
        updates = s.execute(select(AuditLog).where(col(AuditLog.action) == "update")).scalars().all()
    assert [u.username for u in updates] == ["li.staff"]


def test_saving_a_form_opened_before_someone_elses_save_is_refused(
    engine: Engine, enterprise: Enterprise
) -> None:
    """The stale form reaches a fresh session (the next page load): its version no longer matches."""
    stale_form = edit_form(enterprise, employees=300)
    with Session(engine) as s:
        update_enterprise(session=s, actor=STAFF, enterprise_id=enterprise.id or 0,
                          data=edit_form(enterprise, employees=200))
        s.commit()
    before = snapshot_of(engine)
    with Session(engine) as s, pytest.raises(RecordInvalid) as caught:
        update_enterprise(session=s, actor=STAFF, enterprise_id=enterprise.id or 0, data=stale_form)
    assert caught.value.problems[0].code == "stale_version"
    assert snapshot_of(engine) == before


# --- who may write ---


@pytest.mark.parametrize("actor", [COMMITTEE, FINANCE], ids=["committee", "finance"])
def test_committee_and_finance_may_not_create_enterprises_and_nothing_is_written(
    engine: Engine, session: Session, park: Park, actor: Actor
) -> None:
    with pytest.raises(PermissionDenied) as caught:
        create_enterprise(session=session, actor=actor, data=enterprise_data())
    session.rollback()
    assert actor.username in str(caught.value) and "may not edit records" in str(caught.value)
    assert row_counts(engine, *TABLES) == {"enterprise": 0, "audit_log": 0}
    assert data_revision(engine) == 0


@pytest.mark.parametrize("actor", [COMMITTEE, FINANCE], ids=["committee", "finance"])
def test_committee_and_finance_may_not_edit_enterprises(
    engine: Engine, session: Session, enterprise: Enterprise, actor: Actor
) -> None:
    before = snapshot_of(engine)
    with pytest.raises(PermissionDenied):
        update_enterprise(session=session, actor=actor, enterprise_id=enterprise.id or 0,
                          data=edit_form(enterprise, employees=1))
    session.rollback()
    assert snapshot_of(engine) == before


@pytest.mark.parametrize("actor", [STAFF, ADMIN], ids=["staff", "admin"])
def test_staff_and_admin_may_create_enterprises(engine: Engine, session: Session, park: Park, actor: Actor) -> None:
    create_enterprise(session=session, actor=actor, data=enterprise_data())
    session.commit()
    assert row_counts(engine, *TABLES) == {"enterprise": 1, "audit_log": 1}


NEW_USER = {"username": "chen.staff", "display_name": "陈静", "role": "staff", "password": "long-enough-1"}


@pytest.mark.parametrize("actor", [STAFF, COMMITTEE, FINANCE], ids=["staff", "committee", "finance"])
def test_only_an_admin_may_add_users(engine: Engine, session: Session, actor: Actor) -> None:
    with pytest.raises(PermissionDenied):
        add_user(session=session, actor=actor, data=NEW_USER)
    session.rollback()
    assert row_counts(engine, "app_user", "audit_log") == {"app_user": 0, "audit_log": 0}


def test_an_admin_adds_a_user_and_it_is_audited_without_the_password(engine: Engine, session: Session) -> None:
    add_user(session=session, actor=ADMIN, data=NEW_USER)
    session.commit()
    with Session(engine) as s:
        user = s.execute(select(AppUser)).scalars().one()
        audit = s.execute(select(AuditLog)).scalars().one()
    assert user.username == "chen.staff" and user.role == Role.staff and user.active
    assert (audit.username, audit.entity, audit.entity_id) == ("admin", "app_user", user.id)
    assert "long-enough-1" not in (audit.after_json or "") and "password" not in (audit.after_json or "")

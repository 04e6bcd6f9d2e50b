"""Recording and ending loan overrides through the service, on each database: only finance and admin,
a reason and an expiry within the configured limit, audited, the revision bumped, refusals write
nothing, and the effective status follows the override."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from dashboard.services.evaluation import evaluate_enterprise
from dashboard.services.loan_overrides import create_override, end_override
from dashboard.services.permissions import Actor, PermissionDenied
from dashboard.services.rule_settings import save_rules
from dashboard.settings import get_settings
from models import AuditLog, Enterprise, RecordInvalid, Role
from models.loan import LoanOverride
from tests.records import data_revision, row_counts

FINANCE = Actor("zhao.finance", Role.finance)
ADMIN = Actor("admin", Role.admin)
STAFF = Actor("li.staff", Role.staff)
COMMITTEE = Actor("wang.committee", Role.committee)
TODAY = date(2026, 5, 1)
TABLES = ("loan_override", "audit_log")


def override_data(enterprise_id: int, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "enterprise_id": enterprise_id,
        "decision": "eligible",
        "reason": "Publicity board put up on the bank visit; its check is booked",
        "expires_on": TODAY + timedelta(days=90),
    }
    data.update(changes)
    return data


def state(engine: Engine) -> dict[str, Any]:
    return {"counts": row_counts(engine, *TABLES), "revision": data_revision(engine)}


def audit_rows(engine: Engine) -> list[AuditLog]:
    with Session(engine) as s:
        return list(s.exec(select(AuditLog).where(col(AuditLog.entity) == "loan_override")
                           .order_by(col(AuditLog.id))).scalars())  # type: ignore[call-overload]


@pytest.mark.parametrize("actor", [FINANCE, ADMIN], ids=["finance", "admin"])
def test_finance_and_admin_record_an_override_that_is_audited_and_changes_the_effective_status(
    engine: Engine, session: Session, enterprise: Enterprise, actor: Actor
) -> None:
    rules = get_settings().rules
    assert evaluate_enterprise(session, enterprise.id or 0, TODAY, rules).effective_status \
        == "ineligible"  # L1: no board
    before = state(engine)
    row = create_override(session=session, actor=actor, data=override_data(enterprise.id or 0), today=TODAY,
                          rules=rules)
    session.commit()

    with Session(engine) as s:
        stored = s.get(LoanOverride, row.id)
        assert stored is not None
        assert (stored.decision, stored.decided_by, stored.decided_on, stored.expires_on) == (
            "eligible", actor.username, TODAY, TODAY + timedelta(days=90))
        result = evaluate_enterprise(s, enterprise.id or 0, TODAY, rules)
    assert result.effective_status == "eligible"
    assert result.status == "ineligible"  # the computed status is kept beside it
    assert state(engine) == {
        "counts": {"loan_override": before["counts"]["loan_override"] + 1,
                   "audit_log": before["counts"]["audit_log"] + 1},
        "revision": before["revision"] + 1,
    }
    (audit,) = audit_rows(engine)
    assert (audit.username, audit.action, audit.entity_id) == (actor.username, "create", row.id)
    assert json.loads(audit.after_json or "{}")["reason"] == override_data(0)["reason"]


def test_the_author_and_the_day_are_the_actor_and_today_whatever_the_form_says(
    session: Session, enterprise: Enterprise
) -> None:
    row = create_override(session=session, actor=FINANCE, today=TODAY, data=override_data(
        enterprise.id or 0, decided_by="someone.else", decided_on=TODAY - timedelta(days=400)))
    assert (row.decided_by, row.decided_on) == (FINANCE.username, TODAY)


@pytest.mark.parametrize("actor", [STAFF, COMMITTEE], ids=["staff", "committee"])
def test_staff_and_committee_may_not_record_an_override_and_nothing_is_written(
    engine: Engine, session: Session, enterprise: Enterprise, actor: Actor
) -> None:
    before = state(engine)
    with pytest.raises(PermissionDenied):
        create_override(session=session, actor=actor, data=override_data(enterprise.id or 0), today=TODAY)
    session.commit()
    assert state(engine) == before


@pytest.mark.parametrize("reason", [None, "", "   "], ids=["missing", "empty", "blank"])
def test_an_override_without_a_reason_is_refused_naming_the_field(
    engine: Engine, session: Session, enterprise: Enterprise, reason: str | None
) -> None:
    before = state(engine)
    with pytest.raises(RecordInvalid) as refused:
        create_override(session=session, actor=FINANCE, data=override_data(enterprise.id or 0, reason=reason),
                        today=TODAY)
    session.commit()
    assert refused.value.fields == {"reason"}
    assert refused.value.messages("en") == ["Reason is required."]
    assert refused.value.messages("zh") == ["理由为必填项。"]
    assert state(engine) == before


def test_an_expiry_181_days_after_the_decision_is_refused_and_180_is_accepted(
    engine: Engine, session: Session, enterprise: Enterprise
) -> None:
    before = state(engine)
    too_late = TODAY + timedelta(days=181)
    with pytest.raises(RecordInvalid) as refused:
        create_override(session=session, actor=FINANCE, today=TODAY,
                        data=override_data(enterprise.id or 0, expires_on=too_late))
    session.commit()
    assert refused.value.fields == {"expires_on"}
    assert refused.value.messages("en") == [
        f"Expiry date ({too_late.isoformat()}) can be at most 180 days after decision date ({TODAY.isoformat()})."]
    assert "有效期至" in refused.value.messages("zh")[0]
    assert state(engine) == before

    row = create_override(session=session, actor=FINANCE, today=TODAY,
                          data=override_data(enterprise.id or 0, expires_on=TODAY + timedelta(days=180)))
    session.commit()
    assert row.expires_on == TODAY + timedelta(days=180)


def test_the_limit_is_the_setting_not_the_models_default(
    engine: Engine, session: Session, enterprise: Enterprise
) -> None:
    rules = get_settings().rules.model_copy(update={"loan_override_max_days": 90})
    before = state(engine)
    for days in (91, 181):
        with pytest.raises(RecordInvalid) as refused:
            create_override(session=session, actor=FINANCE, today=TODAY, rules=rules,
                            data=override_data(enterprise.id or 0, expires_on=TODAY + timedelta(days=days)))
        assert [(p.field, p.code, p.params["days"]) for p in refused.value.problems] == [
            ("expires_on", "date_after_limit", 90)]
        assert "at most 90 days" in refused.value.messages("en")[0]
    session.commit()
    assert state(engine) == before
    create_override(session=session, actor=FINANCE, today=TODAY, rules=rules,
                    data=override_data(enterprise.id or 0, expires_on=TODAY + timedelta(days=90)))


def test_a_longer_limit_the_administrator_set_is_the_one_in_force(
    engine: Engine, session: Session, enterprise: Enterprise
) -> None:
    save_rules(session=session, actor=ADMIN, changes={"loan_override_max_days": 365})
    session.commit()
    row = create_override(session=session, actor=FINANCE, today=TODAY,
                          data=override_data(enterprise.id or 0, expires_on=TODAY + timedelta(days=300)))
    session.commit()
    assert row.expires_on == TODAY + timedelta(days=300)
    with pytest.raises(RecordInvalid) as refused:
        create_override(session=session, actor=FINANCE, today=TODAY,
                        data=override_data(enterprise.id or 0, expires_on=TODAY + timedelta(days=366)))
    assert [(p.field, p.code, p.params["days"]) for p in refused.value.problems] == [
        ("expires_on", "date_after_limit", 365)]


def test_an_expiry_before_the_decision_a_wrong_decision_and_an_unknown_enterprise_are_refused(
    engine: Engine, session: Session, enterprise: Enterprise
) -> None:
    before = state(engine)
    with pytest.raises(RecordInvalid) as early:
        create_override(session=session, actor=FINANCE, today=TODAY,
                        data=override_data(enterprise.id or 0, expires_on=TODAY - timedelta(days=1)))
    assert [(p.field, p.code) for p in early.value.problems] == [("expires_on", "date_before")]
    with pytest.raises(RecordInvalid) as wrong:
        create_override(session=session, actor=FINANCE, today=TODAY,
                        data=override_data(enterprise.id or 0, decision="conditional", reason=""))
    assert wrong.value.fields == {"decision", "reason"}
    with pytest.raises(RecordInvalid) as unknown:
        create_override(session=session, actor=FINANCE, today=TODAY, data=override_data(9999))
    assert [(p.field, p.code) for p in unknown.value.problems] == [("enterprise_id", "unknown_reference")]
    assert unknown.value.messages("en") == ["Enterprise 9999 does not exist."]
    session.commit()
    assert state(engine) == before


def test_ending_an_override_decided_earlier_makes_yesterday_its_last_day(
    engine: Engine, session: Session, enterprise: Enterprise
) -> None:
    rules = get_settings().rules
    row = create_override(session=session, actor=FINANCE, today=TODAY, data=override_data(enterprise.id or 0))
    session.commit()
    later = TODAY + timedelta(days=10)
    before = state(engine)
    ended = end_override(session=session, actor=ADMIN, override_id=row.id or 0, today=later)
    session.commit()
    assert ended is not None and ended.expires_on == later - timedelta(days=1)
    assert state(engine)["revision"] == before["revision"] + 1
    audit = audit_rows(engine)[-1]
    assert (audit.username, audit.action) == ("admin", "update")
    assert json.loads(audit.before_json or "{}")["expires_on"] == (TODAY + timedelta(days=90)).isoformat()
    with Session(engine) as s:
        assert evaluate_enterprise(s, enterprise.id or 0, later - timedelta(days=1), rules).effective_status \
            == "eligible"
        result = evaluate_enterprise(s, enterprise.id or 0, later, rules)
    assert result.effective_status == result.status
    with pytest.raises(RecordInvalid) as again:
        end_override(session=session, actor=FINANCE, override_id=row.id or 0, today=later)
    assert again.value.fields == {"expires_on"}


def test_ending_an_override_decided_today_withdraws_it_and_the_audit_log_keeps_it(
    engine: Engine, session: Session, enterprise: Enterprise
) -> None:
    row = create_override(session=session, actor=FINANCE, today=TODAY, data=override_data(enterprise.id or 0))
    session.commit()
    assert end_override(session=session, actor=FINANCE, override_id=row.id or 0, today=TODAY) is None
    session.commit()
    assert row_counts(engine, "loan_override") == {"loan_override": 0}
    audit = audit_rows(engine)[-1]
    assert (audit.action, audit.entity_id) == ("delete", row.id)
    assert json.loads(audit.before_json or "{}")["decision"] == "eligible"


def test_committee_may_not_end_an_override_and_nothing_changes(
    engine: Engine, session: Session, enterprise: Enterprise
) -> None:
    row = create_override(session=session, actor=FINANCE, today=TODAY, data=override_data(enterprise.id or 0))
    session.commit()
    before = state(engine)
    with pytest.raises(PermissionDenied):
        end_override(session=session, actor=COMMITTEE, override_id=row.id or 0, today=TODAY + timedelta(days=3))
    session.commit()
    assert state(engine) == before

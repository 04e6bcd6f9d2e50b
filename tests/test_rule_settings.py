"""Rule thresholds and weights set in the app: merged over the configured defaults, checked as a whole
(each problem naming its field), audited, and bumping the data revision so scores recompute."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from dashboard.services.evaluation import evaluate_enterprise
from dashboard.services.permissions import Actor, PermissionDenied
from dashboard.services.revision import current_revision
from dashboard.services.rule_settings import (
    GROUPS,
    effective_rules,
    reset_rule,
    reset_rules,
    rule_rows,
    save_rules,
)
from dashboard.settings import RuleSettings, get_settings
from models import Enterprise
from models.enums import Role
from models.validation import RecordInvalid
from tests.records import row_counts

ADMIN = Actor("boss", Role.admin)
D = date(2026, 6, 30)


def _audit(session: Session) -> list[tuple[str, str, dict, dict]]:
    rows = session.execute(text("SELECT username, action, before_json, after_json FROM audit_log "
                                "WHERE entity = 'rule_setting' ORDER BY id")).all()
    return [(u, a, json.loads(b), json.loads(c)) for u, a, b, c in rows]


def test_without_stored_values_the_configured_defaults_are_in_force(session: Session) -> None:
    assert effective_rules(session) == get_settings().rules == RuleSettings()
    rows = rule_rows(session)
    assert {r.name for r in rows} == set(RuleSettings.model_fields)
    assert not any(r.changed for r in rows)
    weights = [r for r in rows if r.group == "weights"]
    assert [(r.name, r.default, r.unit) for r in weights][:2] == [("hazards_max", 35, "points"),
                                                                  ("accidents_max", 25, "points")]
    assert sum(r.current for r in weights) == 100
    assert GROUPS[0][0] == "weights"


def test_a_weight_pair_that_keeps_the_sum_is_saved_audited_and_recomputes_scores(
    session: Session, engine: Engine, enterprise: Enterprise
) -> None:
    assert enterprise.id is not None
    before_card = evaluate_enterprise(session, enterprise.id, D, effective_rules(session)).scorecard
    revision = current_revision(session)

    rules = save_rules(session=session, actor=ADMIN, changes={"hazards_max": 30, "accidents_max": 30})
    session.commit()

    assert (rules.hazards_max, rules.accidents_max) == (30, 30)
    assert effective_rules(session) == rules
    assert current_revision(session) == revision + 1
    assert _audit(session) == [("boss", "update", {"hazards_max": 35.0, "accidents_max": 25.0},
                                {"hazards_max": 30.0, "accidents_max": 30.0})]
    stored = dict(session.execute(text("SELECT name, updated_by FROM rule_setting")).all())
    assert stored == {"hazards_max": "boss", "accidents_max": "boss"}
    changed = {r.name: r for r in rule_rows(session) if r.changed}
    assert set(changed) == {"hazards_max", "accidents_max"}
    assert changed["accidents_max"].default == 25 and changed["accidents_max"].current == 30
    assert changed["accidents_max"].updated_by == "boss" and changed["accidents_max"].updated_at is not None

    after_card = evaluate_enterprise(session, enterprise.id, D, effective_rules(session)).scorecard
    # no accidents: the component is its (new) maximum; hazards lose 5 of their room
    assert (before_card.components["accidents"], after_card.components["accidents"]) == (25, 30)
    assert after_card.components["hazards"] == min(30.0, before_card.components["hazards"])


def test_a_sum_that_no_longer_holds_is_refused_naming_the_field_and_nothing_is_written(
    session: Session, engine: Engine
) -> None:
    revision = current_revision(session)
    with pytest.raises(RecordInvalid) as refused:
        save_rules(session=session, actor=ADMIN, changes={"hazards_max": 30})
    session.rollback()
    [problem] = refused.value.problems
    assert (problem.field, problem.code) == ("hazards_max", "weights_sum")
    assert refused.value.messages("en")[0].endswith("they add up to 95.")
    assert "合计为 95" in refused.value.messages("zh")[0]
    assert row_counts(engine, "rule_setting")["rule_setting"] == 0
    assert _audit(session) == [] and current_revision(session) == revision
    assert effective_rules(session).hazards_max == 35


def test_every_wrong_field_is_named(session: Session) -> None:
    with pytest.raises(RecordInvalid) as refused:
        save_rules(session=session, actor=ADMIN, changes={
            "general_open_penalty": -1, "accident_window_days": "a year", "grade_a_min": 120})
    assert {(p.field, p.code) for p in refused.value.problems} == {
        ("general_open_penalty", "negative"), ("accident_window_days", "not_a_whole_number"),
        ("grade_a_min", "out_of_range")}


@pytest.mark.parametrize(("changes", "expected"), [
    ({"grade_b_min": 95}, {("grade_b_min", "must_not_exceed")}),
    ({"grade_a_min": 70}, {("grade_a_min", "must_be_at_least")}),
    ({"staffing_points": 6}, {("staffing_points", "items_sum")}),
    ({"training_max": 12, "signage_points": 8}, {("training_max", "whole_sum")}),
    ({"standardization_level3_points": 4.5}, {("standardization_level3_points", "must_not_exceed")}),
    ({"accident_major_deaths": 40}, {("accident_major_deaths", "must_not_exceed")}),
    ({"high_risk_industries": ["fireworks", "spaceflight"]}, {("high_risk_industries", "not_one_of")}),
    ({"no_such_rule": 3}, {("no_such_rule", "unknown_setting")}),
])
def test_values_that_do_not_fit_together_are_refused(session: Session, changes: dict, expected: set) -> None:
    with pytest.raises(RecordInvalid) as refused:
        save_rules(session=session, actor=ADMIN, changes=changes)
    assert {(p.field, p.code) for p in refused.value.problems} == expected
    assert all(message for message in refused.value.messages("zh"))


def test_items_moved_within_a_component_are_accepted(session: Session) -> None:
    rules = save_rules(session=session, actor=ADMIN, changes={"staffing_points": 4, "licence_points": 6})
    session.commit()
    assert (rules.staffing_points, rules.licence_points, rules.management_max) == (4, 6, 15)


@pytest.mark.parametrize("role", [Role.staff, Role.committee, Role.finance])
def test_only_an_administrator_may_change_rules(session: Session, engine: Engine, role: Role) -> None:
    actor = Actor("someone", role)
    with pytest.raises(PermissionDenied):
        save_rules(session=session, actor=actor, changes={"hazards_max": 30, "accidents_max": 30})
    with pytest.raises(PermissionDenied):
        reset_rule(session=session, actor=actor, name="hazards_max")
    session.rollback()
    assert row_counts(engine, "rule_setting", "audit_log") == {"rule_setting": 0, "audit_log": 0}


def test_unchanged_values_write_nothing(session: Session, engine: Engine) -> None:
    revision = current_revision(session)
    save_rules(session=session, actor=ADMIN, changes={"hazards_max": 35.0, "high_risk_industries": list(
        reversed(RuleSettings().high_risk_industries))})
    session.commit()
    assert row_counts(engine, "rule_setting", "audit_log") == {"rule_setting": 0, "audit_log": 0}
    assert current_revision(session) == revision


def test_resetting_puts_defaults_back_and_is_checked_as_a_whole(session: Session, engine: Engine) -> None:
    save_rules(session=session, actor=ADMIN, changes={"hazards_max": 30, "accidents_max": 30, "grade_a_min": 92})
    session.commit()
    # resetting one of the pair alone would break the sum of 100
    with pytest.raises(RecordInvalid) as refused:
        reset_rule(session=session, actor=ADMIN, name="hazards_max")
    assert {p.field for p in refused.value.problems} == {"hazards_max"}
    session.rollback()
    reset_rules(session=session, actor=ADMIN, names=["hazards_max", "accidents_max"])
    session.commit()
    rules = effective_rules(session)
    assert (rules.hazards_max, rules.accidents_max, rules.grade_a_min) == (35, 25, 92)
    assert [name for (name,) in session.execute(text("SELECT name FROM rule_setting")).all()] == ["grade_a_min"]
    assert [action for _, action, _, _ in _audit(session)] == ["update", "reset"]
    _, _, before, after = _audit(session)[-1]
    assert before == {"hazards_max": 30.0, "accidents_max": 30.0} and after == {"hazards_max": 35.0,
                                                                                 "accidents_max": 25.0}


def test_saving_a_default_value_removes_the_stored_one(session: Session) -> None:
    save_rules(session=session, actor=ADMIN, changes={"sign_check_max_age_days": 90})
    session.commit()
    save_rules(session=session, actor=ADMIN, changes={"sign_check_max_age_days": 180})
    session.commit()
    assert session.execute(text("SELECT count(*) FROM rule_setting")).scalar_one() == 0
    assert len(_audit(session)) == 2


def test_stored_values_override_the_environment_defaults(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARK_SAFETY_RULES__SIGN_CHECK_MAX_AGE_DAYS", "90")
    monkeypatch.setenv("PARK_SAFETY_RULES__LOAN_FINE_WINDOW_DAYS", "200")
    get_settings.cache_clear()
    try:
        assert effective_rules(session).sign_check_max_age_days == 90
        save_rules(session=session, actor=ADMIN, changes={"loan_fine_window_days": 300})
        session.commit()
        rules = effective_rules(session)
        assert (rules.sign_check_max_age_days, rules.loan_fine_window_days) == (90, 300)
        row = {r.name: r for r in rule_rows(session)}["loan_fine_window_days"]
        assert (row.default, row.current, row.changed) == (200, 300, True)
    finally:
        get_settings.cache_clear()


def test_industry_lists_are_stored_as_lists(session: Session) -> None:
    rules = save_rules(session=session, actor=ADMIN, changes={"licensed_industries": ["fireworks", "construction"]})
    session.commit()
    assert rules.licensed_industries == ("fireworks", "construction")
    assert effective_rules(session).licensed_industries == ("fireworks", "construction")
    stored = session.execute(text("SELECT value FROM rule_setting WHERE name = 'licensed_industries'")).scalar_one()
    assert json.loads(stored) == ["fireworks", "construction"]

"""The park evaluated at an as-of date, on the demo park, on both backends: the set-based pass and the
one-enterprise detail agree for every enterprise, every grade, colour and loan status occurs, and the
history is taken at month-ends."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from dashboard.rules.grade import GRADES
from dashboard.rules.loan_eligibility import STATUSES
from dashboard.rules.risk_colour import COLOURS
from dashboard.services.evaluation import (
    EnterpriseEvaluation,
    enterprise_history,
    evaluate_all,
    evaluate_enterprise,
    month_ends,
    park_history,
)
from dashboard.services.facts import COUNTED_FACTS, fact_counts
from dashboard.settings import RuleSettings
from seed import seed_demo_park

AS_OF = date(2026, 6, 30)
RULES = RuleSettings()


@pytest.fixture(scope="module")
def demo_park(module_engine: Engine) -> Engine:
    """The default demo park, its history ending on 30 June 2026 (seeded once per backend)."""
    seed_demo_park(module_engine, as_of=AS_OF)
    return module_engine


@pytest.fixture(scope="module")
def fast_pass(demo_park: Engine) -> list[EnterpriseEvaluation]:
    with Session(demo_park) as session:
        return evaluate_all(session, AS_OF, RULES)


@pytest.fixture(scope="module")
def details(demo_park: Engine, fast_pass: list[EnterpriseEvaluation]) -> dict[int, EnterpriseEvaluation]:
    with Session(demo_park) as session:
        return {r.enterprise_id: evaluate_enterprise(session, r.enterprise_id, AS_OF, RULES) for r in fast_pass}


def outcome(result: EnterpriseEvaluation) -> tuple[object, ...]:
    return (result.score, result.grade, result.inherent_risk, result.risk_colour, result.status,
            result.effective_status,
            tuple((d.component, d.code, d.points) for d in result.scorecard.deductions),
            tuple(rule.code for rule in result.loan.rules))


def test_the_pass_and_the_detail_agree_for_every_enterprise(
    fast_pass: list[EnterpriseEvaluation], details: dict[int, EnterpriseEvaluation]
) -> None:
    assert len(fast_pass) == 120
    for result in fast_pass:
        detail = details[result.enterprise_id]
        assert fact_counts(result.facts) == fact_counts(detail.facts), result.enterprise_id
        assert outcome(result) == outcome(detail), result.enterprise_id


def test_the_export_detail_names_the_same_records(demo_park: Engine, details: dict[int, EnterpriseEvaluation]) -> None:
    with Session(demo_park) as session:
        exported = evaluate_all(session, AS_OF, RULES, detail=True)
    assert [r.enterprise_id for r in exported] == sorted(details)
    for result in exported:
        detail = details[result.enterprise_id]
        assert result.facts == detail.facts
        assert result.scorecard == detail.scorecard and result.loan == detail.loan


def test_the_fast_pass_names_no_records(fast_pass: list[EnterpriseEvaluation]) -> None:
    assert all(r.facts.refs == {} for r in fast_pass)


def test_every_record_count_is_backed_by_records(details: dict[int, EnterpriseEvaluation]) -> None:
    counted = COUNTED_FACTS
    assert len(counted) == 19
    for result in details.values():
        for name in counted:
            assert len(result.facts.refs.get(name, ())) == getattr(result.facts, name), (result.enterprise_id, name)
        for deduction in result.scorecard.deductions:
            if deduction.code.startswith(("hazard_", "accident_", "severe_", "rectification_")):
                assert deduction.records, (result.enterprise_id, deduction.code)


def test_every_grade_colour_and_status_occurs(fast_pass: list[EnterpriseEvaluation]) -> None:
    assert set(Counter(r.grade for r in fast_pass)) == set(GRADES)
    assert set(Counter(r.risk_colour for r in fast_pass)) == set(COLOURS)
    assert set(Counter(r.status for r in fast_pass)) == set(STATUSES)


def test_an_enterprises_history_is_twelve_month_ends(demo_park: Engine,
                                                      details: dict[int, EnterpriseEvaluation]) -> None:
    worst = min(details.values(), key=lambda r: r.score)
    with Session(demo_park) as session:
        history = enterprise_history(session, worst.enterprise_id, AS_OF, RULES)
    assert [point.on for point in history] == month_ends(AS_OF)
    assert history[0].on == date(2025, 7, 31) and history[-1].on == AS_OF
    last = history[-1]
    assert (last.score, last.grade, last.risk_colour, last.status, last.effective_status) == (
        worst.score, worst.grade, worst.risk_colour, worst.status, worst.effective_status)


def test_the_parks_history_counts_every_enterprise_each_month(
    demo_park: Engine, fast_pass: list[EnterpriseEvaluation]
) -> None:
    with Session(demo_park) as session:
        history = park_history(session, AS_OF, RULES)
    assert [month.on for month in history] == month_ends(AS_OF)
    for month in history:
        for tally, keys in ((month.statuses, STATUSES), (month.effective_statuses, STATUSES),
                            (month.colours, COLOURS), (month.grades, GRADES)):
            assert tuple(tally) == keys and sum(tally.values()) == 120
        assert sorted(month.effective_status) == sorted(r.enterprise_id for r in fast_pass)
    now = history[-1]
    assert now.effective_status == {r.enterprise_id: r.effective_status for r in fast_pass}
    assert now.grades == {grade: sum(r.grade == grade for r in fast_pass) for grade in GRADES}
    assert len({tuple(month.grades.values()) for month in history}) > 1  # the park changes over the year


@pytest.mark.parametrize(("as_of", "first", "last"), [
    (date(2026, 6, 30), date(2025, 7, 31), date(2026, 6, 30)),
    (date(2026, 6, 15), date(2025, 6, 30), date(2026, 5, 31)),
    (date(2026, 7, 1), date(2025, 7, 31), date(2026, 6, 30)),
    (date(2024, 12, 31), date(2024, 1, 31), date(2024, 12, 31)),
])
def test_month_ends(as_of: date, first: date, last: date) -> None:
    ends = month_ends(as_of)
    assert len(ends) == 12 and ends[0] == first and ends[-1] == last
    assert all((day + timedelta(days=1)).day == 1 for day in ends)
    assert date(2024, 2, 29) in month_ends(date(2024, 3, 10))
    assert month_ends(AS_OF, 3) == [date(2026, 4, 30), date(2026, 5, 31), date(2026, 6, 30)]

"""Properties of the scorecard and loan eligibility over generated facts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from dashboard.rules.facts import EnterpriseFacts
from dashboard.rules.grade import grade
from dashboard.rules.loan_eligibility import loan_eligibility
from dashboard.rules.risk_colour import escalated, risk_colour
from dashboard.rules.scorecard import COMPONENTS, component_maxima, scorecard
from dashboard.rules.staffing import licence_required
from models.enums import Industry, MajorHazardSource, StandardizationGrade
from tests.rules_facts import AS_OF, RULES
from tests.rules_strategies import HAZARD_BUCKETS, enterprise_facts

TOLERANCE = 1e-9


def score_of(facts: EnterpriseFacts) -> float:
    return scorecard(facts, RULES, AS_OF).score


@given(enterprise_facts())
def test_the_score_is_the_sum_of_components_and_full_marks_less_the_deductions(facts: EnterpriseFacts) -> None:
    card = scorecard(facts, RULES, AS_OF)
    maxima = component_maxima(RULES)
    assert 0 <= card.score <= 100
    assert abs(card.score - sum(card.components.values())) <= TOLERANCE
    assert abs(100 - sum(d.points for d in card.deductions) - card.score) <= TOLERANCE
    assert tuple(card.components) == COMPONENTS
    for component in COMPONENTS:
        assert 0 <= card.components[component] <= maxima[component]
        assert abs(card.lost(component) - (maxima[component] - card.components[component])) <= TOLERANCE
    assert all(d.points > 0 and d.component in COMPONENTS for d in card.deductions)
    assert card.grade == grade(card.score, RULES)


@given(enterprise_facts(), st.sampled_from(HAZARD_BUCKETS))
def test_an_open_hazard_never_raises_the_score(facts: EnterpriseFacts, bucket: str) -> None:
    more: dict[str, Any] = {bucket: getattr(facts, bucket) + 1}
    assert score_of(replace(facts, **more)) <= score_of(facts)


@given(enterprise_facts(), st.sampled_from(HAZARD_BUCKETS))
def test_verifying_a_hazard_never_lowers_the_score(facts: EnterpriseFacts, bucket: str) -> None:
    count = max(getattr(facts, bucket), 1)
    before: dict[str, Any] = {bucket: count}
    after: dict[str, Any] = {bucket: count - 1}
    assert score_of(replace(facts, **after)) >= score_of(replace(facts, **before))


@given(enterprise_facts())
def test_the_status_follows_the_rules_and_the_override(facts: EnterpriseFacts) -> None:
    card = scorecard(facts, RULES, AS_OF)
    assessment = loan_eligibility(facts, card, RULES, AS_OF)
    codes = [rule.code for rule in assessment.rules]
    if any(code.startswith("L") for code in codes):
        assert assessment.status == "ineligible"
    elif codes:
        assert assessment.status == "conditional"
    else:
        assert assessment.status == "eligible"
    assert ("L9" in codes) is (card.grade == "D")
    assert ("C1" in codes) is (card.grade == "C")
    if facts.override is None:
        assert assessment.effective_status == assessment.status
    else:
        assert assessment.effective_status == facts.override.decision
    if escalated(facts):
        assert risk_colour(facts, card, RULES) == "red"


@st.composite
def well_kept_enterprises(draw: st.DrawFn) -> EnterpriseFacts:
    """No records beyond a compliant sign; lawful staffing, certified people, a valid licence."""
    industry = draw(st.sampled_from(Industry))
    operators = draw(st.integers(min_value=0, max_value=30))
    expires: date | None
    if licence_required(industry, RULES):
        warning = RULES.loan_licence_expiry_warning_days
        expires = draw(st.dates(min_value=AS_OF + timedelta(days=warning + 1), max_value=AS_OF + timedelta(days=2000)))
    else:
        expires = draw(st.none() | st.dates(min_value=AS_OF - timedelta(days=2000)))
    return EnterpriseFacts(
        enterprise_id=draw(st.integers(min_value=1, max_value=10_000)),
        uscc="91110000600037341L",
        name="临江机械有限公司",
        industry=industry,
        employees=draw(st.integers(min_value=0, max_value=2000)),
        safety_org=True,
        safety_staff_fulltime=draw(st.integers(min_value=1, max_value=5)),
        safety_staff_parttime=draw(st.integers(min_value=0, max_value=5)),
        principal_certified=True,
        safety_managers_certified=True,
        special_operators=operators,
        special_operators_certified=operators,
        standardization_grade=draw(st.sampled_from(StandardizationGrade)),
        major_hazard_source=draw(st.sampled_from(MajorHazardSource)),
        license_expires_on=expires,
        signage_compliant=True,
    )


@given(well_kept_enterprises())
def test_a_well_kept_enterprise_is_eligible(facts: EnterpriseFacts) -> None:
    card = scorecard(facts, RULES, AS_OF)
    assessment = loan_eligibility(facts, card, RULES, AS_OF)
    assert (assessment.status, assessment.effective_status, assessment.rules) == ("eligible", "eligible", ())
    assert risk_colour(facts, card, RULES) != "red"

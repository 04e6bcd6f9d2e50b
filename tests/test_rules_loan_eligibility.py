"""Loan eligibility (信贷支持, DESIGN.md 4.6): each rule alone, combinations, overrides, remedies."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from dashboard.rules.facts import EnterpriseFacts, OverrideFact, RecordRef
from dashboard.rules.loan_eligibility import LOAN_CODES, LoanAssessment, LoanRule, loan_eligibility
from dashboard.rules.scorecard import scorecard
from models.enums import Industry, LoanDecision, StandardizationGrade
from tests.rules_facts import AS_OF, RULES, exemplary_facts


def assess(facts: EnterpriseFacts) -> LoanAssessment:
    return loan_eligibility(facts, scorecard(facts, RULES, AS_OF), RULES, AS_OF)


def assess_with(**changes: Any) -> LoanAssessment:
    return assess(exemplary_facts(**changes))


def codes(assessment: LoanAssessment) -> list[str]:
    return [rule.code for rule in assessment.rules]


def rule_of(assessment: LoanAssessment, code: str) -> LoanRule:
    (rule,) = [rule for rule in assessment.rules if rule.code == code]
    return rule


# an enterprise as bad as it can be on the scorecard without tripping any other rule: 18 points, grade D
GRADE_D: dict[str, Any] = {
    "general_open_not_overdue": 35, "general_accidents": 4, "safety_org": False, "safety_staff_fulltime": 0,
    "standardization_grade": StandardizationGrade.none, "principal_certified": False,
    "safety_managers_certified": False, "special_operators": 1, "all_staff_trained": False,
    "self_inspected": False,
}
LICENSED = Industry.hazardous_chemicals

ALONE: list[tuple[str, dict[str, Any]]] = [
    ("L1", {"signage_compliant": False}),
    ("L2", {"major_unverified_not_overdue": 1}),
    ("L2", {"major_unverified_overdue": 1}),
    ("L3", {"general_overdue": 1, "overdue_past_limit": 1}),
    ("L4", {"loan_fatal_accidents": 1}),
    ("L4", {"loan_larger_accidents": 1}),
    ("L5", {"loan_incomplete_accidents": 1}),
    ("L6", {"suspension_in_force": 1}),
    ("L6", {"closures": 1}),
    ("L6", {"loan_prosecutions": 1}),
    ("L7", {"dishonesty_listed": 1}),
    ("L8", {"industry": LICENSED, "license_expires_on": None}),
    ("L8", {"industry": LICENSED, "license_expires_on": AS_OF - timedelta(days=1)}),
    ("L9", GRADE_D),
    ("C1", {"general_open_not_overdue": 30}),  # 70 points
    ("C2", {"general_overdue": 1, "overdue_within_limit": 1}),
    ("C3", {"loan_fines_or_orders": 1, "rectification_orders": 1}),
    ("C4", {"industry": LICENSED, "license_expires_on": AS_OF}),
    ("C4", {"industry": LICENSED, "license_expires_on": AS_OF + timedelta(days=60)}),
]


def test_an_exemplary_enterprise_is_eligible() -> None:
    assessment = assess_with()
    assert (assessment.status, assessment.effective_status, assessment.rules) == ("eligible", "eligible", ())
    assert assessment.override is None
    assert assessment.enterprise_id == 7


@pytest.mark.parametrize(("code", "changes"), ALONE)
def test_each_rule_alone(code: str, changes: dict[str, Any]) -> None:
    assessment = assess_with(**changes)
    assert codes(assessment) == [code]
    expected = "ineligible" if code.startswith("L") else "conditional"
    assert assessment.status == assessment.effective_status == expected
    rule = assessment.rules[0]
    assert rule.makes_ineligible is code.startswith("L")
    for language in ("en", "zh"):
        assert rule.reason(language) and rule.remedy(language)


@pytest.mark.parametrize(
    ("industry", "expires_in_days", "expected"),
    [
        (LICENSED, 61, []),
        (LICENSED, 60, ["C4"]),
        (LICENSED, 0, ["C4"]),
        (LICENSED, -1, ["L8"]),
        (LICENSED, None, ["L8"]),
        (Industry.construction, 30, ["C4"]),
        (Industry.machinery, -1, []),  # no licence required
        (Industry.machinery, None, []),
        (Industry.machinery, 10, []),
    ],
)
def test_the_licence_rules(industry: Industry, expires_in_days: int | None, expected: list[str]) -> None:
    expires = None if expires_in_days is None else AS_OF + timedelta(days=expires_in_days)
    assert codes(assess_with(industry=industry, license_expires_on=expires)) == expected


def test_grade_b_is_eligible_and_grade_c_conditional() -> None:
    assert codes(assess_with(general_open_not_overdue=25)) == []  # 75 points: B
    assert codes(assess_with(general_open_not_overdue=26)) == ["C1"]  # 74 points: C
    assert codes(assess_with(general_open_not_overdue=35, general_accidents=1)) == ["L9"]  # 57 points: D
    assert assess_with(**GRADE_D).status == "ineligible"


def test_every_triggered_rule_is_listed_in_code_order() -> None:
    assessment = assess_with(
        loan_fines_or_orders=1, overdue_within_limit=1, dishonesty_listed=1, signage_compliant=False,
        industry=LICENSED, license_expires_on=AS_OF + timedelta(days=10), loan_incomplete_accidents=2,
    )
    assert codes(assessment) == ["L1", "L5", "L7", "C2", "C3", "C4"]
    assert codes(assessment) == sorted(codes(assessment), key=LOAN_CODES.index)
    assert assessment.status == "ineligible"


def test_ineligible_beats_conditional() -> None:
    assert assess_with(overdue_within_limit=2, loan_fines_or_orders=1).status == "conditional"
    assert assess_with(overdue_within_limit=2, loan_fines_or_orders=1, closures=1).status == "ineligible"


def test_all_rules_at_once() -> None:
    facts = exemplary_facts(
        signage_compliant=False, major_unverified_overdue=3, overdue_past_limit=3, overdue_within_limit=1,
        loan_fatal_accidents=1, loan_larger_accidents=1, larger_accidents=1, loan_incomplete_accidents=1,
        suspension_in_force=1, loan_prosecutions=1, dishonesty_listed=1, industry=LICENSED, license_expires_on=None,
        loan_fines_or_orders=2,
    )
    assert codes(assess(facts)) == ["L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8", "L9", "C2", "C3"]


def override(decision: LoanDecision) -> OverrideFact:
    return OverrideFact(
        id=3, decision=decision, reason="银行已单独尽调,整改方案可信", decided_by="finance",
        decided_on=date(2026, 2, 1), expires_on=date(2026, 5, 1),
    )


def test_an_override_replaces_the_effective_status_but_not_the_status() -> None:
    granted = assess_with(closures=1, override=override(LoanDecision.eligible))
    assert (granted.status, granted.effective_status) == ("ineligible", "eligible")
    assert granted.override == override(LoanDecision.eligible)
    assert codes(granted) == ["L6"]
    refused = assess_with(override=override(LoanDecision.ineligible))
    assert (refused.status, refused.effective_status) == ("eligible", "ineligible")
    conditional = assess_with(overdue_within_limit=1, override=override(LoanDecision.ineligible))
    assert (conditional.status, conditional.effective_status) == ("conditional", "ineligible")


# reasons and remedies

MAJOR = (RecordRef("hazard", 412, "2026-05-01"), RecordRef("hazard", 415, "2026-02-10"))


def test_the_remedy_names_the_major_hazards_and_their_deadlines() -> None:
    facts = exemplary_facts(
        major_unverified_not_overdue=1, major_unverified_overdue=1,
        refs={"major_unverified_overdue": MAJOR[1:], "major_unverified_not_overdue": MAJOR[:1]},
    )
    rule = rule_of(assess(facts), "L2")
    assert rule.records == (MAJOR[1], MAJOR[0])  # overdue first
    assert rule.remedy() == (
        "Rectify major hazards #415 (deadline 2026-02-10), #412 (deadline 2026-05-01) and have each "
        "rectification verified (验收销号)."
    )
    assert rule.remedy("zh") == (
        "完成重大隐患 #415(整改时限 2026-02-10)、#412(整改时限 2026-05-01) 的整改,并逐项验收销号。"
    )
    assert rule.reason() == "Major hazards (重大隐患) not yet verified as rectified: 2, of which 1 past the deadline."


def test_without_records_the_remedy_counts_them() -> None:
    rule = rule_of(assess_with(major_unverified_overdue=2), "L2")
    assert rule.records == ()
    assert rule.remedy() == "Rectify the 2 major hazards and have each rectification verified (验收销号)."
    assert rule.remedy("zh") == "完成 2 项重大隐患的整改,并逐项验收销号。"
    single = rule_of(assess_with(major_unverified_overdue=1), "L2")
    assert single.remedy() == "Rectify the 1 major hazard and have each rectification verified (验收销号)."


@pytest.mark.parametrize(
    ("changes", "fact", "table"),
    [
        ({"signage_compliant": False}, "signage_compliant", "safety_sign"),
        ({"overdue_past_limit": 1}, "overdue_past_limit", "hazard"),
        ({"loan_fatal_accidents": 1}, "loan_fatal_accidents", "accident"),
        ({"loan_larger_accidents": 1}, "loan_larger_accidents", "accident"),
        ({"loan_incomplete_accidents": 1}, "loan_incomplete_accidents", "accident"),
        ({"suspension_in_force": 1}, "suspension_in_force", "enforcement"),
        ({"loan_prosecutions": 1}, "loan_prosecutions", "enforcement"),
        ({"dishonesty_listed": 1}, "dishonesty_listed", "dishonesty_listing"),
        ({"overdue_within_limit": 1}, "overdue_within_limit", "hazard"),
        ({"loan_fines_or_orders": 1}, "loan_fines_or_orders", "enforcement"),
    ],
)
def test_remedies_mention_the_records_when_refs_are_given(changes: dict[str, Any], fact: str, table: str) -> None:
    ref = RecordRef(table, 9301, "2026-01-15")
    (rule,) = assess_with(**changes, refs={fact: (ref,)}).rules
    assert rule.records == (ref,)
    for language in ("en", "zh"):
        assert "#9301" in rule.remedy(language)
        assert "2026-01-15" in rule.remedy(language)
    (bare,) = assess_with(**changes).rules
    assert "#" not in bare.remedy() and "{" not in bare.remedy()


def test_l4_and_l6_explain_each_cause_that_holds() -> None:
    (l4,) = assess_with(loan_fatal_accidents=1, loan_larger_accidents=2).rules
    assert l4.reason() == (
        "Accidents with deaths in the last 365 days: 1. "
        "Larger-or-worse accidents (较大及以上事故) in the last 1095 days: 2."
    )
    (l6,) = assess_with(closures=1, loan_prosecutions=1).rules
    assert "关闭" in l6.reason("zh") and "移送司法" in l6.reason("zh")
    assert "停产整顿" not in l6.reason("zh")
    assert "override" in l6.remedy()


def test_l6_remedies_name_each_cause_with_its_own_records() -> None:
    suspension, prosecution = RecordRef("enforcement", 1, "2026-01-05"), RecordRef("enforcement", 2, "2025-07-01")
    (rule,) = assess_with(
        suspension_in_force=1, loan_prosecutions=1,
        refs={"suspension_in_force": (suspension,), "loan_prosecutions": (prosecution,)},
    ).rules
    assert rule.records == (suspension, prosecution)
    assert rule.remedy() == (
        "Complete the rectification and have suspension #1 (decided 2026-01-05) lifted, with the lifting date "
        "recorded. This clears with time, 365 days after prosecution decision #2 (decided 2025-07-01)."
    )


def test_the_score_remedies_name_the_largest_losses() -> None:
    (rule,) = assess_with(**GRADE_D).rules
    assert rule.reason() == "Scorecard grade D: the score 18.0 is below 60."
    assert rule.remedy() == (
        "Raise the score to at least 60 (grade C); the most points are lost on hazards (35 points), "
        "accidents (25 points), safety management (10 points)."
    )
    assert rule.remedy("zh") == (
        "将得分提高到 60 分以上(C 级);失分最多的是隐患排查治理(35 分)、事故(25 分)、安全管理(10 分)。")


def test_licence_rules_name_the_dates() -> None:
    (expired,) = assess_with(industry=LICENSED, license_expires_on=date(2026, 2, 27)).rules
    assert "2026-02-27" in expired.reason() and "2026-02-27" in expired.remedy("zh")
    (missing,) = assess_with(industry=Industry.non_coal_mining, license_expires_on=None).rules
    assert missing.reason("zh") == "非煤矿山行业须取得安全生产许可证,但未登记有效的许可证。"
    (soon,) = assess_with(industry=LICENSED, license_expires_on=date(2026, 3, 31)).rules
    assert soon.reason() == "The safety production licence (安全生产许可证) expires on 2026-03-31, in 30 days."

"""The scorecard (DESIGN.md 4.4): every component, the staffing and licence rules, grades, deductions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from dashboard.rules.facts import RecordRef
from dashboard.rules.grade import grade
from dashboard.rules.scorecard import COMPONENTS, Deduction, Scorecard, component_maxima, scorecard
from dashboard.rules.staffing import lawful_staffing, licence_required
from dashboard.settings import HIGH_RISK_INDUSTRIES, LICENSED_INDUSTRIES, RuleSettings
from models.enums import Industry, StandardizationGrade
from tests.rules_facts import AS_OF, RULES, exemplary_facts


def card_for(**changes: Any) -> Scorecard:
    return scorecard(exemplary_facts(**changes), RULES, AS_OF)


def only_deduction(card: Scorecard) -> Deduction:
    assert len(card.deductions) == 1, card.deductions
    return card.deductions[0]


def test_an_exemplary_enterprise_scores_full_marks() -> None:
    card = card_for()
    assert card.score == 100
    assert card.grade == "A"
    assert card.components == component_maxima(RULES)
    assert list(card.components) == list(COMPONENTS)
    assert card.deductions == ()
    assert card.enterprise_id == 7


def test_the_component_maxima_add_up_to_100() -> None:
    assert component_maxima(RULES) == {
        "hazards": 35, "accidents": 25, "management": 15, "training": 10, "signage": 10, "compliance": 5,
    }
    assert sum(component_maxima(RULES).values()) == 100


# hazards (max 35)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, 35),
        ({"general_open_not_overdue": 1}, 34),
        ({"general_open_not_overdue": 3}, 32),
        ({"general_overdue": 1}, 31),
        ({"general_overdue": 3}, 23),
        ({"major_unverified_not_overdue": 1}, 23),
        ({"major_unverified_not_overdue": 2}, 11),
        ({"major_unverified_overdue": 1}, 17),
        ({"major_unverified_overdue": 2}, 0),  # 36 > 35: floor
        ({"major_unverified_not_overdue": 1, "general_overdue": 2, "general_open_not_overdue": 3}, 12),
        ({"major_unverified_overdue": 1, "major_unverified_not_overdue": 1}, 5),
        ({"general_overdue": 9}, 0),
        ({"general_open_not_overdue": 40}, 0),
        # the loan buckets do not score on their own
        ({"overdue_within_limit": 3, "overdue_past_limit": 2}, 35),
    ],
)
def test_hazards_component(changes: dict[str, int], expected: float) -> None:
    assert card_for(**changes).components["hazards"] == expected


def test_an_overdue_general_hazard_is_one_deduction_naming_its_records() -> None:
    refs = (RecordRef("hazard", 31, "2026-01-10"), RecordRef("hazard", 32, "2026-02-01"), RecordRef("hazard", 40))
    card = card_for(general_overdue=3, refs={"general_overdue": refs})
    deduction = only_deduction(card)
    assert (deduction.component, deduction.points, deduction.code) == ("hazards", 12, "hazard_general_overdue")
    assert deduction.records == refs
    assert deduction.params == {"count": 3, "penalty": 4}
    assert deduction.reason() == "General hazards (一般隐患) past their rectification deadline: 3 × 4 points."
    assert deduction.reason("zh") == "一般隐患逾期未整改 3 项,每项扣 4 分。"


def test_deductions_at_the_hazard_floor_add_up_to_what_was_lost() -> None:
    card = card_for(major_unverified_overdue=2, general_open_not_overdue=1)
    deduction = only_deduction(card)
    assert deduction.code == "hazard_major_overdue"
    assert deduction.points == 35
    assert deduction.params["full_points"] == 36
    assert "Only 35 points count" in deduction.reason()
    assert "实扣 35 分" in deduction.reason("zh")


def test_the_floor_cuts_the_least_serious_hazards_first() -> None:
    card = card_for(major_unverified_overdue=1, major_unverified_not_overdue=1, general_overdue=2)
    assert [(d.code, d.points) for d in card.deductions] == [
        ("hazard_major_overdue", 18), ("hazard_major_unverified", 12), ("hazard_general_overdue", 5),
    ]
    assert card.components["hazards"] == 0


# accidents (max 25)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, 25),
        ({"general_accidents": 1}, 17),
        ({"general_accidents": 2}, 9),
        ({"general_accidents": 3}, 1),
        ({"general_accidents": 4}, 0),
        ({"general_accidents": 1, "general_accidents_incomplete": 1}, 12),
        ({"general_accidents": 2, "general_accidents_incomplete": 1}, 4),
        ({"general_accidents": 2, "general_accidents_incomplete": 2}, 0),  # 26 > 25: floor
        ({"larger_accidents": 1}, 0),
        ({"larger_accidents": 1, "general_accidents": 1}, 0),
        # outside the scorecard window: only the loan rules read these
        ({"loan_larger_accidents": 1, "loan_fatal_accidents": 1, "loan_incomplete_accidents": 1}, 25),
    ],
)
def test_accidents_component(changes: dict[str, int], expected: float) -> None:
    assert card_for(**changes).components["accidents"] == expected


def test_a_larger_accident_takes_all_accident_points_in_one_deduction() -> None:
    refs = (RecordRef("accident", 5, "2025-11-02"),)
    card = card_for(larger_accidents=1, general_accidents=2, refs={"larger_accidents": refs})
    deduction = only_deduction(card)
    assert (deduction.code, deduction.points, deduction.records) == ("accident_larger", 25, refs)
    assert "较大及以上" in deduction.reason("zh")


def test_an_incomplete_four_not_letting_go_is_its_own_deduction() -> None:
    card = card_for(general_accidents=1, general_accidents_incomplete=1)
    assert [(d.code, d.points) for d in card.deductions] == [
        ("accident_general", 8), ("accident_four_not_letting_go", 5),
    ]
    assert "四不放过" in card.deductions[1].reason("zh")


# management (max 15): lawful staffing (安全生产法 art. 24), standardisation, licence


@pytest.mark.parametrize(
    ("industry", "employees", "safety_org", "fulltime", "parttime", "lawful"),
    [
        # not high-risk, at most 100 employees: any full- or part-time safety staff
        (Industry.machinery, 100, False, 0, 1, True),
        (Industry.machinery, 100, False, 1, 0, True),
        (Industry.machinery, 100, True, 0, 0, False),  # a safety body with no staff does not suffice
        (Industry.machinery, 100, False, 0, 0, False),
        (Industry.textiles, 0, False, 0, 0, False),
        # more than 100 employees: a safety body or full-time staff
        (Industry.machinery, 101, False, 0, 1, False),
        (Industry.machinery, 101, True, 0, 0, True),
        (Industry.machinery, 101, False, 1, 0, True),
        (Industry.machinery, 101, False, 0, 5, False),
        *[(industry, 10, False, 0, 2, False) for industry in HIGH_RISK_INDUSTRIES],
        *[(industry, 10, True, 0, 0, True) for industry in HIGH_RISK_INDUSTRIES],
        *[(industry, 10, False, 1, 0, True) for industry in HIGH_RISK_INDUSTRIES],
    ],
)
def test_lawful_staffing(
    industry: Industry, employees: int, safety_org: bool, fulltime: int, parttime: int, lawful: bool
) -> None:
    facts = exemplary_facts(
        industry=Industry(industry), employees=employees, safety_org=safety_org,
        safety_staff_fulltime=fulltime, safety_staff_parttime=parttime,
        license_expires_on=AS_OF + timedelta(days=365),
    )
    assert lawful_staffing(facts, RULES) is lawful
    card = scorecard(facts, RULES, AS_OF)
    assert card.components["management"] == (15 if lawful else 10)


def test_unlawful_staffing_is_explained_for_the_requirement_that_applies() -> None:
    large = only_deduction(card_for(employees=101, safety_org=False, safety_staff_fulltime=0, safety_staff_parttime=3))
    assert (large.code, large.points, large.params["variant"]) == ("staffing_unlawful", 5, "body_or_fulltime")
    assert "more than 100 employees" in large.reason()
    small = only_deduction(card_for(safety_org=True, safety_staff_fulltime=0))
    assert (small.code, small.params["variant"]) == ("staffing_unlawful", "any_staff")
    assert "兼职" in small.reason("zh")
    assert small.records == (RecordRef("enterprise", 7),)


@pytest.mark.parametrize("industry", list(Industry))
def test_licence_required(industry: Industry) -> None:
    assert licence_required(industry, RULES) is (industry in LICENSED_INDUSTRIES)
    assert set(LICENSED_INDUSTRIES) == {
        "non_coal_mining", "construction", "hazardous_chemicals", "fireworks", "civil_explosives",
    }


@pytest.mark.parametrize(
    ("grade_", "expected", "not_earned"),
    [
        (StandardizationGrade.level1, 15, 0),
        (StandardizationGrade.level2, 14, 1),
        (StandardizationGrade.level3, 13, 2),
        (StandardizationGrade.none, 10, 5),
    ],
)
def test_standardisation_points(grade_: StandardizationGrade, expected: float, not_earned: float) -> None:
    card = card_for(standardization_grade=grade_)
    assert card.components["management"] == expected
    assert sum(d.points for d in card.deductions if d.code == "standardisation") == not_earned


def test_standardisation_level3_is_two_points_not_earned() -> None:
    deduction = only_deduction(card_for(standardization_grade=StandardizationGrade.level3))
    assert deduction.reason() == (
        "Safety standardisation (安全生产标准化) level 3: 3 of 5 points, 2 not earned."
    )
    assert deduction.reason("zh") == "安全生产标准化三级,得 3 分(满分 5 分),扣 2 分。"


@pytest.mark.parametrize(
    ("industry", "expires_in_days", "expected", "variant"),
    [
        (Industry.hazardous_chemicals, 365, 15, None),
        (Industry.hazardous_chemicals, 0, 15, None),  # valid on its last day
        (Industry.hazardous_chemicals, -1, 10, "expired"),
        (Industry.hazardous_chemicals, None, 10, "missing"),
        (Industry.construction, -30, 10, "expired"),
        (Industry.machinery, None, 15, None),  # not required
        (Industry.machinery, -1, 15, None),
    ],
)
def test_licence_points(industry: Industry, expires_in_days: int | None, expected: float, variant: str | None) -> None:
    expires = None if expires_in_days is None else AS_OF + timedelta(days=expires_in_days)
    card = card_for(industry=industry, license_expires_on=expires)
    assert card.components["management"] == expected
    licence = [d for d in card.deductions if d.code == "licence_invalid"]
    assert [d.params["variant"] for d in licence] == ([variant] if variant else [])


def test_an_expired_licence_names_its_expiry_date() -> None:
    deduction = only_deduction(card_for(industry=Industry.fireworks, license_expires_on=AS_OF - timedelta(days=1)))
    assert "2026-02-28" in deduction.reason()
    assert "烟花爆竹" in deduction.reason("zh")


# training (max 10)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, 10),
        ({"principal_certified": False}, 8),
        ({"safety_managers_certified": False}, 8),
        ({"all_staff_trained": False}, 8),
        ({"special_operators": 0, "special_operators_certified": 0}, 10),
        ({"special_operators": 10, "special_operators_certified": 10}, 10),
        ({"special_operators": 10, "special_operators_certified": 8}, 9.2),
        ({"special_operators": 10, "special_operators_certified": 0}, 6),
        ({"special_operators": 4, "special_operators_certified": 1}, 7),
        ({"special_operators": 3, "special_operators_certified": 2}, 10 - 4 / 3),
        (
            {"principal_certified": False, "safety_managers_certified": False, "all_staff_trained": False,
             "special_operators": 5, "special_operators_certified": 0},
            0,
        ),
    ],
)
def test_training_component(changes: dict[str, Any], expected: float) -> None:
    assert card_for(**changes).components["training"] == pytest.approx(expected, abs=1e-12)


def test_uncertified_special_operators_lose_their_share() -> None:
    deduction = only_deduction(card_for(special_operators=10, special_operators_certified=8))
    assert deduction.code == "special_operators_uncertified"
    assert deduction.points == pytest.approx(0.8)
    assert deduction.reason() == (
        "2 of 10 special operators (特种作业人员) work without a certificate (持证上岗): 0.8 of 4 points."
    )
    assert deduction.reason("zh") == "特种作业人员 10 人中有 2 人未持证上岗,扣 0.8 分(该项满分 4 分)。"


# signage (max 10)


@pytest.mark.parametrize(("compliant", "expected"), [(True, 10), (False, 0)])
def test_signage_component(compliant: bool, expected: float) -> None:
    assert card_for(signage_compliant=compliant).components["signage"] == expected


def test_missing_signage_names_the_boards_behind_it() -> None:
    boards = (RecordRef("safety_sign", 3, "damaged"),)
    deduction = only_deduction(card_for(signage_compliant=False, refs={"signage_compliant": boards}))
    assert (deduction.code, deduction.points, deduction.records) == ("signage_not_compliant", 10, boards)
    assert "安全生产宣传牌" in deduction.reason("zh")


# compliance (max 5)


@pytest.mark.parametrize(
    ("changes", "expected", "codes"),
    [
        ({}, 5, []),
        ({"severe_enforcement": 1}, 0, ["severe_enforcement"]),
        ({"severe_enforcement": 3}, 0, ["severe_enforcement"]),
        ({"rectification_orders": 1}, 3, ["rectification_order"]),
        ({"rectification_orders": 4}, 3, ["rectification_order"]),  # once, however many
        ({"self_inspected": False}, 3, ["no_self_inspection"]),
        ({"rectification_orders": 2, "self_inspected": False}, 1,
         ["rectification_order", "no_self_inspection"]),
        ({"severe_enforcement": 1, "rectification_orders": 1}, 0, ["severe_enforcement"]),
        ({"severe_enforcement": 2, "rectification_orders": 2, "self_inspected": False}, 0,
         ["severe_enforcement"]),
        # the loan-rule facts do not score on their own
        ({"suspension_in_force": 1, "closures": 1, "loan_prosecutions": 1, "loan_fines_or_orders": 1}, 5, []),
    ],
)
def test_compliance_component(changes: dict[str, Any], expected: float, codes: list[str]) -> None:
    card = card_for(**changes)
    assert card.components["compliance"] == expected
    assert [d.code for d in card.deductions] == codes


# grades


@pytest.mark.parametrize(
    ("score", "expected"),
    [(0, "D"), (59.9, "D"), (59.999999, "D"), (60, "C"), (74.9, "C"), (75, "B"), (89.9, "B"), (90, "A"), (100, "A")],
)
def test_grade_boundaries(score: float, expected: str) -> None:
    assert grade(score, RULES) == expected


def test_grade_thresholds_come_from_the_settings() -> None:
    assert grade(85, RuleSettings(grade_a_min=85)) == "A"


def test_the_grade_is_taken_on_the_unrounded_score() -> None:
    # 40 points lost, plus 0.05 for 1 uncertified special operator of 80: 59.95 shows as 60.0 but is D
    lost_40: dict[str, Any] = {"major_unverified_overdue": 2, "severe_enforcement": 1, "special_operators": 80}
    almost = card_for(**lost_40, special_operators_certified=79)
    assert almost.score == pytest.approx(59.95)
    assert f"{almost.score:.1f}" == "60.0"
    assert almost.grade == "D"
    assert card_for(**lost_40, special_operators_certified=80).grade == "C"


# every point lost is explained


SCENARIOS: list[dict[str, Any]] = [
    {},
    {"major_unverified_overdue": 2, "general_open_not_overdue": 1},
    {"major_unverified_overdue": 5, "general_overdue": 7, "general_open_not_overdue": 9},
    {"general_accidents": 2, "general_accidents_incomplete": 2},
    {"larger_accidents": 2, "general_accidents": 3, "general_accidents_incomplete": 1},
    {"industry": Industry.hazardous_chemicals, "safety_org": False, "safety_staff_fulltime": 0,
     "standardization_grade": StandardizationGrade.none},
    {"special_operators": 7, "special_operators_certified": 3, "principal_certified": False},
    {"special_operators": 3, "special_operators_certified": 1, "all_staff_trained": False,
     "safety_managers_certified": False, "principal_certified": False},
    {"signage_compliant": False, "severe_enforcement": 1, "rectification_orders": 1,
     "self_inspected": False},
    {"major_unverified_not_overdue": 1, "general_overdue": 1, "general_accidents": 1,
     "standardization_grade": StandardizationGrade.level2, "special_operators": 9, "special_operators_certified": 4,
     "rectification_orders": 1, "industry": Industry.construction, "license_expires_on": None},
    {"major_unverified_overdue": 3, "larger_accidents": 1, "safety_staff_fulltime": 0, "safety_org": False,
     "standardization_grade": StandardizationGrade.none, "industry": Industry.fireworks, "principal_certified": False,
     "safety_managers_certified": False, "special_operators": 6, "special_operators_certified": 0,
     "all_staff_trained": False, "signage_compliant": False, "severe_enforcement": 1,
     "self_inspected": False},
]


@pytest.mark.parametrize("changes", SCENARIOS)
def test_deductions_add_up_to_exactly_what_was_lost(changes: dict[str, Any]) -> None:
    card = card_for(**changes)
    assert card.score == pytest.approx(sum(card.components.values()), abs=1e-9)
    assert sum(d.points for d in card.deductions) == pytest.approx(100 - card.score, abs=1e-9)
    for component in COMPONENTS:
        lost = component_maxima(RULES)[component] - card.components[component]
        assert card.lost(component) == pytest.approx(lost, abs=1e-9)
        assert 0 <= card.components[component] <= component_maxima(RULES)[component]
    assert all(d.points > 0 for d in card.deductions)
    assert card.grade == grade(card.score, RULES)


def test_the_worst_enterprise_scores_zero() -> None:
    card = card_for(**SCENARIOS[-1])
    assert card.score == 0
    assert card.grade == "D"
    assert sum(d.points for d in card.deductions) == 100


def test_weights_come_from_the_settings() -> None:
    rules = RuleSettings(general_overdue_penalty=5)
    card = scorecard(exemplary_facts(general_overdue=2), rules, AS_OF)
    assert card.components["hazards"] == 25

"""Four-colour risk (安全风险四色, DESIGN.md 4.5): inherent risk, the 3×4 table and escalation to red."""

from __future__ import annotations

from typing import Any

import pytest

from dashboard.rules.risk_colour import inherent_risk, risk_colour
from dashboard.rules.scorecard import Scorecard, scorecard
from models.enums import Industry, MajorHazardSource
from tests.rules_facts import AS_OF, RULES, exemplary_facts

INDUSTRY_RISK = {
    Industry.hazardous_chemicals: "high",
    Industry.fireworks: "high",
    Industry.civil_explosives: "high",
    Industry.non_coal_mining: "high",
    Industry.metallurgy: "medium",
    Industry.nonferrous_metals: "medium",
    Industry.construction: "medium",
    Industry.road_transport: "medium",
    Industry.warehousing_logistics: "medium",
    Industry.building_materials: "low",
    Industry.machinery: "low",
    Industry.light_industry: "low",
    Industry.textiles: "low",
    Industry.commerce_trade: "low",
    Industry.other: "low",
}
SOURCE_RISK = {
    MajorHazardSource.grade1: "high",
    MajorHazardSource.grade2: "high",
    MajorHazardSource.grade3: "medium",
    MajorHazardSource.grade4: "medium",
    MajorHazardSource.none: "low",
}
ORDER = ("low", "medium", "high")


def test_every_industry_and_source_is_classified() -> None:
    assert set(INDUSTRY_RISK) == set(Industry)
    assert set(SOURCE_RISK) == set(MajorHazardSource)


@pytest.mark.parametrize("industry", list(Industry))
@pytest.mark.parametrize("source", list(MajorHazardSource))
def test_inherent_risk_is_the_higher_of_industry_and_major_hazard_source(
    industry: Industry, source: MajorHazardSource
) -> None:
    expected = max(INDUSTRY_RISK[industry], SOURCE_RISK[source], key=ORDER.index)
    assert inherent_risk(industry, source, RULES) == expected


# an industry of each inherent risk, with no major hazard source
INDUSTRY_OF = {"high": Industry.hazardous_chemicals, "medium": Industry.metallurgy, "low": Industry.machinery}

TABLE = {
    ("high", "A"): "yellow", ("high", "B"): "orange", ("high", "C"): "orange", ("high", "D"): "red",
    ("medium", "A"): "blue", ("medium", "B"): "yellow", ("medium", "C"): "orange", ("medium", "D"): "red",
    ("low", "A"): "blue", ("low", "B"): "blue", ("low", "C"): "yellow", ("low", "D"): "orange",
}
SCORE_OF = {"A": 95.0, "B": 80.0, "C": 65.0, "D": 40.0}


def card_with_grade(grade: str) -> Scorecard:
    return Scorecard(enterprise_id=7, score=SCORE_OF[grade], grade=grade, components={}, deductions=())


@pytest.mark.parametrize(("inherent", "grade"), list(TABLE))
def test_the_colour_table(inherent: str, grade: str) -> None:
    facts = exemplary_facts(industry=INDUSTRY_OF[inherent])
    assert risk_colour(facts, card_with_grade(grade), RULES) == TABLE[(inherent, grade)]


@pytest.mark.parametrize(
    ("source", "grade", "expected"),
    [(MajorHazardSource.grade2, "A", "yellow"), (MajorHazardSource.grade4, "B", "yellow")],
)
def test_a_major_hazard_source_raises_a_low_risk_industry(source: MajorHazardSource, grade: str, expected: str) -> None:
    facts = exemplary_facts(major_hazard_source=source)
    assert risk_colour(facts, card_with_grade(grade), RULES) == expected


@pytest.mark.parametrize(
    "changes",
    [
        {"major_unverified_not_overdue": 1},  # open in time, or rectified and awaiting verification
        {"major_unverified_overdue": 1},
        {"larger_accidents": 1},
    ],
)
def test_escalation_to_red(changes: dict[str, Any]) -> None:
    facts = exemplary_facts(**changes)
    assert risk_colour(facts, card_with_grade("A"), RULES) == "red"
    assert risk_colour(facts, scorecard(facts, RULES, AS_OF), RULES) == "red"


@pytest.mark.parametrize(
    "changes",
    [
        {"general_overdue": 3, "overdue_past_limit": 3},  # general hazards never escalate
        {"loan_larger_accidents": 1, "loan_fatal_accidents": 1},  # outside the escalation window
    ],
)
def test_no_escalation_without_a_major_hazard_or_a_recent_larger_accident(changes: dict[str, Any]) -> None:
    assert risk_colour(exemplary_facts(**changes), card_with_grade("A"), RULES) == "blue"


def test_an_exemplary_low_risk_enterprise_is_blue() -> None:
    facts = exemplary_facts()
    assert risk_colour(facts, scorecard(facts, RULES, AS_OF), RULES) == "blue"

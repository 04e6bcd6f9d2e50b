"""Four-colour risk (安全风险四色, DESIGN.md 4.5): red 重大, orange 较大, yellow 一般, blue 低.

The colour comes from the enterprise's inherent risk (its industry and its major hazard
source, 重大危险源) crossed with its scorecard grade, escalated to red whenever a major hazard
(重大隐患) is not verified or a larger-or-worse accident happened within the window.
"""

from __future__ import annotations

from dashboard.rules.facts import EnterpriseFacts
from dashboard.rules.scorecard import Scorecard
from dashboard.settings import RuleSettings
from models.enums import Industry, MajorHazardSource

INHERENT_RISKS = ("high", "medium", "low")
COLOURS = ("red", "orange", "yellow", "blue")

HIGH_HAZARD_SOURCES = (MajorHazardSource.grade1, MajorHazardSource.grade2)
MEDIUM_HAZARD_SOURCES = (MajorHazardSource.grade3, MajorHazardSource.grade4)

# inherent risk -> scorecard grade -> colour
COLOUR_TABLE: dict[str, dict[str, str]] = {
    "high": {"A": "yellow", "B": "orange", "C": "orange", "D": "red"},
    "medium": {"A": "blue", "B": "yellow", "C": "orange", "D": "red"},
    "low": {"A": "blue", "B": "blue", "C": "yellow", "D": "orange"},
}


def inherent_risk(industry: Industry, major_hazard_source: MajorHazardSource, rules: RuleSettings) -> str:
    """"high", "medium" or "low": the risk of the enterprise's industry and major hazard source (重大危险源)."""
    if major_hazard_source in HIGH_HAZARD_SOURCES or industry in rules.inherent_high_industries:
        return "high"
    if major_hazard_source in MEDIUM_HAZARD_SOURCES or industry in rules.inherent_medium_industries:
        return "medium"
    return "low"


def escalated(facts: EnterpriseFacts) -> bool:
    """Red regardless of the table: a major hazard not verified, or a larger-or-worse accident in the window."""
    unverified_major = facts.major_unverified_not_overdue + facts.major_unverified_overdue
    return unverified_major > 0 or facts.larger_accidents > 0


def risk_colour(facts: EnterpriseFacts, card: Scorecard, rules: RuleSettings) -> str:
    """"red", "orange", "yellow" or "blue" for one enterprise at D."""
    if escalated(facts):
        return "red"
    return COLOUR_TABLE[inherent_risk(facts.industry, facts.major_hazard_source, rules)][card.grade]

"""Accident level (生产安全事故报告和调查处理条例, art. 3; DESIGN.md 4.1).

The level is the highest that any of deaths, serious injuries and direct loss reaches;
each bound is inclusive ("at least").
"""

from __future__ import annotations

from dashboard.settings import RuleSettings
from models.enums import AccidentLevel


def accident_level(
    deaths: int, serious_injuries: int, direct_loss_yuan: float, rules: RuleSettings | None = None
) -> AccidentLevel:
    """The level an accident with these numbers has."""
    r = rules or RuleSettings()
    tiers = (
        (AccidentLevel.especially_major, r.accident_especially_major_deaths,
         r.accident_especially_major_serious_injuries, r.accident_especially_major_loss_yuan),
        (AccidentLevel.major, r.accident_major_deaths, r.accident_major_serious_injuries, r.accident_major_loss_yuan),
        (AccidentLevel.larger, r.accident_larger_deaths, r.accident_larger_serious_injuries,
         r.accident_larger_loss_yuan),
    )
    for level, min_deaths, min_injuries, min_loss in tiers:
        if deaths >= min_deaths or serious_injuries >= min_injuries or direct_loss_yuan >= min_loss:
            return level
    return AccidentLevel.general

"""Accident level (生产安全事故报告和调查处理条例, art. 3; DESIGN.md 4.1).

The level is the highest that any of deaths, serious injuries and direct loss reaches;
each bound is inclusive ("at least").
"""

from __future__ import annotations

from dashboard.settings import RuleSettings
from models.enums import AccidentLevel


def accident_level(deaths: int, serious_injuries: int, direct_loss_yuan: float, rules: RuleSettings) -> AccidentLevel:
    """The level an accident with these numbers has, by the thresholds in force (``rules``: no default, so a
    threshold the administrator changed is never silently replaced by the design's)."""
    tiers = (
        (AccidentLevel.especially_major, rules.accident_especially_major_deaths,
         rules.accident_especially_major_serious_injuries, rules.accident_especially_major_loss_yuan),
        (AccidentLevel.major, rules.accident_major_deaths, rules.accident_major_serious_injuries,
         rules.accident_major_loss_yuan),
        (AccidentLevel.larger, rules.accident_larger_deaths, rules.accident_larger_serious_injuries,
         rules.accident_larger_loss_yuan),
    )
    for level, min_deaths, min_injuries, min_loss in tiers:
        if deaths >= min_deaths or serious_injuries >= min_injuries or direct_loss_yuan >= min_loss:
            return level
    return AccidentLevel.general

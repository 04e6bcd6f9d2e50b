"""Accident level (生产安全事故报告和调查处理条例 art. 3, DESIGN.md 4.1): each bound is inclusive."""

from __future__ import annotations

import pytest

from dashboard.rules.accident_level import accident_level
from dashboard.settings import RuleSettings
from models.enums import AccidentLevel

RULES = RuleSettings()


@pytest.mark.parametrize(
    ("deaths", "serious_injuries", "direct_loss_yuan", "expected"),
    [
        (0, 0, 0, AccidentLevel.general),
        # deaths
        (2, 0, 0, AccidentLevel.general),
        (3, 0, 0, AccidentLevel.larger),
        (9, 0, 0, AccidentLevel.larger),
        (10, 0, 0, AccidentLevel.major),
        (29, 0, 0, AccidentLevel.major),
        (30, 0, 0, AccidentLevel.especially_major),
        # serious injuries
        (0, 9, 0, AccidentLevel.general),
        (0, 10, 0, AccidentLevel.larger),
        (0, 49, 0, AccidentLevel.larger),
        (0, 50, 0, AccidentLevel.major),
        (0, 99, 0, AccidentLevel.major),
        (0, 100, 0, AccidentLevel.especially_major),
        # direct economic loss (yuan)
        (0, 0, 9_999_999, AccidentLevel.general),
        (0, 0, 10_000_000, AccidentLevel.larger),
        (0, 0, 49_999_999, AccidentLevel.larger),
        (0, 0, 50_000_000, AccidentLevel.major),
        (0, 0, 99_999_999, AccidentLevel.major),
        (0, 0, 100_000_000, AccidentLevel.especially_major),
    ],
)
def test_each_criterion_at_its_bounds(
    deaths: int, serious_injuries: int, direct_loss_yuan: float, expected: AccidentLevel
) -> None:
    assert accident_level(deaths, serious_injuries, direct_loss_yuan, RULES) == expected


@pytest.mark.parametrize(
    ("deaths", "serious_injuries", "direct_loss_yuan", "expected"),
    [
        (1, 10, 0, AccidentLevel.larger),  # injuries beat deaths
        (3, 50, 0, AccidentLevel.major),
        (10, 0, 100_000_000, AccidentLevel.especially_major),  # loss beats deaths
        (30, 9, 0, AccidentLevel.especially_major),  # deaths beat injuries
        (2, 9, 50_000_000, AccidentLevel.major),
        (9, 49, 99_999_999, AccidentLevel.major),
    ],
)
def test_the_highest_criterion_wins(
    deaths: int, serious_injuries: int, direct_loss_yuan: float, expected: AccidentLevel
) -> None:
    assert accident_level(deaths, serious_injuries, direct_loss_yuan, RULES) == expected


def test_thresholds_come_from_the_settings() -> None:
    stricter = RuleSettings(accident_larger_deaths=2)
    assert accident_level(2, 0, 0, stricter) == AccidentLevel.larger
    assert accident_level(2, 0, 0, RULES) == AccidentLevel.general

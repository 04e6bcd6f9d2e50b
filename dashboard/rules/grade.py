"""Scorecard grade (DESIGN.md 4.4): A >= 90, B >= 75, C >= 60, D below, on the unrounded score."""

from __future__ import annotations

from dashboard.settings import RuleSettings

GRADES = ("A", "B", "C", "D")


def grade(score: float, rules: RuleSettings) -> str:
    """The letter grade of an unrounded score; each threshold belongs to the higher grade."""
    if score >= rules.grade_a_min:
        return "A"
    if score >= rules.grade_b_min:
        return "B"
    if score >= rules.grade_c_min:
        return "C"
    return "D"

"""The loan override in force at D: within its window, latest decision first, highest id on a tie."""

from __future__ import annotations

from datetime import date

from dashboard.rules.facts import OverrideFact
from dashboard.rules.overrides import override_in_force
from models.enums import LoanDecision


def override(id_: int, decided: date, expires: date, decision: LoanDecision = LoanDecision.eligible) -> OverrideFact:
    return OverrideFact(id_, decision, "reason", "finance", decided, expires)


def test_before_during_and_after_the_window() -> None:
    o = override(1, date(2026, 3, 1), date(2026, 6, 30))
    assert override_in_force([o], date(2026, 2, 28)) is None
    assert override_in_force([o], date(2026, 3, 1)) == o
    assert override_in_force([o], date(2026, 6, 30)) == o
    assert override_in_force([o], date(2026, 7, 1)) is None


def test_latest_decision_wins_and_a_tie_goes_to_the_highest_id() -> None:
    older = override(9, date(2026, 1, 1), date(2026, 6, 30), LoanDecision.ineligible)
    newer = override(2, date(2026, 2, 1), date(2026, 6, 30))
    tie = override(5, date(2026, 2, 1), date(2026, 6, 30), LoanDecision.ineligible)
    assert override_in_force([older, newer], date(2026, 3, 1)) == newer
    assert override_in_force([older, newer, tie], date(2026, 3, 1)) == tie

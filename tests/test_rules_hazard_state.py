"""Hazard state at D from the dates, and days overdue (DESIGN.md 4.2)."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.rules.hazard_state import HazardState, days_overdue, hazard_state_at

D = date(2026, 6, 30)


@pytest.mark.parametrize(
    ("found", "rectified", "verified", "state"),
    [
        (date(2026, 7, 1), None, None, HazardState.absent),
        (D, None, None, HazardState.open),
        (date(2026, 6, 1), date(2026, 7, 1), None, HazardState.open),  # rectified after D: open at D
        (date(2026, 6, 1), D, None, HazardState.rectified),
        (date(2026, 6, 1), date(2026, 6, 10), date(2026, 7, 1), HazardState.rectified),  # verified after D
        (date(2026, 6, 1), date(2026, 6, 10), D, HazardState.verified),
    ],
)
def test_state_comes_from_the_dates(found: date, rectified: date | None, verified: date | None,
                                    state: HazardState) -> None:
    assert hazard_state_at(found, rectified, verified, D) == state


@pytest.mark.parametrize(
    ("deadline", "state", "days"),
    [
        (D, HazardState.open, 0),
        (date(2026, 6, 29), HazardState.open, 1),
        (date(2026, 5, 31), HazardState.open, 30),
        (date(2026, 5, 30), HazardState.open, 31),
        (date(2026, 5, 30), HazardState.rectified, 0),  # rectified, not yet verified: never overdue
        (date(2026, 5, 30), HazardState.verified, 0),
    ],
)
def test_days_overdue(deadline: date, state: HazardState, days: int) -> None:
    assert days_overdue(state, deadline, D) == days

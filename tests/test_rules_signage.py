"""A sign's state at D and whether a publicity board makes its enterprise compliant (DESIGN.md 4.3)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dashboard.rules.signage import board_counts, sign_state_at
from dashboard.rules.windows import listing_in_force
from models.enums import SignCondition, SignKind

D = date(2026, 6, 30)
GOOD, DAMAGED = SignCondition.good, SignCondition.damaged


def test_latest_check_on_or_before_d_wins_and_later_checks_are_ignored() -> None:
    checks = [(date(2026, 1, 1), 1, GOOD), (date(2026, 5, 1), 2, DAMAGED), (date(2026, 7, 1), 3, GOOD)]
    assert sign_state_at(checks, date(2026, 7, 1), GOOD, D) == (date(2026, 5, 1), DAMAGED)


def test_a_tie_on_the_check_date_goes_to_the_highest_id() -> None:
    checks = [(date(2026, 5, 1), 7, GOOD), (date(2026, 5, 1), 3, DAMAGED)]
    assert sign_state_at(checks, None, DAMAGED, D) == (date(2026, 5, 1), GOOD)


def test_without_check_rows_the_sign_itself_counts_only_when_checked_by_d() -> None:
    assert sign_state_at([], date(2026, 6, 1), GOOD, D) == (date(2026, 6, 1), GOOD)
    assert sign_state_at([], date(2026, 7, 1), GOOD, D) is None
    assert sign_state_at([], None, GOOD, D) is None


@pytest.mark.parametrize(
    ("kind", "installed", "state", "counts"),
    [
        (SignKind.publicity_board, date(2025, 1, 1), (D - timedelta(days=180), GOOD), True),
        (SignKind.publicity_board, date(2025, 1, 1), (D - timedelta(days=181), GOOD), False),
        (SignKind.publicity_board, date(2025, 1, 1), (D, DAMAGED), False),
        (SignKind.publicity_board, date(2025, 1, 1), (D, SignCondition.missing), False),
        (SignKind.publicity_board, date(2026, 7, 1), (D, GOOD), False),  # not yet installed at D
        (SignKind.publicity_board, date(2025, 1, 1), None, False),
        (SignKind.warning_sign, date(2025, 1, 1), (D, GOOD), False),
    ],
)
def test_which_boards_count(kind: SignKind, installed: date, state: tuple[date, SignCondition] | None,
                            counts: bool) -> None:
    assert board_counts(kind, installed, state, D, 180) is counts


@pytest.mark.parametrize(
    ("listed", "removed", "as_of", "in_force"),
    [
        (date(2023, 7, 1), None, D, True),
        (date(2023, 6, 30), None, D, False),  # exactly three years: over
        (date(2026, 7, 1), None, D, False),  # listed after D
        (date(2025, 1, 1), date(2026, 6, 30), D, False),  # removed on D
        (date(2025, 1, 1), date(2026, 7, 1), D, True),  # removed after D
        (date(2024, 2, 29), None, date(2027, 2, 27), True),
        (date(2024, 2, 29), None, date(2027, 2, 28), False),  # 28 February for a 29 February listing
    ],
)
def test_dishonesty_listing_term(listed: date, removed: date | None, as_of: date, in_force: bool) -> None:
    assert listing_in_force(listed, removed, as_of, 3) is in_force

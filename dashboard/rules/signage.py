"""Signage compliance (DESIGN.md 4.3): every enterprise needs at least one safety publicity
board (安全生产宣传牌) in good condition, checked within the last 180 days."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from dashboard.rules.windows import within
from models.enums import SignCondition, SignKind

SignState = tuple[date, SignCondition]


def sign_state_at(
    checks: Iterable[tuple[date, int, SignCondition]],
    last_checked_on: date | None,
    condition: SignCondition,
    as_of: date,
) -> SignState | None:
    """A sign's state at D: its latest check (checked_on, id, condition) on or before D, the
    highest id on a tie; with none, its own last check when that was on or before D; else none."""
    earlier = [check for check in checks if check[0] <= as_of]
    if earlier:
        checked_on, _, latest = max(earlier, key=lambda check: (check[0], check[1]))
        return checked_on, latest
    if last_checked_on is not None and last_checked_on <= as_of:
        return last_checked_on, condition
    return None


def board_counts(kind: SignKind, installed_on: date, state: SignState | None, as_of: date, max_age_days: int) -> bool:
    """Whether this sign makes its enterprise compliant at D."""
    return (
        kind == SignKind.publicity_board
        and installed_on <= as_of
        and state is not None
        and state[1] == SignCondition.good
        and within(state[0], as_of, max_age_days)
    )

"""A hidden hazard's state at an as-of date D, read from its dates alone (DESIGN.md 4.2).

It exists at D if found_on <= D; it is verified at D if verified_on <= D, else rectified
at D if rectified_on <= D, else open. Open with deadline < D is overdue by D - deadline days.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class HazardState(StrEnum):
    absent = "absent"  # not yet found at D
    open = "open"
    rectified = "rectified"
    verified = "verified"


def hazard_state_at(found_on: date, rectified_on: date | None, verified_on: date | None, as_of: date) -> HazardState:
    """The hazard's state at D; the status column is never read."""
    if found_on > as_of:
        return HazardState.absent
    if verified_on is not None and verified_on <= as_of:
        return HazardState.verified
    if rectified_on is not None and rectified_on <= as_of:
        return HazardState.rectified
    return HazardState.open


def days_overdue(state: HazardState, deadline: date, as_of: date) -> int:
    """D - deadline for an open hazard past its deadline, else 0 (a rectified hazard is never overdue)."""
    if state != HazardState.open or deadline >= as_of:
        return 0
    return (as_of - deadline).days

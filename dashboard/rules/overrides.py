"""Which loan override (信贷支持人工认定) is in force at D (DESIGN.md 4.6): decided_on <= D <=
expires_on; the latest decided_on wins, and on a tie the highest id."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from dashboard.rules.facts import OverrideFact


def override_in_force(overrides: Iterable[OverrideFact], as_of: date) -> OverrideFact | None:
    in_force = [o for o in overrides if o.decided_on <= as_of <= o.expires_on]
    return max(in_force, key=lambda o: (o.decided_on, o.id)) if in_force else None

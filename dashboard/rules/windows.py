"""Date windows of DESIGN.md section 4: "within N days" means D-N <= date <= D, and the
three-year term of a dishonesty listing (安全生产严重失信主体名单, L7)."""

from __future__ import annotations

from datetime import date, timedelta


def days_before(as_of: date, days: int) -> date:
    """D-N: the first day of a window "within N days" (D-N <= date <= D)."""
    return as_of - timedelta(days=days)


def within(day: date | None, as_of: date, days: int) -> bool:
    """Whether ``day`` is within N days of D: D-N <= day <= D."""
    return day is not None and as_of - timedelta(days=days) <= day <= as_of


def anniversary(day: date, years: int) -> date:
    """The same day ``years`` years later; 28 February when that year has no 29 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def listing_cutoff(as_of: date, years: int) -> date:
    """The last listing day whose term has ended by D: a listing counts at D exactly when listed_on > this.

    A listing counts while D < anniversary(listed_on, years). The anniversary never goes
    backwards as listed_on advances (29 February and 28 February of a leap year share
    28 February), so the listing days whose term has ended are exactly those up to one day,
    found here by stepping from D minus the years.
    """
    cutoff = anniversary(as_of, -years)
    while anniversary(cutoff, years) > as_of:
        cutoff -= timedelta(days=1)
    while anniversary(cutoff + timedelta(days=1), years) <= as_of:
        cutoff += timedelta(days=1)
    return cutoff


def listing_in_force(listed_on: date, removed_on: date | None, as_of: date, years: int) -> bool:
    """L7: listed on or before D, not removed at D, and D before the listing's N-th anniversary."""
    return listed_on <= as_of and (removed_on is None or removed_on > as_of) and as_of < anniversary(listed_on, years)

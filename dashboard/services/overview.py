"""The Overview 总览: the park's key figures at an as-of date D and a month earlier, the monthly
trend of hazards found and closed, this year's accidents, and the alerts that need someone's attention.

Every figure is set-based SQL over the whole park (a grouped query or one evaluation pass), never a
query per enterprise. Definitions (DESIGN.md sections 4 and 5):

* **Enterprises** — enterprises in the park: status operating or suspended, not closed. The status
  column has no history, so the count is the same at D and a month earlier.
* **Signage compliance** — the share of those enterprises that are signage-compliant at the date (4.3).
* **Open hazards** — found on or before the date, neither rectified nor verified by then (4.2).
  **Overdue** — open with a deadline before the date. **Major** — major hazards found by the date and
  not yet verified (closed, 销号) by then: a rectified major hazard stays listed until it is verified.
  Hazards count whatever their enterprise's status; the status column is never read.
* **On-time rectification** — of the hazards rectified within the last 365 days (D-365 <= rectified_on
  <= D), the share rectified on or before their deadline; no basis (None) when none was rectified.
* **Accidents this year** — accidents that occurred from 1 January of the date's year up to the date,
  against the park's yearly target; their level comes from the numbers (4.1), not the stored column.
* **Ineligible** — enterprises in the park whose effective loan status (after an override) is ineligible.

The comparison date is the same day of the previous month (the month's last day when that month is
shorter: 31 March → 28 or 29 February).
"""

from __future__ import annotations

from calendar import monthrange
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, and_, case, func, or_, select, union_all
from sqlmodel import Session

from dashboard.rules.accident_level import accident_level
from dashboard.rules.windows import days_before
from dashboard.services.evaluation import EnterpriseEvaluation, EvaluateAt, evaluate_all
from dashboard.services.hazard_index import VerifiedOnFirst
from dashboard.services.park import get_park
from dashboard.settings import RuleSettings
from models import Accident, Enterprise, Hazard, SafetySign, SignCheck
from models.enums import AccidentLevel, EnterpriseStatus, HazardSeverity, LoanDecision

RECTIFICATION_WINDOW_DAYS = 365
TREND_MONTHS = 24

_HAZARD = Hazard.__table__  # type: ignore[attr-defined]
_ENTERPRISE = Enterprise.__table__  # type: ignore[attr-defined]
_ACCIDENT = Accident.__table__  # type: ignore[attr-defined]
_SIGN = SafetySign.__table__  # type: ignore[attr-defined]
_CHECK = SignCheck.__table__  # type: ignore[attr-defined]

OVERDUE_COLUMNS = ("enterprise_id", "name", "name_en", "hazard_id", "category", "severity", "found_on",
                   "deadline", "days_overdue", "listed_supervision")
LICENCE_COLUMNS = ("enterprise_id", "name", "name_en", "industry", "license_no", "license_expires_on",
                   "days_left", "licence_state")
SIGN_COLUMNS = ("enterprise_id", "name", "name_en", "sign_id", "kind", "location", "last_checked_on",
                "condition", "due_on", "days_since_check")


def same_day_previous_month(day: date) -> date:
    """The same day a month earlier; the month's last day when the earlier month is shorter."""
    year, month = (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def months_ending(day: date, months: int = TREND_MONTHS) -> list[date]:
    """The first days of the ``months`` months ending with ``day``'s month, oldest first."""
    firsts = [day.replace(day=1)]
    while len(firsts) < months:
        firsts.append((firsts[-1] - timedelta(days=1)).replace(day=1))
    return firsts[::-1]


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


# --- key figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParkFigures:
    """The park's key figures at one date."""

    on: date
    enterprises: int
    signage_compliant: int
    open_hazards: int
    overdue_hazards: int
    major_hazards: int
    rectified: int  # within the 365 days up to the date
    rectified_on_time: int  # of those, on or before the deadline
    accidents_this_year: int
    ineligible: int

    @property
    def signage_compliance(self) -> float | None:
        """The share of enterprises that are signage-compliant (None without enterprises)."""
        return self.signage_compliant / self.enterprises if self.enterprises else None

    @property
    def on_time_rectification(self) -> float | None:
        """The share of hazards rectified within 365 days that were rectified by their deadline."""
        return self.rectified_on_time / self.rectified if self.rectified else None


@dataclass(frozen=True)
class ParkKpis:
    """The key figures at D and at the same day a month earlier, and the park's accident target."""

    current: ParkFigures
    previous: ParkFigures
    accident_target_per_year: int | None
    suspended: int  # of the enterprises, how many are suspended


def _unverified(session: Session, first: date, last: date, *names: str) -> Any:
    """The hazards found by ``last`` and not verified by ``first`` (a superset of those unverified at any day
    between), columns ``names``: two ranges of ``ix_hazard_state_at``, never a scan of every hazard."""
    h = VerifiedOnFirst(session)
    columns = [getattr(h, name).label(name) for name in names]
    return union_all(
        select(*columns).where(h.verified_on.is_(None), h.found_on <= last),
        select(*columns).where(h.verified_on > first, h.found_on <= last),
    ).subquery("unverified")


def _hazard_figures(session: Session, days: tuple[date, ...]) -> list[dict[str, int]]:
    """Open, overdue and major hazards and rectification timeliness at each day: two grouped queries that
    read only the hazards that can count (unverified ones through ``ix_hazard_state_at``, recently
    rectified ones through the ``rectified_on`` index)."""
    h = _HAZARD
    first, last = min(days), max(days)
    unverified = _unverified(session, first, last, "found_on", "deadline", "rectified_on", "verified_on", "severity")
    u = unverified.c
    state_columns: list[Any] = []
    for index, d in enumerate(days):
        found = u.found_on <= d
        not_verified = or_(u.verified_on.is_(None), u.verified_on > d)
        is_open = and_(found, not_verified, or_(u.rectified_on.is_(None), u.rectified_on > d))
        state_columns += [
            _count(is_open).label(f"open_{index}"),
            _count(and_(is_open, u.deadline < d)).label(f"overdue_{index}"),
            _count(and_(found, not_verified, u.severity == HazardSeverity.major)).label(f"major_{index}"),
        ]
    states = session.execute(select(*state_columns)).one()._mapping
    rectified_columns: list[Any] = []
    for index, d in enumerate(days):
        rectified = and_(h.c.rectified_on >= days_before(d, RECTIFICATION_WINDOW_DAYS), h.c.rectified_on <= d)
        rectified_columns += [
            _count(rectified).label(f"rectified_{index}"),
            _count(and_(rectified, h.c.rectified_on <= h.c.deadline)).label(f"on_time_{index}"),
        ]
    recent = session.execute(select(*rectified_columns).where(
        h.c.rectified_on >= days_before(first, RECTIFICATION_WINDOW_DAYS), h.c.rectified_on <= last)).one()._mapping
    figures = {**states, **recent}
    return [{name: int(figures[f"{name}_{index}"] or 0) for name in ("open", "overdue", "major", "rectified",
                                                                        "on_time")}
            for index in range(len(days))]


def _accidents_this_year(session: Session, days: tuple[date, ...]) -> list[int]:
    a = _ACCIDENT
    row = session.execute(select(*(
        _count(and_(a.c.occurred_on >= d.replace(month=1, day=1), a.c.occurred_on <= d)).label(f"on_{index}")
        for index, d in enumerate(days)
    ))).one()
    return [int(value) for value in row]


def _enterprises_in_park(session: Session) -> dict[int, str]:
    """Enterprise id -> status, for every enterprise not closed."""
    e = _ENTERPRISE
    rows = session.execute(select(e.c.id, e.c.status).where(e.c.status != EnterpriseStatus.closed))
    return {int(row[0]): str(row[1]) for row in rows}


EvaluationCounts = Mapping[str, int]  # signage_compliant, ineligible: of the enterprises in the park


def _evaluation_counts(results: Iterable[EnterpriseEvaluation], in_park: Mapping[int, str]) -> dict[str, int]:
    kept = [r for r in results if r.enterprise_id in in_park]
    return {"signage_compliant": sum(1 for r in kept if r.facts.signage_compliant),
            "ineligible": sum(1 for r in kept if r.effective_status == LoanDecision.ineligible)}


def evaluation_counts_of(url: str, day: date, rules: RuleSettings) -> dict[str, int]:
    """The two key figures that need every enterprise's evaluation (signage-compliant, ineligible) at ``day``,
    for the database at ``url`` on a connection of its own: for a worker process, beside the page."""
    from dashboard.db import get_engine

    with Session(get_engine(url)) as session:
        return _evaluation_counts(evaluate_all(session, day, rules), _enterprises_in_park(session))


def park_figures(session: Session, days: tuple[date, ...], rules: RuleSettings,
                 evaluate_at: EvaluateAt | None = None,
                 counts_at: Mapping[int, Callable[[], EvaluationCounts]] | None = None) -> list[ParkFigures]:
    """The key figures of DESIGN.md section 5 at each of ``days``, in that order.

    ``counts_at`` gives, by position in ``days``, evaluation figures being worked out elsewhere (a
    worker process, in parallel); they are asked for last."""
    in_park = _enterprises_in_park(session)
    hazards = _hazard_figures(session, days)
    accidents = _accidents_this_year(session, days)
    figures = []
    for index, day in enumerate(days):
        elsewhere = (counts_at or {}).get(index)
        if elsewhere is not None:
            counts: EvaluationCounts = elsewhere()
        else:
            evaluated = evaluate_at(day) if evaluate_at is not None else evaluate_all(session, day, rules)
            counts = _evaluation_counts(evaluated, in_park)
        figures.append(ParkFigures(
            on=day,
            enterprises=len(in_park),
            signage_compliant=counts["signage_compliant"],
            open_hazards=hazards[index]["open"],
            overdue_hazards=hazards[index]["overdue"],
            major_hazards=hazards[index]["major"],
            rectified=hazards[index]["rectified"],
            rectified_on_time=hazards[index]["on_time"],
            accidents_this_year=accidents[index],
            ineligible=counts["ineligible"],
        ))
    return figures


def park_kpis(session: Session, as_of: date, rules: RuleSettings, evaluate_at: EvaluateAt | None = None,
              previous_counts: Callable[[], EvaluationCounts] | None = None) -> ParkKpis:
    """The key figures of DESIGN.md section 5 at D and at the same day of the previous month.

    ``previous_counts`` gives the previous month's evaluation figures when they are being worked out
    elsewhere (a worker process, in parallel); it is asked for last."""
    days = (as_of, same_day_previous_month(as_of))
    current, previous = park_figures(session, days, rules, evaluate_at,
                                     {1: previous_counts} if previous_counts is not None else None)
    park = get_park(session)
    return ParkKpis(
        current=current, previous=previous,
        accident_target_per_year=park.accident_target_per_year if park is not None else None,
        suspended=sum(1 for status in _enterprises_in_park(session).values() if status == EnterpriseStatus.suspended),
    )


# --- trend and accidents --------------------------------------------------------------------------


def hazard_trend(session: Session, as_of: date, months: int = TREND_MONTHS) -> pd.DataFrame:
    """Hazards found and closed (verified, 销号) per month for the ``months`` months ending with D's month.

    Columns month (its first day), found, closed; one row per month, oldest first, 0 for a month
    without any; only days up to D count. Each kind is counted per day from its own date index (a
    covering index scan, not a read of every hazard row) and the days are added up by month here.
    """
    firsts = months_ending(as_of, months)
    h = _HAZARD
    month_index = {(first.year, first.month): index for index, first in enumerate(firsts)}
    counts = {"found": [0] * months, "closed": [0] * months}
    for kind, column in (("found", h.c.found_on), ("closed", h.c.verified_on)):
        per_day = select(column, func.count()).where(column >= firsts[0], column <= as_of).group_by(column)
        for day, n in session.execute(per_day):
            counts[kind][month_index[(day.year, day.month)]] += int(n)
    return pd.DataFrame({"month": firsts, "found": counts["found"], "closed": counts["closed"]})


def accidents_by_level(session: Session, as_of: date, rules: RuleSettings) -> pd.DataFrame:
    """This year's accidents up to D by level (from the numbers, 4.1): columns level, accidents; every level."""
    a = _ACCIDENT
    rows = session.execute(select(a.c.deaths, a.c.serious_injuries, a.c.direct_loss_yuan).where(
        a.c.occurred_on >= as_of.replace(month=1, day=1), a.c.occurred_on <= as_of))
    levels = Counter(accident_level(int(deaths or 0), int(injuries or 0), float(loss or 0), rules)
                     for deaths, injuries, loss in rows)
    return pd.DataFrame({"level": [str(level) for level in AccidentLevel],
                         "accidents": [levels.get(level, 0) for level in AccidentLevel]})


# --- alerts ---------------------------------------------------------------------------------------


def overdue_hazard_alerts(session: Session, as_of: date) -> pd.DataFrame:
    """Every hazard overdue at D (open, deadline before D), the oldest deadline first (columns OVERDUE_COLUMNS)."""
    e, d = _ENTERPRISE, as_of
    h = VerifiedOnFirst(session)

    def overdue(unverified: ColumnElement[bool]) -> Any:  # one range of ix_hazard_state_at each
        return (
            select(h.enterprise_id.label("enterprise_id"), e.c.name, e.c.name_en, h.id.label("id"),
                   h.category.label("category"), h.severity.label("severity"), h.found_on.label("found_on"),
                   h.deadline.label("deadline"), h.listed_supervision.label("listed_supervision"))
            .select_from(_HAZARD)
            .join(e, e.c.id == h.enterprise_id)
            .where(unverified, h.found_on <= d, h.deadline < d, or_(h.rectified_on.is_(None), h.rectified_on > d))
        )

    both = union_all(overdue(h.verified_on.is_(None)), overdue(h.verified_on > d)).subquery("overdue")
    query = select(both).order_by(both.c.deadline, both.c.id)
    rows = [(eid, name, name_en, hid, str(category), str(severity), found_on, deadline, (d - deadline).days,
             bool(listed)) for eid, name, name_en, hid, category, severity, found_on, deadline, listed
            in session.execute(query)]
    return pd.DataFrame(rows, columns=list(OVERDUE_COLUMNS))


def licence_alerts(session: Session, as_of: date, rules: RuleSettings) -> pd.DataFrame:
    """Enterprises in the park whose licence expired or expires within the warning window (60 days) of D,
    and those that need a licence but have none on file; missing first, then the earliest expiry.

    Columns LICENCE_COLUMNS; ``licence_state`` is missing, expired (expiry before D) or expiring;
    ``days_left`` is expiry - D (negative when expired, None when missing).
    """
    e, d = _ENTERPRISE, as_of
    horizon = d + timedelta(days=rules.loan_licence_expiry_warning_days)
    query = (
        select(e.c.id, e.c.name, e.c.name_en, e.c.industry, e.c.license_no, e.c.license_expires_on)
        .where(e.c.status != EnterpriseStatus.closed,
               or_(e.c.license_expires_on <= horizon,
                   and_(e.c.license_expires_on.is_(None), e.c.industry.in_(rules.licensed_industries))))
        .order_by(e.c.license_expires_on.is_not(None), e.c.license_expires_on, e.c.id)
    )
    rows = []
    for eid, name, name_en, industry, license_no, expires in session.execute(query):
        if expires is None:
            state, left = "missing", None
        else:
            state, left = ("expired" if expires < d else "expiring"), (expires - d).days
        rows.append((eid, name, name_en, str(industry), license_no, expires, left, state))
    table = pd.DataFrame(rows, columns=list(LICENCE_COLUMNS))
    table["days_left"] = table["days_left"].astype("Int64")
    return table


def sign_alerts(session: Session, as_of: date, rules: RuleSettings) -> pd.DataFrame:
    """Signs of enterprises in the park that are due for checking at D: installed by D, and their
    state at D (4.3: the latest check on or before D, else the sign's own last check) is older than
    the check window (``sign_check_max_age_days``) or missing. Never checked first, then the oldest check.

    Columns SIGN_COLUMNS; ``due_on`` is the last check + the window (None when never checked).
    """
    s, c, e, d = _SIGN, _CHECK, _ENTERPRISE, as_of
    # each sign's latest check on or before D: one ordered pass over ix_sign_check_sign_latest
    last_check = (
        select(c.c.safety_sign_id, func.max(c.c.checked_on).label("checked_on"))
        .where(c.c.checked_on <= d)
        .group_by(c.c.safety_sign_id)
        .subquery("last_check")
    )
    own = and_(s.c.last_checked_on.is_not(None), s.c.last_checked_on <= d)
    checked_on = case((last_check.c.checked_on.is_not(None), last_check.c.checked_on), (own, s.c.last_checked_on),
                      else_=None).label("checked_on")
    states = (
        select(s.c.enterprise_id, e.c.name, e.c.name_en, s.c.id.label("sign_id"), s.c.kind, s.c.location,
               checked_on, last_check.c.checked_on.label("check_on"), s.c.condition.label("own_condition"))
        .join(e, e.c.id == s.c.enterprise_id)
        .outerjoin(last_check, last_check.c.safety_sign_id == s.c.id)
        .where(s.c.installed_on <= d, e.c.status != EnterpriseStatus.closed)
        .subquery("states")
    )
    # the condition found at that check (the last one recorded that day), looked up for the signs listed only
    check_condition = (
        select(c.c.condition)
        .where(c.c.safety_sign_id == states.c.sign_id, c.c.checked_on == states.c.check_on)
        .order_by(c.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    condition = case((states.c.check_on.is_not(None), check_condition),
                     (states.c.checked_on.is_not(None), states.c.own_condition), else_=None).label("condition")
    oldest = days_before(d, rules.sign_check_max_age_days)
    query = (
        select(states.c.enterprise_id, states.c.name, states.c.name_en, states.c.sign_id, states.c.kind,
               states.c.location, states.c.checked_on, condition)
        .where(or_(states.c.checked_on.is_(None), states.c.checked_on < oldest))
        .order_by(states.c.checked_on.is_not(None), states.c.checked_on, states.c.sign_id)
    )
    window = timedelta(days=rules.sign_check_max_age_days)
    rows = []
    for eid, name, name_en, sign_id, kind, location, last, cond in session.execute(query):
        due = last + window if last is not None else None
        rows.append((eid, name, name_en, sign_id, str(kind), location, last, None if cond is None else str(cond),
                     due, (d - last).days if last is not None else None))
    table = pd.DataFrame(rows, columns=list(SIGN_COLUMNS))
    table["days_since_check"] = table["days_since_check"].astype("Int64")
    return table


# --- everything the page shows --------------------------------------------------------------------


@dataclass(frozen=True)
class ParkOverview:
    """What the Overview page draws for D."""

    as_of: date
    kpis: ParkKpis
    trend: pd.DataFrame
    accidents: pd.DataFrame
    overdue: pd.DataFrame
    licences: pd.DataFrame
    signs: pd.DataFrame


def park_overview(
    session: Session, as_of: date, rules: RuleSettings, evaluate_at: EvaluateAt | None = None,
    previous_counts: Callable[[], EvaluationCounts] | None = None,
) -> ParkOverview:
    """The key figures, trend, accidents by level and the three alert lists at D (the key figures last, so
    that ``previous_counts`` has had all the rest of the time to be worked out)."""
    trend = hazard_trend(session, as_of)
    accidents = accidents_by_level(session, as_of, rules)
    overdue = overdue_hazard_alerts(session, as_of)
    licences = licence_alerts(session, as_of, rules)
    signs = sign_alerts(session, as_of, rules)
    return ParkOverview(
        as_of=as_of, kpis=park_kpis(session, as_of, rules, evaluate_at, previous_counts), trend=trend,
        accidents=accidents, overdue=overdue, licences=licences, signs=signs,
    )

"""The committee's monthly meeting briefing (会议简报): the park in one month against the previous month
and the same month a year earlier, the enterprises and hazards that need the meeting's attention, and
the data behind the month's work items.

A month is counted up to its *closing day*: its last day, or today for the month in progress (which is
then compared with the same days of the previous month and of the same month a year earlier). The
figures that describe a state (open hazards, signage compliance, four-colour risk, loan status) are
taken at the closing day and are the Overview's own (:func:`park_figures`); the figures of a flow
(hazards found, rectified and verified, accidents, enforcement) count the days from the month's first
day to its closing day. Enterprises counted are those in the park (not closed), as on the Overview.

Everything is set-based: a grouped query per kind of record for the three months at once, and one
evaluation of every enterprise per closing day (shared with the pages through ``evaluate_at``). The hazards
followed up bring their latest photos in one query more (:data:`PRINTED_ROWS` of them).
"""

from __future__ import annotations

from calendar import monthrange
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, and_, case, func, or_, select, true, union_all
from sqlmodel import Session

from dashboard.clock import park_day_starts
from dashboard.rules.accident_level import accident_level
from dashboard.rules.loan_eligibility import STATUSES
from dashboard.rules.risk_colour import COLOURS
from dashboard.rules.scorecard import Deduction
from dashboard.services.attachments import RecordThumbnail, latest_thumbnails
from dashboard.services.enterprise_table import hazard_counts
from dashboard.services.evaluation import EnterpriseEvaluation, EvaluateAt, evaluate_all
from dashboard.services.hazard_index import VerifiedOnFirst
from dashboard.services.overview import (
    ParkFigures,
    accidents_by_level,
    hazard_trend,
    licence_alerts,
    park_figures,
    sign_alerts,
)
from dashboard.services.park import get_park
from dashboard.settings import RuleSettings
from models import Accident, Enforcement, Enterprise, Hazard
from models.enums import AttachmentStage, EnforcementAction, EnterpriseStatus, HazardSeverity

TREND_MONTHS = 12
FIRST_YEAR, LAST_YEAR = 1900, 9998  # a month and the months it is compared with stay within the calendar
TOP_AT_RISK = 10
MAIN_DEDUCTIONS = 3
COLOUR_RANK = {colour: rank for rank, colour in enumerate(COLOURS)}  # red first
PRINTED_ROWS = 60
"""The rows of a list the PDF prints (the workbook holds them all): the hazards followed up whose photos the
briefing carries, so that a county's thousands of overdue hazards do not bring thousands of pictures along."""
PHOTO_STAGES = (AttachmentStage.rectified, AttachmentStage.found)
"""A hazard's photo in the briefing: its latest after rectification (整改后) if it has one, else its latest as
found (整改前)."""

_HAZARD = Hazard.__table__  # type: ignore[attr-defined]
_ENTERPRISE = Enterprise.__table__  # type: ignore[attr-defined]
_ACCIDENT = Accident.__table__  # type: ignore[attr-defined]
_ENFORCEMENT = Enforcement.__table__  # type: ignore[attr-defined]

HAZARD_COLUMNS = ("enterprise_id", "name", "name_en", "hazard_id", "category", "severity", "listed_supervision",
                  "found_on", "responsible_person", "deadline", "state", "rectified_on", "verified_on",
                  "days_overdue")
ACCIDENT_COLUMNS = ("enterprise_id", "name", "name_en", "accident_id", "occurred_on", "level", "deaths",
                    "serious_injuries", "direct_loss_yuan", "four_not_letting_go")
ENFORCEMENT_COLUMNS = ("enterprise_id", "name", "name_en", "enforcement_id", "decided_on", "action", "fine_yuan",
                       "lifted_on", "note")
CHANGE_COLUMNS = ("enterprise_id", "name", "name_en", "before", "after", "score", "grade")
AT_RISK_COLUMNS = ("rank", "enterprise_id", "name", "name_en", "industry", "risk_colour", "score", "grade",
                   "loan_status", "open_hazards", "overdue_hazards", "major_hazards")


class BriefingError(ValueError):
    """A month that cannot be briefed (badly written, or in the future)."""


def parse_month(text: str) -> date:
    """``"2026-11"`` → 1 November 2026 (years 1900 to 9998); anything else raises :class:`BriefingError`."""
    try:
        year_text, month_text = text.strip().split("-")
        if len(year_text) != 4 or len(month_text) != 2:
            raise ValueError
        first = date(int(year_text), int(month_text), 1)
        if not FIRST_YEAR <= first.year <= LAST_YEAR:
            raise ValueError
    except ValueError:
        raise BriefingError(f"month {text!r} is not a month written YYYY-MM (e.g. 2026-11) between "
                            f"{FIRST_YEAR} and {LAST_YEAR}") from None
    return first


def month_shifted(first: date, months: int) -> date:
    """The first day of the month ``months`` after (negative: before) ``first``'s month."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def closing_day(first: date, today: date) -> date:
    """The last day a month counts: its last day, or ``today`` for the month in progress."""
    last = first.replace(day=monthrange(first.year, first.month)[1])
    return min(last, today)


@dataclass(frozen=True)
class MonthFigures:
    """The park in one month: the Overview's key figures at the closing day and the month's flows."""

    month: date  # the first day
    closing: date  # the last day counted
    figures: ParkFigures  # at the closing day (the dashboard's figures for that as-of date)
    found: int  # hazards found in the month
    rectified: int  # hazards rectified in the month
    rectified_on_time: int  # ... of which by their deadline
    verified: int  # hazards verified (closed, 销号) in the month
    listed_open: int  # hazards listed for supervision and not verified at the closing day
    listed_new: int  # hazards listed for supervision found in the month
    listed_closed: int  # hazards listed for supervision verified in the month
    accidents: int  # accidents in the month
    deaths: int
    serious_injuries: int
    enforcement: dict[str, int]  # action -> decisions in the month (every action)
    colours: dict[str, int]  # four-colour risk at the closing day, enterprises in the park
    loan_statuses: dict[str, int]  # effective loan status at the closing day, enterprises in the park

    @property
    def month_on_time_rate(self) -> float | None:
        """The share of the month's rectified hazards that were rectified by their deadline."""
        return self.rectified_on_time / self.rectified if self.rectified else None

    @property
    def enforcement_total(self) -> int:
        return sum(self.enforcement.values())


@dataclass(frozen=True)
class EnterpriseAtRisk:
    """One of the enterprises most at risk, with its main deductions (the most points first)."""

    rank: int
    enterprise_id: int
    name: str
    name_en: str | None
    industry: str
    risk_colour: str
    score: float
    grade: str
    loan_status: str
    open_hazards: int
    overdue_hazards: int
    major_hazards: int
    deductions: tuple[Deduction, ...]


@dataclass(frozen=True)
class MonthlyBriefing:
    """Everything the briefing shows for one month."""

    park_name: str
    park_name_en: str | None
    accident_target_per_year: int | None
    month: MonthFigures
    previous: MonthFigures
    last_year: MonthFigures
    in_progress: bool  # the month is the current one, counted up to today
    trend: pd.DataFrame  # hazard_trend: month, found, closed (the 12 months ending with the month)
    accidents_by_level: pd.DataFrame  # this year's accidents to the closing day: level, accidents
    hazards: pd.DataFrame  # overdue or listed hazards (HAZARD_COLUMNS)
    hazard_photos: Mapping[int, RecordThumbnail]  # by hazard id: the latest photos of the first PRINTED_ROWS
    accidents: pd.DataFrame  # the month's accidents (ACCIDENT_COLUMNS)
    enforcement: pd.DataFrame  # the month's enforcement decisions (ENFORCEMENT_COLUMNS)
    colour_changes: pd.DataFrame  # enterprises whose colour changed since the previous closing day
    loan_changes: pd.DataFrame  # enterprises whose effective loan status changed since then
    at_risk: tuple[EnterpriseAtRisk, ...]
    evaluations: tuple[EnterpriseEvaluation, ...]  # every enterprise in the park at the closing day
    licences: pd.DataFrame  # licence alerts at the closing day (overview.licence_alerts)
    signs_due: int  # signs due for checking at the closing day (overview.sign_alerts)
    enterprise_names: Mapping[int, tuple[str, str | None]]  # in the park, and closed ones with hazards followed up


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _in(column: Any, first: date, last: date) -> ColumnElement[bool]:
    return and_(column >= first, column <= last)


def _hazard_flows(session: Session, months: Sequence[tuple[date, date]]) -> list[dict[str, int]]:
    """Found, rectified (on time), verified and listed hazards of each month: for each month and date column,
    one count over that column's index range for the month (the year between the months is never read)."""
    h = _HAZARD.c
    listed = or_(h.listed_supervision.is_(True), h.severity == HazardSeverity.major)
    counted: tuple[tuple[Any, dict[str, ColumnElement[bool]]], ...] = (
        (h.found_on, {"found": true(), "listed_new": listed}),
        (h.rectified_on, {"rectified": true(), "rectified_on_time": h.rectified_on <= h.deadline}),
        (h.verified_on, {"verified": true(), "listed_closed": listed}),
    )
    flows: list[dict[str, int]] = []
    for first, closing in months:
        flow: dict[str, int] = {}
        for column, kinds in counted:
            row = session.execute(select(*(_count(condition).label(name) for name, condition in kinds.items()))
                                  .where(_in(column, first, closing))).one()._mapping
            flow.update({name: int(value or 0) for name, value in row.items()})
        flows.append(flow)
    listed_open = _listed_open(session, [c for _, c in months])
    for index, flow in enumerate(flows):
        flow["listed_open"] = listed_open[index]
    return flows


def _listed_open(session: Session, days: Sequence[date]) -> list[int]:
    """Hazards listed for supervision (a major hazard always is) and not verified at each day."""
    h = VerifiedOnFirst(session)
    listed = or_(h.listed_supervision.is_(True), h.severity == HazardSeverity.major)
    first, last = min(days), max(days)
    unverified = union_all(
        select(h.found_on.label("found_on"), h.verified_on.label("verified_on"))
        .where(h.verified_on.is_(None), h.found_on <= last, listed),
        select(h.found_on.label("found_on"), h.verified_on.label("verified_on"))
        .where(h.verified_on > first, h.found_on <= last, listed),
    ).subquery("listed")
    u = unverified.c
    row = session.execute(select(*(
        _count(and_(u.found_on <= d, or_(u.verified_on.is_(None), u.verified_on > d))).label(f"on_{index}")
        for index, d in enumerate(days)))).one()
    return [int(value or 0) for value in row]


def _accident_flows(session: Session, months: Sequence[tuple[date, date]]) -> list[dict[str, int]]:
    a = _ACCIDENT.c
    labelled = []
    for index, (f, c) in enumerate(months):
        within = _in(a.occurred_on, f, c)
        labelled += [
            _count(within).label(f"accidents_{index}"),
            func.coalesce(func.sum(case((within, a.deaths), else_=0)), 0).label(f"deaths_{index}"),
            func.coalesce(func.sum(case((within, a.serious_injuries), else_=0)), 0).label(f"injuries_{index}"),
        ]
    row = session.execute(select(*labelled)).one()._mapping
    return [{"accidents": int(row[f"accidents_{i}"]), "deaths": int(row[f"deaths_{i}"]),
             "serious_injuries": int(row[f"injuries_{i}"])} for i in range(len(months))]


def _enforcement_flows(session: Session, months: Sequence[tuple[date, date]]) -> list[dict[str, int]]:
    e = _ENFORCEMENT.c
    labelled = [
        _count(and_(_in(e.decided_on, f, c), e.action == action)).label(f"{action.value}__{index}")
        for index, (f, c) in enumerate(months) for action in EnforcementAction
    ]
    row = session.execute(select(*labelled)).one()._mapping
    return [{action.value: int(row[f"{action.value}__{i}"]) for action in EnforcementAction}
            for i in range(len(months))]


def _enterprise_names(session: Session) -> dict[int, tuple[str, str | None, str]]:
    """Every enterprise in the park (not closed): id -> (name, name_en, industry)."""
    e = _ENTERPRISE.c
    rows = session.execute(select(e.id, e.name, e.name_en, e.industry).where(e.status != EnterpriseStatus.closed))
    return {int(i): (str(name), name_en, str(industry)) for i, name, name_en, industry in rows}


def _tally(values: Sequence[str], keys: tuple[str, ...]) -> dict[str, int]:
    counted = Counter(values)
    return {key: counted.get(key, 0) for key in keys}


def _changes(before: Mapping[int, str], after: Sequence[EnterpriseEvaluation],
             value: Callable[[EnterpriseEvaluation], str], order: Sequence[str],
             names: Mapping[int, tuple[str, str | None, str]]) -> pd.DataFrame:
    """The enterprises whose value differs from ``before``: the worst value now first (``order`` lists the
    values worst first), then by name."""
    rows = []
    for result in after:
        now, earlier = value(result), before.get(result.enterprise_id)
        if earlier is not None and earlier != now:
            name, name_en, _ = names[result.enterprise_id]
            rows.append((result.enterprise_id, name, name_en, earlier, now, result.score, result.grade))
    table = pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))
    if not len(table):
        return table
    rank = table["after"].map({value: index for index, value in enumerate(order)})
    return (table.assign(_rank=rank).sort_values(["_rank", "name"], kind="stable").drop(columns="_rank")
            .reset_index(drop=True))


def _hazard_list(session: Session, first: date, closing: date) -> pd.DataFrame:
    """The hazards the meeting follows up: overdue at the closing day, and those listed for supervision that
    are not verified by then or were verified in the month (their progress). Listed first, then the longest
    overdue, then the earliest deadline."""
    h = VerifiedOnFirst(session)
    e = _ENTERPRISE.c
    listed = or_(h.listed_supervision.is_(True), h.severity == HazardSeverity.major)
    is_open = and_(or_(h.rectified_on.is_(None), h.rectified_on > closing),
                   or_(h.verified_on.is_(None), h.verified_on > closing))
    wanted = or_(and_(is_open, h.deadline < closing), listed)

    def part(range_: ColumnElement[bool]) -> Any:
        return (
            select(h.enterprise_id.label("enterprise_id"), e.name, e.name_en, h.id.label("hazard_id"),
                   h.category.label("category"), h.severity.label("severity"),
                   h.listed_supervision.label("listed_supervision"), h.found_on.label("found_on"),
                   h.responsible_person.label("responsible_person"), h.deadline.label("deadline"),
                   h.rectified_on.label("rectified_on"), h.verified_on.label("verified_on"))
            .select_from(_HAZARD).join(_ENTERPRISE, e.id == h.enterprise_id)
            .where(range_, h.found_on <= closing, wanted)
        )

    both = union_all(part(h.verified_on.is_(None)), part(h.verified_on >= first)).subquery("followed")
    rows = []
    for row in session.execute(select(both)):
        verified = row.verified_on if row.verified_on is not None and row.verified_on <= closing else None
        rectified = row.rectified_on if row.rectified_on is not None and row.rectified_on <= closing else None
        state = "verified" if verified else "rectified" if rectified else "open"
        overdue = (closing - row.deadline).days if state == "open" and row.deadline < closing else None
        is_listed = bool(row.listed_supervision) or str(row.severity) == HazardSeverity.major
        rows.append((row.enterprise_id, row.name, row.name_en, row.hazard_id, str(row.category), str(row.severity),
                     is_listed, row.found_on, row.responsible_person, row.deadline, state, rectified, verified,
                     overdue))
    table = pd.DataFrame(rows, columns=list(HAZARD_COLUMNS))
    table["days_overdue"] = table["days_overdue"].astype("Int64")
    if len(table):
        table = table.assign(_overdue=table["days_overdue"].fillna(-1)).sort_values(
            ["listed_supervision", "_overdue", "deadline", "hazard_id"], ascending=[False, False, True, True],
            kind="stable").drop(columns="_overdue").reset_index(drop=True)
    return table


def _accident_list(session: Session, first: date, closing: date, rules: RuleSettings) -> pd.DataFrame:
    a, e = _ACCIDENT.c, _ENTERPRISE.c
    query = (select(a.enterprise_id, e.name, e.name_en, a.id, a.occurred_on, a.deaths, a.serious_injuries,
                    a.direct_loss_yuan, a.cause_identified, a.responsibles_handled, a.measures_taken,
                    a.people_educated)
             .join(_ENTERPRISE, e.id == a.enterprise_id).where(_in(a.occurred_on, first, closing))
             .order_by(a.occurred_on, a.id))
    rows = []
    for (eid, name, name_en, aid, occurred, deaths, injuries, loss, *flags) in session.execute(query):
        level = accident_level(int(deaths or 0), int(injuries or 0), float(loss or 0), rules)
        rows.append((eid, name, name_en, aid, occurred, str(level), int(deaths or 0), int(injuries or 0),
                     float(loss or 0), all(flag is True for flag in flags)))
    return pd.DataFrame(rows, columns=list(ACCIDENT_COLUMNS))


def _enforcement_list(session: Session, first: date, closing: date) -> pd.DataFrame:
    f, e = _ENFORCEMENT.c, _ENTERPRISE.c
    query = (select(f.enterprise_id, e.name, e.name_en, f.id, f.decided_on, f.action, f.fine_yuan, f.lifted_on,
                    f.note)
             .join(_ENTERPRISE, e.id == f.enterprise_id).where(_in(f.decided_on, first, closing))
             .order_by(f.decided_on, f.id))
    rows = [(eid, name, name_en, fid, decided, str(action), fine, lifted, note)
            for eid, name, name_en, fid, decided, action, fine, lifted, note in session.execute(query)]
    return pd.DataFrame(rows, columns=list(ENFORCEMENT_COLUMNS))


def _named(in_park: Mapping[int, tuple[str, str | None, str]],
           hazards: pd.DataFrame) -> dict[int, tuple[str, str | None]]:
    """The names of the enterprises in the park and of those (closed ones) whose hazards are followed up."""
    named = {eid: (name, name_en) for eid, (name, name_en, _) in in_park.items()}
    for eid, name, name_en in hazards[["enterprise_id", "name", "name_en"]].itertuples(index=False):
        named.setdefault(int(eid), (str(name), None if pd.isna(name_en) else str(name_en)))
    return named


def _most_at_risk(session: Session, results: Sequence[EnterpriseEvaluation], closing: date,
                  names: Mapping[int, tuple[str, str | None, str]]) -> tuple[EnterpriseAtRisk, ...]:
    """The ten enterprises most at risk: the worst four-colour risk first, then the lowest score, then the
    lower effective loan status, then the name."""
    status_rank = {status: rank for rank, status in enumerate(STATUSES)}
    ranked = sorted(results, key=lambda r: (COLOUR_RANK[r.risk_colour], r.score, status_rank[r.effective_status],
                                            names[r.enterprise_id][0]))[:TOP_AT_RISK]
    held = hazard_counts(session, closing)
    counts = {int(eid): (int(o), int(d), int(m)) for eid, o, d, m in zip(
        held["enterprise_id"], held["open_hazards"], held["overdue_hazards"], held["major_hazards"], strict=True)}
    chosen = []
    for rank, result in enumerate(ranked, start=1):
        name, name_en, industry = names[result.enterprise_id]
        open_, overdue, major = counts.get(result.enterprise_id, (0, 0, 0))
        main = sorted(result.scorecard.deductions, key=lambda d: -d.points)[:MAIN_DEDUCTIONS]
        chosen.append(EnterpriseAtRisk(rank, result.enterprise_id, name, name_en, industry, result.risk_colour,
                                       result.score, result.grade, result.effective_status, open_, overdue, major,
                                       tuple(main)))
    return tuple(chosen)


def _hazard_photos(session: Session, hazards: pd.DataFrame, closing: date) -> dict[int, RecordThumbnail]:
    """The photo each of the first :data:`PRINTED_ROWS` hazards followed up is shown with (:data:`PHOTO_STAGES`),
    as the files stood at the closing day's end, like every other figure of the briefing: a photo of the
    rectification uploaded after the month is not set beside the month's state. Its thumbnail only, in one
    query for them all."""
    ids = [int(hazard_id) for hazard_id in hazards["hazard_id"].head(PRINTED_ROWS)]
    return latest_thumbnails(session, "hazard", ids, stages=PHOTO_STAGES,
                             received_before=park_day_starts(closing + timedelta(days=1)))


def monthly_briefing(session: Session, month: date, rules: RuleSettings, today: date,
                     evaluate_at: EvaluateAt | None = None) -> MonthlyBriefing:
    """The briefing for ``month`` (its first day) as the data stands, with ``today`` the park's date.

    Raises :class:`BriefingError` for a month after today's."""
    first = month.replace(day=1)
    if first > today:
        raise BriefingError(f"month {first:%Y-%m} has not begun yet (today is {today.isoformat()})")
    firsts = (first, month_shifted(first, -1), month_shifted(first, -12))
    closing = closing_day(first, today)
    in_progress = closing < closing_day(first, date.max)
    # a month in progress is compared with the same days of the other two months
    months = [(first, closing)] + [
        (f, closing_day(f, f.replace(day=min(closing.day, monthrange(f.year, f.month)[1]))) if in_progress
         else closing_day(f, date.max)) for f in firsts[1:]]
    closings = tuple(c for _, c in months)

    def evaluated(day: date) -> Sequence[EnterpriseEvaluation]:
        return evaluate_at(day) if evaluate_at is not None else evaluate_all(session, day, rules)

    names = _enterprise_names(session)
    results_at = {day: [r for r in evaluated(day) if r.enterprise_id in names] for day in closings}
    figures = park_figures(session, closings, rules, evaluate_at=lambda day: results_at[day])
    flows = _hazard_flows(session, months)
    accidents = _accident_flows(session, months)
    enforcement = _enforcement_flows(session, months)
    periods = [
        MonthFigures(
            month=f, closing=c, figures=figures[i],
            found=flows[i]["found"], rectified=flows[i]["rectified"],
            rectified_on_time=flows[i]["rectified_on_time"], verified=flows[i]["verified"],
            listed_open=flows[i]["listed_open"], listed_new=flows[i]["listed_new"],
            listed_closed=flows[i]["listed_closed"],
            accidents=accidents[i]["accidents"], deaths=accidents[i]["deaths"],
            serious_injuries=accidents[i]["serious_injuries"], enforcement=enforcement[i],
            colours=_tally([r.risk_colour for r in results_at[c]], COLOURS),
            loan_statuses=_tally([r.effective_status for r in results_at[c]], STATUSES),
        )
        for i, (f, c) in enumerate(months)
    ]
    previous_closing = closings[1]
    followed = _hazard_list(session, first, closing)
    now = results_at[closing]
    before = results_at[previous_closing]
    park = get_park(session)
    return MonthlyBriefing(
        park_name=park.name if park is not None else "",
        park_name_en=park.name_en if park is not None else None,
        accident_target_per_year=park.accident_target_per_year if park is not None else None,
        month=periods[0], previous=periods[1], last_year=periods[2],
        in_progress=in_progress,
        trend=hazard_trend(session, closing, TREND_MONTHS),
        accidents_by_level=accidents_by_level(session, closing, rules),
        hazards=followed,
        hazard_photos=_hazard_photos(session, followed, closing),
        accidents=_accident_list(session, first, closing, rules),
        enforcement=_enforcement_list(session, first, closing),
        colour_changes=_changes({r.enterprise_id: r.risk_colour for r in before}, now, lambda r: r.risk_colour,
                                COLOURS, names),
        loan_changes=_changes({r.enterprise_id: r.effective_status for r in before}, now,
                              lambda r: r.effective_status, STATUSES, names),
        at_risk=_most_at_risk(session, now, closing, names),
        evaluations=tuple(now),
        licences=licence_alerts(session, closing, rules),
        signs_due=len(sign_alerts(session, closing, rules)),
        enterprise_names=_named(names, followed),
    )


def monthly_briefing_of(url: str, month: date, rules: RuleSettings, today: date) -> MonthlyBriefing:
    """:func:`monthly_briefing` for the database at ``url`` on a connection of its own: for a worker process."""
    from dashboard.db import get_engine

    with Session(get_engine(url)) as session:
        return monthly_briefing(session, month, rules, today)


def default_month(as_of: date) -> date:
    """The month a meeting on ``as_of`` reviews: the month that ended last (``as_of``'s own month when it is
    its last day)."""
    if closing_day(as_of.replace(day=1), date.max) == as_of:
        return as_of.replace(day=1)
    return month_shifted(as_of.replace(day=1), -1)

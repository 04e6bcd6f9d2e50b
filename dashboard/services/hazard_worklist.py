"""The hazard closed-loop worklist (隐患闭环工作台) and the public-exposure flag (公开曝光).

The worklist holds the hazards that are not verified (closed, 销号) at a date D – the park's today
on the Records page – with their state read from the dates (DESIGN.md 4.2):

* **rectified** (已整改待验收) – rectified_on <= D, not verified at D;
* **rectifying** (整改中) – not rectified at D and the status column says work has started (the dates
  do not record that, so this state is the status column's, which agrees with the dates at today);
* **open** – neither; **overdue** when open (or rectifying) and deadline < D, by D - deadline days.

Most overdue first (overdue hazards by deadline), then the others by deadline, then by id. A second
view lists the hazards closed (verified) within the last 90 days, the latest first, so a closure
can be found and reopened.

Every query is set-based SQL with the filters in the WHERE clause and LIMIT/OFFSET paging: the
unverified hazards are found through the index on ``verified_on`` (``ix_hazard_state_at``), only one
page of rows is read, and the counts are one grouped query – nothing loads the whole table, so a
county of 1,000,000 hazards pages as fast as a park of 4,000.

Major hazards are listed for supervision (挂牌督办) automatically (the model sets the flag). Public
exposure is a flag staff and admin set or withdraw with :func:`set_public_exposure` (version-checked,
audited, the data revision bumped); the committee sees it here and in each enterprise's file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

import pandas as pd
from sqlalchemy import ColumnElement, and_, case, func, or_, select, true
from sqlmodel import Session

from dashboard.services.hazard_index import VerifiedOnFirst as _Columns
from dashboard.services.permissions import Actor, Permission, require
from dashboard.services.writes import update_audited
from models import Enterprise, Hazard, Inspection
from models.enums import HazardSeverity, HazardStatus

PAGE_SIZE = 50
CLOSED_WINDOW_DAYS = 90
View = Literal["todo", "closed"]
VIEWS: tuple[View, ...] = ("todo", "closed")
UNCLOSED_STATES = ("open", "rectifying", "rectified")
"""The states of a hazard on the to-do worklist, in workflow order."""

COLUMNS = (
    "id", "enterprise_id", "enterprise_name", "enterprise_name_en", "uscc", "category", "severity", "state",
    "status", "found_on", "deadline", "days_overdue", "days_left", "rectified_on", "verified_on", "verified_by",
    "responsible_person", "description", "listed_supervision", "publicly_exposed", "version",
)
"""The worklist's columns. ``state`` is open, rectifying, rectified or verified at D; ``days_overdue`` is
D - deadline for an overdue hazard (else 0); ``days_left`` is deadline - D for an open hazard not yet
overdue (0: due today), else None; ``status`` and ``version`` are what a transition is checked against."""

_H = Hazard.__table__  # type: ignore[attr-defined]
_E = Enterprise.__table__  # type: ignore[attr-defined]
_I = Inspection.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class WorklistQuery:
    """What the user asked for; empty tuples and False mean "any"."""

    view: View = "todo"
    search: str = ""  # part of the enterprise's name, English name or credit code (USCC)
    categories: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    states: tuple[str, ...] = ()  # of UNCLOSED_STATES (the worklist view only)
    overdue_only: bool = False  # the to-do view only
    listed_only: bool = False  # listed for supervision (挂牌督办)
    exposed_only: bool = False  # publicly exposed (公开曝光)


@dataclass(frozen=True)
class Worklist:
    """One page of the worklist: ``rows`` (columns COLUMNS) of the ``total`` matching hazards."""

    rows: pd.DataFrame
    total: int
    offset: int
    limit: int


@dataclass(frozen=True)
class WorklistCounts:
    """The park's unverified hazards at D by state, and the hazards closed within the last 90 days."""

    todo: int
    open: int
    rectifying: int
    rectified: int
    overdue: int
    listed: int
    exposed: int
    closed_recently: int


@dataclass(frozen=True)
class HazardDetail:
    """One hazard as it stands, with its enterprise and inspection, for the worklist's detail panel."""

    id: int
    version: int
    status: str
    state: str
    days_overdue: int
    days_left: int | None
    enterprise_id: int
    enterprise_name: str
    enterprise_name_en: str | None
    uscc: str
    inspection_id: int | None
    inspection_tier: str | None
    inspected_on: date | None
    found_on: date
    category: str
    severity: str
    description: str
    responsible_person: str
    measures: str | None
    funds_yuan: float | None
    deadline: date
    contingency_plan: str | None
    rectified_on: date | None
    verified_on: date | None
    verified_by: str | None
    listed_supervision: bool
    publicly_exposed: bool


# --- the state at D, as SQL -----------------------------------------------------------------------


def _unverified(h: _Columns, d: date) -> ColumnElement[bool]:
    return or_(h.verified_on.is_(None), h.verified_on > d)


def _not_rectified(h: _Columns, d: date) -> ColumnElement[bool]:
    return or_(h.rectified_on.is_(None), h.rectified_on > d)


def _state_condition(h: _Columns, state: str, d: date) -> ColumnElement[bool]:
    """Among the unverified hazards at D: those in ``state``."""
    if state == "rectified":
        return and_(h.rectified_on.is_not(None), h.rectified_on <= d)
    working = h.status == HazardStatus.rectifying.value
    return and_(_not_rectified(h, d), working if state == "rectifying" else ~working)


def _overdue(h: _Columns, d: date) -> ColumnElement[bool]:
    return and_(_not_rectified(h, d), h.deadline < d)


def _flag(column: Any) -> ColumnElement[bool]:
    return column == true()


def _enterprise_ids(search: str) -> Any:
    """The ids of the enterprises whose name, English name or credit code contains ``search``."""
    text = search.strip().lower()
    return select(_E.c.id).where(or_(
        func.lower(_E.c.name).contains(text, autoescape=True),
        func.lower(func.coalesce(_E.c.name_en, "")).contains(text, autoescape=True),
        func.lower(_E.c.uscc).contains(text, autoescape=True),
    ))


def _conditions(h: _Columns, query: WorklistQuery, d: date) -> list[ColumnElement[bool]]:
    found = h.found_on <= d
    if query.view == "closed":
        conditions = [found, h.verified_on.is_not(None), h.verified_on <= d,
                      h.verified_on >= d - timedelta(days=CLOSED_WINDOW_DAYS)]
    else:
        conditions = [found, _unverified(h, d)]
        states = [s for s in UNCLOSED_STATES if s in query.states]
        if states and len(states) < len(UNCLOSED_STATES):
            conditions.append(or_(*(_state_condition(h, s, d) for s in states)))
        if query.overdue_only:
            conditions.append(_overdue(h, d))
    if query.search.strip():
        conditions.append(h.enterprise_id.in_(_enterprise_ids(query.search)))
    if query.categories:
        conditions.append(h.category.in_(list(query.categories)))
    if query.severities:
        conditions.append(h.severity.in_(list(query.severities)))
    if query.listed_only:
        conditions.append(_flag(h.listed_supervision))
    if query.exposed_only:
        conditions.append(_flag(h.publicly_exposed))
    return conditions


def _state_at(d: date) -> Any:
    return case(
        (and_(_H.c.verified_on.is_not(None), _H.c.verified_on <= d), "verified"),
        (and_(_H.c.rectified_on.is_not(None), _H.c.rectified_on <= d), "rectified"),
        (_H.c.status == HazardStatus.rectifying.value, "rectifying"),
        else_="open",
    )


# --- reads ----------------------------------------------------------------------------------------


def hazard_worklist(session: Session, as_of: date, query: WorklistQuery | None = None, *, offset: int = 0,
                    limit: int = PAGE_SIZE) -> Worklist:
    """One page of the worklist at D = ``as_of``: the hazards ``query`` asks for, in worklist order
    (to do: overdue first by deadline, then by deadline; closed: the latest verification first)."""
    query = query or WorklistQuery()
    d, h = as_of, _Columns(session)
    conditions = _conditions(h, query, d)
    total = int(session.execute(select(func.count()).select_from(_H).where(*conditions)).scalar_one())
    if query.view == "closed":
        order: list[Any] = [h.verified_on.desc(), _H.c.id.desc()]
    else:
        order = [case((_overdue(h, d), 0), else_=1), h.deadline, _H.c.id]
    page = (
        select(_H.c.id).where(*conditions).order_by(*order).limit(max(1, limit)).offset(max(0, offset))
    ).subquery()
    rows_query = (
        select(_H.c.id, _H.c.enterprise_id, _E.c.name, _E.c.name_en, _E.c.uscc, _H.c.category, _H.c.severity,
               _state_at(d).label("state"), _H.c.status, _H.c.found_on, _H.c.deadline, _H.c.rectified_on,
               _H.c.verified_on, _H.c.verified_by, _H.c.responsible_person, _H.c.description,
               _H.c.listed_supervision, _H.c.publicly_exposed, _H.c.version)
        .join(page, page.c.id == _H.c.id)
        .join(_E, _E.c.id == _H.c.enterprise_id)
    )
    rows = []
    for r in session.execute(rows_query).mappings():
        state = str(r["state"])
        deadline: date = r["deadline"]
        open_ = state in ("open", "rectifying")
        rows.append({
            "id": int(r["id"]), "enterprise_id": int(r["enterprise_id"]), "enterprise_name": r["name"],
            "enterprise_name_en": r["name_en"], "uscc": r["uscc"], "category": _text(r["category"]),
            "severity": _text(r["severity"]), "state": state, "status": _text(r["status"]),
            "found_on": r["found_on"], "deadline": deadline,
            "days_overdue": (d - deadline).days if open_ and deadline < d else 0,
            "days_left": (deadline - d).days if open_ and deadline >= d else None,
            "rectified_on": _by(r["rectified_on"], d), "verified_on": _by(r["verified_on"], d),
            "verified_by": r["verified_by"] if _by(r["verified_on"], d) is not None else None,
            "responsible_person": r["responsible_person"], "description": r["description"],
            "listed_supervision": bool(r["listed_supervision"]), "publicly_exposed": bool(r["publicly_exposed"]),
            "version": int(r["version"]),
        })
    frame = pd.DataFrame(rows, columns=list(COLUMNS)).astype({"days_left": "Int64"})
    if not frame.empty:
        frame = _in_order(frame, query.view)
    return Worklist(rows=frame, total=total, offset=max(0, offset), limit=max(1, limit))


def _in_order(frame: pd.DataFrame, view: View) -> pd.DataFrame:
    """The page's rows in the order the SQL chose them (the join does not keep it)."""
    if view == "closed":
        keys, ascending = ["verified_on", "id"], [False, False]
    else:
        frame = frame.assign(_late=(frame["days_overdue"] == 0).astype(int))
        keys, ascending = ["_late", "deadline", "id"], [True, True, True]
    ordered = frame.sort_values(keys, ascending=ascending, kind="stable").reset_index(drop=True)
    return ordered.drop(columns=[c for c in ("_late",) if c in ordered.columns])


def worklist_counts(session: Session, as_of: date) -> WorklistCounts:
    """The park's unverified hazards at D by state (one grouped query), and those closed in the last 90 days."""
    d, h = as_of, _Columns(session)

    def counted(condition: ColumnElement[bool]) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    todo = session.execute(select(
        func.count(),
        counted(_state_condition(h, "open", d)),
        counted(_state_condition(h, "rectifying", d)),
        counted(_state_condition(h, "rectified", d)),
        counted(_overdue(h, d)),
        counted(_flag(h.listed_supervision)),
        counted(_flag(h.publicly_exposed)),
    ).select_from(_H).where(*_conditions(h, WorklistQuery(), d))).one()
    closed = session.execute(select(func.count()).select_from(_H).where(
        *_conditions(h, WorklistQuery(view="closed"), d))).scalar_one()
    n = [int(value or 0) for value in todo]
    return WorklistCounts(todo=n[0], open=n[1], rectifying=n[2], rectified=n[3], overdue=n[4], listed=n[5],
                          exposed=n[6], closed_recently=int(closed))


def hazard_detail(session: Session, hazard_id: int, as_of: date) -> HazardDetail | None:
    """One hazard with its enterprise and inspection, its state at D and its current version (None if unknown)."""
    d = as_of
    row = session.execute(
        select(_H, _E.c.name.label("enterprise_name"), _E.c.name_en.label("enterprise_name_en"),
               _E.c.uscc.label("uscc"), _I.c.tier.label("inspection_tier"), _I.c.inspected_on)
        .join(_E, _E.c.id == _H.c.enterprise_id)
        .outerjoin(_I, _I.c.id == _H.c.inspection_id)
        .where(_H.c.id == hazard_id)
    ).mappings().one_or_none()
    if row is None:
        return None
    verified_on, rectified_on = _by(row["verified_on"], d), _by(row["rectified_on"], d)
    status = _text(row["status"])
    state = "verified" if verified_on else "rectified" if rectified_on else \
        "rectifying" if status == HazardStatus.rectifying.value else "open"
    deadline: date = row["deadline"]
    open_ = state in ("open", "rectifying")
    return HazardDetail(
        id=int(row["id"]), version=int(row["version"]), status=status, state=state,
        days_overdue=(d - deadline).days if open_ and deadline < d else 0,
        days_left=(deadline - d).days if open_ and deadline >= d else None,
        enterprise_id=int(row["enterprise_id"]), enterprise_name=row["enterprise_name"],
        enterprise_name_en=row["enterprise_name_en"], uscc=row["uscc"], inspection_id=row["inspection_id"],
        inspection_tier=_text(row["inspection_tier"]) if row["inspection_tier"] is not None else None,
        inspected_on=row["inspected_on"], found_on=row["found_on"], category=_text(row["category"]),
        severity=_text(row["severity"]), description=row["description"],
        responsible_person=row["responsible_person"], measures=row["measures"],
        funds_yuan=float(row["funds_yuan"]) if row["funds_yuan"] is not None else None, deadline=deadline,
        contingency_plan=row["contingency_plan"], rectified_on=rectified_on, verified_on=verified_on,
        verified_by=row["verified_by"] if verified_on else None,
        listed_supervision=bool(row["listed_supervision"]) or _text(row["severity"]) == HazardSeverity.major.value,
        publicly_exposed=bool(row["publicly_exposed"]),
    )


def _text(value: Any) -> str:
    return str(getattr(value, "value", value))


def _by(value: date | None, d: date) -> date | None:
    """A date as it stood at D: a date after D had not happened yet."""
    return value if value is not None and value <= d else None


# --- the write ------------------------------------------------------------------------------------


def set_public_exposure(*, session: Session, actor: Actor, hazard_id: int, version: int, exposed: bool) -> Hazard:
    """Mark a hazard publicly exposed (公开曝光) or withdraw the exposure.

    Staff and admin only (``edit_records``); refused with ``stale_version`` when someone saved the hazard
    since ``version`` was read. A change writes an audit row (action ``expose`` or ``withdraw_exposure``,
    the record before and after) and bumps the data revision; asking for the flag the hazard already has
    changes nothing. The caller commits.
    """
    require(actor, Permission.edit_records)

    def change(hazard: Hazard) -> bool:
        if bool(hazard.publicly_exposed) == exposed:
            return False
        hazard.publicly_exposed = exposed
        return True

    return update_audited(session=session, actor=actor, table=Hazard, record_id=hazard_id, version=version,
                          change=change, action="expose" if exposed else "withdraw_exposure")

"""One enterprise's file (一企一档) at an as-of date D: its profile and its records, one DataFrame per tab.

Every record is read for this one enterprise (all queries are filtered by ``enterprise_id``) and
shown as it stood at D: records dated after D do not exist yet, and dates after D (a rectification,
a verification, a lifting, a removal) are not shown. Computed columns come from the rules:
a hazard's state and days overdue (``rules/hazard_state.py``), a sign's last check and condition
(``rules/signage.py``), an accident's level (``rules/accident_level.py``), whether a suspension or a
dishonesty listing is in force.

Each table is sorted with the most recent record first and keeps its record ``id``, so the
references of a deduction (``hazard #142``) can be found in its tab.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlmodel import Session

from dashboard.rules.accident_level import accident_level
from dashboard.rules.hazard_state import days_overdue, hazard_state_at
from dashboard.rules.signage import board_counts, sign_state_at
from dashboard.rules.windows import listing_in_force
from dashboard.services.facts import ID_MAX, UnknownEnterprise
from dashboard.settings import RuleSettings
from models import (
    FOUR_NOT_LETTING_GO,
    Accident,
    DishonestyListing,
    Enforcement,
    EnforcementAction,
    Enterprise,
    Hazard,
    Inspection,
    Plot,
    SafetySign,
    SignCheck,
    Training,
)

HAZARD_COLUMNS = (
    "id", "state", "severity", "category", "description", "found_on", "deadline", "days_overdue", "rectified_on",
    "verified_on", "verified_by", "responsible_person", "measures", "funds_yuan", "contingency_plan",
    "listed_supervision", "publicly_exposed", "inspection_id",
)
SIGN_COLUMNS = ("id", "kind", "location", "installed_on", "last_checked_on", "condition", "counts", "check_id")
INSPECTION_COLUMNS = ("id", "inspected_on", "tier", "inspector", "hazards_found", "notes")
ACCIDENT_COLUMNS = (
    "id", "occurred_on", "level", "deaths", "serious_injuries", "direct_loss_yuan", *FOUR_NOT_LETTING_GO,
    "description",
)
TRAINING_COLUMNS = ("id", "held_on", "audience", "attendees", "hours")
ENFORCEMENT_COLUMNS = ("id", "decided_on", "action", "fine_yuan", "lifted_on", "in_force", "note")
LISTING_COLUMNS = ("id", "listed_on", "reason", "removed_on", "in_force")


@dataclass(frozen=True)
class EnterpriseProfile:
    """The enterprise's identity, people, licence and safety set-up (the file's header)."""

    id: int
    uscc: str
    name: str
    name_en: str | None
    industry: str
    plot_code: str | None
    legal_rep: str
    safety_lead: str
    phone: str
    employees: int
    safety_org: bool
    safety_staff_fulltime: int
    safety_staff_parttime: int
    principal_certified: bool
    safety_managers_certified: bool
    special_operators: int
    special_operators_certified: int
    standardization_grade: str
    major_hazard_source: str
    license_no: str | None
    license_expires_on: date | None
    status: str


@dataclass(frozen=True)
class EnterpriseFile:
    """One enterprise at D: the profile and one DataFrame per tab (columns ``*_COLUMNS`` above)."""

    as_of: date
    profile: EnterpriseProfile
    hazards: pd.DataFrame
    signs: pd.DataFrame
    inspections: pd.DataFrame
    accidents: pd.DataFrame
    trainings: pd.DataFrame
    enforcements: pd.DataFrame
    listings: pd.DataFrame

    def licence_days_left(self) -> int | None:
        """Days from D to the licence's expiry (negative once expired); None without an expiry date."""
        expires = self.profile.license_expires_on
        return None if expires is None else (expires - self.as_of).days


def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns))


def _by_then(day: date | None, as_of: date) -> date | None:
    """A date as it stood at D: a date after D had not happened yet."""
    return day if day is not None and day <= as_of else None


def _text(value: object) -> str:
    return str(getattr(value, "value", value))


def _table(model: Any) -> Any:
    return model.__table__


def _rows(session: Session, model: Any, enterprise_id: int, dated: str, as_of: date, *,
          newest_first: bool = True) -> list[Any]:
    """This enterprise's rows of a table dated on or before D (``dated`` names the date column)."""
    table = _table(model)
    on = table.c[dated]
    order = (on.desc(), table.c.id.desc()) if newest_first else (table.c.id,)
    query = select(table).where(table.c.enterprise_id == enterprise_id, on <= as_of).order_by(*order)
    return list(session.execute(query).mappings())


def enterprise_profile(session: Session, enterprise_id: int) -> EnterpriseProfile:
    """The header of the file (raises :class:`UnknownEnterprise`)."""
    if not 1 <= enterprise_id <= ID_MAX:  # no query: PostgreSQL refuses an id outside its integer
        raise UnknownEnterprise(enterprise_id)
    e, p = _table(Enterprise), _table(Plot)
    row = session.execute(
        select(e, p.c.code.label("plot_code")).select_from(e.outerjoin(p, p.c.id == e.c.plot_id))
        .where(e.c.id == enterprise_id)
    ).mappings().first()
    if row is None:
        raise UnknownEnterprise(enterprise_id)
    return EnterpriseProfile(
        id=int(row["id"]), uscc=row["uscc"], name=row["name"], name_en=row["name_en"], industry=_text(row["industry"]),
        plot_code=row["plot_code"], legal_rep=row["legal_rep"], safety_lead=row["safety_lead"], phone=row["phone"],
        employees=int(row["employees"]), safety_org=bool(row["safety_org"]),
        safety_staff_fulltime=int(row["safety_staff_fulltime"]),
        safety_staff_parttime=int(row["safety_staff_parttime"]),
        principal_certified=bool(row["principal_certified"]),
        safety_managers_certified=bool(row["safety_managers_certified"]),
        special_operators=int(row["special_operators"]),
        special_operators_certified=int(row["special_operators_certified"]),
        standardization_grade=_text(row["standardization_grade"]),
        major_hazard_source=_text(row["major_hazard_source"]),
        license_no=row["license_no"], license_expires_on=row["license_expires_on"], status=_text(row["status"]),
    )


def hazard_records(session: Session, enterprise_id: int, as_of: date) -> pd.DataFrame:
    """Hazards found on or before D, with their state at D (open, overdue, rectified, verified) and days overdue."""
    rows = []
    for h in _rows(session, Hazard, enterprise_id, "found_on", as_of):
        state = hazard_state_at(h["found_on"], h["rectified_on"], h["verified_on"], as_of)
        overdue = days_overdue(state, h["deadline"], as_of)
        verified_on = _by_then(h["verified_on"], as_of)
        rows.append({
            "id": h["id"], "state": "overdue" if overdue > 0 else state.value,
            "severity": _text(h["severity"]), "category": _text(h["category"]),
            "description": h["description"], "found_on": h["found_on"], "deadline": h["deadline"],
            "days_overdue": overdue, "rectified_on": _by_then(h["rectified_on"], as_of),
            "verified_on": verified_on, "verified_by": h["verified_by"] if verified_on is not None else None,
            "responsible_person": h["responsible_person"], "measures": h["measures"],
            "funds_yuan": h["funds_yuan"], "contingency_plan": h["contingency_plan"],
            "listed_supervision": bool(h["listed_supervision"]), "publicly_exposed": bool(h["publicly_exposed"]),
            "inspection_id": h["inspection_id"],
        })
    return _frame(rows, HAZARD_COLUMNS)


def sign_records(session: Session, enterprise_id: int, as_of: date, rules: RuleSettings) -> pd.DataFrame:
    """Signs installed on or before D with their last check and condition at D, and whether the sign
    makes the enterprise signage-compliant (a publicity board in good condition, checked recently); ``check_id``
    is that last check's record (its photos show the board as seen that day), when it is one."""
    signs = _rows(session, SafetySign, enterprise_id, "installed_on", as_of, newest_first=False)
    checks: dict[int, list[tuple[date, int, Any]]] = defaultdict(list)
    if signs:
        c = _table(SignCheck)
        query = select(c.c.safety_sign_id, c.c.checked_on, c.c.id, c.c.condition).where(
            c.c.safety_sign_id.in_([sign["id"] for sign in signs]))
        for sign_id, checked_on, check_id, condition in session.execute(query):
            checks[sign_id].append((checked_on, check_id, condition))
    rows = []
    for sign in signs:
        state = sign_state_at(checks.get(sign["id"], ()), sign["last_checked_on"], sign["condition"], as_of)
        earlier = [check for check in checks.get(sign["id"], ()) if check[0] <= as_of]
        rows.append({
            "check_id": max(earlier, key=lambda check: (check[0], check[1]))[1] if earlier else None,
            "id": sign["id"], "kind": _text(sign["kind"]), "location": sign["location"],
            "installed_on": sign["installed_on"], "last_checked_on": state[0] if state else None,
            "condition": _text(state[1]) if state else None,
            "counts": board_counts(sign["kind"], sign["installed_on"], state, as_of, rules.sign_check_max_age_days),
        })
    return _frame(rows, SIGN_COLUMNS)


def inspection_records(session: Session, enterprise_id: int, as_of: date) -> pd.DataFrame:
    """Inspections on or before D, with the number of hazards each found (found on or before D)."""
    h = _table(Hazard)
    found_by = (
        select(h.c.inspection_id, func.count())
        .where(h.c.enterprise_id == enterprise_id, h.c.found_on <= as_of, h.c.inspection_id.is_not(None))
        .group_by(h.c.inspection_id)
    )
    counts = {row[0]: int(row[1]) for row in session.execute(found_by)}
    rows = [{
        "id": i["id"], "inspected_on": i["inspected_on"], "tier": _text(i["tier"]), "inspector": i["inspector"],
        "hazards_found": counts.get(i["id"], 0), "notes": i["notes"],
    } for i in _rows(session, Inspection, enterprise_id, "inspected_on", as_of)]
    return _frame(rows, INSPECTION_COLUMNS)


def accident_records(session: Session, enterprise_id: int, as_of: date, rules: RuleSettings) -> pd.DataFrame:
    """Accidents on or before D; the level computed from the numbers; the 四不放过 flags (null counts as false)."""
    rows = [{
        "id": a["id"], "occurred_on": a["occurred_on"],
        "level": accident_level(a["deaths"], a["serious_injuries"], a["direct_loss_yuan"], rules).value,
        "deaths": a["deaths"], "serious_injuries": a["serious_injuries"],
        "direct_loss_yuan": float(a["direct_loss_yuan"]),
        **{flag: a[flag] is True for flag in FOUR_NOT_LETTING_GO},
        "description": a["description"],
    } for a in _rows(session, Accident, enterprise_id, "occurred_on", as_of)]
    return _frame(rows, ACCIDENT_COLUMNS)


def training_records(session: Session, enterprise_id: int, as_of: date) -> pd.DataFrame:
    """Training sessions held on or before D."""
    rows = [{"id": x["id"], "held_on": x["held_on"], "audience": _text(x["audience"]), "attendees": x["attendees"],
             "hours": float(x["hours"])} for x in _rows(session, Training, enterprise_id, "held_on", as_of)]
    return _frame(rows, TRAINING_COLUMNS)


def enforcement_records(session: Session, enterprise_id: int, as_of: date) -> pd.DataFrame:
    """Enforcement decided on or before D; ``in_force`` for a suspension not lifted at D or any closure."""
    rows = []
    for x in _rows(session, Enforcement, enterprise_id, "decided_on", as_of):
        lifted = _by_then(x["lifted_on"], as_of)
        action = _text(x["action"])
        in_force = action == EnforcementAction.closure or (action == EnforcementAction.suspension and lifted is None)
        rows.append({"id": x["id"], "decided_on": x["decided_on"], "action": action, "fine_yuan": x["fine_yuan"],
                     "lifted_on": lifted, "in_force": in_force, "note": x["note"]})
    return _frame(rows, ENFORCEMENT_COLUMNS)


def listing_records(session: Session, enterprise_id: int, as_of: date, rules: RuleSettings) -> pd.DataFrame:
    """Dishonesty listings (安全生产严重失信主体名单) made on or before D, and whether each is in force at D."""
    rows = [{
        "id": x["id"], "listed_on": x["listed_on"], "reason": x["reason"],
        "removed_on": _by_then(x["removed_on"], as_of),
        "in_force": listing_in_force(x["listed_on"], x["removed_on"], as_of, rules.loan_dishonesty_years),
    } for x in _rows(session, DishonestyListing, enterprise_id, "listed_on", as_of)]
    return _frame(rows, LISTING_COLUMNS)


def enterprise_file(session: Session, enterprise_id: int, as_of: date, rules: RuleSettings) -> EnterpriseFile:
    """The whole file of one enterprise at D (raises :class:`UnknownEnterprise`)."""
    return EnterpriseFile(
        as_of=as_of,
        profile=enterprise_profile(session, enterprise_id),
        hazards=hazard_records(session, enterprise_id, as_of),
        signs=sign_records(session, enterprise_id, as_of, rules),
        inspections=inspection_records(session, enterprise_id, as_of),
        accidents=accident_records(session, enterprise_id, as_of, rules),
        trainings=training_records(session, enterprise_id, as_of),
        enforcements=enforcement_records(session, enterprise_id, as_of),
        listings=listing_records(session, enterprise_id, as_of, rules),
    )


__all__ = ["EnterpriseFile", "EnterpriseProfile", "UnknownEnterprise", "enterprise_file"]

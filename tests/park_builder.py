"""Records for hand-built parks: each helper adds one row (flushed) and returns its id.

The hazards' status column agrees with their dates as they stand now; the figures read the dates.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, SQLModel

from models import Accident, Enforcement, Enterprise, Hazard, SafetySign
from tests.records import enterprise_data, with_check_character


def add(session: Session, row: SQLModel) -> int:
    session.add(row)
    session.flush()
    return int(row.id)  # type: ignore[attr-defined]


def enterprise(session: Session, number: int, **changes: Any) -> int:
    values = enterprise_data(**{"uscc": with_check_character(f"91330100MA2B3C4D{number}"), "name": f"企业{number}",
                                "name_en": f"Firm {number}", "license_no": None, "license_expires_on": None,
                                **changes})
    return add(session, Enterprise(**values))


def hazard(session: Session, enterprise_id: int, found_on: date, deadline: date, *, major: bool = False,
           rectified_on: date | None = None, verified_on: date | None = None, category: str = "fire",
           responsible_person: str = "王强") -> int:
    status = "verified" if verified_on else "rectified" if rectified_on else "open"
    return add(session, Hazard(
        enterprise_id=enterprise_id, found_on=found_on, deadline=deadline, category=category,
        severity="major" if major else "general", description="Blocked fire exit",
        responsible_person=responsible_person, status=status, rectified_on=rectified_on, verified_on=verified_on,
        verified_by="李娜" if verified_on else None, listed_supervision=major,
        measures="Clear it" if major else None, funds_yuan=1000.0 if major else None,
        contingency_plan="Plan 3" if major else None,
    ))


def sign(session: Session, enterprise_id: int, kind: str, installed_on: date, last_checked_on: date | None,
         condition: str = "good") -> int:
    return add(session, SafetySign(enterprise_id=enterprise_id, kind=kind, location="大门口",
                                   installed_on=installed_on, last_checked_on=last_checked_on, condition=condition))


def accident(session: Session, enterprise_id: int, occurred_on: date, *, deaths: int = 0, injuries: int = 0,
             people_educated: bool = True) -> int:
    # the stored level is deliberately "general": the level must come from the numbers
    return add(session, Accident(enterprise_id=enterprise_id, occurred_on=occurred_on, deaths=deaths,
                                 serious_injuries=injuries, direct_loss_yuan=10_000, level="general",
                                 description="Fall from a platform", cause_identified=True,
                                 responsibles_handled=True, measures_taken=True, people_educated=people_educated))


def enforcement(session: Session, enterprise_id: int, decided_on: date, action: str, fine_yuan: float | None = None,
                note: str = "责令限期整改") -> int:
    return add(session, Enforcement(enterprise_id=enterprise_id, decided_on=decided_on, action=action,
                                    fine_yuan=fine_yuan, note=note))


def june_park(session: Session) -> dict[str, int]:
    """A small park to brief June 2026 on (add it to a database holding the ``park`` fixture's park, whose
    accident target is 1 a year); returns the ids of the records the tests name.

    E1 (hazardous chemicals, a valid board and licence), E2 (machinery, no board) and E3 (closed: outside
    every enterprise figure; its hazards still count, as on the Overview). No accident.
    """
    found: dict[str, int] = {}
    e1 = found["E1"] = enterprise(session, 1, license_no="WH-1", license_expires_on=date(2027, 6, 30))
    e2 = found["E2"] = enterprise(session, 2, industry="machinery", major_hazard_source="none")
    e3 = found["E3"] = enterprise(session, 3, industry="machinery", status="closed")
    sign(session, e1, "publicity_board", date(2025, 1, 1), date(2026, 6, 1))
    found["H1"] = hazard(session, e1, date(2026, 6, 3), date(2026, 6, 10), rectified_on=date(2026, 6, 8),
                         verified_on=date(2026, 6, 20))
    found["H2"] = hazard(session, e1, date(2026, 6, 5), date(2026, 6, 12), rectified_on=date(2026, 6, 15))  # late
    found["H3"] = hazard(session, e2, date(2026, 5, 20), date(2026, 6, 1), responsible_person="赵敏")  # 29 days
    found["H4"] = hazard(session, e1, date(2026, 6, 10), date(2026, 8, 1), major=True, responsible_person="孙立")
    found["H5"] = hazard(session, e2, date(2026, 4, 1), date(2026, 5, 1), major=True, rectified_on=date(2026, 5, 20),
                         verified_on=date(2026, 6, 5))
    found["H6"] = hazard(session, e3, date(2026, 6, 2), date(2026, 6, 30))  # deadline on the closing day
    found["H7"] = hazard(session, e2, date(2026, 4, 1), date(2026, 4, 20))  # 71 days overdue at June's end
    enforcement(session, e2, date(2026, 6, 12), "rectification_order")
    enforcement(session, e2, date(2026, 5, 3), "fine", fine_yuan=20_000, note="罚款两万元")
    session.commit()
    return found

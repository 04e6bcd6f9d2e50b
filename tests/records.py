"""Valid records to start from, and a way to count what the database holds.

Each builder returns a plain dict as a form or the importer would submit it; a test
changes one or two values to make it bad.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, text
from sqlmodel import Session
from stdnum.cn import uscc as stdnum_uscc


def with_check_character(first17: str) -> str:
    """A unified social credit code: 17 characters plus the check character they call for."""
    return first17 + stdnum_uscc.calc_check_digit(first17)


# A real code (国家电网, Beijing) and two made up with letters in the body.
USCC_A = "91110000600037341L"
USCC_B = with_check_character("91330100MA2B3C4D5")
USCC_C = with_check_character("91310115MA1K4LXP8")

# The park: a rectangle of 0.1 degrees around (30.25 N, 120.15 E).
PARK_MIN_LAT, PARK_MAX_LAT = 30.20, 30.30
PARK_MIN_LON, PARK_MAX_LON = 120.10, 120.20
PARK_BOUNDARY = json.dumps({
    "type": "Polygon",
    "coordinates": [[
        [PARK_MIN_LON, PARK_MIN_LAT], [PARK_MAX_LON, PARK_MIN_LAT], [PARK_MAX_LON, PARK_MAX_LAT],
        [PARK_MIN_LON, PARK_MAX_LAT], [PARK_MIN_LON, PARK_MIN_LAT],
    ]],
})


def enterprise_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "uscc": USCC_A,
        "name": "临江精细化工有限公司",
        "name_en": "Linjiang Fine Chemicals Co., Ltd.",
        "industry": "hazardous_chemicals",
        "lat": 30.25,
        "lon": 120.15,
        "legal_rep": "张伟",
        "safety_lead": "李娜",
        "phone": "0571-88886666",
        "employees": 120,
        "safety_org": True,
        "safety_staff_fulltime": 2,
        "safety_staff_parttime": 3,
        "principal_certified": True,
        "safety_managers_certified": True,
        "special_operators": 10,
        "special_operators_certified": 8,
        "standardization_grade": "level3",
        "major_hazard_source": "grade3",
        "license_no": "(浙)WH安许证字[2024]0001",
        "license_expires_on": "2027-06-30",
        "status": "operating",
    }
    data.update(changes)
    return data


def general_hazard_data(enterprise_id: int = 1, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "enterprise_id": enterprise_id,
        "found_on": "2026-03-02",
        "category": "fire",
        "severity": "general",
        "description": "Fire exit in workshop 2 blocked by pallets",
        "responsible_person": "王强",
        "deadline": "2026-03-16",
    }
    data.update(changes)
    return data


def major_hazard_data(enterprise_id: int = 1, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "enterprise_id": enterprise_id,
        "found_on": "2026-03-02",
        "category": "hazardous_chemicals",
        "severity": "major",
        "description": "Tank farm gas detectors not linked to the emergency shut-off",
        "responsible_person": "王强",
        "measures": "Link detectors to the shut-off valves; test monthly",
        "funds_yuan": 180000,
        "deadline": "2026-04-30",
        "contingency_plan": "Tank farm leak plan, rev. 3",
    }
    data.update(changes)
    return data


def loan_override_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "enterprise_id": 1,
        "decision": "eligible",
        "reason": "Major hazard rectified and verified; bank visit done",
        "decided_by": "finance.zhao",
        "decided_on": "2026-01-01",
        "expires_on": "2026-06-30",
    }
    data.update(changes)
    return data


def enforcement_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "enterprise_id": 1,
        "decided_on": "2026-02-10",
        "action": "fine",
        "fine_yuan": 50000,
        "note": "Unlicensed storage of solvents",
    }
    data.update(changes)
    return data


def row_counts(engine: Engine, *tables: str) -> dict[str, int]:
    """Rows per table, read on a new connection (so only committed rows count)."""
    with engine.connect() as connection:
        return {table: int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
                for table in tables}


def data_revision(engine: Engine) -> int:
    with engine.connect() as connection:
        value = connection.execute(text("SELECT revision FROM data_revision WHERE id = 1")).scalar_one_or_none()
    return int(value or 0)


def in_session(url: str, work: Callable[[Session], Any]) -> Any:
    """``work`` in a session of its own on the database at ``url``, committed; what it returns."""
    from dashboard.db import make_engine

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            result = work(session)
            session.commit()
            return result
    finally:
        engine.dispose()

"""One enterprise's file (一企一档) at an as-of date: its profile and records, each as it stood at that date."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from dashboard.services.enterprise_file import enterprise_file
from dashboard.services.enterprises import create_enterprise
from dashboard.services.facts import UnknownEnterprise
from dashboard.services.permissions import SYSTEM
from dashboard.settings import RuleSettings
from models import (
    Accident,
    DishonestyListing,
    Enforcement,
    Enterprise,
    Hazard,
    Inspection,
    Park,
    Plot,
    SafetySign,
    SignCheck,
    Training,
)
from tests.records import USCC_B, enterprise_data

D = date(2026, 3, 31)
RULES = RuleSettings()


def _hazard(enterprise_id: int, **values: Any) -> Hazard:
    data: dict[str, Any] = {
        "enterprise_id": enterprise_id, "category": "fire", "severity": "general", "description": "消防通道堵塞",
        "responsible_person": "王强", "found_on": date(2026, 3, 1), "deadline": date(2026, 3, 15), "status": "open",
    }
    data.update(values)
    return Hazard(**data)


@pytest.fixture
def file_records(engine: Engine, park: Park, enterprise: Enterprise) -> dict[str, int]:
    """A second enterprise with records of its own, and for ``enterprise`` one record of each kind (some after D)."""
    e = int(enterprise.id or 0)
    with Session(engine, expire_on_commit=False) as s:
        other = create_enterprise(session=s, actor=SYSTEM, data=enterprise_data(uscc=USCC_B, name="另一家企业"))
        plot = Plot(code="A-07", polygon_geojson='{"type": "Polygon", "coordinates": []}', area_m2=1000)
        s.add(plot)
        s.flush()
        row = s.get(Enterprise, e)
        assert row is not None
        row.plot_id = plot.id
        inspection = Inspection(enterprise_id=e, inspected_on=date(2026, 3, 1), tier="park", inspector="园区安监办")
        s.add(inspection)
        s.add(Inspection(enterprise_id=e, inspected_on=date(2026, 4, 2), tier="self", inspector="李娜"))  # after D
        s.flush()
        overdue = _hazard(e, inspection_id=inspection.id)  # open, deadline 15 March: 16 days overdue at D
        in_time = _hazard(e, found_on=date(2026, 3, 20), deadline=date(2026, 4, 20), category="electrical")
        major = _hazard(e, severity="major", category="hazardous_chemicals", measures="联锁改造", funds_yuan=180000,
                        contingency_plan="储罐区泄漏预案", listed_supervision=True, found_on=date(2026, 2, 1),
                        deadline=date(2026, 3, 10), status="rectified", rectified_on=date(2026, 3, 5),
                        inspection_id=inspection.id)
        verified_later = _hazard(e, found_on=date(2026, 1, 5), deadline=date(2026, 1, 20), status="verified",
                                 rectified_on=date(2026, 1, 18), verified_on=date(2026, 4, 3), verified_by="刘洋")
        after = _hazard(e, found_on=date(2026, 4, 1), deadline=date(2026, 4, 10))
        for hazard in (overdue, in_time, major, verified_later, after):
            s.add(hazard)
        s.add(_hazard(int(other.id or 0)))
        board = SafetySign(enterprise_id=e, kind="publicity_board", location="大门", installed_on=date(2025, 1, 1),
                           last_checked_on=date(2026, 4, 5), condition="damaged")
        warning = SafetySign(enterprise_id=e, kind="warning_sign", location="罐区", installed_on=date(2025, 6, 1))
        later = SafetySign(enterprise_id=e, kind="other", location="新", installed_on=date(2026, 5, 1))
        s.add_all([board, warning, later])
        s.flush()
        s.add_all([SignCheck(safety_sign_id=board.id, checked_on=date(2026, 2, 1), condition="good"),
                   SignCheck(safety_sign_id=board.id, checked_on=date(2026, 4, 5), condition="damaged")])
        # stored level "general" although three deaths make it a larger accident (the file computes it)
        s.add(Accident(enterprise_id=e, occurred_on=date(2025, 11, 2), deaths=3, serious_injuries=0,
                       direct_loss_yuan=120000, level="general", description="储罐爆燃", cause_identified=True,
                       responsibles_handled=True, measures_taken=None, people_educated=False))
        s.add(Training(enterprise_id=e, held_on=date(2026, 1, 10), audience="all_staff", attendees=118, hours=4))
        s.add(Training(enterprise_id=e, held_on=date(2026, 6, 10), audience="principal", attendees=1, hours=8))
        s.add(Enforcement(enterprise_id=e, decided_on=date(2026, 2, 10), action="suspension",
                          lifted_on=date(2026, 4, 20), note="停产整顿"))
        s.add(Enforcement(enterprise_id=e, decided_on=date(2025, 12, 1), action="fine", fine_yuan=50000))
        s.add(DishonestyListing(enterprise_id=e, listed_on=date(2025, 5, 1), reason="瞒报事故"))
        s.add(DishonestyListing(enterprise_id=e, listed_on=date(2021, 5, 1), reason="旧的", removed_on=None))
        s.commit()
        return {"enterprise": e, "other": int(other.id or 0), "inspection": int(inspection.id or 0),
                "overdue": int(overdue.id or 0), "in_time": int(in_time.id or 0), "major": int(major.id or 0),
                "verified_later": int(verified_later.id or 0), "board": int(board.id or 0),
                "warning": int(warning.id or 0)}


def test_the_profile_names_the_enterprise_its_plot_and_licence(engine: Engine, file_records: dict[str, int]) -> None:
    with Session(engine) as s:
        file = enterprise_file(s, file_records["enterprise"], D, RULES)
    profile = file.profile
    assert (profile.name, profile.uscc, profile.plot_code) == ("临江精细化工有限公司", "91110000600037341L", "A-07")
    assert (profile.industry, profile.standardization_grade, profile.major_hazard_source) == \
        ("hazardous_chemicals", "level3", "grade3")
    assert profile.license_expires_on == date(2027, 6, 30)
    assert file.licence_days_left() == (date(2027, 6, 30) - D).days


def test_hazards_found_by_d_with_their_state_from_the_dates(engine: Engine, file_records: dict[str, int]) -> None:
    with Session(engine) as s:
        hazards = enterprise_file(s, file_records["enterprise"], D, RULES).hazards.set_index("id")
    # the hazard found after D and the other enterprise's hazard are not in the file
    assert set(hazards.index) == {file_records[k] for k in ("overdue", "in_time", "major", "verified_later")}
    assert hazards.loc[file_records["overdue"], ["state", "days_overdue"]].tolist() == ["overdue", 16]
    assert hazards.loc[file_records["overdue"], "inspection_id"] == file_records["inspection"]
    assert hazards.loc[file_records["in_time"], ["state", "days_overdue"]].tolist() == ["open", 0]
    major = hazards.loc[file_records["major"]]
    assert (major["state"], major["days_overdue"], major["rectified_on"]) == ("rectified", 0, date(2026, 3, 5))
    assert (major["measures"], major["funds_yuan"], major["contingency_plan"]) == ("联锁改造", 180000, "储罐区泄漏预案")
    assert bool(major["listed_supervision"]) is True
    # verified on 3 April: at D it was rectified, and the verification is not shown yet
    later = hazards.loc[file_records["verified_later"]]
    assert later["state"] == "rectified"
    assert pd.isna(later["verified_on"]) and pd.isna(later["verified_by"])
    assert hazards.index[0] == file_records["in_time"]  # the most recently found first


def test_signs_show_their_state_at_d(engine: Engine, file_records: dict[str, int]) -> None:
    with Session(engine) as s:
        signs = enterprise_file(s, file_records["enterprise"], D, RULES).signs.set_index("id")
    # the sign installed in May is not there yet
    assert set(signs.index) == {file_records["board"], file_records["warning"]}
    board = signs.loc[file_records["board"]]
    assert (board["last_checked_on"], board["condition"], board["counts"]) == (date(2026, 2, 1), "good", True)
    warning = signs.loc[file_records["warning"]]
    assert pd.isna(warning["last_checked_on"]) and pd.isna(warning["condition"]) and not warning["counts"]
    with Session(engine) as s:
        later = enterprise_file(s, file_records["enterprise"], date(2026, 4, 30), RULES).signs.set_index("id")
    assert later.loc[file_records["board"], ["condition", "counts"]].tolist() == ["damaged", False]


def test_inspections_count_the_hazards_they_found(engine: Engine, file_records: dict[str, int]) -> None:
    with Session(engine) as s:
        inspections = enterprise_file(s, file_records["enterprise"], D, RULES).inspections
    assert inspections[["id", "tier", "hazards_found"]].values.tolist() == [[file_records["inspection"], "park", 2]]


def test_accidents_have_their_level_from_the_numbers_and_the_four_flags(engine: Engine,
                                                                        file_records: dict[str, int]) -> None:
    with Session(engine) as s:
        accidents = enterprise_file(s, file_records["enterprise"], D, RULES).accidents
    assert len(accidents) == 1
    accident = accidents.iloc[0]
    assert accident["level"] == "larger"
    flags = accident[["cause_identified", "responsibles_handled", "measures_taken", "people_educated"]].tolist()
    assert flags == [True, True, False, False]  # a null flag counts as false


def test_training_enforcement_and_listings_at_d(engine: Engine, file_records: dict[str, int]) -> None:
    with Session(engine) as s:
        file = enterprise_file(s, file_records["enterprise"], D, RULES)
    assert file.trainings[["audience", "attendees", "hours"]].values.tolist() == [["all_staff", 118, 4.0]]
    enforcement = file.enforcements.set_index("action")
    assert list(file.enforcements["action"]) == ["suspension", "fine"]  # the most recent first
    assert pd.isna(enforcement.loc["suspension", "lifted_on"])  # lifted on 20 April, after D
    assert bool(enforcement.loc["suspension", "in_force"]) is True
    assert enforcement.loc["fine", "fine_yuan"] == 50000
    assert bool(enforcement.loc["fine", "in_force"]) is False
    listings = file.listings.set_index("reason")
    assert bool(listings.loc["瞒报事故", "in_force"]) is True
    assert bool(listings.loc["旧的", "in_force"]) is False  # listed five years ago: the three-year term is over
    with Session(engine) as s:
        later = enterprise_file(s, file_records["enterprise"], date(2026, 5, 1), RULES).enforcements.set_index("action")
    assert later.loc["suspension", "lifted_on"] == date(2026, 4, 20)
    assert bool(later.loc["suspension", "in_force"]) is False


def test_an_enterprise_without_records_has_empty_tabs(engine: Engine, file_records: dict[str, int]) -> None:
    with Session(engine) as s:
        file = enterprise_file(s, file_records["other"], D, RULES)
    assert len(file.hazards) == 1
    for frame in (file.signs, file.inspections, file.accidents, file.trainings, file.enforcements, file.listings):
        assert frame.empty and len(frame.columns) > 0
    assert file.profile.plot_code is None


def test_an_unknown_enterprise_is_refused(engine: Engine, file_records: dict[str, int]) -> None:
    with Session(engine) as s, pytest.raises(UnknownEnterprise):
        enterprise_file(s, 9999, D, RULES)

"""The Overview's figures on a small hand-built park, on both backends: the key figures at D and a month
earlier, the monthly trend, this year's accidents by level, and the three alert lists and their order.

D is 15 June 2026, so the comparison date is 15 May 2026. Five enterprises: E1 (hazardous chemicals,
the hazards), E2 (machinery, a board whose check grows stale between the two dates), E3 (construction,
suspended, no licence and no board), E4 (fireworks, closed: outside every figure) and E5 (machinery,
well run, eligible).
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from dashboard.services.overview import (
    accidents_by_level,
    hazard_trend,
    licence_alerts,
    months_ending,
    overdue_hazard_alerts,
    park_kpis,
    park_overview,
    same_day_previous_month,
    sign_alerts,
)
from dashboard.settings import RuleSettings
from models import Park, SignCheck
from tests.park_builder import accident as _accident
from tests.park_builder import add as _add
from tests.park_builder import enterprise as _enterprise
from tests.park_builder import hazard as _hazard
from tests.park_builder import sign as _sign

D = date(2026, 6, 15)
PREVIOUS = date(2026, 5, 15)
RULES = RuleSettings()


@pytest.fixture
def park_around_d(session: Session, park: Park) -> dict[str, int]:
    """Five enterprises whose licences, signs, hazards and accidents fall on either side of D and of the same day a
    month earlier; the ids of the records the tests name."""
    found: dict[str, int] = {}
    e1 = found["E1"] = _enterprise(session, 1, license_no="WH-1", license_expires_on=date(2026, 8, 14))  # D+60
    e2 = found["E2"] = _enterprise(session, 2, industry="machinery", license_no="M-2",
                                   license_expires_on=date(2026, 6, 1))  # expired 14 days before D
    e3 = found["E3"] = _enterprise(session, 3, industry="construction", status="suspended")  # licence missing
    e4 = found["E4"] = _enterprise(session, 4, industry="fireworks", status="closed", license_no="YH-4",
                                   license_expires_on=date(2026, 1, 1))
    e5 = found["E5"] = _enterprise(session, 5, industry="machinery", major_hazard_source="none", license_no="M-5",
                                   license_expires_on=date(2026, 8, 15))  # D+61: no alert

    # signs: E1 compliant at both dates; E2 compliant a month ago only (checked 2025-12-01, D-180 = 2025-12-17)
    _sign(session, e1, "publicity_board", date(2025, 1, 1), date(2026, 5, 1))
    _sign(session, e1, "warning_sign", date(2025, 1, 1), date(2025, 12, 17))  # exactly D-180: not due
    found["S2"] = _sign(session, e2, "publicity_board", date(2025, 1, 1), date(2025, 12, 1))
    found["S3"] = _sign(session, e3, "warning_sign", date(2026, 1, 1), None)  # never checked
    _sign(session, e3, "warning_sign", date(2026, 6, 20), None)  # installed after D
    _sign(session, e4, "publicity_board", date(2024, 1, 1), date(2024, 2, 1))  # closed enterprise
    board = _sign(session, e5, "publicity_board", date(2025, 1, 1), date(2025, 1, 1))  # own check stale ...
    _add(session, SignCheck(safety_sign_id=board, checked_on=date(2026, 5, 2), condition="good"))  # ... a check isn't

    found["H1"] = _hazard(session, e1, date(2026, 5, 1), date(2026, 5, 10), category="electrical")
    found["H2"] = _hazard(session, e1, date(2026, 6, 1), date(2026, 6, 10))
    found["H3"] = _hazard(session, e1, date(2026, 4, 1), date(2026, 7, 1), major=True, rectified_on=date(2026, 6, 10))
    _hazard(session, e1, date(2026, 3, 1), date(2026, 3, 20), rectified_on=date(2026, 3, 18),
            verified_on=date(2026, 3, 25))
    _hazard(session, e1, date(2026, 2, 1), date(2026, 2, 10), rectified_on=date(2026, 2, 20),
            verified_on=date(2026, 6, 14))  # rectified late
    _hazard(session, e1, date(2025, 1, 10), date(2025, 1, 20), rectified_on=date(2025, 1, 15),
            verified_on=date(2025, 1, 16))
    _hazard(session, e1, date(2026, 6, 16), date(2026, 6, 20))  # found after D
    _hazard(session, e1, date(2026, 6, 1), date(2026, 6, 15))  # deadline D: open, not overdue
    _hazard(session, e1, date(2024, 6, 20), date(2024, 6, 30), rectified_on=date(2024, 7, 1),
            verified_on=date(2024, 7, 2))  # found before the trend's first month, closed in it
    _hazard(session, e4, date(2026, 5, 1), date(2026, 5, 5))  # a closed enterprise's hazard still counts

    _accident(session, e1, date(2026, 1, 5), injuries=1)
    _accident(session, e2, date(2026, 6, 1), deaths=3)  # larger
    _accident(session, e2, date(2025, 12, 31))  # last year
    _accident(session, e5, date(2026, 6, 16))  # after D
    session.commit()
    return found


def test_same_day_previous_month_keeps_the_day_or_takes_the_months_last() -> None:
    assert same_day_previous_month(date(2026, 6, 15)) == date(2026, 5, 15)
    assert same_day_previous_month(date(2026, 3, 31)) == date(2026, 2, 28)
    assert same_day_previous_month(date(2024, 3, 31)) == date(2024, 2, 29)
    assert same_day_previous_month(date(2026, 1, 31)) == date(2025, 12, 31)


def test_key_figures_at_d_and_a_month_earlier(session: Session, park_around_d: dict[str, int]) -> None:
    kpis = park_kpis(session, D, RULES)
    now, before = kpis.current, kpis.previous
    assert (now.on, before.on) == (D, PREVIOUS)
    assert kpis.accident_target_per_year == 1
    assert (now.enterprises, before.enterprises, kpis.suspended) == (4, 4, 1)  # E4 is closed
    assert (now.signage_compliant, before.signage_compliant) == (2, 3)  # E1, E5; a month ago E2 too
    assert now.signage_compliance == pytest.approx(0.5)
    assert before.signage_compliance == pytest.approx(0.75)
    # open: H1, H2, the one due on D, E4's; overdue: H1, H2, E4's; major: H3 (rectified, not verified)
    assert (now.open_hazards, now.overdue_hazards, now.major_hazards) == (4, 3, 1)
    # a month ago: H1, H3 (not yet rectified), E4's open; H1 and E4's overdue; H3 major
    assert (before.open_hazards, before.overdue_hazards, before.major_hazards) == (3, 2, 1)
    # rectified within 365 days: H3 and March's on time, February's late; a month ago H3 was not yet rectified
    assert (now.rectified, now.rectified_on_time) == (3, 2)
    assert now.on_time_rectification == pytest.approx(2 / 3)
    assert (before.rectified, before.rectified_on_time) == (2, 1)
    assert (now.accidents_this_year, before.accidents_this_year) == (2, 1)
    # E1 (major hazard not verified), E2 (no compliant board), E3 (no board, no licence); E5 eligible
    assert (now.ineligible, before.ineligible) == (3, 2)


def test_trend_counts_found_and_closed_per_month_for_24_months(session: Session, park_around_d: dict[str, int]) -> None:
    trend = hazard_trend(session, D)
    assert list(trend.columns) == ["month", "found", "closed"]
    assert len(trend) == 24
    assert trend["month"].iloc[0] == date(2024, 7, 1)
    assert trend["month"].iloc[-1] == date(2026, 6, 1)
    by_month = {row.month: (row.found, row.closed) for row in trend.itertuples()}
    assert by_month[date(2024, 7, 1)] == (0, 1)  # found before the window, closed in its first month
    assert by_month[date(2024, 8, 1)] == (0, 0)  # an empty month
    assert by_month[date(2025, 1, 1)] == (1, 1)
    assert by_month[date(2026, 2, 1)] == (1, 0)
    assert by_month[date(2026, 3, 1)] == (1, 1)
    assert by_month[date(2026, 5, 1)] == (2, 0)  # H1 and E4's
    assert by_month[date(2026, 6, 1)] == (2, 1)  # the hazard found after D does not count
    assert int(trend["found"].sum()) == 8
    assert int(trend["closed"].sum()) == 4


def test_months_ending_crosses_the_year() -> None:
    firsts = months_ending(date(2026, 1, 31), 3)
    assert firsts == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)]


def test_accidents_by_level_come_from_the_numbers(session: Session, park_around_d: dict[str, int]) -> None:
    levels = accidents_by_level(session, D, RULES)
    assert dict(zip(levels["level"], levels["accidents"], strict=True)) == {
        "general": 1, "larger": 1, "major": 0, "especially_major": 0}


def test_overdue_alerts_oldest_deadline_first(session: Session, park_around_d: dict[str, int]) -> None:
    alerts = overdue_hazard_alerts(session, D)
    assert list(alerts["deadline"]) == [date(2026, 5, 5), date(2026, 5, 10), date(2026, 6, 10)]
    assert list(alerts["enterprise_id"]) == [park_around_d["E4"], park_around_d["E1"], park_around_d["E1"]]
    assert list(alerts["days_overdue"]) == [41, 36, 5]
    first = alerts.iloc[1]
    assert (first["hazard_id"], first["name"], first["category"], first["severity"]) == (
        park_around_d["H1"], "企业1", "electrical", "general")


def test_licence_alerts_missing_then_by_expiry_within_60_days(session: Session, park_around_d: dict[str, int]) -> None:
    alerts = licence_alerts(session, D, RULES)
    # not E4 (closed), not E5 (D+61)
    assert list(alerts["enterprise_id"]) == [park_around_d["E3"], park_around_d["E2"], park_around_d["E1"]]
    assert list(alerts["licence_state"]) == ["missing", "expired", "expiring"]
    assert list(alerts["days_left"].astype(object).where(alerts["days_left"].notna(), None)) == [None, -14, 60]


def test_sign_alerts_never_checked_first_then_the_oldest(session: Session, park_around_d: dict[str, int]) -> None:
    alerts = sign_alerts(session, D, RULES)
    assert list(alerts["sign_id"]) == [park_around_d["S3"], park_around_d["S2"]]
    assert list(alerts["enterprise_id"]) == [park_around_d["E3"], park_around_d["E2"]]
    stale = alerts.iloc[1]
    assert (stale["kind"], stale["last_checked_on"], stale["condition"]) == ("publicity_board", date(2025, 12, 1),
                                                                              "good")
    assert stale["due_on"] == date(2026, 5, 30)
    assert stale["days_since_check"] == 196


def test_an_empty_park_has_zeros_no_shares_and_no_alerts(session: Session, park: Park) -> None:
    overview = park_overview(session, D, RULES)
    now = overview.kpis.current
    assert (now.enterprises, now.open_hazards, now.overdue_hazards, now.accidents_this_year, now.ineligible) == (
        0, 0, 0, 0, 0)
    assert now.signage_compliance is None
    assert now.on_time_rectification is None
    assert len(overview.trend) == 24
    assert int(overview.trend[["found", "closed"]].to_numpy().sum()) == 0
    assert overview.overdue.empty and overview.licences.empty and overview.signs.empty
    assert int(overview.accidents["accidents"].sum()) == 0

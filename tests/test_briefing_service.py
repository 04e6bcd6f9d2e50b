"""The monthly briefing's figures on a small hand-built park (``tests.park_builder.june_park``), on both
backends: the month's flows and its month-end state against the previous month, the hazards followed
up, the changes of colour, the work items, a park with no accidents, an accident that brings the yearly
target near, and an empty month.

The month is June 2026, briefed on 10 July 2026 (so its closing day is 30 June); the previous month
closes on 31 May, the same month last year on 30 June 2025.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlmodel import Session

from dashboard.i18n import set_language
from dashboard.services.briefing import (
    BriefingError,
    closing_day,
    default_month,
    month_shifted,
    monthly_briefing,
    parse_month,
)
from dashboard.services.enterprise_table import enterprise_table
from dashboard.services.overview import hazard_trend, park_kpis
from dashboard.services.work_items import work_items
from dashboard.settings import RuleSettings
from tests.park_builder import accident, hazard

JUNE = date(2026, 6, 1)
TODAY = date(2026, 7, 10)
JUNE_END, MAY_END = date(2026, 6, 30), date(2026, 5, 31)
RULES = RuleSettings()


def test_months_are_written_yyyy_mm_and_close_on_their_last_day_or_today() -> None:
    assert parse_month("2026-06") == JUNE
    for bad in ("2026-6", "June", "2026-13", "26-06", ""):
        with pytest.raises(BriefingError, match="YYYY-MM"):
            parse_month(bad)
    assert closing_day(JUNE, TODAY) == JUNE_END
    assert closing_day(date(2026, 7, 1), TODAY) == TODAY  # the month in progress
    assert closing_day(date(2024, 2, 1), TODAY) == date(2024, 2, 29)
    assert month_shifted(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert month_shifted(JUNE, -12) == date(2025, 6, 1)
    assert default_month(TODAY) == JUNE  # a meeting on 10 July reviews June
    assert default_month(JUNE_END) == JUNE


def test_a_month_not_yet_begun_is_refused(session: Session, june_2026: dict[str, int]) -> None:
    with pytest.raises(BriefingError, match="2026-08 has not begun"):
        monthly_briefing(session, date(2026, 8, 1), RULES, TODAY)


def test_the_months_flows_and_its_month_end_state_against_the_previous_month(
    session: Session, june_2026: dict[str, int],
) -> None:
    briefing = monthly_briefing(session, JUNE, RULES, TODAY)
    june, may, last_year = briefing.month, briefing.previous, briefing.last_year
    assert (june.closing, may.closing, last_year.closing) == (JUNE_END, MAY_END, date(2025, 6, 30))
    assert not briefing.in_progress
    assert june.figures.enterprises == may.figures.enterprises == 2  # E3 is closed
    assert (june.figures.signage_compliant, june.figures.signage_compliance) == (1, 0.5)
    # flows: H1, H2, H4 and H6 found in June; H1 (on time) and H2 (late) rectified; H1 and H5 verified
    assert (june.found, june.rectified, june.rectified_on_time, june.verified) == (4, 2, 1, 2)
    assert june.month_on_time_rate == 0.5
    assert (may.found, may.rectified, may.rectified_on_time, may.verified) == (1, 1, 0, 0)
    # state: open H3, H4, H6, H7; overdue H3 and H7; the major H4 not verified (H5 was, on 5 June)
    assert (june.figures.open_hazards, june.figures.overdue_hazards, june.figures.major_hazards) == (4, 2, 1)
    assert (may.figures.open_hazards, may.figures.overdue_hazards, may.figures.major_hazards) == (2, 1, 1)
    assert (june.listed_open, june.listed_new, june.listed_closed) == (1, 1, 1)
    assert (may.listed_open, may.listed_new, may.listed_closed) == (1, 0, 0)
    assert june.enforcement["rectification_order"] == 1 and june.enforcement_total == 1
    assert may.enforcement["fine"] == 1 and may.enforcement_total == 1
    assert (june.accidents, june.figures.accidents_this_year) == (0, 0)
    assert last_year.found == last_year.figures.open_hazards == 0
    assert sum(june.colours.values()) == sum(june.loan_statuses.values()) == 2


def test_the_figures_are_the_dashboards_for_the_closing_day(session: Session, june_2026: dict[str, int]) -> None:
    briefing = monthly_briefing(session, JUNE, RULES, TODAY)
    for figures, day in ((briefing.month, JUNE_END), (briefing.previous, MAY_END)):
        assert figures.figures == park_kpis(session, day, RULES).current
        table = enterprise_table(session, day, RULES)
        in_park = table[table["enterprise_status"] != "closed"]
        assert figures.colours == {c: int((in_park["risk_colour"] == c).sum()) for c in figures.colours}
        assert figures.loan_statuses == {s: int((in_park["effective_status"] == s).sum())
                                         for s in figures.loan_statuses}
    pd.testing.assert_frame_equal(briefing.trend, hazard_trend(session, JUNE_END, 12))
    assert len(briefing.trend) == 12 and briefing.trend["month"].iloc[-1] == JUNE


def test_the_hazards_followed_up_are_the_listed_ones_then_the_longest_overdue(
    session: Session, june_2026: dict[str, int],
) -> None:
    hazards = monthly_briefing(session, JUNE, RULES, TODAY).hazards
    assert hazards["hazard_id"].to_list() == [june_2026["H5"], june_2026["H4"], june_2026["H7"], june_2026["H3"]]
    h5, h4, h7, h3 = hazards.to_dict("records")
    assert (h5["state"], h5["verified_on"], h5["listed_supervision"]) == ("verified", date(2026, 6, 5), True)
    assert (h4["state"], h4["responsible_person"], h4["deadline"]) == ("open", "孙立", date(2026, 8, 1))
    assert pd.isna(h4["days_overdue"])
    assert (h7["days_overdue"], h3["days_overdue"], h3["responsible_person"]) == (71, 29, "赵敏")


def test_colour_changes_and_the_enterprises_most_at_risk(session: Session, june_2026: dict[str, int]) -> None:
    briefing = monthly_briefing(session, JUNE, RULES, TODAY)
    changes = briefing.colour_changes.set_index("enterprise_id")
    assert changes.loc[june_2026["E1"], "after"] == "red"  # the major hazard H4, found in June
    assert changes.loc[june_2026["E2"], "before"] == "red"  # H5 verified on 5 June
    assert changes.loc[june_2026["E2"], "after"] != "red"
    assert briefing.colour_changes["enterprise_id"].iloc[0] == june_2026["E1"]  # the worst colour first
    at_risk = briefing.at_risk
    assert [e.enterprise_id for e in at_risk] == [june_2026["E1"], june_2026["E2"]]  # red first; E3 is closed
    assert at_risk[0].risk_colour == "red" and at_risk[0].major_hazards == 1
    assert at_risk[0].deductions[0].points == max(d.points for d in at_risk[0].deductions)
    assert len(at_risk[1].deductions) <= 3


def test_work_items_come_from_the_data(session: Session, june_2026: dict[str, int]) -> None:
    items = {item.code: item for item in work_items(monthly_briefing(session, JUNE, RULES, TODAY), RULES)}
    assert (items["major_hazards"].count, items["major_hazards"].enterprise_ids) == (1, (june_2026["E1"],))
    assert (items["long_overdue"].count, items["long_overdue"].enterprise_ids) == (1, (june_2026["E2"],))
    assert (items["overdue"].count, items["overdue"].enterprise_ids) == (1, (june_2026["E2"],))
    assert items["no_publicity_board"].enterprise_ids == (june_2026["E2"],)
    assert items["turned_red"].enterprise_ids == (june_2026["E1"],)
    assert items["no_self_inspection"].count == 2
    # no accident in the park: nothing about accidents
    assert not {"four_not_letting_go", "accidents_over_target", "accidents_near_target"} & set(items)
    first = list(items)
    assert first[0] == "major_hazards"


def test_a_park_with_no_accidents(session: Session, june_2026: dict[str, int]) -> None:
    briefing = monthly_briefing(session, JUNE, RULES, TODAY)
    assert briefing.accidents.empty
    assert briefing.accidents_by_level["accidents"].sum() == 0
    assert briefing.accident_target_per_year == 1
    from dashboard.briefing.sections import briefing_sections

    set_language("zh")
    accidents = next(s for s in briefing_sections(briefing, RULES) if s.key == "accidents")
    assert "本年累计发生事故 0 起，年度控制目标 1 起（已达 0%）" in accidents.paragraphs[0]
    assert accidents.tables[1].rows == () and accidents.tables[1].empty == "本月未发生生产安全事故。"


def test_an_accident_brings_the_target_near_and_its_four_not_letting_go_is_a_work_item(
    session: Session, june_2026: dict[str, int],
) -> None:
    accident(session, june_2026["E2"], date(2026, 6, 18), injuries=2, people_educated=False)
    session.commit()
    briefing = monthly_briefing(session, JUNE, RULES, TODAY)
    assert (briefing.month.accidents, briefing.month.serious_injuries) == (1, 2)
    assert briefing.month.figures.accidents_this_year == 1
    row = briefing.accidents.iloc[0]
    assert (row["enterprise_id"], row["level"], bool(row["four_not_letting_go"])) == (june_2026["E2"], "general", False)
    items = {item.code: item for item in work_items(briefing, RULES)}
    assert items["accidents_near_target"].params == {"target": 1}
    assert items["four_not_letting_go"].enterprise_ids == (june_2026["E2"],)


def test_an_empty_month_has_zeros_and_nothing_to_follow_up(session: Session, june_2026: dict[str, int]) -> None:
    briefing = monthly_briefing(session, date(2020, 1, 1), RULES, TODAY)
    month = briefing.month
    assert (month.found, month.rectified, month.verified, month.accidents, month.enforcement_total) == (0, 0, 0, 0, 0)
    assert (month.figures.open_hazards, month.figures.overdue_hazards, month.figures.signage_compliant) == (0, 0, 0)
    assert month.month_on_time_rate is None and month.figures.on_time_rectification is None
    assert briefing.hazards.empty and briefing.accidents.empty and briefing.enforcement.empty
    assert briefing.colour_changes.empty and briefing.loan_changes.empty
    assert briefing.trend["found"].sum() == 0


def test_the_month_in_progress_is_counted_to_today(session: Session, june_2026: dict[str, int]) -> None:
    briefing = monthly_briefing(session, date(2026, 7, 1), RULES, TODAY)
    assert briefing.in_progress and briefing.month.closing == TODAY
    # compared with the same days: 1-10 June and 1-10 July 2025
    assert (briefing.previous.closing, briefing.last_year.closing) == (date(2026, 6, 10), date(2025, 7, 10))
    assert briefing.previous.found == 4  # H1, H2, H4 and H6, all found by 10 June
    assert briefing.previous.verified == 1  # H5 on 5 June (H1 was verified on the 20th)


def test_a_closed_enterprises_overdue_hazard_is_followed_up_by_name(
    session: Session, june_2026: dict[str, int]
) -> None:
    hazard(session, june_2026["E3"], date(2026, 5, 1), date(2026, 5, 10))  # E3 is closed; 51 days overdue at June's end
    session.commit()
    briefing = monthly_briefing(session, JUNE, RULES, TODAY)
    items = {item.code: item for item in work_items(briefing, RULES)}
    assert items["long_overdue"].count == 2 and june_2026["E3"] in items["long_overdue"].enterprise_ids
    assert briefing.enterprise_names[june_2026["E3"]] == ("企业3", "Firm 3")
    from dashboard.briefing.sections import work_item_sentence

    set_language("zh")
    assert work_item_sentence(items["long_overdue"], briefing).endswith("：企业2、企业3。")

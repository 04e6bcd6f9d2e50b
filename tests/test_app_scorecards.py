"""Scorecards 企业评分卡 on the demo park: the ranked list, its filters and CSV export, and one enterprise's file."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import text
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from dashboard.db import make_engine
from dashboard.i18n import set_language, t
from dashboard.services.enterprise_table import enterprise_table
from dashboard.services.evaluation import evaluate_enterprise
from dashboard.settings import get_settings
from tests.apptest import download, open_app, texts

ROLES = ("admin", "committee", "finance", "staff")


@pytest.fixture(scope="module")
def scorecards(demo_app_url: str, today: date) -> pd.DataFrame:
    """The demo park's scorecard list ``today`` (every enterprise), as the services compute it."""
    engine = make_engine(demo_app_url)
    with Session(engine) as session:
        found = enterprise_table(session, today, get_settings().rules)
    engine.dispose()
    return found


def _scalar(url: str, sql: str, **params: Any) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        value = connection.execute(text(sql), params).scalar_one()
    engine.dispose()
    return int(value)


def _list(at: AppTest) -> pd.DataFrame:
    frames = [element.value for element in at.dataframe if "rank" in element.value.columns]
    assert len(frames) == 1
    return frames[0]


def _frame_with(at: AppTest, column: str) -> pd.DataFrame:
    frames = [element.value for element in at.dataframe if column in element.value.columns]
    assert len(frames) == 1, f"one table with a {column} column"
    return frames[0]


# --- the list ---


def test_the_list_ranks_every_enterprise_by_score(demo_app_url: str, scorecards: pd.DataFrame) -> None:
    at = open_app("committee", page="scorecards")
    assert not at.exception
    assert at.title[0].value == "企业评分卡"
    shown = _list(at)
    assert len(shown) == _scalar(demo_app_url, "SELECT count(*) FROM enterprise") == len(scorecards)
    assert shown["score"].is_monotonic_decreasing
    assert shown["rank"].is_monotonic_increasing
    assert shown["rank"].iloc[0] == 1
    best = scorecards.sort_values(["score", "name"], ascending=[False, True]).iloc[0]
    assert shown["name"].iloc[0] == best["name"]
    assert shown["score"].iloc[0] == best["score"]
    # names and values are in the user's language
    assert "危险化学品" in set(shown["industry"])
    assert set(shown["loan"]) <= {"支持", "有条件支持", "不予支持"}
    assert f"显示 {len(scorecards)} / {len(scorecards)} 家企业。" in texts(at)


def test_the_list_speaks_english(scorecards: pd.DataFrame) -> None:
    at = open_app("committee", page="scorecards", language="en")
    assert not at.exception
    shown = _list(at)
    by_name = dict(zip(scorecards["name_en"].fillna(scorecards["name"]), scorecards["score"], strict=True))
    assert all(by_name[name] == score for name, score in zip(shown["name"], shown["score"], strict=True))
    assert set(shown["colour"]) <= {"Red (major)", "Orange (larger)", "Yellow (general)", "Blue (low)"}


def test_filters_narrow_the_list(scorecards: pd.DataFrame) -> None:
    at = open_app("committee", page="scorecards")
    at.multiselect(key="scorecards_grade").set_value(["C", "D"]).run()
    expected = scorecards[scorecards["grade"].isin(["C", "D"])]
    assert 0 < len(expected) < len(scorecards)
    assert len(_list(at)) == len(expected)
    assert f"显示 {len(expected)} / {len(scorecards)} 家企业。" in texts(at)

    at.multiselect(key="scorecards_colour").set_value(["red"]).run()
    expected = expected[expected["risk_colour"] == "red"]
    assert len(_list(at)) == len(expected) > 0
    assert set(_list(at)["colour"]) == {"红色(重大风险)"}

    at.multiselect(key="scorecards_colour").set_value([]).run()
    at.multiselect(key="scorecards_grade").set_value([]).run()
    industry = scorecards["industry"].value_counts().index[0]
    at.multiselect(key="scorecards_industry").set_value([industry]).run()
    at.multiselect(key="scorecards_loan").set_value(["ineligible"]).run()
    expected = scorecards[(scorecards["industry"] == industry) & (scorecards["effective_status"] == "ineligible")]
    assert len(_list(at)) == len(expected)


def test_search_finds_an_enterprise_by_name_or_credit_code(scorecards: pd.DataFrame) -> None:
    target = scorecards.iloc[len(scorecards) // 2]
    at = open_app("staff", page="scorecards")
    at.text_input(key="scorecards_search").set_value(str(target["uscc"]).lower()).run()
    assert list(_list(at)["name"]) == [target["name"]]
    at.text_input(key="scorecards_search").set_value(str(target["name"])[2:6]).run()
    expected = scorecards[scorecards["name"].str.contains(str(target["name"])[2:6], regex=False)]
    assert len(_list(at)) == len(expected) >= 1
    at.text_input(key="scorecards_search").set_value("没有这家企业").run()
    assert not at.exception
    assert "没有符合筛选条件的企业。" in [info.value for info in at.info]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_csv_export_has_the_shown_rows_and_a_header_in_the_users_language(
    scorecards: pd.DataFrame, language: str, today: date
) -> None:
    set_language(language)
    at = open_app("finance", page="scorecards", language=language)
    at.multiselect(key="scorecards_grade").set_value(["A"]).run()
    assert not at.exception
    set_language("en" if language == "zh" else "zh")  # the file is made on the click, in the page's language
    name, content = download(at, "scorecards_download")
    assert name is not None and today.isoformat() in name and name.endswith(".csv")
    assert content.startswith(b"\xef\xbb\xbf")  # a byte order mark, so Excel reads the Chinese
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    set_language(language)
    keys = ("rank", "name", "uscc", "industry", "score", "grade", "colour", "loan", "open", "overdue", "major")
    assert rows[0] == [t(f"scorecards.col.{key}") for key in keys]
    graded_a = scorecards[scorecards["grade"] == "A"]
    assert len(rows) - 1 == len(graded_a)
    assert {row[2] for row in rows[1:]} == set(graded_a["uscc"])
    if language == "zh":
        assert rows[0][:3] == ["排名", "企业名称", "统一社会信用代码"]
        assert {row[5] for row in rows[1:]} == {"A"}


# --- one enterprise's file ---


def _worst(table: pd.DataFrame) -> pd.Series:
    """The enterprise with the lowest score (it has deductions and hazards)."""
    return table.sort_values(["score", "enterprise_id"]).iloc[0]


def test_the_url_opens_an_enterprises_file(demo_app_url: str, scorecards: pd.DataFrame, today: date) -> None:
    worst = _worst(scorecards)
    enterprise_id = int(worst["enterprise_id"])
    at = open_app("committee", page="scorecards", query={"enterprise": str(enterprise_id)})
    assert not at.exception
    assert at.title[0].value == worst["name"]
    page = texts(at)
    assert worst["uscc"] in page
    assert f"综合得分 {worst['score']:.1f}" in page

    engine = make_engine(demo_app_url)
    with Session(engine) as session:
        result = evaluate_enterprise(session, enterprise_id, today, get_settings().rules)
    engine.dispose()
    deductions = at.table[0].value
    assert len(deductions) == len(result.scorecard.deductions) > 0
    lost = sum(float(points.replace("−", "")) for points in deductions["扣分"])
    assert lost == pytest.approx(100 - result.score, abs=0.01 * len(deductions))
    assert set(deductions["原因"]) == {d.reason("zh") for d in result.scorecard.deductions}
    hazard_refs = [ref.id for d in result.scorecard.deductions for ref in d.records if ref.table == "hazard"]
    for hazard_id in hazard_refs:
        assert any(f"隐患 #{hazard_id}" in records for records in deductions["相关记录"])

    hazards = _frame_with(at, "days_overdue")
    assert len(hazards) == _scalar(demo_app_url, "SELECT count(*) FROM hazard WHERE enterprise_id = :e AND "
                                   "found_on <= :d", e=enterprise_id, d=today)
    assert set(hazard_refs) <= set(hazards["id"])
    assert set(hazards["state"]) <= {"未整改", "逾期", "已整改待验收", "已验收销号"}
    inspections = _frame_with(at, "inspector")
    assert len(inspections) == _scalar(demo_app_url, "SELECT count(*) FROM inspection WHERE enterprise_id = :e "
                                       "AND inspected_on <= :d", e=enterprise_id, d=today)


def test_the_file_in_english(scorecards: pd.DataFrame) -> None:
    worst = _worst(scorecards)
    at = open_app("committee", page="scorecards", language="en", query={"enterprise": str(worst["enterprise_id"])})
    assert not at.exception
    assert at.title[0].value == (worst["name_en"] or worst["name"])
    deductions = at.table[0].value
    assert list(deductions.columns) == ["Component", "Points lost", "Reason", "Records"]
    assert "Deductions" in [header.value for header in at.subheader]


def test_an_accident_shows_its_four_not_letting_go_checklist(demo_app_url: str, today: date) -> None:
    enterprise_id = _scalar(demo_app_url, "SELECT min(enterprise_id) FROM accident WHERE occurred_on <= :d",
                            d=today)
    at = open_app("committee", page="scorecards", query={"enterprise": str(enterprise_id)})
    assert not at.exception
    accidents = _frame_with(at, "people_educated")
    assert len(accidents) == _scalar(demo_app_url, "SELECT count(*) FROM accident WHERE enterprise_id = :e AND "
                                     "occurred_on <= :d", e=enterprise_id, d=today)
    for flag in ("cause_identified", "responsibles_handled", "measures_taken", "people_educated"):
        assert set(accidents[flag]) <= {"✓", "✗"}
    assert set(accidents["level"]) <= {"一般事故", "较大事故", "重大事故", "特别重大事故"}


def test_back_returns_to_the_list_with_its_filters(scorecards: pd.DataFrame) -> None:
    at = open_app("committee", page="scorecards")
    at.multiselect(key="scorecards_grade").set_value(["B"]).run()
    graded_b = scorecards[scorecards["grade"] == "B"]
    assert len(_list(at)) == len(graded_b)
    at.query_params["enterprise"] = str(graded_b["enterprise_id"].iloc[0])
    at.run()
    assert at.title[0].value == graded_b["name"].iloc[0]
    at.button(key="scorecards_back").click().run()
    assert not at.exception
    assert "enterprise" not in at.query_params
    assert at.title[0].value == "企业评分卡"
    assert len(_list(at)) == len(graded_b)
    at.multiselect(key="scorecards_grade").set_value([]).run()
    assert len(_list(at)) == len(scorecards)


@pytest.mark.parametrize("value", ["abc", "999999", "-3"])
def test_an_unknown_enterprise_in_the_url_shows_a_warning_and_the_list(scorecards: pd.DataFrame, value: str) -> None:
    at = open_app("committee", page="scorecards", query={"enterprise": value})
    assert not at.exception
    assert [warning.value for warning in at.warning] == [f"找不到编号为“{value}”的企业,已显示企业列表。"]
    assert len(_list(at)) == len(scorecards)


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_list_and_a_file(scorecards: pd.DataFrame, role: str, language: str) -> None:
    at = open_app(role, page="scorecards", language=language)
    assert not at.exception
    assert len(_list(at)) == len(scorecards)
    enterprise = scorecards.iloc[-1]
    at = open_app(role, page="scorecards", language=language, query={"enterprise": str(enterprise["enterprise_id"])})
    assert not at.exception
    name = enterprise["name"] if language == "zh" else enterprise["name_en"] or enterprise["name"]
    assert at.title[0].value == name
    assert len(at.tabs) == 6
    page = texts(at)
    assert "scorecards." not in page and "enum." not in page

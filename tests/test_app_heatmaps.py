"""The Heatmaps page (AppTest, demo park, both backends): every role sees the four matrices, and
their counts equal the database's for the default period (the 12 months up to the as-of date)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import text
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from dashboard.db import make_engine
from dashboard.services.heatmaps import default_range
from tests.apptest import open_app

ROLES = ["admin", "committee", "finance", "staff"]
TITLES_ZH = ["各行业逐月发现隐患", "未销号隐患最多的 30 家企业(按隐患类别)", "各层级检查逐月开展情况",
             "各类隐患整改用时"]


def _scalar(url: str, sql: str, **params: Any) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(sql), params).scalar_one() or 0)
    finally:
        engine.dispose()


def _charts(at: AppTest) -> list[tuple[dict[str, Any], pd.DataFrame]]:
    charts = []
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        data = convert_arrow_bytes_to_pandas_df(chart.proto.datasets[0].data.data)
        charts.append((spec, data))
    return charts


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_four_matrices_with_the_databases_counts(demo_app_url: str, role: str, today: date) -> None:
    at = open_app(role, page="heatmaps")
    assert not at.exception
    assert at.title[0].value == "热力分析"
    assert [header.value for header in at.subheader] == TITLES_ZH
    (_, found), (_, holders), (_, inspected), (_, rectified) = _charts(at)
    start, end = default_range(today)
    assert found["hazards"].sum() == _scalar(
        demo_app_url, "SELECT count(*) FROM hazard WHERE found_on >= :s AND found_on <= :e", s=start, e=end)
    assert inspected["inspections"].sum() == _scalar(
        demo_app_url, "SELECT count(*) FROM inspection WHERE inspected_on >= :s AND inspected_on <= :e",
        s=start, e=end)
    assert rectified["hazards"].sum() == _scalar(
        demo_app_url, "SELECT count(*) FROM hazard WHERE rectified_on >= :s AND rectified_on <= :e", s=start, e=end)
    holding = _scalar(demo_app_url, """
        SELECT count(DISTINCT enterprise_id) FROM hazard WHERE found_on <= :d
        AND (verified_on IS NULL OR verified_on > :d) AND (rectified_on IS NULL OR rectified_on > :d)""", d=end)
    assert holders["row"].nunique() == min(30, holding)
    assert len(found["column"].unique()) == 12


def test_the_matrices_in_english(demo_app_url: str, today: date) -> None:
    at = open_app("committee", page="heatmaps", language="en")
    assert not at.exception
    assert at.title[0].value == "Heatmaps"
    assert at.subheader[0].value == "Hazards found by industry and month"
    (spec, found), *_ = _charts(at)
    start, _end = default_range(today)
    assert spec["layer"][0]["encoding"]["x"]["sort"][0] == f"{start:%b} {start.year}"
    assert "Hazardous chemicals" in set(found["row"])


def test_industry_filter_and_period(demo_app_url: str, today: date) -> None:
    at = open_app("committee", page="heatmaps")
    at.multiselect(key="heatmaps_industry").set_value(["hazardous_chemicals"]).run()
    period = (date(today.year - 1, 1, 1), date(today.year - 1, 6, 30))
    at.date_input(key=f"heatmaps_range_{today.isoformat()}").set_value(period).run()
    assert not at.exception
    (_, found), _, (_, inspected), _ = _charts(at)
    assert set(found["row"]) == {"危险化学品"}
    assert len(found) == 6  # January to June
    assert found["hazards"].sum() == _scalar(demo_app_url, """
        SELECT count(*) FROM hazard h JOIN enterprise e ON e.id = h.enterprise_id
        WHERE e.industry = 'hazardous_chemicals' AND h.found_on >= :s AND h.found_on <= :e""",
        s=period[0], e=period[1])
    assert inspected["inspections"].sum() == _scalar(demo_app_url, """
        SELECT count(*) FROM inspection i JOIN enterprise e ON e.id = i.enterprise_id
        WHERE e.industry = 'hazardous_chemicals' AND i.inspected_on >= :s AND i.inspected_on <= :e""",
        s=period[0], e=period[1])

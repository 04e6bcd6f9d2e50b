"""The Risk map page (AppTest, demo park, both backends): every role sees it; the deck's layers hold
as many plots, enterprises and weighted hazard points as the database; filters, toggles and the
way to a scorecard work."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import text
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from dashboard.db import make_engine
from dashboard.maps import HEAT, PLOTS, RISK_RGB, enterprise_layer_id
from dashboard.services.enterprise_table import enterprise_table
from dashboard.settings import RuleSettings
from tests.apptest import open_app, texts

ROLES = ["admin", "committee", "finance", "staff"]

# open at D (DESIGN.md 4.2): found on or before D, neither rectified nor verified at D
OPEN_AT_D = """
    FROM hazard WHERE found_on <= :d AND (verified_on IS NULL OR verified_on > :d)
    AND (rectified_on IS NULL OR rectified_on > :d)
"""


def _scalar(url: str, sql: str, **params: Any) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(sql), params).scalar_one())
    finally:
        engine.dispose()


def _enterprise_table(url: str, today: date) -> pd.DataFrame:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return enterprise_table(session, today, RuleSettings())
    finally:
        engine.dispose()


def _layers(at: AppTest) -> dict[str, list[dict[str, Any]]]:
    decks = at.get("deck_gl_json_chart")
    assert len(decks) == 1
    spec = json.loads(decks[0].proto.json)
    return {layer["id"]: layer["data"] for layer in spec["layers"]}


def _points(layers: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return [item for colour in RISK_RGB for item in layers.get(enterprise_layer_id(colour), [])]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_map_with_the_databases_counts(demo_app_url: str, role: str, today: date) -> None:
    at = open_app(role, page="risk_map")
    assert not at.exception
    assert at.title[0].value == "风险地图"
    layers = _layers(at)
    assert len(_points(layers)) == _scalar(demo_app_url, "SELECT count(*) FROM enterprise")
    assert len(layers[PLOTS]) == _scalar(demo_app_url, "SELECT count(*) FROM plot")
    assert len(layers[HEAT]) == _scalar(demo_app_url, f"SELECT count(DISTINCT enterprise_id) {OPEN_AT_D}", d=today)
    weight = _scalar(demo_app_url, f"SELECT sum(CASE WHEN severity = 'major' THEN 3 ELSE 1 END) {OPEN_AT_D}", d=today)
    assert sum(item["w"] for item in layers[HEAT]) == weight
    page = texts(at)
    total = _scalar(demo_app_url, "SELECT count(*) FROM enterprise")
    opened = _scalar(demo_app_url, f"SELECT count(*) {OPEN_AT_D}", d=today)
    assert f"显示 {total:,} / {total:,} 家企业,未销号隐患 {opened:,} 项" in page
    assert "红色(重大风险)" in page and "无企业地块" in page
    assert "打开企业评分卡" in page


def test_the_map_in_english(demo_app_url: str) -> None:
    at = open_app("committee", page="risk_map", language="en")
    assert not at.exception
    assert at.title[0].value == "Risk map"
    page = texts(at)
    assert "Red (major)" in page and "Blue (low)" in page
    total = _scalar(demo_app_url, "SELECT count(*) FROM enterprise")
    assert f"Showing {total} of {total} enterprises" in page
    assert [box.label for box in at.checkbox] == ["Plots by risk colour", "Enterprises", "Open-hazard heat",
                                                  "Park boundary"]


def test_colour_filter_leaves_only_that_colours_points(demo_app_url: str, today: date) -> None:
    at = open_app("committee", page="risk_map")
    at.multiselect(key="risk_map_colour").set_value(["red"]).run()
    assert not at.exception
    table = _enterprise_table(demo_app_url, today)
    red = table.loc[table["risk_colour"] == "red"]
    layers = _layers(at)
    assert sorted(item["i"] for item in _points(layers)) == sorted(int(i) for i in red["enterprise_id"])
    assert not layers[enterprise_layer_id("blue")]
    # the heat follows the filter; the plots keep the whole park's colours
    assert {round(item["p"][0], 5) for item in layers[HEAT]} <= {round(float(v), 5) for v in red["lon"]}
    assert len(layers[PLOTS]) == _scalar(demo_app_url, "SELECT count(*) FROM plot")


def test_industry_and_loan_filters(demo_app_url: str, today: date) -> None:
    at = open_app("finance", page="risk_map")
    at.multiselect(key="risk_map_industry").set_value(["hazardous_chemicals"]).run()
    at.multiselect(key="risk_map_loan").set_value(["ineligible"]).run()
    assert not at.exception
    table = _enterprise_table(demo_app_url, today)
    expected = table.loc[(table["industry"] == "hazardous_chemicals") & (table["effective_status"] == "ineligible")]
    assert sorted(item["i"] for item in _points(_layers(at))) == sorted(int(i) for i in expected["enterprise_id"])


def test_layer_toggles(demo_app_url: str) -> None:
    at = open_app("committee", page="risk_map")
    at.checkbox(key="risk_map_layer_hazard_heat").uncheck().run()
    at.checkbox(key="risk_map_layer_enterprises").uncheck().run()
    assert not at.exception
    assert set(_layers(at)) == {"boundary", PLOTS}


def test_choosing_an_enterprise_offers_its_scorecard(demo_app_url: str) -> None:
    at = open_app("staff", page="risk_map")
    enterprise_id = _scalar(demo_app_url, "SELECT max(id) FROM enterprise")
    at.selectbox(key="risk_map_pick").set_value(enterprise_id).run()
    assert not at.exception
    links = at.get("page_link")
    assert len(links) == 1
    assert links[0].proto.query_string == f"enterprise={enterprise_id}"
    assert links[0].proto.page.endswith("scorecards")


def test_a_past_date_draws_the_park_as_it_was(demo_app_url: str, today: date) -> None:
    day = date.fromordinal(today.toordinal() - 200)
    at = open_app("committee", page="risk_map", as_of=day)
    assert not at.exception
    heat = _layers(at)[HEAT]
    assert len(heat) == _scalar(demo_app_url, f"SELECT count(DISTINCT enterprise_id) {OPEN_AT_D}", d=day)

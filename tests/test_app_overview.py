"""The Overview page: the park's name as the title, key figures equal to the database's, the trend and
accident charts, the alerts linking to the scorecards, in both languages and for every role; and the
message on an empty database.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from dashboard.db import make_engine
from dashboard.services.enterprises import create_enterprise
from dashboard.services.permissions import SYSTEM
from dashboard.services.users import add_user
from dashboard.settings import get_settings
from models import Park
from tests.apptest import open_app, texts

USCC = "91110000600037341L"
ROLES = ("admin", "committee", "finance", "staff")


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _number(value: str) -> int:
    return int(value.replace(",", ""))


# --- a park with one enterprise ---------------------------------------------------------------------


@pytest.fixture
def app_database(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app's settings point at a fresh database holding one park and one enterprise."""
    monkeypatch.setenv("PARK_SAFETY_DATABASE_URL", db_url)
    get_settings.cache_clear()
    engine = make_engine(db_url)
    ring = [[112.0, 30.0], [112.1, 30.0], [112.1, 30.1], [112.0, 30.1], [112.0, 30.0]]
    with Session(engine) as session:
        session.add(Park(name="青山经济技术开发区", name_en="Qingshan Economic Development Zone",
                         boundary_geojson=json.dumps({"type": "Polygon", "coordinates": [ring]}),
                         center_lat=30.05, center_lon=112.05, accident_target_per_year=3))
        session.flush()
        create_enterprise(session=session, actor=SYSTEM, data={
            "uscc": USCC, "name": "青山化工有限公司", "industry": "hazardous_chemicals", "lat": 30.05, "lon": 112.05,
            "legal_rep": "王强", "safety_lead": "李明", "phone": "13800000000", "employees": 120,
        })
        add_user(session=session, actor=SYSTEM, data={"username": "committee", "display_name": "王委员",
                                                     "role": "committee", "password": "park-demo"})
        session.commit()
    engine.dispose()
    yield db_url
    get_settings.cache_clear()


def test_overview_shows_the_park_name_and_the_enterprise_count_in_chinese(app_database: str) -> None:
    at = open_app("committee")
    assert not at.exception
    assert at.title[0].value == "青山经济技术开发区"
    metrics = _metrics(at)
    assert metrics["在园企业"] == "1"
    assert metrics["未整改隐患"] == "0"
    assert metrics["宣传牌合规率"] == "0.0%"  # the one enterprise has no publicity board
    assert "目前没有逾期隐患。" in texts(at)


def test_overview_in_english_after_switching_language(app_database: str) -> None:
    at = open_app("committee")
    at.sidebar.radio[0].set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Qingshan Economic Development Zone"
    assert _metrics(at)["Enterprises"] == "1"
    # the hazardous-chemicals firm has no licence on file: one licence alert
    assert any(tab.label == "Licences (1)" for tab in at.tabs)


def test_overview_on_an_empty_database_says_how_to_seed(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARK_SAFETY_DATABASE_URL", db_url)
    get_settings.cache_clear()
    try:
        with Session(make_engine(db_url)) as session:
            add_user(session=session, actor=SYSTEM, data={"username": "committee", "display_name": "王委员",
                                                         "role": "committee", "password": "park-demo"})
            session.commit()
        at = open_app("committee")
        assert not at.exception
        assert "park-safety seed" in at.info[0].value
    finally:
        get_settings.cache_clear()


# --- the demo park ----------------------------------------------------------------------------------


def _scalar(url: str, sql: str, **params: object) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(sql), params).scalar_one())
    finally:
        engine.dispose()


def test_the_enterprise_and_overdue_figures_equal_the_database(demo_app_url: str, today: date) -> None:
    at = open_app("committee")
    assert not at.exception
    enterprises = _scalar(demo_app_url, "SELECT count(*) FROM enterprise WHERE status <> 'closed'")
    overdue = _scalar(demo_app_url, """
        SELECT count(*) FROM hazard
        WHERE found_on <= :d AND deadline < :d
          AND (rectified_on IS NULL OR rectified_on > :d) AND (verified_on IS NULL OR verified_on > :d)
    """, d=today)
    metrics = _metrics(at)
    assert _number(metrics["在园企业"]) == enterprises > 0
    assert _number(metrics["逾期隐患"]) == overdue > 0
    # the overdue tab lists exactly those hazards, the oldest deadline first, each linking to its scorecard
    assert at.tabs[0].label == f"逾期隐患（{overdue:,}）"
    table = at.dataframe[0].value
    assert len(table) == overdue
    assert table["deadline"].is_monotonic_increasing
    assert table["link"].str.fullmatch(r"scorecards\?enterprise=\d+").all()


def test_headings_and_charts_in_chinese_and_english(demo_app_url: str) -> None:
    at = open_app("committee")
    assert not at.exception
    shown = texts(at)
    for heading in ("隐患发现与销号趋势", "本年事故与控制目标", "预警提醒", "按期整改率", "信贷不予支持"):
        assert heading in shown
    assert len(at.get("vega_lite_chart")) == 2

    at = open_app("committee", language="en")
    assert not at.exception
    shown = texts(at)
    for heading in ("Hazards found and closed per month", "Accidents this year against the target", "Alerts",
                    "On-time rectification", "Not supported for loans"):
        assert heading in shown
    assert [tab.label.split(" (")[0] for tab in at.tabs] == ["Overdue hazards", "Licences", "Signs due for checking"]


@pytest.mark.parametrize("username", ROLES)
def test_every_role_sees_the_overview(demo_app_url: str, username: str) -> None:
    at = open_app(username)
    assert not at.exception
    assert at.title[0].value == _park_name(demo_app_url)
    assert len(at.metric) == 8


def _park_name(url: str) -> str:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return str(connection.execute(text("SELECT name FROM park ORDER BY id LIMIT 1")).scalar_one())
    finally:
        engine.dispose()

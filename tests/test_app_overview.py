"""The first page: the Overview shows the park's name and the record counts from the database."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlmodel import Session

from dashboard.db import make_engine
from dashboard.services.enterprises import create_enterprise
from dashboard.services.permissions import SYSTEM
from dashboard.services.users import add_user
from dashboard.settings import get_settings
from models import Park
from tests.apptest import open_app

USCC = "91110000600037341L"


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


def test_overview_shows_the_park_name_and_counts_in_chinese(app_database: str) -> None:
    at = open_app("committee")
    assert not at.exception
    assert at.title[0].value == "青山经济技术开发区"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["企业"] == "1"
    assert metrics["隐患"] == "0"


def test_overview_in_english_after_switching_language(app_database: str) -> None:
    at = open_app("committee")
    at.sidebar.radio[0].set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Qingshan Economic Development Zone"
    assert {m.label: m.value for m in at.metric}["Enterprises"] == "1"


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

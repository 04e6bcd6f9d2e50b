"""The risk map: its data (``services/map_data.py``) on hand-built records on both backends, and the
deck ``dashboard/maps.py`` builds from it (layers, colours, counts, weights, no basemap, payload size)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from dashboard.i18n import set_language
from dashboard.maps import (
    BOUNDARY,
    ENTERPRISES,
    HEAT,
    LAYERS,
    NO_ENTERPRISE_RGB,
    PLOT_ALPHA,
    PLOTS,
    RISK_RGB,
    enterprise_layer_id,
    fit_zoom,
    risk_map,
)
from dashboard.services.enterprise_table import enterprise_table
from dashboard.services.enterprises import create_enterprise
from dashboard.services.hazards import create_hazard
from dashboard.services.map_data import (
    ParkOutline,
    hazard_weights,
    outer_ring,
    park_outline,
    plot_colours,
    plots,
)
from dashboard.services.permissions import SYSTEM
from dashboard.settings import RuleSettings
from models import Park, Plot
from tests.records import (
    PARK_BOUNDARY,
    USCC_A,
    USCC_B,
    USCC_C,
    enterprise_data,
    general_hazard_data,
    major_hazard_data,
)

D = date(2026, 3, 31)


def _square(lon: float, lat: float, size: float = 0.01) -> str:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


@pytest.fixture
def small_park(engine: Engine) -> Iterator[Engine]:
    """Two plots (A-01 holds two enterprises, A-02 none), a third enterprise without a plot, and
    hazards in every state at D = 2026-03-31."""
    with Session(engine) as session:
        session.add(Park(name="临江化工园区", name_en="Linjiang Chemical Park", boundary_geojson=PARK_BOUNDARY,
                         center_lat=30.25, center_lon=120.15, accident_target_per_year=1))
        session.add(Plot(id=1, code="A-01", polygon_geojson=_square(120.14, 30.24), area_m2=1000.0))
        session.add(Plot(id=2, code="A-02", polygon_geojson=_square(120.16, 30.24), area_m2=800.0))
        session.flush()
        e1 = create_enterprise(session=session, actor=SYSTEM, data=enterprise_data(
            uscc=USCC_A, lat=30.245, lon=120.145, plot_id=1, employees=400))
        e2 = create_enterprise(session=session, actor=SYSTEM, data=enterprise_data(
            uscc=USCC_B, name="临江机械有限公司", name_en=None, industry="machinery", major_hazard_source="none",
            license_no=None, license_expires_on=None, lat=30.246, lon=120.146, plot_id=1, employees=25))
        e3 = create_enterprise(session=session, actor=SYSTEM, data=enterprise_data(
            uscc=USCC_C, name="临江纺织有限公司", industry="textiles", major_hazard_source="none", license_no=None,
            license_expires_on=None, lat=30.28, lon=120.18, employees=0))
        session.flush()
        assert (e1.id, e2.id, e3.id) == (1, 2, 3)
        for data in (
            general_hazard_data(1, found_on="2026-03-02", deadline="2026-03-16"),  # open, overdue
            major_hazard_data(1, found_on="2026-03-02", deadline="2026-04-30"),  # open
            major_hazard_data(1, found_on="2026-01-10", deadline="2026-02-28", category="electrical",
                              status="rectified", rectified_on="2026-02-01"),  # rectified, not verified: not open
            general_hazard_data(1, found_on="2026-01-05", deadline="2026-01-31", status="rectified",
                                rectified_on="2026-01-20"),  # general rectified: not open
            general_hazard_data(1, found_on="2026-04-05", deadline="2026-04-20"),  # found after D
            general_hazard_data(2, found_on="2026-02-01", deadline="2026-02-10", category="electrical",
                                status="verified", rectified_on="2026-02-08", verified_on="2026-02-09",
                                verified_by="李"),  # closed
            general_hazard_data(2, found_on="2026-03-20", deadline="2026-04-30", category="machinery",
                                status="rectified", rectified_on="2026-04-10"),  # rectified after D: open at D
        ):
            create_hazard(session=session, actor=SYSTEM, data=data)
        session.commit()
    yield engine


# --- services/map_data.py ---


def test_hazard_weights_count_open_hazards_per_enterprise_major_three_times(small_park: Engine) -> None:
    with Session(small_park) as session:
        weights = hazard_weights(session, D)
    assert weights.to_dict("records") == [
        {"enterprise_id": 1, "lat": 30.245, "lon": 120.145, "general_open": 1, "major_open": 1, "weight": 4},
        {"enterprise_id": 2, "lat": 30.246, "lon": 120.146, "general_open": 1, "major_open": 0, "weight": 1},
    ]


def test_hazard_weights_take_the_weights_given_and_the_date(small_park: Engine) -> None:
    with Session(small_park) as session:
        heavier = hazard_weights(session, D, {"general": 2, "major": 5})
        before = hazard_weights(session, date(2026, 1, 31))
    assert dict(zip(heavier["enterprise_id"], heavier["weight"], strict=True)) == {1: 7, 2: 2}
    # on 31 January only the major hazard found on 10 January is open (the general one was rectified on the 20th)
    assert before[["enterprise_id", "general_open", "major_open", "weight"]].to_dict("records") == [
        {"enterprise_id": 1, "general_open": 0, "major_open": 1, "weight": 3},
    ]


def test_hazard_weights_agree_with_the_enterprise_tables_open_hazards(small_park: Engine) -> None:
    with Session(small_park) as session:
        weights = hazard_weights(session, D).set_index("enterprise_id")
        table = enterprise_table(session, D, RuleSettings()).set_index("enterprise_id")
    opened = table.loc[table["open_hazards"] > 0, "open_hazards"]
    assert opened.to_dict() == (weights["general_open"] + weights["major_open"]).to_dict() == {1: 2, 2: 1}


def test_plots_and_their_worst_colour(small_park: Engine) -> None:
    with Session(small_park) as session:
        plot_table = plots(session)
        outline = park_outline(session)
        table = enterprise_table(session, D, RuleSettings())
    assert list(plot_table["code"]) == ["A-01", "A-02"]
    assert plot_table.loc[0, "ring"][0] == [120.14, 30.24]
    assert outline is not None and outline.extent == (120.10, 30.20, 120.20, 30.30)
    coloured = plot_colours(plot_table, table).set_index("code")
    colours = dict(zip(table["enterprise_id"], table["risk_colour"], strict=True))
    assert colours[1] == "red"  # a major hazard not verified
    assert coloured.loc["A-01", "risk_colour"] == "red"
    assert coloured.loc["A-01", "enterprises"] == 2
    assert coloured.loc["A-01", "open_hazards"] == 3
    assert coloured.loc["A-02", "risk_colour"] is None
    assert coloured.loc["A-02", "enterprises"] == 0


def test_plot_colour_is_the_worst_of_its_enterprises() -> None:
    plot_table = pd.DataFrame({"plot_id": [1, 2, 3], "code": ["A", "B", "C"], "ring": [[], [], []],
                               "area_m2": [1.0, 1.0, 1.0]})
    enterprises = pd.DataFrame({"plot_id": [1, 1, 1, 2, None], "risk_colour": ["blue", "orange", "yellow", "blue",
                                                                              "red"],
                                "open_hazards": [0, 2, 1, 0, 5]})
    coloured = plot_colours(plot_table, enterprises)
    assert list(coloured["risk_colour"]) == ["orange", "blue", None]
    assert list(coloured["enterprises"]) == [3, 1, 0]
    assert list(coloured["open_hazards"]) == [3, 0, 0]


def test_outer_ring_of_polygon_and_multipolygon() -> None:
    ring = [[1.0, 2.0], [3.0, 2.0], [3.0, 4.0], [1.0, 2.0]]
    assert outer_ring(json.dumps({"type": "Polygon", "coordinates": [ring]})) == ring
    assert outer_ring(json.dumps({"type": "MultiPolygon", "coordinates": [[ring]]})) == ring


# --- dashboard/maps.py ---

OUTLINE = ParkOutline(name="临江化工园区", name_en="Linjiang Chemical Park", center_lat=30.25, center_lon=120.15,
                      ring=[[120.1, 30.2], [120.2, 30.2], [120.2, 30.3], [120.1, 30.3], [120.1, 30.2]])


def _enterprises() -> pd.DataFrame:
    return pd.DataFrame({
        "enterprise_id": [1, 2, 3, 4], "name": ["甲化工有限公司", "乙机械有限公司", "丙纺织有限公司", "丁物流有限公司"],
        "name_en": ["Jia Chemicals", None, "Bing Textiles", "Ding Logistics"],
        "lat": [30.2512345678, 30.26, 30.27, 30.28], "lon": [120.1498765432, 120.16, 120.17, 120.18],
        "employees": [400, 25, 0, 100], "risk_colour": ["red", "blue", "blue", "yellow"],
        "score": [52.4, 95.0, 88.0, 70.0], "grade": ["D", "A", "B", "C"], "open_hazards": [3, 0, 1, 2],
        "plot_id": [1, 1, 2, None],
    })


def _plots() -> pd.DataFrame:
    rings = [json.loads(_square(120.14, 30.24))["coordinates"][0], json.loads(_square(120.16, 30.24))["coordinates"][0],
             json.loads(_square(120.18, 30.24))["coordinates"][0]]
    return plot_colours(pd.DataFrame({"plot_id": [1, 2, 3], "code": ["A-01", "A-02", "A-03"], "ring": rings,
                                      "area_m2": [1.0, 1.0, 1.0]}), _enterprises())


def _weights() -> pd.DataFrame:
    return pd.DataFrame({"enterprise_id": [1, 3, 4], "lat": [30.25, 30.27, 30.28], "lon": [120.15, 120.17, 120.18],
                         "general_open": [0, 1, 2], "major_open": [1, 0, 0], "weight": [3, 1, 2]})


def _spec(**kwargs: object) -> dict:
    deck = risk_map(OUTLINE, _plots(), _enterprises(), _weights(), **kwargs)  # type: ignore[arg-type]
    return json.loads(deck.to_json())


def _layers(spec: dict) -> dict[str, dict]:
    return {layer["id"]: layer for layer in spec["layers"]}


def test_the_deck_has_every_layer_and_no_basemap() -> None:
    spec = _spec()
    layers = _layers(spec)
    assert list(layers) == [BOUNDARY, PLOTS, HEAT, *(enterprise_layer_id(c) for c in ("blue", "yellow", "orange",
                                                                                        "red"))]
    assert layers[PLOTS]["@@type"] == "PolygonLayer"
    assert layers[HEAT]["@@type"] == "HeatmapLayer"
    assert layers[enterprise_layer_id("red")]["@@type"] == "ScatterplotLayer"
    # no map provider, and the style sentinel that tells Streamlit to draw no basemap (no tiles fetched)
    assert "mapProvider" not in spec
    assert spec["mapStyle"] == "__MAP_STYLE__"
    assert "cartocdn" not in json.dumps(spec) and "mapbox" not in json.dumps(spec)


def test_plots_are_filled_with_the_worst_colour_of_their_enterprises() -> None:
    plots_layer = _layers(_spec())[PLOTS]
    fills = {item["n"]: item["c"] for item in plots_layer["data"]}
    assert fills == {"地块 A-01": [*RISK_RGB["red"], PLOT_ALPHA], "地块 A-02": [*RISK_RGB["blue"], PLOT_ALPHA],
                     "地块 A-03": [*NO_ENTERPRISE_RGB, PLOT_ALPHA]}
    assert plots_layer["getFillColor"] == "@@=c"
    assert [item["b"] for item in plots_layer["data"]] == ["红色(重大风险)", "蓝色(低风险)", "无企业"]


def test_points_one_per_enterprise_in_the_layer_of_its_colour() -> None:
    layers = _layers(_spec())
    ids = {colour: [item["i"] for item in layers[enterprise_layer_id(colour)]["data"]] for colour in RISK_RGB}
    assert ids == {"red": [1], "orange": [], "yellow": [4], "blue": [2, 3]}
    assert layers[enterprise_layer_id("red")]["getFillColor"][:3] == list(RISK_RGB["red"])
    red = layers[enterprise_layer_id("red")]["data"][0]
    assert red["p"] == [120.14988, 30.25123]  # rounded to 5 decimals
    assert red["n"] == "甲化工有限公司"
    assert red["a"] == "评分 52.4 · 等级 D"
    assert red["b"] == "红色(重大风险)" and red["h"] == 3
    # bigger firms draw bigger points
    radius = {item["i"]: item["r"] for colour in RISK_RGB for item in layers[enterprise_layer_id(colour)]["data"]}
    assert radius[1] > radius[4] > radius[2] > radius[3]


def test_points_after_filters_and_names_in_english() -> None:
    set_language("en")
    shown = _enterprises().query("risk_colour == 'blue'")
    deck = risk_map(OUTLINE, _plots(), shown, _weights(), LAYERS)
    layers = _layers(json.loads(deck.to_json()))
    points = [item for colour in RISK_RGB for item in layers[enterprise_layer_id(colour)]["data"]]
    assert len(points) == len(shown) == 2
    assert {item["n"] for item in points} == {"乙机械有限公司", "Bing Textiles"}  # no English name: the Chinese one
    assert json.loads(deck.to_json())["layers"][1]["data"][0]["n"] == "Plot A-01"


def test_heat_points_carry_the_severity_weights() -> None:
    heat = _layers(_spec())[HEAT]
    assert heat["getWeight"] == "@@=w"
    assert [(item["p"], item["w"]) for item in heat["data"]] == [
        ([120.15, 30.25], 3), ([120.17, 30.27], 1), ([120.18, 30.28], 2)]
    assert sum(item["w"] for item in heat["data"]) == int(_weights()["weight"].sum())


def test_layer_toggles_leave_layers_out() -> None:
    spec = _spec(visible={PLOTS, HEAT})
    assert [layer["id"] for layer in spec["layers"]] == [PLOTS, HEAT]
    assert not [layer for layer in spec["layers"] if layer["id"].startswith(ENTERPRISES)]


def test_tooltip_names_every_line_in_the_users_language() -> None:
    deck = risk_map(OUTLINE, _plots(), _enterprises(), _weights())
    assert deck._tooltip["html"] == "<b>{n}</b><br/>{a}<br/>风险颜色:{b}<br/>未销号隐患 {h} 项"
    set_language("en")
    deck = risk_map(OUTLINE, _plots(), _enterprises(), _weights())
    assert deck._tooltip["html"] == "<b>{n}</b><br/>{a}<br/>Risk colour: {b}<br/>Open hazards: {h}"


def test_the_view_is_centred_on_the_park_and_fits_it() -> None:
    view = _spec()["initialViewState"]
    assert (view["latitude"], view["longitude"]) == (30.25, 120.15)
    assert view["zoom"] == fit_zoom(OUTLINE.extent)
    # a flat park twice as wide needs one zoom level less; a square one is bound by the map's height
    assert abs(fit_zoom((120.1, 30.25, 120.2, 30.26)) - fit_zoom((120.0, 30.25, 120.2, 30.26)) - 1) < 0.01
    assert fit_zoom((120.1, 30.2, 120.2, 30.3)) < fit_zoom((120.1, 30.25, 120.2, 30.26))


# --- payload size at county scale, measured on the demo park ---


@pytest.fixture(scope="module")
def demo_engine(demo_app_url: str) -> Iterator[Engine]:
    from dashboard.db import make_engine

    engine = make_engine(demo_app_url)
    yield engine
    engine.dispose()


def test_payload_per_enterprise_keeps_a_county_under_five_megabytes(demo_engine: Engine, today: date) -> None:
    """20,000 enterprises must stay under 5 MB: the bytes each enterprise adds (its point and its heat)
    times 20,000, plus the fixed part (boundary, plots), stays under 5,000,000."""
    with Session(demo_engine) as session:
        table = enterprise_table(session, today, RuleSettings())
        outline = park_outline(session)
        plot_table = plot_colours(plots(session), table)
        weights = hazard_weights(session, today)
    assert outline is not None and len(table) >= 100
    whole = len(risk_map(outline, plot_table, table, weights).to_json().encode())
    fixed = len(risk_map(outline, plot_table, table.iloc[0:0], weights.iloc[0:0]).to_json().encode())
    per_enterprise = (whole - fixed) / len(table)
    assert per_enterprise < 220
    assert fixed + 20_000 * per_enterprise < 5_000_000


def test_demo_park_deck_counts_equal_the_database(demo_engine: Engine, today: date) -> None:
    with Session(demo_engine) as session:
        table = enterprise_table(session, today, RuleSettings())
        outline = park_outline(session)
        deck = risk_map(outline, plot_colours(plots(session), table), table, hazard_weights(session, today))  # type: ignore[arg-type]
        counts = session.execute(text("SELECT (SELECT count(*) FROM enterprise), (SELECT count(*) FROM plot)")).one()
    layers = _layers(json.loads(deck.to_json()))
    assert sum(len(layers[enterprise_layer_id(c)]["data"]) for c in RISK_RGB) == counts[0]
    assert len(layers[PLOTS]["data"]) == counts[1]

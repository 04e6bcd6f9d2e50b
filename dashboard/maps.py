"""The risk map: DataFrames in, a ``pydeck.Deck`` out (never drawn here).

No basemap (``map_provider=None``): the map draws the park's own site plan, so nothing is fetched
from the internet. Layers, bottom to top: the park boundary, the plots filled with the worst
four-colour risk of their enterprises (grey without enterprises), the heat of open hazards
weighted by severity (one weighted point per enterprise), and the enterprises as points sized
by their headcount and coloured by their risk.

The browser payload is kept small for a county of 20,000 enterprises: the points are split into one
layer per colour (the colour is the layer's, not each point's), each point carries only short keys
(``i`` id, ``p`` position rounded to 5 decimals (about 1 m), ``r`` radius, and the tooltip's values
``n`` name, ``a`` score and grade, ``b`` colour name, ``h`` open hazards, in the user's language;
the labels are in the tooltip's template), and the JSON is written compactly (:class:`CompactDeck`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection
from typing import Any
from weakref import WeakKeyDictionary

import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from dashboard.i18n import format_int, format_number, label, name_in_language, t
from dashboard.services.map_data import ParkOutline

RISK_RGB: dict[str, tuple[int, int, int]] = {
    "red": (220, 38, 38),
    "orange": (245, 124, 0),
    "yellow": (234, 179, 8),
    "blue": (37, 99, 235),
}
NO_ENTERPRISE_RGB: tuple[int, int, int] = (160, 166, 178)
PLOT_ALPHA = 140
POINT_ALPHA = 235
# the heat in purples, apart from the four risk colours (ColorBrewer RdPu)
HEAT_COLOURS = [[252, 197, 192], [250, 159, 181], [247, 104, 161], [221, 52, 151], [174, 1, 126], [122, 1, 119]]

BOUNDARY, PLOTS, HEAT, ENTERPRISES = "boundary", "plots", "hazard_heat", "enterprises"
LAYERS: tuple[str, ...] = (BOUNDARY, PLOTS, HEAT, ENTERPRISES)
DECIMALS = 5
MAP_HEIGHT = 620
FIT_WIDTH = 1000  # the map's width in pixels assumed when fitting the park into view

# the tooltip: the labels live in the template, so each object carries only its values
TOOLTIP_STYLE = {"backgroundColor": "rgba(30, 35, 45, 0.92)", "color": "#f5f6f8", "fontSize": "13px",
                 "padding": "8px 10px", "borderRadius": "4px"}


_JSON: WeakKeyDictionary[CompactDeck, str] = WeakKeyDictionary()


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation and keeps Chinese as UTF-8 (a third of pydeck's default size).

    The JSON is made once per deck: a deck is not changed after it is built, and a cached one is drawn
    on every rerun (several megabytes at county scale)."""

    def to_json(self) -> str:
        made = _JSON.get(self)
        if made is None:
            made = json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"),
                              ensure_ascii=False)
            _JSON[self] = made
        return made


def tooltip_html() -> str:
    """The tooltip of plots and enterprises alike: name, then score and grade (or the plot's enterprise
    count), the risk colour and the open hazards."""
    return (f"<b>{{n}}</b><br/>{{a}}<br/>{t('risk_map.tip_colour')}{{b}}<br/>"
            f"{t('risk_map.tip_open', count='{h}')}")


def fit_zoom(extent: tuple[float, float, float, float], width: int = FIT_WIDTH, height: int = MAP_HEIGHT) -> float:
    """The web-mercator zoom at which the extent (min_lon, min_lat, max_lon, max_lat) fills the view, with a margin."""
    min_lon, min_lat, max_lon, max_lat = extent
    span_lon = max(max_lon - min_lon, 1e-6)

    def mercator(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    span_y = max(abs(mercator(max_lat) - mercator(min_lat)), 1e-9)
    # deck.gl's web-mercator world is 512 pixels wide at zoom 0
    by_width = math.log2(width * 360 / (512 * span_lon))
    by_height = math.log2(height * 2 * math.pi / (512 * span_y))
    return round(max(1.0, min(20.0, min(by_width, by_height) - 0.1)), 2)


def _ring(ring: list[list[float]]) -> list[list[float]]:
    return [[round(lon, DECIMALS), round(lat, DECIMALS)] for lon, lat in ring]


def _rgba(colour: str | None, alpha: int) -> list[int]:
    rgb = RISK_RGB.get(colour or "", NO_ENTERPRISE_RGB)
    return [*rgb, alpha]


def point_radius(employees: int) -> int:
    """A point's radius in metres: grows with the square root of the headcount."""
    return round(6 + 1.2 * math.sqrt(max(int(employees), 0)))


def enterprise_layer_id(colour: str) -> str:
    """The id of the points layer of one risk colour (``enterprises_red``)."""
    return f"{ENTERPRISES}_{colour}"


def enterprise_points(enterprises: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """The points layers' data by risk colour: one small object per enterprise, tooltip lines in the
    user's language. Every colour is a key, possibly with no points."""
    points: dict[str, list[dict[str, Any]]] = {colour: [] for colour in RISK_RGB}
    if enterprises.empty:
        return points
    colours = {colour: label("risk_colour", colour) for colour in RISK_RGB}
    names = [name_in_language(name, name_en) for name, name_en in zip(enterprises["name"], enterprises["name_en"],
                                                                   strict=True)]
    for enterprise_id, lon, lat, employees, colour, name, score, grade, open_hazards in zip(
        enterprises["enterprise_id"], enterprises["lon"], enterprises["lat"], enterprises["employees"],
        enterprises["risk_colour"], names, enterprises["score"], enterprises["grade"], enterprises["open_hazards"],
        strict=True,
    ):
        points.setdefault(colour, []).append({
            "i": int(enterprise_id),
            "p": [round(float(lon), DECIMALS), round(float(lat), DECIMALS)],
            "r": point_radius(employees),
            "n": name,
            "a": t("risk_map.tip_score", score=format_number(float(score)), grade=grade),
            "b": colours.get(colour, str(colour)),
            "h": int(open_hazards),
        })
    return points


def plot_polygons(plots: pd.DataFrame) -> list[dict[str, Any]]:
    """The plots layer's data: ring, fill colour and tooltip lines (``plots`` from ``plot_colours``)."""
    return [
        {
            "polygon": _ring(ring),
            "c": _rgba(colour, PLOT_ALPHA),
            "n": t("risk_map.tip_plot", code=code),
            "a": t("risk_map.tip_plot_enterprises", count=format_int(int(count))),
            "b": label("risk_colour", colour) if colour else t("risk_map.no_enterprises"),
            "h": int(open_hazards),
        }
        for code, ring, colour, count, open_hazards in zip(
            plots["code"], plots["ring"], plots["risk_colour"], plots["enterprises"], plots["open_hazards"],
            strict=True,
        )
    ]


def heat_points(weights: pd.DataFrame) -> list[dict[str, Any]]:
    """The heat layer's data: one weighted point per enterprise with open hazards."""
    return [
        {"p": [round(float(lon), DECIMALS), round(float(lat), DECIMALS)], "w": int(weight)}
        for lon, lat, weight in zip(weights["lon"], weights["lat"], weights["weight"], strict=True)
        if weight > 0
    ]


def risk_map(
    outline: ParkOutline,
    plots: pd.DataFrame,
    enterprises: pd.DataFrame,
    weights: pd.DataFrame,
    visible: Collection[str] = LAYERS,
) -> CompactDeck:
    """The park's risk map.

    ``plots`` comes from ``map_data.plot_colours``; ``enterprises`` is (a filtered part of) the
    enterprise table; ``weights`` is ``map_data.hazard_weights`` for the same enterprises;
    ``visible`` names the layers to draw (:data:`LAYERS`).
    """
    layers: list[pdk.Layer] = []
    if BOUNDARY in visible and outline.ring:
        layers.append(pdk.Layer(
            "PolygonLayer", id=BOUNDARY, data=[{"polygon": _ring(outline.ring)}], get_polygon="polygon",
            get_fill_color=[236, 239, 244, 120], get_line_color=[55, 65, 81, 255], line_width_min_pixels=2,
            stroked=True, filled=True, pickable=False,
        ))
    if PLOTS in visible:
        layers.append(pdk.Layer(
            "PolygonLayer", id=PLOTS, data=plot_polygons(plots), get_polygon="polygon", get_fill_color="c",
            get_line_color=[255, 255, 255, 230], line_width_min_pixels=1, stroked=True, filled=True,
            pickable=True, auto_highlight=True,
        ))
    if HEAT in visible:
        layers.append(pdk.Layer(
            "HeatmapLayer", id=HEAT, data=heat_points(weights), get_position="p", get_weight="w",
            radius_pixels=70, intensity=2, threshold=0.06, aggregation="SUM", color_range=HEAT_COLOURS,
            opacity=0.8, pickable=False,
        ))
    if ENTERPRISES in visible:
        points = enterprise_points(enterprises)
        for colour in reversed(RISK_RGB):  # red drawn last, on top
            layers.append(pdk.Layer(
                "ScatterplotLayer", id=enterprise_layer_id(colour), data=points[colour], get_position="p",
                get_radius="r", radius_units="meters", radius_min_pixels=3, radius_max_pixels=14,
                get_fill_color=[*RISK_RGB[colour], POINT_ALPHA], get_line_color=[255, 255, 255, 255],
                line_width_min_pixels=1, stroked=True, filled=True, pickable=True, auto_highlight=True,
            ))
    view = pdk.ViewState(latitude=round(outline.center_lat, DECIMALS), longitude=round(outline.center_lon, DECIMALS),
                         zoom=fit_zoom(outline.extent) if outline.ring else 14, pitch=0, bearing=0)
    return CompactDeck(
        # map_provider=None keeps pydeck's map_style sentinel, which tells Streamlit to draw no basemap
        # (a map_style of None would make it fetch Carto tiles)
        layers=layers, initial_view_state=view, map_provider=None,
        tooltip={"html": tooltip_html(), "style": TOOLTIP_STYLE},
    )

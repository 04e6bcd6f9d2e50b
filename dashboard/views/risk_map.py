"""The risk map page's pieces: cached reads, filters, layer toggles, the legend and the way to a scorecard."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

import pandas as pd
import streamlit as st
from sqlmodel import Session

from dashboard.i18n import current_language, format_int, label, name_in_language, t
from dashboard.maps import (
    BOUNDARY,
    ENTERPRISES,
    HEAT,
    HEAT_COLOURS,
    LAYERS,
    NO_ENTERPRISE_RGB,
    PLOTS,
    RISK_RGB,
    CompactDeck,
    risk_map,
)
from dashboard.navigation import PAGES
from dashboard.services.map_data import (
    COLOUR_ORDER,
    ParkOutline,
    hazard_weights,
    park_outline,
    plot_colours,
    plots,
)
from dashboard.views.data import database_key, engine, load_enterprise_table
from models.enums import Industry

LOAN_STATUSES = ("eligible", "conditional", "ineligible")
SELECTION_KEY = "risk_map_selection"
OPENED_KEY = "_risk_map_opened"
SCORECARDS = next(page for page in PAGES if page.key == "scorecards")


# --- cached reads ---


@st.cache_data(show_spinner=False, max_entries=4)
def _outline(url: str, revision: int) -> ParkOutline | None:
    with Session(engine()) as session:
        return park_outline(session)


def load_outline() -> ParkOutline | None:
    """The park's outline (None before a park is set up)."""
    return _outline(*database_key())


@st.cache_data(show_spinner=False, max_entries=4)
def _plots(url: str, revision: int) -> pd.DataFrame:
    with Session(engine()) as session:
        return plots(session)


def load_plots() -> pd.DataFrame:
    """Every plot with its ring."""
    return _plots(*database_key())


@st.cache_data(show_spinner=False, max_entries=8)
def _weights(url: str, revision: int, as_of: date) -> pd.DataFrame:
    with Session(engine()) as session:
        return hazard_weights(session, as_of)


def load_hazard_weights(as_of: date) -> pd.DataFrame:
    """Per enterprise with open hazards at ``as_of``: its place and the severity-weighted count."""
    return _weights(*database_key(), as_of)


# --- filters and toggles ---


@dataclass(frozen=True)
class MapFilters:
    industries: tuple[str, ...] = ()
    colours: tuple[str, ...] = ()
    loan_statuses: tuple[str, ...] = ()

    def apply(self, table: pd.DataFrame) -> pd.DataFrame:
        """The enterprises that pass every filter (an empty filter lets everything pass)."""
        keep = pd.Series(True, index=table.index)
        if self.industries:
            keep &= table["industry"].isin(self.industries)
        if self.colours:
            keep &= table["risk_colour"].isin(self.colours)
        if self.loan_statuses:
            keep &= table["effective_status"].isin(self.loan_statuses)
        return table.loc[keep]


def filter_widgets(table: pd.DataFrame) -> MapFilters:
    """Industry, colour and loan-status multiselects (empty means all)."""
    present = set(table["industry"])
    industries = [industry.value for industry in Industry if industry.value in present]
    left, middle, right = st.columns(3)
    chosen_industries = left.multiselect(t("risk_map.filter_industry"), industries, key="risk_map_industry",
                                         format_func=lambda value: label("industry", value),
                                         placeholder=t("risk_map.all"))
    chosen_colours = middle.multiselect(t("risk_map.filter_colour"), list(COLOUR_ORDER), key="risk_map_colour",
                                        format_func=lambda value: label("risk_colour", value),
                                        placeholder=t("risk_map.all"))
    chosen_statuses = right.multiselect(t("risk_map.filter_loan"), list(LOAN_STATUSES), key="risk_map_loan",
                                        format_func=lambda value: label("loan_status", value),
                                        placeholder=t("risk_map.all"), help=t("risk_map.filter_loan_help"))
    return MapFilters(tuple(chosen_industries), tuple(chosen_colours), tuple(chosen_statuses))


def layer_toggles() -> set[str]:
    """One checkbox per layer; the names of the layers switched on."""
    visible: set[str] = set()
    for column, layer in zip(st.columns(len(LAYERS)), (PLOTS, ENTERPRISES, HEAT, BOUNDARY), strict=True):
        if column.checkbox(t(f"risk_map.layer_{layer}"), value=True, key=f"risk_map_layer_{layer}"):
            visible.add(layer)
    return visible


def weights_for(weights: pd.DataFrame, enterprises: pd.DataFrame) -> pd.DataFrame:
    """The hazard weights of the enterprises shown."""
    return weights.loc[weights["enterprise_id"].isin(enterprises["enterprise_id"])]


# --- legend ---


def _chip(rgb: Sequence[int], text: str, count: str | None = None,
          gradient: Sequence[Sequence[int]] | None = None) -> str:
    fill = f"rgb({rgb[0]},{rgb[1]},{rgb[2]})"
    if gradient:
        fill = "linear-gradient(to right," + ",".join(f"rgb({c[0]},{c[1]},{c[2]})" for c in gradient) + ")"
    width = "2.4rem" if gradient else "0.9rem"
    swatch = (f"<span style='display:inline-block;width:{width};height:0.9rem;border-radius:3px;"
              f"vertical-align:-0.12rem;margin-right:0.35rem;background:{fill}'></span>")
    number = f" <b>{escape(count)}</b>" if count is not None else ""
    return f"<span style='white-space:nowrap;margin-right:1.4rem'>{swatch}{escape(text)}{number}</span>"


def legend(shown: pd.DataFrame) -> None:
    """The four colours in the user's language with how many of the shown enterprises have each."""
    counts = shown["risk_colour"].value_counts()
    chips = [_chip(RISK_RGB[colour], label("risk_colour", colour), format_int(int(counts.get(colour, 0))))
             for colour in COLOUR_ORDER]
    chips.append(_chip(NO_ENTERPRISE_RGB, t("risk_map.legend_empty_plot")))
    chips.append(_chip(HEAT_COLOURS[0], t("risk_map.legend_heat"), gradient=HEAT_COLOURS))
    st.markdown(f"<div style='line-height:2'>{''.join(chips)}</div>", unsafe_allow_html=True)


# --- to the scorecard ---


def scorecards_available() -> bool:
    return SCORECARDS.path.exists()


def _query(enterprise_id: int) -> dict[str, str]:
    query = {"enterprise": str(enterprise_id)}
    language = st.query_params.get("lang")
    if language:
        query["lang"] = str(language)
    return query


def selected_enterprise(event: Mapping[str, Any] | None) -> int | None:
    """The id of the enterprise picked on the map, if a point of the enterprises layer is selected."""
    if not event:
        return None
    selection = event.get("selection") or {}
    for layer, objects in (selection.get("objects") or {}).items():
        if not str(layer).startswith(ENTERPRISES):
            continue
        for item in objects or []:
            if isinstance(item, Mapping) and item.get("i") is not None:
                return int(item["i"])
    return None


def open_picked(enterprise_id: int | None) -> None:
    """Open the scorecard of the enterprise picked on the map (once per pick)."""
    if enterprise_id is None:
        st.session_state.pop(OPENED_KEY, None)
        return
    if st.session_state.get(OPENED_KEY) == enterprise_id or not scorecards_available():
        return
    st.session_state[OPENED_KEY] = enterprise_id
    st.switch_page(SCORECARDS.path, query_params=_query(enterprise_id))


def picker_names(shown: pd.DataFrame) -> dict[int, str]:
    """The shown enterprises' names and scores, lowest score first (name and score only: at county scale the
    list holds 20,000 names)."""
    ranked = shown.sort_values(["score", "name"], ascending=[True, True], kind="stable")
    return {
        int(enterprise_id): f"{name_in_language(str(name), name_en)} · {score:.1f}"
        for enterprise_id, name, name_en, score in zip(
            ranked["enterprise_id"], ranked["name"], ranked["name_en"], ranked["score"], strict=True,
        )
    }


@dataclass(frozen=True)
class DrawnMap:
    """What the page draws for one choice of filters and layers: the enterprises shown, the deck (its JSON
    made once) and the picker's names."""

    shown: pd.DataFrame
    deck: CompactDeck
    names: dict[int, str]


@st.cache_resource(show_spinner=False, max_entries=16)
def _drawn(url: str, revision: int, as_of: date, filters: MapFilters, visible: tuple[str, ...],
           language: str) -> DrawnMap:
    table = load_enterprise_table(as_of)
    shown = filters.apply(table)
    weights = weights_for(load_hazard_weights(as_of), shown)
    outline = load_outline()
    assert outline is not None  # the page stops before the map when there is no park
    deck = risk_map(outline, plot_colours(load_plots(), table), shown, weights, set(visible))
    return DrawnMap(shown, deck, picker_names(shown))


def drawn_map(as_of: date, filters: MapFilters, visible: set[str]) -> DrawnMap:
    """The map for these filters and layers, built once per data revision, date and language for every
    session (read-only)."""
    return _drawn(*database_key(), as_of, filters, tuple(sorted(visible)), current_language())


def scorecard_picker(names: dict[int, str]) -> None:
    """A searchable list of the shown enterprises with their scores (lowest first) and a link to the chosen
    one's scorecard."""
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    chosen = left.selectbox(t("risk_map.pick"), list(names), index=None, format_func=names.__getitem__,
                            placeholder=t("risk_map.pick_placeholder"), key="risk_map_pick")
    if chosen is None:
        return
    if scorecards_available():
        right.page_link(SCORECARDS.path, label=t("risk_map.open_scorecard"), icon=":material/open_in_new:",
                        query_params=_query(int(chosen)))
    else:
        right.caption(t("risk_map.scorecards_missing"))

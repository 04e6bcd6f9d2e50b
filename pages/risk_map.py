"""Risk map 风险地图: the park's site plan in the four risk colours, enterprises, and the heat of open hazards."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import format_date, format_int, t
from dashboard.maps import MAP_HEIGHT, risk_map
from dashboard.services.map_data import SEVERITY_WEIGHTS, plot_colours
from dashboard.views.context import as_of
from dashboard.views.data import load_enterprise_table
from dashboard.views.risk_map import (
    SELECTION_KEY,
    filter_widgets,
    layer_toggles,
    legend,
    load_hazard_weights,
    load_outline,
    load_plots,
    open_picked,
    scorecard_picker,
    selected_enterprise,
    weights_for,
)

st.title(t("page.risk_map"))
outline = load_outline()
if outline is None:
    st.info(t("risk_map.no_park"))
    st.stop()

day = as_of()
table = load_enterprise_table(day)
st.caption(t("risk_map.caption", date=format_date(day)))

shown = filter_widgets(table).apply(table)
visible = layer_toggles()
legend(shown)

weights = weights_for(load_hazard_weights(day), shown)
deck = risk_map(outline, plot_colours(load_plots(), table), shown, weights, visible)
event = st.pydeck_chart(deck, on_select="rerun", selection_mode="single-object", key=SELECTION_KEY,
                        height=MAP_HEIGHT, alt=t("risk_map.alt"))
open_picked(selected_enterprise(event))

st.caption(t("risk_map.shown", shown=format_int(len(shown)), total=format_int(len(table)),
             hazards=format_int(int(shown["open_hazards"].sum())),
             major=SEVERITY_WEIGHTS["major"], general=SEVERITY_WEIGHTS["general"]))
st.caption(t("risk_map.how_to"))

st.subheader(t("risk_map.scorecard_heading"))
scorecard_picker(shown)

"""Risk map 风险地图: the park's site plan in the four risk colours, enterprises, and the heat of open hazards."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import format_date, format_int, t
from dashboard.maps import MAP_HEIGHT
from dashboard.services.map_data import SEVERITY_WEIGHTS
from dashboard.views.context import as_of
from dashboard.views.data import load_enterprise_table
from dashboard.views.risk_map import (
    SELECTION_KEY,
    drawn_map,
    filter_widgets,
    layer_toggles,
    legend,
    load_outline,
    open_picked,
    scorecard_picker,
    selected_enterprise,
)

st.title(t("page.risk_map"))
outline = load_outline()
if outline is None:
    st.info(t("risk_map.no_park"))
    st.stop()

day = as_of()
table = load_enterprise_table(day)
st.caption(t("risk_map.caption", date=format_date(day)))

filters = filter_widgets(table)
visible = layer_toggles()
legend(filters.apply(table))

drawn = drawn_map(day, filters, visible)
shown = drawn.shown
event = st.pydeck_chart(drawn.deck, on_select="rerun", selection_mode="single-object", key=SELECTION_KEY,
                        height=MAP_HEIGHT, alt=t("risk_map.alt"))
open_picked(selected_enterprise(event))

st.caption(t("risk_map.shown", shown=format_int(len(shown)), total=format_int(len(table)),
             hazards=format_int(int(shown["open_hazards"].sum())),
             major=SEVERITY_WEIGHTS["major"], general=SEVERITY_WEIGHTS["general"]))
st.caption(t("risk_map.how_to"))

st.subheader(t("risk_map.scorecard_heading"))
scorecard_picker(drawn.names)

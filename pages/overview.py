"""Overview 总览: the park at a glance on the as-of date — key figures, the hazard trend, accidents
against the target, and the alerts that need attention."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import name_in_language, t
from dashboard.views.context import as_of
from dashboard.views.data import load_park_summary
from dashboard.views.overview import (
    accidents_section,
    alerts_panel,
    caption_line,
    kpi_row,
    load_overview,
    records_expander,
    trend_section,
)

summary = load_park_summary()

if summary.name is None:
    st.title(t("app.title"))
    st.info(t("overview.no_park"))
    st.stop()

overview = load_overview(as_of())
st.title(name_in_language(summary.name, summary.name_en))
st.caption(caption_line(overview.as_of, overview.kpis.previous.on))

kpi_row(overview.kpis)

trend, accidents = st.columns([3, 2], gap="large")
with trend:
    trend_section(overview)
with accidents:
    accidents_section(overview)

alerts_panel(overview)
records_expander(summary)

"""Overview 总览: the park at a glance."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import current_language, format_int, t
from dashboard.views.data import load_park_summary

summary = load_park_summary()

if summary.name is None:
    st.title(t("app.title"))
    st.info(t("overview.no_park"))
    st.stop()

title = summary.name if current_language() == "zh" else (summary.name_en or summary.name)
st.title(title)
st.caption(f"{t('app.title')} · {summary.name_en if current_language() == 'zh' else summary.name}")
if summary.accident_target_per_year is not None:
    st.caption(t("overview.target", target=summary.accident_target_per_year))

st.subheader(t("overview.records"))
tables = list(summary.counts)
for start in range(0, len(tables), 4):
    for column, table in zip(st.columns(4), tables[start:start + 4], strict=False):
        column.metric(t(f"table.{table}"), format_int(summary.counts[table]))

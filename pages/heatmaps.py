"""Heatmaps 热力分析: where and when hazards arise, who holds the open ones, how inspections and rectification go."""

from __future__ import annotations

import streamlit as st

from dashboard.charts.heatmaps import enterprise_category, industry_month, rectification_days, tier_month
from dashboard.i18n import format_date, format_int, t
from dashboard.services.heatmaps import TOP_ENTERPRISES, months_between
from dashboard.views.context import as_of
from dashboard.views.heatmaps import (
    filter_widgets,
    load_enterprise_category,
    load_industry_month,
    load_rectification,
    load_tier_month,
)
from models.enums import InspectionTier

st.title(t("page.heatmaps"))
day = as_of()
filters = filter_widgets(day)
period = {"start": format_date(filters.start), "end": format_date(filters.end)}
months = months_between(filters.start, filters.end)

st.subheader(t("heatmaps.industry_month_title"))
found = load_industry_month(filters)
st.caption(t("heatmaps.industry_month_caption", total=format_int(int(found["hazards"].sum())), **period))
if found.empty:
    st.info(t("heatmaps.nothing"))
else:
    st.altair_chart(industry_month(found, months), width="stretch")

st.subheader(t("heatmaps.enterprise_category_title", top=TOP_ENTERPRISES))
holders = load_enterprise_category(day, filters)
st.caption(t("heatmaps.enterprise_category_caption", date=format_date(day),
             enterprises=format_int(holders["enterprise_id"].nunique()),
             total=format_int(int(holders["hazards"].sum()))))
if holders.empty:
    st.info(t("heatmaps.no_open"))
else:
    st.altair_chart(enterprise_category(holders), width="stretch")

st.subheader(t("heatmaps.tier_month_title"))
inspected = load_tier_month(filters)
st.caption(t("heatmaps.tier_month_caption", total=format_int(int(inspected["inspections"].sum())), **period))
if inspected.empty:
    st.info(t("heatmaps.nothing"))
else:
    st.altair_chart(tier_month(inspected, months, [tier.value for tier in InspectionTier]), width="stretch")

st.subheader(t("heatmaps.rectification_title"))
rectified = load_rectification(filters)
st.caption(t("heatmaps.rectification_caption", total=format_int(int(rectified["hazards"].sum())), **period))
if rectified.empty:
    st.info(t("heatmaps.nothing"))
else:
    st.altair_chart(rectification_days(rectified), width="stretch")

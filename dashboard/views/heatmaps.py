"""The Heatmaps page's pieces: cached aggregate reads and the date-range and industry filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st
from sqlmodel import Session

from dashboard.i18n import label, t
from dashboard.services.heatmaps import (
    default_range,
    hazards_by_industry_month,
    inspections_by_tier_month,
    open_hazards_by_enterprise_category,
    rectification_days_by_category,
)
from dashboard.views.context import EARLIEST
from dashboard.views.data import database_key, engine
from models.enums import Industry


@dataclass(frozen=True)
class HeatmapFilters:
    start: date
    end: date
    industries: tuple[str, ...]


def filter_widgets(as_of: date) -> HeatmapFilters:
    """The date range (default: the 12 months ending at the as-of date) and the industries (empty: all)."""
    first, last = default_range(as_of)
    left, right = st.columns([2, 3])
    picked = left.date_input(t("heatmaps.range"), value=(first, last), min_value=EARLIEST, max_value=as_of,
                             key=f"heatmaps_range_{as_of.isoformat()}", format="YYYY-MM-DD",
                             help=t("heatmaps.range_help"))
    chosen = right.multiselect(t("heatmaps.filter_industry"), [industry.value for industry in Industry],
                               format_func=lambda value: label("industry", value), key="heatmaps_industry",
                               placeholder=t("heatmaps.all_industries"))
    dates = [value for value in (picked if isinstance(picked, tuple) else (picked,)) if isinstance(value, date)]
    start = dates[0] if dates else first
    end = dates[1] if len(dates) > 1 else last
    return HeatmapFilters(start=min(start, end), end=max(start, end), industries=tuple(chosen))


@st.cache_data(show_spinner=False, max_entries=16)
def _industry_month(url: str, revision: int, start: date, end: date, industries: tuple[str, ...]) -> pd.DataFrame:
    with Session(engine()) as session:
        return hazards_by_industry_month(session, start, end, industries)


@st.cache_data(show_spinner=False, max_entries=16)
def _enterprise_category(url: str, revision: int, as_of: date, industries: tuple[str, ...]) -> pd.DataFrame:
    with Session(engine()) as session:
        return open_hazards_by_enterprise_category(session, as_of, industries)


@st.cache_data(show_spinner=False, max_entries=16)
def _tier_month(url: str, revision: int, start: date, end: date, industries: tuple[str, ...]) -> pd.DataFrame:
    with Session(engine()) as session:
        return inspections_by_tier_month(session, start, end, industries)


@st.cache_data(show_spinner=False, max_entries=16)
def _rectification(url: str, revision: int, start: date, end: date, industries: tuple[str, ...]) -> pd.DataFrame:
    with Session(engine()) as session:
        return rectification_days_by_category(session, start, end, industries)


def load_industry_month(filters: HeatmapFilters) -> pd.DataFrame:
    """Hazards found per industry and month in the range."""
    return _industry_month(*database_key(), filters.start, filters.end, filters.industries)


def load_enterprise_category(as_of: date, filters: HeatmapFilters) -> pd.DataFrame:
    """Open hazards at the as-of date of the 30 enterprises with the most, by category."""
    return _enterprise_category(*database_key(), as_of, filters.industries)


def load_tier_month(filters: HeatmapFilters) -> pd.DataFrame:
    """Inspections per tier and month in the range."""
    return _tier_month(*database_key(), filters.start, filters.end, filters.industries)


def load_rectification(filters: HeatmapFilters) -> pd.DataFrame:
    """Hazards rectified in the range by category and days taken."""
    return _rectification(*database_key(), filters.start, filters.end, filters.industries)

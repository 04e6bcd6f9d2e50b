"""The Overview's pieces: the cached read, the KPI row, the two charts and the alerts panel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from sqlmodel import Session
from streamlit.elements.lib.column_types import ColumnConfig

from dashboard.charts.overview import accidents_target_chart, hazard_trend_chart
from dashboard.i18n import current_language, format_date, format_int, format_percent, label, name_in_language, t
from dashboard.services.overview import (
    ParkKpis,
    ParkOverview,
    evaluation_counts_of,
    park_overview,
    same_day_previous_month,
)
from dashboard.services.park import ParkSummary
from dashboard.views.background import INLINE_ENTERPRISES, job
from dashboard.views.data import current_rules, database_key, engine, load_evaluations
from dashboard.views.paging import page_of, pager

SCORECARD_PAGE = "scorecards"


@st.cache_resource(show_spinner=False, max_entries=8)  # shared, read-only: the alert lists can be long
def _overview(url: str, revision: int, as_of: date) -> ParkOverview:
    rules = current_rules()
    previous_counts = None
    if len(load_evaluations(as_of)) > INLINE_ENTERPRISES:
        # a large park: the previous month's evaluation is worked out in the worker process meanwhile
        previous = same_day_previous_month(as_of)
        counts = job(("evaluation_counts", url, revision, previous), evaluation_counts_of, url, previous, rules)
        previous_counts = counts.result
    with Session(engine()) as session:
        return park_overview(session, as_of, rules, evaluate_at=load_evaluations, previous_counts=previous_counts)


def load_overview(as_of: date) -> ParkOverview:
    """The park's key figures, trend, accidents and alerts at ``as_of`` (cached by date and data revision)."""
    return _overview(*database_key(), as_of)


def scorecard_link(enterprise_id: int) -> str:
    """The scorecards page opened on one enterprise (a relative URL, so it works behind any host)."""
    return f"{SCORECARD_PAGE}?enterprise={int(enterprise_id)}"


# --- key figures ----------------------------------------------------------------------------------


def _count_delta(current: int, previous: int) -> int:
    return current - previous


def _points_delta(current: float | None, previous: float | None) -> str | int | None:
    """A change of a share in percentage points ("+1.5 pp"); 0 when it rounds to nothing."""
    if current is None or previous is None:
        return None
    points = round((current - previous) * 100, 1)
    if points == 0:
        return 0
    return t("overview.kpi.points", value=f"{points:+.1f}")


def kpi_row(kpis: ParkKpis) -> None:
    """Eight key figures in two rows of four, each with its change against the same day a month earlier."""
    now, before = kpis.current, kpis.previous
    rules = current_rules()
    since = t("overview.kpi.delta_description")
    target = kpis.accident_target_per_year
    accidents_help = (t("overview.kpi.accidents_help", target=target) if target is not None
                      else t("overview.kpi.accidents_help_no_target"))
    figures: list[tuple[str, str, str | int | None, str, str]] = [
        # label, value, delta, delta colour, help
        (t("overview.kpi.enterprises"), format_int(now.enterprises), None, "off",
         t("overview.kpi.enterprises_help", suspended=format_int(kpis.suspended))),
        (t("overview.kpi.signage"), format_percent(now.signage_compliance),
         _points_delta(now.signage_compliance, before.signage_compliance), "normal",
         t("overview.kpi.signage_help", days=rules.sign_check_max_age_days)),
        (t("overview.kpi.on_time"), format_percent(now.on_time_rectification),
         _points_delta(now.on_time_rectification, before.on_time_rectification), "normal",
         t("overview.kpi.on_time_help", rectified=format_int(now.rectified),
           on_time=format_int(now.rectified_on_time))),
        (t("overview.kpi.ineligible"), format_int(now.ineligible), _count_delta(now.ineligible, before.ineligible),
         "inverse", t("overview.kpi.ineligible_help")),
        (t("overview.kpi.open"), format_int(now.open_hazards), _count_delta(now.open_hazards, before.open_hazards),
         "inverse", t("overview.kpi.open_help")),
        (t("overview.kpi.overdue"), format_int(now.overdue_hazards),
         _count_delta(now.overdue_hazards, before.overdue_hazards), "inverse", t("overview.kpi.overdue_help")),
        (t("overview.kpi.major"), format_int(now.major_hazards), _count_delta(now.major_hazards, before.major_hazards),
         "inverse", t("overview.kpi.major_help")),
        (t("overview.kpi.accidents"), format_int(now.accidents_this_year),
         _count_delta(now.accidents_this_year, before.accidents_this_year), "inverse", accidents_help),
    ]
    for start in range(0, len(figures), 4):
        for column, (name, value, delta, colour, help_text) in zip(st.columns(4), figures[start:start + 4],
                                                                   strict=True):
            column.metric(name, value, delta=delta, delta_color=colour,  # type: ignore[arg-type]
                          help=help_text, border=True, delta_description=since if delta is not None else None)


# --- charts ---------------------------------------------------------------------------------------


def trend_section(overview: ParkOverview) -> None:
    st.subheader(t("overview.trend.title"))
    st.caption(t("overview.trend.caption"))
    st.altair_chart(hazard_trend_chart(overview.trend), width="stretch")


def accidents_section(overview: ParkOverview) -> None:
    st.subheader(t("overview.accidents.title"))
    target = overview.kpis.accident_target_per_year
    count = overview.kpis.current.accidents_this_year
    st.altair_chart(accidents_target_chart(overview.accidents, target), width="stretch")
    if target is None:
        st.info(t("overview.accidents.no_target"))
        return
    params = {"count": format_int(count), "target": format_int(target)}
    if count > target:
        st.error(t("overview.accidents.over", **params), icon=":material/warning:")
    elif count == target:
        st.warning(t("overview.accidents.at", **params), icon=":material/error:")
    else:
        st.success(t("overview.accidents.within", **params), icon=":material/check_circle:")


# --- alerts ---------------------------------------------------------------------------------------


def _date_format() -> str:
    """The moment.js format of a date in a table: 2026年3月5日 / 5 Mar 2026."""
    return "YYYY年M月D日" if current_language() == "zh" else "D MMM YYYY"


def _names(table: pd.DataFrame) -> list[str]:
    """The enterprises' names in the user's language (the Chinese name when there is no English one)."""
    return [name_in_language(str(name), en) for name, en in zip(table["name"], table["name_en"], strict=True)]


def _name_width() -> int:
    """Room for an enterprise's full name (Chinese names are shorter on screen than English ones)."""
    return 230 if current_language() == "zh" else 290


def _labels(kind: str) -> Callable[[Any], str | None]:
    return lambda value: None if value is None or pd.isna(value) else label(kind, value)


def _show(frame: pd.DataFrame, columns: dict[str, ColumnConfig]) -> None:
    order = ["enterprise", "link", *(name for name in columns if name not in ("enterprise", "link"))]
    st.dataframe(frame[order], column_config=columns, hide_index=True, width="stretch",
                 height=min(38 + 35 * len(frame), 420), placeholder="—")


def _link_column() -> ColumnConfig:
    return st.column_config.LinkColumn(t("overview.col.scorecard"), display_text=t("overview.open_scorecard"),
                                       width="small", pinned=True)


def _overdue_tab(table: pd.DataFrame) -> None:
    st.caption(t("overview.alerts.overdue_caption"))
    if table.empty:
        st.success(t("overview.alerts.no_overdue"))
        return
    total = len(table)
    table = page_of(table, "overview_overdue_page", current_language())
    frame = pd.DataFrame({
        "enterprise": _names(table),
        "hazard": table["hazard_id"],
        "category": table["category"].map(_labels("hazard_category")),
        "severity": table["severity"].map(_labels("hazard_severity")),
        "found_on": table["found_on"],
        "deadline": table["deadline"],
        "days_overdue": table["days_overdue"],
        "listed": table["listed_supervision"],
        "link": table["enterprise_id"].map(scorecard_link),
    })
    dates = _date_format()
    _show(frame, {
        "enterprise": st.column_config.TextColumn(t("overview.col.enterprise"), pinned=True, width=_name_width()),
        "hazard": st.column_config.NumberColumn(t("overview.col.hazard"), format="%d", width="small"),
        "category": st.column_config.TextColumn(t("overview.col.category")),
        "severity": st.column_config.TextColumn(t("overview.col.severity"), width="small"),
        "found_on": st.column_config.DateColumn(t("overview.col.found_on"), format=dates),
        "deadline": st.column_config.DateColumn(t("overview.col.deadline"), format=dates),
        "days_overdue": st.column_config.ProgressColumn(
            t("overview.col.days_overdue"), format="%d", min_value=0,
            max_value=max(int(table["days_overdue"].max()), 30), color="red"),
        "listed": st.column_config.CheckboxColumn(t("overview.col.listed"), width="small"),
        "link": _link_column(),
    })
    pager(total, "overview_overdue_page")


def _licence_tab(table: pd.DataFrame) -> None:
    days = current_rules().loan_licence_expiry_warning_days
    st.caption(t("overview.alerts.licences_caption", days=days))
    if table.empty:
        st.success(t("overview.alerts.no_licences", days=days))
        return
    total = len(table)
    table = page_of(table, "overview_licence_page", current_language())
    frame = pd.DataFrame({
        "enterprise": _names(table),
        "industry": table["industry"].map(_labels("industry")),
        "license_no": table["license_no"],
        "expires": table["license_expires_on"],
        "days_left": table["days_left"],
        "state": [t(f"overview.licence_state.{state}") for state in table["licence_state"]],
        "link": table["enterprise_id"].map(scorecard_link),
    })
    _show(frame, {
        "enterprise": st.column_config.TextColumn(t("overview.col.enterprise"), pinned=True, width=_name_width()),
        "industry": st.column_config.TextColumn(t("overview.col.industry")),
        "license_no": st.column_config.TextColumn(t("overview.col.license_no")),
        "expires": st.column_config.DateColumn(t("overview.col.expires"), format=_date_format()),
        "days_left": st.column_config.NumberColumn(t("overview.col.days_left"), format="%d"),
        "state": st.column_config.TextColumn(t("overview.col.licence_state"), width="small"),
        "link": _link_column(),
    })
    pager(total, "overview_licence_page")


def _sign_tab(table: pd.DataFrame) -> None:
    days = current_rules().sign_check_max_age_days
    st.caption(t("overview.alerts.signs_caption", days=days))
    if table.empty:
        st.success(t("overview.alerts.no_signs", days=days))
        return
    total = len(table)
    table = page_of(table, "overview_sign_page", current_language())
    frame = pd.DataFrame({
        "enterprise": _names(table),
        "kind": table["kind"].map(_labels("sign_kind")),
        "location": table["location"],
        "last_checked": table["last_checked_on"],
        "condition": [t("overview.never_checked") if pd.isna(checked) else label("sign_condition", condition)
                      for checked, condition in zip(table["last_checked_on"], table["condition"], strict=True)],
        "due_on": table["due_on"],
        "days_since": table["days_since_check"],
        "link": table["enterprise_id"].map(scorecard_link),
    })
    dates = _date_format()
    _show(frame, {
        "enterprise": st.column_config.TextColumn(t("overview.col.enterprise"), pinned=True, width=_name_width()),
        "kind": st.column_config.TextColumn(t("overview.col.sign_kind")),
        "location": st.column_config.TextColumn(t("overview.col.location")),
        "last_checked": st.column_config.DateColumn(t("overview.col.last_checked"), format=dates),
        "condition": st.column_config.TextColumn(t("overview.col.condition")),
        "due_on": st.column_config.DateColumn(t("overview.col.due_on"), format=dates),
        "days_since": st.column_config.NumberColumn(t("overview.col.days_since"), format="%d"),
        "link": _link_column(),
    })
    pager(total, "overview_sign_page")


def alerts_panel(overview: ParkOverview) -> None:
    """Tabs for overdue hazards, licences and signs due for checking; each row links to the enterprise's scorecard."""
    st.subheader(t("overview.alerts.title"))
    overdue, licences, signs = st.tabs([
        t("overview.alerts.overdue", count=format_int(len(overview.overdue))),
        t("overview.alerts.licences", count=format_int(len(overview.licences))),
        t("overview.alerts.signs", count=format_int(len(overview.signs))),
    ])
    with overdue:
        _overdue_tab(overview.overdue)
    with licences:
        _licence_tab(overview.licences)
    with signs:
        _sign_tab(overview.signs)


# --- record counts --------------------------------------------------------------------------------


def records_expander(summary: ParkSummary) -> None:
    """How many records each table holds, folded away under the page."""
    with st.expander(t("overview.records"), icon=":material/database:"):
        frame = pd.DataFrame({
            "table": [t(f"table.{table}") for table in summary.counts],
            "rows": list(summary.counts.values()),
        })
        st.dataframe(frame, hide_index=True, width="content", column_config={
            "table": st.column_config.TextColumn(t("overview.col.table")),
            "rows": st.column_config.NumberColumn(t("overview.col.rows"), format="localized"),
        })


def caption_line(as_of: date, previous: date) -> str:
    return t("overview.caption", app=t("app.title"), date=format_date(as_of), previous=format_date(previous))
